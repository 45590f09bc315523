"""Hand-made print records and their sheets, for scanning tests before real sheets exist."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from course.quiz.record import canonical

BOX = 11.0
STEP = 16.0
A4 = (595.0, 842.0)


def _page(number: int, id_digits: int) -> dict[str, Any]:
    w, h = A4
    fid = [[40.0, h - 40], [w - 40, h - 40], [w - 40, 40.0], [40.0, 40.0]]
    boxes = []
    for pos in range(1, id_digits + 1):  # the ID grid: a column per digit, top right
        for digit in range(10):
            x, y = 330 + pos * STEP, h - 80 - digit * STEP
            boxes.append({"kind": "id", "question": None, "row": pos, "value": str(digit),
                          "rect": [x, y, x + BOX, y + BOX]})
    return {"page": number, "size": [w, h], "fiducials": fid, "fiducial_size": 20.0,
            "qr": [70.0, h - 140, 140.0, h - 70], "boxes": boxes}


def make_record(quiz: str, lang: str, questions: list[tuple[str, int]], versions: str = "AB",
                id_digits: int = 4) -> dict[str, Any]:
    """A record whose versions print `questions` (type, box count) in the same order."""
    record: dict[str, Any] = {"format": 1, "quiz": quiz, "lang": lang, "seed": 1,
                              "variants": len(versions), "versions": {}}
    for v in versions:
        qs, pages = [], []
        for number, (qtype, _) in enumerate(questions, start=1):
            qs.append({"number": number, "id": f"q{number}", "type": qtype, "points": 1,
                       "key": ""})
        y = 0.0
        for number, (qtype, n) in enumerate(questions, start=1):
            rows = n if qtype in {"matching", "ordering"} else 1
            if not pages or y - rows * STEP < 60:
                pages.append(_page(len(pages) + 1, id_digits))
                y = A4[1] - 260
            values = (["T", "F"] if qtype == "true_false" else
                      [str(p) for p in range(n)] if qtype == "short" else
                      [chr(97 + i) for i in range(n)])
            for r in range(rows):
                for i, value in enumerate(values):
                    x = 90 + i * STEP
                    pages[-1]["boxes"].append({
                        "kind": "score" if qtype == "short" else "choice", "question": number,
                        "row": r + 1 if rows > 1 else None, "value": value,
                        "rect": [x, y, x + BOX, y + BOX]})
                y -= STEP
            y -= 6
        record["versions"][v] = {"questions": qs, "pages": pages}
    record["digest"] = hashlib.sha256(canonical(record)).hexdigest()
    return record


def qr_text(record: dict[str, Any], version: str, page: int) -> str:
    """The QR text of a page, as the issue fixes it."""
    return f"coursegen:1:{record['quiz']}:{record['lang']}:{version}:{page}:{record['digest'][:12]}"


def write_record(record: dict[str, Any], printed: Path) -> Path:
    """Store a record the way a build does (module quizzes)."""
    folder = printed / record["lang"] / record["quiz"]
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, ensure_ascii=False)
    (folder / "printed.json").write_text(text, encoding="utf-8")
    path = folder / f"printed-{record['digest'][:12]}.json"
    path.write_text(text, encoding="utf-8")
    return path


def draw_pdf(record: dict[str, Any], version: str, path: Path, qr_version: str = "") -> None:
    """The sheet of one version as a PDF: fiducials, QR code, boxes and numbers (the QR
    code naming `qr_version` instead, to make a sheet its record does not know)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    for page in record["versions"][version]["pages"]:
        s = page["fiducial_size"]
        for x, y in page["fiducials"]:
            canvas.rect(x - s / 2, y - s / 2, s, s, stroke=0, fill=1)
        x0, y0, x1, y1 = page["qr"]
        widget = QrCodeWidget(qr_text(record, qr_version or version, page["page"]), barBorder=0,
                              barLevel="M")
        bx0, by0, bx1, by1 = widget.getBounds()
        drawing = Drawing(x1 - x0, y1 - y0, transform=[(x1 - x0) / (bx1 - bx0), 0, 0,
                                                        (y1 - y0) / (by1 - by0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, x0, y0)
        canvas.setLineWidth(0.6)
        numbered = set()
        for box in page["boxes"]:
            bx0, by0, bx1, by1 = box["rect"]
            canvas.rect(bx0, by0, bx1 - bx0, by1 - by0, stroke=1, fill=0)
            if box["question"] is not None and (box["question"], box["row"]) not in numbered:
                numbered.add((box["question"], box["row"]))
                canvas.setFont("Helvetica", 8)
                canvas.drawRightString(bx0 - 6, by0 + 2, f"{box['question']}"
                                       + (f".{box['row']}" if box["row"] else ""))
        canvas.showPage()
    canvas.save()
