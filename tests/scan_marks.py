"""Marking rendered sheets in code and degrading them as scanners and copiers do."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

INK = 35  # a pen's grey on a white page
LIGHT = 185  # a faint pencil: a person must look


@dataclass
class Sheet:
    """One simulated participant: what they marked, and the cells a scan must give."""

    version: str
    participant: str
    marks: list[tuple[int, list[float], str]] = field(default_factory=list)  # page, rect, style
    expected: dict[int, str] = field(default_factory=dict)
    unsure: set[int] = field(default_factory=set)  # cells that must be read as '?'


def render(pdf: bytes | str, dpi: int) -> list[np.ndarray]:
    """Every page of a PDF as a grey image at `dpi`."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images = [np.ascontiguousarray(document[i].render(scale=dpi / 72, grayscale=True)
                                   .to_numpy()) for i in range(len(document))]
    document.close()
    return images


def draw_mark(image: np.ndarray, rect: list[float], style: str, dpi: int, height: float,
              rng: random.Random) -> None:
    """Draw one mark in a box (rect in points, y up) on an upright page image."""
    k = dpi / 72
    x0, y0, x1, y1 = rect
    left, top, right, bottom = x0 * k, (height - y1) * k, x1 * k, (height - y0) * k
    width = max(1, round(rng.uniform(1.2, 1.8) * k))
    jitter = lambda: rng.uniform(-0.8, 0.8) * k  # noqa: E731
    ink = LIGHT if style.startswith("light") else INK
    if style in {"cross", "light"}:
        a = 2.0 * k
        for p, q in (((left + a, top + a), (right - a, bottom - a)),
                     ((right - a, top + a), (left + a, bottom - a))):
            cv2.line(image, (round(p[0] + jitter()), round(p[1] + jitter())),
                     (round(q[0] + jitter()), round(q[1] + jitter())), ink, width, cv2.LINE_AA)
    elif style == "tick":
        pts = np.array([[left + 2.2 * k, (top + bottom) / 2], [left + 4.5 * k, bottom - 2.2 * k],
                        [right - 1.8 * k, top + 1.8 * k]], np.int32)
        cv2.polylines(image, [pts], False, ink, width + 1, cv2.LINE_AA)
    elif style in {"fill", "light_fill"}:
        centre = (round((left + right) / 2), round((top + bottom) / 2))
        axes = (round((right - left) * rng.uniform(0.22, 0.3)),
                round((bottom - top) * rng.uniform(0.22, 0.3)))
        cv2.ellipse(image, centre, axes, rng.uniform(0, 180), 0, 360, ink, -1, cv2.LINE_AA)
    elif style == "cancel":  # blackened entirely, over the outline
        cv2.rectangle(image, (round(left - k), round(top - k)), (round(right + k),
                      round(bottom + k)), INK, -1)
    else:
        raise ValueError(style)


def degrade(image: np.ndarray, rng: random.Random, *, quarter: int = 0, skew: float = 0.0,
            scale: float = 1.0, noise: float = 0.0, blur: bool = False, jpeg: int = 0,
            bw: bool = False, dark: int = 0) -> np.ndarray:
    """Rotate by quarter turns plus `skew` degrees, scale, darken, blur, noise, JPEG, B/W."""
    h, w = image.shape
    pad = round(0.06 * max(h, w))
    page = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=250)
    ph, pw = page.shape
    matrix = cv2.getRotationMatrix2D((pw / 2, ph / 2), quarter * 90 + skew, scale)
    if quarter % 2:
        matrix[0, 2] += (ph - pw) / 2
        matrix[1, 2] += (pw - ph) / 2
        pw, ph = ph, pw
    out = cv2.warpAffine(page, matrix, (pw, ph), flags=cv2.INTER_LINEAR,
                         borderValue=250).astype(np.float32)
    if dark:  # a copier's grey paper and washed-out black
        out = dark + out * (255 - 2 * dark) / 255
    if blur:
        out = cv2.GaussianBlur(out, (0, 0), 0.9)
    if noise:
        out += np.random.default_rng(rng.randrange(1 << 30)).normal(0, noise, out.shape)
    out = np.clip(out, 0, 255).astype(np.uint8)
    if jpeg:
        ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, jpeg])
        out = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if bw:
        out = np.where(out > 150, 255, 0).astype(np.uint8)
    return out


