"""Property-based tests: any text an author writes gives a site or diagnostics, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icbt_content import build_site

BASIC = Path(__file__).parent / "fixtures" / "projects" / "basic"
PAGE = "programmes/demo/modules/start/02-reflect.md"

# Text rich in the characters Markdown, YAML and our directives care about.
markdown_text = st.text(
    alphabet=st.sampled_from(list(":-#*_[]()!{}<>`|%&\"'\\/\n \t.abcé中ع0123456789")), max_size=400
) | st.text(max_size=200)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _build_with_page(text: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="icbt-prop-"))
    try:
        project = root / "project"
        shutil.copytree(BASIC, project)
        (project / PAGE).write_text(text, encoding="utf-8")
        report = build_site(project, project / "site")
        assert report.ok or report.diagnostics.errors
        if report.ok:
            assert (project / "site/index.html").is_file()
        for item in report.diagnostics:
            assert item.line >= 1 and item.code.startswith("ICBT")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@SETTINGS
@given(body=markdown_text)
def test_any_page_body_builds_or_reports(body: str) -> None:
    _build_with_page("---\ntitle: Any\n---\n\n" + body)


@SETTINGS
@given(front=markdown_text)
def test_any_front_matter_builds_or_reports(front: str) -> None:
    _build_with_page(f"---\n{front}\n---\n\nSome text.\n")


@SETTINGS
@given(options=markdown_text)
def test_any_exercise_options_build_or_report(options: str) -> None:
    _build_with_page(f"---\ntitle: Any\n---\n\n::: exercise reflection\n{options}\n:::\n")
