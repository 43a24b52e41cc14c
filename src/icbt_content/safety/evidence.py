"""Evidence for the safety report: test results read from a JUnit XML file.

Pytest writes one with ``pytest --junitxml=FILE``. Each control in the hazard log that names a
test is matched to its ``<testcase>`` elements: a test passes when every case of it (every
parameter) passed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

from icbt_content.errors import IcbtError

MAX_JUNIT_BYTES = 50_000_000


class EvidenceError(IcbtError, ValueError):
    """The test results cannot be read."""


@dataclass
class TestResults:
    """The outcome of every test in a JUnit XML file, by ``file::name``."""

    source: str
    outcomes: dict[str, list[str]] = field(default_factory=dict)
    """``tests/x.py::test_y`` -> the outcome of each of its cases (passed, failed, skipped)."""

    __test__ = False  # not a pytest test class, despite its name

    def outcome(self, reference: str) -> str:
        """passed, failed, skipped or 'not run' for a control's test reference."""
        cases = self.outcomes.get(reference.split("[", 1)[0])
        if not cases:
            return "not run"
        if any(case == "failed" for case in cases):
            return "failed"
        if all(case == "skipped" for case in cases):
            return "skipped"
        return "passed"

    @property
    def failed(self) -> list[str]:
        """Every test with a failed case, sorted."""
        return sorted(ref for ref, cases in self.outcomes.items() if "failed" in cases)

    @property
    def counts(self) -> dict[str, int]:
        """How many test cases passed, failed and were skipped."""
        totals = {"passed": 0, "failed": 0, "skipped": 0}
        for cases in self.outcomes.values():
            for case in cases:
                totals[case] += 1
        return totals


def _reference(classname: str, name: str) -> str:
    """``tests.safety.test_release`` + ``test_x[a]`` -> ``tests/safety/test_release.py::test_x``."""
    parts = classname.split(".")
    base = name.split("[", 1)[0]
    if len(parts) > 1 and parts[-1][:1].isupper():
        return "/".join(parts[:-1]) + f".py::{parts[-1]}::{base}"
    return "/".join(parts) + f".py::{base}"


def read_junit(path: Path) -> TestResults:
    """Read a JUnit XML file; raise :class:`EvidenceError` when it is not one."""
    try:
        if path.stat().st_size > MAX_JUNIT_BYTES:
            raise EvidenceError(f"{path} is larger than {MAX_JUNIT_BYTES // 1_000_000} MB")
        # The standard library parser resolves no external entities, and expat refuses
        # exponential entity expansion.
        root = ElementTree.parse(path).getroot()
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except ElementTree.ParseError as exc:
        raise EvidenceError(f"{path} is not valid XML: {exc}") from exc
    if root.tag not in ("testsuites", "testsuite"):
        raise EvidenceError(f"{path} is not a JUnit XML file (its root is <{root.tag}>)")
    results = TestResults(source=path.name)
    for case in root.iter("testcase"):
        reference = _reference(case.get("classname", ""), case.get("name", ""))
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        results.outcomes.setdefault(reference, []).append(outcome)
    return results
