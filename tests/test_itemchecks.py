"""Item-writing checks: each one tripped by a fixture, and a near miss that does not trip it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit

from course.cli import cli

MOD = "content/modules/sample.yaml"
Q1_STEM = "      ar: ما شرطة القرب؟\n"
Q1_RIGHT = "{ar: منهجية وطريقة عمل, fr: Une méthode de travail}"


def warnings_of(project: Path) -> list[str]:
    """The warning lines `coursegen check` prints."""
    result = CliRunner().invoke(cli, ["check", "--project", str(project)])
    return [line for line in result.stderr.splitlines() if ": warning: " in line]


TRIPS = [
    ("all-of-the-above", [("{ar: برنامج تلفزي, fr: Une émission de télévision}",
                           "{ar: كل ما سبق, fr: Une émission de télévision}")],
     f"{MOD}:103:15: warning: question 'q1' choice 4 is an 'all/none of the above' choice; "
     "write a real alternative"),
    ("negative-stem", [(Q1_STEM, "      ar: أي مما يلي ليس من مرتكزات شرطة القرب؟\n")],
     f"{MOD}:95:7: warning: question 'q1' has a negative stem ('ليس') that is not in bold; "
     "write **ليس** or ask the question positively"),
    ("long-correct-choice", [(Q1_RIGHT, "{ar: منهجية وطريقة عمل تمكن الأجهزة الأمنية من أن تكون "
                                         "حاضرة وقريبة من المواطن, fr: Une méthode de travail}")],
     f"{MOD}:98:15: warning: question 'q1': the correct choice is at least 1.5 times as long "
     "as the longest other choice; shorten it or lengthen the others"),
    ("duplicate-choices", [("{ar: برنامج تلفزي, fr: Une émission de télévision}",
                            "{ar: جهاز تابع للجماعة, fr: Une émission de télévision}")],
     f"{MOD}:103:15: warning: question 'q1' choices 3 and 4 are the same; make them differ"),
    ("give-away-word", [(Q1_STEM, "      ar: ما منهجية شرطة القرب؟\n")],
     f"{MOD}:95:7: warning: question 'q1': the stem and only the correct choice share the "
     "word 'منهجيه'; reword one so it gives nothing away"),
    ("specific-determiner", [("{ar: برنامج تلفزي, fr:", "{ar: برنامج تلفزي فقط, fr:")],
     f"{MOD}:103:15: warning: question 'q1' choice 4 says 'فقط' but no right choice does; a "
     "test-wise reader rules it out, so reword it"),
    ("cross-item-cue", [("ar: ترتكز شرطة القرب على", "ar: ترتكز شرطة القرب، وهي منهجية وطريقة "
                                                   "عمل، على")],
     f"{MOD}:89:5: warning: question 'q1': its answer ('منهجية وطريقة عمل') is printed in "
     "question 'q2'; reword one so neither answers the other"),
    ("objective-above-its-items", [("    level: understand", "    level: remember"),
                                   ("    level: analyse", "    level: remember")],
     f"{MOD}:17:7: warning: objective 'o1' asks for understand but its questions assess at "
     "most remember; add a question at level understand or above, or reword the objective"),
]


@pytest.mark.parametrize("case,edits,expected", TRIPS, ids=[t[0] for t in TRIPS])
def test_each_check_trips(good_project: Path, case: str, edits: list, expected: str) -> None:
    for old, new in edits:
        edit(good_project / MOD, old, new)
    assert warnings_of(good_project) == [expected]


NEAR_MISSES = [
    # وحدة (a unit) is not وحده (alone); a determiner the key shares gives nothing away.
    ("unit-is-not-alone", [("{ar: برنامج تلفزي, fr:", "{ar: وحدة تلفزية, fr:")]),
    ("determiner-in-the-key-too", [("{ar: برنامج تلفزي, fr:", "{ar: برنامج تلفزي فقط, fr:"),
                                   ("{ar: منهجية وطريقة عمل,", "{ar: منهجية وطريقة عمل فقط,")]),
    ("one-word-of-the-answer", [("ar: ترتكز شرطة القرب على", "ar: ترتكز شرطة القرب بمنهجية على")]),
    ("objective-reached-once", [("    level: understand", "    level: remember")]),
    ("bold-negative", [(Q1_STEM, "      ar: أي مما يلي **ليس** من مرتكزات شرطة القرب؟\n")]),
    ("ghayr-anna", [(Q1_STEM, "      ar: شرطة القرب قريبة، غير أن ما هي؟\n")]),
    ("ratio-below", [(Q1_RIGHT, "{ar: منهجية وطريقة عمل قريبة, fr: Une méthode de travail}")]),
    ("shared-with-distractor", [(Q1_STEM, "      ar: ما منهجية شرطة القرب؟\n"),
                                ("{ar: برنامج تلفزي,", "{ar: منهجية تلفزية,")]),
]


@pytest.mark.parametrize("case,edits", NEAR_MISSES, ids=[t[0] for t in NEAR_MISSES])
def test_near_misses_do_not_trip(good_project: Path, case: str, edits: list) -> None:
    for old, new in edits:
        edit(good_project / MOD, old, new)
    assert warnings_of(good_project) == []


def _single(qid: str, right: int) -> str:
    choices = "".join(f"      - text: خيار رقم {i} من السؤال {qid}\n" +
                      ("        correct: true\n" if i == right else "") for i in range(4))
    return (f"  - id: {qid}\n    type: single\n    objective: o1\n    stem: سؤال تجريبي {qid}\n"
            f"    choices:\n{choices}    explanation: شرح\n"
            f"    source: {{para: 8, anchor: \"شرطة القرب هي منهجية وطريقة عمل\"}}\n")


def test_answer_position_share(good_project: Path) -> None:
    path = good_project / "content" / "modules" / "sample.yaml"
    text = path.read_text(encoding="utf-8").replace("languages: [ar, fr]\n", "")
    text = text.replace("    source: {para: 9, anchor: \"بلوغ الحد من الشعور بانعدام الأمن\"}\n",
                        "    source: {para: 9, anchor: \"بلوغ الحد من الشعور بانعدام الأمن\"}\n"
                        + _single("x1", 0) + _single("x2", 0) + _single("x3", 2))
    path.write_text(text, encoding="utf-8")
    (good_project / "content" / "course.yaml").write_text(
        (good_project / "content" / "course.yaml").read_text(encoding="utf-8")
        .replace("languages: [ar, fr]", "languages: [ar]"), encoding="utf-8")
    # q1 and x1, x2 answer with choice 1: 3 of 4 single-answer questions, over 40 %.
    assert f"{MOD}:87:1: warning: module 'sample': choice 1 is the answer of 3 of 4 " \
        "single-answer questions (over 40%); move some answers to other positions" \
        in warnings_of(good_project)


def test_a_module_without_levels_is_warned_once(good_project: Path) -> None:
    path = good_project / MOD
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(x for x in lines if not x.startswith("    level:")), "utf-8")
    assert warnings_of(good_project) == [
        f"{MOD}:88:1: warning: module 'sample' gives no question a level; add level: remember, "
        "understand, apply, analyse, evaluate or create to each"]


def test_check_counts_questions_per_level(good_project: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--project", str(good_project)])
    assert "module 'sample' questions per level: remember 3, understand 1, apply 1, " \
           "analyse 1" in result.stderr.splitlines()


def test_multiple_answer_questions_with_one_key_count_are_warned(good_project: Path) -> None:
    path = good_project / MOD
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: q3")
    end = text.index("  - id: q4")
    q3 = text[start:end]
    copies = q3.replace("id: q3", "id: q7") + q3.replace("id: q3", "id: q8")
    path.write_text(text[:end] + copies + text[end:], encoding="utf-8")
    found = [w for w in warnings_of(good_project) if "multiple-answer" in w]
    assert found == [f"{MOD}:88:1: warning: module 'sample': all 3 multiple-answer questions "
                     "have 2 right choices; vary the number so that it gives nothing away"]
    # Near miss: the third question keys its third choice too (2, 2 and 3 right choices).
    third = "      - text: {ar: إغلاق مخافر الشرطة, fr: La fermeture des commissariats}\n"
    varied = copies[:copies.rindex(third)] + third + "        correct: true\n" + \
        copies[copies.rindex(third) + len(third):]
    path.write_text(text[:end] + varied + text[end:], encoding="utf-8")
    assert [w for w in warnings_of(good_project) if "multiple-answer" in w] == []
