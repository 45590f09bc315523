"""Slide outlines: the module's own slides, or slides derived from its sections."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from course.content.model import Module
from course.document import Slide, Text
from course.render.markdown import parse_inline

_MARKUP = re.compile(r"[*_#>`]")


def _first_sentence(markdown: str) -> str:
    """The first sentence of a Markdown body's first paragraph, without markup."""
    paragraph = re.split(r"\n\s*\n|\n\s*(?:[-*+]|\d+[.)])\s", markdown.strip(), maxsplit=1)[0]
    text = " ".join(_MARKUP.sub("", paragraph).split())
    # A lone digit before the stop is a list number ("3. "), not a sentence's end.
    match = re.search(r"(?<!\b\d)[.!?؟]\s", text + " ")
    return text[: match.end()].strip() if match else text


def slide_blocks(module: Module, lang: str, labels: Mapping[str, Any]) -> tuple[Slide, ...]:
    """The objectives slide, the authored slides (else one per section), the discussion slide.

    The module's title, summary and audience open the outline (and a deck's title slide),
    so the slides proper start with the objectives and end with the questions for the room.
    """
    notes_label = (Text(labels["notes"]),)
    # The audience goes into the notes of the objectives: the trainer opens with both.
    audience = ((Text(labels["audience"]),), parse_inline(module.audience[lang]))
    objectives = tuple(parse_inline(o.text[lang]) for o in module.objectives)
    slides = [((Text(labels["objectives"]),), objectives, audience)]
    if module.slides:
        slides += [(parse_inline(s.title[lang]), tuple(parse_inline(b[lang]) for b in s.bullets),
                    (parse_inline(s.notes[lang]),) if s.notes else ()) for s in module.slides]
    else:
        slides += [(parse_inline(s.title[lang]),
                    tuple(parse_inline(k.text[lang]) for k in s.key_points),
                    (parse_inline(_first_sentence(s.body[lang])),)) for s in module.sections]
    if module.discussion_questions:
        # The questions go on the slide; what the trainer should hear goes into the notes.
        questions = module.discussion_questions
        slides.append(((Text(labels["discussion_questions"]),),
                       tuple(parse_inline(q.question[lang]) for q in questions),
                       tuple(parse_inline(f"{n}. {point[lang]}")
                             for n, q in enumerate(questions, start=1)
                             for point in q.expected_points)))
    return tuple(Slide(n, title, bullets, notes, notes_label)
                 for n, (title, bullets, notes) in enumerate(slides, start=1))
