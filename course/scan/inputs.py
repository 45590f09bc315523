"""Scan files as pages: PDFs rasterised, images (multi-page TIFF too) read as grey."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course.errors import CoursegenError

PDF = {".pdf"}
IMAGES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
PDF_DPI = 200  # scans embedded in a PDF are rarely sharper than this needs


class BrokenInputError(CoursegenError):
    """A scan file that cannot be opened: nothing is written."""


@dataclass(frozen=True)
class ScanFile:
    """One input file, its name as shown, and how many pages it holds."""

    path: Path
    display: str
    pages: int


def collect(paths: list[Path], display: Callable[[Path], str]) -> list[ScanFile]:
    """The scan files named (folders give their scans, sorted); every one opened first."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in PDF | IMAGES))
        elif path.suffix.lower() in PDF | IMAGES:
            files.append(path)
        else:
            raise BrokenInputError(f"{display(path)}: not a PDF, PNG, JPEG or TIFF file; "
                                   "give scans of answer sheets, or folders of them")
    return [ScanFile(p, display(p), _page_count(p, display(p))) for p in files]


def _page_count(path: Path, shown: str) -> int:
    if path.suffix.lower() in PDF:
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(str(path))
        except Exception:  # pdfium says only "failed to load": say what to do
            raise BrokenInputError(f"{shown}: cannot be read as a PDF; export the scan again "
                                   "or remove the file") from None
        try:
            return len(document)
        finally:
            document.close()
    import cv2

    try:  # reads the headers only; a page that then fails to decode is listed, not fatal
        count = cv2.imcount(str(path)) if cv2.haveImageReader(str(path)) else 0
    except cv2.error:
        count = 0
    if count < 1:
        raise BrokenInputError(f"{shown}: cannot be read as an image; export the scan again "
                               "as PDF, PNG, JPEG or TIFF, or remove the file")
    return count


def _image_pages(path: Path, count: int) -> list[np.ndarray | None]:
    import cv2

    data = np.fromfile(str(path), dtype=np.uint8)
    try:
        ok, images = cv2.imdecodemulti(data, cv2.IMREAD_GRAYSCALE)
    except cv2.error:
        ok, images = False, []
    decoded: list[np.ndarray | None] = [_grey(i) for i in images] if ok else []
    return decoded + [None] * (count - len(decoded))


def _grey(image: np.ndarray) -> np.ndarray:
    import cv2

    if image.dtype != np.uint8:  # 16-bit TIFFs: keep the top byte
        image = (image / max(1, int(image.max())) * 255).astype(np.uint8)
    if image.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        image = cv2.cvtColor(image, code) if image.shape[2] > 1 else image[:, :, 0]
    return np.ascontiguousarray(image)


def pages(scan: ScanFile) -> Iterator[tuple[int, np.ndarray | None]]:
    """Each page of a scan file, numbered from 1, as a grey image (None: it did not decode)."""
    if scan.path.suffix.lower() in PDF:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(scan.path))
        try:
            for index in range(len(document)):
                try:
                    page = document[index]
                    bitmap = page.render(scale=PDF_DPI / 72, grayscale=True)
                    image: np.ndarray | None = _grey(bitmap.to_numpy().copy())
                    page.close()
                except Exception:  # one damaged page is listed; the batch goes on
                    image = None
                yield index + 1, image
        finally:
            document.close()
    else:
        yield from enumerate(_image_pages(scan.path, scan.pages), start=1)
