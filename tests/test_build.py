"""The build pipeline: output layout, determinism, atomic writes, safety."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from icbt_content import build_site, load_programme
from icbt_content.pipeline.writer import StagedSite
from icbt_content.render.assets import find_external_resources


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_layout(basic_project: Path) -> None:
    report = build_site(basic_project, basic_project / "site")
    assert report.ok
    site = basic_project / "site"
    for path in [
        "index.html",
        "assets/site.css",
        "assets/icbt.js",
        "demo/en-GB/index.html",
        "demo/en-GB/crisis/index.html",
        "demo/en-GB/answers/index.html",
        "demo/en-GB/start/index.html",
        "demo/en-GB/start/welcome/index.html",
        "demo/en-GB/start/reflect/index.html",
        "demo/en-GB/practice/try-it/index.html",
        "demo/media/cycle.svg",
    ]:
        assert (site / path).is_file(), path
    assert report.pages == 3
    welcome = (site / "demo/en-GB/start/welcome/index.html").read_text()
    assert '<html lang="en-GB" dir="ltr">' in welcome
    assert 'http-equiv="Content-Security-Policy"' in welcome
    assert "connect-src &#39;none&#39;" in welcome
    assert 'class="skip-link" href="#main"' in welcome
    assert 'class="help-now" href="../../crisis/"' in welcome
    assert 'href="../../practice/try-it/"' in welcome
    assert 'src="../../../media/cycle.svg"' in welcome
    assert 'data-storage-key="icbt/v1/demo/exercise/mood-now"' in welcome


def test_same_sources_build_byte_identical_sites(basic_project: Path, tmp_path: Path) -> None:
    assert build_site(basic_project, tmp_path / "one").ok
    assert build_site(basic_project, tmp_path / "two").ok
    assert _digest(tmp_path / "one") == _digest(tmp_path / "two")


def test_failed_build_leaves_previous_site_untouched(basic_project: Path) -> None:
    site = basic_project / "site"
    assert build_site(basic_project, site).ok
    before = _digest(site)
    page = basic_project / "programmes/demo/modules/start/01-welcome.md"
    page.write_text(page.read_text().replace("title: Welcome", "titel: Welcome"))
    report = build_site(basic_project, site)
    assert not report.ok
    assert "ICBT102" in [d.code for d in report.diagnostics.errors]
    assert _digest(site) == before
    assert sorted(p.name for p in basic_project.iterdir() if p.name.startswith(".site")) == []


def _stage(out: Path, files: dict[str, bytes]) -> None:
    with StagedSite(out) as site:
        for relative_path, content in sorted(files.items()):
            site.write(relative_path, content)
        site.commit()


def test_staged_site_keeps_old_site_when_writing_fails(tmp_path: Path) -> None:
    out = tmp_path / "site"
    _stage(out, {"index.html": b"old"})
    with pytest.raises(OSError):
        _stage(out, {"index.html": b"new", "../escape.html": b"x"})
    assert (out / "index.html").read_bytes() == b"old"
    assert not (tmp_path / "escape.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_icbt703_a_site_that_cannot_be_written_is_reported(
    basic_project: Path, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "a-file" / "site"
    report = build_site(basic_project, out)
    assert not report.ok
    assert [d.format() for d in report.diagnostics] == [
        f"{out}:1:1: error: could not write {out}: File exists [ICBT703]\n"
        "    hint: build into a folder you can write to (--out), on a disk with free space"
    ]


def test_strict_fails_on_warnings(basic_project: Path) -> None:
    page = basic_project / "programmes/demo/modules/start/02-reflect.md"
    page.write_text(
        page.read_text().replace("title: Looking back", "title: Looking back\ndistressing: true")
    )
    assert build_site(basic_project, basic_project / "site").ok
    report = build_site(basic_project, basic_project / "strict-site", strict=True)
    assert not report.ok
    assert [d.code for d in report.diagnostics.warnings] == ["ICBT306"]
    assert not (basic_project / "strict-site").exists()


def test_author_text_never_becomes_markup(basic_project: Path) -> None:
    page = basic_project / "programmes/demo/modules/start/02-reflect.md"
    page.write_text(
        page.read_text()
        + '\n<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n'
        + "::: exercise reflection\nid: evil\ntitle: '<b onmouseover=alert(1)>hi</b>'\n"
        + "prompt: '\"><script>alert(2)</script>'\n:::\n"
    )
    assert build_site(basic_project, basic_project / "site").ok
    html = (basic_project / "site/demo/en-GB/start/reflect/index.html").read_text()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;" in html


def test_project_templates_override_the_package_ones(basic_project: Path) -> None:
    (basic_project / "templates").mkdir()
    (basic_project / "templates" / "home.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Our own home</h1>{% endblock %}'
    )
    assert build_site(basic_project, basic_project / "site").ok
    assert "Our own home" in (basic_project / "site/demo/en-GB/index.html").read_text()


def test_external_resources_are_refused() -> None:
    files = {
        "a.html": b'<p><a href="https://ok.example">fine</a></p>',
        "b.html": b'<link rel="stylesheet" href="https://cdn.example/x.css">',
        "c.css": b"body { background: url(https://fonts.example/x.png) }",
        "d.js": b"fetch('/x')",
    }
    found = find_external_resources(files)
    assert [(d.file, d.code) for d in found] == [
        ("b.html", "ICBT701"),
        ("c.css", "ICBT701"),
        ("d.js", "ICBT701"),
    ]


def test_load_programme_returns_the_typed_model(basic_project: Path) -> None:
    programme = load_programme(basic_project / "programmes/demo")
    assert programme.id == "demo"
    assert [m.id for m in programme.modules] == ["start", "practice"]
    assert programme.modules[1].core is False
    experiment = next(e for e in programme.exercises() if e.id == "first-experiment")
    assert [f.id for f in experiment.fields] == [
        "situation",
        "prediction",
        "belief-before",
        "safety-behaviours",
        "what-i-did",
        "what-happened",
        "belief-after",
        "what-i-learned",
    ]
    assert experiment.source is not None
    assert experiment.source.file == "programmes/demo/modules/practice/01-try-it.md"
    schema = type(programme).model_json_schema()
    assert "Module" in schema["$defs"] and "ExerciseField" in schema["$defs"]


def test_therapist_guide_is_built_from_the_same_source(basic_project: Path) -> None:
    assert build_site(basic_project, basic_project / "site").ok
    guide = basic_project / "site/demo/en-GB/therapist"
    overview = (guide / "index.html").read_text()
    assert 'href="start/"' in overview and "optional" in overview
    module = (guide / "start/index.html").read_text()
    assert "To help the client settle in." in module
    assert "How do you feel today?" in module and "rating" in module
    # The guidance template is shown with an example rendering, its section link resolved.
    assert "Hello Alex, well done on finishing Getting started." in module
    assert "You did 3 exercises." in module
    assert 'href="../../start/welcome/#how-it-works"' in module
