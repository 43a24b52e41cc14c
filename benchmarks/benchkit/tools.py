"""What is measured: each builder's jobs on a corpus, and how each run is prepared.

A :class:`Job` is one kind of measured run (``icbt`` cold build of ``pages-1000`` with one
locale, say). Jobs come in groups that must run in order (an icbt cold build, then the no-change
rebuild, then the one-page edit); a round runs every group once, so the builders are interleaved
(A B C A B C ...). To measure another builder, add a function to :data:`BUILDERS`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchkit.corpus import Layouts, Shape

KIT = Path(__file__).resolve().parent
ICBT_MODES = ("cold", "no-change", "edit")
MODE_NAMES = {"cold": "cold", "no-change": "no-change rebuild", "edit": "one-page edit"}
EDIT = " This sentence was added for the one-page edit."


def nothing() -> None:
    """A preparation step with nothing to do."""


@dataclass(frozen=True)
class Job:
    """One kind of measured run."""

    tool: str
    mode: str
    corpus: str
    pages: int
    """Pages of the corpus (source pages; a build with locales writes more)."""
    locales: int
    command: tuple[str, ...]
    cwd: Path
    env: dict[str, str] | None = None
    prepare: Callable[[], None] = nothing
    """Untimed, before each run (clear the output for a cold build, edit a page...)."""
    cleanup: Callable[[], None] = nothing
    """Untimed, after each run (put the edited page back)."""

    @property
    def key(self) -> str:
        return f"{self.tool} {self.mode} | {self.corpus} | locales {self.locales}"


@dataclass
class Settings:
    """What every builder needs to know."""

    scratch: Path
    """Where outputs and caches go."""
    icbt_args: Sequence[str] = ()
    python: str = sys.executable
    modes: Sequence[str] = ICBT_MODES
    skipped: list[str] = field(default_factory=list)

    def bin(self, name: str) -> str:
        """A command of this Python's environment, else from PATH."""
        beside = Path(self.python).parent / name
        return str(beside) if beside.exists() else (shutil.which(name) or name)


def clear(*paths: Path) -> Callable[[], None]:
    def run() -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return run


def _reset_project(project: Path, keep: set[str], extra: Sequence[Path]) -> None:
    """Remove anything a build left in or beside the project (outputs, caches)."""
    for entry in project.iterdir():
        if entry.name not in keep:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    for path in extra:
        shutil.rmtree(path, ignore_errors=True)


