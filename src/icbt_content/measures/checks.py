"""The rules a measure must follow beyond its field types: bands that leave no gaps, thresholds
inside the score range, codes in the form their terminology uses...

Pure functions of a :class:`~icbt_content.model.measure.Measure`: each problem carries the path of
the value in the measure's YAML, and the loader (:mod:`icbt_content.measures.loading`), which
knows the file, turns it into a diagnostic at that line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from icbt_content.model.measure import LOINC, Band, Coding, Codings, Measure


@dataclass(frozen=True)
class MeasureProblem:
    """A rule a measure breaks, at the path of the value in its YAML."""

    code: str
    message: str
    path: tuple[str | int, ...]
    hint: str = ""


def measure_problems(measure: Measure) -> list[MeasureProblem]:
    """Check the rules a measure must follow beyond its field types."""
    found: list[MeasureProblem] = []
    if not measure.items:
        return [MeasureProblem("ICBT104", "a measure needs at least one item", ("items",))]
    found += _duplicate_ids(measure)
    found += _option_set_problems(measure)
    refs_ok = True
    set_ids = {s.id for s in measure.option_sets}
    for i, item in enumerate(measure.items):
        if item.options is None:
            refs_ok = False
            found.append(
                MeasureProblem(
                    "ICBT405",
                    f"item '{item.id}' does not say which option set answers it",
                    ("items", i),
                    f"add 'options: ...' naming one of: {', '.join(sorted(set_ids))}",
                )
            )
        elif item.options not in set_ids:
            refs_ok = False
            found.append(
                MeasureProblem(
                    "ICBT405",
                    f"item '{item.id}' names an unknown option set '{item.options}'",
                    ("items", i, "options"),
                    f"option sets: {', '.join(sorted(set_ids))}",
                )
            )
    item_ids = {item.id for item in measure.items}
    for i, subscale in enumerate(measure.subscales):
        for j, item_id in enumerate(subscale.items):
            if item_id not in item_ids:
                found.append(
                    MeasureProblem(
                        "ICBT405",
                        f"subscale '{subscale.id}' names an unknown item '{item_id}'",
                        ("subscales", i, "items", j),
                    )
                )
        if not subscale.items:
            found.append(
                MeasureProblem(
                    "ICBT104", f"subscale '{subscale.id}' has no items", ("subscales", i)
                )
            )
    found += _missing_problems(measure)
    found += _wording_problems(measure)
    found += _coding_problems(measure)
    found += _version_problems(measure)
    if refs_ok and not any(p.code == "ICBT403" for p in found):
        found += _range_problems(measure)
    return found


def _duplicate_ids(measure: Measure) -> Iterator[MeasureProblem]:
    groups: dict[str, tuple[Any, ...]] = {
        "option_sets": measure.option_sets,
        "items": measure.items,
        "subscales": measure.subscales,
        "bands": measure.bands,
    }
    for name, group in groups.items():
        seen: set[str] = set()
        for i, thing in enumerate(group):
            if thing.id in seen:
                yield MeasureProblem(
                    "ICBT201",
                    f"two {name.replace('_', ' ')} have the id '{thing.id}'",
                    (name, i, "id"),
                    "give each one its own id",
                )
            seen.add(thing.id)


def _option_set_problems(measure: Measure) -> Iterator[MeasureProblem]:
    for i, option_set in enumerate(measure.option_sets):
        here = ("option_sets", i)
        if option_set.min > option_set.max:
            yield MeasureProblem(
                "ICBT403",
                f"option set '{option_set.id}' has min {option_set.min} above max {option_set.max}",
                (*here, "max"),
            )
            continue
        values: set[int] = set()
        for j, option in enumerate(option_set.options):
            if not option_set.min <= option.value <= option_set.max:
                yield MeasureProblem(
                    "ICBT403",
                    f"option value {option.value} is outside the range "
                    f"{option_set.min}-{option_set.max} of option set '{option_set.id}'",
                    (*here, "options", j, "value"),
                    "change the value, or the option set's min and max",
                )
            elif option.value in values:
                yield MeasureProblem(
                    "ICBT403",
                    f"two options of '{option_set.id}' have the value {option.value}",
                    (*here, "options", j, "value"),
                )
            values.add(option.value)
        if option_set.kind == "choice":
            if not option_set.options:
                yield MeasureProblem(
                    "ICBT403", f"option set '{option_set.id}' has no options", here
                )
                continue
            for end in (option_set.min, option_set.max):
                if end not in values:
                    yield MeasureProblem(
                        "ICBT403",
                        f"option set '{option_set.id}' ranges {option_set.min}-{option_set.max}"
                        f" but no option has the value {end}",
                        (*here, "min" if end == option_set.min else "max"),
                        "make min and max the lowest and highest option values",
                    )
        elif (option_set.max - option_set.min) % option_set.step:
            yield MeasureProblem(
                "ICBT403",
                f"the scale '{option_set.id}' cannot reach {option_set.max} in steps of "
                f"{option_set.step} from {option_set.min}",
                (*here, "step"),
            )


def _missing_problems(measure: Measure) -> Iterator[MeasureProblem]:
    missing = measure.missing
    if missing.policy == "prorate" and not 0 < missing.max_missing < len(measure.items):
        yield MeasureProblem(
            "ICBT104",
            f"with prorate, max_missing must be between 1 and {len(measure.items) - 1}",
            ("missing", "max_missing"),
        )
    if missing.policy == "none-allowed" and missing.max_missing:
        yield MeasureProblem(
            "ICBT104",
            "max_missing needs 'policy: prorate'",
            ("missing", "max_missing"),
        )


def _wording_problems(measure: Measure) -> Iterator[MeasureProblem]:
    if measure.licence == "permission-required":
        shipped: list[tuple[str | int, ...]] = [
            (name,) for name in ("timeframe", "instructions") if getattr(measure, name)
        ]
        shipped += [("items", i, "text") for i, item in enumerate(measure.items) if item.text]
        shipped += [
            ("option_sets", i, "options", j, "label")
            for i, s in enumerate(measure.option_sets)
            for j, option in enumerate(s.options)
            if option.label
        ]
        for path in shipped[:1]:
            yield MeasureProblem(
                "ICBT411",
                f"'{measure.id}' needs permission: its wording cannot be shipped with the content",
                path,
                f"remove the wording; a service with permission supplies it in "
                f"licensed/{measure.id}.yaml",
            )
        return
    for i, item in enumerate(measure.items):
        if not item.text.strip():
            yield MeasureProblem(
                "ICBT408",
                f"item '{item.id}' has no text",
                ("items", i),
                "add 'text: ...' with the question as the client reads it",
            )
    for i, option_set in enumerate(measure.option_sets):
        if option_set.kind != "choice":
            continue
        for j, option in enumerate(option_set.options):
            if not option.label.strip():
                yield MeasureProblem(
                    "ICBT408",
                    f"option {option.value} of '{option_set.id}' has no label",
                    ("option_sets", i, "options", j),
                )


_SYSTEM_RE = re.compile(r"^(?:https?://[^\s/]+(?:/\S*)?|urn:[a-z0-9][a-z0-9-]*:\S+)$")
_LOINC_RE = re.compile(r"^(?:L[AGLP])?\d{1,7}-\d$")
_VERSION_RE = re.compile(r"^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)$")


def loinc_check_digit(number: str) -> int:
    """Return the LOINC check digit (the Mod 10 algorithm LOINC publishes) of a term number."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return (10 - total % 10) % 10


