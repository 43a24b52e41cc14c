"""Results of a benchmark run: medians, the comparisons the issue asks for, tables and JSON."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchkit.measure import Sample
from benchkit.tools import Job

#: Targets of issue 16.
MKDOCS_RATIO = 0.2
CEILING_RATIO = 1.3
SCALING_10K = 10.5
LOCALE_COST = 1.0
STARTUP_SECONDS = 0.15
PEAK_MIB_10K = 150.0
LINEAR_SLACK = 1.25


@dataclass
class Result:
    """Every run of one job."""

    job: Job
    samples: list[Sample] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.samples) and not self.error

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_rss(self) -> float:
        return max(s.peak_rss_mib for s in self.samples)

    @property
    def tree_rss(self) -> float:
        return max(s.tree_rss_mib for s in self.samples)

    @property
    def tree_pss(self) -> float:
        return max(s.tree_pss_mib for s in self.samples)

    @property
    def pages_built(self) -> int:
        return self.job.pages * (1 + self.job.locales)

    def as_json(self) -> dict[str, object]:
        job = self.job
        return {
            "tool": job.tool,
            "mode": job.mode,
            "corpus": job.corpus,
            "pages": job.pages,
            "locales": job.locales,
            "pages_built": self.pages_built,
            "command": list(job.command),
            "runs": len(self.samples),
            "error": self.error or None,
            "median_wall_s": round(self.wall, 3) if self.samples else None,
            "median_cpu_s": round(self.cpu, 3) if self.samples else None,
            "peak_rss_mib": round(self.peak_rss, 1) if self.samples else None,
            "peak_tree_rss_mib": round(self.tree_rss, 1) if self.samples else None,
            "peak_tree_pss_mib": round(self.tree_pss, 1) if self.samples else None,
            "samples": [
                {
                    "wall_s": round(s.wall, 3),
                    "cpu_s": round(s.cpu, 3),
                    "peak_rss_mib": round(s.peak_rss_mib, 1),
                    "tree_rss_mib": round(s.tree_rss_mib, 1),
                    "tree_pss_mib": round(s.tree_pss_mib, 1),
                }
                for s in self.samples
            ],
        }


@dataclass(frozen=True)
class Comparison:
    """A ratio (or an absolute figure) with the issue's target for it."""

    name: str
    wall: float
    cpu: float | None
    unit: str
    target: str
    met: bool | None

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "wall": round(self.wall, 3),
            "cpu": None if self.cpu is None else round(self.cpu, 3),
            "unit": self.unit,
            "target": self.target,
            "met": self.met,
        }


class Results:
    """Look results up by what was measured."""

    def __init__(self, results: Sequence[Result]) -> None:
        self.all = list(results)

    def find(self, tool: str, mode: str, corpus: str, locales: int = 0) -> Result | None:
        for result in self.all:
            job = result.job
            if (job.tool, job.mode, job.corpus, job.locales) == (tool, mode, corpus, locales):
                return result if result.ok else None
        return None

    def corpora(self, prefix: str) -> list[str]:
        names = {r.job.corpus for r in self.all if r.job.corpus.startswith(prefix)}
        return sorted(names, key=lambda n: int(n.rsplit("-", 1)[1]))


def results_from_json(payload: dict[str, Any]) -> Results:
    """The results a ``--json`` file holds, to print its tables again."""
    loaded = []
    for item in payload["results"]:
        job = Job(
            item["tool"],
            item["mode"],
            item["corpus"],
            item["pages"],
            item["locales"],
            tuple(item["command"]),
            Path("."),
        )
        samples = [
            Sample(
                s["wall_s"],
                s["cpu_s"],
                s["peak_rss_mib"],
                s["tree_rss_mib"],
                s.get("tree_pss_mib", 0.0),  # not in results from before it was measured
            )
            for s in item["samples"]
        ]
        loaded.append(Result(job, samples, item["error"] or ""))
    return Results(loaded)


def _ratio(
    name: str, a: Result | None, b: Result | None, target: str, limit: float | None
) -> Comparison | None:
    if a is None or b is None:
        return None
    wall = a.wall / b.wall
    cpu = a.cpu / b.cpu if b.cpu > 0 else None
    return Comparison(name, wall, cpu, "x", target, None if limit is None else wall <= limit)


