"""What the hostile sweep found in content and input files: each one located line now, with
a near miss that passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit

from course.cli import cli

MOD = "content/modules/sample.yaml"
COURSE = "content/course.yaml"


def check(project: Path, *extra: str) -> tuple[int, list[str]]:
    """`coursegen check`: exit status and the diagnostic lines (information lines dropped)."""
    result = CliRunner().invoke(cli, ["check", "--project", str(project), *extra])
    return result.exit_code, [line for line in result.stderr.splitlines()
                              if not line.startswith("module '")]


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    # pydantic reads true as 1 and false as 0: a module of one minute, a question of none.
    (MOD, "duration_minutes: 60\n", "duration_minutes: true\n",
     f"{MOD}:10:19: error: 'duration_minutes' must be a whole number, not true"),
    (MOD, "    points: 2\n", "    points: false\n",
     f"{MOD}:93:13: error: 'points' in question 'q1' must be a number, not false"),
    (COURSE, "  variants: 2", "  variants: true",
     f"{COURSE}:15:13: error: 'variants' must be a whole number, not true"),
    (MOD, "duration_minutes: 60\n", "duration_minutes: .inf\n",
     f"{MOD}:10:19: error: 'duration_minutes' must be a finite number, not inf"),
    # pydantic reads the text "yes" (or "1", "off") as a flag: only true and false are.
    (MOD, "        correct: true\n", '        correct: "yes"\n',
     f"{MOD}:99:18: error: 'correct' in choice 1 of question 'q1' must be true or false, "
     "not 'yes'"),
    # Ids that look like others, or turn the text around them right to left.
    (MOD, "  - id: q1\n", '  - id: "q\\u202b1"\n',
     f"{MOD}:89:9: error: 'id' in question 1: an id cannot hold U+202B (right-to-left "
     "embedding), which is invisible; remove it"),
    # An override is refused wherever it is, ids included, as the file is read.
    (MOD, "  - id: q1\n", '  - id: "q\\u202e1"\n',
     f"{MOD}:89:11: error: text contains U+202E (right-to-left override), which reverses "
     "what is printed; remove it (coursegen sets each line's direction itself)"),
    (MOD, "  - id: o2\n", '  - id: "o\\u200b2"\n',
     f"{MOD}:19:9: error: 'id' in objective 2: an id cannot hold U+200B (zero width space), "
     "which is invisible; remove it"),
    (MOD, "  - id: q1\n", '  - id: "q 1"\n',
     f"{MOD}:89:9: error: 'id' in question 1: an id cannot hold spaces ('q 1'); join its "
     "words with '-' or '_'"),
])
def test_values_that_would_be_misread_are_located(good_project: Path, file: str, old: str,
                                                  new: str, expected: str) -> None:
    edit(good_project / file, old, new)
    status, lines = check(good_project)
    assert (status, lines[0]) == (1, expected)
    assert len(lines) == 2 or "objective" in lines[1] or "question" in lines[1], lines


def test_near_misses_of_misread_values_pass(good_project: Path) -> None:
    # An Arabic id, a whole number written as one, a joined id.
    edit(good_project / MOD, "  - id: q1\n", "  - id: سؤال-1\n")
    edit(good_project / MOD, "    points: 2\n", "    points: 2.0\n")
    assert check(good_project) == (0, ["0 errors, 0 warnings"])


def test_a_second_yaml_document_says_what_to_do(good_project: Path) -> None:
    text = (good_project / MOD).read_text(encoding="utf-8")
    (good_project / MOD).write_text(text + "---\nid: again\n", encoding="utf-8")
    assert check(good_project) == (1, [
        f"{MOD}:183:1: error: a second YAML document starts here ('---'), but a course file "
        "holds one; remove it, or move it to a file of its own", "1 error, 0 warnings"])


def test_a_document_start_marker_alone_is_one_document(good_project: Path) -> None:
    text = (good_project / MOD).read_text(encoding="utf-8")
    (good_project / MOD).write_text("---\n" + text + "...\n", encoding="utf-8")
    assert check(good_project) == (0, ["0 errors, 0 warnings"])


def test_a_source_text_that_is_not_utf8_is_located_in_it(good_project: Path,
                                                         tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_bytes("سطر أول\n".encode() + b"ok \xff\n")
    assert check(good_project, "--source-text", str(report)) == (1, [
        f"{report}:2:4: error: the report's text is not UTF-8 text; save it with UTF-8 "
        "encoding", "1 error, 0 warnings"])


def test_an_empty_source_text_says_it_has_no_paragraphs(good_project: Path,
                                                        tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_bytes(b"\n\n")
    status, lines = check(good_project, "--source-text", str(report))
    assert (status, lines[0]) == (1, f"{MOD}:40:24: error: paragraph 8 is out of range; the "
                                     "report has no paragraphs (its file is empty): check "
                                     "the file given")


def test_a_source_text_with_a_byte_order_mark_is_read(good_project: Path,
                                                      tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_745ddb9ae81f7e41.txt"
    if not seed.is_file():
        pytest.skip("the seminar report is absent")
    report = tmp_path / "report.txt"
    report.write_bytes(b"\xef\xbb\xbf" + seed.read_bytes())
    assert check(good_project, "--source-text", str(report)) == (0, ["0 errors, 0 warnings"])


def second_module(project: Path, old: str = "", new: str = "") -> None:
    """A second module, a copy of the sample (its question ids the same), listed second."""
    text = (project / MOD).read_text(encoding="utf-8").replace("id: sample\n", "id: second\n", 1)
    (project / "content/modules/second.yaml").write_text(text.replace(old, new),
                                                         encoding="utf-8")
    edit(project / COURSE, "modules: [sample]", "modules: [sample, second]")


def test_a_glossary_term_spelled_two_ways_is_said(good_project: Path) -> None:
    second_module(good_project, "      ar: الإنتاج المشترك للأمن\n      fr: Coproduction de la "
                  "sécurité", "      ar: الانتاج المشترك للامن\n      fr: coproduction de la "
                  "securite")
    assert check(good_project) == (0, [
        "content/modules/second.yaml:60:11: warning: glossary term 'الانتاج المشترك للامن' is "
        "spelled 'الإنتاج المشترك للأمن' in module 'sample'; spell it one way, or the course "
        "glossary lists it twice",
        "content/modules/second.yaml:61:11: warning: glossary term 'coproduction de la "
        "securite' is spelled 'Coproduction de la sécurité' in module 'sample'; spell it one "
        "way, or the course glossary lists it twice", "0 errors, 2 warnings"])


def test_a_glossary_term_and_question_ids_shared_alike_pass(good_project: Path) -> None:
    second_module(good_project)
    assert check(good_project) == (0, ["0 errors, 0 warnings"])


def test_a_text_in_a_language_the_course_lacks_is_said(good_project: Path) -> None:
    edit(good_project / MOD, "      fr: Définition\n", "      fr: Définition\n      en: Definition\n")
    assert check(good_project) == (0, [
        f"{MOD}:28:7: warning: text in English ('en'), which the course is not written in: it "
        "is never printed; add en to the course's languages or remove it",
        "0 errors, 1 warning"])


BODY = "        ترتكز على القرب"


def table(columns: int, indent: str = "") -> str:
    """A Markdown table of one header row, its delimiter and one row."""
    row = "| " + " | ".join(f"c{i}" for i in range(columns)) + " |"
    return f"{indent}{row}\n{indent}{'|' + '---|' * columns}\n{indent}{row}\n"


def test_a_table_wider_than_a_page_is_refused_where_it_is_written(good_project: Path) -> None:
    # 200 columns left each one less than its padding: the PDF writer failed.
    edit(good_project / MOD, BODY, "\n" + table(200, "        ") + "\n" + BODY)
    expected = [f"{MOD}:33:9: error: section 'definition' body: a table of 200 columns cannot "
                "fit a page (at most 20); split it into narrower tables", "1 error, 0 warnings"]
    assert check(good_project) == (1, expected)
    built = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--jobs", "1"])
    assert (built.exit_code, built.stderr.splitlines()) == (1, expected)
    assert not (good_project / "output").exists()


def test_a_template_table_wider_than_a_page_is_located_in_the_template(good_project: Path
                                                                       ) -> None:
    from test_hostile_templates import HANDOUT, run, with_templates

    with_templates(good_project, {"handout.md.j2": "# x\n\n" + table(21)})
    assert run("check", good_project) == (1, [
        f"{HANDOUT}:3:1: error: a table of 21 columns cannot fit a page (at most 20); split it "
        "into narrower tables; the templates' Markdown cannot print it: change the template",
        "1 error, 0 warnings"])


def test_a_table_of_twenty_columns_builds(good_project: Path) -> None:
    edit(good_project / MOD, BODY, "\n" + table(20, "        ") + "\n" + BODY)
    built = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--jobs", "1",
                                     "--only", "handout", "--format", "pdf,docx"])
    assert built.exit_code == 0, built.stderr


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    (COURSE, "languages: [ar, fr]", "languages: [ar, ar, fr]",
     f"{COURSE}:11:12: error: 'languages': 'ar' is listed twice; list each one once"),
    (MOD, "languages: [ar, fr]", "languages: [ar, fr, fr]",
     f"{MOD}:3:12: error: 'languages': 'fr' is listed twice; list each one once"),
])
def test_a_language_listed_twice_is_refused(good_project: Path, file: str, old: str, new: str,
                                            expected: str) -> None:
    edit(good_project / file, old, new)
    assert check(good_project) == (1, [expected, "1 error, 0 warnings"])


def test_a_module_in_one_language_of_two_passes(good_project: Path) -> None:
    edit(good_project / MOD, "languages: [ar, fr]", "languages: [fr, ar]")
    assert check(good_project) == (0, ["0 errors, 0 warnings"])


LABELS = "my-templates/labels.yaml"


@pytest.mark.parametrize(("labels", "expected"), [
    ("fr:\n  letters: [a, a, b, c]\n",
     [f"{LABELS}:2:12: error: label 'letters' has 'a' twice, so two choices would print the "
      "same letter; give each letter once", "1 error, 0 warnings"]),
    ("fr:\n  quizz: Q\n",
     [f"{LABELS}:2:3: warning: label 'quizz' is not a shipped label, so it replaces none; did "
      "you mean 'quiz'?", "0 errors, 1 warning"]),
])
def test_labels_that_would_mislead_are_said(good_project: Path, labels: str,
                                            expected: list[str]) -> None:
    from test_hostile_templates import with_templates

    with_templates(good_project, {"labels.yaml": labels})
    assert check(good_project)[1] == expected


def test_own_letters_are_completed_without_repeating_one(good_project: Path) -> None:
    from test_hostile_templates import with_templates

    from course.content.loader import load_project
    from course.render.renderer import Renderer

    # A label of one's own (for one's own templates) is no typo: nothing is said.
    with_templates(good_project, {"labels.yaml": "fr:\n  letters: [x, y]\n  my_note: Note\n"})
    assert check(good_project) == (0, ["0 errors, 0 warnings"])
    project, _ = load_project(good_project)
    assert project is not None
    letters = Renderer(project).labels["fr"]["letters"]
    assert letters[:4] == ["x", "y", "c", "d"] and letters[-3:] == ["z", "a", "b"]
    assert len(letters) == len(set(letters)) == 26


def png(width: int, height: int, rows: bytes | None = None) -> bytes:
    """A PNG of `width` x `height` grey pixels (its rows given, or made)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    if rows is None:
        rows = zlib.compress(b"".join(b"\0" + b"\x80" * (3 * width) for _ in range(height)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) +
            chunk(b"IEND", b""))


