"""The safety report: the hazard log, the release record and the evidence in one document."""

from __future__ import annotations

import re
import shutil
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

from icbt_content.cli import run
from icbt_content.safety.evidence import EvidenceError, read_junit

REPO = Path(__file__).parent.parent.parent

LOG = """\
system: The demo programme
clinical_safety_officer: Dr Ada Example
reviewed: "2025-06-01"
hazards:
  - id: H01
    title: A risk answer is missed <script>alert(1)</script> | twice
    cause: A mistyped risk rule.
    effect: No crisis help is shown.
    harm: Self-harm.
    initial: {severity: major, likelihood: medium}
    controls:
      - description: Risk rules must show crisis help.
        enforced_by:
          - ICBT406
          - tests/test_demo.py::test_risk_rule_shows_help
      - description: The service reviews answers each week.
        owner: deployer
    residual: {severity: major, likelihood: very-low}
  - id: H02
    title: A distressing page offers no help
    cause: A page marked distressing has no help box.
    effect: A client overwhelmed has nowhere to turn.
    harm: Severe distress.
    initial: {severity: considerable, likelihood: medium}
    controls:
      - description: Distressing pages need a route to help.
        enforced_by: [ICBT306, tests/test_demo.py::TestPages::test_help_box]
    residual: {severity: considerable, likelihood: low}
"""

TESTS = """\
def test_risk_rule_shows_help():
    pass


class TestPages:
    def test_help_box(self):
        pass
"""

