"""SDC scoring expressions: the FHIRPath a form filler runs to score a measure's Questionnaire.

Each read-only score item of an exported Questionnaire carries an SDC ``calculatedExpression``
that works out, from the answers in the QuestionnaireResponse being filled, what
:func:`icbt_content.measures.score` works out in Python:

- the total: the sum of every answer's score. An answer's score is its ``ordinalValue``
  (read with the SDC function ``weight()``, which SDC 3 called ``ordinal()``); a 0-100 scale's
  score is its value (``max + min - value`` when reverse-scored). With ``policy: none-allowed``
  there is no total until every item is answered. With ``policy: prorate`` the total of the
  answered items is scaled up, ``round(sum * items / answered)``, rounding halves up as the
  Python scoring does, while at most ``max_missing`` items are unanswered;
- each subscale: the same sum over its items, prorated over its own answered items, present
  only when the total is;
- the band: the code of the band whose range holds the total, picked from the band item's own
  answer options (``%questionnaire``);
- the risk flag: whether a risk item is answered above its threshold.

Expressions name items by ``linkId`` at the top level of the response, where the export puts
every question.
"""

from __future__ import annotations

from typing import Any

from icbt_content.model.measure import Measure, MeasureItem, OptionSet

CALCULATED_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
FHIRPATH = "text/fhirpath"


def calculated_expression(expression: str, description: str) -> dict[str, Any]:
    """Return the SDC ``calculatedExpression`` extension holding ``expression``."""
    return {
        "url": CALCULATED_EXPRESSION,
        "valueExpression": {
            "description": description,
            "language": FHIRPATH,
            "expression": expression,
        },
    }


def _string(text: str) -> str:
    """Quote ``text`` as a FHIRPath string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _items(link_ids: list[str]) -> str:
    """Select the response items with these link ids."""
    if len(link_ids) == 1:
        return f"%resource.item.where(linkId = {_string(link_ids[0])})"
    return f"%resource.item.where(linkId in ({' | '.join(_string(i) for i in link_ids)}))"


def _scores(measure: Measure, items: list[MeasureItem]) -> str:
    """The collection of the scores of the answered ``items`` (duplicates kept)."""
    parts: list[str] = []
    choices = [i.id for i in items if measure.option_set(i).kind == "choice"]
    if choices:
        parts.append(f"{_items(choices)}.answer.value.weight()")
    straight = [i.id for i in items if measure.option_set(i).kind == "scale" and not i.reverse]
    if straight:
        parts.append(f"{_items(straight)}.answer.value")
    for item in items:
        option_set = measure.option_set(item)
        if option_set.kind == "scale" and item.reverse:
            ends = option_set.min + option_set.max
            parts.append(f"{_items([item.id])}.answer.value.select({ends} - $this)")
    first, *rest = parts
    # combine(), not |: a union would drop equal scores of different items.
    return first + "".join(f".combine({part})" for part in rest)


def _sum(measure: Measure, items: list[MeasureItem]) -> str:
    return f"{_scores(measure, items)}.aggregate($this + $total, 0)"


def _answered(items: list[MeasureItem]) -> str:
    return f"{_items([i.id for i in items])}.answer.count()"


def _prorated(measure: Measure, items: list[MeasureItem]) -> str:
    """The sum over ``items``, scaled up for unanswered ones (halves rounded up)."""
    count, answered, total = len(items), _answered(items), _sum(measure, items)
    return (
        f"iif({answered} = {count}, {total}, "
        f"iif({answered} > 0, ({total} * {count} / {answered}).round(), {{}}))"
    )


def _total_exists(measure: Measure) -> str:
    """Whether the measure has a total: enough items are answered."""
    items = list(measure.items)
    if measure.missing.policy == "prorate":
        least = len(items) - measure.missing.max_missing
        return f"{_answered(items)} >= {max(least, 1)}"
    return f"{_answered(items)} = {len(items)}"


def total_expression(measure: Measure) -> str:
    """Return the FHIRPath for the measure's total score."""
    items = list(measure.items)
    value = (
        _prorated(measure, items) if measure.missing.policy == "prorate" else _sum(measure, items)
    )
    return f"iif({_total_exists(measure)}, {value}, {{}})"


def subscale_expression(measure: Measure, subscale_id: str) -> str:
    """Return the FHIRPath for a subscale's total."""
    subscale = next(s for s in measure.subscales if s.id == subscale_id)
    items = [measure.item(i) for i in subscale.items]
    return f"iif({_total_exists(measure)}, {_prorated(measure, items)}, {{}})"


def band_expression(measure: Measure, total_link_id: str, band_link_id: str) -> str:
    """Return the FHIRPath for the band the total falls in, as the band item's own Coding."""
    total = f"%resource.item.where(linkId = {_string(total_link_id)}).answer.value"
    ordered = sorted(measure.bands, key=lambda band: band.min)
    code = _string(ordered[-1].id)
    for band in reversed(ordered[:-1]):
        code = f"iif({total} <= {band.max}, {_string(band.id)}, {code})"
    options = (
        f"%questionnaire.item.where(linkId = {_string(band_link_id)}).answerOption.valueCoding"
    )
    return f"iif({total}.exists(), {options}.where(code = {code}), {{}})"


def _above(option_set: OptionSet, item: MeasureItem, codes: dict[int, dict[str, Any]]) -> str:
    """Whether ``item`` is answered above its risk threshold."""
    if item.risk is None:
        return "false"
    answer = f"{_items([item.id])}.answer.value"
    if option_set.kind == "scale":
        return f"{answer}.where($this > {item.risk.above}).exists()"
    over = [codes[o.value] for o in option_set.options if o.value > item.risk.above]
    system = _string(str(over[0]["system"]))
    listed = " | ".join(_string(str(c["code"])) for c in over)
    return f"{answer}.where(system = {system} and code in ({listed})).exists()"


def risk_expression(measure: Measure, codings: dict[str, dict[int, dict[str, Any]]]) -> str:
    """Return the FHIRPath for the risk flag; ``codings`` maps item id -> value -> answer Coding."""
    checks = [
        _above(measure.option_set(item), item, codings.get(item.id, {}))
        for item in measure.items
        if item.risk is not None
    ]
    return " or ".join(f"({check})" for check in checks)
