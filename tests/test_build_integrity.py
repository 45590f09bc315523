"""The build record stays true: failures part-way, hand edits, --clean's reach, part names,
workers that die with the build, and a watch that survives a writer's error."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from conftest import edit

from course.build.fingerprint import RECORD, BuildRecord
from course.build.pipeline import build
from course.build.plan import Options
from course.build.watch import watch, watched_paths
from course.errors import WriterError

MOD = "content/modules/sample.yaml"
HANDOUT = "ar/sample/handout.docx"
AR_DOCX = Options(langs=["ar"], formats=["docx"], kinds=["handout", "quiz"])
ONE = Options(langs=["ar"], formats=["docx"], kinds=["handout"])


def failing_on(monkeypatch: pytest.MonkeyPatch, kind: str, error: Exception) -> None:
    """Make the writers fail on one kind of document (the others are written as ever)."""
    import generators

    real = generators.get_writer

    class Failing:
        def __init__(self, name: str) -> None:
            self.inner = real(name)

        def write(self, document: object, path: Path) -> None:
            if getattr(document, "kind", None) == kind:
                raise error
            self.inner.write(document, path)

    monkeypatch.setattr("generators.get_writer", Failing)


def handout_text(out: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(out / HANDOUT)).paragraphs)


def test_a_build_failing_part_way_leaves_the_record_true(good_project: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = good_project / "output"
    build(good_project, out, AR_DOCX, jobs=1)
    edit(good_project / MOD, "ترتكز على القرب", "ترتكز أولا على القرب")
    edit(good_project / MOD, "ما شرطة القرب؟", "ما شرطة القرب بإيجاز؟")  # the quiz changes too
    failing_on(monkeypatch, "quiz", WriterError("no room for the quiz"))
    with pytest.raises(WriterError, match="^no room for the quiz$"):
        build(good_project, out, AR_DOCX, jobs=1)
    record = BuildRecord.load(out)
    assert "ترتكز أولا على القرب" in handout_text(out)  # written before the failure
    assert record.outputs["ar/sample/quiz.docx"] == ""  # current for no input
    monkeypatch.undo()
    edit(good_project / MOD, "ترتكز أولا على القرب", "ترتكز على القرب")  # the fix: undone
    edit(good_project / MOD, "ما شرطة القرب بإيجاز؟", "ما شرطة القرب؟")
    result = build(good_project, out, AR_DOCX, jobs=1)
    # The handout written from the edit is stale again: rebuilt without --force.
    assert HANDOUT in result.built
    assert "ترتكز أولا على القرب" not in handout_text(out)


def test_a_killed_writer_is_one_error_and_the_record_stays_true(
        good_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generators

    real = generators.get_writer

    class Killed:  # the system's out-of-memory killer, as a writer process sees it
        def __init__(self, name: str) -> None:
            self.inner = real(name)

        def write(self, document: object, path: Path) -> None:
            if getattr(document, "kind", None) == "quiz":
                os.kill(os.getpid(), signal.SIGKILL)
            self.inner.write(document, path)

    out = good_project / "output"
    monkeypatch.setattr("generators.get_writer", Killed)
    with pytest.raises(WriterError, match=r"^a writer process was killed before it finished "
                       r"\(out of memory, or a signal\); the files written so far are kept: "
                       r"build again, with --jobs 1 if memory is short$"):
        build(good_project, out, AR_DOCX, jobs=2)
    assert BuildRecord.load(out).outputs["ar/sample/quiz.docx"] == ""  # current for no input
    monkeypatch.undo()
    assert "ar/sample/quiz.docx" in build(good_project, out, AR_DOCX, jobs=2).built


def test_a_build_that_does_not_fail_leaves_nothing_to_redo(good_project: Path) -> None:
    out = good_project / "output"
    build(good_project, out, AR_DOCX, jobs=1)
    edit(good_project / MOD, "ترتكز على القرب", "ترتكز أولا على القرب")
    assert HANDOUT in build(good_project, out, AR_DOCX, jobs=1).built
    assert build(good_project, out, AR_DOCX, jobs=1).built == []


def test_an_output_truncated_by_hand_is_rebuilt(good_project: Path) -> None:
    out = good_project / "output"
    build(good_project, out, ONE, jobs=1)
    whole = (out / HANDOUT).read_bytes()
    (out / HANDOUT).write_bytes(whole[:100])
    assert build(good_project, out, ONE, jobs=1).built == [HANDOUT]
    assert (out / HANDOUT).read_bytes() == whole


def test_an_output_edited_in_place_same_size_is_rebuilt(good_project: Path) -> None:
    out = good_project / "output"
    build(good_project, out, ONE, jobs=1)
    whole = (out / HANDOUT).read_bytes()
    (out / HANDOUT).write_bytes(whole[:-1] + bytes([whole[-1] ^ 1]))
    assert build(good_project, out, ONE, jobs=1).built == [HANDOUT]
    assert (out / HANDOUT).read_bytes() == whole


def test_an_output_only_touched_is_left_and_its_mtime_learnt(good_project: Path) -> None:
    out = good_project / "output"
    build(good_project, out, ONE, jobs=1)
    os.utime(out / HANDOUT, ns=(1_000_000_000, 1_000_000_000))
    assert build(good_project, out, ONE, jobs=1).built == []
    assert BuildRecord.load(out).files[HANDOUT][1] == 1_000_000_000


def test_the_whole_project_check_notices_a_truncated_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("twelve bytes", encoding="utf-8")
    record = BuildRecord(outputs={"a.txt": "text"})
    record.note(tmp_path, "a.txt")
    assert record.all_intact(tmp_path)
    (tmp_path / "a.txt").write_text("twelve", encoding="utf-8")
    assert not record.all_intact(tmp_path)


def test_clean_ignores_record_entries_outside_the_output_folder(good_project: Path) -> None:
    out = good_project / "output"
    build(good_project, out, ONE, jobs=1)
    victim = good_project / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    data = json.loads((out / RECORD).read_text(encoding="utf-8"))
    data["outputs"].update({"../victim.txt": "text", str(victim): "text",
                            "ar/sample/old.docx": "text"})
    (out / RECORD).write_text(json.dumps(data), encoding="utf-8")
    (out / "ar" / "sample" / "old.docx").write_text("stale", encoding="utf-8")
    result = build(good_project, out, ONE, clean=True, jobs=1)
    assert result.warnings == [
        f"{out / RECORD} lists '../victim.txt', which is outside the output folder; ignored",
        f"{out / RECORD} lists '{victim}', which is outside the output folder; ignored"]
    assert victim.read_text(encoding="utf-8") == "mine"
    # The near miss: an entry inside the folder that the course no longer makes goes.
    assert result.removed == ["ar/sample/old.docx"]
    assert not (out / "ar" / "sample" / "old.docx").exists()


def test_clean_ignores_record_entries_through_links_that_lead_out(good_project: Path) -> None:
    out = good_project / "output"
    build(good_project, out, ONE, jobs=1)
    elsewhere = good_project / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "kept.docx").write_text("mine", encoding="utf-8")
    (out / "ar" / "sample" / "old.docx").symlink_to(elsewhere / "kept.docx")
    (out / "ar" / "away").symlink_to(elsewhere, target_is_directory=True)
    data = json.loads((out / RECORD).read_text(encoding="utf-8"))
    data["outputs"].update({"ar/sample/old.docx": "text", "ar/away/kept.docx": "text",
                            "ar/sample/gone.docx": "text"})
    (out / RECORD).write_text(json.dumps(data), encoding="utf-8")
    result = build(good_project, out, ONE, clean=True, jobs=1)
    assert result.warnings == [
        f"{out / RECORD} lists 'ar/sample/old.docx', which is outside the output folder; "
        "ignored",
        f"{out / RECORD} lists 'ar/away/kept.docx', which is outside the output folder; "
        "ignored"]
    assert (elsewhere / "kept.docx").read_text(encoding="utf-8") == "mine"
    assert (out / "ar" / "sample" / "old.docx").is_symlink()
    # The near miss: a plain entry beside the link, no longer made, is forgotten.
    assert result.removed == ["ar/sample/gone.docx"]


def test_modules_named_like_internal_parts_stay_in_the_pdf_pack(good_project: Path) -> None:
    from pypdf import PdfReader

    modules = good_project / "content" / "modules"
    text = (modules / "sample.yaml").read_text(encoding="utf-8")
    for name in ("front", "glossary"):
        (modules / f"{name}.yaml").write_text(text.replace("id: sample\n", f"id: {name}\n", 1),
                                              encoding="utf-8")
    edit(good_project / "content" / "course.yaml", "modules: [sample]",
         "modules: [front, sample, glossary]")
    out = good_project / "output"
    build(good_project, out, Options(formats=["pdf"], kinds=["course-pack"], langs=["ar"]),
          jobs=1)
    parts = out / ".coursegen-parts" / "ar" / "course-pack"
    assert sorted(p.name for p in parts.glob("*.pdf")) == [
        "_front.pdf", "_glossary.pdf", "front.pdf", "glossary.pdf", "sample.pdf"]
    reader = PdfReader(out / "ar" / "course-pack.pdf")
    starts = [reader.get_destination_page_number(o) + 1 for o in reader.outline
              if not isinstance(o, list)]
    assert len(starts) == 4  # three modules and the glossary
    assert starts == sorted(set(starts))


FORKED = """
import multiprocessing, os, sys, time
from course.build.workers import _end_with_parent

