"""The hazard log (safety/hazard-log.yaml): what could harm a client, and what controls it.

Each hazard has a cause, an effect and a harm, its risk before and after its controls on the
DCB0129 matrix, and its controls. A control the manufacturer owns names what enforces it: a
diagnostic code (``ICBT306``) that ``icbt check`` reports, or a test
(``tests/test_build.py::test_name``) that CI runs. ``icbt check`` refuses a log whose risks do not
follow the matrix or whose controls name a code or a test that does not exist, so a control in
the log is always a real check.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from icbt_content.authoring.documents import read_text
from icbt_content.authoring.yamlsafe import LocatedYaml, PathKey, load_yaml, validate
from icbt_content.diagnostics import CODES, Diagnostic, did_you_mean
from icbt_content.model.base import ContentModel
from icbt_content.safety.matrix import Likelihood, Severity, clinical_risk

HAZARD_LOG = "safety/hazard-log.yaml"
HAZARD_ID_PATTERN = r"^[A-Z][A-Z0-9]*-?[0-9]{1,4}$"
CODE_RE = re.compile(r"^ICBT[0-9]{3}$")
TEST_RE = re.compile(
    r"^(?P<file>tests/[A-Za-z0-9_./-]+\.py)::(?P<names>[A-Za-z_][A-Za-z0-9_]*"
    r"(?:::[A-Za-z_][A-Za-z0-9_]*)?)(?:\[[^\]]*\])?$"
)

HazardStatus = Literal["open", "mitigated", "transferred", "closed"]
"""open: controls not all in place; mitigated: controls in place, risk as low as practical;
transferred: the deploying service carries the remaining controls (DCB0160); closed: the hazard
can no longer arise."""

ControlOwner = Literal["manufacturer", "deployer"]


class RiskAssessment(ContentModel):
    """The severity and likelihood of the harm, and the risk they give on the matrix."""

    severity: Severity
    likelihood: Likelihood
    risk: int | None = Field(default=None, ge=1, le=5)
    """Optional: when written, it must be the risk the matrix gives."""
    rationale: str = ""
    """Why the severity and likelihood were judged so (required for a residual risk of 3)."""

    @property
    def clinical_risk(self) -> int:
        """The risk the DCB0129 matrix gives for this severity and likelihood."""
        return clinical_risk(self.severity, self.likelihood)


class Control(ContentModel):
    """A measure that lowers the likelihood or severity of a harm, and what enforces it."""

    description: str = Field(min_length=1)
    enforced_by: tuple[str, ...] = ()
    """Diagnostic codes (`ICBT306`) and tests (`tests/<file>.py::<test>`) that enforce it."""
    owner: ControlOwner = "manufacturer"
    """Who carries the control out: this tool (the manufacturer, DCB0129) or the service that
    deploys the programme (the deployer, DCB0160), which records it in its own hazard log."""


class Hazard(ContentModel):
    """One hazard: how it arises, what it leads to, how bad and likely, and its controls."""

    id: str = Field(min_length=1, max_length=32)
    title: str = Field(min_length=1)
    cause: str = Field(min_length=1)
    """What in the content, the tool or its use brings the hazard about."""
    effect: str = Field(min_length=1)
    """What changes in the client's care when it happens."""
    harm: str = Field(min_length=1)
    """The harm to the client that could follow."""
    source: str = ""
    """Where the hazard was found (an issue, a review, an incident)."""
    status: HazardStatus = "open"
    initial: RiskAssessment
    """The risk before the controls."""
    controls: tuple[Control, ...] = ()
    residual: RiskAssessment
    """The risk with the controls in place."""


class HazardLog(ContentModel):
    """safety/hazard-log.yaml"""

    system: str = Field(min_length=1, max_length=120)
    """The name of what the log covers, such as the tool and its programmes."""
    scope: str = ""
    """What exactly the log covers: versions, programmes, languages, how it is deployed."""
    clinical_safety_officer: str = ""
    """Who reviews and approves the log, or who will."""
    reviewed: str = ""
    """The date (YYYY-MM-DD) of the last review."""
    hazards: tuple[Hazard, ...] = Field(min_length=1)


@dataclass(frozen=True)
class LoadedHazardLog:
    """A hazard log with the place of every value, for diagnostics and the report."""

    log: HazardLog
    located: LocatedYaml
    file: str


def load_hazard_log(project: Path) -> tuple[LoadedHazardLog | None, list[Diagnostic]]:
    """Read and validate the hazard log of a project; None when it is missing or invalid."""
    path = project / HAZARD_LOG
    if not path.is_file():
        return None, []
    text, found = read_text(path, HAZARD_LOG, project)
    if text is None:
        return None, found
    located, found = load_yaml(text, HAZARD_LOG)
    if located is None:
        return None, found
    log, found = validate(HazardLog, located, what="the hazard log")
    if log is None:
        return None, found
    return LoadedHazardLog(log, located, HAZARD_LOG), found


def check_hazard_log(project: Path) -> list[Diagnostic]:
    """Every problem of the project's hazard log (none when the project has no log)."""
    loaded, found = load_hazard_log(project)
    if loaded is not None:
        found.extend(_LogChecker(project, loaded).run())
    return found


