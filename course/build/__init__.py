"""The build and the commands that write into the output folder.

Holds the plan of jobs, input fingerprints and the build record, parallel atomic writing
and the worker processes it runs on, the PDF and DOCX packs' per-module parts, the module
cache and best-effort cache writes (`keep.py`), the build itself, `check` (which every
writing command runs first), `watch`, and the `grade` and `export` commands. It may
import every room below it (`content`, `quiz`, `render`) and reaches `generators` only
through its registry.
"""
