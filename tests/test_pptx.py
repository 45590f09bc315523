"""Slide decks: read back with python-pptx, measured with the font, RTL XML, templates, bytes."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, edit
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from course.build.pipeline import build
from course.build.plan import Options, plan_jobs
from course.cli import cli
from course.content.loader import load_project
from course.document import Slide, plain_text
from course.render.assemble import Assembler
from generators.pptx.layout import Para, Run, line_count

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PPTX = Options(formats=["pptx"])
CONTINUED = re.compile(r"^(.*) \((\d+)/(\d+)\)$")
MOD = "content/modules/sample.yaml"
KEY_POINT = """      - text:
          ar: مرتكزاتها القرب والوقاية والشراكة.
          fr: Ses piliers sont la proximité, la prévention et le partenariat.
        source: {para: 8, anchor: "القرب والوقاية والشراكة مع الفاعلين الأساسيين"}
"""


def long_lists(project: Path) -> None:
    """Twelve key points in the first section, and a 40-sentence one in the second."""
    path = project / MOD
    text = path.read_text(encoding="utf-8")
    first = text.index(KEY_POINT)
    text = text[:first] + KEY_POINT * 12 + text[first + len(KEY_POINT):]
    path.write_text(text, encoding="utf-8")
    edit(path, "          ar: من طرق عملها المزج بين الوقائي والزجري.",
         "          ar: " + " ".join(["من طرق عملها المزج بين الوقائي والزجري."] * 40))
    edit(path, "          fr: Parmi ses méthodes, allier prévention et répression.",
         "          fr: " + " ".join(["Parmi ses méthodes, allier prévention et répression."] * 40))


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good fixture, with long bullet lists, built as decks only."""
    project = tmp_path_factory.mktemp("decks") / "project"
    shutil.copytree(FIXTURES / "good", project)
    long_lists(project)
    build(project, project / "output", PPTX, jobs=1)
    return project


def outline(project: Path, lang: str) -> tuple:
    """The slides document of the sample module in one language."""
    loaded, _ = load_project(project)
    assert loaded is not None
    return Assembler(loaded).module_document("slides", lang, loaded.modules[0])


def paragraphs_text(frame) -> list[str]:  # noqa: ANN001 - a python-pptx text frame
    return [p.text for p in frame.paragraphs]


def body_of(slide):  # noqa: ANN001, ANN201 - python-pptx objects
    return next((s for s in slide.placeholders if s.placeholder_format.type in (
        PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)), None)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_deck_holds_the_outline(decks: Path, lang: str) -> None:
    document = outline(decks, lang)
    slides = [b for b in document.blocks if isinstance(b, Slide)]
    deck = Presentation(str(decks / "output" / lang / "sample" / "slides.pptx"))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)  # 16:9
    # Outline slides continued over several deck slides are joined back by their title.
    groups: list[tuple[str, list[str], list[str], int]] = []
    for slide in list(deck.slides)[1:]:
        title = slide.shapes.title.text_frame.text
        match = CONTINUED.match(title)
        base, part, count = (match.group(1), int(match.group(2)), int(match.group(3))) \
            if match else (title, 1, 1)
        body = body_of(slide)
        bullets = paragraphs_text(body.text_frame) if body is not None else []
        notes = paragraphs_text(slide.notes_slide.notes_text_frame) \
            if slide.has_notes_slide else []
        if part == 1:
            groups.append((base, bullets, notes, count))
        else:
            assert groups[-1][0] == base and groups[-1][3] == count
            assert notes == groups[-1][2]  # every part carries the notes
            previous = groups[-1][1]
            for text in bullets:  # a bullet cut in two continues without a glyph
                previous.append(text)
    assert [g[0] for g in groups] == [plain_text(s.title) for s in slides]
    for (title, bullets, notes, _), slide in zip(groups, slides, strict=True):
        assert " ".join(bullets) == " ".join(plain_text(b) for b in slide.bullets), title
        assert notes == [plain_text(n) for n in slide.notes], title
    assert sum(g[3] for g in groups) == len(deck.slides) - 1
    # The objectives fit one slide; the two long lists were continued.
    assert groups[0][3] == 1 and groups[1][3] > 1 and groups[2][3] > 1


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_title_slide(decks: Path, lang: str) -> None:
    document = outline(decks, lang)
    meta = document.meta
    cover = Presentation(str(decks / "output" / lang / "sample" / "slides.pptx")).slides[0]
    assert cover.shapes.title.text_frame.text == meta.module
    subtitle = next(s for s in cover.placeholders
                    if s.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE)
    version, date = {"ar": ("الإصدار", "التاريخ"), "fr": ("Version", "Date")}[lang]
    assert paragraphs_text(subtitle.text_frame) == [
        meta.course, meta.organisation, f"{version} 1.0", f"{date} 2026-11-29"]
    lead = {"ar": "ما شرطة القرب، وما أهدافها، وكيف تعمل.",
            "fr": "Ce qu'est la police de proximité, ses objectifs et ses méthodes."}[lang]
    assert paragraphs_text(cover.notes_slide.notes_text_frame) == [lead]


