"""``--jobs``: programmes built in worker processes give the same site and the same diagnostics as
one process, in the same order, and a worker that dies is reported, not waited for."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.commandline import run
from icbt_content.pipeline import parallel
from icbt_content.pipeline.unit import ProgrammeBuild


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def add_programme(project: Path, name: str, *, warning: bool = False) -> None:
    """A copy of the demo programme under another id; with ``warning``, a page that warns."""
    target = project / "programmes" / name
    shutil.copytree(project / "programmes" / "demo", target)
    manifest = target / "programme.yaml"
    manifest.write_text(manifest.read_text().replace("id: demo", f"id: {name}"))
    if warning:
        page = target / "modules" / "practice" / "01-try-it.md"
        page.write_text(page.read_text() + "\n[a link](https://example.com/elsewhere)\n")


@pytest.fixture
def three_programmes(basic_project: Path) -> Path:
    add_programme(basic_project, "demo-b", warning=True)
    add_programme(basic_project, "demo-c")
    return basic_project


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_any_number_of_jobs_builds_the_same_site(
    three_programmes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    monkeypatch.setattr(parallel, "START_METHOD", start)
    one = build_site(three_programmes, tmp_path / "one", jobs=1)
    assert one.ok, [d.format() for d in one.diagnostics]
    for jobs in (2, 3):
        many = build_site(three_programmes, tmp_path / f"jobs-{jobs}", jobs=jobs)
        assert many.ok, [d.format() for d in many.diagnostics]
        assert tree(tmp_path / f"jobs-{jobs}") == tree(tmp_path / "one")
        assert [d.format() for d in many.diagnostics] == [d.format() for d in one.diagnostics]
        assert (many.programmes, many.locales, many.pages, many.files) == (
            one.programmes,
            one.locales,
            one.pages,
            one.files,
        )
    assert one.programmes == ["demo", "demo-b", "demo-c"]


def test_a_programme_that_fails_to_load_fails_the_build_alike(
    three_programmes: Path, tmp_path: Path
) -> None:
    (three_programmes / "programmes" / "demo-b" / "modules" / "start" / "module.md").unlink()
    reports = [build_site(three_programmes, tmp_path / f"jobs-{n}", jobs=n) for n in (1, 2)]
    assert not any(report.ok for report in reports)
    assert [d.format() for d in reports[0].diagnostics] == [
        d.format() for d in reports[1].diagnostics
    ]
    assert reports[0].diagnostics.errors
    assert not (tmp_path / "jobs-1").exists() and not (tmp_path / "jobs-2").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _die(*args: object, **kwargs: object) -> ProgrammeBuild:
    os._exit(3)


def test_icbt725_a_worker_that_dies_is_reported(
    three_programmes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "START_METHOD", "fork")  # the worker inherits the patch
    monkeypatch.setattr(parallel, "build_programme", _die)
    report = build_site(three_programmes, tmp_path / "site", jobs=2)
    assert not report.ok
    assert [d.code for d in report.diagnostics] == ["ICBT725"]
    assert report.diagnostics.errors[0].file.endswith("programmes/demo")
    assert not (tmp_path / "site").exists()


def _broken(*args: object, **kwargs: object) -> ProgrammeBuild:
    raise RuntimeError("a bug in a worker")


def test_an_error_in_a_worker_is_raised_here(
    three_programmes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "START_METHOD", "fork")
    monkeypatch.setattr(parallel, "build_programme", _broken)
    with pytest.raises(RuntimeError, match="a bug in a worker"):
        build_site(three_programmes, tmp_path / "site", jobs=2)


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_whole_number(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["build", "--jobs", value]) == 2
    assert "expected a whole number of at least 1" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_workers_are_forked_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "START_METHOD", None)
    # Forked whatever Python's default (a fork server from 3.14): workers share imported code.
    assert parallel.start_context().get_start_method() == "fork"


def _frozen() -> int:
    return gc.get_freeze_count()


@pytest.mark.parametrize(("start", "shared"), [("fork", True), ("spawn", False)])
def test_forked_workers_keep_the_collector_off_what_they_share(
    monkeypatch: pytest.MonkeyPatch, start: str, shared: bool
) -> None:
    monkeypatch.setattr(parallel, "START_METHOD", start)
    pool, context = parallel.start_pool(1)
    with pool:
        with parallel.shared_when_forked(context):
            frozen = pool.submit(_frozen)
        assert (frozen.result() > 0) is shared
    assert gc.get_freeze_count() == 0  # here, the objects are collected again


def test_the_default_is_one_job_per_core() -> None:
    assert parallel.default_jobs() == len(os.sched_getaffinity(0))


_ORPHANED_POOL = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from icbt_content.pipeline.parallel import watch_parent

pool = ProcessPoolExecutor(1, initializer=watch_parent, initargs=(os.getpid(),))
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(600)
"""


def test_workers_leave_when_the_build_is_killed() -> None:
    import signal
    import subprocess
    import sys
    import time

    build = subprocess.Popen([sys.executable, "-c", _ORPHANED_POOL], stdout=subprocess.PIPE)
    try:
        assert build.stdout is not None
        worker = int(build.stdout.readline())
        os.kill(build.pid, signal.SIGKILL)  # no chance to shut its pool down
        build.wait()
        deadline = time.monotonic() + 30
        while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
            state = Path(f"/proc/{worker}/stat").read_text().split(")")[-1].split()[0]
            if state == "Z":  # gone, waiting to be reaped by init
                break
            time.sleep(0.1)
        alive = Path(f"/proc/{worker}").exists() and (
            Path(f"/proc/{worker}/stat").read_text().split(")")[-1].split()[0] != "Z"
        )
        assert not alive, f"worker {worker} outlived its build"
    finally:
        build.kill()
