"""Finding a page: its QR code, its corner squares, and the map from layout to pixels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from course.scan.records import PageId, parse_qr

WORK_SIDE = 2400  # longest side worked on, in pixels: about 200 dpi on A4
CANVAS = 3.0  # pixels per point of the upright page the marks are measured on


class Unreadable(Exception):
    """A page that cannot be read; the message says why and what to do."""


@dataclass
class Located:
    """A page found: what it is, and its upright canvas (CANVAS pixels per point)."""

    page_id: PageId
    canvas: np.ndarray
    page_size: tuple[float, float]
    qr_seen: list[str]


def working(image: np.ndarray) -> np.ndarray:
    """The image at no more than WORK_SIDE pixels on its longest side."""
    side = max(image.shape[:2])
    if side <= WORK_SIDE:
        return image
    factor = WORK_SIDE / side
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def read_qr(image: np.ndarray) -> tuple[PageId, np.ndarray]:
    """The page's identity and its QR corners (top-left, top-right, bottom-right,
    bottom-left of the symbol) in pixels."""
    import zxingcpp

    found: dict[str, Any] = {}
    attempts = (lambda: image, lambda: cv2.GaussianBlur(image, (5, 5), 0),
                lambda: cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1])
    for attempt in attempts:
        for code in zxingcpp.read_barcodes(attempt(), formats=zxingcpp.BarcodeFormat.QRCode):
            if parse_qr(code.text) is not None:
                found.setdefault(code.text, code)
        if found:
            break
    if not found:
        raise Unreadable("no coursegen QR code found; scan the whole page, at 200 to 300 dpi")
    if len(found) > 1:
        raise Unreadable(f"{len(found)} different QR codes on one page; scan one sheet a page")
    text, code = next(iter(found.items()))
    pos = code.position
    corners = np.array([[p.x, p.y] for p in (pos.top_left, pos.top_right, pos.bottom_right,
                                             pos.bottom_left)], dtype=np.float64)
    page_id = parse_qr(text)
    assert page_id is not None
    return page_id, corners


def upright(points: list[list[float]], height: float) -> np.ndarray:
    """Layout points (y up from the bottom) as upright-page points (y down from the top)."""
    array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return np.column_stack([array[:, 0], height - array[:, 1]])


def qr_corners(rect: list[float], height: float) -> np.ndarray:
    """The QR rectangle's corners in the symbol's order, upright-page points."""
    x0, y0, x1, y1 = rect
    return upright([[x0, y1], [x1, y1], [x1, y0], [x0, y0]], height)


def find_fiducials(image: np.ndarray, layout: dict[str, Any], qr_px: np.ndarray
                   ) -> np.ndarray:
    """Page-to-pixel homography from the corner squares, predicted from the QR code."""
    width, height = layout["size"]
    qr_pt = qr_corners(layout["qr"], height)
    similar, _ = cv2.estimateAffinePartial2D(qr_pt, qr_px)
    if similar is None:
        raise Unreadable("the QR code's corners are not a square; scan the page flat")
    scale = float(np.hypot(similar[0, 0], similar[0, 1]))  # pixels per point
    expected = upright(layout["fiducials"], height)
    predicted = cv2.transform(expected[None], similar)[0]
    side = float(layout.get("fiducial_size", 20.0)) * scale
    centres = _squares(image, side)
    reach = 0.06 * scale * float(np.hypot(width, height))  # the QR code's scale is coarse
    found_pt, found_px = [], []
    for point, guess in zip(expected, predicted, strict=True):
        if len(centres):
            distance = np.hypot(*(centres - guess).T)
            best = int(np.argmin(distance))
            if distance[best] <= reach:
                found_pt.append(point)
                found_px.append(centres[best])
    if len(found_pt) < 3:
        raise Unreadable(f"found {len(found_pt)} of the 4 corner squares; scan the whole "
                         "page with a margin around it")
    src, dst = np.float32(found_pt), np.float32(found_px)
    if len(found_pt) == 4:
        homography = cv2.getPerspectiveTransform(src, dst)
    else:  # three corners fix a flat page's affine map exactly
        homography = np.vstack([cv2.getAffineTransform(src, dst), [0, 0, 1]])
    mapped = cv2.perspectiveTransform(qr_pt[None], homography)[0]
    error = float(np.max(np.hypot(*(mapped - qr_px).T))) / scale
    if error > 8.0:  # points: the corners and the QR code disagree about the page
        raise Unreadable(f"the corner squares and the QR code disagree by {error:.0f} pt; "
                         "scan the page flat and whole")
    return homography


def _squares(image: np.ndarray, side: float) -> np.ndarray:
    """Centres of solid dark squares of about `side` pixels."""
    _, ink = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h, area = (stats[1:, i].astype(np.float64) for i in (2, 3, 4))
    keep = ((area >= 0.6 * side * side) & (area <= 1.6 * side * side)
            & (w >= 0.75 * side) & (w <= 1.45 * side) & (h >= 0.75 * side) & (h <= 1.45 * side)
            & (area >= 0.7 * w * h))
    return centroids[1:][keep].astype(np.float64).reshape(-1, 2)


def canvas_of(image: np.ndarray, homography: np.ndarray, size: tuple[float, float]
              ) -> np.ndarray:
    """The page drawn upright at CANVAS pixels per point."""
    to_canvas = np.diag([CANVAS, CANVAS, 1.0]) @ np.linalg.inv(homography)
    shape = (round(size[0] * CANVAS), round(size[1] * CANVAS))
    return cv2.warpPerspective(image, to_canvas, shape, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
