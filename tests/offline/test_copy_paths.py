"""The copy's links are made relative as posixpath.relpath makes them."""

from __future__ import annotations

import posixpath

import pytest

from icbt_content.render.offline.keepcopy import _relative

PAIRS = [
    ("sad/en/m1/p1/index.html", "sad/en/m1/p2"),
    ("sad/en/index.html", "sad/en/m1/p2"),
    ("sad/en/m1/p1/index.html", "sad/en/m1/p1"),
    ("assets/site.css", "sad/en/m1"),
    ("index.html", ""),
    ("sad/en/index.html", ""),
    ("sad/en", "sad/en"),
    ("sad/enx/a.html", "sad/en"),
    ("media/a.png", "sad/en/answers"),
]


@pytest.mark.parametrize(("target", "folder"), PAIRS)
def test_relative_is_relpath(target: str, folder: str) -> None:
    assert _relative(target, folder) == posixpath.relpath(target, folder)
