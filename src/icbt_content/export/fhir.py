"""FHIR R4 (4.0.1): each measure as a ``Questionnaire``; saved results as
``QuestionnaireResponse`` resources.

Names are derived from the measure so every export agrees:

- ``Questionnaire.url`` is ``<base>/Questionnaire/<measure-id>`` (a translation adds
  ``-<locale>`` and points back with ``derivedFrom``); ``version`` is the measure's own version
  (the programme's for a measure without one); ``identifier`` is ``<id>|<version>`` in the
  system ``<base>/Questionnaire``. The base is the deployment's setting: ``base_url``, else the
  environment variable ``ICBT_FHIR_BASE_URL``, else
  :data:`~icbt_content.loop.questionnaires.DEFAULT_BASE_URL`.
- ``Questionnaire.code`` and each item's ``code`` list the measure's own codes (LOINC...) and
  then the id in ``<base>/measures`` or ``<base>/measures/<id>/items``.
- each answer is a ``valueCoding``: the answer's first own code (a LOINC answer code), else its
  value in ``<base>/measures/<id>/options/<option-set>``. The score it adds to the total is in
  the ``ordinalValue`` extension on the answer option and on its coding (reverse-scored items
  carry the reversed score).
- read-only items ``score.total``, ``score.band``, ``score.risk`` and ``subscale.<id>`` hold what
  the scoring engine (:mod:`icbt_content.measures`) works out, and carry the SDC
  ``calculatedExpression`` (:mod:`.sdc`) a form filler runs to work out the same; ids cannot
  contain a dot, so these never clash with an item.

A measure whose wording needs permission that the service did not supply is exported without
wording: no question text, no answer labels; codes, values and scores are kept.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from icbt_content.export.exercises import exercise_questionnaire
from icbt_content.export.fhir_types import Bundle, Questionnaire, QuestionnaireResponse
from icbt_content.export.loading import (
    AnswersError,
    ExportError,
    json_text,
    localised_programmes,
    publishable_measure,
    source_programmes,
    write_text,
)
from icbt_content.export.sdc import (
    band_expression,
    calculated_expression,
    risk_expression,
    subscale_expression,
    total_expression,
)
from icbt_content.i18n.localise import LocalisedProgramme
from icbt_content.ids import STORAGE_ROOT
from icbt_content.limits import MAX_ANSWERS_BYTES, kilobytes
from icbt_content.loop.questionnaires import (
    MAX_VALUE,
    MIN_VALUE,
    answer_coding,
    answer_codings,
    canonical_base,
    measure_system,
    ordinal_extension,
    questionnaire_id,
    questionnaire_url,
    response_option,
)
from icbt_content.measures.scoring import score
from icbt_content.model.measure import Coding, Measure, MeasureItem, OptionSet
from icbt_content.model.programme import Programme
from icbt_content.paths import StrPath, as_path

FHIR_VERSION = "4.0.1"
#: The identifier system for an identifier that is a URI (here a ``urn:uuid``).
URI_SYSTEM = "urn:ietf:rfc:3986"

SLIDER_STEP = "http://hl7.org/fhir/StructureDefinition/questionnaire-sliderStepValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"

TOTAL_LINK_ID = "score.total"
BAND_LINK_ID = "score.band"
RISK_LINK_ID = "score.risk"
SUBSCALE_PREFIX = "subscale."
ANSWERS_FORMAT = "icbt-answers"
ANSWERS_VERSION = 1

#: Short statements of each licence, added to the measure's own copyright notice.
LICENCE_TEXT = {
    "public-domain": "No permission is needed to reproduce this questionnaire.",
    "permission-required": "Permission from the copyright holder is needed to use the wording.",
    "ogl": "Contains public sector information licensed under the Open Government Licence.",
    "own": "Written for this programme.",
}
WORDING_WITHHELD = (
    "The wording of this questionnaire needs permission from its copyright holder and was not "
    "supplied, so questions and answers have no text: supply them under your own licence."
)

#: Interface strings of the read-only score items, in English; pass ``translate`` to change.
SCORE_TEXT = {
    TOTAL_LINK_ID: "Total score",
    BAND_LINK_ID: "What the total means",
    RISK_LINK_ID: "An answer to a risk question needs attention now",
}

Translate = Callable[[str], str]


def _name(measure: Measure) -> str:
    """A computable name (``[A-Z][A-Za-z0-9_]*``) from the measure id: ``lsas-sr`` -> ``LsasSr``."""
    return "".join(part[:1].upper() + part[1:] for part in measure.id.split("-"))


def _codings(codes: Iterable[Coding], own: dict[str, Any]) -> list[dict[str, Any]]:
    """The measure's own codes (LOINC...) first, then the code in our own system."""
    return [_fhir_coding(code) for code in codes] + [own]


