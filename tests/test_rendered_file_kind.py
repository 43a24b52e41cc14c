"""Every file a build makes says what kind of file it is: the page count and the offline cache go
by its kind, never by the shape of its path."""

from __future__ import annotations

import pytest

from icbt_content.errors import InvalidArgumentError
from icbt_content.render.site import RenderedFile


def test_a_rendered_file_without_a_kind_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="must say what kind it is"):
        RenderedFile("demo/en-GB/start/index.html", b"<html>")


@pytest.mark.parametrize("kind", ["page", "module", "therapist", "media", "asset", "headers"])
def test_a_rendered_file_keeps_its_kind(kind: str) -> None:
    assert RenderedFile("x/index.html", b"", kind=kind).kind == kind
