"""Putting supplied wording into a measure: validated translations and licensed text.

Wording is all or nothing: a validated translation or a licensed text is a whole, so a file that
leaves out an item or an answer is refused rather than mixed with the original. Only words change;
values, thresholds and scoring never do.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping

from icbt_content.measures.checks import MeasureProblem
from icbt_content.model.measure import (
    Band,
    Measure,
    MeasureItem,
    MeasureWording,
    OptionSet,
    Subscale,
)


def wording_problems(
    measure: Measure, wording: MeasureWording, *, whole: bool
) -> list[MeasureProblem]:
    """Check that ``wording`` fits ``measure``; with ``whole``, that it leaves nothing out."""
    return list(_problems(measure, wording, whole=whole))


def _problems(
    measure: Measure, wording: MeasureWording, *, whole: bool
) -> Iterator[MeasureProblem]:
    if wording.measure != measure.id:
        yield MeasureProblem(
            "ICBT412",
            f"this wording is for '{wording.measure}', not '{measure.id}'",
            ("measure",),
            f"use 'measure: {measure.id}' or rename the file",
        )
        return
    yield from _keyed(
        "items",
        [item.id for item in measure.items],
        wording.items,
        "item",
        required=True,
    )
    for option_set in measure.option_sets:
        values = [option.value for option in option_set.options]
        if not values:
            continue
        given = wording.options.get(option_set.id)
        if given is None:
            yield MeasureProblem(
                "ICBT412",
                f"the answers of option set '{option_set.id}' are not given",
                ("options",),
                f"add 'options: {{{option_set.id}: {{{values[0]}: ..., ...}}}}'",
            )
            continue
        missing = [v for v in values if not str(given.get(v, "")).strip()]
        if missing:
            yield MeasureProblem(
                "ICBT412",
                f"option set '{option_set.id}' has no words for the value"
                f"{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))}",
                ("options", option_set.id),
                "every answer needs its words; a partial translation is not used",
            )
        for value in sorted(set(given) - set(values)):
            yield MeasureProblem(
                "ICBT412",
                f"option set '{option_set.id}' has no answer with the value {value}",
                ("options", option_set.id, str(value)),
                "a translation changes words only, never values",
            )
    for name in sorted(set(wording.options) - {s.id for s in measure.option_sets}):
        yield MeasureProblem(
            "ICBT412", f"the measure has no option set '{name}'", ("options", name)
        )
    yield from _keyed("bands", [b.id for b in measure.bands], wording.bands, "band", required=whole)
    yield from _keyed(
        "subscales",
        [s.id for s in measure.subscales],
        wording.subscales,
        "subscale",
        required=whole,
    )
    if whole:
        for name in ("timeframe", "instructions"):
            if getattr(measure, name) and not getattr(wording, name).strip():
                yield MeasureProblem(
                    "ICBT412",
                    f"'{name}' is not given",
                    (),
                    f"add '{name}: ...' in the translation",
                )


def _keyed(
    field: str, ids: list[str], given: Mapping[str, object], what: str, *, required: bool
) -> Iterator[MeasureProblem]:
    if required:
        missing = [i for i in ids if i not in given or not str(_text(given[i])).strip()]
        if missing:
            yield MeasureProblem(
                "ICBT412",
                f"no words for the {what}{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                (field,),
                "every one needs its words; a partial translation is not used",
            )
    for key in given:
        if key not in ids:
            yield MeasureProblem(
                "ICBT412",
                f"the measure has no {what} '{key}'",
                (field, key),
                f"{what}s: {', '.join(ids)}",
            )


def _text(value: object) -> str:
    return str(getattr(value, "label", value))


def apply_wording(measure: Measure, wording: MeasureWording, *, licensed: bool) -> Measure:
    """Return ``measure`` with the words of ``wording``; values and scoring stay as they are.

    Call :func:`wording_problems` first: this assumes the wording fits.
    """
    option_sets = tuple(_reword_set(s, wording.options.get(s.id, {})) for s in measure.option_sets)
    items = tuple(
        MeasureItem.model_validate({**item.model_dump(), "text": wording.items[item.id]})
        for item in measure.items
    )
    bands = tuple(
        Band.model_validate(
            {**band.model_dump(), **wording.bands[band.id].model_dump(exclude={"source"})}
        )
        if band.id in wording.bands
        else band
        for band in measure.bands
    )
    subscales = tuple(
        Subscale.model_validate({**s.model_dump(), "title": wording.subscales.get(s.id, s.title)})
        for s in measure.subscales
    )
    update: dict[str, object] = {
        "title": wording.title,
        "short_title": wording.short_title or measure.short_title,
        "timeframe": wording.timeframe or measure.timeframe,
        "instructions": wording.instructions or measure.instructions,
        "option_sets": option_sets,
        "items": items,
        "bands": bands,
        "subscales": subscales,
        "copyright": wording.copyright or measure.copyright,
        "source": wording.source or measure.source,
    }
    if licensed:
        update["wording_supplied"] = True
    if wording.translation:
        update["translation"] = wording.translation
    result = Measure.model_validate({**_shallow(measure), **update})
    if result.scoring_fingerprint() != measure.scoring_fingerprint():
        raise AssertionError(f"wording changed the scoring of {measure.id}")
    return result


def _reword_set(option_set: OptionSet, labels: dict[int, str]) -> OptionSet:
    # model_copy keeps each answer's codes: only the words change.
    options = tuple(
        o.model_copy(update={"label": labels.get(o.value, o.label)}) for o in option_set.options
    )
    return OptionSet.model_validate({**option_set.model_dump(), "options": options})


def _shallow(measure: Measure) -> dict[str, object]:
    return {name: getattr(measure, name) for name in Measure.model_fields}


def wording_hash(measure: Measure) -> str:
    """A short hash of every word of ``measure`` a translation translates.

    A validated translation records the hash of the wording it was made from (``source_hash``):
    when the source wording changes, the hashes differ and the translation is stale. Scoring
    fields, the copyright notice and the citation are not wording a translator translates.
    """
    words = {
        "title": measure.title,
        "short_title": measure.short_title,
        "timeframe": measure.timeframe,
        "instructions": measure.instructions,
        "items": {item.id: item.text for item in measure.items},
        "options": {s.id: {str(o.value): o.label for o in s.options} for s in measure.option_sets},
        "bands": {b.id: [b.label, b.meaning] for b in measure.bands},
        "subscales": {s.id: s.title for s in measure.subscales},
    }
    text = json.dumps(words, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
