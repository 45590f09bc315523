"""Learning-platform exports: Moodle XML and GIFT, and their shared grade fractions.

They take quiz data, not documents, so they may import `course.content` (the model) as
well as `course.errors` and `course.arabic`; nothing else of the project.
"""
