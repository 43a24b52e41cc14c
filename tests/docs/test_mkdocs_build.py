"""`mkdocs build --strict` passes: no broken links, anchors, nav entries or docstrings."""

from __future__ import annotations

from pathlib import Path

from docs_helpers import DocsBuild


def test_docs_build_strictly(docs_build: DocsBuild) -> None:
    assert docs_build.returncode == 0, docs_build.output


def test_every_page_in_the_nav_is_built(built_docs: Path) -> None:
    for page in [
        "index.html",
        "getting-started/index.html",
        "authoring/index.html",
        "measures-and-guidance/index.html",
        "translating/index.html",
        "integrating/index.html",
        "mkdocs-plugin/index.html",
        "diagnostics/index.html",
        "reference/index.html",
        "contributing/index.html",
    ]:
        assert (built_docs / page).is_file(), page


def test_rendered_examples_bring_our_styles_and_scripts(built_docs: Path) -> None:
    html = (built_docs / "authoring" / "index.html").read_text(encoding="utf-8")
    assert html.count('<div class="icbt-example-frame">') >= 8
    assert '<form class="exercise-form"' in html
    assert "assets/icbt/site.css" in html
    assert (built_docs / "assets" / "icbt" / "icbt.js").is_file()
