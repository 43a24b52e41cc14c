"""Run the build's units (one programme each) in worker processes, results in a fixed order.

The units are handed out in the order of the programme folders and their results come back in
that same order, whatever order the workers finish in, so the site and its diagnostics do not
depend on the number of workers. At most a few units more than there are workers are in flight,
so memory stays bounded by a few programmes. A worker that dies is reported (ICBT725) rather
than waited for; an exception in a worker is raised again here, as it would be in one process.

On Linux, workers are forked from the build once it has imported what a unit needs, so they
share its imported code and data with it instead of each importing its own copy (about 60 MiB
a process). Objects that exist when they are forked are frozen out of the garbage collector's
reach (:func:`gc.freeze`) meanwhile, so that a worker's collections do not write to the pages
it shares. That is how Python itself starts them on Linux up to 3.13 (3.14 moves to a fork
server, which would make each worker import icbt again); the build starts no thread of its own
before its workers. On other platforms they start the platform's default way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from pathlib import Path

from icbt_content.diagnostics import diagnostic
from icbt_content.i18n.translations import forget_translations
from icbt_content.pipeline.cache import BuildCache
from icbt_content.pipeline.incremental import ProgrammeMemory
from icbt_content.pipeline.unit import ProgrammeBuild, Progress, UnitContext, build_programme

#: How workers are started; None is the platform's default. Tests set "spawn" to check that
#: nothing relies on a forked copy of this process.
START_METHOD: str | None = None


def start_context() -> BaseContext:
    """How workers are started: :data:`START_METHOD` when set; forked on Linux; elsewhere the
    platform's default."""
    if START_METHOD is not None:
        return multiprocessing.get_context(START_METHOD)
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def start_pool(workers: int) -> tuple[ProcessPoolExecutor, BaseContext]:
    """A pool of ``workers`` processes that leave when this one is gone, and how they start."""
    start = start_context()
    pool = ProcessPoolExecutor(
        workers, mp_context=start, initializer=watch_parent, initargs=(os.getpid(),)
    )
    return pool, start


