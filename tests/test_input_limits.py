"""Every kind of input has a size limit, and going over it is a diagnostic naming the file.

The limits live in ``icbt_content.limits``; the sample programmes stay far below them (see
test_sample_programmes). Timing of the worst cases is measured in benchmarks/hostile_inputs.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from icbt_content import limits
from icbt_content.adaptation.overrides import load_adaptations
from icbt_content.adaptation.resources import load_locale
from icbt_content.authoring.documents import read_document
from icbt_content.cli import run
from icbt_content.diagnostics import Diagnostic
from icbt_content.export.fhir import ExportError, read_answers
from icbt_content.pipeline.check import check_project

PAGE = "programmes/demo/modules/start/02-reflect.md"


def _check(project: Path) -> list[Diagnostic]:
    return [d for loaded in check_project(project) for d in loaded.diagnostics]


def _sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no room on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        stream.truncate(size)
    return path


def _page(project: Path, body: str) -> list[Diagnostic]:
    (project / PAGE).write_text(f"---\ntitle: Big\n---\n\n{body}", "utf-8")
    return [d for d in _check(project) if d.file == PAGE]


# -- files, by kind ------------------------------------------------------------------------------


def test_limits_are_far_above_the_sample_programmes() -> None:
    repo = Path(__file__).parent.parent
    pages = list((repo / "programmes").rglob("*.md"))
    assert max(p.stat().st_size for p in pages) * 50 < limits.MAX_PAGE_BYTES
    catalogs = list((repo / "locales").rglob("*.po*"))
    assert max(p.stat().st_size for p in catalogs) * 5 < limits.MAX_CATALOG_BYTES


def test_page_over_the_limit(basic_project: Path) -> None:
    _sparse(basic_project / PAGE, limits.MAX_PAGE_BYTES + 1)
    found = [d for d in _check(basic_project) if d.file == PAGE]
    assert [(d.code, d.message) for d in found] == [("ICBT100", "file is larger than 1 MB")]


def test_guidance_template_over_the_limit(basic_project: Path) -> None:
    template = basic_project / "programmes/demo/guidance/start-done.md"
    text = template.read_text("utf-8")
    template.write_text(text + "Well done. " * (limits.MAX_TEMPLATE_BYTES // 10), "utf-8")
    found = [d for d in _check(basic_project) if d.file.endswith("start-done.md")]
    assert [(d.code, d.message) for d in found] == [("ICBT100", "file is larger than 100 kB")]


def test_measure_file_over_the_limit_is_not_read_whole(basic_project: Path) -> None:
    manifest = basic_project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "measures:\n  - mood\n", "utf-8")
    _sparse(basic_project / "programmes/demo/measures/mood.yaml", 50_000_000)
    found = [d for d in _check(basic_project) if d.file.endswith("mood.yaml")]
    assert [(d.code, d.message) for d in found] == [("ICBT100", "file is larger than 200 kB")]


def test_locale_yaml_over_the_limit(basic_project: Path) -> None:
    path = basic_project / "locales/fr/locale.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("name: Français\n" + "# a comment\n" * 20_000, "utf-8")
    _, found = load_locale(basic_project, "fr")
    assert [d.code for d in found] == ["ICBT100"]


def test_adaptation_over_the_limit(basic_project: Path) -> None:
    _sparse(basic_project / "locales/fr/adaptations/demo/sam.md", limits.MAX_PAGE_BYTES + 1)
    _, found = load_adaptations(basic_project, "fr", "demo")
    assert [(d.code, d.file) for d in found] == [("ICBT100", "locales/fr/adaptations/demo/sam.md")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b" " * (limits.MAX_MANIFEST_BYTES + 1), "it is larger than 200 kB"),
        (b'{"exercises": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", "nested too deeply"),
        (b'{"exercises": {"a": 1}}', "not a map of exercise ids to field ids"),
        (b"[1, 2]", "not a map of exercise ids to field ids"),
    ],
    ids=["too large", "too deep", "wrong shape", "a list"],
)
def test_ids_lock_that_cannot_be_used(basic_project: Path, content: bytes, reason: str) -> None:
    (basic_project / "programmes/demo/ids.lock").write_bytes(content)
    found = [d for d in _check(basic_project) if d.file.endswith("ids.lock")]
    assert [d.code for d in found] == ["ICBT104"]
    assert reason in found[0].message


def test_answers_file_over_the_limit(tmp_path: Path) -> None:
    answers = _sparse(tmp_path / "my-answers.json", limits.MAX_ANSWERS_BYTES + 1)
    with pytest.raises(ExportError, match="larger than 20 MB"):
        read_answers(answers)


def test_deeply_nested_answers_file(tmp_path: Path, basic_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    answers = tmp_path / "my-answers.json"
    answers.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    code = run(
        [
            "export",
            "--project",
            str(basic_project),
            "--format",
            "fhir-responses",
            "--answers",
            str(answers),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 2
    assert "nested too deeply" in capsys.readouterr().err


# -- one page: what Markdown may hold -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        (
            "".join(f"[link {i}](https://example.org/{i})\n" for i in range(limits.MAX_LINKS + 1)),
            f"more than {limits.MAX_LINKS} links and images in one file",
            5 + limits.MAX_LINKS,
        ),
        (
            "".join(f"## Part {i}\n\n" for i in range(limits.MAX_HEADINGS + 1)),
            f"more than {limits.MAX_HEADINGS} headings in one file",
            5 + 2 * limits.MAX_HEADINGS,
        ),
        (
            "*a" * (limits.MAX_EMPHASIS_MARKS + 1) + "\n",
            f"more than {limits.MAX_EMPHASIS_MARKS} emphasis markers (*, _ or ~) in one file",
            5,
        ),
        ("[" * (limits.MAX_BRACKETS + 1), "square brackets", 5),
        ("`a" * (limits.MAX_BACKTICKS + 1), "backticks", 5),
        ("|a|b|\n" * (limits.MAX_TABLE_CELLS // 3 + 1), "table cells", 5 + 3333),
        ("> " * 40 + "deep\n", "nested too deep", 5),
        ("".join("  " * i + "- item\n" for i in range(12)), "nested too deep", 13),
    ],
    ids=["links", "headings", "emphasis", "brackets", "backticks", "cells", "quotes", "lists"],
)
def test_page_over_a_markdown_limit(
    basic_project: Path, body: str, message: str, line: int
) -> None:
    found = _page(basic_project, body)
    assert [d.code for d in found] == ["ICBT116"]
    assert message in found[0].message and found[0].line == line


def test_a_page_at_the_limits_still_builds(basic_project: Path) -> None:
    body = "".join(f"## Part {i}\n\nSee [part {i}](#part-{i}).\n\n" for i in range(400))
    assert _page(basic_project, body) == []


def test_too_complex_page_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("*_" * 400_000, "utf-8")
    doc, found = read_document(path, "page.md")
    assert doc is None and [d.code for d in found] == ["ICBT116"]


def test_every_limit_is_documented() -> None:
    docs = (Path(__file__).parent.parent / "docs/authoring.md").read_text("utf-8")
    section = docs[docs.index("## Limits") : docs.index("## Changing exercises safely")]
    for name in dir(limits):
        value = getattr(limits, name)
        if not name.isupper() or not isinstance(value, int):
            continue
        shown = limits.kilobytes(value) if name.endswith("_BYTES") else f"{value:,}"
        assert shown in section, (name, shown)


def test_deeply_nested_guidance_context(tmp_path: Path) -> None:
    from icbt_content.authoring.guidance import load_context
    from icbt_content.diagnostics import ContentError

    path = tmp_path / "context.json"
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    with pytest.raises(ContentError) as raised:
        load_context(path)
    assert [d.code for d in raised.value.diagnostics] == ["ICBT104"]