def _fhir_coding(code: Coding) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": code.system, "code": code.code}
    if code.display:
        coding["display"] = code.display
    return coding


def _scale_labels(item: MeasureItem, option_set: OptionSet) -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = []
    for option in option_set.options:
        if not option.label:
            continue
        label: dict[str, Any] = {
            "linkId": f"{item.id}.label-{option.value}",
            "type": "display",
        }
        if option.value in (option_set.min, option_set.max):
            control = "lower" if option.value == option_set.min else "upper"
            label["extension"] = [_item_control(control)]
            label["text"] = option.label
        else:
            label["text"] = f"{option.value}: {option.label}"
        labels.append(label)
    return labels


def _item_control(code: str) -> dict[str, Any]:
    return {
        "url": ITEM_CONTROL,
        "valueCodeableConcept": {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code}]},
    }


def _question(measure: Measure, item: MeasureItem, base_url: str | None) -> dict[str, Any]:
    option_set = measure.option_set(item)
    own = {"system": measure_system(measure, "items", base_url=base_url), "code": item.id}
    question: dict[str, Any] = {"linkId": item.id, "code": _codings(item.codes, own)}
    if item.text:
        question["text"] = item.text
    question["required"] = measure.missing.policy == "none-allowed"
    if option_set.kind == "choice":
        # Radio buttons, as on the site: every answer in view, no typing.
        question["extension"] = [_item_control("radio-button")]
        question["type"] = "choice"
        # The score also goes on the answer option itself: that is where LHC-Forms and the
        # SDC examples read it.
        question["answerOption"] = [
            {
                "extension": [ordinal_extension(option_set, item, o.value)],
                "valueCoding": answer_coding(measure, item, option_set, o.value, o.label, base_url),
            }
            for o in option_set.options
        ]
        return question
    question["type"] = "integer"
    extensions = [
        {"url": MIN_VALUE, "valueInteger": option_set.min},
        {"url": MAX_VALUE, "valueInteger": option_set.max},
    ]
    if option_set.step != 1:
        extensions.append({"url": SLIDER_STEP, "valueInteger": option_set.step})
    question["extension"] = extensions
    labels = _scale_labels(item, option_set)
    if labels:
        question["item"] = labels
    return question


