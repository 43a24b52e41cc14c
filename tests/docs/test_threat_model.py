"""The threat model names only diagnostics and tests that exist."""

from __future__ import annotations

import re
from pathlib import Path

from icbt_content.diagnostics import CODES

REPO = Path(__file__).resolve().parents[2]
PAGE = (REPO / "docs" / "threat-model.md").read_text(encoding="utf-8")


def cited_codes() -> set[str]:
    """Every code the page names, with ranges such as ICBT503–ICBT518 expanded."""
    codes = set(re.findall(r"\[(ICBT\d{3})\]", PAGE))
    for first, last in re.findall(r"\[ICBT(\d{3})\]\([^)]*\)–\[ICBT(\d{3})\]", PAGE):
        codes.update(f"ICBT{n}" for n in range(int(first), int(last) + 1) if f"ICBT{n}" in CODES)
    return codes


def test_every_cited_code_exists() -> None:
    codes = cited_codes()
    assert len(codes) > 30
    assert sorted(codes - set(CODES)) == []


def test_every_range_has_both_ends_defined() -> None:
    for first, last in re.findall(r"\[ICBT(\d{3})\]\([^)]*\)–\[ICBT(\d{3})\]", PAGE):
        assert f"ICBT{first}" in CODES and f"ICBT{last}" in CODES
        assert int(first) < int(last)


def test_every_cited_test_exists() -> None:
    paths = set(re.findall(r"`(tests/[\w/]+\.py)`", PAGE))
    assert len(paths) > 10
    assert sorted(p for p in paths if not (REPO / p).is_file()) == []


def test_the_page_is_in_the_navigation() -> None:
    assert "threat-model.md" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
