"""The DOCX writer: Word styles, right-to-left tables and paragraphs, fixed bytes.

`writer.py` holds the writer class; `oxml.py` all raw WordprocessingML knowledge; the rest
lay out blocks, front matter, quizzes, numbering, the page and the styles. It may import
`course.document` and `course.errors` only.
"""