def _score_items(
    measure: Measure, base_url: str | None, translate: Translate
) -> list[dict[str, Any]]:
    system = measure_system(measure, "scores", base_url=base_url)
    items: list[dict[str, Any]] = []
    if measure.scoring == "sum":
        low, high = measure.total_range()
        items.append(
            {
                "extension": [
                    {"url": MIN_VALUE, "valueInteger": low},
                    {"url": MAX_VALUE, "valueInteger": high},
                    calculated_expression(total_expression(measure), "Total score"),
                ],
                "linkId": TOTAL_LINK_ID,
                "code": _codings(measure.total_codes, {"system": system, "code": "total"}),
                "text": translate(SCORE_TEXT[TOTAL_LINK_ID]),
                "type": "integer",
                "readOnly": True,
            }
        )
        for subscale in measure.subscales:
            own = {"system": system, "code": f"subscale-{subscale.id}"}
            items.append(
                {
                    "extension": [
                        calculated_expression(
                            subscale_expression(measure, subscale.id), f"{subscale.id} subscale"
                        )
                    ],
                    "linkId": f"{SUBSCALE_PREFIX}{subscale.id}",
                    "code": _codings(subscale.codes, own),
                    "text": subscale.title,
                    "type": "integer",
                    "readOnly": True,
                }
            )
    if measure.bands:
        bands = measure_system(measure, "bands", base_url=base_url)
        band_item: dict[str, Any] = {}
        if measure.scoring == "sum":
            expression = band_expression(measure, TOTAL_LINK_ID, BAND_LINK_ID)
            band_item["extension"] = [calculated_expression(expression, "Severity band")]
        band_item |= {
            "linkId": BAND_LINK_ID,
            "code": [{"system": system, "code": "band"}],
            "text": translate(SCORE_TEXT[BAND_LINK_ID]),
            "type": "choice",
            "readOnly": True,
            "answerOption": [
                {"valueCoding": {"system": bands, "code": band.id, "display": band.label}}
                for band in measure.bands
            ],
        }
        items.append(band_item)
    if any(item.risk is not None for item in measure.items):
        expression = risk_expression(measure, answer_codings(measure, base_url=base_url))
        items.append(
            {
                "extension": [calculated_expression(expression, "Risk answer")],
                "linkId": RISK_LINK_ID,
                "code": [{"system": system, "code": "risk"}],
                "text": translate(SCORE_TEXT[RISK_LINK_ID]),
                "type": "boolean",
                "readOnly": True,
            }
        )
    return items


def questionnaire(
    measure: Measure,
    *,
    version: str | None = None,
    base_url: str | None = None,
    locale: str | None = None,
    translate: Translate | None = None,
) -> Questionnaire:
    """Return ``measure`` as a FHIR R4 Questionnaire (JSON data).

    The Questionnaire's version is the measure's own; ``version`` (the programme's) stands in
    for a measure without one. Give ``locale`` for a translated measure: its id and URL get the
    locale, and ``derivedFrom`` names the source Questionnaire. ``translate`` translates the
    labels of the read-only score items.
    """
    original = measure
    measure = publishable_measure(measure)
    version = measure.version or version
    qid = questionnaire_id(measure, locale)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": qid,
        "language": measure.language,
        "url": questionnaire_url(measure, base_url=base_url, locale=locale),
        "identifier": [
            {
                "system": f"{canonical_base(base_url)}/Questionnaire",
                "value": qid if version is None else f"{qid}|{version}",
            }
        ],
    }
    if version is not None:
        resource["version"] = version
    resource["name"] = _name(measure)
    resource["title"] = measure.title
    if locale is not None:
        resource["derivedFrom"] = [questionnaire_url(measure, base_url=base_url)]
    resource["status"] = "active"
    resource["subjectType"] = ["Patient"]
    description = [WORDING_WITHHELD] if original.needs_wording else []
    description += [text for text in (measure.citation, measure.url) if text]
    if description:
        resource["description"] = "\n\n".join(description)
    licence = LICENCE_TEXT[measure.licence]
    notice = [measure.copyright] if measure.copyright else []
    resource["copyright"] = "\n\n".join(
        notice if licence in measure.copyright else [*notice, licence]
    )
    resource["code"] = _codings(
        measure.codes,
        {
            "system": f"{canonical_base(base_url)}/measures",
            "code": measure.id,
            "display": measure.short_title or measure.title,
        },
    )
    items: list[dict[str, Any]] = []
    intro = (("intro.instructions", measure.instructions), ("intro.timeframe", measure.timeframe))
    for link_id, text in intro:
        if text:
            items.append({"linkId": link_id, "text": text, "type": "display"})
    items += [_question(measure, item, base_url) for item in measure.items]
    items += _score_items(measure, base_url, translate or (lambda text: text))
    resource["item"] = items
    return cast(Questionnaire, resource)


