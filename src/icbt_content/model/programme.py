"""Programme, module and page: the shape of a course of internet therapy."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, Protocol, TypeVar

from pydantic import Field

from icbt_content.diagnostics import did_you_mean
from icbt_content.errors import NotFoundError
from icbt_content.model.base import ContentModel, Id, SourceLocation
from icbt_content.model.blocks import Block, ExerciseBlock
from icbt_content.model.exercise import Exercise
from icbt_content.model.guidance import GuidanceTemplate
from icbt_content.model.measure import Measure

Unlock = Literal["all-open", "in-order", "by-therapist"]
_Thing = TypeVar("_Thing")


class Heading(ContentModel):
    """A heading on a page; its anchor is the same in every language."""

    level: int
    text: str
    anchor: Id


class Page(ContentModel):
    """One screen of a module."""

    id: Id
    title: str
    blocks: tuple[Block, ...]
    distressing: bool = False
    """The page asks about distressing material: it must offer a route to help."""
    headings: tuple[Heading, ...] = ()
    source: SourceLocation | None = None

    def exercises(self) -> Iterator[Exercise]:
        for block in self.blocks:
            if isinstance(block, ExerciseBlock):
                yield block.exercise


class Module(ContentModel):
    """A unit of treatment: a few pages the client works through in a week or so."""

    id: Id
    title: str
    summary: str = ""
    core: bool = True
    """Core modules are for every client; optional ones are chosen with the therapist."""
    therapist_notes: str = ""
    """Markdown for the therapist: purpose, what to look for, common problems, referring back."""
    pages: tuple[Page, ...]
    source: SourceLocation | None = None


class Rename(ContentModel):
    """A migration: saved answers under an old exercise or field id move to a new one."""

    exercise: Id
    """The exercise id (the old one when renaming an exercise)."""
    to: Id | None = None
    """New exercise id, when the exercise itself was renamed."""
    fields: dict[str, str] = Field(default_factory=dict)
    """Old field id -> new field id."""
    removed_fields: tuple[Id, ...] = ()
    """Field ids removed on purpose; their saved answers stay in the client's export."""
    removed: bool = False
    """The whole exercise was removed on purpose."""


class CrisisPage(ContentModel):
    """Where to get help now; linked from every page."""

    title: str
    markdown: str
    source: SourceLocation | None = None


class OutcomeMeasures(ContentModel):
    """The measures a programme's NHS Talking Therapies outcome (caseness, recovery, reliable
    change) is worked out from."""

    depression: Id
    """The depression measure, such as phq9."""
    anxiety: Id
    """The anxiety measure: for a specific anxiety disorder its disorder-specific measure (spin for
    social anxiety, pcl5 for PTSD), which replaces gad7."""


#: The check-in page's name where modules are named: its site folder, its translation unit and
#: its place among fallback modules. No module can have this id.
CHECK_IN_UNIT = "check-in"


class CheckInPage(ContentModel):
    """The weekly check-in: the questionnaires a client fills in every week, and why."""

    title: str
    summary: str = ""
    """One sentence shown where the check-in is linked from (the home page and each module)."""
    markdown: str
    source: SourceLocation | None = None


class Programme(ContentModel):
    """A therapist-guided internet programme, as authored in its source locale."""

    id: Id
    title: str
    version: str
    condition: str
    description: str = ""
    source_locale: str = "en-GB"
    unlock: Unlock = "in-order"
    """How modules open: all at once, one after another, or when the therapist opens them."""
    modules: tuple[Module, ...]
    measures: tuple[Measure, ...] = ()
    weekly: tuple[Id, ...] = ()
    """Measures the client fills in every week on the check-in page (programme.yaml `weekly:`), so
    risk and progress are seen at every session, not only at the start and the end."""
    guidance: tuple[GuidanceTemplate, ...] = ()
    crisis: CrisisPage | None = None
    check_in: CheckInPage | None = None
    """The weekly check-in page (check-in.md), where the weekly measures are shown."""
    migrations: tuple[Rename, ...] = ()
    outcome_measures: OutcomeMeasures | None = None
    """Named in programme.yaml, or found from the roles of the listed measures when left out."""
    source: SourceLocation | None = None

    def module(self, module_id: str) -> Module:
        """Return the module with this id; raise :class:`NotFoundError` if there is none."""
        return _found(self.find_module(module_id), "module", module_id, self.modules)

    def measure(self, measure_id: str) -> Measure:
        """Return the measure with this id; raise :class:`NotFoundError` if there is none."""
        return _found(self.find_measure(measure_id), "measure", measure_id, self.measures)

    def exercise(self, exercise_id: str) -> Exercise:
        """Return the exercise with this id; raise :class:`NotFoundError` if there is none."""
        found = self.find_exercise(exercise_id)
        return _found(found, "exercise", exercise_id, tuple(self.exercises()))

    def find_module(self, module_id: str) -> Module | None:
        """Return the module with this id, or None."""
        return next((m for m in self.modules if m.id == module_id), None)

    def find_measure(self, measure_id: str) -> Measure | None:
        """Return the measure with this id, or None."""
        return next((m for m in self.measures if m.id == measure_id), None)

    def find_exercise(self, exercise_id: str) -> Exercise | None:
        """Return the exercise with this id (on any page), or None."""
        return next((e for e in self.exercises() if e.id == exercise_id), None)

    def pages(self) -> Iterator[tuple[Module, Page]]:
        for module in self.modules:
            for page in module.pages:
                yield module, page

    def exercises(self) -> Iterator[Exercise]:
        for _, page in self.pages():
            yield from page.exercises()


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def _found(thing: _Thing | None, kind: str, wanted: str, known: Iterable[_HasId]) -> _Thing:
    if thing is not None:
        return thing
    ids = [item.id for item in known]
    hint = did_you_mean(wanted, ids) or f"known: {', '.join(ids) or 'none'}"
    raise NotFoundError(f"no {kind} '{wanted}' in this programme ({hint})")
