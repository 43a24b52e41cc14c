"""Shared fixtures: sample projects copied into a temporary folder, the sample site built once,
and the one browser.

Playwright's sync API allows one instance per thread, so every test that drives chromium in
the main thread shares the session's ``browser``.

Under pytest-xdist (``scripts/test`` runs ``-n auto --dist loadscope``) each worker has its own
session (its own ``sample_site``, browser, servers and temporary folders) and runs whole test
scopes (tests/xdist_scopes.py: mostly whole modules, so a module-scoped fixture is set up once;
the modules sharing the servers or the MkDocs build go to a single worker, so those start once)."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright
from static_server import serving
from xdist_scopes import load_costs, slowest_first, xdist_scope

from icbt_content import build_site

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadscope`` with the scopes of ``xdist_scopes`` handed out slowest first (other
    modes: xdist's own).

    (Not ``loadgroup`` marks: xdist 3.8 groups by rewriting ``item._nodeid``, which pytest 9.2
    no longer reads, so every group would be split across the workers.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    costs = load_costs()

    class Scheduling(LoadScopeScheduling):  # type: ignore[misc]
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            return xdist_scope(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            if not self.ordered:
                units = dict(self.workqueue)
                self.workqueue.clear()
                sizes = [(scope, len(tests)) for scope, tests in units.items()]
                for scope in slowest_first(sizes, costs):
                    self.workqueue[scope] = units[scope]
                self.ordered = True
            super()._assign_work_unit(node)

    return Scheduling(config, log)


@pytest.fixture
def basic_project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/projects/basic that a test may change."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / "basic", target)
    return target


#: The date every test builds on (2026-12-02): crisis services are refused when their check is
#: older than 12 months, so a test must not depend on the day it runs. The sample programmes'
#: real lines are checked against the real date in tests/safety/test_clinical_crisis.py.
BUILD_DATE_EPOCH = "1796169600"
BUILD_DATE_ENV = "SOURCE_DATE_EPOCH"  # icbt_content.adaptation.crisis.BUILD_DATE_ENV


@pytest.fixture(autouse=True, scope="session")
def _pinned_build_date() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(BUILD_DATE_ENV, BUILD_DATE_EPOCH)
        yield


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample programmes' site, built once per test run (strict: no warnings at all): under
    pytest-xdist the first worker to ask builds it in the run's folder and the others wait for it.
    Tests read it and never change it."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with (shared / "sample-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        out, done = shared / "sample-site" / "site", shared / "sample-site" / "built"
        if not done.exists():
            shutil.rmtree(out.parent, ignore_errors=True)
            report = build_site(REPO, out, programmes=["sad", "ptsd"], strict=True)
            assert report.ok, [d.format() for d in report.diagnostics]
            assert report.locales == {
                "ptsd": ["en-GB", "zh-Hant-HK"],
                "sad": ["en-GB", "ar", "zh-Hant-HK"],
            }
            done.touch()
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1; returns its base URL (ending in /)."""
    with serving() as start:
        yield start
