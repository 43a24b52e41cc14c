"""Run the build's units (one programme each) in worker processes, results in a fixed order.

The units are handed out in the order of the programme folders and their results come back in
that same order, whatever order the workers finish in, so the site and its diagnostics do not
depend on the number of workers. At most a few units more than there are workers are in flight,
so memory stays bounded by a few programmes. A worker that dies is reported (ICBT725) rather
than waited for; an exception in a worker is raised again here, as it would be in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from icbt_content.diagnostics import diagnostic
from icbt_content.pipeline.unit import ProgrammeBuild, Progress, UnitContext, build_programme

#: How workers are started; None is the platform's default. Tests set "spawn" to check that
#: nothing relies on a forked copy of this process.
START_METHOD: str | None = None


def default_jobs() -> int:
    """The number of cores this process may use."""
    counted = getattr(os, "process_cpu_count", None)
    if counted is not None:
        return int(counted() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def units_in_order(
    context: UnitContext,
    folders: list[Path],
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Iterator[ProgrammeBuild]:
    """Build each programme folder, in the order given; once one fails to load and validate,
    those not yet started are only checked (nothing the build would write depends on them)."""
    if jobs <= 1 or len(folders) <= 1:
        render = True
        for folder in folders:
            unit = build_programme(context, folder, render=render, progress=progress)
            render = render and unit.passed
            yield unit
        return
    yield from _in_workers(context, folders, jobs, progress)


def _in_workers(
    context: UnitContext, folders: list[Path], jobs: int, progress: Progress | None
) -> Iterator[ProgrammeBuild]:
    workers = min(jobs, len(folders))
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(START_METHOD))
    pending: deque[tuple[Path, Future[ProgrammeBuild]]] = deque()
    waiting = iter(folders)
    render = True

    def submit() -> None:
        folder = next(waiting, None)
        if folder is not None:
            pending.append((folder, pool.submit(build_programme, context, folder, render=render)))

    finished = False
    try:
        for _ in range(workers + 1):
            submit()
        while pending:
            folder, future = pending.popleft()
            try:
                unit = future.result()
            except BrokenProcessPool as exc:
                yield _worker_died(folder, exc)
                return
            render = render and unit.passed
            submit()
            if progress is not None and unit.programme is not None:
                for locale, pages in unit.pages_by_locale.items():
                    progress(unit.programme, locale, pages, pages)
            yield unit
        finished = True
    finally:
        # After an error, do not wait for work that may never come back.
        pool.shutdown(wait=finished, cancel_futures=True)


def _worker_died(folder: Path, error: BaseException) -> ProgrammeBuild:
    """The result of a unit whose worker process died: a failure that says so."""
    problem = diagnostic(
        "ICBT725",
        f"the worker process building this programme stopped unexpectedly ({error})",
        folder.as_posix(),
        hint="the machine may be out of memory; build again, or with fewer processes "
        "('icbt build --jobs 1')",
    )
    return ProgrammeBuild(folder=folder.name, checked=[problem])
