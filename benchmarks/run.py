"""Benchmark icbt against MkDocs, the markdown-it-py + Jinja2 ceiling and Hugo on one corpus.

    python3 benchmarks/run.py                  # quick: 100 and 1,000 pages, 0 and 1 locale
    python3 benchmarks/run.py --full           # 100, 1,000, 10,000 pages; 0, 1, 4 locales; shapes
    python3 benchmarks/run.py --sizes 1000 --locales 0,1,4 --shapes all --json results.json

Generates a seeded corpus of ~1,000-word pages (headings, lists, tables, links) as an icbt
project (translated locales made by icbt's own extract and init functions and a fake
translator), an MkDocs project and a Hugo site; builds each in a fresh process, interleaved
(A B C A B C...), --repeat times; prints the median wall and CPU time, peak memory and the
ratios issue 16 sets targets for.
Run it with the Python of an environment where icbt-content is installed.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchkit.corpus import REPO, Shape, big_programme, duplicate_headings, sized, small_programmes
from benchkit.locales import LOCALES
from benchkit.measure import RunFailed, run_measured
from benchkit.prepare import prepare, say
from benchkit.report import Result, Results, comparisons, results_from_json
from benchkit.report import markdown as markdown_report
from benchkit.tools import BUILDERS, ICBT_MODES, Job, Settings, startup_jobs, tool_versions

SHAPES = ("programmes", "headings")


def numbers(text: str) -> list[int]:
    if text.strip() == "none":
        return []
    return [int(part) for part in text.split(",") if part.strip()]


def names(allowed: Sequence[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        chosen = [part.strip() for part in text.split(",") if part.strip()]
        if chosen == ["all"]:
            return list(allowed)
        if chosen == ["none"]:
            return []
        unknown = sorted(set(chosen) - set(allowed))
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {unknown}; choose from {list(allowed)}")
        return chosen

    return parse


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(__doc__ or "").split("\n\n", 1)[1],
    )
    parser.add_argument(
        "--full", action="store_true", help="sizes 100,1000,10000; locales 0,1,4; every shape"
    )
    parser.add_argument(
        "--sizes", type=numbers, help="corpus sizes in pages, or none (default 100,1000)"
    )
    parser.add_argument(
        "--locales", type=numbers, help=f"translated locale counts, 0-{len(LOCALES)} (default 0,1)"
    )
    parser.add_argument(
        "--tools",
        type=names(list(BUILDERS)),
        default=list(BUILDERS),
        help="builders to measure (default all: icbt,mkdocs,ceiling,hugo)",
    )
    parser.add_argument(
        "--modes",
        type=names(ICBT_MODES),
        default=list(ICBT_MODES),
        help="icbt builds: cold,no-change,edit (default all)",
    )
    parser.add_argument(
        "--shapes",
        type=names(SHAPES),
        default=None,
        help="also: programmes (1 of 200 modules vs 20 of 10), headings "
        "(duplicate headings); 'all' or 'none' (default none; all with --full)",
    )
    parser.add_argument(
        "--duplicate-headings",
        type=numbers,
        default=[4000, 16000],
        help="heading counts of the duplicate-headings pages (default 4000,16000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build (default 3)")
    parser.add_argument(
        "--startup-runs", type=int, default=3, help="icbt start-up runs per round (default 3)"
    )
    parser.add_argument(
        "--icbt-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="pass ARG to every 'icbt build' (e.g. --icbt-arg=--jobs=2)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/icbt-benchmarks"),
        help="corpora (reused while unchanged) and outputs",
    )
    parser.add_argument("--regenerate", action="store_true", help="generate the corpora again")
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600,
        help="seconds before a build is given up (default 3600)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    parser.add_argument(
        "--markdown", type=Path, metavar="FILE", help="also write the tables here as Markdown"
    )
    parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="measure nothing: print the tables of an earlier --json FILE again",
    )
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = [100, 1000, 10000] if args.full else [100, 1000]
    args.locales = (
        args.locales if args.locales is not None else ([0, 1, 4] if args.full else [0, 1])
    )
    if args.shapes is None:
        args.shapes = list(SHAPES) if args.full else []
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if max(args.locales, default=0) > len(LOCALES):
        parser.error(f"--locales: at most {len(LOCALES)}")
    return args


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model or platform.processor(),
        "system": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "commit": commit,
    }


def plan(args: argparse.Namespace, settings: Settings) -> list[list[Job]]:
    """Groups of jobs; each round runs every group, in this order."""
    groups: list[list[Job]] = []
    if "icbt" in args.tools:
        groups.append(startup_jobs(settings, args.startup_runs))
    others = [tool for tool in args.tools if tool != "icbt"]
    for size in args.sizes:
        shape = sized(size)
        counts = args.locales if "icbt" in args.tools else [0]
        layouts = prepare(
            args.workdir / "corpora", shape, counts, others=bool(others), regenerate=args.regenerate
        )
        for count in counts:
            if "icbt" in args.tools:
                groups.append(BUILDERS["icbt"](settings, layouts, shape, count))
            if count == 0:
                groups += [BUILDERS[tool](settings, layouts, shape, 0) for tool in others]
    shapes: list[Shape] = []
    if "programmes" in args.shapes:
        shapes += [big_programme(), small_programmes()]
    if "headings" in args.shapes:
        shapes += [duplicate_headings(n) for n in args.duplicate_headings]
    if shapes and "icbt" in args.tools:
        cold_only = dataclasses.replace(settings, modes=("cold",))
        for shape in shapes:
            layouts = prepare(
                args.workdir / "corpora", shape, [0], others=False, regenerate=args.regenerate
            )
            groups.append(BUILDERS["icbt"](cold_only, layouts, shape, 0))
    return [group for group in groups if group]


def measure(groups: list[list[Job]], repeat: int, timeout: float, logs: Path) -> list[Result]:
    """Run every group once per round, ``repeat`` rounds; a failing job is not run again."""
    results: dict[str, Result] = {}
    for group in groups:
        for job in group:
            results.setdefault(job.key, Result(job))
    logs.mkdir(parents=True, exist_ok=True)
    for round_number in range(1, repeat + 1):
        for group in groups:
            for job in group:
                result = results[job.key]
                if result.error:
                    break  # the rest of the group needs this one
                job.prepare()
                log = logs / (job.key.replace(" ", "_").replace("|", "") + ".log")
                try:
                    sample = run_measured(job.command, job.cwd, job.env, timeout, log)
                except RunFailed as failed:
                    result.error = str(failed)
                    say(f"[{round_number}/{repeat}] {job.key}: FAILED {failed}")
                    break
                finally:
                    job.cleanup()
                result.samples.append(sample)
                say(
                    f"[{round_number}/{repeat}] {job.key}: {sample.wall:.2f} s wall, "
                    f"{sample.cpu:.2f} s CPU, tree {sample.tree_rss_mib:.0f} MiB RSS, "
                    f"{sample.tree_pss_mib:.0f} MiB PSS"
                )
    return list(results.values())


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    if args.report:
        payload = json.loads(args.report.read_text())
        results = results_from_json(payload)
    else:
        payload, results = run(args, argv)
    found = comparisons(results)
    text = markdown_report(payload, results, found)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    if args.json:
        payload["comparisons"] = [c.as_json() for c in found]
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return 1 if any(r.error for r in results.all) else 0


def run(args: argparse.Namespace, argv: Sequence[str] | None) -> tuple[dict[str, Any], Results]:
    """Generate, measure; the JSON payload (without comparisons) and the results."""
    command = "python3 benchmarks/run.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    settings = Settings(scratch=args.workdir / "scratch", icbt_args=args.icbt_arg, modes=args.modes)
    settings.scratch.mkdir(parents=True, exist_ok=True)
    started = time.time()
    host = machine()
    groups = plan(args, settings)
    for message in settings.skipped:
        say(message)
    results = Results(measure(groups, args.repeat, args.timeout, args.workdir / "logs"))
    host["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    date = datetime.datetime.fromtimestamp(started, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    payload: dict[str, Any] = {
        "date": date,
        "command": command,
        "machine": host,
        "versions": tool_versions(settings),
        "repeat": args.repeat,
        "settings": {
            "sizes": args.sizes,
            "locales": args.locales,
            "locale_codes": [spec.code for spec in LOCALES[: max(args.locales, default=0)]],
            "tools": args.tools,
            "modes": args.modes,
            "shapes": args.shapes,
            "duplicate_headings": args.duplicate_headings,
            "icbt_args": args.icbt_arg,
        },
        "skipped": settings.skipped,
        "results": [r.as_json() for r in results.all],
    }
    return payload, results


if __name__ == "__main__":
    raise SystemExit(main())
