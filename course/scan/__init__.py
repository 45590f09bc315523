"""Scanning: reading scanned answer sheets back into responses.

Holds rasterising scans, finding fiducials, reading QR codes and measuring boxes against
the print record's geometry. It may import `course.quiz`, `course.content`,
`course.document`, `course.errors` and `course.arabic`, and reaches `generators` only
through its registry (for its review report); never `render` or `build`.
"""
