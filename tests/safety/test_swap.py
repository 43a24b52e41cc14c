"""The site swap: a build killed at any instant leaves the complete old or the complete new site."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.outputs import SITE
from icbt_content.pipeline import writer
from icbt_content.pipeline.writer import StagedSite, exchange, remove_stale

FIXTURES = Path(__file__).parent.parent / "fixtures"

#: Imports the builder once, then for each "go" line forks a child that builds two versions of a
#: project into one site, one after the other, until the test kills it (SIGKILL); prints the
#: child's pid, and "gone" once it has been killed.
BUILDER = """
import os, sys
from icbt_content import build_site
one, two, out = sys.argv[1:4]
print("ready", flush=True)
for _ in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            while True:
                for project in (one, two):
                    assert build_site(project, out).ok
        finally:
            os._exit(1)
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("gone", flush=True)
"""


def _digest(folder: Path) -> str:
    entries = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        content = path.read_bytes() if path.is_file() else b"folder"
        entries.append(f"{relative}:{hashlib.sha256(content).hexdigest()}")
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith((".site-new-", ".site-old-"))
    )


def _two_versions(tmp_path: Path) -> tuple[Path, Path]:
    one = tmp_path / "one"
    shutil.copytree(FIXTURES / "projects" / "basic", one)
    two = tmp_path / "two"
    shutil.copytree(one, two)
    page = two / "programmes/demo/modules/start/01-welcome.md"
    page.write_text(page.read_text().replace("short pages", "very short pages"))
    extra = two / "programmes/demo/modules/start/03-more.md"
    extra.write_text("---\ntitle: More\n---\n\nOne more page, so the sites differ in files too.\n")
    return one, two


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "from-b").write_text("b")
    assert exchange(tmp_path / "a", tmp_path / "b"), "renameat2 is there on Linux"
    assert (tmp_path / "a" / "from-b").is_file() and (tmp_path / "b" / "from-a").is_file()


def test_the_fallback_swap_is_used_where_exchange_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = _two_versions(tmp_path)
    out = tmp_path / "site"
    assert build_site(one, out).ok
    monkeypatch.setattr(writer, "exchange", lambda first, second: False)
    assert build_site(two, out).ok
    assert (out / "demo/en-GB/start/more/index.html").is_file()
    assert _leftovers(tmp_path) == []


def test_stale_folders_are_removed_only_when_they_are_ours(tmp_path: Path) -> None:
    out = tmp_path / "site"
    ours = tmp_path / ".site-new-abc123"
    ours.mkdir()
    (ours / SITE.name).write_bytes(SITE.content)
    (ours / "index.html").write_text("half a site")
    retired = tmp_path / ".site-old-xyz"
    (retired / "deep").mkdir(parents=True)
    (retired / SITE.name).write_bytes(SITE.content)
    empty = tmp_path / ".site-new-empty"
    empty.mkdir()
    cut_short = tmp_path / ".site-new-cut"
    cut_short.mkdir()
    (cut_short / SITE.name).write_bytes(b"")
    theirs = tmp_path / ".site-new-notes"
    theirs.mkdir()
    (theirs / "notes.md").write_text("someone's notes with a name like ours")
    unrelated = tmp_path / ".site-draft"
    unrelated.mkdir()
    (unrelated / SITE.name).write_bytes(SITE.content)
    removed = remove_stale(out)
    assert sorted(p.name for p in removed) == sorted(
        [ours.name, retired.name, empty.name, cut_short.name]
    )
    assert theirs.is_dir() and unrelated.is_dir()


def test_a_running_builds_staging_folder_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with StagedSite(out) as running:
        assert running.staging is not None
        running.write("index.html", b"in progress")
        assert remove_stale(out) == []
        assert (running.staging / "index.html").is_file()
        running.commit()
    assert (out / "index.html").read_bytes() == b"in progress"
    assert _leftovers(tmp_path) == []


def test_the_staging_folder_carries_the_marker_from_the_start(tmp_path: Path) -> None:
    with StagedSite(tmp_path / "site") as site:
        assert site.staging is not None
        assert (site.staging / SITE.name).read_bytes() == SITE.content
        with pytest.raises(OSError):
            site.write(SITE.name, b"not the marker")
    assert _leftovers(tmp_path) == []


def test_builds_killed_at_random_moments_leave_the_old_or_the_new_site(tmp_path: Path) -> None:
    one, two = _two_versions(tmp_path)
    out = tmp_path / "site"
    expected = {}
    for project in (one, two):
        reference = tmp_path / f"reference-{project.name}"
        assert build_site(project, reference).ok
        expected[_digest(reference)] = project.name
    assert len(expected) == 2
    assert build_site(one, out).ok
    script = tmp_path / "builder.py"
    script.write_text(BUILDER)
    chance = random.Random(20260517)
    builder = subprocess.Popen(
        [sys.executable, str(script), str(one), str(two), str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert builder.stdout is not None and builder.stdin is not None
    assert builder.stdout.readline().strip() == "ready"
    try:
        for _ in range(40):
            builder.stdin.write("go\n")
            builder.stdin.flush()
            child = int(builder.stdout.readline())
            time.sleep(chance.uniform(0.0, 1.2))
            os.kill(child, signal.SIGKILL)
            assert builder.stdout.readline().strip() == "gone"
            _check_after_a_kill(one, out, expected, tmp_path)
    finally:
        builder.kill()
        builder.wait()


def _check_after_a_kill(one: Path, out: Path, expected: dict[str, str], tmp_path: Path) -> None:
    """A killed build left the old or the new site, and the next build cleans up after it."""
    assert out.is_dir(), "a kill never leaves no site"
    assert _digest(out) in expected, "the site is the complete old or the complete new one"
    assert build_site(one, out).ok, "the next build replaces what a killed one left"
    assert _leftovers(tmp_path) == [], "and removes its staging and retired folders"