def comparisons(results: Results) -> list[Comparison]:
    """Every comparison the issue's targets are stated in, from this run's figures."""
    found: list[Comparison | None] = []
    add = found.append
    sized = results.corpora("pages-")
    for corpus in sized:
        cold = results.find("icbt", "cold", corpus)
        hugo = results.find("hugo", "cold", corpus)
        add(
            _ratio(
                f"icbt cold / MkDocs ({corpus})",
                cold,
                results.find("mkdocs", "cold", corpus),
                f"≤ {MKDOCS_RATIO} (5x faster)",
                MKDOCS_RATIO,
            )
        )
        add(
            _ratio(
                f"icbt cold / ceiling ({corpus})",
                cold,
                results.find("ceiling", "cold", corpus),
                f"≤ {CEILING_RATIO}; < 1 using every core",
                CEILING_RATIO,
            )
        )
        add(
            _ratio(
                f"icbt no-change rebuild / Hugo cold ({corpus})",
                results.find("icbt", "no-change rebuild", corpus),
                hugo,
                "< 1",
                1.0,
            )
        )
        add(
            _ratio(
                f"icbt one-page edit / Hugo cold ({corpus})",
                results.find("icbt", "one-page edit", corpus),
                hugo,
                "≤ 1",
                1.0,
            )
        )
        locale_counts = sorted({r.job.locales for r in results.all if r.job.corpus == corpus})
        for count in locale_counts:
            translated = results.find("icbt", "cold", corpus, count)
            if count == 0 or cold is None or translated is None:
                continue
            wall = (translated.wall - cold.wall) / count / cold.wall
            cpu = (translated.cpu - cold.cpu) / count / cold.cpu
            add(
                Comparison(
                    f"icbt cost of each locale / source ({corpus}, {count} locale(s))",
                    wall,
                    cpu,
                    "x",
                    f"≤ {LOCALE_COST}",
                    wall <= LOCALE_COST,
                )
            )
    for small, big in itertools.pairwise(sized):
        factor = int(big.split("-")[1]) / int(small.split("-")[1])
        for tool in ("icbt", "mkdocs", "ceiling", "hugo"):
            counts = sorted({r.job.locales for r in results.all if r.job.tool == tool})
            for count in counts:
                limit = SCALING_10K * factor / 10 if tool == "icbt" else None
                add(
                    _ratio(
                        f"{tool} cold {big} / {small} (locales {count})",
                        results.find(tool, "cold", big, count),
                        results.find(tool, "cold", small, count),
                        f"≤ {limit:g} ({factor:g}x the pages)" if limit else "(for comparison)",
                        limit,
                    )
                )
    add(
        _ratio(
            "icbt cold per page: 1 programme of 200 modules / 20 programmes of 10",
            results.find("icbt", "cold", "big-programme"),
            results.find("icbt", "cold", "small-programmes"),
            "≤ 1",
            1.0,
        )
    )
    headings = results.corpora("duplicate-headings-")
    if len(headings) >= 2:
        low, high = headings[0], headings[-1]
        linear = int(high.rsplit("-", 1)[1]) / int(low.rsplit("-", 1)[1])
        add(
            _ratio(
                f"icbt cold {high} / {low}",
                results.find("icbt", "cold", high),
                results.find("icbt", "cold", low),
                f"≤ {linear * LINEAR_SLACK:g} (linear: {linear:g}, quadratic: {linear**2:g})",
                linear * LINEAR_SLACK,
            )
        )
    startup = [r for r in results.all if r.job.mode.startswith("start-up") and r.ok]
    for result in startup:
        add(
            Comparison(
                f"icbt {result.job.command[1]} start-up",
                result.wall,
                result.cpu,
                "s",
                f"< {STARTUP_SECONDS * 1000:.0f} ms",
                result.wall < STARTUP_SECONDS,
            )
        )
    for result in results.all:
        job = result.job
        if job.tool == "icbt" and job.pages >= 10_000 and job.locales >= 2 and result.ok:
            add(
                Comparison(
                    f"icbt {job.mode} peak memory, tree PSS ({job.corpus}, {job.locales} locales)",
                    result.tree_pss,
                    None,
                    "MiB",
                    f"≤ {PEAK_MIB_10K:g}",
                    result.tree_pss <= PEAK_MIB_10K,
                )
            )
            add(
                Comparison(
                    f"icbt {job.mode} peak memory, tree RSS ({job.corpus}, {job.locales} locales)",
                    result.tree_rss,
                    None,
                    "MiB",
                    f"≤ {PEAK_MIB_10K:g}",
                    result.tree_rss <= PEAK_MIB_10K,
                )
            )
    return [c for c in found if c is not None]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def measurements_table(results: Results) -> str:
    rows = []
    for result in results.all:
        job = result.job
        if result.ok:
            walls = [sample.wall for sample in result.samples]
            figures = [
                f"{result.wall:.2f}",
                f"{min(walls):.2f}-{max(walls):.2f}",
                str(len(result.samples)),
                f"{result.cpu:.2f}",
                f"{result.peak_rss:.0f}",
                f"{result.tree_rss:.0f}",
                f"{result.tree_pss:.0f}" if result.tree_pss else "-",
            ]
        else:
            # "exit 1" or "timed out after 3600 s": the whole message is in the JSON.
            figures = [result.error.split(":")[0] if result.error else "not run"] + [""] * 6
        pages = str(result.pages_built) if job.pages else "-"
        rows.append([f"{job.tool} {job.mode}", job.corpus, str(job.locales), pages, *figures])
    header = [
        "build",
        "corpus",
        "locales",
        "pages built",
        "wall s (median)",
        "wall s (range)",
        "runs",
        "CPU s",
        "peak RSS MiB",
        "tree RSS MiB",
        "tree PSS MiB",
    ]
    return _table(header, rows)


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.2f}"
    if unit == "s":
        return f"{value * 1000:.0f} ms"
    return f"{value:.0f} {unit}"


def comparisons_table(found: Sequence[Comparison]) -> str:
    marks: dict[bool | None, str] = {True: "yes", False: "**no**", None: ""}
    rows = [
        [c.name, _figure(c.wall, c.unit), _figure(c.cpu, c.unit), c.target, marks[c.met]]
        for c in found
    ]
    return _table(["comparison", "wall", "CPU", "target (issue 16)", "met"], rows)


def note(payload: dict[str, Any]) -> str:
    """When, where and how the figures were measured."""
    host, versions = payload["machine"], payload["versions"]
    return (
        f"{payload['date']}; {host['nproc']} cores ({host['cpu']}); load average "
        f"{host['load_average_at_start']} at the start, {host['load_average_at_end']} at the end; "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + f"; median of {payload['repeat']} interleaved runs.\n\n`{payload['command']}`"
        + "".join(f"\n\n{message}" for message in payload["skipped"])
    )


def markdown(payload: dict[str, Any], results: Results, found: Sequence[Comparison]) -> str:
    """The note and both tables, as Markdown."""
    return f"{note(payload)}\n\n{measurements_table(results)}\n\n{comparisons_table(found)}\n"
