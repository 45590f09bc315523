"""Quizzes: printed versions and keys, responses, scoring, grading and item statistics.

Holds the seeded shuffle of printed versions and their keys, the reading of responses,
the scoring rules, grading, item and quiz statistics, item-writing checks and the grade
report as a document. It may import `course.content`, `course.document`, `course.errors`
and `course.arabic`; never `render`, `build`, `scan` or `generators`.
"""
