"""The documentation site, built once per test run with ``mkdocs build --strict``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from docs_helpers import REPO, DocsBuild


@pytest.fixture(scope="session")
def docs_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocsBuild]:
    site = tmp_path_factory.mktemp("docs-site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    yield DocsBuild(result.returncode, result.stdout + result.stderr, site)


@pytest.fixture(scope="session")
def built_docs(docs_build: DocsBuild) -> Path:
    """The built site's folder; fails the test when the strict build failed."""
    if docs_build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{docs_build.output}")
    return docs_build.site
