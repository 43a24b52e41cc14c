"""Risk asked every week: weekly measures, the check-in page, and the past-week PCL-5 (issue 10,
item 7). The diagnostics themselves are in tests/fixtures/diagnostics/weekly-*.txt."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from icbt_content import load_programme
from icbt_content.diagnostics import Diagnostics
from icbt_content.measures import builtin_measures, load_measure
from icbt_content.pipeline.check import check_project

REPO = Path(__file__).parent.parent


def _has_risk(measure: object) -> bool:
    return any(item.risk is not None for item in measure.items)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("programme_id", "disorder_or_anxiety"), [("sad", "gad7"), ("ptsd", "pcl5-weekly")]
)
def test_both_programmes_ask_risk_every_week(programme_id: str, disorder_or_anxiety: str) -> None:
    programme = load_programme(REPO / "programmes" / programme_id)
    measures = {m.id: m for m in programme.measures}
    assert "phq9" in programme.weekly
    assert disorder_or_anxiety in programme.weekly
    assert any(_has_risk(measures[m]) for m in programme.weekly)
    # Every weekly measure can be published and asks about two weeks at most.
    for measure_id in programme.weekly:
        measure = measures[measure_id]
        assert not measure.needs_wording, measure_id
        assert measure.recall_days is not None and measure.recall_days <= 14, measure_id
    assert programme.check_in is not None and programme.check_in.title


def test_the_weekly_pcl5_asks_about_the_past_week_only() -> None:
    installed = builtin_measures()
    monthly, _ = load_measure(installed["pcl5"], REPO)
    weekly, problems = load_measure(installed["pcl5-weekly"], REPO)
    assert monthly is not None and weekly is not None and not problems
    # The same 20 items, answers and scoring, word for word: only the time frame differs.
    assert [(i.id, i.text) for i in weekly.items] == [(i.id, i.text) for i in monthly.items]
    assert weekly.option_sets == monthly.option_sets
    assert {**weekly.scoring_fingerprint(), "id": "pcl5"} == monthly.scoring_fingerprint()
    assert weekly.recall_days == 7 and monthly.recall_days == 30
    assert "past week" in weekly.timeframe and "past week" in weekly.instructions
    assert "month" not in weekly.timeframe + weekly.instructions
    assert "past-week" in weekly.notes and "public domain" in weekly.notes
    # The PTSD programme asks the past-week version weekly, and no module page asks the
    # past-month version as a "weekly check-in" any more.
    ptsd = load_programme(REPO / "programmes" / "ptsd")
    for module, page in ptsd.pages():
        text = (REPO / page.source.file).read_text(encoding="utf-8") if page.source else ""
        for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
            if section.lower().startswith("your weekly check-in"):
                assert "::: questionnaire pcl5\n" not in section, f"{module.id}/{page.id}"


def test_a_past_month_measure_cannot_be_weekly(tmp_path: Path) -> None:
    project = _copy_sample(tmp_path, "ptsd")
    manifest = project / "programmes/ptsd/programme.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("weekly:\n  - pcl5-weekly\n", "weekly:\n  - pcl5\n"))
    found = _check(project, "ptsd")
    assert [(d.code, d.file) for d in found.errors] == [
        ("ICBT841", "programmes/ptsd/programme.yaml")
    ]
    line = manifest.read_text(encoding="utf-8").splitlines()[found.errors[0].line - 1]
    assert line.strip() == "- pcl5"


def test_risk_asked_only_at_the_start_and_end_is_reported(tmp_path: Path) -> None:
    project = _copy_sample(tmp_path, "sad")
    manifest = project / "programmes/sad/programme.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"weekly:\n(  - .*\n)+", "weekly:\n  - sad-weekly\n", text))
    found = _check(project, "sad")
    assert [d.code for d in found] == ["ICBT842"]
    assert found.fails(strict=True)


def test_the_check_in_is_linked_from_home_every_module_and_the_menu(sample_site: Path) -> None:
    site = sample_site / "sad"
    programme = load_programme(REPO / "programmes" / "sad")
    home = (site / "en-GB/index.html").read_text(encoding="utf-8")
    assert 'href="check-in/">Your weekly check-in</a>' in home
    for module in programme.modules:
        page = (site / f"en-GB/{module.id}/index.html").read_text(encoding="utf-8")
        main = page[page.index("<main") : page.index("</main>")]
        assert 'href="../check-in/">Your weekly check-in</a>' in main, module.id
        first = module.pages[0].id
        content = (site / f"en-GB/{module.id}/{first}/index.html").read_text(encoding="utf-8")
        menu = content[content.index('<nav class="modules"') :]
        assert 'href="../../check-in/">Your weekly check-in</a>' in menu, module.id
    check_in = (site / "en-GB/check-in/index.html").read_text(encoding="utf-8")
    for measure_id in programme.weekly:
        assert f'<form class="questionnaire" id="q-{measure_id}-form"' in check_in
    # PHQ-9 item 9 on the check-in page shows crisis help at once.
    assert 'data-risk-alert="q9"' in check_in
    # The page and its links are translated in both sample locales, with the weekly ratings in
    # their validated translation.
    chinese = (site / "zh-Hant-HK/check-in/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant-HK"' in chinese and "<h1>你的每週問卷</h1>" in chinese
    assert "Please fill in these questionnaires" not in chinese
    assert 'href="../check-in/">你的每週問卷</a>' in (
        site / "zh-Hant-HK/surveys/index.html"
    ).read_text(encoding="utf-8")
    arabic = (site / "ar/check-in/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic and "<h1>استبياناتك الأسبوعية</h1>" in arabic
    assert 'id="q-sad-weekly-form"' in arabic and "How much did you avoid" not in arabic


def test_check_in_md_holds_plain_markdown(tmp_path: Path) -> None:
    project = _copy_sample(tmp_path, "sad")
    page = project / "programmes/sad/check-in.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n::: questionnaire phq9\n:::\n")
    found = _check(project, "sad")
    assert [(d.code, d.file) for d in found.errors] == [("ICBT302", "programmes/sad/check-in.md")]


def _copy_sample(tmp_path: Path, programme_id: str) -> Path:
    """A project with one sample programme and the locales, safe to change."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "programmes" / programme_id, project / "programmes" / programme_id)
    shutil.copytree(REPO / "locales", project / "locales")
    return project


def _check(project: Path, programme_id: str) -> Diagnostics:
    found = Diagnostics()
    for loaded in check_project(project, [programme_id]):
        found.extend(loaded.diagnostics)
    return found
