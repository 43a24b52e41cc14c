"""A Babel extractor, so ``pybabel extract`` reads programme content.

Registered as ``icbt`` under the ``babel.extractors`` entry point. A mapping file::

    [icbt: programmes/**.md]
    [icbt: programmes/*/programme.yaml]
    [jinja2: templates/**.html]

and ``pybabel extract -F babel.cfg -o sad.pot .`` gives the same messages, contexts and notes as
``icbt i18n extract`` (which is the easier way).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from icbt_content.authoring.loader import read_programme
from icbt_content.i18n.segments import Segment
from icbt_content.i18n.walk import walk_programme

#: What Babel expects from an extractor: (line, keyword, message(s), comments).
Extracted = tuple[int, str, tuple[str, str], list[str]]


def _programme_root(path: Path) -> Path | None:
    for folder in path.parents:
        if (folder / "programme.yaml").is_file():
            return folder
    return None


@lru_cache(maxsize=8)
def _segments(root: str, stamp: float) -> tuple[Segment, ...]:
    folder = Path(root)
    project = folder.parent.parent
    loaded = read_programme(folder, project)
    if loaded.programme is None:
        return ()
    walk = walk_programme(
        loaded.programme,
        sources=loaded.sources,
        programme_dir=folder.relative_to(project).as_posix(),
    )
    return tuple(walk.segments)


def _stamp(root: Path) -> float:
    return max((p.stat().st_mtime for p in root.rglob("*") if p.is_file()), default=0.0)


def extract_icbt(
    fileobj: IO[bytes],
    keywords: Collection[str] | Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Yield the segments of one programme file as ``pgettext`` messages with their notes."""
    name = getattr(fileobj, "name", None)
    if not isinstance(name, str):
        return
    path = Path(name).resolve()
    root = _programme_root(path)
    if root is None:
        return
    project = root.parent.parent
    wanted = path.relative_to(project).as_posix()
    for segment in _segments(str(root), _stamp(root)):
        if segment.file == wanted:
            yield segment.line, "pgettext", (segment.context, segment.source), segment.comments()
