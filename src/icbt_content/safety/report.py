"""``icbt safety report``: the hazard log, the release records and the evidence, in one document.

The document is what a Clinical Safety Officer reads and signs: every hazard with its risk before
and after its controls, each control with the evidence that it works (its diagnostic code in this
build's ``icbt check --strict``, its test in the JUnit results), the release record of each
programme and whether the sources still match it, and the result of the strict check.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from icbt_content._version import __version__
from icbt_content.diagnostics import CODES, Diagnostic
from icbt_content.errors import InvalidArgumentError
from icbt_content.pipeline.check import check_project
from icbt_content.safety.evidence import TestResults
from icbt_content.safety.hazards import (
    LoadedHazardLog,
    check_hazard_log,
    control_kind,
    load_hazard_log,
)
from icbt_content.safety.matrix import ACCEPTABILITY, SEVERITIES, matrix_rows
from icbt_content.safety.release import (
    ReleaseRecord,
    changed_files,
    hash_files,
    read_release,
    release_files,
)

FORMATS = ("md", "html")


@dataclass(frozen=True)
class ControlEvidence:
    """What shows that one reference of a control works."""

    reference: str
    kind: str
    """code or test"""
    status: str
    """What the evidence says, in words."""
    ok: bool
    """Whether the evidence supports the control (a passed test, a code with no errors)."""


@dataclass
class ProgrammeEvidence:
    """A programme's release and the result of the strict check of its sources."""

    id: str
    title: str
    version: str
    weekly: tuple[str, ...]
    release: ReleaseRecord | None
    release_file: str
    changed: list[str]
    """Files changed since the release of this version (empty when it matches)."""
    diagnostics: list[Diagnostic]

    @property
    def check_passed(self) -> bool:
        return not self.diagnostics

    @property
    def release_status(self) -> str:
        if self.release is None:
            return "draft: not signed off (no release record for this version)"
        if self.changed:
            return f"ERROR: {len(self.changed)} file(s) changed since the version was signed off"
        return "the sources match the signed-off release exactly"


@dataclass
class SafetyReport:
    """Everything the report shows."""

    project: str
    """What the report covers: the hazard log's system, else the project folder's name."""
    date: str
    tool: str
    hazard_log: LoadedHazardLog | None
    hazard_diagnostics: list[Diagnostic]
    programmes: list[ProgrammeEvidence]
    tests: TestResults | None
    evidence: dict[str, ControlEvidence] = field(default_factory=dict)

    @property
    def check_passed(self) -> bool:
        return not self.hazard_diagnostics and all(p.check_passed for p in self.programmes)

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        found = list(self.hazard_diagnostics)
        for programme in self.programmes:
            found.extend(programme.diagnostics)
        return found

    @property
    def residual_counts(self) -> dict[int, int]:
        if self.hazard_log is None:
            return {}
        counts = Counter(h.residual.clinical_risk for h in self.hazard_log.log.hazards)
        return {risk: counts.get(risk, 0) for risk in range(5, 0, -1)}

    @property
    def ready_to_sign(self) -> bool:
        """Nothing in the evidence stands in the way of signing: checks clean, tests passed."""
        if not self.check_passed or self.hazard_log is None:
            return False
        if any(p.release is not None and p.changed for p in self.programmes):
            return False
        if self.tests is not None and self.tests.failed:
            return False
        return all(e.ok for e in self.evidence.values())


