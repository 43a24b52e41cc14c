"""The sample content says nothing untrue at a vulnerable moment (issue 10, item 8, and the
hazards H08 and H16 of safety/hazard-log.yaml)."""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path

import pytest

from icbt_content import load_programme
from icbt_content.guidance import render_guidance
from icbt_content.guidance.render import _programme_section_url
from icbt_content.guidance.sandbox import SectionUrl
from icbt_content.i18n.catalog import read_po
from icbt_content.model.guidance import GuidanceContext

REPO = Path(__file__).parent.parent
PROGRAMMES = ("sad", "ptsd")

#: Words that promise a client's answers reach someone on their own, in each sample language.
#: Nothing leaves the device, so no content may say so (the risk alert's interface text is
#: corrected separately, issue 10 defect 1).
PROMISES = {
    "en": [
        r"\b(will be|has been|have been|is|are) (automatically )?(marked|flagged|sent|passed on|"
        r"shared|reported) (for|to|with) (your )?(therapist|team|service|clinician)",
        r"\b(therapist|team|service|clinician)s? (will|can|may) (automatically )?(see|read|get|"
        r"receive|be told about|be alerted to|check) (all )?your "
        r"(answers|results|scores|ratings|questionnaires?)",
        r"\b(answers|results|scores|ratings) (are|will be) (automatically )?"
        r"(sent|shared|passed on)",
        r"\bwe (will|'ll) (call|contact|phone|ring) you\b",
    ],
    "zh": [
        r"標示給你的治療師",
        r"(自動|會)(通知|傳送給|發送給)(你的)?治療師",
        r"治療師會(看到|收到)你的(答案|結果)",
    ],
    "ar": [r"ليطّلع عليها معالجك", r"سيتم (إبلاغ|إرسال)", r"سيرى معالجك"],
}


def _client_sources() -> list[Path]:
    """Every Markdown file a client reads in the sample programmes (not therapist notes)."""
    found: list[Path] = []
    for programme_id in PROGRAMMES:
        root = REPO / "programmes" / programme_id
        found += [root / "crisis.md", root / "check-in.md"]
        found += [p for p in sorted(root.glob("modules/*/*.md")) if p.name != "module.md"]
    return found


def test_no_content_promises_contact_the_site_cannot_make() -> None:
    found: list[str] = []
    english = [re.compile(p, re.IGNORECASE) for p in PROMISES["en"]]
    for path in _client_sources():
        text = " ".join(path.read_text(encoding="utf-8").split())
        found += [
            f"{path.relative_to(REPO)}: {m.group(0)}" for p in english for m in p.finditer(text)
        ]
    for po in sorted(REPO.glob("locales/*/*.po")):
        if po.stem == "interface":
            continue
        language = po.parent.name.split("-")[0]
        patterns = [re.compile(p) for p in PROMISES.get(language, [])]
        catalog, _ = read_po(po.read_text(encoding="utf-8"))
        for entry in catalog.active():
            if "notes" in (entry.context or ""):
                continue  # notes for the therapist, not shown to clients
            found += [
                f"{po.relative_to(REPO)}:{entry.line}: {m.group(0)}"
                for p in patterns
                for m in p.finditer(entry.msgstr)
            ]
    assert found == []


def test_the_promise_patterns_catch_the_old_risk_alert() -> None:
    # The patterns are a real control: they match the sentences issue 10 found untrue.
    samples = {
        "en": "Your answer will be marked for your therapist.",
        "zh": "你的答案會標示給你的治療師留意。",
        "ar": "ستوضع علامة على إجابتك ليطّلع عليها معالجك.",
    }
    for language, sentence in samples.items():
        assert any(re.search(p, sentence, re.IGNORECASE) for p in PROMISES[language]), language


