"""Front matter: title block, cover page, and a pre-filled, updatable table of contents."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml.etree import _Element

from course.document import Cover, Document, TableOfContents
from course.errors import WriterError
from generators.docx.flow import Anchors, BlockRenderer, Flow, collect_anchors
from generators.docx.oxml import (
    break_run,
    clean_text,
    drop,
    el,
    field_runs,
    internal_link,
    props,
    set_bidi,
    set_rtl,
    tab_run,
    text_run,
)

LOGO_WIDTH = Cm(4)
TITLE_LOGO_HEIGHT = Cm(1.6)


def anchors_for(document: Document) -> Anchors:
    """Bookmark names of every heading of the document."""
    return collect_anchors(document.blocks)


def title_block(renderer: BlockRenderer) -> None:
    """Logo, organisation, course, title, module and version/date lines on the first page."""
    doc = renderer.document
    meta = doc.meta
    flow = renderer.body
    if doc.theme.logo:
        run = flow.paragraph("Title Meta").add_run()
        try:
            run.add_picture(str(Path(doc.theme.logo)), height=TITLE_LOGO_HEIGHT)
        except (OSError, UnrecognizedImageError, ValueError) as exc:
            raise WriterError(f"cannot read logo image '{doc.theme.logo}': {exc}") from None
    if meta.organisation:
        flow.paragraph("Title Meta")._p.append(text_run(meta.organisation))
    if meta.course:
        flow.paragraph("Subtitle")._p.append(text_run(meta.course))
    if doc.title:
        flow.paragraph("Title")._p.append(text_run(doc.title))
    if meta.module and meta.module != doc.title:
        flow.paragraph("Subtitle")._p.append(text_run(meta.module))
    lines = meta.title_lines or tuple(x for x in (meta.version, meta.date) if x)
    # One line each: a kind label and a date joined on one line would read as neither.
    for line in lines:
        flow.paragraph("Title Meta")._p.append(text_run(line))


def cover(renderer: BlockRenderer, flow: Flow, block: Cover) -> None:
    """Optional logo, big title, the lines under it, then a page break."""
    logo = block.logo or renderer.document.theme.logo
    if logo:
        run = flow.paragraph("Cover Line").add_run()
        try:
            run.add_picture(str(Path(logo)), width=LOGO_WIDTH)
        except (OSError, UnrecognizedImageError, ValueError) as exc:
            raise WriterError(f"cannot read logo image '{logo}': {exc}") from None
    renderer.inline.fill(flow.paragraph("Cover Title"), block.title)
    for line in block.lines:
        renderer.inline.fill(flow.paragraph("Cover Line"), line)
    flow.paragraph("Cover Line")._p.append(break_run("page"))


def table_of_contents(renderer: BlockRenderer, flow: Flow, block: TableOfContents) -> None:
    """Title, then one linked entry per heading up to `depth`, its page a PAGEREF field.

    The entries are not wrapped in a TOC field: LibreOffice shows a TOC field's stored
    result until Tools > Update, so its PDFs printed the contents without page numbers,
    while a PAGEREF outside one it computes from its own layout. Word refreshes every
    PAGEREF on opening (w:updateFields). The contents end their page.
    """
    depth = min(max(block.depth, 1), 3)
    if block.title:
        renderer.inline.fill(flow.paragraph("TOC Heading"), block.title)
    entries = [e for e in renderer.anchors.entries if e[0] <= depth]
    if not entries:  # an empty TOC field: Word fills it in when asked to
        begin, instr, separate, _result, end = field_runs(f'TOC \\o "1-{depth}" \\h \\z \\u', "")
        flow.paragraph("toc 1")._p.extend([begin, instr, separate, end])
    made: dict[int, _Element] = {}  # level -> an entry, the pattern of the others
    last: _Element | None = None
    for level, text, name in entries:
        simple = bool(clean_text(text)) and "\n" not in text and "\t" not in text
        if simple and level in made and last is not None:
            # A pack lists a thousand headings: copying a finished entry is far cheaper than
            # building each through python-docx. Entries follow one another in the body.
            para = _entry_like(made[level], clean_text(text), name)
            last.addnext(para)
        else:
            page = field_runs(f"PAGEREF {name} \\h", "")
            para = flow.paragraph(f"toc {level}")._p
            para.append(internal_link(name, [text_run(text), tab_run(), *page]))
            if renderer.rtl:  # directed now, so that its copies are too
                set_bidi(para)
                for run in para.iter(qn("w:r")):
                    set_rtl(run)
            if simple and level not in made:
                made[level] = _pattern(para)
        last = para
    flow.new_page = True
    _update_fields_on_open(renderer)


_LINK = qn("w:hyperlink")
_LINK_TEXT = f"{qn('w:r')}/{qn('w:t')}"
_LINK_FIELD = f"{qn('w:r')}/{qn('w:instrText')}"


def _pattern(entry: _Element) -> _Element:
    """A copy of a contents entry that never starts a page, to make the others from."""
    pattern = deepcopy(entry)
    drop(props(pattern), "w:pageBreakBefore")  # only the first paragraph may start the page
    return pattern


def _entry_like(pattern: _Element, text: str, name: str) -> _Element:
    """A contents entry made from another of its level: its text, link and PAGEREF."""
    para = deepcopy(pattern)
    link = para.find(_LINK)
    link.set(qn("w:anchor"), name)
    link.find(_LINK_TEXT).text = text
    link.find(_LINK_FIELD).text = f" PAGEREF {name} \\h "
    return para


# Settings children that must follow w:updateFields (CT_Settings sequence).
_AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
}


def _update_fields_on_open(renderer: BlockRenderer) -> None:
    """Ask Word to refresh fields (TOC page numbers) on opening; it asks the user first."""
    settings = renderer.docx.settings.element
    node = el("w:updateFields", {"w:val": "true"})
    if settings.find(node.tag) is not None:
        return
    for child in settings:
        if isinstance(child.tag, str) and child.tag.split("}")[-1] in _AFTER_UPDATE_FIELDS:
            child.addprevious(node)
            return
    settings.append(node)
