"""Joining page readings into one row per participant and version, and what needs a person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from course.scan.cells import UNSURE, joined_cell
from course.scan.read import PageReading, split_questions
from course.scan.records import Records

Quiz = tuple[str, str]  # (lang, quiz)


@dataclass
class Row:
    """One participant's responses to one version: a line of responses.csv."""

    participant: str  # "?" when the ID grid did not read
    version: str
    record: str
    sources: list[str]
    count: int  # questions in the version
    cells: dict[int, str] = field(default_factory=dict)
    origin: dict[int, PageReading] = field(default_factory=dict)  # the page a cell came from
    settled: set[int] = field(default_factory=set)  # cells `?` for a page-level reason
    readings: list[PageReading] = field(default_factory=list)


@dataclass
class Item:
    """Something a person must look at: a page, or a mark (cell or ID)."""

    kind: Literal["page", "mark"]
    title: str
    text: str
    crops: list[str] = field(default_factory=list)  # base64 PNGs
    table: list[tuple[str, ...]] = field(default_factory=list)
    quiz: Quiz | None = None
    row: Row | None = None
    numbers: set[int] = field(default_factory=set)  # cells that settle this page item


def collate(readings: list[PageReading], records: Records
            ) -> tuple[dict[Quiz, list[Row]], list[Item]]:
    """Rows per quiz, and the page-level items (unreadable, missing or conflicting pages)."""
    items = [Item("page", f"{r.source}: {r.problem}", "The page was skipped: scan it again "
                  "or type its answers into corrections.csv.", [r.crops.get("page", "")])
             for r in readings if r.problem is not None]
    groups: dict[tuple[str, ...], list[PageReading]] = defaultdict(list)
    for r in readings:
        if r.problem is None:
            who = r.participant if r.participant is not None else f"?{r.source}"
            groups[(r.lang, r.quiz, r.record, r.version, who)].append(r)
    rows: dict[Quiz, list[Row]] = defaultdict(list)
    for (lang, quiz, digest, version, _), group in groups.items():
        record = records.get(digest)
        if record is None:  # stored by an earlier run whose records are gone
            items.extend(Item("page", f"{r.source}: its print record {digest} is no longer in "
                              f"{records.folder}", "Give --printed the folder that printed it.",
                              [r.crops.get("id", "")]) for r in group)
            continue
        row = _row(group, record["versions"][version], digest, items, (lang, quiz))
        rows[(lang, quiz)].append(row)
    for quiz_rows in rows.values():
        quiz_rows.sort(key=lambda r: (r.participant, r.version, r.sources))
    return dict(rows), items


def _on_page(version: dict[str, Any]) -> dict[int, set[int]]:
    """The printed numbers that have boxes on each page of a version."""
    return {int(p["page"]): {int(b["question"]) for b in p["boxes"]
                             if b["question"] is not None and b["kind"] != "id"}
            for p in version["pages"]}


def _row(group: list[PageReading], version: dict[str, Any], digest: str, items: list[Item],
         quiz: Quiz) -> Row:
    first = group[0]
    row = Row(first.participant or UNSURE, first.version, digest, [],
              len(version["questions"]))
    who = (f"participant {row.participant}" if first.participant is not None
           else f"the sheet of {first.source} (ID unread)")
    layout = _on_page(version)
    by_page: dict[int, list[PageReading]] = defaultdict(list)
    for r in group:
        # The same page scanned twice and read alike counts once.
        if not any(o.cells == r.cells and o.grids == r.grids for o in by_page[r.page]):
            by_page[r.page].append(r)
    for page, numbers in sorted(layout.items()):
        found = by_page.get(page, [])
        row.readings.extend(found)
        row.sources.extend(r.source for r in found)
        if len(found) == 1:
            row.cells.update(found[0].cells)
            row.origin.update(dict.fromkeys(found[0].cells, found[0]))
            continue
        row.cells.update(dict.fromkeys(numbers, UNSURE))
        row.settled |= numbers
        if not found:
            title = (f"{who}, version {row.version}: page {page} of {len(layout)} is missing")
            text = ("Its questions are '?' in responses.csv. Scan the page, or type its "
                    "answers into corrections.csv.")
            crops = [r.crops.get("id", "") for r in group[:1]]
            table: list[tuple[str, ...]] = []
        else:
            title = (f"{who}, version {row.version}: page {page} was read differently from "
                     + " and ".join(r.source for r in found))
            text = ("A rescan, or two participants who wrote the same ID. Both readings are "
                    "below; their cells are '?' in responses.csv until corrections.csv says.")
            crops = [r.crops.get("id", "") for r in found]
            table = [("question", *(r.source for r in found))]
            table += [(str(n), *(r.cells.get(n, "") or "(empty)" for r in found))
                      for n in sorted(numbers) if len({r.cells.get(n) for r in found}) > 1]
        items.append(Item("page", title, text, crops, table, quiz, row, set(numbers)))
    _join_split(row, version, by_page)
    return row


