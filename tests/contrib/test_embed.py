"""Embedding a programme in another site: scoped styles, addresses, rendered examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file
from plugin_helpers import FIXTURES, write_tree

from icbt_content.contrib.assets import scope_css, script_order, static_assets
from icbt_content.contrib.embed import (
    EmbedRenderer,
    headings,
    load_embed,
    relative_url,
    render_example,
)
from icbt_content.diagnostics import ContentError
from icbt_content.render.environment import make_environment


@pytest.mark.parametrize(
    ("line", "title", "source", "expected"),
    read_fixture_file(FIXTURES / "scope-css.md"),
    ids=lambda value: value if isinstance(value, str) and "\n" not in value else "",
)
def test_scope_css(line: int, title: str, source: str, expected: str) -> None:
    assert scope_css(source, ".icbt") == expected


def test_the_site_styles_scope_cleanly() -> None:
    css = static_assets()["site.css"].decode("utf-8")
    for line in css.splitlines():
        if "{" in line and not line.startswith("@"):
            selectors = line.split("{")[0].split(",")
            assert all(s.strip().startswith(".icbt") for s in selectors), line


def test_a_page_loads_one_module_that_finds_every_other() -> None:
    assets = static_assets()
    assert script_order(list(assets)) == ["icbt.js"]
    reached, todo = set(), ["icbt.js"]
    while todo:
        name = todo.pop()
        reached.add(name)
        text = assets[name].decode("utf-8")
        for imported in re.findall(r'^import .* from "\./([\w-]+\.js)";$', text, re.MULTILINE):
            assert imported in assets, f"{name} imports {imported}, which is not shipped"
            if imported not in reached:
                todo.append(imported)
    assert {"scoring.js", "storage.js", "questionnaire.js", "answers.js"} <= reached
    # exit.js ("Exit this page") has a tag of its own, on sensitive programmes' pages only.
    assert reached | {"exit.js"} == {name for name in assets if name.endswith(".js")}


@pytest.mark.parametrize(
    ("url", "start", "expected"),
    [
        ("sad/intro/", "sad/intro/welcome/", "../"),
        ("sad/", "sad/intro/welcome/", "../../"),
        ("sad/intro/welcome/", "sad/intro/welcome/", "./"),
        ("sad/media/cycle.svg", "sad/intro/welcome/", "../../media/cycle.svg"),
        ("sad/intro/index.html", "sad/intro/welcome/index.html", "../index.html"),
        ("other/", "sad/", "../other/"),
    ],
)
def test_relative_url(url: str, start: str, expected: str) -> None:
    assert relative_url(url, start) == expected


def test_headings_with_ids_in_order() -> None:
    html = '<h1>Title</h1><h2 id="a">First <em>one</em></h2><p>x</p><h3 id="b">Second</h3>'
    assert [(h.level, h.id, h.text) for h in headings(html)] == [
        (2, "a", "First one"),
        (3, "b", "Second"),
    ]


def test_render_example_is_what_the_site_shows() -> None:
    html = render_example(
        "::: exercise checklist\n"
        "id: habits\n"
        "title: What do you do?\n"
        "items:\n"
        "  - {id: stay-in, label: I stay in}\n"
        ":::\n"
    )
    assert html.startswith('<div class="icbt" data-icbt-root lang="en-GB" dir="ltr"')
    assert '"programme": {"id": "example", "title": "Example"}' in html
    assert '<script type="application/json" data-icbt-messages>' in html
    assert 'data-storage-key="icbt/v1/example/exercise/habits"' in html
    assert '<label for="f-habits-stay-in">I stay in</label>' in html


def test_render_example_refuses_what_icbt_check_refuses() -> None:
    with pytest.raises(ContentError) as caught:
        render_example("::: exercise ratin\nid: x\ntitle: X\n:::\n")
    assert [d.code for d in caught.value.diagnostics] == ["ICBT301"]
    with pytest.raises(ContentError) as caught:
        render_example("::: questionnaire nothing\n:::\n")
    assert [d.code for d in caught.value.diagnostics] == ["ICBT205"]


def test_load_embed_places_in_reading_order(tmp_path: Path) -> None:
    write_tree(tmp_path, (FIXTURES / "mini-project.txt").read_text(encoding="utf-8"))
    embed, warnings = load_embed(tmp_path / "programmes" / "mini")
    assert not list(warnings)
    assert [(p.kind, p.folder) for p in embed.places()] == [
        ("home", ""),
        ("module", "start/"),
        ("page", "start/welcome/"),
        ("page", "start/check-in/"),
        ("module", "practice/"),
        ("page", "practice/try-it/"),
        ("check-in", "check-in/"),
        ("crisis", "crisis/"),
        ("answers", "answers/"),
    ]
    assert embed.media() == [
        ("media/cycle.svg", tmp_path / "programmes/mini/media/cycle.svg"),
    ]


def test_an_embedded_page_is_what_the_site_shows_in_main(tmp_path: Path) -> None:
    """The page body is rendered once, by the same page template in either layout: the
    embed's layout adds only the crisis link above it and where answers are kept below."""
    write_tree(tmp_path, (FIXTURES / "mini-project.txt").read_text(encoding="utf-8"))
    embed, _ = load_embed(tmp_path / "programmes" / "mini")
    url_for = "host/{}".format
    embedded = {page.place.path: page for page in embed.render(url_for)}
    site = EmbedRenderer(embed, url_for)
    site.env = make_environment(embed.loaded.project)  # the site's own layout, base.html
    module = embed.programme.modules[0]
    for place, rendered in [
        ("en-GB/", site.home()),
        ("en-GB/start/welcome/", site.content_page(module, 0, module.pages[0], 0)),
    ]:
        document = rendered.content.decode("utf-8")
        main = re.search(r"<main\b[^>]*>\n*(.*?)\n*</main>", document, re.DOTALL)
        help_now = re.search(r'<a class="help-now".*?</a>', document)
        kept = re.search(r'<footer class="site-footer">\s*<p>(.*?)</p>', document, re.DOTALL)
        assert main is not None and help_now is not None and kept is not None
        assert embedded[place].html == (
            '<div class="icbt" data-icbt-root lang="en-GB" dir="ltr">\n'
            f'<p class="icbt-help">{help_now.group(0)}</p>\n{main.group(1)}\n'
            f'<p class="icbt-privacy">{kept.group(1)}</p>\n</div>\n'
        )


