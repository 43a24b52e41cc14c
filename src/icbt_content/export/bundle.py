"""The JSON bundle: a whole programme in one locale, for another platform to import.

A bundle is deterministic (sorted keys, no timestamps: the programme's ``version`` is the only
version of its content) and names the JSON Schema it follows in ``$schema``. The schema is
generated from the content model, so it cannot drift from what the bundle holds; its ``$id`` is
:data:`BUNDLE_SCHEMA_ID`. A bundle holds no paths of the repository it was made from (the
models' ``source`` locations are left out), and its schema allows keys it does not name, so a
consumer of format version 1 keeps working when a later release adds keys (the compatibility
rule in docs/integrating.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import ConfigDict, Field

from icbt_content.adaptation.resources import LocaleInfo, describe_locale
from icbt_content.export.loading import (
    json_text,
    localised_programmes,
    publishable_measure,
    write_text,
)
from icbt_content.i18n.localise import LocalisedProgramme
from icbt_content.model.base import ContentModel, Id
from icbt_content.model.locale import LocaleResources
from icbt_content.model.programme import Programme
from icbt_content.paths import StrPath, as_path

BUNDLE_FORMAT: Final = "icbt-content-bundle"
BUNDLE_FORMAT_VERSION: Final = 1
#: The schema's file name, written beside the bundles; each bundle's ``$schema`` names it.
BUNDLE_SCHEMA_FILE: Final = "icbt-content-bundle-1.schema.json"
#: The schema's stable identifier (``$id``); it changes only with ``format_version``.
BUNDLE_SCHEMA_ID: Final = f"https://icbt-content.org/schemas/bundle/1/{BUNDLE_SCHEMA_FILE}"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Fields of the models that say where something was written in the repository: for
#: diagnostics only, never exported.
SOURCE_FIELD = "source"


class BundleLocale(ContentModel):
    """The locale a bundle is written in, with what the locale supplies (crisis services...)."""

    code: str
    """A BCP 47 code such as ``en-GB``."""
    name: str
    """The language's name in itself."""
    direction: Literal["ltr", "rtl"]
    """Text direction."""
    resources: LocaleResources


class ProgrammeBundle(ContentModel):
    """A programme in one locale, as exported by ``icbt export --format json``."""

    model_config = ConfigDict(populate_by_name=True)

    schema_file: Literal["icbt-content-bundle-1.schema.json"] = Field(
        default=BUNDLE_SCHEMA_FILE, alias="$schema"
    )
    """The file name of the JSON Schema this bundle follows, beside the bundle."""
    format: Literal["icbt-content-bundle"] = BUNDLE_FORMAT
    """Always ``icbt-content-bundle``."""
    format_version: Literal[1] = BUNDLE_FORMAT_VERSION
    """The version of this bundle format; it changes when the shape changes incompatibly."""
    locale: BundleLocale
    notices: dict[Id, str] = Field(default_factory=dict)
    """Module id -> notice shown on its pages in this locale (for example 'not yet translated'),
    as escaped HTML that marks its language."""
    programme: Programme
    """The whole programme: modules, pages, exercises, measures, guidance and crisis page.
    Measures whose wording needs permission that was not supplied come without wording."""


def _bundle_locale(locale: LocaleInfo) -> BundleLocale:
    direction: Literal["ltr", "rtl"] = "rtl" if locale.direction == "rtl" else "ltr"
    return BundleLocale(
        code=locale.code, name=locale.name, direction=direction, resources=locale.resources
    )


def programme_bundle(
    programme: Programme,
    locale: LocaleInfo | str | None = None,
    *,
    notices: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the bundle of ``programme`` in ``locale`` (default: its source locale) as JSON data.

    Pass a :class:`~icbt_content.adaptation.resources.LocaleInfo` to include the locale's
    resources (crisis services); a bare code gives the locale's name and direction only.
    """
    if not isinstance(locale, LocaleInfo):
        locale = describe_locale(locale or programme.source_locale)
    publishable = programme.model_copy(
        update={"measures": tuple(publishable_measure(m) for m in programme.measures)}
    )
    bundle = ProgrammeBundle(
        locale=_bundle_locale(locale), notices=dict(notices or {}), programme=publishable
    )
    data: dict[str, Any] = _without_sources(bundle.model_dump(mode="json", by_alias=True))
    return data


def _without_sources(data: Any) -> Any:
    """Return ``data`` without the source locations (repository paths) of the models."""
    if isinstance(data, dict):
        return {
            key: _without_sources(value)
            for key, value in data.items()
            if not (key == SOURCE_FIELD and _is_location(value))
        }
    if isinstance(data, list):
        return [_without_sources(value) for value in data]
    return data


def _is_location(value: Any) -> bool:
    return value is None or (isinstance(value, dict) and {"file", "line"} <= set(value))


def bundle_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) every bundle follows, generated from the model."""
    schema = ProgrammeBundle.model_json_schema(by_alias=True, mode="serialization")
    definitions = schema.get("$defs", {})
    definitions.pop("SourceLocation", None)
    for definition in [schema, *definitions.values()]:
        if "properties" in definition:
            definition["properties"].pop(SOURCE_FIELD, None)
            # A bundle always has every field (nothing is left out for being a default), so
            # say so: consumers can then rely on every key being present.
            definition["required"] = sorted(definition["properties"])
        # Keys a later minor release adds must not break a consumer's validation.
        if definition.get("additionalProperties") is False:
            del definition["additionalProperties"]
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": BUNDLE_SCHEMA_ID,
        "title": f"icbt-content bundle, format version {BUNDLE_FORMAT_VERSION}",
        **{key: value for key, value in schema.items() if key != "title"},
    }


def bundle_file_name(programme_id: str, locale: str) -> str:
    """Return the file name of a bundle: ``<programme>.<locale>.json``."""
    return f"{programme_id}.{locale}.json"


def write_bundles(localised: Iterable[LocalisedProgramme], out: Path) -> list[Path]:
    """Write the schema and one bundle per localised programme into ``out``; return the paths."""
    written = [write_text(out / BUNDLE_SCHEMA_FILE, json_text(bundle_schema()))]
    for item in localised:
        data = programme_bundle(item.programme, item.locale, notices=item.notices)
        name = bundle_file_name(item.programme.id, item.locale.code)
        written.append(write_text(out / name, json_text(data)))
    return written


def export_bundle(
    project: StrPath,
    out: StrPath,
    *,
    programmes: Iterable[str] | None = None,
    locales: Iterable[str] | None = None,
) -> list[Path]:
    """Write a JSON bundle per programme and locale, and their schema, into ``out``.

    Files: ``<out>/icbt-content-bundle-1.schema.json`` and ``<out>/<programme>.<locale>.json``.
    Raises ContentError when a programme has errors and ExportError for an unknown programme
    or locale; nothing is written then.
    """
    localised = localised_programmes(as_path(project), programmes=programmes, locales=locales)
    return write_bundles(localised, as_path(out))
