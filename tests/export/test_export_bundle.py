"""The JSON bundle: follows its generated schema, is deterministic, keeps licensed wording out."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from export_helpers import PROJECT, REAL_PROGRAMMES, REPO, copy_project, read_json

from icbt_content.diagnostics import ContentError
from icbt_content.export import (
    BUNDLE_FORMAT,
    BUNDLE_FORMAT_VERSION,
    BUNDLE_SCHEMA_FILE,
    ExportError,
    bundle_schema,
    export_bundle,
    programme_bundle,
)
from icbt_content.model.programme import Programme


def validator() -> jsonschema.Draft202012Validator:
    schema = bundle_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_export_writes_the_schema_and_a_bundle_per_programme_and_locale(tmp_path: Path) -> None:
    written = export_bundle(PROJECT, tmp_path)
    assert [p.name for p in written] == [BUNDLE_SCHEMA_FILE, "mini.en-GB.json"]
    assert all(p.parent == tmp_path for p in written)
    assert read_json(tmp_path / BUNDLE_SCHEMA_FILE) == bundle_schema()


def test_bundle_follows_its_schema(tmp_path: Path) -> None:
    export_bundle(PROJECT, tmp_path)
    bundle = read_json(tmp_path / "mini.en-GB.json")
    schema = read_json(tmp_path / bundle["$schema"])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(bundle)


@pytest.mark.parametrize("programme_id", REAL_PROGRAMMES)
def test_real_programmes_follow_the_schema(programme_id: str, tmp_path: Path) -> None:
    for path in export_bundle(REPO, tmp_path, programmes=[programme_id])[1:]:
        validator().validate(read_json(path))


def test_bundle_header(tmp_path: Path) -> None:
    export_bundle(PROJECT, tmp_path)
    bundle = read_json(tmp_path / "mini.en-GB.json")
    assert bundle["$schema"] == BUNDLE_SCHEMA_FILE
    assert f"{BUNDLE_FORMAT}-{BUNDLE_FORMAT_VERSION}.schema.json" == BUNDLE_SCHEMA_FILE
    assert (bundle["format"], bundle["format_version"]) == (BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION)
    assert bundle["programme"]["id"] == "mini"
    assert bundle["programme"]["version"] == "2.1.0"
    assert bundle["locale"]["code"] == "en-GB"
    assert bundle["locale"]["direction"] == "ltr"
    assert [c["name"] for c in bundle["locale"]["resources"]["crisis"]] == ["Samaritans"]


def test_schema_is_generated_from_the_content_model() -> None:
    schema = bundle_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["programme"] == {
        "$ref": "#/$defs/Programme",
        "description": schema["properties"]["programme"]["description"],
    }
    for name in ("Programme", "Module", "Page", "Exercise", "Measure", "GuidanceTemplate"):
        assert name in schema["$defs"]
    # every field but the source location, which is for diagnostics and never exported
    assert set(schema["$defs"]["Programme"]["properties"]) == set(Programme.model_fields) - {
        "source"
    }
    # attribute docstrings of the models become descriptions
    unlock = schema["$defs"]["Programme"]["properties"]["unlock"]
    assert "How modules open" in unlock["description"]


def test_schema_rejects_what_the_model_rejects(mini: Programme) -> None:
    bundle = programme_bundle(mini)
    validator().validate(bundle)
    broken = [
        {**bundle, "format_version": 2},
        {**bundle, "programme": {**bundle["programme"], "unlock": "whenever"}},
        {**bundle, "programme": {**bundle["programme"], "id": "Not An Id"}},
        {k: v for k, v in bundle.items() if k != "locale"},
    ]
    for data in broken:
        with pytest.raises(jsonschema.ValidationError):
            validator().validate(data)


def test_bundle_is_deterministic(tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in export_bundle(PROJECT, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in export_bundle(PROJECT, tmp_path / "b")}
    assert first == second
    text = first["mini.en-GB.json"].decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    # no timestamps: the programme's version is the only version of the content
    assert set(json.loads(text)) == {
        "$schema",
        "format",
        "format_version",
        "locale",
        "notices",
        "programme",
    }


def test_bundle_round_trips_through_the_model(mini: Programme) -> None:
    bundle = programme_bundle(mini)
    again = Programme.model_validate(bundle["programme"])
    assert programme_bundle(again) == bundle
    assert again.module("start") is not None
    assert [e.id for e in again.exercises()] == ["first-thoughts"]


def test_wording_that_needs_permission_is_left_out(mini: Programme) -> None:
    measures = {m["id"]: m for m in programme_bundle(mini)["programme"]["measures"]}
    spin = measures["spin"]
    assert spin["licence"] == "permission-required"
    assert all(item["text"] == "" for item in spin["items"])
    assert all(o["label"] == "" for s in spin["option_sets"] for o in s["options"])
    assert [i["id"] for i in spin["items"]][:2] == ["q1", "q2"]  # scoring is kept
    wsas = measures["wsas"]  # licensed wording supplied by the service stays, with its licence
    assert wsas["wording_supplied"] is True
    assert wsas["items"][0]["text"] == "Placeholder item 1 supplied by the service"
    assert "TEST-0002" in wsas["copyright"]


def test_wording_is_left_out_even_if_a_measure_carries_it(mini: Programme) -> None:
    spin = mini.measure("spin")
    assert spin is not None
    leaked = spin.model_copy(
        update={"items": tuple(i.model_copy(update={"text": "secret"}) for i in spin.items)}
    )
    programme = mini.model_copy(update={"measures": (leaked,)})
    assert "secret" not in json.dumps(programme_bundle(programme))


def test_only_the_named_programmes_and_locales(tmp_path: Path) -> None:
    written = export_bundle(PROJECT, tmp_path, programmes=["mini"], locales=["en-GB"])
    assert [p.name for p in written] == [BUNDLE_SCHEMA_FILE, "mini.en-GB.json"]
    with pytest.raises(ExportError, match="no programme called 'nope'"):
        export_bundle(PROJECT, tmp_path, programmes=["nope"])
    with pytest.raises(ExportError, match="no programme is published in fr"):
        export_bundle(PROJECT, tmp_path, locales=["fr"])


def test_programme_with_errors_is_not_exported(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    manifest = project / "programmes" / "mini" / "programme.yaml"
    manifest.write_text(manifest.read_text().replace("  - weekly\n", "  - no-such-measure\n"))
    with pytest.raises(ContentError) as raised:
        export_bundle(project, tmp_path / "out")
    assert {d.code for d in raised.value.diagnostics} == {"ICBT205"}
    assert not (tmp_path / "out").exists()


TRANSLATED = REPO / "tests" / "fixtures" / "i18n" / "project"


@pytest.mark.skipif(not (TRANSLATED / "locales").is_dir(), reason="no translated fixture project")
def test_translated_programmes_get_a_bundle_per_locale(tmp_path: Path) -> None:
    written = export_bundle(TRANSLATED, tmp_path)
    published = {p.parent.name for p in (TRANSLATED / "locales").glob("*/*.po")}
    names = [p.name for p in written[1:]]
    assert len(names) > 1
    for path in written[1:]:
        bundle = read_json(path)
        validator().validate(bundle)
        programme, locale = path.name.removesuffix(".json").split(".", 1)
        assert (bundle["programme"]["id"], bundle["locale"]["code"]) == (programme, locale)
        assert locale == bundle["programme"]["source_locale"] or locale in published
