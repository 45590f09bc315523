"""The rooms and their direction: import-linter contracts, the wheel, the README's map."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ["course.content", "course.quiz", "course.render", "course.build", "course.scan",
         "generators.docx", "generators.pdf", "generators.pptx", "generators.lms"]


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with the project's contracts over the packages under `root`."""
    exe = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(exe), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def test_import_contracts_hold() -> None:
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 8 kept, 0 broken." in run.stdout


@pytest.fixture
def copy_of_code(tmp_path: Path) -> Path:
    for name in ("course", "generators"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def plant(root: Path, module: str, line: str) -> None:
    path = root / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_content_importing_the_build_breaks_the_layers(copy_of_code: Path) -> None:
    plant(copy_of_code, "course.content.model", "from course.build import plan  # noqa")
    run = lint_imports(copy_of_code)
    assert run.returncode == 1
    assert "course.content.model -> course.build.plan" in run.stdout


def test_a_function_local_circle_is_found(copy_of_code: Path) -> None:
    plant(copy_of_code, "course.render.renderer",
          "def _late():\n    from course.render import packs  # noqa")
    run = lint_imports(copy_of_code)
    assert run.returncode == 1
    assert "No import circle between sibling modules or rooms, at any depth BROKEN" in run.stdout


def test_a_writer_reaching_the_model_is_refused(copy_of_code: Path) -> None:
    plant(copy_of_code, "generators.pdf.blocks", "from course.content import model  # noqa")
    run = lint_imports(copy_of_code)
    assert run.returncode == 1
    assert "generators.pdf.blocks -> course.content.model" in run.stdout


def test_the_build_reaches_writers_only_through_the_registry(copy_of_code: Path) -> None:
    plant(copy_of_code, "course.build.pipeline", "from generators.pdf import writer  # noqa")
    run = lint_imports(copy_of_code)
    assert run.returncode == 1
    assert "course.build.pipeline -> generators.pdf.writer" in run.stdout


def test_at_most_eight_modules_at_the_top_of_course() -> None:
    top = sorted(p.name for p in (ROOT / "course").glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "arabic.py", "cli.py", "document.py",
                   "errors.py"]


def test_every_room_says_what_it_holds_and_may_import() -> None:
    for room in ROOMS:
        init = ROOT / room.replace(".", "/") / "__init__.py"
        text = init.read_text(encoding="utf-8")
        assert text.startswith('"""') and "import" in text, room


def test_the_wheel_installs_every_room(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    # A plain build, as `pip install .` does it: setuptools from pyproject's build-system.
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(wheel_dir), str(ROOT)], cwd=tmp_path,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheel_dir.glob("coursegen-*.whl")
    shipped = {n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".py")}
    sources = {str(p.relative_to(ROOT)) for name in ("course", "generators")
               for p in (ROOT / name).rglob("*.py")}
    assert shipped == sources
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    # Room packages' __init__ modules import nothing, so they load without dependencies.
    code = f"import importlib; [importlib.import_module(m) for m in {ROOMS!r}]; print('ok')"
    run = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True,
                         text=True)
    assert run.stdout.strip() == "ok", run.stderr


def test_the_readme_map_names_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Development", 1)[1]
    paths = re.findall(r"`((?:course|generators)/[\w/]+\.py)`", section)
    assert len(paths) >= 5
    missing = [p for p in paths if not (ROOT / p).is_file()]
    assert missing == []
