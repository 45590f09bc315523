"""Our GIFT read back by Moodle's own rules, and by pygiftparser.

`moodle_read` follows Moodle's question/format/gift/format.php (readquestions splitting on
blank lines, escapedchar_pre/_post, the name, the answers between the first `{` and the
first `}`, the general feedback after the last `####`, plugins first, then the type from
the answer marks, weights `%n%`, feedback after `#`) and qtype_ordering's
questiontype.php import_from_gift. It returns what Moodle would store.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from pygiftparser import parser as pygift

from course.content.loader import load_project
from course.content.model import Question, QuizSettings
from course.quiz.versions import draw_final
from generators.lms.fractions import block_html, multiple_weights, plain
from generators.lms.gift import gift

ROOT = Path(__file__).resolve().parent.parent
_ESCAPED = ["\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\n"]
_HOLDERS = ["&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010"]
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
# qtype_ordering's pattern: >count selecttype layout grading showgrading numbering, items.
_ORDERING = re.compile(
    r"^\s*>\s*(\d+)\s*((?:ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?)\s*"
    r"((?:HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?)\s*"
    r"((?:ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|"
    r"RELATIVE_NEXT_INCLUDE_LAST|RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT"
    r"|RELATIVE_TO_CORRECT|RELATIVE|RELLONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET)?)\s*"
    r"((?:SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?)\s*((?:none|123|abc|ABCD|iii|IIII)?)\s*(.*?)\s*$",
    re.S)


def pre(text: str) -> str:
    """escapedchar_pre: escaped characters to placeholders (a double backslash kept)."""
    text = text.replace("\\\\", "&&092;")
    for escaped, holder in zip(_ESCAPED, _HOLDERS, strict=True):
        text = text.replace(escaped, holder)
    return text.replace("&&092;", "\\")


def post(text: str) -> str:
    """escapedchar_post: placeholders back to the characters."""
    for holder, char in zip(_HOLDERS, [":", "#", "=", "{", "}", "~", "\n"], strict=True):
        text = text.replace(holder, char)
    return text


def with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    """parse_text_with_format: an optional [format] prefix, then the unescaped text."""
    if text.startswith("[") and text[1:text.find("]")] in ("html", "moodle", "plain", "markdown"):
        default, text = text[1:text.find("]")], text[text.find("]") + 1:]
    return default, post(text).strip()


def weighted(answer: str, default: float) -> tuple[float, str]:
    """A leading %n% weight as a fraction, and the rest of the answer."""
    if _WEIGHT.match(answer):
        end = answer.index("%", 1)
        return round(float(answer[1:end]) / 100, 7), answer[end + 1:]  # Moodle keeps 7 places
    return default, answer


def comment(answer: str, fmt: str) -> tuple[str, str]:
    """commentparser: answer and feedback around the first #."""
    bits = answer.split("#", 1)
    feedback = with_format(bits[1].strip(), fmt)[1] if len(bits) > 1 else ""
    return with_format(bits[0].strip(), fmt)[1], feedback


def read_question(lines: list[str]) -> dict:
    """readquestion for the types our export writes."""
    lines = [" " if line.startswith("//") else line for line in lines]
    text = pre("\n".join(lines).strip())
    if text.startswith("$CATEGORY:"):
        return {"category": text[10:].strip()}
    out: dict = {"name": None}
    if text.startswith("::"):
        end = text.index("::", 2)
        out["name"], text = post(text[2:end]), text[end + 2:].strip()
    start, finish = text.index("{"), text.index("}")
    answer = text[start + 1:finish].strip()
    question = text[:start] + text[finish + 1:]
    cut = answer.rfind("####")
    general = answer[cut + 4:] if cut >= 0 else ""
    answer = answer[:cut].strip() if cut >= 0 else answer
    fmt, out["text"] = with_format(question)
    out["general"] = with_format(general, fmt)[1]
    ordering = _ORDERING.match(answer)
    if ordering:  # the plugin's turn comes first: it takes the lines as written
        count, select, layout, grading, show, numbering, items = ordering.groups()
        out.update(type="ordering", options=(int(count), select, layout, grading, show,
                                             numbering),
                   items=[i.strip() for i in re.split(r"[\r\n]+", items) if i.strip()])
    elif "~" in answer:
        parts = [p for p in answer.replace("=", "~=").split("~")]
        parts = parts[1:] if not parts[0].strip() else parts
        out.update(type="multichoice", single="=" in answer, answers=[])
        for part in (p.strip() for p in parts):
            weight, rest = (1.0, part[1:]) if part.startswith("=") else weighted(part, 0.0)
            out["answers"].append((weight, *comment(rest, fmt)))
    elif "=" in answer and "->" in answer:
        pairs = [p.strip() for p in answer.split("=") if p.strip()]
        out.update(type="match", pairs=[(with_format(p[:p.index("->")], fmt)[1],
                                         post(p[p.index("->") + 2:]).strip()) for p in pairs])
    elif answer.split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
        out.update(type="truefalse", answer=answer.split("#")[0].strip() in ("T", "TRUE"))
    else:
        parts = [p.strip() for p in answer.split("=") if p.strip()]
        out.update(type="shortanswer", answers=[(w, *comment(rest, fmt))
                                                for w, rest in (weighted(p, 1.0) for p in parts)])
    return out


