"""Helpers for the export tests (a plain module, so tests can import it by name)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

REPO = Path(__file__).parent.parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "export"
PROJECT = FIXTURES / "project"
ANSWERS = FIXTURES / "answers.json"
MISMATCHED = FIXTURES / "answers-mismatched.json"
#: The real programmes, when they are in the repository.
REAL_PROGRAMMES = sorted(
    p.name for p in (REPO / "programmes").glob("*") if (p / "programme.yaml").is_file()
)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def copy_project(tmp_path: Path) -> Path:
    """Copy the fixture project, so a test can break it."""
    target = tmp_path / "project"
    shutil.copytree(PROJECT, target)
    return target


def walk_items(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every item, nested ones too."""
    for item in items:
        yield item
        yield from walk_items(item.get("item", []))
        for answer in item.get("answer", []):
            yield from walk_items(answer.get("item", []))


def valid_questionnaire(data: dict[str, Any]) -> Questionnaire:
    """Validate with the FHIR R4B models, plus the rules they do not check."""
    resource = Questionnaire.model_validate(data)
    assert data["status"] in {"draft", "active", "retired", "unknown"}
    link_ids = [item["linkId"] for item in walk_items(data["item"])]
    assert len(link_ids) == len(set(link_ids)), "linkIds must be unique"
    for item in walk_items(data["item"]):
        if item["type"] == "display":
            assert "text" in item and "code" not in item
        if "answerOption" in item:
            assert item["type"] in {"choice", "open-choice"}
    return resource


def valid_response(data: dict[str, Any], questionnaire: dict[str, Any]) -> QuestionnaireResponse:
    """Validate with the FHIR R4B models, and check every answer fits ``questionnaire``."""
    resource = QuestionnaireResponse.model_validate(data)
    canonical = data["questionnaire"].split("|")
    assert canonical[0] == questionnaire["url"]
    if len(canonical) == 2:
        assert canonical[1] == questionnaire["version"]
    assert data["status"] in {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
    defined = {item["linkId"]: item for item in walk_items(questionnaire["item"])}
    value_key = {"choice": "valueCoding", "integer": "valueInteger", "boolean": "valueBoolean"}
    for item in data.get("item", []):
        question = defined[item["linkId"]]
        assert question["type"] != "display"
        (answer,) = item["answer"]
        (key,) = answer.keys()
        assert key == value_key[question["type"]]
        if key == "valueCoding":
            allowed = [option["valueCoding"] for option in question["answerOption"]]
            assert answer["valueCoding"] in allowed
    return resource


def valid_bundle(data: dict[str, Any]) -> Bundle:
    """Validate a Bundle with the FHIR R4B models."""
    return Bundle.model_validate(data)