def enormous_png() -> bytes:
    """30,000 x 30,000 pixels in a few hundred kilobytes: rows of zeros compress away."""
    import zlib

    packer = zlib.compressobj(9)
    row = b"\0" * (1 + 3 * 30_000)
    return png(30_000, 30_000, b"".join(packer.compress(row) for _ in range(30_000))
               + packer.flush())


LOGO_AT = f"{COURSE}:20:9: error: 'logo.png' "


@pytest.mark.parametrize(("data", "message"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(200)),
     "is a damaged image that cannot be read; save or export it again"),
    (png(40, 40)[:70], "is a damaged image that cannot be read; save or export it again"),
    (None, "is too large for a logo (more than 25,000,000 pixels once decoded); scale it "
     "down to a few hundred pixels wide"),
], ids=["damaged", "cut-short", "enormous"])
def test_a_logo_the_writers_cannot_draw_is_refused_by_check(good_project: Path,
                                                            data: bytes | None,
                                                            message: str) -> None:
    # check passed these (a PNG's first bytes), and build failed in the writers.
    (good_project / "logo.png").write_bytes(enormous_png() if data is None else data)
    edit(good_project / COURSE, "theme:\n", "theme:\n  logo: logo.png\n")
    assert check(good_project) == (1, [LOGO_AT + message, "1 error, 0 warnings"])