def _authored(result: Mapping[str, Any]) -> str:
    date = result.get("date")
    if not isinstance(date, str):
        raise AnswersError(["the result has no date"])
    try:
        parsed = datetime.fromisoformat(date)
    except ValueError:
        raise AnswersError([f"'{date}' is not an ISO 8601 date"]) from None
    if "T" in date and parsed.tzinfo is None:
        raise AnswersError([f"'{date}' has a time but no time zone"])
    return date


def _answers(measure: Measure, result: Mapping[str, Any]) -> dict[str, int | None]:
    answers = result.get("answers")
    if not isinstance(answers, Mapping):
        raise AnswersError(["the result has no answers"])
    for item_id, value in answers.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise AnswersError([f"{value!r} is not an answer to item '{item_id}'"])
    return dict(answers)


def questionnaire_response(
    measure: Measure,
    result: Mapping[str, Any],
    *,
    subject: str | None = None,
    version: str | None = None,
    base_url: str | None = None,
    locale: str | None = None,
) -> QuestionnaireResponse:
    """Return one saved result of ``measure`` as a FHIR R4 QuestionnaireResponse (JSON data).

    ``result`` is one entry of ``results`` in the site's answer export:
    ``{"date": ISO, "answers": {item_id: value}, "total": n, "band": id, "risk": bool}``.
    Total, band, subscales and risk are worked out again by the scoring engine from the
    answers; the saved ones are not trusted. ``subject`` is a reference such as
    ``Patient/123``. ``locale`` picks the Questionnaire it answers, and its version is the
    measure's own (``version``, the programme's, stands in for a measure without one). The
    response's ``identifier`` is a UUID derived from its content, so the same result always
    gets the same identifier and a server can refuse to store it twice.
    Raises AnswersError for an answer the measure does not allow.
    """
    authored = _authored(result)
    answers = _answers(measure, result)
    try:
        scored = score(measure, answers)
    except ValueError as exc:
        raise AnswersError([str(exc)]) from None
    measure = publishable_measure(measure)
    version = measure.version or version
    canonical = questionnaire_url(measure, base_url=base_url, locale=locale)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical if version is None else f"{canonical}|{version}",
        "status": "completed",
    }
    if subject:
        resource["subject"] = {"reference": subject}
    resource["authored"] = authored
    items: list[dict[str, Any]] = []
    for item in measure.items:
        value = answers.get(item.id)
        if value is None:
            continue
        option_set = measure.option_set(item)
        answer: dict[str, Any]
        if option_set.kind == "choice":
            option = response_option(option_set, value)
            label = option.label if option else ""
            answer = {
                "valueCoding": answer_coding(measure, item, option_set, value, label, base_url)
            }
        else:
            answer = {"valueInteger": value}
        entry: dict[str, Any] = {"linkId": item.id}
        if item.text:
            entry["text"] = item.text
        entry["answer"] = [answer]
        items.append(entry)
    if scored.total is not None:
        items.append({"linkId": TOTAL_LINK_ID, "answer": [{"valueInteger": scored.total}]})
        for subscale_id, subtotal in scored.subscales.items():
            if subtotal is not None:
                items.append(
                    {
                        "linkId": f"{SUBSCALE_PREFIX}{subscale_id}",
                        "answer": [{"valueInteger": subtotal}],
                    }
                )
    if scored.band is not None:
        band = {
            "system": measure_system(measure, "bands", base_url=base_url),
            "code": scored.band.id,
            "display": scored.band.label,
        }
        items.append({"linkId": BAND_LINK_ID, "answer": [{"valueCoding": band}]})
    if any(item.risk is not None for item in measure.items):
        items.append({"linkId": RISK_LINK_ID, "answer": [{"valueBoolean": bool(scored.risk)}]})
    if items:
        resource["item"] = items
    # A URI identifier (RFC 3986 system) holding a UUID derived from the content.
    identifier = {"system": URI_SYSTEM, "value": _content_uuid(resource)}
    response = {"resourceType": "QuestionnaireResponse", "identifier": identifier, **resource}
    return cast(QuestionnaireResponse, response)


def _content_uuid(resource: Mapping[str, Any]) -> str:
    """A UUID derived from the resource's content: the same content, the same UUID."""
    content = json.dumps(resource, sort_keys=True, ensure_ascii=False)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, content)}"


