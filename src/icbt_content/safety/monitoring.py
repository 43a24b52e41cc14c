"""Weekly monitoring: risk and progress asked at every session, not only at the start and end.

NHS Talking Therapies asks its measures at every session. A programme lists the measures a client
fills in each week under ``weekly:`` in programme.yaml; the site shows them on one check-in page
(check-in.md), linked from the home page, every module and the menu. These checks keep that true.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from jinja2 import TemplateSyntaxError, meta

from icbt_content.authoring.loader import CHECK_IN_FILE, LoadedProgramme, relative
from icbt_content.authoring.yamlsafe import LocatedYaml, load_yaml
from icbt_content.diagnostics import Diagnostic, diagnostic, did_you_mean
from icbt_content.guidance.sandbox import environment
from icbt_content.model.measure import Measure
from icbt_content.model.programme import Programme
from icbt_content.sitemap import SiteMap

#: The longest period a weekly measure may ask about. Two weeks allows PHQ-9 and GAD-7, whose
#: standard wording asks about the last 2 weeks and which NHS Talking Therapies asks every session.
MAX_WEEKLY_RECALL_DAYS = 14

#: The guidance variable a message about worse scores must read, so it can respond to risk.
RISK_VARIABLE = "risk_flagged"


Where = Callable[..., tuple[int, int]]


def _manifest(loaded: LoadedProgramme) -> tuple[str, Where]:
    """programme.yaml as shown to authors, and the line and column of a value in it."""
    path = loaded.root / "programme.yaml"
    shown = relative(path, loaded.project)
    located: LocatedYaml | None = None
    try:
        located, _ = load_yaml(path.read_text(encoding="utf-8"), shown)
    except (OSError, UnicodeDecodeError):
        located = None

    def where(*key: str | int) -> tuple[int, int]:
        if located is None:
            return 1, 1
        return located.line_of(key), located.col_of(key)

    return shown, where


def check_weekly_measures(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    """Weekly measures are listed, look back two weeks at most, and ask about risk."""
    found: list[Diagnostic] = []
    manifest, where = _manifest(loaded)
    measures = {m.id: m for m in programme.measures}
    seen: set[str] = set()
    for index, measure_id in enumerate(programme.weekly):
        line, col = where("weekly", index)
        if measure_id in seen:
            found.append(
                diagnostic(
                    "ICBT201",
                    f"'{measure_id}' is listed twice under 'weekly:'",
                    manifest,
                    line,
                    col,
                    hint="list each weekly measure once",
                )
            )
            continue
        seen.add(measure_id)
        measure = measures.get(measure_id)
        if measure is None:
            found.append(
                diagnostic(
                    "ICBT840",
                    f"the weekly measure '{measure_id}' is not listed under 'measures:'",
                    manifest,
                    line,
                    col,
                    hint=did_you_mean(measure_id, measures)
                    or f"add '{measure_id}' under 'measures:' in programme.yaml too",
                )
            )
            continue
        found.extend(_recall_period(measure, manifest, line, col))
    found.extend(_risk_asked_weekly(programme, measures, manifest, where))
    found.extend(_check_in_page(loaded, programme, manifest, where))
    found.extend(_worse_scores_read_risk(programme))
    return found


def _recall_period(measure: Measure, manifest: str, line: int, col: int) -> Iterator[Diagnostic]:
    if measure.recall_days is not None and measure.recall_days > MAX_WEEKLY_RECALL_DAYS:
        yield diagnostic(
            "ICBT841",
            f"'{measure.id}' asks about the last {measure.recall_days} days, too long for a "
            "weekly check-in: answers would overlap and a change would show weeks late",
            manifest,
            line,
            col,
            hint="use a version that asks about the past week (such as pcl5-weekly for pcl5), "
            "or ask this measure only at the start and the end",
        )


def _has_risk_item(measure: Measure) -> bool:
    return any(item.risk is not None for item in measure.items)


def _risk_asked_weekly(
    programme: Programme, measures: dict[str, Measure], manifest: str, where: Where
) -> Iterator[Diagnostic]:
    with_risk = [m.id for m in programme.measures if _has_risk_item(m)]
    if not with_risk:
        return
    if any(_has_risk_item(measures[m]) for m in programme.weekly if m in measures):
        return
    index = [m.id for m in programme.measures].index(with_risk[0])
    yield diagnostic(
        "ICBT842",
        f"risk is asked only when {', '.join(with_risk)} is filled in, not every week: "
        "no weekly measure has a risk question",
        manifest,
        *where("measures", index),
        hint=f"add {with_risk[0]} under 'weekly:' in programme.yaml, with a check-in.md page",
    )


def _check_in_page(
    loaded: LoadedProgramme, programme: Programme, manifest: str, where: Where
) -> Iterator[Diagnostic]:
    page_file = relative(loaded.root / CHECK_IN_FILE, loaded.project)
    page_exists = (loaded.root / CHECK_IN_FILE).is_file()
    if programme.weekly and not page_exists:
        yield diagnostic(
            "ICBT843",
            "the programme has weekly measures but no check-in page to show them on",
            manifest,
            *where("weekly"),
            hint=f"create {page_file} with a title and a few words on why the questionnaires "
            "are asked every week",
        )
    elif page_exists and not programme.weekly:
        yield diagnostic(
            "ICBT843",
            "check-in.md has no questionnaires to show: programme.yaml lists no weekly measures",
            page_file,
            hint="list the measures asked every week under 'weekly:' in programme.yaml, or "
            "remove check-in.md",
        )


def _worse_scores_read_risk(programme: Programme) -> Iterator[Diagnostic]:
    for template in programme.guidance:
        if template.when != "scores-worse":
            continue
        try:
            names = meta.find_undeclared_variables(environment().parse(template.body))
        except TemplateSyntaxError:
            continue  # reported by the template checks
        if RISK_VARIABLE in names:
            continue
        file = template.source.file if template.source else f"guidance/{template.id}.md"
        yield diagnostic(
            "ICBT844",
            f"the message '{template.id}' about worse scores never reads {RISK_VARIABLE}, so it "
            "reads the same to a client who has just reported thoughts of self-harm",
            file,
            template.body_line,
            hint=f"add a paragraph inside {{% if {RISK_VARIABLE} %}}...{{% endif %}} that responds "
            "to the risk answer and says where to get help now",
        )
