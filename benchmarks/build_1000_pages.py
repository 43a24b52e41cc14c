"""Build a generated 1,000-page programme with `icbt build` and with `mkdocs build`; compare.

    python3 benchmarks/build_1000_pages.py [--pages 1000] [--repeat 3]

Both tools get the same Markdown pages (MkDocs with its default theme; our directives are plain
text to it). Each build runs in a fresh process; the best of --repeat runs is reported.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

PAGES_PER_MODULE = 50
SENTENCE = (
    "you may notice that worry grows when you focus on yourself and the feeling fades "
    "when you turn your attention to the people around you and what they are saying today"
)
WORDS = SENTENCE.split()


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    out = []
    for _ in range(sentences):
        words = rng.choices(WORDS, k=rng.randint(8, 14))
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def page_body(rng: random.Random, n: int) -> str:
    parts = [paragraph(rng)]
    for section in range(3):
        parts.append(f"## Part {section + 1} of page {n}")
        parts.append(paragraph(rng))
        parts.append("\n".join(f"- {paragraph(rng, 1)}" for _ in range(3)))
    parts.append(f"::: case-example A story {{#story-{n}}}\n{paragraph(rng)}\n:::")
    if n % 5 == 0:
        parts.append(
            f"::: exercise behavioural-experiment\nid: experiment-{n}\ntitle: Experiment {n}\n:::"
        )
    return "\n\n".join(parts) + "\n"


def generate(root: Path, pages: int) -> None:
    rng = random.Random(1000)
    modules = (pages + PAGES_PER_MODULE - 1) // PAGES_PER_MODULE
    programme = root / "icbt" / "programmes" / "bench"
    docs = root / "mkdocs" / "docs"
    docs.mkdir(parents=True)
    (root / "mkdocs" / "mkdocs.yml").write_text("site_name: Bench\n")
    (docs / "index.md").write_text("# Bench\n")
    ids = [f"module-{m + 1}" for m in range(modules)]
    programme.mkdir(parents=True)
    # A published locale needs checked crisis services; dated today so the check always passes.
    locale = root / "icbt" / "locales" / "en-GB"
    locale.mkdir(parents=True)
    (locale / "locale.yaml").write_text(
        f'crisis_checked: "{datetime.now(UTC).date().isoformat()}"\ncrisis:\n'
        '  - {name: Samaritans, contact: "116 123", href: "tel:116123", hours: 24 hours}\n'
    )
    (programme / "programme.yaml").write_text(
        "id: bench\ntitle: Benchmark\nversion: 1.0.0\ncondition: Benchmark\nmodules:\n"
        + "".join(f"  - {i}\n" for i in ids)
    )
    count = 0
    for module_id in ids:
        folder = programme / "modules" / module_id
        folder.mkdir(parents=True)
        (folder / "module.md").write_text(
            f"---\ntitle: {module_id}\n---\n\n## What this module is for\n\nPractice.\n"
        )
        (docs / module_id).mkdir()
        for p in range(PAGES_PER_MODULE):
            if count == pages:
                break
            count += 1
            body = page_body(rng, count)
            (folder / f"{p + 1:02d}-page-{count}.md").write_text(
                f"---\ntitle: Page {count}\n---\n\n{body}"
            )
            (docs / module_id / f"page-{count}.md").write_text(f"# Page {count}\n\n{body}")


# Runs a module as `python -m` would, then writes the process's peak memory (KiB) to a file.
PEAK_MEMORY = """
import atexit, resource, runpy, sys
report = sys.argv.pop(1)
atexit.register(lambda: open(report, "w").write(
    str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def timed(module_and_args: list[str], cwd: Path) -> tuple[float, int]:
    """Seconds taken and peak memory (MiB) of one build in a fresh process."""
    report = cwd / "peak-memory.txt"
    command = [sys.executable, "-c", PEAK_MEMORY, str(report), *module_and_args]
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    return seconds, int(report.read_text()) // 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="icbt-bench-"))
    try:
        generate(root, args.pages)
        icbt = ["icbt_content", "build", "-q", "--out", "out"]
        mkdocs = ["mkdocs", "build", "-q", "-d", "out"]
        icbt_runs = [timed(icbt, root / "icbt") for _ in range(args.repeat)]
        mkdocs_runs = [timed(mkdocs, root / "mkdocs") for _ in range(args.repeat)]
        pages_built = len(list((root / "icbt" / "out" / "bench").rglob("index.html")))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    icbt_times = [round(t, 2) for t, _ in icbt_runs]
    mkdocs_times = [round(t, 2) for t, _ in mkdocs_runs]
    best_icbt, best_mkdocs = min(icbt_times), min(mkdocs_times)
    print(f"pages:        {args.pages} ({pages_built} HTML files written by icbt)")
    print(f"icbt build:   {best_icbt:.2f} s (best of {args.repeat}: {icbt_times})")
    print(f"mkdocs build: {best_mkdocs:.2f} s (best of {args.repeat}: {mkdocs_times})")
    print(f"ratio:        icbt is {best_mkdocs / best_icbt:.2f}x the speed of mkdocs")
    print(
        f"peak memory:  icbt {max(m for _, m in icbt_runs)} MiB, "
        f"mkdocs {max(m for _, m in mkdocs_runs)} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
