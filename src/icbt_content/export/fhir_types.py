"""The FHIR R4 resources the exports emit, as TypedDicts: the keys we write, and their types.

Only what :mod:`icbt_content.export.fhir` writes is described (a test checks every key it emits
is here), not the whole FHIR specification. Keys that are not always present are
``NotRequired``. (No ``from __future__ import annotations`` here: TypedDict needs to see
``NotRequired`` when the class is made, to know which keys are required.)
"""

from typing import Literal, NotRequired, TypedDict


class Expression(TypedDict):
    """An SDC FHIRPath expression."""

    language: str
    expression: str
    description: NotRequired[str]


class Coding(TypedDict):
    """A code from a terminology (LOINC, or the deployment's own system)."""

    system: str
    code: str
    display: NotRequired[str]
    extension: NotRequired[list["Extension"]]


class CodeableConcept(TypedDict):
    """One or more codings of a concept."""

    coding: list[Coding]


class Extension(TypedDict):
    """An extension: ``url`` names it; one ``value[x]`` holds its value."""

    url: str
    valueDecimal: NotRequired[float]
    valueInteger: NotRequired[int]
    valueExpression: NotRequired[Expression]
    valueCodeableConcept: NotRequired[CodeableConcept]


class Identifier(TypedDict):
    """A business identifier."""

    system: str
    value: str


class Reference(TypedDict):
    """A reference to another resource."""

    reference: str


class AnswerOption(TypedDict):
    """One allowed answer of a question, with its score (``ordinalValue``)."""

    valueCoding: Coding
    extension: NotRequired[list[Extension]]


class QuestionnaireItem(TypedDict):
    """A question, a display text, or a read-only score item of a Questionnaire."""

    linkId: str
    type: str
    text: NotRequired[str]
    code: NotRequired[list[Coding]]
    required: NotRequired[bool]
    readOnly: NotRequired[bool]
    answerOption: NotRequired[list[AnswerOption]]
    extension: NotRequired[list[Extension]]
    item: NotRequired[list["QuestionnaireItem"]]


class Questionnaire(TypedDict):
    """A measure as a FHIR R4 Questionnaire."""

    resourceType: Literal["Questionnaire"]
    id: str
    language: str
    url: str
    identifier: list[Identifier]
    version: NotRequired[str]
    name: str
    title: str
    derivedFrom: NotRequired[list[str]]
    status: str
    subjectType: list[str]
    description: NotRequired[str]
    copyright: str
    code: list[Coding]
    item: list[QuestionnaireItem]


class Answer(TypedDict, total=False):
    """One answer of a QuestionnaireResponse item: exactly one ``value[x]``."""

    valueCoding: Coding
    valueInteger: int
    valueBoolean: bool


class ResponseItem(TypedDict):
    """An answered item of a QuestionnaireResponse."""

    linkId: str
    text: NotRequired[str]
    answer: NotRequired[list[Answer]]


class QuestionnaireResponse(TypedDict):
    """One completion of a measure."""

    resourceType: Literal["QuestionnaireResponse"]
    identifier: Identifier
    questionnaire: str
    status: str
    authored: str
    subject: NotRequired[Reference]
    item: NotRequired[list[ResponseItem]]


class BundleRequest(TypedDict):
    """How a transaction entry is stored: a conditional create."""

    method: str
    url: str
    ifNoneExist: NotRequired[str]


class BundleEntry(TypedDict):
    """One resource of a transaction Bundle."""

    fullUrl: str
    resource: QuestionnaireResponse
    request: BundleRequest


class Bundle(TypedDict):
    """A transaction Bundle of QuestionnaireResponses a FHIR server accepts in one request."""

    resourceType: Literal["Bundle"]
    type: Literal["transaction"]
    entry: NotRequired[list[BundleEntry]]