def deck_paragraphs(path: Path) -> list[ElementTree.Element]:
    """Every a:p of the slides and their notes pages."""
    found = []
    with zipfile.ZipFile(path) as package:
        for name in sorted(package.namelist()):
            if re.match(r"ppt/(slides|notesSlides)/\w+\.xml$", name):
                root = ElementTree.fromstring(package.read(name))
                found += [p for p in root.iter(f"{A}p") if p.find(f"{A}r") is not None]
    return found


@pytest.mark.parametrize("lang,rtl,aligns,tag", [("ar", "1", {"r", "ctr"}, "ar-MA"),
                                                 ("fr", "0", {"l", "ctr"}, "fr-FR")])
def test_direction_language_and_fonts_on_every_paragraph_and_run(
        decks: Path, lang: str, rtl: str, aligns: set[str], tag: str) -> None:
    path = decks / "output" / lang / "sample" / "slides.pptx"
    paragraphs = deck_paragraphs(path)
    # At least a title and a note on every slide: none was skipped.
    assert len(paragraphs) >= 2 * len(Presentation(str(path)).slides)
    for p in paragraphs:
        ppr = p.find(f"{A}pPr")
        assert ppr.get("rtl") == rtl and ppr.get("algn") in aligns, ElementTree.tostring(p)
        for rpr in p.iter(f"{A}rPr"):
            assert rpr.get("lang") == tag
            assert rpr.find(f"{A}latin").get("typeface") == "Amiri"
            assert rpr.find(f"{A}cs").get("typeface") == "Amiri"
    bullets = [p for p in paragraphs if p.find(f"{A}pPr/{A}buChar") is not None]
    assert bullets and all(p.find(f"{A}pPr").get("marL") == "342900" and
                           p.find(f"{A}pPr").get("indent") == "-342900" for p in bullets)


def measured_overflow(path: Path) -> list[tuple[int, str, float, float, float]]:
    """(slide, text, smallest size, height, room) of every text frame, measured from the file."""
    found = []
    for number, slide in enumerate(Presentation(str(path)).slides, start=1):
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            body = shape.text_frame._txBody.find(f"{A}bodyPr")
            insets = [int(body.get(k)) / 12700 for k in ("lIns", "tIns", "rIns", "bIns")]
            height, sizes = 0.0, []
            for p in shape.text_frame._txBody.iter(f"{A}p"):
                ppr = p.find(f"{A}pPr")
                runs = [(r.find(f"{A}t").text, r.find(f"{A}rPr")) for r in p.iter(f"{A}r")]
                size = int(runs[0][1].get("sz")) / 100 if runs else 0
                sizes.append(size)
                width = shape.width / 12700 - insets[0] - insets[2] - int(ppr.get("marL")) / 12700
                para = Para(tuple(Run(t, rpr.get("b") == "1", rpr.get("i") == "1")
                                  for t, rpr in runs))
                spacing = int(ppr.find(f"{A}lnSpc/{A}spcPct").get("val")) / 100000
                lines = line_count(para, width, size, "Amiri")
                height += lines * 1.2 * spacing * size
                height += int(ppr.find(f"{A}spcBef/{A}spcPts").get("val")) / 100
            room = shape.height / 12700 - insets[1] - insets[3]
            found.append((number, shape.text_frame.text[:30], min(sizes), height, room))
    return found


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_no_frame_overflows_and_bullets_stay_readable(decks: Path, lang: str) -> None:
    frames = measured_overflow(decks / "output" / lang / "sample" / "slides.pptx")
    deck = Presentation(str(decks / "output" / lang / "sample" / "slides.pptx"))
    assert len(frames) > len(deck.slides)  # every title, and the bodies besides
    assert [f for f in frames if f[3] > f[4]] == []
    sizes = {r.font.size.pt for s in list(deck.slides)[1:] if body_of(s) is not None
             for p in body_of(s).text_frame.paragraphs for r in p.runs}
    assert min(sizes) >= 24


