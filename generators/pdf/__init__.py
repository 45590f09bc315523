"""The PDF writer: shaped, bidi-ordered, searchable Arabic and French with reportlab.

`writer.py` holds the writer class; `rtl.py` breaks and reorders lines, `bidi.py` is the
bidi algorithm, `fonts.py` and `cidfont.py` shape and embed fonts, `text.py` draws glyphs,
`blocks.py` and `page.py` lay out blocks and pages, `merge.py` merges packs' parts. It may
import `course.document` and `course.errors` only.
"""