def _coded_things(measure: Measure) -> Iterator[tuple[str, tuple[str | int, ...], Codings]]:
    """Every coded thing of ``measure``: its name for messages, its path and its codings."""
    yield f"measure '{measure.id}'", ("codes",), measure.codes
    yield "the total score", ("total_codes",), measure.total_codes
    for i, item in enumerate(measure.items):
        yield f"item '{item.id}'", ("items", i, "codes"), item.codes
    for i, subscale in enumerate(measure.subscales):
        yield f"subscale '{subscale.id}'", ("subscales", i, "codes"), subscale.codes
    for i, option_set in enumerate(measure.option_sets):
        for j, option in enumerate(option_set.options):
            yield (
                f"answer {option.value} of '{option_set.id}'",
                ("option_sets", i, "options", j, "codes"),
                option.codes,
            )


def _coding_problems(measure: Measure) -> Iterator[MeasureProblem]:
    things = list(_coded_things(measure))
    for name, path, codings in things:
        yield from _each_coding_problems(name, path, codings)
    # The same code on two questions, or on the whole and a part, would merge them elsewhere.
    # Answers are compared only within their option set: one answer list serves many items.
    groups: list[list[tuple[str, tuple[str | int, ...], Codings]]] = [
        [t for t in things if t[1][0] != "option_sets"]
    ]
    for i in range(len(measure.option_sets)):
        groups.append([t for t in things if t[1][:2] == ("option_sets", i)])
    for group in groups:
        yield from _shared_codes(group)
    for i, option_set in enumerate(measure.option_sets):
        coded = [bool(option.codes) for option in option_set.options]
        if any(coded) and not all(coded):
            j = coded.index(False)
            yield MeasureProblem(
                "ICBT435",
                f"option set '{option_set.id}' codes some answers but not answer "
                f"{option_set.options[j].value}",
                ("option_sets", i, "options", j),
                "give every answer of the set its code, or none",
            )