def test_same_bytes_twice_and_fixed_zip_dates(decks: Path, tmp_path: Path) -> None:
    from generators import get_writer

    document = outline(decks, "ar")
    first, second = tmp_path / "a.pptx", tmp_path / "b.pptx"
    get_writer("pptx").write(document, first)
    get_writer("pptx").write(document, second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == (decks / "output" / "ar" / "sample" / "slides.pptx").read_bytes()
    dates = {info.date_time for info in zipfile.ZipFile(first).infolist()}
    assert dates == {(2026, 11, 29, 0, 0, 0)}
    core = Presentation(str(first)).core_properties
    assert (core.title, core.language, core.revision) == ("شرطة القرب منهجية عمل", "ar-MA", 1)


def test_plan_makes_decks_for_slides_only(good_project: Path) -> None:
    loaded, _ = load_project(good_project)
    assert loaded is not None
    assert sorted(j.relpath() for j in plan_jobs(loaded, PPTX)) == [
        "ar/sample/slides.pptx", "fr/sample/slides.pptx"]
    every = plan_jobs(loaded, Options())
    assert {j.kind for j in every if j.fmt == "pptx"} == {"slides"}
    assert len([j for j in every if j.fmt != "pptx"]) == 68


def test_no_op_build_takes_the_quick_path(good_project: Path) -> None:
    import json

    # One language and one quiz version keep this full build short.
    edit(good_project / "content" / "course.yaml", "languages: [ar, fr]", "languages: [ar]")
    edit(good_project / "content" / "course.yaml", "variants: 2", "variants: 1")
    edit(good_project / MOD, "languages: [ar, fr]", "languages: [ar]")
    out = good_project / "output"
    options = Options(kinds=None)
    build(good_project, out, options, jobs=1)
    record = json.loads((out / ".coursegen-build.json").read_text(encoding="utf-8"))
    assert record["quick"] != ""
    assert "ar/sample/slides.pptx" in record["outputs"]
    again = build(good_project, out, options, jobs=1)
    assert again.built == [] and "ar/sample/slides.pptx" in again.unchanged


def make_template(path: Path, names: dict[str, str], drop: tuple[str, ...] = (),
                  potx: bool = False) -> None:
    """python-pptx's default template with renamed layouts, some removed, saved as given."""
    deck = Presentation()
    for layout in list(deck.slide_layouts):
        if layout.name in drop:
            deck.slide_layouts.remove(layout)
        elif layout.name in names:
            layout.name = names[layout.name]
    deck.save(str(path))
    if potx:  # the same package typed as a template (.potx)
        data = zipfile.ZipFile(path)
        files = {n: data.read(n) for n in data.namelist()}
        files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
            b"presentation.main+xml", b"template.main+xml")
        with zipfile.ZipFile(path, "w") as out:
            for name, body in files.items():
                out.writestr(name, body)


def use_template(project: Path, name: str) -> None:
    edit(project / "content" / "course.yaml", "  paper: A4", f"  paper: A4\n  reference_pptx: {name}")


@pytest.mark.parametrize("potx", [False, True])
def test_template_with_translated_layout_names(good_project: Path, potx: bool) -> None:
    names = {"Title Slide": "Diapositive de titre", "Title and Content": "عنوان ومحتوى",
             "Section Header": "En-tête de section", "Two Content": "Deux contenus"}
    make_template(good_project / "academy.pptx", names, potx=potx)
    use_template(good_project, "academy.pptx")
    result = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--format",
                                      "pptx", "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    deck = Presentation(str(good_project / "output" / "ar" / "sample" / "slides.pptx"))
    layouts = [s.slide_layout.name for s in deck.slides]
    assert layouts == ["Diapositive de titre"] + ["عنوان ومحتوى"] * (len(layouts) - 1)
    assert deck.slide_width == 9144000  # the template's own size is kept
    frames = measured_overflow(good_project / "output" / "ar" / "sample" / "slides.pptx")
    assert [f for f in frames if f[3] > f[4]] == []


def test_editing_the_template_rebuilds_the_decks_only(good_project: Path) -> None:
    make_template(good_project / "academy.pptx", {"Title and Content": "Titre et contenu"})
    use_template(good_project, "academy.pptx")
    out = good_project / "output"
    both = Options(formats=["pptx", "docx"], kinds=["slides"])
    first = build(good_project, out, both, jobs=1)
    assert sorted(first.built) == ["ar/sample/slides.docx", "ar/sample/slides.pptx",
                                   "fr/sample/slides.docx", "fr/sample/slides.pptx"]
    make_template(good_project / "academy.pptx", {"Title and Content": "Contenu"})
    again = build(good_project, out, both, clean=True, jobs=1)
    assert sorted(again.built) == ["ar/sample/slides.pptx", "fr/sample/slides.pptx"]
    assert again.removed == []  # --clean knows the decks
    deck = Presentation(str(out / "fr" / "sample" / "slides.pptx"))
    assert deck.slides[1].slide_layout.name == "Contenu"


