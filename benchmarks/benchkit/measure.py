"""Run one command in a fresh process and measure it: wall time, CPU time, peak memory.

Peak memory is measured two ways:

- ``peak_rss_mib``: the largest resident set of the process or of any one of its children, from
  ``wait4`` (exact, but a build that spreads over worker processes looks smaller than it is, and
  Linux reports at least the resident set the measuring process had when it started the child:
  measure from a small process, as ``run.py`` is);
- ``tree_rss_mib``: the largest sum of the resident sets of the whole process tree, sampled every
  50 ms from ``/proc`` (it counts pages shared between processes more than once, so it errs high);
- ``tree_pss_mib``: the largest sum of the proportional set sizes of the tree (``Pss`` of
  ``/proc/<pid>/smaps_rollup``), sampled at the same instants: a page shared by n processes counts
  1/n in each, so the sum is the memory the tree really holds (0 where the kernel has no
  ``smaps_rollup``, before Linux 4.14, or on other systems).

Sampling every 50 ms can miss a peak shorter than that; both tree figures err low by that much.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_EVERY = 0.05


class RunFailed(Exception):
    """The measured command exited with an error or ran out of time."""


@dataclass(frozen=True)
class Sample:
    """One measured run."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User and system CPU seconds of the process and its children."""
    peak_rss_mib: float
    """The largest resident set of any one process of the tree (``wait4``)."""
    tree_rss_mib: float
    """The largest sum of the tree's resident sets (shared pages counted in each process)."""
    tree_pss_mib: float = 0.0
    """The largest sum of the tree's proportional set sizes (shared pages counted once)."""


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return found


def tree_pids(pid: int) -> list[int]:
    """A process and all its descendants."""
    found: list[int] = []
    todo, seen = [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        found.append(current)
        todo.extend(_children(current))
    return found


def tree_rss_kib(pid: int) -> int:
    """The summed resident set of a process and all its descendants (KiB)."""
    return sum(_rss_kib(current) for current in tree_pids(pid))


def tree_memory_kib(pid: int) -> tuple[int, int]:
    """The summed resident set and proportional set size of a process tree (KiB)."""
    pids = tree_pids(pid)
    return sum(_rss_kib(p) for p in pids), sum(_pss_kib(p) for p in pids)


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree until stopped; keeps the largest sums."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.peak_pss_kib = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            rss, pss = tree_memory_kib(self.pid)
            self.peak_kib = max(self.peak_kib, rss)
            self.peak_pss_kib = max(self.peak_pss_kib, pss)
            self._stop_event.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_measured(
    command: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    log: Path | None = None,
) -> Sample:
    """Run ``command`` in a fresh process; raise :class:`RunFailed` if it fails or times out."""
    log_file = open(log or os.devnull, "wb")  # noqa: SIM115 - closed below, after the wait
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            os.killpg(process.pid, 9)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer is not None:
            timer.start()
        # wait4 gives this child's own resource usage (RUSAGE_CHILDREN would mix runs).
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if timer is not None:
            timer.cancel()
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        if timed_out.is_set():
            raise RunFailed(f"timed out after {timeout:.0f} s: {' '.join(command)}")
    finally:
        log_file.close()
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log else ""
        raise RunFailed(f"exit {process.returncode}: {' '.join(command)}\n{tail}")
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mib=usage.ru_maxrss / 1024,
        tree_rss_mib=max(sampler.peak_kib, usage.ru_maxrss) / 1024,
        tree_pss_mib=sampler.peak_pss_kib / 1024,
    )
