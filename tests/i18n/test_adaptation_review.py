"""Adaptations keep the source they were made from; FRAME records carry the goal and review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from i18n_helpers import replace_in

from icbt_content.authoring.loader import read_programme
from icbt_content.cli import run
from icbt_content.i18n.adaptations import adaptation_statuses, report_markdown
from icbt_content.model.locale import FrameRecord
from icbt_content.pipeline import build_site

REPO = Path(__file__).parent.parent.parent
WELCOME = "programmes/demo/modules/start/01-welcome.md"


def _start(project: Path) -> Path:
    code = run(["i18n", "adapt", "fr", "demo", "box", "sam-starts", "--project", str(project)])
    assert code == 0
    return project / "locales/fr/adaptations/demo/sam-starts.md"


def _front(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    front: dict[str, object] = yaml.safe_load(text.split("---\n")[1])
    return front


def _fill(path: Path) -> None:
    """What a person writes into the new file: the record's required parts and a translation."""
    text = path.read_text(encoding="utf-8")
    text = text.replace('title: ""', "title: Samia commence")
    text = text.replace('  what: ""', "  what: Sam becomes Samia, a nurse in Lyon.")
    text = text.replace("  who: []", "  who: [translator]")
    text = text.replace('  reason: ""', "  reason: Clients should recognise the people.")
    body_at = text.index("\n---\n") + 5
    path.write_text(text[:body_at] + "\nSamia est infirmière à Lyon.\n", encoding="utf-8")


def test_adapt_records_the_source_and_leaves_the_review_to_a_person(project: Path) -> None:
    path = _start(project)
    front = _front(path)
    assert front["source_text"] == "Sam is a bus driver. He reads one page each day on his break."
    frame = front["frame"]
    assert isinstance(frame, dict)
    assert frame["goal"] is None and frame["approved"] is None and frame["reviewed_by"] == ""
    assert frame["fidelity_consistent"] == "unknown"


def test_a_changed_source_is_shown_as_a_difference(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _start(project)
    _fill(path)
    replace_in(project / WELCOME, "He reads one page each day", "He reads two pages each day")
    capsys.readouterr()
    assert run(["i18n", "adaptations", "--project", str(project), "--locale", "fr"]) == 0
    out = capsys.readouterr().out
    assert "```diff" in out
    assert "-Sam is a bus driver. He reads one page each day on his break." in out
    assert "+Sam is a bus driver. He reads two pages each day on his break." in out
    assert run(["i18n", "adaptations", "--json", "--project", str(project)]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item["status"] == "needs-review" and "+Sam is a bus driver" in item["source_diff"]


def test_a_stale_adaptation_is_not_published_under_strict(project: Path) -> None:
    path = _start(project)
    _fill(path)
    assert build_site(project, project / "site").ok
    replace_in(project / WELCOME, "He reads one page each day", "He reads two pages each day")
    strict = build_site(project, project / "site-strict", strict=True)
    assert not strict.ok and not (project / "site-strict").exists()
    assert any(
        d.code == "ICBT609" and d.file == "locales/fr/adaptations/demo/sam-starts.md"
        for d in strict.diagnostics
    )


def test_an_unreviewed_adaptation_is_flagged_in_the_report(project: Path) -> None:
    path = _start(project)
    _fill(path)
    loaded = read_programme(project / "programmes/demo", project)
    statuses, found = adaptation_statuses(project, loaded, "fr")
    assert not found and not statuses[0].reviewed
    assert "NOT REVIEWED" in report_markdown(statuses)
    text = path.read_text(encoding="utf-8")
    text = text.replace('  reviewed_by: ""', "  reviewed_by: Dr A. Martin, clinical psychologist")
    text = text.replace("  approved:\n", "  approved: 2026-12-01\n")
    path.write_text(text, encoding="utf-8")
    statuses, _ = adaptation_statuses(project, loaded, "fr")
    assert statuses[0].reviewed
    assert "approved by Dr A. Martin, clinical psychologist on 2026-12-01" in report_markdown(
        statuses
    )


@pytest.mark.parametrize(("value", "shown"), [(True, "yes"), (False, "no"), ("unknown", "unknown")])
def test_fidelity_may_be_unknown(value: object, shown: str) -> None:
    from icbt_content.i18n.adaptations import _fidelity

    record = FrameRecord.model_validate(
        {
            "what": "x",
            "who": ["y"],
            "when": "2026-12-01",
            "planned": True,
            "type": "substituting",
            "fidelity_consistent": value,
            "reason": "z",
        }
    )
    assert _fidelity(record.fidelity_consistent) == shown


def test_the_shipped_sample_records_say_they_are_not_reviewed() -> None:
    folder = REPO / "locales/zh-Hant-HK/adaptations"
    files = sorted(folder.rglob("*.md"))
    assert files
    for path in files:
        frame = _front(path)["frame"]
        assert isinstance(frame, dict)
        assert not frame.get("reviewed_by") and frame.get("approved") is None, path
        assert frame["fidelity_consistent"] == "unknown", path
