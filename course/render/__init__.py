"""Rendering: Jinja templates over the model, the Markdown subset, the document model.

Holds the Jinja environment over templates/, the Markdown subset parser,
question and answer-sheet blocks built straight from the model, slide derivation, and the
assembly of each job's document, course packs included. It may import `course.content`,
`course.quiz`, `course.document`, `course.errors` and `course.arabic`; never `build`,
`scan` or `generators`.
"""
