"""Machine-readable answer sheets: the geometry of course.quiz.sheet, with its words.

Every box comes from the record's layout; this module only adds the texts printed beside
them (numbers, letters, fields and the marking rule) in the sheet's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course.document import Block, Document, Meta, SheetPage, SheetText, Strong, Text, Theme
from course.quiz.record import qr_text
from course.quiz.sheet import FIDUCIAL, HEADER, MARGIN, QR_SIZE, Label, layout
from course.quiz.versions import PrintedQuestion, choice_labels
from course.render.typography import typeset


def _label_text(label: Label, labels: Mapping[str, Any], letters: list[str]) -> str:
    if label.key == "choice":
        return letters[int(label.text)]
    if label.key in {"true", "false"}:
        return str(labels[label.key])
    if label.key == "trainer":
        return str(labels["for_trainer"])
    return label.text


def _header(size: tuple[float, float], rtl: bool, title: str, version: str, page: int,
            pages: int, labels: Mapping[str, Any], id_digits: int) -> list[SheetText]:
    """Title, version and page, written fields, the ID grid's title, the marking rule."""
    width, height = size
    start, align = (width - MARGIN, "right") if rtl else (MARGIN, "left")
    top = height - MARGIN
    texts = [
        SheetText(start, top - 12, 13, (Strong((Text(title),)),), align),
        SheetText(start, top - 30, 10, (Text(f"{labels['version_letter']}: {version}    "
                                             f"{labels['sheet_page']}: {page}/{pages}"),),
                  align),
        SheetText(start, top - 50, 10, (Text(f"{labels['name']}: " + "." * 60),), align),
        SheetText(start, top - 68, 10, (Text(f"{labels['participant_id']}: " + "." * 30),),
                  align),
        SheetText(start, top - 84, 8, (Text(str(labels["sheet_id_note"])),), align),
    ]
    # The rule sits between the ID grid and the QR code's column.
    grid = id_digits * 15 + 20
    rule_x = start - grid if rtl else start + grid
    for n, key in enumerate(("sheet_instructions", "sheet_rule", "sheet_scan_note")):
        texts.append(SheetText(rule_x, top - QR_SIZE - 50 - n * 14, 8.5,
                               (Text(str(labels[key])),), align))
    return texts


def sheet_document(printed: list[PrintedQuestion], record: Mapping[str, Any], version: str,
                   title: str, lang: str, labels: Mapping[str, Any], meta: Meta,
                   theme: Theme) -> Document:
    """The PDF answer sheet of one version: one SheetPage per page of its layout."""
    rtl = labels["direction"] == "rtl"
    geometry = layout(printed, record["paper"], rtl, record["id_digits"])
    letters = choice_labels(lang)
    blocks: list[Block] = []
    for page in geometry:
        texts = _header(page.size, rtl, title, version, page.page, len(geometry), labels,
                        record["id_digits"])
        for label in page.labels:
            bold = (Strong((Text(_label_text(label, labels, letters)),)),)
            plain = (Text(_label_text(label, labels, letters)),)
            texts.append(SheetText(label.x, label.y, label.size,
                                   bold if label.key == "number" else plain,
                                   label.align))  # type: ignore[arg-type]
        width, height = page.size
        rule_y = height - MARGIN - HEADER + 8
        blocks.append(SheetPage(page.size, tuple(page.fiducials), FIDUCIAL, page.qr,
                                qr_text(record, version, page.page),
                                tuple(b.rect for b in page.boxes), tuple(texts),
                                ((MARGIN, rule_y, width - MARGIN, rule_y),)))
    return typeset(Document("answer-sheet", lang, "rtl" if rtl else "ltr", title, meta,
                            tuple(blocks), theme))