def _measure_key(key: str) -> tuple[str, str] | None:
    """Split ``<STORAGE_ROOT><programme>/measure/<measure-id>`` into its programme and measure
    ids."""
    if not key.startswith(STORAGE_ROOT):
        return None
    parts = key.removeprefix(STORAGE_ROOT).split("/")
    if len(parts) == 3 and parts[1] == "measure":
        return parts[0], parts[2]
    return None


def questionnaire_responses(
    export: Mapping[str, Any],
    programmes: Programme | Iterable[Programme],
    *,
    subject: str | None = None,
    base_url: str | None = None,
) -> list[QuestionnaireResponse]:
    """Convert a whole answer export from the site into QuestionnaireResponses.

    ``export`` is the parsed ``my-answers.json``
    (``{"format": "icbt-answers", "version": 1, "items": {...}}``). Every saved result of
    every measure of the given programmes becomes one response, in key then date order; each
    names the programme's version. Exercise answers, progress and the answers of other
    programmes are left out. Raises ExportError for a file that is not an answer export and
    AnswersError, listing every problem, when a result does not fit its measure.
    """
    if export.get("format") != ANSWERS_FORMAT or not isinstance(export.get("items"), Mapping):
        raise ExportError("this is not an answer export from the site (format 'icbt-answers')")
    if export.get("version") != ANSWERS_VERSION:
        raise ExportError(
            f"answer export version {export.get('version')!r} is not supported "
            f"(this version of icbt-content reads version {ANSWERS_VERSION})"
        )
    known = {p.id: p for p in ([programmes] if isinstance(programmes, Programme) else programmes)}
    items: Mapping[str, Any] = export["items"]
    responses: list[QuestionnaireResponse] = []
    problems: list[str] = []
    for key in sorted(items):
        ids = _measure_key(key)
        if ids is None or ids[0] not in known:
            continue
        programme = known[ids[0]]
        measure = programme.find_measure(ids[1])
        if measure is None:
            problems.append(f"{key}: programme '{programme.id}' has no measure '{ids[1]}'")
            continue
        saved = items[key]
        results = saved.get("results") if isinstance(saved, Mapping) else None
        if not isinstance(results, Sequence) or isinstance(results, str):
            problems.append(f"{key}: no list of results")
            continue
        for number, result in enumerate(results, start=1):
            if not isinstance(result, Mapping):
                problems.append(f"{key}, result {number}: not an object")
                continue
            try:
                responses.append(
                    questionnaire_response(
                        measure,
                        result,
                        subject=subject,
                        version=programme.version,
                        base_url=base_url,
                    )
                )
            except AnswersError as exc:
                problems += [f"{key}, result {number}: {problem}" for problem in exc.problems]
    if problems:
        raise AnswersError(problems)
    return responses