def test_the_survey_prediction_comes_before_the_results() -> None:
    programme = load_programme(REPO / "programmes" / "sad")
    module = programme.module("surveys")
    assert module is not None
    order = [page.id for page in module.pages]

    def page_of(exercise_id: str) -> str:
        return next(p.id for p in module.pages if any(e.id == exercise_id for e in p.exercises()))

    # The page about the results opens "Once the answers are in".
    results_page = next(
        p
        for p in module.pages
        if p.source and _body(p.source.file).startswith("Once the answers are in")
    )
    prediction_page = page_of("survey-experiment")
    # The record holding the prediction is on a page before the one about the results.
    assert order.index(prediction_page) < order.index(results_page.id)
    prediction_text = _text(next(p for p in module.pages if p.id == prediction_page).source.file)  # type: ignore[union-attr]
    assert "before any answers come back" in prediction_text
    assert "answers are in" not in prediction_text.split("::: exercise")[0]
    # The results page sends the client back to the prediction they made before.
    assert "02-making-a-survey.md#your-prediction" in _text(results_page.source.file)  # type: ignore[union-attr]


def _text(file: str) -> str:
    return (REPO / file).read_text(encoding="utf-8")


def _body(file: str) -> str:
    """The page below its front matter."""
    return _text(file).split("\n---\n", 1)[1].strip()


def _contexts() -> list[GuidanceContext]:
    base = {
        "client": {"first_name": "Sam"},
        "therapist": {"name": "Alex"},
        "measure": {"id": "phq9", "title": "PHQ-9"},
        "latest_score": 18,
        "previous_score": 11,
    }
    return [
        GuidanceContext.model_validate({**base, "change": change, "risk_flagged": risk})
        for change, risk in itertools.product(
            ["reliable-deterioration", "no-reliable-change", None], [True, False, None]
        )
    ]


@cache
def _section_url(programme_id: str) -> SectionUrl:
    """The section URLs render_guidance works out for the programme (by loading all of it),
    worked out once for the many messages rendered here."""
    return _programme_section_url(REPO / "programmes" / programme_id, REPO)


def _render(programme_id: str, template: str, context: GuidanceContext) -> str:
    url = _section_url(programme_id)
    return render_guidance(REPO, programme_id, template, context, section_url=url).markdown


def _worse_messages(programme_id: str) -> list[str]:
    programme = load_programme(REPO / "programmes" / programme_id)
    return [t.id for t in programme.guidance if t.when == "scores-worse"]


@pytest.mark.parametrize("programme_id", PROGRAMMES)
def test_worse_scores_messages_respond_to_a_risk_answer(programme_id: str) -> None:
    templates = _worse_messages(programme_id)
    assert templates
    for template in templates:
        for context in _contexts():
            text = _render(programme_id, template, context)
            flagged = "better off dead, or of hurting yourself" in text
            assert flagged == (context.risk_flagged is True), (template, context.risk_flagged)
            # Whatever the answer, the message says where to get help now.
            assert '"Need help now?"' in text
        risky = render_guidance(REPO, programme_id, template, _contexts()[0]).markdown
        assert "do not wait for me" in risky and "please reply" in risky


PROMISED_RECOVERY = re.compile(
    r"usually settles|settles? (down )?again|will settle|will get better|will improve|"
    r"(doesn't|does not) mean (that )?(the programme|it) (isn't|is not) working",
    re.IGNORECASE,
)


@pytest.mark.parametrize("programme_id", PROGRAMMES)
def test_worse_scores_messages_promise_no_recovery(programme_id: str) -> None:
    for template in _worse_messages(programme_id):
        for context in _contexts():
            text = " ".join(_render(programme_id, template, context).split())
            assert not PROMISED_RECOVERY.search(text), (template, PROMISED_RECOVERY.search(text))
    # The Chinese translation of the social anxiety message says the same as the English one.
    if programme_id == "sad":
        from icbt_content.authoring.loader import read_programme
        from icbt_content.i18n.localise import localise_to

        loaded = read_programme(REPO / "programmes/sad", REPO)
        localised, _ = localise_to(REPO, loaded, "zh-Hant-HK")
        assert localised is not None
        message = next(t for t in localised.programme.guidance if t.id == "scores-worse")
        assert "risk_flagged" in message.body and message.body.isascii() is False


def test_the_guidance_context_has_a_risk_field() -> None:
    field = GuidanceContext.model_fields["risk_flagged"]
    assert field.default is None
    assert GuidanceContext.model_validate(
        {"client": {"first_name": "A"}, "therapist": {"name": "B"}, "risk_flagged": True}
    ).risk_flagged
