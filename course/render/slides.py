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
    match = re.search(r"[.!?؟]\s", text + " ")
    return text[: match.end()].strip() if match else text


def slide_blocks(module: Module, lang: str, labels: Mapping[str, Any]) -> tuple[Slide, ...]:
    """One Slide per slide: authored ones, else a title, objectives and one per section."""
    notes_label = (Text(labels["notes"]),)
    if module.slides:
        return tuple(
            Slide(n, parse_inline(s.title[lang]), tuple(parse_inline(b[lang]) for b in s.bullets),
                  (parse_inline(s.notes[lang]),) if s.notes else (), notes_label)
            for n, s in enumerate(module.slides, start=1)
        )
    slides = [
        Slide(1, parse_inline(module.title[lang]), (parse_inline(module.summary[lang]),),
              (parse_inline(module.audience[lang]),), notes_label),
        Slide(2, (Text(labels["objectives"]),),
              tuple(parse_inline(o.text[lang]) for o in module.objectives), (), notes_label),
    ]
    for section in module.sections:
        bullets = tuple(parse_inline(k.text[lang]) for k in section.key_points)
        notes = (parse_inline(_first_sentence(section.body[lang])),)
        slides.append(Slide(len(slides) + 1, parse_inline(section.title[lang]), bullets, notes,
                            notes_label))
    return tuple(slides)