def edited_page(project: Path) -> Path:
    """The page the one-page edit changes: the middle page of the first programme."""
    pages = sorted((project / "programmes").iterdir())[0].glob("modules/*/[0-9]*.md")
    ordered = sorted(pages)
    return ordered[len(ordered) // 2]


def icbt_jobs(settings: Settings, layouts: Layouts, shape: Shape, locales: int) -> list[Job]:
    """icbt: cold build, no-change rebuild, one-page edit (from the command line)."""
    project = layouts.icbt(locales)
    name = f"{shape.name}-locales-{locales}"
    out = settings.scratch / "out" / f"icbt-{name}"
    cache = settings.scratch / "cache" / f"icbt-{name}"
    # A cache kept outside the project goes under XDG_CACHE_HOME; cold builds start without it.
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    command = (settings.bin("icbt"), "build", "-q", "--out", str(out), *settings.icbt_args)
    keep = {"programmes", "locales"}

    def cold() -> None:
        _reset_project(project, keep, [out, cache])

    page = edited_page(project)
    original = page.read_text(encoding="utf-8")

    def edit() -> None:
        # The first paragraph after the front matter gets one more sentence.
        head, _, body = original.partition("\n---\n\n")
        first, _, rest = body.partition("\n\n")
        page.write_text(f"{head}\n---\n\n{first}{EDIT}\n\n{rest}", encoding="utf-8")

    def restore() -> None:
        page.write_text(original, encoding="utf-8")

    steps = {"cold": (cold, nothing), "no-change": (nothing, nothing), "edit": (edit, restore)}
    jobs = []
    for mode in ICBT_MODES:
        if mode not in settings.modes and mode != "cold":
            continue
        prepare, cleanup = steps[mode]
        jobs.append(
            Job(
                "icbt",
                MODE_NAMES[mode],
                shape.name,
                shape.pages,
                locales,
                command,
                project,
                env,
                prepare,
                cleanup,
            )
        )
    return jobs


def mkdocs_jobs(settings: Settings, layouts: Layouts, shape: Shape, locales: int) -> list[Job]:
    """MkDocs 1.6: default theme, auto nav and search (the config the corpus writes)."""
    out = settings.scratch / "out" / f"mkdocs-{shape.name}"
    command = (
        settings.python,
        "-m",
        "mkdocs",
        "build",
        "-q",
        "-f",
        str(layouts.mkdocs / "mkdocs.yml"),
        "-d",
        str(out),
    )
    return [
        Job(
            "mkdocs",
            "cold",
            shape.name,
            shape.pages,
            0,
            command,
            layouts.mkdocs,
            prepare=clear(out),
        )
    ]


def ceiling_jobs(settings: Settings, layouts: Layouts, shape: Shape, locales: int) -> list[Job]:
    """markdown-it-py + Jinja2 in one process (the Python ceiling)."""
    out = settings.scratch / "out" / f"ceiling-{shape.name}"
    command = (settings.python, str(KIT / "ceiling.py"), str(layouts.docs), str(out))
    return [
        Job(
            "ceiling", "cold", shape.name, shape.pages, 0, command, layouts.root, prepare=clear(out)
        )
    ]


def hugo_jobs(settings: Settings, layouts: Layouts, shape: Shape, locales: int) -> list[Job]:
    """Hugo, cold: no output, no cache, no resources from an earlier build."""
    hugo = shutil.which("hugo")
    if hugo is None:
        message = "hugo is not installed: Hugo is skipped (Debian: apt-get install hugo)"
        if message not in settings.skipped:
            settings.skipped.append(message)
        return []
    out = settings.scratch / "out" / f"hugo-{shape.name}"
    cache = settings.scratch / "cache" / f"hugo-{shape.name}"
    command = (
        hugo,
        "--quiet",
        "--noBuildLock",
        "--source",
        str(layouts.hugo),
        "--destination",
        str(out),
        "--cacheDir",
        str(cache),
    )
    return [
        Job(
            "hugo",
            "cold",
            shape.name,
            shape.pages,
            0,
            command,
            layouts.hugo,
            prepare=clear(out, cache, layouts.hugo / "resources"),
        )
    ]


Builder = Callable[[Settings, Layouts, Shape, int], list[Job]]
BUILDERS: dict[str, Builder] = {
    "icbt": icbt_jobs,
    "mkdocs": mkdocs_jobs,
    "ceiling": ceiling_jobs,
    "hugo": hugo_jobs,
}
"""The builders; only icbt builds translated locales, the others build the source pages."""


def startup_command(settings: Settings) -> tuple[str, ...]:
    """``icbt --version``, or ``icbt --help`` while there is no --version."""
    icbt = settings.bin("icbt")
    done = subprocess.run([icbt, "--version"], capture_output=True, check=False)
    return (icbt, "--version") if done.returncode == 0 else (icbt, "--help")


def startup_jobs(settings: Settings, runs: int) -> list[Job]:
    command = startup_command(settings)
    job = Job("icbt", f"start-up ({command[1]})", "-", 0, 0, command, settings.scratch)
    return [job] * runs


def tool_versions(settings: Settings) -> dict[str, str]:
    """The version of each builder, as measured."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str] = {"python": sys.version.split()[0]}
    for package in ("icbt-content", "mkdocs", "markdown-it-py", "Jinja2", "PyYAML"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    hugo = shutil.which("hugo")
    if hugo:
        done = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
        found["hugo"] = done.stdout.strip().split(" ")[1] if done.stdout else "unknown"
    else:
        found["hugo"] = "not installed"
    return found
