"""Measure files with mistakes: each fixture says in a comment which code and line to expect."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from measure_helpers import FIXTURES, REPO

from icbt_content.diagnostics import CODES
from icbt_content.measures import load_measure

INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (ICBT\d{3}) line (\d+)$", re.MULTILINE)


def expectations(path: Path) -> list[tuple[str, int]]:
    return [(code, int(line)) for code, line in EXPECT.findall(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_measure_is_reported_at_its_line(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' line"
    measure, found = load_measure(path, REPO)
    assert measure is None
    assert [(d.code, d.line) for d in found] == expected, [d.format() for d in found]
    for d in found:
        assert d.file == f"tests/fixtures/measures/invalid/{path.name}"
        assert d.code in CODES


def test_diagnostic_text_names_file_line_and_problem() -> None:
    _, found = load_measure(FIXTURES / "invalid" / "band-gap.yaml", REPO)
    assert (
        found[0]
        .format()
        .startswith(
            "tests/fixtures/measures/invalid/band-gap.yaml:28:1: error: "
            "no band covers the totals 4-5"
        )
    )


def test_valid_fixture_has_no_diagnostics() -> None:
    measure, found = load_measure(FIXTURES / "valid" / "prorated.yaml", REPO)
    assert measure is not None and found == []


def test_wording_supplied_cannot_be_claimed_in_a_file(tmp_path: Path) -> None:
    text = (REPO / "src/icbt_content/measures/library/wsas.yaml").read_text(encoding="utf-8")
    path = tmp_path / "wsas.yaml"
    path.write_text(text + "wording_supplied: true\n", encoding="utf-8")
    measure, found = load_measure(path, tmp_path)
    assert measure is None
    assert [(d.code, d.line) for d in found] == [("ICBT104", len(text.splitlines()) + 1)]


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(b"\xff\xfe not utf-8")
    measure, found = load_measure(path, tmp_path)
    assert measure is None and [d.code for d in found] == ["ICBT100"]


def test_codes_4xx_are_documented() -> None:
    for number in range(401, 414):
        code = CODES[f"ICBT{number}"]
        assert code.title and code.explanation