PPTX_ERRORS = [
    ("missing", None, "'academy.pptx' does not exist in the project; check the path"),
    ("not-a-deck", b"PK\x03\x04 not really a zip",
     "'academy.pptx' is not a PowerPoint presentation; save the template as PowerPoint "
     "(.pptx or .potx)"),
    ("text-file", b"hello", "'academy.pptx' is not a PowerPoint presentation; save the "
     "template as PowerPoint (.pptx or .potx)"),
    ("no-layout", "drop", "'academy.pptx' has no slide layout with a title and one body "
     "placeholder; add a 'Title and Content' layout to its slide master"),
]


@pytest.mark.parametrize("case,content,message", PPTX_ERRORS, ids=[c[0] for c in PPTX_ERRORS])
def test_reference_pptx_errors_are_located(good_project: Path, case: str,
                                           content: bytes | str | None, message: str) -> None:
    target = good_project / "academy.pptx"
    if content == "drop":
        make_template(target, {}, drop=("Title and Content", "Title and Vertical Text",
                                        "Content with Caption", "Title Only", "Two Content",
                                        "Comparison", "Section Header",
                                        "Picture with Caption"))
    elif content is not None:
        target.write_bytes(content)
    use_template(good_project, "academy.pptx")
    result = CliRunner().invoke(cli, ["check", "--project", str(good_project)])
    assert result.exit_code == 1
    assert f"content/course.yaml:25:19: error: {message}" in result.stderr.splitlines()


# --- LibreOffice: word order and placement of the rendered deck ----------------------

SOFFICE = shutil.which("soffice")
RTL_CHECK = ROOT.parent / "shared" / "tools" / "rtl_check.py"


def fontconfig(folder: Path) -> Path:
    """A fontconfig file that adds the Amiri wheel's folder to the system's fonts."""
    import fontpkg

    fonts = {str(Path(f.path).parent) for f in fontpkg.family("Amiri").files}
    conf = folder / "fonts.conf"
    dirs = "".join(f"<dir>{d}</dir>" for d in sorted(fonts))
    conf.write_text(f'<?xml version="1.0"?><fontconfig><include ignore_missing="yes">'
                    f'/etc/fonts/fonts.conf</include>{dirs}<cachedir>{folder / "cache"}'
                    f'</cachedir></fontconfig>', encoding="utf-8")
    return conf


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                    "apt-get install libreoffice-impress to run the rendered-deck check")
@pytest.mark.skipif(not RTL_CHECK.is_file(), reason="shared/tools/rtl_check.py is absent")
def test_libreoffice_renders_the_arabic_deck_in_order(decks: Path, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("rtl_check", RTL_CHECK)
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    deck = decks / "output" / "ar" / "sample" / "slides.pptx"
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(tmp_path))}
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=300, env=env)
    pdf = tmp_path / "slides.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Amiri" in fonts
    sources = [str(decks / MOD), str(decks / "content" / "course.yaml"),
               str(ROOT / "templates" / "labels.yaml")]
    seqs, vocab = check.source_sequences(sources)
    latin = check.source_latin(sources)
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    x = "{http://www.w3.org/1999/xhtml}"
    counts = {"ok": 0, "reversed": 0, "unknown": 0}
    bad, stray, outside, pages = 0, 0, [], 0
    for page in root.iter(f"{x}page"):
        pages += 1
        width, height = float(page.get("width")), float(page.get("height"))
        for line in page.iter(f"{x}line"):
            words = [(float(w.get("xMin")), float(w.get("xMax")), float(w.get("yMin")),
                      float(w.get("yMax")), w.text or "") for w in line.iter(f"{x}word")]
            outside += [w[4] for w in words if w[0] < 0 or w[1] > width or w[2] < 0
                        or w[3] > height]
            bad += sum(1 for w in words if check.BAD_CODEPOINT.search(w[4]))
            rtl = [check.logical(w[4], vocab, True) for w in sorted(words, key=lambda w: -w[1])]
            rtl = [w for w in rtl if w]
            if rtl:
                stray += sum(1 for w in words if check.stray(w[4], latin))
            if len(rtl) < 3:
                continue
            forward, backward = f" {' '.join(rtl)} ", f" {' '.join(reversed(rtl))} "
            verdict = "ok" if any(forward in s for s in seqs) else \
                "reversed" if any(backward in s for s in seqs) else "unknown"
            counts[verdict] += 1
    assert pages == len(Presentation(str(deck)).slides)
    assert (counts["reversed"], bad, stray, outside) == (0, 0, 0, [])
    assert counts["ok"] >= 20 and counts["ok"] >= 4 * counts["unknown"], counts
