"""The copy's links (sitemap.relative_url from a page's folder to a file of the site) are made
relative as posixpath.relpath makes them."""

from __future__ import annotations

import posixpath

import pytest

from icbt_content.sitemap import relative_url

PAIRS = [
    ("sad/en/m1/p1/index.html", "sad/en/m1/p2"),
    ("sad/en/index.html", "sad/en/m1/p2"),
    ("sad/en/m1/p1/index.html", "sad/en/m1/p1"),
    ("assets/site.css", "sad/en/m1"),
    ("index.html", ""),
    ("sad/en/index.html", ""),
    ("sad/enx/a.html", "sad/en"),
    ("media/a.png", "sad/en/answers"),
]


@pytest.mark.parametrize(("target", "folder"), PAIRS)
def test_relative_is_relpath(target: str, folder: str) -> None:
    # The target is always a file of the site, never the page's folder itself.
    assert relative_url(f"{folder}/", target) == posixpath.relpath(target, folder)
