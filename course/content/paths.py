"""Where a project keeps its content files: names only, so the command line can use them
without loading the content model."""

from __future__ import annotations

COURSE_FILE = "content/course.yaml"
MODULES_DIR = "content/modules"


def module_path(module_id: str) -> str:
    """The display path of a module file."""
    return f"{MODULES_DIR}/{module_id}.yaml"
