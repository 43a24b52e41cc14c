"""Every Python example in the documentation type-checks under ``mypy --strict``.

A reader copies these examples into typed code, so they must use the API as its types say
(``Programme.measure`` returns a ``Measure``, not ``Measure | None``...). The blocks of one page
share names (they run as one session, see test_examples.py), so each page is checked as one
module, padded with blank lines so mypy's line numbers are the Markdown file's.
"""

from __future__ import annotations

from pathlib import Path

from docs_helpers import DOCS, PYTHON, REPO, code_blocks, doc_pages
from mypy import api as mypy_api

PAGES = [p for p in doc_pages() if any(b.language in PYTHON for b in code_blocks(p))]


def page_module(page: Path) -> str:
    """The page's Python blocks as one module, each at its line of the Markdown file."""
    lines: list[str] = []
    for block in code_blocks(page):
        if block.language not in PYTHON:
            continue
        lines += [""] * (block.line - 1 - len(lines))
        lines += block.code.splitlines()
    return "\n".join(lines) + "\n"


def test_pages_with_python_examples_are_found() -> None:
    names = {page.name for page in PAGES}
    assert {"integrating.md", "getting-started.md"} <= names


def test_docs_examples_type_check(tmp_path: Path) -> None:
    files = []
    for page in PAGES:
        name = page.relative_to(DOCS).as_posix().removesuffix(".md")
        target = tmp_path / (name.replace("/", "_").replace("-", "_") + ".py")
        target.write_text(page_module(page), encoding="utf-8")
        files.append((target, page))
    stdout, stderr, status = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(REPO / ".mypy_cache" / "docs-examples"),
            *[str(target) for target, _ in files],
        ]
    )
    report = stdout + stderr
    for target, page in files:
        report = report.replace(str(target), page.relative_to(REPO).as_posix())
    assert status == 0, f"the docs' examples do not type-check:\n{report}"