def _each_coding_problems(
    name: str, path: tuple[str | int, ...], codings: Iterable[Coding]
) -> Iterator[MeasureProblem]:
    systems: set[str] = set()
    for j, coding in enumerate(codings):
        here = (*path, j)
        if not _SYSTEM_RE.match(coding.system):
            yield MeasureProblem(
                "ICBT431",
                f"the code system '{coding.system}' of {name} is not a URI",
                (*here, "system"),
                "use the terminology's URI, such as http://loinc.org or http://snomed.info/sct",
            )
        elif coding.system in systems:
            yield MeasureProblem(
                "ICBT433",
                f"{name} has two codes from {coding.system}",
                (*here, "system"),
                "keep the one code that means exactly this; other systems can add theirs",
            )
        systems.add(coding.system)
        problem = _code_problem(coding)
        if problem:
            yield MeasureProblem("ICBT432", f"{name}: {problem[0]}", (*here, "code"), problem[1])


def _code_problem(coding: Coding) -> tuple[str, str] | None:
    code = coding.code
    if not code.strip() or code != code.strip():
        return f"the code {code!r} is empty or has spaces around it", "write the code alone"
    if coding.system != LOINC:
        return None
    if not _LOINC_RE.match(code):
        return (
            f"'{code}' is not a LOINC code",
            "LOINC codes look like 44249-1 (a question or panel) or LA6568-5 (an answer)",
        )
    number, check = code.split("-")
    if number.isdigit() and loinc_check_digit(number) != int(check):
        return (
            f"the LOINC code '{code}' fails its check digit",
            f"check the code against LOINC: {number}-{loinc_check_digit(number)} would be valid",
        )
    return None


def _shared_codes(
    group: list[tuple[str, tuple[str | int, ...], Codings]],
) -> Iterator[MeasureProblem]:
    seen: dict[tuple[str, str], str] = {}
    for name, path, codings in group:
        for j, coding in enumerate(codings):
            key = (coding.system, coding.code)
            if key in seen:
                yield MeasureProblem(
                    "ICBT434",
                    f"{name} and {seen[key]} have the same code {coding.code}",
                    (*path, j, "code"),
                    "each question, answer and score needs its own code",
                )
            else:
                seen[key] = name


def _version_problems(measure: Measure) -> Iterator[MeasureProblem]:
    if measure.version is not None and not _VERSION_RE.match(measure.version):
        yield MeasureProblem(
            "ICBT436",
            f"the measure version '{measure.version}' is not MAJOR.MINOR.PATCH",
            ("version",),
            "write it like 1.0.0, and raise it whenever items, answers, scoring or codes change",
        )