JUNIT = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4" failures="{failures}" errors="0" skipped="0">
<testcase classname="tests.test_demo" name="test_risk_rule_shows_help" time="0.1"/>
<testcase classname="tests.test_demo.TestPages" name="test_help_box" time="0.1">{failure}</testcase>
<testcase classname="tests.test_other" name="test_unrelated[a]" time="0.1"/>
<testcase classname="tests.test_other" name="test_unrelated[b]" time="0.1"><skipped/></testcase>
</testsuite></testsuites>
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The basic fixture project with a hazard log, the tests it names, and a release."""
    target = tmp_path / "project"
    shutil.copytree(REPO / "tests/fixtures/projects/basic", target)
    (target / "safety").mkdir()
    (target / "safety/hazard-log.yaml").write_text(LOG, encoding="utf-8")
    (target / "tests").mkdir()
    (target / "tests/test_demo.py").write_text(TESTS, encoding="utf-8")
    (target / "notes.md").write_text("First release of the demo.\n# not a heading\n")
    args = ["release", "demo", "--project", str(target), "--version", "1.0.0"]
    args += ["--signed-off-by", "Dr Ada Example", "--role", "Clinical Safety Officer"]
    assert run([*args, "--notes", str(target / "notes.md"), "--date", "2025-06-02", "-q"]) == 0
    return target


def _junit(project: Path, failed: bool = False) -> Path:
    path = project / "junit.xml"
    failure = '<failure message="assert False">assert False</failure>' if failed else ""
    path.write_text(JUNIT.format(failures=int(failed), failure=failure), encoding="utf-8")
    return path


def _report(project: Path, out: str, *extra: str) -> str:
    args = ["safety", "report", "--project", str(project), "--out", str(project / out)]
    assert run([*args, "--date", "2025-06-03", "-q", *extra]) == 0
    return (project / out).read_text(encoding="utf-8")


def test_the_markdown_report_has_everything_a_safety_officer_signs(project: Path) -> None:
    md = _report(project, "safety/reports/report.md", "--test-results", str(_junit(project)))
    assert md.startswith("# Clinical safety report: The demo programme\n")
    assert "Generated on 2025-06-03 by icbt-content" in md
    # The release record, verified against the sources.
    assert "### Demo programme (`demo`), version 1.0.0" in md
    assert "| Release | the sources match the signed-off release exactly |" in md
    assert "| Signed off | 2025-06-02 by Dr Ada Example (Clinical Safety Officer) |" in md
    assert re.search(r"`releases/demo/1\.0\.0\.yaml`, \d+ files, total `sha256:[0-9a-f]{64}`", md)
    assert "First release of the demo.\n\\# not a heading" in md
    # The hazard log with risks from the matrix and the evidence for each control.
    assert "### H01: A risk answer is missed &lt;script&gt;alert(1)&lt;/script&gt; \\| twice" in md
    assert "| Initial risk | **3** (major, medium likelihood) |" in md
    assert "| Residual risk | **2** (major, very-low likelihood) |" in md
    assert "checked by icbt check: no findings; test passed |" in md
    assert "| The service reviews answers each week. | deployer |  | carried out by the " in md
    assert "| very-high | 3 | 4 | 4 | 5 | 5 |" in md
    # The evidence: the strict check and the tests.
    assert "| Strict check (`icbt check --strict`) | passed |" in md
    assert "| Tests | 3 passed, 0 failed, 1 skipped (from junit.xml) |" in md
    assert "| `tests/test_demo.py::TestPages::test_help_box` | test passed |" in md
    assert "These tests failed" not in md
    assert "| Ready to sign | yes: the checks are clean" in md
    assert md.rstrip().endswith("| Date | |")
    # The same sources give the same document.
    assert _report(project, "safety/reports/again.md", "--test-results", str(_junit(project))) == md


def test_the_report_says_plainly_what_stands_in_the_way(project: Path) -> None:
    page = project / "programmes/demo/modules/start/02-reflect.md"
    page.write_text(page.read_text().replace("title: Looking back", "title: X\ndistressing: true"))
    md = _report(project, "safety/reports/report.md", "--test-results", str(_junit(project, True)))
    assert "| Strict check (`icbt check --strict`) | FAILED: 2 problem(s) |" in md
    assert "| Release | ERROR: 1 file(s) changed since the version was signed off |" in md
    assert "- `programmes/demo/modules/start/02-reflect.md`" in md
    assert "warning ICBT306: page 'reflect' asks about distressing material" in md
    assert "error ICBT830: version 1.0.0 was signed off on 2025-06-02" in md
    assert "checked by icbt check: 1 warning(s) in this build" in md
    assert "| `tests/test_demo.py::TestPages::test_help_box` | test failed |" in md
    assert "These tests failed;" in md and "- `tests/test_demo.py::TestPages::test_help_box`" in md
    assert "| Ready to sign | no: see the problems below |" in md
    # Without test results the tests are not evidence.
    md = _report(project, "safety/reports/report.md")
    assert "no test results given" in md and "| Ready to sign | no" in md


def test_the_html_report_is_one_safe_self_contained_page(project: Path) -> None:
    html = _report(project, "safety/reports/report.html", "--test-results", str(_junit(project)))
    assert html.startswith('<!doctype html>\n<html lang="en-GB">')
    assert "<script" not in html.replace("&lt;script&gt;", "")
    assert "A risk answer is missed &lt;script&gt;alert(1)&lt;/script&gt; | twice" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert '<td class="risk-2"><strong>2</strong> (major, very-low likelihood)' in html

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in {"meta", "br", "link", "input", "img"}:
                self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.open and self.open.pop() == tag, tag

    checker = Checker()
    checker.feed(html)
    assert checker.open == []
    # --format overrides the file name.
    md = _report(project, "safety/reports/report.txt")
    assert md.startswith("# Clinical safety report")
    assert _report(project, "safety/reports/r.txt", "--format", "html").startswith(
        "<!doctype html>"
    )


def test_the_report_is_written_inside_the_project_only(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["safety", "report", "--project", str(project), "-q"]
    assert run([*args, "--out", str(tmp_path / "elsewhere.md")]) == 2
    assert "write the report inside the project" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere.md").exists()
    (project / "junk.xml").write_text("<html></html>")
    assert (
        run([*args, "--out", str(project / "r.md"), "--test-results", str(project / "junk.xml")])
        == 2
    )
    assert "is not a JUnit XML file" in capsys.readouterr().err


def test_junit_results_are_matched_to_controls(tmp_path: Path) -> None:
    results = read_junit(_junit(tmp_path, failed=True))
    assert results.outcome("tests/test_demo.py::test_risk_rule_shows_help") == "passed"
    assert results.outcome("tests/test_demo.py::TestPages::test_help_box") == "failed"
    assert results.outcome("tests/test_other.py::test_unrelated") == "passed"
    assert results.outcome("tests/test_other.py::test_unrelated[b]") == "passed"
    assert results.outcome("tests/test_nowhere.py::test_x") == "not run"
    assert results.failed == ["tests/test_demo.py::TestPages::test_help_box"]
    bad = tmp_path / "bad.xml"
    bad.write_text("<testsuites><testcase")
    with pytest.raises(EvidenceError, match="not valid XML"):
        read_junit(bad)


def test_the_sample_hazard_log_report(tmp_path: Path) -> None:
    from icbt_content.safety.report import build_report, render_report

    report = build_report(REPO, ["sad"])
    md = render_report(report)
    assert report.hazard_log is not None
    for hazard in report.hazard_log.log.hazards:
        assert f"### {hazard.id}: " in md
    assert "no test results given" in md
    assert textwrap.dedent(md).count("| Control | Owner | Enforced by | Evidence |") == len(
        report.hazard_log.log.hazards
    )


@pytest.mark.parametrize(
    "out", ["programmes/demo/programme.yaml", "safety/hazard-log.yaml", "notes/mine.md"]
)
def test_the_report_never_replaces_a_source_or_someone_elses_file(project: Path, out: str) -> None:
    target = project / out
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_text("someone's notes\n", encoding="utf-8")
    before = target.read_bytes()
    args = ["safety", "report", "--project", str(project), "--out", str(target), "-q"]
    assert run(args) == 1
    assert target.read_bytes() == before