def test_a_sound_logo_builds(good_project: Path) -> None:
    (good_project / "logo.png").write_bytes(png(300, 80))
    edit(good_project / COURSE, "theme:\n", "theme:\n  logo: logo.png\n")
    assert check(good_project) == (0, ["0 errors, 0 warnings"])
    built = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--jobs", "1",
                                     "--only", "course-pack", "--format", "pdf", "--lang", "ar"])
    assert built.exit_code == 0, built.stderr


def test_a_template_linked_out_of_its_folder_is_refused(good_project: Path) -> None:
    from test_hostile_templates import run, with_templates

    secret = good_project.parent / "secret.txt"
    secret.write_text("SECRET\n", encoding="utf-8")
    with_templates(good_project, {"handout.md.j2": "# x\n\n{% include 'part.md.j2' %}\n",
                                  "real.md.j2": "ok\n"})
    (good_project / "my-templates/part.md.j2").symlink_to(secret)
    assert run("check", good_project) == (1, [
        "my-templates/part.md.j2:1:1: error: template is a link to a file outside its "
        "templates folder; copy the file itself into the folder", "1 error, 0 warnings"])
    # A link within the folder is the file it names.
    (good_project / "my-templates/part.md.j2").unlink()
    (good_project / "my-templates/part.md.j2").symlink_to("real.md.j2")
    assert run("check", good_project) == (0, ["0 errors, 0 warnings"])


