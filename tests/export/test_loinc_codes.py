"""The built-in measures carry the official LOINC codes: checked against LOINC-coded
questionnaires HL7 publishes on npm (stored in tests/fixtures/loinc/, see its README), not
against a list of our own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from icbt_content.measures.loading import LIBRARY, load_measure
from icbt_content.model.measure import LOINC, Coding, Measure

REPO = Path(__file__).parent.parent.parent
STORED = REPO / "tests" / "fixtures" / "loinc"
R4_PHQ9 = STORED / "hl7.fhir.r4.examples-4.0.1.Questionnaire-phq-9-questionnaire.json"
SDC = "hl7.fhir.uv.sdc-4.0.0-ballot.Questionnaire-questionnaire-sdc-profile-example"
SDC_PHQ9 = STORED / f"{SDC}-PHQ9.json"
SDC_WEIGHTS = STORED / f"{SDC}-item-weight.json"


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def builtin(measure_id: str) -> Measure:
    measure, problems = load_measure(LIBRARY / f"{measure_id}.yaml", REPO)
    assert measure is not None, problems
    return measure


def loinc(codes: tuple[Coding, ...]) -> Coding:
    (code,) = [c for c in codes if c.system == LOINC]
    return code


def walk(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [x for item in items for x in [item, *walk(item.get("item", []))]]


def stored_codes(item: dict[str, Any]) -> list[str]:
    return [c["code"] for c in item.get("code", []) if c.get("system") == LOINC]


def phq_answer_list() -> list[tuple[str, str]]:
    """LL358-3 as the SDC example contains it: (code, display), lowest score first."""
    (value_set,) = [r for r in read(SDC_WEIGHTS)["contained"] if r["id"] == "LL358-3"]
    (include,) = value_set["compose"]["include"]
    assert include["system"] == LOINC
    return [(c["code"], c["display"]) for c in include["concept"]]


def test_phq9_panel_and_questions_match_the_published_questionnaire() -> None:
    phq9, stored = builtin("phq9"), read(R4_PHQ9)
    (panel,) = stored["code"]
    assert loinc(phq9.codes).code == panel["code"] == "44249-1"
    # the published display is LOINC's fully specified name; ours is its first part
    assert panel["display"].split(":")[0] == loinc(phq9.codes).display
    questions = [stored_codes(i)[0] for i in stored["item"] if i["type"] == "choice"]
    questions.remove("44256-6")  # the unscored 'how difficult' question, which we leave out
    ours = [loinc(item.codes).code for item in phq9.items]
    assert ours[: len(questions)] == questions  # items 1-8, in order


def test_phq9_total_score_matches_the_published_questionnaires() -> None:
    phq9 = builtin("phq9")
    total = loinc(phq9.total_codes)
    (r4_total,) = [i for i in read(R4_PHQ9)["item"] if i["linkId"] == "TotalScore"]
    assert stored_codes(r4_total) == [total.code] == ["44261-6"]
    (sdc_total,) = [i for i in walk(read(SDC_PHQ9)["item"]) if stored_codes(i) == [total.code]]
    (coding,) = sdc_total["code"]
    assert coding["display"] == total.display


def test_phq_answers_match_the_published_answer_list() -> None:
    published = phq_answer_list()
    assert [code for code, _ in published] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    for measure_id in ("phq9", "gad7"):  # GAD-7 uses the PHQ answer list too
        measure = builtin(measure_id)
        (option_set,) = measure.option_sets
        ours = [(loinc(o.codes).code, loinc(o.codes).display) for o in option_set.options]
        assert ours == published, measure_id
        # scored 0-3 in the list's order, and our labels are its displays
        assert [o.value for o in option_set.options] == [0, 1, 2, 3]
        assert [o.label for o in option_set.options] == [d for _, d in published]


def test_the_codes_no_stored_definition_covers_are_listed() -> None:
    """What the stored files cannot confirm, so nobody takes it as checked."""
    stored = json.dumps([read(R4_PHQ9), read(SDC_PHQ9), read(SDC_WEIGHTS)])
    unconfirmed = set()
    for measure_id in ("phq9", "gad7", "pcl5"):
        measure = builtin(measure_id)
        codings = [*measure.codes, *measure.total_codes]
        codings += [c for item in measure.items for c in item.codes]
        unconfirmed |= {c.code for c in codings if c.system == LOINC and c.code not in stored}
    assert unconfirmed == {
        "44260-8",  # PHQ-9 item 9
        "69737-5",  # GAD-7 panel
        "69725-0",
        "68509-9",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",  # GAD-7 items 1-7
        "70274-6",  # GAD-7 total
    }


def test_pcl5_has_no_loinc_codes() -> None:
    """No published LOINC PCL-5 panel could be checked, so none is claimed."""
    pcl5 = builtin("pcl5")
    assert not pcl5.codes and not pcl5.total_codes
    assert all(not item.codes for item in pcl5.items)
