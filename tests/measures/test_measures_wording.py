"""Supplied wording: validated translations, licensed text, and the refusal to publish without."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from measure_helpers import FIXTURES, builtin

from icbt_content.measures import localise_measure, resolve_measures, score
from icbt_content.model.measure import Measure

LOCALE = "qps-ploc"  # a pseudo-locale: the fixture is a stand-in, not a real translation


def sample_answers(measure: Measure, count: int, seed: int) -> list[dict[str, int]]:
    rng = random.Random(seed)
    return [
        {item.id: rng.choice(measure.option_set(item).options).value for item in measure.items}
        for _ in range(count)
    ]


def test_translation_replaces_every_word(phq9: Measure) -> None:
    translated, found = localise_measure(phq9, FIXTURES / "translated", LOCALE)
    assert found == []
    assert translated.language == LOCALE and translated.translation
    assert translated.title.startswith("[") and translated.timeframe.startswith("[")
    assert all(item.text.startswith("[") for item in translated.items)
    assert all(o.label.startswith("[") for o in translated.option_sets[0].options)
    assert all(b.label.startswith("[") and b.meaning.startswith("[") for b in translated.bands)


def test_translation_keeps_scoring_identical(phq9: Measure) -> None:
    translated, _ = localise_measure(phq9, FIXTURES / "translated", LOCALE)
    assert translated.scoring_fingerprint() == phq9.scoring_fingerprint()
    for answers in sample_answers(phq9, 3000, seed=7):
        original, other = score(phq9, answers), score(translated, answers)
        assert (original.total, original.caseness, original.risk) == (
            other.total,
            other.caseness,
            other.risk,
        )
        assert original.band is not None and other.band is not None
        assert original.band.id == other.band.id


def test_partial_translation_is_refused(phq9: Measure) -> None:
    result, found = localise_measure(phq9, FIXTURES / "partial", LOCALE)
    assert result is phq9
    lines = (FIXTURES / "partial/locales/qps-ploc/measures/phq9.yaml").read_text("utf-8")
    lines_of = {text: n for n, text in enumerate(lines.splitlines(), start=1)}
    assert [(d.code, d.file, d.line) for d in found] == [
        ("ICBT412", "locales/qps-ploc/measures/phq9.yaml", lines_of["items:"]),
        ("ICBT412", "locales/qps-ploc/measures/phq9.yaml", lines_of["  frequency:"]),
    ]
    assert "q9" in found[0].message and "3" in found[1].message


def test_translation_cannot_change_values(phq9: Measure, tmp_path: Path) -> None:
    target = tmp_path / "locales" / LOCALE / "measures"
    target.mkdir(parents=True)
    text = (FIXTURES / "translated/locales/qps-ploc/measures/phq9.yaml").read_text("utf-8")
    text = text.replace("    3: ", "    4: ")
    (target / "phq9.yaml").write_text(text, encoding="utf-8")
    result, found = localise_measure(phq9, tmp_path, LOCALE)
    assert result is phq9
    assert {d.code for d in found} == {"ICBT412"}
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("    4: ")))
    assert line + 1 in {d.line for d in found}


def test_translation_cannot_set_scoring_fields(phq9: Measure, tmp_path: Path) -> None:
    target = tmp_path / "locales" / LOCALE / "measures"
    target.mkdir(parents=True)
    text = (FIXTURES / "translated/locales/qps-ploc/measures/phq9.yaml").read_text("utf-8")
    (target / "phq9.yaml").write_text(text + "caseness: 5\n", encoding="utf-8")
    result, found = localise_measure(phq9, tmp_path, LOCALE)
    assert result is phq9 and [d.code for d in found] == ["ICBT102"]


def test_same_language_needs_no_translation(phq9: Measure, tmp_path: Path) -> None:
    assert localise_measure(phq9, tmp_path, "en-GB") == (phq9, [])


def test_other_language_without_translation_warns(phq9: Measure, tmp_path: Path) -> None:
    result, found = localise_measure(phq9, tmp_path, "zh-HK")
    assert result is phq9 and [(d.code, d.severity) for d in found] == [("ICBT413", "warning")]


# Licensed wording and the refusal to publish without it ----------------------------------

SERVICE = FIXTURES / "service"
DEMO = SERVICE / "programmes" / "demo"
IDS = ["phq9", "wsas", "spin", "weekly-check"]


def test_unknown_measure_is_reported_at_its_line_in_programme_yaml() -> None:
    measures, found = resolve_measures(
        DEMO, SERVICE, [*IDS, "no-such-measure"], used_on_pages=set(), locale="en-GB"
    )
    assert [m.id for m in measures] == IDS
    assert [(d.code, d.file, d.line) for d in found] == [
        ("ICBT205", "programmes/demo/programme.yaml", 12)
    ]


def test_permission_required_measure_on_a_page_without_wording_is_refused() -> None:
    _, found = resolve_measures(DEMO, SERVICE, IDS, used_on_pages={"spin"}, locale="en-GB")
    assert [(d.code, d.file, d.line) for d in found] == [
        ("ICBT410", "programmes/demo/programme.yaml", 10)
    ]
    assert "licensed/spin.yaml" in found[0].hint


def test_permission_required_measure_not_on_a_page_is_allowed() -> None:
    measures, found = resolve_measures(DEMO, SERVICE, IDS, used_on_pages=set(), locale="en-GB")
    assert found == []
    spin = next(m for m in measures if m.id == "spin")
    assert spin.needs_wording and not spin.wording_supplied


def test_service_supplied_wording_is_used() -> None:
    measures, found = resolve_measures(
        DEMO, SERVICE, IDS, used_on_pages={"wsas", "phq9", "weekly-check"}, locale="en-GB"
    )
    assert found == []
    wsas = next(m for m in measures if m.id == "wsas")
    original = builtin("wsas")
    assert wsas.wording_supplied and wsas.has_wording and not wsas.needs_wording
    assert wsas.items[0].text == "Placeholder item 1 supplied by the service"
    assert "TEST-0001" in wsas.copyright
    assert wsas.scoring_fingerprint() == original.scoring_fingerprint()
    assert wsas.bands == original.bands  # our own band words stay when the service gives none


def test_incomplete_licensed_wording_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "service"
    shutil.copytree(SERVICE, project)
    licensed = project / "licensed" / "wsas.yaml"
    lines = [x for x in licensed.read_text("utf-8").splitlines() if not x.startswith("  q5:")]
    licensed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    demo = project / "programmes" / "demo"
    _, found = resolve_measures(demo, project, IDS, used_on_pages={"wsas"}, locale="en-GB")
    assert [(d.code, d.file) for d in found] == [
        ("ICBT412", "licensed/wsas.yaml"),
        ("ICBT410", "programmes/demo/programme.yaml"),
    ]


@pytest.mark.parametrize("measure_id", ["phq9", "weekly-check"])
def test_programme_measures_are_found(measure_id: str) -> None:
    measures, _ = resolve_measures(DEMO, SERVICE, [measure_id], used_on_pages=set(), locale="en")
    assert [m.id for m in measures] == [measure_id]
    assert measures[0].source is not None


def test_sample_programmes_resolve() -> None:
    root = Path(__file__).parent.parent.parent
    for programme, ids in [("sad", ["phq9", "gad7", "sad-weekly"]), ("ptsd", ["pcl5", "phq9"])]:
        folder = root / "programmes" / programme
        measures, found = resolve_measures(
            folder, root, ids, used_on_pages=set(ids), locale="en-GB"
        )
        assert found == [] and [m.id for m in measures] == ids
