"""Serve edit latency: how long ``icbt serve`` takes to rebuild after a one-page edit.

Copies an icbt project (a corpus ``benchmarks/run.py`` generated), builds its preview once as
``icbt serve`` does (untimed), then makes the one-page edit of the benchmark (a sentence added to
the middle page of the first programme) and hands the change to the preview as the file watcher
does (:func:`icbt_content.serve.refresh`). Each run times, from the change, the rebuild until the
changed files are written, and until the reload event reaches a page waiting for it (a status
request held by the server), in wall and CPU time; the page is put back and rebuilt between
runs. After the first build the preview's memory is prepared (``icbt serve`` does it beside
serving); the first edit is reported apart. The file watcher's own delay (it waits for 20 ms of
quiet after a change) is not included. Prints each run and the medians::

    python3 benchmarks/serve_edit.py /tmp/icbt-bench/corpora/pages-1000/icbt-locales-1 --runs 5
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit.tools import EDIT, edited_page

from icbt_content.serve import Preview, PreviewState, refresh


def _timed_edit(preview: Preview, state: PreviewState, page: Path) -> dict[str, float | int]:
    """Hand the change of ``page`` to the preview; time it until written and until reloaded."""
    reloaded: list[float] = []
    since = state.generation
    waiting = threading.Thread(
        target=lambda: (state.status(since, wait=600), reloaded.append(time.perf_counter()))
    )
    waiting.start()
    started, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stderr(io.StringIO()):
        report = refresh(preview, state, [page])
    cpu = time.process_time() - cpu
    waiting.join()
    assert report is not None and report.ok, report and [d.format() for d in report.diagnostics]
    return {
        "seconds": preview.written_at - started,
        "reload_seconds": reloaded[0] - started,
        "cpu_seconds": cpu,
        "rebuilt": len(preview.rebuilt),
        "pages_rendered": sum(preview.memories[p].rendered_pages for p in preview.rebuilt),
        "written": preview.stage.changed,
    }


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
        started = time.perf_counter()
        preview.warm()
        warm_seconds = time.perf_counter() - started
        print(
            f"first build {first_seconds:.1f} s, then the memory prepared in {warm_seconds:.1f} s"
        )
        page = edited_page(project)
        original = page.read_text(encoding="utf-8")
        head, _, body = original.partition("\n---\n\n")
        first_paragraph, _, rest = body.partition("\n\n")
        edited = f"{head}\n---\n\n{first_paragraph}{EDIT}\n\n{rest}"
        state = PreviewState()
        page.write_text(edited, encoding="utf-8")
        warm = _timed_edit(preview, state, page)
        print(
            f"first edit: {warm['seconds'] * 1000:.0f} ms ({warm['cpu_seconds'] * 1000:.0f} ms CPU)"
        )
        page.write_text(original, encoding="utf-8")
        _timed_edit(preview, state, page)
        runs: list[dict[str, float | int]] = []
        for _ in range(args.runs):
            page.write_text(edited, encoding="utf-8")
            runs.append(_timed_edit(preview, state, page))
            print(
                f"edit written in {runs[-1]['seconds'] * 1000:.0f} ms "
                f"({runs[-1]['cpu_seconds'] * 1000:.0f} ms CPU), reload event at "
                f"{runs[-1]['reload_seconds'] * 1000:.0f} ms: {runs[-1]['rebuilt']} programme(s) "
                f"rebuilt, {runs[-1]['pages_rendered']} page(s) rendered, "
                f"{runs[-1]['written']} file(s) written"
            )
            page.write_text(original, encoding="utf-8")
            _timed_edit(preview, state, page)
        median = statistics.median(float(r["seconds"]) for r in runs)
        median_cpu = statistics.median(float(r["cpu_seconds"]) for r in runs)
        median_reload = statistics.median(float(r["reload_seconds"]) for r in runs)
        print(
            f"serve edit latency: median {median * 1000:.0f} ms to the files written "
            f"({median_cpu * 1000:.0f} ms CPU), {median_reload * 1000:.0f} ms to the reload, "
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
                "median_reload_seconds": median_reload,
                "warm_seconds": warm_seconds,
                "first_edit_seconds": warm["seconds"],
                "runs": runs,
            }
            args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