@contextmanager
def shared_when_forked(start: BaseContext | None) -> Iterator[None]:
    """Around the first submit to a pool (which starts its workers; ``start``: how, None for
    later submits): when they are forked, keep the garbage collector off the objects that
    exist, in them and here, so that its collections do not write to the pages the processes
    share."""
    if start is None or start.get_start_method() != "fork" or gc.get_freeze_count():
        yield  # not forked, or a host application froze objects of its own: left as it is
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def watch_parent(parent: int) -> None:
    """In a worker: leave as soon as the build that started it is gone.

    A build stopped by a signal (``kill``, a closed terminal) cannot shut its workers down;
    without this they would wait for work for ever.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="icbt-watch-build", daemon=True).start()


def build_unit(
    context: UnitContext,
    folder: Path,
    *,
    render: bool = True,
    progress: Progress | None = None,
    memory: Path | None = None,
) -> ProgrammeBuild:
    """Build one programme (:func:`~icbt_content.pipeline.unit.build_programme`), then let go of
    what only it needed, so a process's memory does not grow with the programmes it built.

    With ``memory`` (a file of the cache), the programme is rebuilt from the memory of its last
    build kept there (:mod:`~icbt_content.pipeline.incremental`: only what changed is parsed
    and rendered again), which is then kept for the next build."""
    try:
        if memory is None or not render:
            return build_programme(context, folder, render=render, progress=progress)
        kept = ProgrammeMemory.kept(memory, folder)
        unit = kept.rebuild(context)
        kept.keep(memory)
        _progress(progress, unit)
        return unit
    finally:
        forget_translations()


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
    cache: BuildCache | None = None,
) -> Iterator[ProgrammeBuild]:
    """Build each programme folder, in the order given; once one fails to load and validate,
    those not yet started are only checked (nothing the build would write depends on them).

    With a ``cache``, a unit whose inputs are unchanged is read from it instead of built, and
    a unit that is built is stored in it.
    """
    if cache is not None:
        cache.prepare(context.project)
    if jobs <= 1 or len(folders) <= 1:
        render = True
        for folder in folders:
            key = cache.key(context, folder) if cache is not None else None
            unit = _from_cache(cache, key, progress) if render else _checked(cache, key)
            if unit is None:
                memory = cache.memory_file(folder) if cache is not None else None
                unit = build_unit(context, folder, render=render, progress=progress, memory=memory)
                _store(cache, key if render else None, unit)
            render = render and unit.passed
            yield unit
        return
    yield from _in_workers(context, folders, jobs, progress, cache)


def _in_workers(
    context: UnitContext,
    folders: list[Path],
    jobs: int,
    progress: Progress | None,
    cache: BuildCache | None,
) -> Iterator[ProgrammeBuild]:
    workers = min(jobs, len(folders))
    pool: ProcessPoolExecutor | None = None  # started at the first unit the cache does not have
    pending: deque[tuple[Path, str | None, Future[ProgrammeBuild] | None]] = deque()
    waiting = iter(folders)
    render = True

    def submit() -> None:
        """Hand out units until as many are in the workers as there are workers, and one."""
        nonlocal pool
        while sum(1 for _, _, future in pending if future is not None) <= workers:
            folder = next(waiting, None)
            if folder is None:
                return
            key = cache.key(context, folder) if cache is not None and render else None
            if key is not None and cache is not None and cache.has(key):
                pending.append((folder, key, None))
                continue
            start: BaseContext | None = None  # how the workers start, at the first submit
            if pool is None:
                pool, start = start_pool(workers)
            memory = cache.memory_file(folder) if cache is not None else None
            with shared_when_forked(start):
                future = pool.submit(build_unit, context, folder, render=render, memory=memory)
            pending.append((folder, key, future))

    finished = False
    try:
        submit()
        while pending:
            folder, key, future = pending.popleft()
            if future is None:
                unit = _from_cache(cache, key, progress)
                if unit is None:  # unreadable after all: build it here
                    memory = cache.memory_file(folder) if cache is not None else None
                    unit = build_unit(
                        context, folder, render=render, progress=progress, memory=memory
                    )
                    _store(cache, key, unit)
            else:
                try:
                    unit = future.result()
                except BrokenProcessPool as exc:
                    yield _worker_died(folder, exc)
                    return
                _store(cache, key, unit)
                _progress(progress, unit)
            render = render and unit.passed
            submit()
            yield unit
        finished = True
    finally:
        if pool is not None:
            # After an error, do not wait for work that may never come back.
            pool.shutdown(wait=finished, cancel_futures=True)


def _from_cache(
    cache: BuildCache | None, key: str | None, progress: Progress | None
) -> ProgrammeBuild | None:
    if cache is None or key is None:
        return None
    unit = cache.load(key)
    if unit is not None:
        _progress(progress, unit)
    return unit


def _checked(cache: BuildCache | None, key: str | None) -> ProgrammeBuild | None:
    """What only checking a unit gives (its load, validate and localise problems), from the
    cache's unit with the same inputs: nothing rendered."""
    if cache is None or key is None or not cache.has(key):
        return None
    unit = cache.load(key)
    if unit is None:
        return None
    return ProgrammeBuild(unit.folder, unit.programme, unit.passed, checked=unit.checked)


def _store(cache: BuildCache | None, key: str | None, unit: ProgrammeBuild) -> None:
    if cache is not None and key is not None:
        cache.store(key, unit)


def _progress(progress: Progress | None, unit: ProgrammeBuild) -> None:
    """Say a unit built elsewhere (a worker, the cache) is done."""
    if progress is not None and unit.programme is not None:
        for locale, pages in unit.pages_by_locale.items():
            progress(unit.programme, locale, pages, pages)


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