def child(parent, hooked):
    if hooked:
        _end_with_parent(parent)
    time.sleep(30)

if __name__ == "__main__":
    p = multiprocessing.get_context("fork").Process(
        target=child, args=(os.getpid(), sys.argv[1] == "hooked"))
    p.start()
    print(p.pid, flush=True)
    time.sleep(30)
"""
# A lean worker: the fork server's child, not the build's.
LEAN = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
import multiprocessing
from course.build.workers import _end_with_parent

if __name__ == "__main__":
    hooked = sys.argv[1] == "hooked"
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=_end_with_parent if hooked else None,
                               initargs=(os.getpid(),) if hooked else ())
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 30)
    time.sleep(30)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("hooked", [True, False])
@pytest.mark.parametrize("script", [FORKED, LEAN], ids=["forked", "lean"])
def test_a_worker_ends_when_its_build_is_killed(script: str, hooked: bool) -> None:
    # A killed pool's resource tracker warns of the semaphores it leaves: not ours to see.
    parent = subprocess.Popen([sys.executable, "-c", script, "hooked" if hooked else "bare"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 3
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        # The near miss: a worker without the hook outlives its killed parent.
        assert alive(child) is not hooked
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)


def test_watch_reports_a_writer_error_and_goes_on(good_project: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    lines: list[str] = []
    failing_on(monkeypatch, "handout", RuntimeError("disk on fire"))

    def changes() -> Iterator[object]:
        monkeypatch.undo()
        yield {"fixed"}

    watch(good_project, good_project / "output", ONE, lines.append, changes())
    assert lines[0] == "internal error: RuntimeError: disk on fire; please report this"
    assert lines[1].startswith("watching ")
    assert lines[2] == f"rebuilt {HANDOUT}"
    assert lines[3].startswith("built 1 file, 0 unchanged, in ")


def test_watch_watches_a_custom_templates_folder(good_project: Path) -> None:
    (good_project / "my-templates").mkdir()
    edit(good_project / "content" / "course.yaml", "theme:", "templates: my-templates\ntheme:")
    assert watched_paths(good_project) == [good_project / "content",
                                           good_project / "my-templates"]
    # The near miss: a folder named but absent is not watched (check reports it).
    (good_project / "my-templates").rmdir()
    assert watched_paths(good_project) == [good_project / "content"]


@pytest.mark.parametrize("fault", ["record is a folder", "parts folder is a file",
                                   "cache folder is a file"])
def test_a_file_or_folder_in_the_builds_own_way_is_one_line_not_an_internal_error(
        good_project: Path, fault: str) -> None:
    from click.testing import CliRunner

    from course.cli import cli

    out = good_project / "output"
    out.mkdir()
    if fault == "record is a folder":
        (out / ".coursegen-build.json").mkdir()
    else:
        name = ".coursegen-parts" if fault == "parts folder is a file" else ".coursegen-cache"
        (out / name).write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--format",
                                      "pdf", "--only", "course-pack"])
    expected = {
        "record is a folder": (1, [f"error: '{out / '.coursegen-build.json'}' is a folder "
                                   "where the build keeps its record of what it wrote; move "
                                   "it away"]),
        "parts folder is a file": (1, [f"error: cannot keep the pack's parts in "
                                       f"'{out / '.coursegen-parts' / 'ar' / 'course-pack'}' "
                                       "(Not a directory); move away the file in its way, or "
                                       "make the output folder writable"]),
    }.get(fault)
    if expected:
        assert (result.exit_code, result.stderr.splitlines()) == expected
    else:  # caches are only kept where they can be: the build goes on without them
        assert result.exit_code == 0
        assert [line.split(", in ")[0] for line in result.stderr.splitlines()] == [
            "built 2 files, 0 unchanged"]
        assert (out / "ar" / "course-pack.pdf").is_file()
        assert (out / ".coursegen-cache").read_text(encoding="utf-8") == "not a folder"


def test_a_folder_or_file_in_an_outputs_way_is_said_and_nothing_is_written(
        good_project: Path) -> None:
    from click.testing import CliRunner

    from course.cli import cli

    out = good_project / "output"
    (out / "ar" / "sample" / "handout.docx").mkdir(parents=True)
    (out / "fr").write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--format",
                                      "docx", "--only", "handout"])
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        f"error: '{out / 'ar' / 'sample' / 'handout.docx'}' is a folder where the build "
        "writes a file; move it away",
        f"error: '{out / 'fr'}' is a file where the build makes a folder (for "
        "fr/sample/handout.docx); move it away"])
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if ".coursegen-cache" not in p.parts) == ["ar", "ar/sample",
                                                            "ar/sample/handout.docx", "fr"]
    # The near miss: with both out of the way, the same build writes both handouts.
    (out / "ar" / "sample" / "handout.docx").rmdir()
    (out / "fr").unlink()
    result = CliRunner().invoke(cli, ["build", "--project", str(good_project), "--format",
                                      "docx", "--only", "handout"])
    assert result.exit_code == 0 and (out / "fr" / "sample" / "handout.docx").is_file()


def test_an_interruption_after_the_writes_leaves_them_pending_and_the_next_build_redoes_them(
        good_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import course.build.pipeline as pipeline

    out = good_project / "output"
    build(good_project, out, AR_DOCX, jobs=1)
    edit(good_project / MOD, "ترتكز على القرب", "ترتكز أولا على القرب")
    real, calls = pipeline.plan_jobs, []

    def interrupted_after_the_writes(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:  # the stale outputs' plan: every file is written by now
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "plan_jobs", interrupted_after_the_writes)
    with pytest.raises(KeyboardInterrupt):
        build(good_project, out, AR_DOCX, jobs=1)
    assert "ترتكز أولا على القرب" in handout_text(out)
    record = BuildRecord.load(out)
    assert record.outputs[HANDOUT] == ""  # written, but the record never vouched for it
    assert record.quick == ""
    monkeypatch.undo()
    assert build(good_project, out, AR_DOCX, jobs=1).built == [HANDOUT]
    assert build(good_project, out, AR_DOCX, jobs=1).built == []
