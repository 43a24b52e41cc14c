"""Every public function takes paths as ``str`` or any ``os.PathLike``, not only ``Path``."""

from __future__ import annotations

import importlib
import inspect
import os
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from icbt_content import load_programme
from icbt_content.export import export_bundle

PUBLIC_MODULES = (
    "icbt_content",
    "icbt_content.export",
    "icbt_content.guidance",
    "icbt_content.markdown",
    "icbt_content.measures",
    "icbt_content.pipeline",
)


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            thing = getattr(module, name)
            if inspect.isfunction(thing):
                yield f"{module_name}.{name}", thing


def _mentions(annotation: Any, wanted: type) -> bool:
    if annotation is wanted:
        return True
    return any(_mentions(arg, wanted) for arg in typing.get_args(annotation))


def _takes_path_like(annotation: Any) -> bool:
    return any(typing.get_origin(arg) is os.PathLike for arg in typing.get_args(annotation))


PATH_PARAMETERS = [
    (f"{where}({name})", hint)
    for where, function in _public_callables()
    for name, hint in typing.get_type_hints(function).items()
    if name != "return" and (_mentions(hint, Path) or _takes_path_like(hint))
]


@pytest.mark.parametrize(
    ("parameter", "hint"), PATH_PARAMETERS, ids=[p for p, _ in PATH_PARAMETERS]
)
def test_path_parameters_accept_str_and_path_like(parameter: str, hint: Any) -> None:
    assert _mentions(hint, str) and _takes_path_like(hint), f"{parameter} is typed {hint}"


def test_there_are_path_parameters_to_check() -> None:
    assert len(PATH_PARAMETERS) >= 20


class Location:
    """A path-like object that is not a ``Path``, as other libraries have."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return self.path


REPO = Path(__file__).resolve().parents[2]


def test_a_programme_loads_from_str_path_and_path_like() -> None:
    folder = REPO / "programmes" / "sad"
    loaded = [load_programme(p) for p in (str(folder), folder, Location(str(folder)))]
    assert loaded[0] == loaded[1] == loaded[2]


def test_exports_take_path_like_folders(tmp_path: Path) -> None:
    written = export_bundle(Location(str(REPO)), str(tmp_path / "json"), programmes=["sad"])
    assert {p.name for p in written} >= {"sad.en-GB.json"}
