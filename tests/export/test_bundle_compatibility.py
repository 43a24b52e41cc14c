"""The bundle's contract with consumers: a stable schema ``$id``, keys a later minor release may
add are allowed, and nothing in it names a file of the repository it was made from."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jsonschema
import pytest
from export_helpers import PROJECT, REAL_PROGRAMMES, REPO
from referencing import Registry, Resource

from icbt_content import Programme, load_programme
from icbt_content.export import (
    BUNDLE_SCHEMA_FILE,
    BUNDLE_SCHEMA_ID,
    bundle_schema,
    programme_bundle,
)


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(bundle_schema())


def objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from objects(value)


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def test_the_schema_has_a_stable_https_id() -> None:
    schema = bundle_schema()
    assert schema["$id"] == BUNDLE_SCHEMA_ID
    assert BUNDLE_SCHEMA_ID == (
        "https://icbt-content.org/schemas/bundle/1/icbt-content-bundle-1.schema.json"
    )
    # a bundle's $schema (the file name beside it) resolves against the $id to the $id
    bundle = programme_bundle(load_programme(PROJECT / "programmes" / "mini"))
    assert urljoin(BUNDLE_SCHEMA_ID, bundle["$schema"]) == BUNDLE_SCHEMA_ID
    assert BUNDLE_SCHEMA_ID.endswith("/" + BUNDLE_SCHEMA_FILE)
    # a validator can find the schema by its $id, as a consumer's schema registry would
    registry = Registry().with_resource(BUNDLE_SCHEMA_ID, Resource.from_contents(schema))
    jsonschema.Draft202012Validator({"$ref": BUNDLE_SCHEMA_ID}, registry=registry).validate(bundle)


@pytest.mark.parametrize(
    "folder", [PROJECT / "programmes" / "mini", *[REPO / "programmes" / p for p in REAL_PROGRAMMES]]
)
def test_no_repository_paths_in_a_bundle(folder: Path) -> None:
    bundle = programme_bundle(load_programme(folder))
    assert not [o for o in objects(bundle) if "source" in o]
    project = folder.parent.parent
    files = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    assert not [s for s in strings(bundle) if s in files or s.startswith("programmes/")]
    # the programme still reads back into the model (a source location is optional)
    assert Programme.model_validate(bundle["programme"]).id == bundle["programme"]["id"]


def test_the_schema_names_no_source_locations() -> None:
    schema = bundle_schema()
    assert "SourceLocation" not in schema["$defs"]
    for definition in schema["$defs"].values():
        assert "source" not in definition.get("properties", {})


def test_keys_a_minor_release_adds_are_allowed() -> None:
    bundle = programme_bundle(load_programme(REPO / "programmes" / "sad"))
    later = copy.deepcopy(bundle)
    later["signature"] = {"alg": "none"}
    later["locale"]["script"] = "Latn"
    later["programme"]["audience"] = "adults"
    module = later["programme"]["modules"][0]
    module["estimated_minutes"] = 40
    module["pages"][0]["blocks"][0]["reading_age"] = 9
    later["programme"]["measures"][0]["items"][0]["audio"] = "q1.mp3"
    validator().validate(later)


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b["programme"].pop("modules"),  # removing a key is not a minor change
        lambda b: b["programme"].update(version=2),  # nor is changing a type
        lambda b: b["programme"]["modules"][0].pop("id"),
        lambda b: b.update(format_version=2),
    ],
)
def test_what_a_minor_release_may_not_do_is_still_refused(change: Any) -> None:
    bundle = copy.deepcopy(programme_bundle(load_programme(REPO / "programmes" / "sad")))
    change(bundle)
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(bundle)
