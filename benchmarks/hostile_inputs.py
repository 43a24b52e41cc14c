"""Time and memory of `icbt check` / `icbt build` on hostile inputs, each in a fresh process.

    python3 benchmarks/hostile_inputs.py [--timeout 120] [--only NAME ...]

Each case writes a small project with one hostile input (a YAML alias bomb, 40,000 duplicate
headings, a 1 MB page of links in three locales, a PO file of a million messages...) and runs the
command in a child process, reporting its CPU seconds (user + system, steadier than wall time on
a busy machine), wall seconds, peak memory and how it ended: the diagnostic codes it printed, or
"killed" when it ran past --timeout. Run it with PYTHONPATH pointing at an older checkout's
`src` to compare before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.plurals import get_plural

MANIFEST = "id: bench\ntitle: Bench\nversion: 1.0.0\ncondition: Test\nmodules: [m]\n"
MODULE = "---\ntitle: M\n---\n\n## What this module is for\n\nNotes.\n"
PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: {locale}\\n"\n"Plural-Forms: {plural}\\n"\n\n'
)
LOCALES = ("fr", "fr-FR")  # with the source en-GB: three locales
REPO = Path(__file__).resolve().parent.parent
#: Publishable locale files: the project's own en-GB crisis services, and the French test
#: fixture's (its crisis services and translated interface), so every locale can be published.
SOURCE_LOCALE = REPO / "locales/en-GB/locale.yaml"
FRENCH = REPO / "tests/fixtures/i18n/project/locales/fr"


def bomb(levels: int, width: int) -> str:
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def project(root: Path, page: str = "Text.\n", *, locales: bool = False) -> Path:
    """A programme with one module and one page (``page`` is its body)."""
    programme = root / "programmes/bench"
    (programme / "modules/m").mkdir(parents=True)
    (programme / "programme.yaml").write_text(MANIFEST, "utf-8")
    (programme / "modules/m/module.md").write_text(MODULE, "utf-8")
    (programme / "modules/m/01-page.md").write_text(f"---\ntitle: Page\n---\n\n{page}", "utf-8")
    (root / "locales/en-GB").mkdir(parents=True)
    (root / "locales/en-GB/locale.yaml").write_bytes(SOURCE_LOCALE.read_bytes())
    if locales:
        for locale in LOCALES:
            folder = root / "locales" / locale
            folder.mkdir(parents=True)
            (folder / "bench.po").write_text(_po_header(locale), "utf-8")
            (folder / "locale.yaml").write_bytes((FRENCH / "locale.yaml").read_bytes())
            interface = (FRENCH / "interface.po").read_text("utf-8")
            language = locale.replace("-", "_")
            interface = interface.replace('"Language: fr\\n"', f'"Language: {language}\\n"')
            (folder / "interface.po").write_text(interface, "utf-8")
    return root


def _po_header(locale: str) -> str:
    plural = get_plural(locale.replace("-", "_")).plural_forms
    return PO_HEADER.format(locale=locale.replace("-", "_"), plural=plural)


def _page_of(unit: str, size: int = 1_000_000) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def yaml_bomb_manifest(root: Path) -> Path:
    project(root)
    (root / "programmes/bench/programme.yaml").write_text(bomb(9, 9), "utf-8")
    return root


def yaml_bomb_front_matter(root: Path) -> Path:
    project(root)
    page = root / "programmes/bench/modules/m/01-page.md"
    page.write_text(f"---\n{bomb(8, 10)}---\n\nText.\n", "utf-8")
    return root


def yaml_bomb_locale(root: Path) -> Path:
    project(root, locales=True)
    (root / "locales/fr/locale.yaml").write_text(bomb(9, 9), "utf-8")
    return root


def yaml_deep(root: Path) -> Path:
    project(root)
    page = root / "programmes/bench/modules/m/01-page.md"
    page.write_text("---\ntitle: " + "{a: " * 20_000 + "}" * 20_000 + "\n---\n\nText.\n", "utf-8")
    return root


def headings(count: int) -> Callable[[Path], Path]:
    def make(root: Path) -> Path:
        return project(root, "## Same\n\n" * count)

    return make


def plain_page(root: Path) -> Path:
    words = "Notice what happens when you turn your attention outwards. "
    paragraphs = "\n\n".join(_page_of(words, 600) for _ in range(1_600))
    return project(root, paragraphs[:999_000], locales=True)


def at_the_limits(root: Path) -> Path:
    """Just under every Markdown limit at once: the worst a build accepts."""
    parts = [
        f"## Part {i}\n\nSee [part {i}](#part-{i}) and [more](#part-{i}).\n" for i in range(499)
    ]
    parts.append("*a* " * 2_400 + "\n")  # 9,600 emphasis markers
    parts.append("`a` " * 4_900 + "\n")  # 9,800 backticks
    parts.append("\n".join(["| " + " | ".join(["c"] * 60) + " |"] * 150) + "\n")
    return project(root, "\n".join(parts), locales=True)


def links_page(root: Path) -> Path:
    # Links to a section that exists, so the build gets past its checks to rendering.
    return project(root, "## P\n\n" + _page_of("[a](#p) ", 999_000 - 6), locales=True)


def emphasis_page(root: Path) -> Path:
    return project(root, _page_of("*a", 999_000), locales=True)


def wide_table(root: Path) -> Path:
    row = _page_of("a|", 499_000)
    return project(root, f"|{row}\n|{_page_of('-|', 499_000)}\n", locales=True)


def many_pages(root: Path) -> Path:
    project(root)
    folder = root / "programmes/bench/modules/m"
    for n in range(2, 3001):
        (folder / f"{n:04d}-page-{n}.md").write_text(f"---\ntitle: Page {n}\n---\n\nText.\n")
    return root


def po_entries(root: Path) -> Path:
    project(root, locales=True)
    entries = "".join(f'msgid "message {i}"\nmsgstr "Nachricht {i}"\n\n' for i in range(1_000_000))
    (root / "locales/fr/bench.po").write_text(_po_header("fr") + entries, "utf-8")
    return root


def po_long_string(root: Path) -> Path:
    project(root, locales=True)
    lines = '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n' * 1_000_000
    text = _po_header("fr") + f'msgid "Text."\nmsgstr ""\n{lines}'
    (root / "locales/fr/bench.po").write_text(text, "utf-8")
    return root


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    command: str
    make: Callable[[Path], Path]


CASES = [
    Case(
        "yaml-bomb-manifest", "programme.yaml, 9 levels of 9 aliases", "check", yaml_bomb_manifest
    ),
    Case("yaml-bomb-front-matter", "front matter, 8 levels of 10", "check", yaml_bomb_front_matter),
    Case("yaml-bomb-locale", "locale.yaml, 9 levels of 9", "build", yaml_bomb_locale),
    Case("yaml-deep", "front matter nested 20,000 deep", "check", yaml_deep),
    Case("headings-16k", "16,000 duplicate headings", "build", headings(16_000)),
    Case("headings-40k", "40,000 duplicate headings", "build", headings(40_000)),
    Case("render-headings-16k", "render_markdown(), 16,000 duplicates", "render", headings(16_000)),
    Case("render-headings-40k", "render_markdown(), 40,000 duplicates", "render", headings(40_000)),
    Case("plain-1mb-3-locales", "1 MB of ordinary prose, 3 locales", "build", plain_page),
    Case(
        "at-the-limits-3-locales",
        "a page just under every limit, 3 locales",
        "build",
        at_the_limits,
    ),
    Case("links-1mb-3-locales", "1 MB page of ~125k links, 3 locales", "build", links_page),
    Case("emphasis-1mb-3-locales", "1 MB emphasis run, 3 locales", "build", emphasis_page),
    Case("table-1mb-3-locales", "1 MB table, 250k columns, 3 locales", "build", wide_table),
    Case("pages-3000", "3,000 pages in one module", "build", many_pages),
    Case("po-1m-messages", "PO file of a million messages", "build", po_entries),
    Case("po-50mb-string", "PO file with a 50 MB msgstr", "build", po_long_string),
]


@dataclass
class Result:
    cpu: float
    wall: float
    peak_mb: float
    outcome: str


#: The library call without the build's limits: Markdown of the bench page rendered once.
RENDER = (
    "import sys; from pathlib import Path; from icbt_content import render_markdown; "
    "render_markdown(Path(sys.argv[1]).read_text('utf-8'))"
)


def run_case(case: Case, timeout: float) -> Result:
    with tempfile.TemporaryDirectory(prefix="icbt-hostile-") as tmp:
        root = Path(tmp) / "project"
        # Made in another process: a child forked from a big parent would count its memory.
        subprocess.run([sys.executable, __file__, "--make", case.name, str(root)], check=True)
        args = [sys.executable, "-m", "icbt_content", case.command, "--project", str(root)]
        if case.command == "build":
            args += ["--out", str(Path(tmp) / "site"), "-q"]
        elif case.command == "render":
            args = [
                sys.executable,
                "-c",
                RENDER,
                str(root / "programmes/bench/modules/m/01-page.md"),
            ]
        log = Path(tmp) / "stderr.txt"
        with log.open("wb") as stderr:
            started = time.perf_counter()
            child = subprocess.Popen(
                args, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
            )
            status, usage, killed = _wait(child, started + timeout)
            wall = time.perf_counter() - started
        text = log.read_text("utf-8", "replace")
        if killed:
            outcome = f"killed after {timeout:.0f} s"
        elif "Traceback" in text or "internal error" in text:
            last = text.strip().splitlines()[-1] if text.strip() else ""
            outcome = f"crashed: {last[:70]}"
        else:
            codes = sorted(set(re.findall(r"\[(ICBT\d+)\]", text)))
            outcome = f"exit {os.waitstatus_to_exitcode(status)}" + (
                f", {' '.join(codes)}" if codes else ""
            )
        cpu = usage.ru_utime + usage.ru_stime
        return Result(cpu, wall, usage.ru_maxrss / 1024, outcome)


def _wait(child: subprocess.Popen[bytes], deadline: float) -> tuple[int, Any, bool]:
    """Wait for the child (killing it at ``deadline``); its status and its own resource use."""
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return status, usage, False
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = -signal.SIGKILL
            return status, usage, True
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--only", nargs="*", default=None, help="run only these cases")
    parser.add_argument("--make", nargs=2, metavar=("CASE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        next(c for c in CASES if c.name == args.make[0]).make(Path(args.make[1]))
        return
    chosen = [c for c in CASES if not args.only or c.name in args.only]
    print(f"{'case':<24} {'cpu s':>7} {'wall s':>7} {'peak MB':>8}  outcome")
    for case in chosen:
        result = run_case(case, args.timeout)
        print(
            f"{case.name:<24} {result.cpu:7.1f} {result.wall:7.1f} {result.peak_mb:8.0f}  "
            f"{result.outcome}   ({case.what}"
            + (f": icbt {case.command})" if case.command != "render" else ")"),
            flush=True,
        )


if __name__ == "__main__":
    main()
