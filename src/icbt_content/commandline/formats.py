"""Diagnostics as text for people, or as JSON, SARIF 2.1.0 or GitHub annotations for tools.

Each format is a function from the diagnostics to the text to print. Text goes to standard error
with a count, like a compiler; the others go to standard output, so a CI can read them with
``icbt check --format sarif > icbt.sarif`` while messages for people stay on standard error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from icbt_content._version import __version__
from icbt_content.diagnostics import CODES, Diagnostic, Severity

#: The schema a SARIF log names: the OASIS standard, 2.1.0 with its errata.
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


@dataclass(frozen=True)
class Format:
    """How to print diagnostics: the text for them, and whether it goes to standard output."""

    render: Callable[[Sequence[Diagnostic]], str]
    to_stdout: bool
    help: str


def location(file: str) -> str:
    """The file as a forward-slash path, relative to the current folder when it is inside it."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def render_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Each diagnostic as ``file:line:col: severity: message [CODE]`` and a hint, then a count."""
    if not diagnostics:
        return ""
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    lines = [d.format() for d in diagnostics]
    lines.append(f"{errors} error(s), {len(diagnostics) - errors} warning(s)")
    return "\n".join(lines) + "\n"


def as_dict(item: Diagnostic) -> dict[str, object]:
    """One diagnostic as a JSON object."""
    return {
        "file": location(item.file),
        "line": item.line,
        "col": item.col,
        "code": item.code,
        "severity": str(item.severity),
        "message": item.message,
        "hint": item.hint,
    }


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A JSON list of diagnostics (an empty list when there are none)."""
    return json.dumps([as_dict(d) for d in diagnostics], ensure_ascii=False, indent=2) + "\n"


def _rule(code: str) -> dict[str, object]:
    known = CODES.get(code)
    rule: dict[str, object] = {"id": code}
    if known is not None:
        rule["shortDescription"] = {"text": known.title}
        rule["fullDescription"] = {"text": known.explanation}
        rule["defaultConfiguration"] = {"level": str(known.severity)}
    return rule


def _result(item: Diagnostic, rule_index: int) -> dict[str, object]:
    text = item.message + (f"\nhint: {item.hint}" if item.hint else "")
    path = location(item.file)
    artifact: dict[str, object] = (
        {"uri": Path(path).as_uri()} if Path(path).is_absolute() else {"uri": path}
    )
    return {
        "ruleId": item.code,
        "ruleIndex": rule_index,
        "level": str(item.severity),
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {"startLine": item.line, "startColumn": item.col},
                }
            }
        ],
    }


def render_sarif(diagnostics: Sequence[Diagnostic]) -> str:
    """A SARIF 2.1.0 log with one run of icbt: its rules (the codes used) and its results."""
    codes = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    driver: dict[str, object] = {
        "name": "icbt",
        "version": __version__,
        "rules": [_rule(code) for code in codes],
    }
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index[d.code]) for d in diagnostics],
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: ``::error file=F,line=N,col=N,title=CODE::message``."""
    lines = []
    for item in diagnostics:
        text = item.message + (f"\nhint: {item.hint}" if item.hint else "")
        props = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("file", location(item.file)),
                ("line", str(item.line)),
                ("col", str(item.col)),
                ("title", item.code),
            )
        )
        lines.append(f"::{item.severity} {props}::{_escape_data(text)}")
    return "".join(line + "\n" for line in lines)


#: The ``--format`` choices, the first the default.
FORMATS: dict[str, Format] = {
    "text": Format(render_text, to_stdout=False, help="file:line:col messages for people"),
    "json": Format(render_json, to_stdout=True, help="a JSON list of diagnostics"),
    "sarif": Format(render_sarif, to_stdout=True, help="a SARIF 2.1.0 log for code scanning"),
    "github": Format(render_github, to_stdout=True, help="GitHub Actions annotations"),
}