def _range_problems(measure: Measure) -> Iterator[MeasureProblem]:
    low, high = measure.total_range()
    if measure.score_range is not None and tuple(measure.score_range) != (low, high):
        yield MeasureProblem(
            "ICBT407",
            f"score_range says {measure.score_range[0]}-{measure.score_range[1]} but the items "
            f"give totals from {low} to {high}",
            ("score_range",),
            "check the number of items and the option values",
        )
    if measure.scoring == "items":
        for name in ("bands", "caseness", "reliable_change"):
            if getattr(measure, name):
                yield MeasureProblem(
                    "ICBT104",
                    f"'{name}' needs a total: use 'scoring: sum'",
                    (name,),
                )
    else:
        yield from _band_problems(measure, low, high)
        if measure.caseness is not None and not low < measure.caseness <= high:
            yield MeasureProblem(
                "ICBT404",
                f"caseness {measure.caseness} is outside the score range {low}-{high}",
                ("caseness",),
                f"use a total between {low + 1} and {high}",
            )
        if measure.reliable_change is not None and not 0 < measure.reliable_change <= high - low:
            yield MeasureProblem(
                "ICBT404",
                f"reliable_change {measure.reliable_change} is outside 1-{high - low}",
                ("reliable_change",),
            )
    for i, item in enumerate(measure.items):
        if item.risk is None:
            continue
        option_set = measure.option_set(item)
        if not option_set.min <= item.risk.above < option_set.max:
            yield MeasureProblem(
                "ICBT404",
                f"the risk threshold {item.risk.above} of item '{item.id}' is outside its answers "
                f"{option_set.min}-{option_set.max}: it could never or would always trigger",
                ("items", i, "risk", "above"),
                f"use a value from {option_set.min} to {option_set.max - 1}",
            )
        if not {"crisis-help", "flag-therapist"} <= set(item.risk.triggers):
            yield MeasureProblem(
                "ICBT406",
                f"the risk rule of item '{item.id}' must show crisis help and flag the result "
                "for the therapist",
                ("items", i, "risk", "triggers"),
                "use 'triggers: [crisis-help, flag-therapist]' or leave triggers out",
            )


def _band_problems(measure: Measure, low: int, high: int) -> Iterator[MeasureProblem]:
    if not measure.bands:
        return
    ordered: list[tuple[int, Band]] = []
    for i, band in enumerate(measure.bands):
        if band.min > band.max:
            yield MeasureProblem(
                "ICBT104",
                f"band '{band.id}' has min {band.min} above max {band.max}",
                ("bands", i, "max"),
            )
            return
        for end in ("min", "max"):
            value = getattr(band, end)
            if not low <= value <= high:
                yield MeasureProblem(
                    "ICBT404",
                    f"band '{band.id}' {end} {value} is outside the score range {low}-{high}",
                    ("bands", i, end),
                )
        ordered.append((i, band))
    ordered.sort(key=lambda pair: (pair[1].min, pair[1].max))
    first_i, first = ordered[0]
    if first.min > low:
        yield _gap(low, first.min - 1, ("bands", first_i, "min"))
    for (_, before), (i, after) in pairwise(ordered):
        if after.min > before.max + 1:
            yield _gap(before.max + 1, after.min - 1, ("bands", i, "min"))
        elif after.min <= before.max:
            yield MeasureProblem(
                "ICBT402",
                f"bands '{before.id}' ({before.min}-{before.max}) and '{after.id}' "
                f"({after.min}-{after.max}) overlap",
                ("bands", i, "min"),
                f"start '{after.id}' at {before.max + 1}",
            )
    last_i, last = max(ordered, key=lambda pair: pair[1].max)
    if last.max < high:
        yield _gap(last.max + 1, high, ("bands", last_i, "max"))


def _gap(start: int, end: int, path: tuple[str | int, ...]) -> MeasureProblem:
    totals = f"{start}" if start == end else f"{start}-{end}"
    return MeasureProblem(
        "ICBT401",
        f"no band covers the total{'s' if start != end else ''} {totals}",
        path,
        "every possible total needs exactly one band",
    )
