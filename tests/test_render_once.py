"""Parts of a page that are the same on many pages are rendered once, from the package's own
templates only: a project that overrides one gets it rendered on every page, within the limits.

Each case builds a project twice, once as is and once with a copy of the package template in
its ``templates/`` (an override that changes nothing, so every page renders it itself): the two
sites must be the same bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from icbt_content import build_site
from icbt_content.render.environment import is_package_template, make_environment
from icbt_content.render.site import ProgrammeRenderer

PACKAGE_TEMPLATES = Path(__file__).resolve().parents[1] / "src/icbt_content/render/templates"

#: The templates rendered once per programme and locale (or per module) when they are the
#: package's.
RENDERED_ONCE = ["script_messages.html", "script_data.html", "nav.html", "base.html", "page.html"]


def _copy_template(project: Path, name: str, text: str | None = None) -> Path:
    target = project / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if text is None:
        shutil.copyfile(PACKAGE_TEMPLATES / name, target)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _differences(one: Path, other: Path) -> list[str]:
    first, second = _files(one), _files(other)
    return sorted(
        name for name in first.keys() | second.keys() if first.get(name) != second.get(name)
    )


@pytest.mark.parametrize("name", RENDERED_ONCE)
def test_a_copy_of_the_package_template_renders_the_same_site(
    basic_project: Path, tmp_path: Path, name: str
) -> None:
    report = build_site(basic_project, tmp_path / "once")
    assert report.ok, [d.format() for d in report.diagnostics]
    _copy_template(basic_project, name)
    report = build_site(basic_project, tmp_path / "per-page")
    assert report.ok, [d.format() for d in report.diagnostics]
    assert _differences(tmp_path / "once", tmp_path / "per-page") == []


def test_an_override_of_the_messages_renders_on_every_page(basic_project: Path) -> None:
    own = (PACKAGE_TEMPLATES / "script_messages.html").read_text(encoding="utf-8")
    # A project's messages may read the page's data: each page gets its own.
    _copy_template(basic_project, "script_messages.html", own + "<p class=own>{{ title }}</p>")
    report = build_site(basic_project, basic_project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    home = (basic_project / "site/demo/en-GB/index.html").read_text(encoding="utf-8")
    crisis = (basic_project / "site/demo/en-GB/crisis/index.html").read_text(encoding="utf-8")
    assert "<p class=own>Demo programme</p>" in home
    assert "<p class=own>Need help now?</p>" in crisis
    assert 'data-icbt-messages>{"' in home


def test_a_runaway_override_of_the_messages_still_meets_its_limit(basic_project: Path) -> None:
    _copy_template(
        basic_project,
        "script_messages.html",
        "\n{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    )
    report = build_site(basic_project, basic_project / "site")
    assert not report.ok
    found = [d.format() for d in report.diagnostics]
    assert found[0].startswith("templates/script_messages.html:2:1: error:"), found
    assert found[0].split("\n")[0].endswith("[ICBT716]"), found


def test_the_package_templates_are_told_from_a_projects(basic_project: Path) -> None:
    assert is_package_template(make_environment(basic_project), "script_messages.html")
    _copy_template(basic_project, "script_messages.html")
    env = make_environment(basic_project)
    assert not is_package_template(env, "script_messages.html")
    assert is_package_template(env, "script_data.html")
    assert not is_package_template(env, "no-such-template.html")


def _nav_made_once(project: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Build ``project``; for each content page, whether its nav HTML was made once."""
    made: list[bool] = []
    content_nav = ProgrammeRenderer.content_nav

    def spy(self: ProgrammeRenderer, *args: Any) -> Any:
        items, html = content_nav(self, *args)
        made.append(html is not None)
        return items, html

    monkeypatch.setattr(ProgrammeRenderer, "content_nav", spy)
    report = build_site(project, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    return made


def test_the_package_nav_is_made_once_per_module(
    basic_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _nav_made_once(basic_project, tmp_path / "site", monkeypatch)
    assert made and all(made)


@pytest.mark.parametrize("name", ["nav.html", "base.html", "page.html"])
def test_an_override_of_the_nav_renders_it_on_every_page(
    basic_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    _copy_template(basic_project, name)
    made = _nav_made_once(basic_project, tmp_path / "site", monkeypatch)
    assert made and not any(made)


def test_a_projects_nav_sees_its_own_page(basic_project: Path) -> None:
    _copy_template(
        basic_project, "nav.html", "{% if page %}<p class=own>{{ page.title }}</p>{% endif %}"
    )
    report = build_site(basic_project, basic_project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    site = basic_project / "site/demo/en-GB"
    pages = sorted(p for m in ("start", "practice") for p in (site / m).glob("*/index.html"))
    assert len(pages) == 3
    for page in pages:
        html = page.read_text(encoding="utf-8")
        title = html[html.index("<h1>") + 4 : html.index("</h1>")]
        assert f"<p class=own>{title}</p>" in html
