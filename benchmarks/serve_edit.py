"""Serve edit latency: how long ``icbt serve`` takes to rebuild after a one-page edit.

Copies an icbt project (a corpus ``benchmarks/run.py`` generated), builds its preview once as
``icbt serve`` does (untimed), then makes the one-page edit of the benchmark (a sentence added to
the middle page of the first programme) and times the preview's rebuild, which is when the open
page reloads; the page is put back and rebuilt between runs. Prints each run and the median::

    python3 benchmarks/serve_edit.py /tmp/icbt-bench/corpora/pages-1000/icbt-locales-1 --runs 5
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit.tools import EDIT, edited_page

from icbt_content.serve import Preview


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="an icbt project (it is copied, not changed)")
    parser.add_argument("--runs", type=int, default=5, help="timed edits (default 5)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="icbt-serve-edit-") as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(args.project, project, ignore=shutil.ignore_patterns("site", ".*"))
        preview = Preview(project, Path(scratch) / "preview" / "site")
        started = time.perf_counter()
        first = preview.build()
        first_seconds = time.perf_counter() - started
        if not first.ok:
            print("the first build failed:", *[d.format() for d in first.diagnostics], sep="\n")
            return 1
        page = edited_page(project)
        original = page.read_text(encoding="utf-8")
        head, _, body = original.partition("\n---\n\n")
        first_paragraph, _, rest = body.partition("\n\n")
        edited = f"{head}\n---\n\n{first_paragraph}{EDIT}\n\n{rest}"
        runs: list[dict[str, float | int]] = []
        for _ in range(args.runs):
            page.write_text(edited, encoding="utf-8")
            started, cpu = time.perf_counter(), time.process_time()
            report = preview.build()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            assert report.ok, [d.format() for d in report.diagnostics]
            runs.append(
                {
                    "seconds": seconds,
                    "cpu_seconds": cpu,
                    "rebuilt": len(preview.rebuilt),
                    "pages_rendered": sum(
                        preview.memories[p].rendered_pages for p in preview.rebuilt
                    ),
                    "written": preview.stage.changed,
                }
            )
            print(
                f"edit rebuilt in {seconds * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU): "
                f"{runs[-1]['rebuilt']} programme(s) rebuilt, {runs[-1]['pages_rendered']} "
                f"page(s) rendered, {preview.stage.changed} file(s) written"
            )
            page.write_text(original, encoding="utf-8")
            preview.build()
        median = statistics.median(float(r["seconds"]) for r in runs)
        median_cpu = statistics.median(float(r["cpu_seconds"]) for r in runs)
        print(
            f"serve edit latency: median {median * 1000:.0f} ms ({median_cpu * 1000:.0f} ms CPU) "
            f"of {len(runs)} "
            f"({first.pages} pages; first build {first_seconds:.1f} s)"
        )
        if args.json:
            result = {
                "project": str(args.project),
                "pages": first.pages,
                "first_build_seconds": first_seconds,
                "median_seconds": median,
                "median_cpu_seconds": median_cpu,
                "runs": runs,
            }
            args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
