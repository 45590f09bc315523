"""Moodle XML and GIFT exports: well-formed, allowed grades only, escaped, honest."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from course.content.loader import load_project
from course.content.model import Question, QuizSettings
from course.quiz.scoring import multiple_fractions
from generators import get_exporter
from generators.lms.fractions import (
    ExportError,
    allowed_fraction,
    inline_html,
    multiple_weights,
    percent,
)
from generators.lms.gift import escape, gift
from generators.lms.moodle import moodle_xml

ROOT = Path(__file__).parent.parent
PROJECT, _ = load_project(Path(__file__).parent / "fixtures" / "good")
assert PROJECT is not None
MODULE = PROJECT.modules[0]
SAMPLE = MODULE.questions


def make(qid: str, qtype: str, **fields: object) -> Question:
    """A French question with the given fields."""
    return Question.model_validate({
        "id": qid, "type": qtype, "objective": "o1", "stem": {"fr": "?"},
        "explanation": {"fr": "."}, "source": [{"para": 1, "anchor": "x"}], **fields,
    })


def multiple(qid: str, right: int, wrong: int) -> Question:
    """A multiple-answer question with `right` right and `wrong` wrong choices."""
    return make(qid, "multiple", choices=[{"text": {"fr": str(i)}, "correct": i < right}
                                          for i in range(right + wrong)])


def questions_of(xml: str) -> list[ET.Element]:
    """The content questions of a Moodle XML file (categories left out)."""
    return [q for q in ET.fromstring(xml.encode()).iter("question") if q.get("type") != "category"]


def test_moodle_xml_of_the_sample() -> None:
    xml = moodle_xml([(MODULE.title["ar"], SAMPLE)], "ar", QuizSettings())
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    root = ET.fromstring(xml.encode())
    assert root.tag == "quiz"
    category = root.find("question[@type='category']/category/text")
    assert category is not None and category.text == "$course$/شرطة القرب منهجية عمل"
    found = questions_of(xml)
    assert [(q.get("type"), q.findtext("name/text")) for q in found] == [
        ("multichoice", "q1"), ("truefalse", "q2"), ("multichoice", "q3"),
        ("matching", "q4"), ("ordering", "q5"), ("shortanswer", "q6")]
    q1, q2, q3, q4, q5, q6 = found
    assert q1.findtext("questiontext/text") == '<div dir="rtl">ما شرطة القرب؟</div>'
    assert q1.findtext("defaultgrade") == "2"
    assert q1.findtext("single") == "true"
    assert q1.findtext("generalfeedback/text") == \
        '<div dir="rtl">شرطة القرب منهجية وطريقة عمل (الفقرة 8).</div>'
    assert q1.findtext("answer/feedback/text") == '<div dir="rtl">صحيح.</div>'
    assert [a.get("fraction") for a in q1.findall("answer")] == ["100", "0", "0", "0"]
    assert [a.findtext("text") for a in q2.findall("answer")] == ["true", "false"]
    assert [a.get("fraction") for a in q2.findall("answer")] == ["100", "0"]
    # Two right choices: 50 each; one wrong choice costs it all (rule "false": 1/1).
    assert q3.findtext("single") == "false"
    assert [a.get("fraction") for a in q3.findall("answer")] == ["50", "50", "-100"]
    assert [s.findtext("answer/text") for s in q4.findall("subquestion")] == \
        ["المعرفة الجيدة للميدان", "المزج بين الوقائي والزجري"]
    # qtype_ordering: answers in the right order, their positions as "fraction".
    assert [a.get("fraction") for a in q5.findall("answer")] == ["1", "2", "3"]
    assert q5.findtext("gradingtype") == "ABSOLUTE_POSITION"
    assert [a.findtext("text") for a in q6.findall("answer")] == ["الشعور بانعدام الأمن"]
    french = moodle_xml([("Module", SAMPLE)], "fr", QuizSettings(partial_ordering=False))
    assert questions_of(french)[0].findtext("questiontext/text") == \
        '<div dir="ltr">Qu\'est-ce que la police de proximité ?</div>'
    assert questions_of(french)[4].findtext("gradingtype") == "ALL_OR_NOTHING"


@pytest.mark.parametrize("rule", ["false", "false2", "all"])
def test_moodle_fractions_come_from_the_allowed_list(rule: str) -> None:
    questions = [multiple(f"m{r}{w}", r, w) for r in (1, 2, 3, 4, 5) for w in (1, 2, 3, 4)]
    xml = moodle_xml([("M", questions)], "fr",
                     QuizSettings(multiple_rule=rule, negative_single=0.5))  # type: ignore[arg-type]
    for q in questions_of(xml):
        for answer in q.findall("answer"):
            assert allowed_fraction(float(answer.get("fraction", "")) / 100) is not None
    by_name = {q.findtext("name/text"): q for q in questions_of(xml)}
    fractions = [a.get("fraction") for a in by_name["m32"].findall("answer")]
    wrong = {"false": "-50", "false2": "-50", "all": "-100"}[rule]
    assert fractions == ["33.33333"] * 3 + [wrong] * 2
    fractions = [a.get("fraction") for a in by_name["m13"].findall("answer")]
    assert fractions[1] == {"false": "-33.33333", "false2": "-33.33333", "all": "-100"}[rule]


@pytest.mark.parametrize("rule", ["false", "false2", "all"])
def test_moodle_grades_agree_with_paper_scoring(rule: str) -> None:
    settings = QuizSettings(multiple_rule=rule)  # type: ignore[arg-type]
    for right in (1, 2, 3, 4, 5):
        for wrong in (1, 2, 3, 4, 5):
            q = multiple("m", right, wrong)
            gain, cost = multiple_fractions(q, rule)
            assert multiple_weights(q, settings) == (pytest.approx(gain, abs=1e-5),
                                                      pytest.approx(-cost, abs=1e-5))


def test_grades_moodle_cannot_take_are_reported_not_rounded() -> None:
    bad = [multiple("eleven", 11, 1), multiple("wrong11", 1, 11), multiple("ok", 2, 2),
           make("neg", "single", choices=[{"text": {"fr": "a"}, "correct": True},
                                          {"text": {"fr": "b"}}])]
    settings = QuizSettings(negative_single=0.35)
    with pytest.raises(ExportError) as caught:
        moodle_xml([("M", bad)], "fr", settings)
    assert caught.value.problems == [
        "question 'eleven': each right choice would be 9.091 %, which Moodle does not allow; "
        "change the number of choices or the scoring rule",
        "question 'wrong11': each wrong choice would be -9.091 %, which Moodle does not allow;"
        " change the number of choices or the scoring rule",
        "question 'neg': a wrong answer (negative_single) would be -35 %, which Moodle does not"
        " allow; change the number of choices or the scoring rule",
    ]
    with pytest.raises(ExportError):
        gift([("M", bad)], "fr", settings)
    xml = moodle_xml([("M", bad[2:])], "fr", QuizSettings(negative_single=0.25))
    assert [a.get("fraction") for a in questions_of(xml)[1].findall("answer")] == ["100", "-25"]


def test_a_missing_translation_is_reported() -> None:
    with pytest.raises(ExportError) as caught:
        moodle_xml([("M", [make("q", "true_false", answer=True)])], "ar", QuizSettings())
    assert caught.value.problems == [
        "question 'q': the stem has no 'ar' text; translate it or export another language"]


def test_content_is_data_and_markdown_becomes_html() -> None:
    assert inline_html("**gras** et *italique* <b>x</b> & ]]>") == \
        "<strong>gras</strong> et <em>italique</em> &lt;b&gt;x&lt;/b&gt; &amp; ]]&gt;"
    q = make("q", "short", stem={"fr": "a ]]> b"}, accept=[{"fr": "**x** <y>"}])
    found = questions_of(moodle_xml([("A/B", [q])], "fr", QuizSettings()))[0]
    assert found.findtext("questiontext/text") == '<div dir="ltr">a ]]&gt; b</div>'
    assert found.findtext("answer/text") == "x <y>"  # plain-text field, XML-escaped
    root = ET.fromstring(moodle_xml([("A/B", [q])], "fr", QuizSettings()).encode())
    assert root.findtext("question/category/text") == "$course$/A//B"


def test_percent_text() -> None:
    assert [percent(f) for f in (1, 1 / 3, -0.125, 0.1428571, 0, -1)] == \
        ["100", "33.33333", "-12.5", "14.28571", "0", "-100"]


def test_gift_escapes_every_special_character() -> None:
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    q = make("id:1", "short", stem={"fr": "x = {y}"}, accept=[{"fr": "a~b=c#d{e}f:g\\h"}])
    text, warnings = gift([("Mod: 1", [q])], "fr", QuizSettings())
    assert text == (
        "// Mod: 1\n$CATEGORY: $course$/Mod: 1\n\n"
        "::id\\:1::[html]<div dir\\=\"ltr\">x \\= \\{y\\}</div>{\n"
        "\t=a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\n"
        "\t####<div dir\\=\"ltr\">.</div>\n}\n")
    assert warnings == []


def test_gift_of_the_sample() -> None:
    text, warnings = gift([(MODULE.title["fr"], SAMPLE)], "fr",
                          QuizSettings(partial_matching=False))
    assert "$CATEGORY: $course$/La police de proximité, une méthode de travail" in text
    # The ordering question in qtype_ordering's form: options, then the items in order.
    assert "::q5::[html]<div dir\\=\"ltr\">Rangez les mots dans l'ordre de la définition.</div>{\n" \
        "\t>3 ALL VERTICAL ABSOLUTE_POSITION SHOW abc\n\t<div dir=\"ltr\">Proximité</div>\n" \
        "\t<div dir=\"ltr\">Prévention</div>\n\t<div dir=\"ltr\">Partenariat</div>\n" in text
    assert "\t=<div dir\\=\"ltr\">Une méthode de travail</div>#<div dir\\=\"ltr\">Exact.</div>\n" \
        in text
    assert "::q2::[html]" in text and "\tTRUE\n" in text
    assert "\t=<div dir\\=\"ltr\">Objectif</div> -> Bien connaître le terrain\n" in text
    assert "\t~%50%<div dir\\=\"ltr\">Une bonne couverture de la ville</div>\n" in text
    assert "\t~%-100%<div dir\\=\"ltr\">La fermeture des commissariats</div>\n" in text
    assert "\t=Le sentiment d'insécurité\n" in text
    for weight in re.findall(r"%(-?[\d.]+)%", text):
        assert allowed_fraction(float(weight) / 100) is not None
    assert warnings == [
        "question 'q1' is worth 2 points but GIFT cannot say so; set its mark in the Moodle "
        "quiz",
        "question 'q4': Moodle gives partial marks to matching questions; partial_matching: "
        "false is not carried over",
    ]


def test_final_exam_names_say_module_and_id() -> None:
    # The final exam's one category draws q1 from two modules: Moodle needs distinct names.
    one, two = make("q1", "true_false", answer=True), make("q1", "true_false", answer=False)
    items = [("why-proximity", one), ("five-pillars", two), ("five-pillars", SAMPLE[1])]
    names = [q.findtext("name/text") for q in questions_of(
        moodle_xml([("Examen final", items)], "fr", QuizSettings()))]
    assert names == ["why-proximity/q1", "five-pillars/q1", "five-pillars/q2"]
    text, _ = gift([("Examen final", items[:2])], "fr", QuizSettings())
    assert re.findall(r"^::(.+?)::", text, re.M) == ["why-proximity/q1", "five-pillars/q1"]


def test_every_export_message_names_the_module() -> None:
    settings = QuizSettings(partial_matching=False, negative_single=0.5)
    items = [("five-pillars", q) for q in SAMPLE]
    _, warnings = gift([("M", items)], "fr", settings)
    assert warnings == [
        "question 'q1' of module 'five-pillars' is worth 2 points but GIFT cannot say so; set "
        "its mark in the Moodle quiz",
        "question 'q2' of module 'five-pillars': Moodle's true/false questions cannot take "
        "negative marks; negative_single applies on paper only",
        "question 'q4' of module 'five-pillars': Moodle gives partial marks to matching "
        "questions; partial_matching: false is not carried over"]
    _, notes = get_exporter("moodle")([("M", items)], "fr", settings)
    assert notes == warnings[1:]
    with pytest.raises(ExportError) as caught:
        moodle_xml([("M", [("civil-society", multiple("eleven", 11, 1))])], "ar", QuizSettings())
    assert caught.value.problems == [
        "question 'eleven' of module 'civil-society': the stem has no 'ar' text; translate it "
        "or export another language"]