def _entry(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A transaction entry that creates ``resource`` unless the server already has it."""
    identifiers = resource.get("identifier")
    identifier = identifiers if isinstance(identifiers, Mapping) else None
    # Not the identifier itself: a server replaces every uri equal to an entry's fullUrl with the
    # id it assigns (FHIR R4 transaction rules), which would rewrite the identifier.
    key = {"entry": identifier["value"]} if identifier else resource
    full_url = _content_uuid(key)
    request: dict[str, Any] = {"method": "POST", "url": str(resource["resourceType"])}
    if identifier:
        request["ifNoneExist"] = f"identifier={identifier['system']}|{identifier['value']}"
    return {"fullUrl": full_url, "resource": dict(resource), "request": request}


def responses_bundle(responses: Sequence[Mapping[str, Any]]) -> Bundle:
    """Return a FHIR R4 ``transaction`` Bundle that stores ``responses`` on a FHIR server.

    Each response's identifier is a ``urn:uuid`` derived from its content, and each entry's
    request is a conditional create (``POST`` with ``ifNoneExist`` on that identifier), so posting
    the same answers twice stores them once. Each entry's ``fullUrl`` is another ``urn:uuid``,
    derived from the identifier. Exporting the same answers twice gives the same bundle.
    """
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "transaction"}
    if responses:  # FHIR JSON has no empty arrays
        bundle["entry"] = [_entry(r) for r in responses]
    return cast(Bundle, bundle)


def questionnaire_file_name(measure: Measure, locale: str | None = None) -> str:
    """Return the file name of a Questionnaire: ``Questionnaire-<id>.json``."""
    return f"Questionnaire-{questionnaire_id(measure, locale)}.json"


def write_questionnaires(
    localised: Iterable[LocalisedProgramme], out: Path, *, base_url: str | None = None
) -> list[Path]:
    """Write each measure of each localised programme to
    ``<out>/<programme>/<locale>/Questionnaire-<id>.json``, and each exercise (in the source
    locale) to ``Questionnaire-<programme>-exercise-<id>.json``; return the paths."""
    written: list[Path] = []
    for item in localised:
        programme, code = item.programme, item.locale.code
        locale = None if code == programme.source_locale else code
        for measure in programme.measures:
            resource = questionnaire(
                measure,
                version=programme.version,
                base_url=base_url,
                locale=locale,
                translate=item.translate,
            )
            path = out / programme.id / code / questionnaire_file_name(measure, locale)
            written.append(write_text(path, json_text(resource, sort_keys=False)))
        if locale is None:  # one Questionnaire per exercise, in the programme's own language
            for exercise in programme.exercises():
                form = exercise_questionnaire(programme, exercise, base_url=base_url)
                path = out / programme.id / code / f"Questionnaire-{form['id']}.json"
                written.append(write_text(path, json_text(form, sort_keys=False)))
    return written


def export_questionnaires(
    project: StrPath,
    out: StrPath,
    *,
    programmes: Iterable[str] | None = None,
    locales: Iterable[str] | None = None,
    base_url: str | None = None,
) -> list[Path]:
    """Write every measure of every programme and locale as a FHIR R4 Questionnaire.

    Raises ContentError when a programme has errors and ExportError for an unknown programme
    or locale.
    """
    localised = localised_programmes(as_path(project), programmes=programmes, locales=locales)
    return write_questionnaires(localised, as_path(out), base_url=base_url)


def read_answers(path: Path) -> dict[str, Any]:
    """Read an answer export saved from the site; raise ExportError if it cannot be read."""
    try:
        with Path(path).open("rb") as stream:
            raw = stream.read(MAX_ANSWERS_BYTES + 1)
        if len(raw) > MAX_ANSWERS_BYTES:
            raise ExportError(
                f"{path} is larger than {kilobytes(MAX_ANSWERS_BYTES)}: not an answer export "
                "from the site"
            )
        data = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ExportError(f"{path} is not JSON: {exc}") from None
    except RecursionError:
        raise ExportError(f"{path} is nested too deeply to be an answer export") from None
    if not isinstance(data, dict):
        raise ExportError(f"{path} is not an answer export from the site")
    return data


def export_responses(
    project: StrPath,
    answers: StrPath,
    out: StrPath,
    *,
    programmes: Iterable[str] | None = None,
    subject: str | None = None,
    base_url: str | None = None,
) -> list[Path]:
    """Convert an answer export into a Bundle of QuestionnaireResponses at
    ``<out>/<answers-file-name>.fhir.json``; return its path.

    Responses name the source-locale Questionnaires: answers are the same in every language.
    """
    answers = as_path(answers)
    data = read_answers(answers)
    found = source_programmes(as_path(project), programmes)
    responses = questionnaire_responses(data, found, subject=subject, base_url=base_url)
    return [write_responses(responses, as_path(out), answers.stem)]


def write_responses(responses: Sequence[Mapping[str, Any]], out: Path, name: str) -> Path:
    """Write ``responses`` as a transaction Bundle to ``<out>/<name>.fhir.json``; return it."""
    path = out / f"{name}.fhir.json"
    return write_text(path, json_text(responses_bundle(responses), sort_keys=False))