def moodle_read(text: str) -> list[dict]:
    """readquestions: questions separated by blank lines, each line trimmed."""
    found, current = [], []
    for line in text.split("\n") + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            found.append(read_question(current))
            current = []
    return found


def expected(q: Question, lang: str, settings: QuizSettings) -> dict:
    """What Moodle should store for one of our questions."""
    def h(text: dict[str, str] | None) -> str:
        return block_html(text[lang], lang) if text else ""

    out = {"text": h(q.stem), "general": h(q.explanation)}
    if q.type in ("single", "multiple"):
        right, wrong = (1.0, 0.0) if q.type == "single" else multiple_weights(q, settings)
        out.update(type="multichoice", single=q.type == "single", answers=[
            (round(right if c.correct else wrong, 7), h(c.text), h(c.feedback))
            for c in q.choices or []])
    elif q.type == "true_false":
        out.update(type="truefalse", answer=bool(q.answer))
    elif q.type == "matching":
        out.update(type="match", pairs=[(h(p.left), plain(p.right[lang])) for p in q.pairs or []])
    elif q.type == "short":
        out.update(type="shortanswer", answers=[(1.0, plain(a[lang]), "") for a in q.accept or []])
    else:
        grading = "ABSOLUTE_POSITION" if settings.partial_ordering else "ALL_OR_NOTHING"
        items = q.sequence or []
        out.update(type="ordering", options=(len(items), "ALL", "VERTICAL", grading, "SHOW", "abc"),
                   items=[h(i) for i in items])
    return out


@pytest.fixture(scope="module")
def shipped():
    """The shipped course's project."""
    project, _ = load_project(ROOT)
    assert project is not None
    return project


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_moodle_reads_every_module_question_as_written(shipped, lang: str) -> None:
    settings = shipped.course.quiz
    modules = [m for m in shipped.modules if lang in shipped.module_langs(m)]
    categories = [(m.title[lang], [(m.id, q) for q in m.questions]) for m in modules]
    text, _ = gift(categories, lang, settings)
    read = moodle_read(text)
    cats = [r["category"] for r in read if "category" in r]
    assert cats == ["$course$/" + " ".join(m.title[lang].split()) for m in modules]
    got = [r for r in read if "category" not in r]
    want = [(m.id, q) for m in modules for q in m.questions]
    assert [r["name"] for r in got] == [f"{m}/{q.id}" for m, q in want]
    for found, (_module, q) in zip(got, want, strict=True):
        found.pop("name")
        assert found == expected(q, lang, settings), q.id
    kinds = {q.type for _, q in want}
    assert "ordering" in kinds and len(want) >= 20  # the ordering form is exercised


def test_final_exam_names_are_unique_for_moodle(shipped) -> None:
    items = draw_final(shipped, shipped.course.quiz.seed)
    text, warnings = gift([("الامتحان النهائي", items)], "ar", shipped.course.quiz)
    names = [r["name"] for r in moodle_read(text) if "category" not in r]
    assert len(names) == len(items) == len(set(names))
    assert all(" of module '" in w for w in warnings)


def test_escapes_and_ordering_items_survive_moodle(tmp_path: Path) -> None:
    tricky = "a~b=c#d{e}f:g\\h ####"
    q = Question.model_validate({
        "id": "o:1", "type": "ordering", "objective": "o1", "stem": {"fr": tricky},
        "explanation": {"fr": tricky}, "source": [{"para": 1, "anchor": "x"}],
        "sequence": [{"fr": tricky}, {"fr": "{deux}"}, {"fr": "trois\\n"}]})
    text, _ = gift([("Mod/ule: 1", [q])], "fr", QuizSettings())
    category, found = moodle_read(text)
    assert category == {"category": "$course$/Mod//ule: 1"}  # a slash in a name is doubled
    assert found["name"] == "o:1"
    assert found["text"] == found["general"] == f'<div dir="ltr">{html.escape(tricky, False)}</div>'
    # The plugin keeps items as written: character references, which the browser shows.
    assert [html.unescape(i) for i in found["items"]] == [
        f'<div dir="ltr">{t}</div>' for t in (tricky, "{deux}", "trois\\n")]


def test_pygiftparser_reads_every_question_but_ordering(shipped) -> None:
    settings = shipped.course.quiz
    module = shipped.modules[0]
    text, _ = gift([(module.title["ar"], [(module.id, q) for q in module.questions])], "ar",
                   settings)
    read = pygift.parseFile(text.splitlines(keepends=True))
    kinds = {"single": "SelectSet", "multiple": "MultipleChoicesSet", "true_false": "TrueFalseSet",
             "matching": "MatchingSet", "short": "ShortSet"}
    plain_questions = [q for q in module.questions if q.type != "ordering"]
    by_title = {r.title: r for r in read}
    for q in plain_questions:
        found = by_title[f"{module.id}/{q.id}"]
        assert found.valid and type(found.answers).__name__ == kinds[q.type], q.id
        # pygiftparser keeps GIFT escapes in texts: undone, the dir="rtl" wrapper is there.
        assert pygift.reSpecialChar.sub(r"\g<char>", found.text) == block_html(q.stem["ar"], "ar")