def build_report(
    project: Path,
    programme_ids: list[str] | None = None,
    *,
    tests: TestResults | None = None,
    today: dt.date | None = None,
) -> SafetyReport:
    """Gather the hazard log, the release records and the evidence for a project."""

    hazard_log, _ = load_hazard_log(project)
    report = SafetyReport(
        project=hazard_log.log.system.strip() if hazard_log else project.resolve().name,
        date=(today or dt.date.today()).isoformat(),
        tool=f"icbt-content {__version__}",
        hazard_log=hazard_log,
        hazard_diagnostics=check_hazard_log(project),
        programmes=[],
        tests=tests,
    )
    for loaded in check_project(project, programme_ids):
        programme = loaded.programme
        diagnostics = [d for d in loaded.diagnostics if d.severity in ("error", "warning")]
        if programme is None:
            name = loaded.root.name
            report.programmes.append(
                ProgrammeEvidence(name, name, "?", (), None, "", [], diagnostics)
            )
            continue
        release, _ = read_release(project, programme.id, programme.version)
        changed: list[str] = []
        if release is not None:
            current = hash_files(release_files(project, loaded.root, programme))
            changed = changed_files(release.record.files, current)
        report.programmes.append(
            ProgrammeEvidence(
                programme.id,
                programme.title,
                programme.version,
                programme.weekly,
                release.record if release else None,
                release.file if release else "",
                changed,
                diagnostics,
            )
        )
    report.evidence = _evidence(report)
    return report


def _evidence(report: SafetyReport) -> dict[str, ControlEvidence]:
    if report.hazard_log is None:
        return {}
    found = Counter(d.code for d in report.all_diagnostics)
    broken = {d.line for d in report.hazard_diagnostics if d.code in ("ICBT821", "ICBT822")}
    evidence: dict[str, ControlEvidence] = {}
    located = report.hazard_log.located
    for i, hazard in enumerate(report.hazard_log.log.hazards):
        for j, control in enumerate(hazard.controls):
            for k, reference in enumerate(control.enforced_by):
                if reference in evidence:
                    continue
                line = located.line_of(("hazards", i, "controls", j, "enforced_by", k))
                evidence[reference] = _one(reference, line in broken, found, report.tests)
    return evidence


def _one(
    reference: str, missing: bool, found: Counter[str], tests: TestResults | None
) -> ControlEvidence:
    kind = control_kind(reference)
    if missing:
        return ControlEvidence(reference, kind, "does not exist", False)
    if kind == "code":
        count = found.get(reference, 0)
        severity = CODES[reference].severity
        if not count:
            return ControlEvidence(reference, kind, "checked by icbt check: no findings", True)
        return ControlEvidence(
            reference,
            kind,
            f"checked by icbt check: {count} {severity}(s) in this build",
            False,
        )
    if tests is None:
        return ControlEvidence(reference, kind, "no test results given", False)
    outcome = tests.outcome(reference)
    return ControlEvidence(reference, kind, f"test {outcome}", outcome == "passed")


# -- rendering -------------------------------------------------------------------------------------


def _md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: one line, no column breaks, no HTML."""
    text = " ".join(str(value).split())
    for char, escaped in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(char, escaped)
    return text


def _md_text(value: object) -> str:
    """Text safe as a Markdown paragraph: no HTML, no accidental headings or lists."""
    lines = [line.strip() for line in str(value).strip().splitlines()]
    text = "\n".join(lines).replace("<", "&lt;").replace(">", "&gt;")
    return "\n".join(("\\" + line) if line[:1] in "#-*+>=|" else line for line in text.split("\n"))


@cache
def _environment(fmt: str) -> Environment:
    env = Environment(
        loader=PackageLoader("icbt_content.safety", "templates"),
        autoescape=fmt == "html",
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = _md_cell
    env.filters["text"] = _md_text
    return env


def render_report(report: SafetyReport, fmt: str = "md") -> str:
    """The report as Markdown (``md``) or a self-contained HTML page (``html``)."""
    if fmt not in FORMATS:
        raise InvalidArgumentError(
            f"unknown report format '{fmt}': use one of {', '.join(FORMATS)}"
        )
    css = ""
    if fmt == "html":
        css = (resources.files("icbt_content.safety") / "templates" / "report.css").read_text(
            encoding="utf-8"
        )
    template = _environment(fmt).get_template(f"report.{fmt}")
    return template.render(
        report=report,
        acceptability=ACCEPTABILITY,
        severities=SEVERITIES,
        matrix=matrix_rows(),
        css=css,
    )