def _join_split(row: Row, version: dict[str, Any], by_page: dict[int, list[PageReading]]
                ) -> None:
    """The cells of questions printed across pages, from every page's part of the grid."""
    types = {int(q["number"]): q["type"] for q in version["questions"]}
    layout = _on_page(version)
    for number in sorted(split_questions(version) - row.settled):
        parts = [found[0] for _, found in sorted(by_page.items())
                 if found and str(number) in found[0].grids]
        if len(parts) < sum(number in numbers for numbers in layout.values()):
            row.cells[number] = UNSURE  # a page read before grids were kept: never guess
            continue
        row.cells[number] = joined_cell(types.get(number, "single"),
                                        [r.grids[str(number)] for r in parts])
        # A person looks at the part that read kept a crop of: the one in doubt.
        row.origin[number] = ([r for r in parts if str(number) in r.crops] or parts)[0]


def mark_items(rows: dict[Quiz, list[Row]]) -> list[Item]:
    """The cells and IDs still `?` once corrections are applied, one item each."""
    items = []
    for quiz, quiz_rows in sorted(rows.items()):
        for row in quiz_rows:
            where = ", ".join(row.sources)
            if row.participant == UNSURE:
                first = row.readings[0] if row.readings else None
                items.append(Item("mark", f"{where}: the participant ID does not read",
                                  f"Type the ID into corrections.csv as: {where},{row.version},"
                                  "participant,<ID>", [first.crops.get("id", "")] if first
                                  else [], [], quiz, row))
            for number in sorted(row.cells):
                if row.cells[number] != UNSURE or number in row.settled:
                    continue
                origin = row.origin.get(number)
                items.append(Item(
                    "mark", f"participant {row.participant}, version {row.version}, question "
                    f"{number}: uncertain ({origin.source if origin else where})",
                    "Read: " + (origin.seen.get(str(number), "") if origin else "")
                    + ". A faint mark, two marks where one is expected, or a box neither marked"
                    " nor blackened. Type the answer into corrections.csv as: "
                    f"{row.participant},{row.version},{number},<answer>",
                    [origin.crops.get(str(number), "")] if origin else [], [], quiz, row))
    return items


def duplicate_items(rows: dict[Quiz, list[Row]]) -> list[Item]:
    """A participant with more than one row in a quiz: grade would refuse the file."""
    items = []
    for quiz, quiz_rows in sorted(rows.items()):
        seen: dict[str, list[Row]] = defaultdict(list)
        for row in quiz_rows:
            if row.participant != UNSURE:
                seen[row.participant].append(row)
        for participant, dup in seen.items():
            if len(dup) > 1:
                versions = " and ".join(r.version for r in dup)
                items.append(Item("page", f"participant {participant} has {len(dup)} sheets "
                                  f"in {quiz[1]} ({quiz[0]}), versions {versions}",
                                  "Correct the ID of the wrong one in corrections.csv (by its "
                                  "source) : " + "; ".join(", ".join(r.sources) for r in dup),
                                  [], [], quiz))
    return items
