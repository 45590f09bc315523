"""The PDF writer: shaped, bidi-ordered, searchable Arabic and French with reportlab.

`writer.py` holds the writer class. Text: `pieces.py` cuts a paragraph into shaped words
and spaces, `charclass.py` and `bidi.py` give characters their classes and levels,
`shaping.py` shapes runs with HarfBuzz, `wordlayout.py` and `wordprep.py` lay a word out
for extraction and drawing, `shape_cache.py` keeps shaped words between runs,
`linebreak.py` and `rtl.py` break and reorder lines, `text.py` records each line as a
program (`lineprog.py`: its fields, played into a document), `linecache.py` keeps the
programs (in memory, and per document between runs), `cachefile.py` reads and writes both
caches' files. Fonts:
`fonts.py`, `cidfont.py` and `program.py`. Layout: `blocks.py`, `tables.py`, `page.py`,
`sheet.py`, `chart.py`, `image.py`. Packs: `merge.py`, `contents.py`, `metadata.py`. It may
import `course.document` and `course.errors` only.
"""
