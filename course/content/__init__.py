"""Content: safe YAML with every node's position, the content model, validation, citations.

Holds the loading of course.yaml and modules (positions kept, duplicate keys refused),
the pydantic model, cross-field validation, located diagnostics, citation checks against
the report, branding (theme) checks and the JSON Schema. It may import `course.errors`
and `course.arabic` only: no other room, and never `generators`.
"""