@pytest.mark.parametrize("kind", ["zip-of-other-files", "damaged-zip", "real-docx"])
def test_a_reference_document_is_opened_by_check(good_project: Path, kind: str) -> None:
    import zipfile

    import docx

    ref = good_project / "ref.docx"
    if kind == "zip-of-other-files":  # check passed it (it starts PK), and build failed
        with zipfile.ZipFile(ref, "w") as package:
            package.writestr("hello.txt", "hi")
    elif kind == "damaged-zip":
        ref.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    else:
        docx.Document().save(str(ref))
    edit(good_project / COURSE, "theme:\n", "theme:\n  reference_docx: ref.docx\n")
    if kind == "real-docx":
        assert check(good_project) == (0, ["0 errors, 0 warnings"])
    else:
        assert check(good_project) == (1, [
            f"{COURSE}:20:19: error: 'ref.docx' is not a .docx file; save the reference "
            "document as Word (.docx)", "1 error, 0 warnings"])


def test_a_folder_without_a_course_says_so(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    assert check(tmp_path) == (1, [
        f"content/course.yaml:1:1: error: '{tmp_path}' holds no content/course.yaml, so it is "
        "no course folder; run coursegen in the course's folder, or give it with --project",
        "1 error, 0 warnings"])


def test_a_course_yaml_that_is_a_folder_is_no_missing_file(good_project: Path) -> None:
    (good_project / COURSE).unlink()
    (good_project / COURSE).mkdir()
    assert check(good_project) == (1, [
        f"{COURSE}:1:1: error: {COURSE} is a folder, not a regular file; replace it with a "
        "YAML file", "1 error, 0 warnings"])
