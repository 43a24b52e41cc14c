"""Every diagnostic code is documented: the page is generated from CODES, and CODES is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docs_helpers import DOCS, REPO, doc_pages, hooks

from icbt_content.diagnostics import CODES, Severity

CODE = re.compile(r"\bICBT\d{3}\b")


def _codes_in(paths: list[Path]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for code in CODE.findall(line):
                found.setdefault(code, []).append(f"{path.relative_to(REPO)}:{number}")
    return found


def test_every_code_used_in_the_source_is_in_codes() -> None:
    sources = sorted((REPO / "src").rglob("*.py"))
    used = _codes_in(sources)
    missing = {code: places for code, places in used.items() if code not in CODES}
    assert not missing, f"codes used but not listed in diagnostics.CODES: {missing}"


def test_every_code_mentioned_in_the_docs_exists() -> None:
    mentioned = _codes_in([p for p in doc_pages() if p.name != "diagnostics.md"])
    unknown = {code: places for code, places in mentioned.items() if code not in CODES}
    assert not unknown


def test_every_code_says_what_it_means() -> None:
    for key, code in CODES.items():
        assert key == code.code and re.fullmatch(r"ICBT\d{3}", key)
        assert code.severity in (Severity.ERROR, Severity.WARNING)
        assert code.title.strip() and code.explanation.strip(), key


def test_the_generated_section_lists_every_code() -> None:
    markdown = hooks().diagnostics_markdown()
    for code in CODES.values():
        assert f"### {code.code}: {code.title} {{ #{code.code.lower()} }}" in markdown
        assert code.explanation in markdown
        if code.example:
            assert f"```text\n{code.example}\n```" in markdown


def test_the_diagnostics_page_has_the_marker() -> None:
    assert hooks().CODES_MARKER in (DOCS / "diagnostics.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(CODES))
def test_built_page_documents_the_code(code: str, built_docs: Path) -> None:
    html = (built_docs / "diagnostics" / "index.html").read_text(encoding="utf-8")
    assert f'id="{code.lower()}"' in html
    assert f'href="#{code.lower()}"' in html
    assert CODES[code].title.replace("'", "&#39;") in html or CODES[code].title in html