class _LogChecker:
    def __init__(self, project: Path, loaded: LoadedHazardLog) -> None:
        self.project = project
        self.located = loaded.located
        self.log = loaded.log

    def at(self, code: str, message: str, path: PathKey, hint: str = "") -> Diagnostic:
        return self.located.at(code, message, path, hint)

    def run(self) -> Iterator[Diagnostic]:
        if self.log.reviewed and not re.match(r"^\d{4}-\d{2}-\d{2}$", self.log.reviewed):
            yield self.at(
                "ICBT104",
                f"'reviewed' must be a date written YYYY-MM-DD, not '{self.log.reviewed}'",
                ("reviewed",),
            )
        seen: dict[str, int] = {}
        for i, hazard in enumerate(self.log.hazards):
            here: PathKey = ("hazards", i)
            if not re.match(HAZARD_ID_PATTERN, hazard.id):
                yield self.at(
                    "ICBT202",
                    f"'{hazard.id}' is not a hazard id",
                    (*here, "id"),
                    hint="use capital letters and a number, like H01 or HAZ-12",
                )
            if hazard.id in seen:
                yield self.at(
                    "ICBT201",
                    f"hazard id '{hazard.id}' is also used on line {seen[hazard.id]}",
                    (*here, "id"),
                    hint="give each hazard its own id; never reuse the id of a removed one",
                )
            seen.setdefault(hazard.id, self.located.line_of((*here, "id")))
            yield from self.assessments(hazard, here)
            for j, control in enumerate(hazard.controls):
                yield from self.control(control, (*here, "controls", j))

    def assessments(self, hazard: Hazard, here: PathKey) -> Iterator[Diagnostic]:
        for name in ("initial", "residual"):
            assessment: RiskAssessment = getattr(hazard, name)
            expected = assessment.clinical_risk
            if assessment.risk is not None and assessment.risk != expected:
                yield self.at(
                    "ICBT820",
                    f"{hazard.id}: the {name} risk is written as {assessment.risk}, but a "
                    f"{assessment.severity} harm of {assessment.likelihood} likelihood is risk "
                    f"{expected} on the DCB0129 matrix",
                    (*here, name, "risk"),
                    hint=f"write 'risk: {expected}', or correct the severity or the likelihood",
                )
        before, after = hazard.initial.clinical_risk, hazard.residual.clinical_risk
        if after > before:
            yield self.at(
                "ICBT825",
                f"{hazard.id}: the residual risk ({after}) is higher than the initial risk "
                f"({before})",
                (*here, "residual"),
                hint="controls lower a risk; check both assessments",
            )
        if after >= 4:
            yield self.at(
                "ICBT824",
                f"{hazard.id}: the residual risk is {after}, which DCB0129 does not accept",
                (*here, "residual"),
                hint="add controls that lower the likelihood or the severity of the harm",
            )
        elif after == 3 and not hazard.residual.rationale.strip():
            yield self.at(
                "ICBT824",
                f"{hazard.id}: a residual risk of 3 is acceptable only when further reduction "
                "is impractical, and the log does not say why it is",
                (*here, "residual"),
                hint="add 'rationale: ...' to the residual assessment, or lower the risk",
            )

    def control(self, control: Control, here: PathKey) -> Iterator[Diagnostic]:
        if not control.enforced_by and control.owner == "manufacturer":
            yield self.at(
                "ICBT823",
                "this control names nothing that enforces it",
                here,
                hint="add 'enforced_by: [ICBTnnn]' or a test 'tests/<file>.py::<test>'; a "
                "control only the deploying service can carry out says 'owner: deployer'",
            )
        for k, reference in enumerate(control.enforced_by):
            where = (*here, "enforced_by", k)
            if CODE_RE.match(reference):
                if reference not in CODES:
                    yield self.at(
                        "ICBT821",
                        f"the diagnostic code {reference} does not exist",
                        where,
                        hint="every code is listed on the Diagnostics page of the documentation",
                    )
                continue
            match = TEST_RE.match(reference)
            if match is None:
                near = did_you_mean(reference, CODES) if reference.startswith("ICBT") else ""
                yield self.at(
                    "ICBT823",
                    f"'{reference}' is neither a diagnostic code nor a test",
                    where,
                    hint=near
                    or "write a code like ICBT306 or a test like tests/test_build.py::test_name",
                )
                continue
            problem = missing_test(self.project, match.group("file"), match.group("names"))
            if problem:
                yield self.at("ICBT822", f"{reference}: {problem}", where)


def missing_test(project: Path, file: str, names: str) -> str:
    """Why the test ``file::names`` cannot be run, or "" when it exists."""
    path = (project / file).resolve()
    root = project.resolve()
    if root not in path.parents or not path.is_file():
        return f"there is no file {file}"
    defined = _test_names(str(path), path.stat().st_mtime_ns)
    if defined is None:
        return f"{file} is not valid Python"
    if names not in defined:
        wanted = names.split("::")[-1]
        hint = did_you_mean(wanted, {n.split("::")[-1] for n in defined})
        return f"{file} has no test '{names}'" + (f" ({hint})" if hint else "")
    return ""


@cache
def _test_names(path: str, mtime: int) -> frozenset[str] | None:
    """The test functions of a file (``test_x`` and ``TestClass::test_x``); None if unparsable."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{node.name}::{member.name}")
    return frozenset(name for name in names if name.split("::")[-1].startswith("test"))


def control_kind(reference: str) -> str:
    """'code' or 'test' (or '' when the reference is neither)."""
    if CODE_RE.match(reference):
        return "code"
    return "test" if TEST_RE.match(reference) else ""
