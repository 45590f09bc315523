"""Find the rows of a pack front's contents: the page numbers printed below its heading."""

from __future__ import annotations

from pypdf import PdfReader


def contents_rows(reader: PdfReader) -> list[tuple[int, int, float]]:
    """(page index, number shown, baseline) of each number printed under the first heading.

    The front of a pack holds a cover, then the contents heading (its one bookmark) and
    a table of part titles and first pages: the numbers are what is read here, top to
    bottom, page after page.
    """
    marks = [o for o in reader.outline if not isinstance(o, list)]
    if not marks:
        return []
    first = reader.get_destination_page_number(marks[0])
    top = marks[0].top if marks[0].top is not None else float("inf")
    rows: list[tuple[int, int, float]] = []
    for index in range(first, len(reader.pages)):
        found: list[tuple[float, int]] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object,
                  found: list[tuple[float, int]] = found) -> None:
            token = text.strip()
            if token.isdigit():
                found.append((cm[5] + tm[5] * cm[3], int(token)))

        reader.pages[index].extract_text(visitor_text=visit)
        for y, number in sorted(found, key=lambda item: -item[0]):
            if index > first or y < top:
                rows.append((index, number, y))
    return rows
