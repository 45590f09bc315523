"""The PPTX writer: 16:9 slide decks, right to left where the language is, fixed bytes.

`writer.py` holds the writer class; `drawingml.py` all raw DrawingML that python-pptx
lacks (direction, alignment, language, complex-script fonts, bullets); `template.py` opens
the default or the academy's template and finds its layouts by placeholder type;
`layout.py` measures text with the font's real metrics and splits long bullet lists;
`fonts.py` finds the font files and shapes words; `package.py` fixes the bytes. It may
import `course.document` and `course.errors` only.
"""