def simulate(record: dict[str, Any], version: str, rng: random.Random, *,
             tricks: bool = True, light: bool = True, participant: str = "") -> Sheet:
    """A participant's marks on one version: answers, and now and then a hard case."""
    data = record["versions"][version]
    types = {q["number"]: q["type"] for q in data["questions"]}
    boxes: dict[int, dict[int, list[dict[str, Any]]]] = {}
    id_boxes: dict[int, dict[str, list[float]]] = {}
    for page in data["pages"]:
        for b in page["boxes"]:
            b = {**b, "page": page["page"]}
            if b["kind"] == "id":
                if page["page"] == 1:
                    id_boxes.setdefault(b["row"], {})[b["value"]] = b["rect"]
            else:
                boxes.setdefault(b["question"], {}).setdefault(b["row"] or 0, []).append(b)
    participant = participant or "".join(rng.choice("0123456789") for _ in id_boxes)
    sheet = Sheet(version, participant)
    styles = ["cross", "cross", "tick", "fill"]
    for page in data["pages"]:  # the ID on every page, so that pages join
        for pos, digit in enumerate(participant, start=1):
            sheet.marks.append((page["page"], id_boxes[pos][digit], rng.choice(styles)))
    for number, rows in sorted(boxes.items()):
        qtype = types[number]
        case = rng.random() if tricks else 1.0
        if case < 0.05 and light:  # a faint mark: a person must look
            row = rows[min(rows)]
            box = rng.choice(row)
            sheet.marks.append((box["page"], box["rect"], rng.choice(["light", "light_fill"])))
            sheet.unsure.add(number)
            continue
        if case < 0.10 and qtype in {"single", "true_false", "short", "matching", "ordering"}:
            row = rows[min(rows)]  # two marks where one is expected
            for b in rng.sample(row, 2):
                sheet.marks.append((b["page"], b["rect"], rng.choice(styles)))
            sheet.unsure.add(number)
            continue
        if case < 0.15:
            sheet.expected[number] = ""  # left blank
            continue
        chosen: dict[int, str] = {}
        for r, row in sorted(rows.items()):
            if qtype == "multiple":
                picks = rng.sample(row, rng.randint(1, len(row)))
            else:
                picks = [rng.choice(row)]
            if case < 0.25 and r == min(rows):  # a cancelled box beside the new mark
                others = [b for b in row if b not in picks]
                if others:
                    box = rng.choice(others)
                    sheet.marks.append((box["page"], box["rect"], "cancel"))
            for b in picks:
                sheet.marks.append((b["page"], b["rect"], rng.choice(styles)))
            chosen[r] = "".join(sorted(b["value"] for b in picks))
        sheet.expected[number] = _cell(qtype, chosen)
    return sheet


def _cell(qtype: str, chosen: dict[int, str]) -> str:
    if qtype == "matching":
        return " ".join(f"{r}{v}" for r, v in sorted(chosen.items()))
    if qtype == "ordering":
        return " ".join(v for _, v in sorted(chosen.items()))
    if qtype == "short":
        return f"{chosen[0]}pt"
    return next(iter(chosen.values()))


def mark_pages(images: list[np.ndarray], record: dict[str, Any], sheet: Sheet, dpi: int,
               rng: random.Random) -> list[np.ndarray]:
    """Copies of a version's rendered pages with the sheet's marks drawn on them."""
    pages = record["versions"][sheet.version]["pages"]
    out = []
    for image, page in zip(images, pages, strict=True):
        marked = image.copy()
        for number, rect, style in sheet.marks:
            if number == page["page"]:
                draw_mark(marked, rect, style, dpi, page["size"][1], rng)
        out.append(marked)
    return out


__all__ = ["Sheet", "degrade", "draw_mark", "mark_pages", "math", "render", "simulate"]
