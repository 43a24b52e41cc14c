"""The FHIR TypedDicts describe what the exports really emit: every key, with its type."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any, Literal, NotRequired, get_args, get_origin, get_type_hints

import pytest

from icbt_content import Programme, load_programme
from icbt_content.export import fhir_types, questionnaire, questionnaire_responses, responses_bundle

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "export"


def _is_typeddict(kind: Any) -> bool:
    return typing.is_typeddict(kind)


def check(value: Any, kind: Any, where: str) -> None:
    """Fail unless ``value`` fits ``kind`` (a TypedDict, list, Literal or plain type)."""
    origin = get_origin(kind)
    if origin is NotRequired:
        check(value, get_args(kind)[0], where)
    elif _is_typeddict(kind):
        assert isinstance(value, dict), where
        hints = get_type_hints(kind, include_extras=True)
        unknown = set(value) - set(hints)
        assert not unknown, f"{where}: {sorted(unknown)} not in {kind.__name__}"
        for key in kind.__required_keys__:
            assert key in value, f"{where}: {kind.__name__} requires '{key}'"
        for key, item in value.items():
            check(item, hints[key], f"{where}.{key}")
    elif origin is list:
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            check(item, get_args(kind)[0], f"{where}[{index}]")
    elif origin is Literal:
        assert value in get_args(kind), where
    elif kind is float:
        assert isinstance(value, int | float) and not isinstance(value, bool), where
    else:
        assert isinstance(value, kind), f"{where}: {value!r} is not {kind}"


@pytest.fixture(scope="module")
def mini() -> Programme:
    return load_programme(FIXTURES / "project" / "programmes" / "mini")


@pytest.mark.parametrize("programme_id", ["sad", "ptsd"])
def test_questionnaires_fit_their_typed_dict(programme_id: str) -> None:
    programme = load_programme(REPO / "programmes" / programme_id)
    for measure in programme.measures:
        resource = questionnaire(measure, version=programme.version, locale="de-DE")
        check(resource, fhir_types.Questionnaire, measure.id)


def test_responses_and_bundles_fit_their_typed_dicts(mini: Programme) -> None:
    saved = json.loads((FIXTURES / "answers.json").read_text(encoding="utf-8"))
    responses = questionnaire_responses(saved, mini, subject="Patient/1")
    assert responses
    for response in responses:
        check(response, fhir_types.QuestionnaireResponse, response["questionnaire"])
    check(responses_bundle(responses), fhir_types.Bundle, "bundle")
    check(responses_bundle([]), fhir_types.Bundle, "empty bundle")


def test_the_checker_notices_an_unknown_key() -> None:
    with pytest.raises(AssertionError, match="not in Identifier"):
        check({"system": "s", "value": "v", "use": "official"}, fhir_types.Identifier, "id")
