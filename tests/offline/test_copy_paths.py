"""The copy's links: a page's relative path to another file is the one posixpath.relpath gives."""

from __future__ import annotations

import posixpath

import pytest

from icbt_content.render.offline.keepcopy import relative_path

CASES = [
    ("p/en-GB/m1/p1/index.html", "p/en-GB/m1/p1"),
    ("p/en-GB/m1/index.html", "p/en-GB/m1/p1"),
    ("p/en-GB/m2/p3/index.html", "p/en-GB/m1/p1"),
    ("p/en-GB/index.html", "p/en-GB"),
    ("p/fr-FR/index.html", "p/en-GB/m1"),
    ("assets/site.css", "p/en-GB/m1/p1"),
    ("p/media/a b.png", "p/en-GB/m1"),
    ("p/en-GB/m1", "p/en-GB/m1"),
    ("p/en-GB/m10/index.html", "p/en-GB/m1"),
    ("index.html", "p"),
]


@pytest.mark.parametrize(("target", "folder"), CASES)
def test_relative_path_is_relpath(target: str, folder: str) -> None:
    assert relative_path(target, folder) == posixpath.relpath(target, folder)
