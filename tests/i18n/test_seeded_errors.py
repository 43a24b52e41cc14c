"""Seeded translator errors (tests/i18n/seeded/errors.yaml): each is caught at its PO file and
line, or is harmless for the reason the table gives."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from icbt_content.diagnostics import Diagnostic
from icbt_content.i18n.catalog import load_po, save_po
from icbt_content.i18n.workflow import check

HERE = Path(__file__).parent
FIXTURE = HERE.parent / "fixtures" / "i18n" / "project"
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "seeded" / "errors.yaml").read_text("utf-8"))


def test_the_table_is_large_and_every_case_says_what_it_shows() -> None:
    assert len(CASES) >= 45
    assert len({case["id"] for case in CASES}) == len(CASES)
    for case in CASES:
        assert ("expect" in case) != ("harmless" in case), case["id"]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> set[Diagnostic]:
    project = tmp_path_factory.mktemp("baseline") / "project"
    shutil.copytree(FIXTURE, project)
    return set(check(project, ["fr"]))


def _seed(project: Path, case: dict[str, Any]) -> tuple[str, list[int]]:
    """Put the error into the project; the PO file and the lines it must be reported at."""
    locale, domain = case["catalog"].split("/")
    po = project / "locales" / locale / f"{domain}.po"
    shown = po.relative_to(project).as_posix()
    if "find" in case:
        text = po.read_text(encoding="utf-8")
        assert case["find"] in text, case["id"]
        text = text.replace(case["find"], case["replace"], 1)
        po.write_text(text, encoding="utf-8")
        line = next(n for n, t in enumerate(text.split("\n"), 1) if case["at"] in t)
        return shown, [line + case.get("offset", 0)]
    catalog, problems = load_po(po, shown)
    assert catalog is not None and not problems
    if "header" in case:
        for name, value in case["header"].items():
            catalog.set_header(name, value)
        save_po(catalog, po)
        text = po.read_text(encoding="utf-8").split("\n")
        return shown, [
            1
            if case["at"] == "header"
            else next(n for n, t in enumerate(text, 1) if case["at"] in t)
        ]
    key = (case.get("context"), case.get("msgid"))
    entry = next(
        e
        for e in catalog.active()
        if (key[0] is not None and e.context == key[0]) or (key[0] is None and e.msgid == key[1])
    )
    if "plurals" in case:
        entry.plurals = dict(enumerate(case["plurals"]))
    else:
        entry.msgstr = case["msgstr"]
    entry.flags.discard("fuzzy")
    if case.get("fuzzy"):
        entry.flags.add("fuzzy")
    save_po(catalog, po)
    reread, _ = load_po(po, shown)
    assert reread is not None
    again = reread.index()[entry.key]
    return shown, [again.line, again.msgstr_line]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["id"])
def test_seeded_error(case: dict[str, Any], tmp_path: Path, baseline: set[Diagnostic]) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    file, lines = _seed(project, case)
    new = [d for d in check(project, ["fr"]) if d not in baseline]
    if "harmless" in case:
        assert new == [], [d.format() for d in new]
        return
    caught = [d for d in new if d.code == case["expect"]]
    assert caught, f"not caught: {[d.format() for d in new]}"
    assert any(d.file == file and d.line in lines for d in caught), [d.format() for d in caught]