def test_a_project_page_template_written_for_the_site_is_embedded_too(tmp_path: Path) -> None:
    write_tree(tmp_path, (FIXTURES / "mini-project.txt").read_text(encoding="utf-8"))
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "home.html").write_text(
        '{% extends "base.html" %}\n{% block main %}<h1>Our own welcome</h1>{% endblock %}\n',
        encoding="utf-8",
    )
    embed, _ = load_embed(tmp_path / "programmes" / "mini")
    home = embed.render("host/{}".format)[0].html
    assert home.startswith('<div class="icbt" data-icbt-root')
    assert "<h1>Our own welcome</h1>" in home
    assert "<html" not in home and "<main" not in home and "site-footer" not in home


def test_load_embed_errors(tmp_path: Path) -> None:
    write_tree(tmp_path, (FIXTURES / "mini-project.txt").read_text(encoding="utf-8"))
    with pytest.raises(LookupError, match="not published in 'ar'"):
        load_embed(tmp_path / "programmes" / "mini", locale="ar")
    (tmp_path / "programmes/mini/modules/practice/01-try-it.md").write_text(
        "---\ntitle: Broken\n---\n\n::: nothing\n:::\n", encoding="utf-8"
    )
    with pytest.raises(ContentError) as caught:
        load_embed(tmp_path / "programmes" / "mini")
    assert "ICBT302" in {d.code for d in caught.value.diagnostics}
