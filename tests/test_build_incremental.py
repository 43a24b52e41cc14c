"""The command line's rebuild after an edit: a programme the cache does not have is rebuilt from
the memory of its last build kept in the cache (only the pages that changed are parsed and
rendered again), byte for byte what a build without the cache makes."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.pipeline import cache as cache_module
from icbt_content.pipeline import incremental
from icbt_content.pipeline.build import BuildReport
from icbt_content.pipeline.cache import BuildCache
from icbt_content.pipeline.incremental import ProgrammeMemory

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = Path("programmes/demo/modules/start/01-welcome.md")


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The i18n fixture: programme demo in en-GB, fr and ar."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "i18n" / "project", target)
    return target


def _edit(old: str, new: str, path: Path = PAGE) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        file = project / path
        assert old in file.read_text()
        file.write_text(file.read_text().replace(old, new, 1))

    return edit


def _each(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        for one in edits:
            one(project)

    return edit


def _catalog(project: Path) -> None:
    catalog = project / "locales" / "fr" / "demo.po"
    text = catalog.read_text()
    catalog.write_text(text.replace("Programme de démonstration", "Programme d'essai", 1))


#: Edits made one after another: (what, the edit, pages rendered again, or None when the build
#: fails).
SEQUENCE: list[tuple[str, Callable[[Path], None], int | None]] = [
    (
        "a sentence (its module in English in fr and ar)",
        _edit("your own pace.", "your own pace. Take a break."),
        1 + 2 + 2,
    ),
    ("another sentence", _edit("Take a break.", "Take a break. Then go on."), 3),
    ("a page title", _edit("title: Welcome", "title: Hello there"), 6),
    ("a broken link", _edit("01-try-it.md#", "02-gone.md#"), None),
    (
        "the link fixed, a sentence more (the last good site differs)",
        _each(_edit("02-gone.md#", "01-try-it.md#"), _edit("Then go on.", "Then rest.")),
        3,
    ),
    ("a catalog (every page again)", _catalog, 9),
]


def _rendered(cache: Path, project: Path) -> int:
    folder = project / "programmes" / "demo"
    file = BuildCache(cache).memory_file(folder)
    assert file is not None
    return ProgrammeMemory.kept(file, folder).rendered_pages


def _build(project: Path, out: Path, cache: Path | None, jobs: int = 1) -> BuildReport:
    return build_site(project, out, cache=BuildCache(cache) if cache else None, jobs=jobs)


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_edit_rebuilds_from_the_memory_as_a_cold_build(
    jobs: int, project: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert _build(project, tmp_path / "first", cache, jobs).ok
    assert _rendered(cache, project) == 9, "the first build renders and keeps every page"
    for number, (what, edit, rendered) in enumerate(SEQUENCE):
        edit(project)
        warm = _build(project, tmp_path / f"warm-{number}", cache, jobs)
        cold = _build(project, tmp_path / f"cold-{number}", None)
        assert [d.format() for d in warm.diagnostics] == [d.format() for d in cold.diagnostics]
        assert warm.ok == cold.ok == (rendered is not None), what
        assert warm.cached == 0, what
        if rendered is None:
            continue
        assert tree(tmp_path / f"warm-{number}") == tree(tmp_path / f"cold-{number}"), what
        assert _rendered(cache, project) == rendered, what


def _damage(file: Path) -> None:
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))


def _other_code(file: Path) -> None:
    real = cache_module.code_version()
    cache_module.code_version = lambda: real + "-next"  # type: ignore[assignment]


#: What may befall a kept memory; the next build renders the whole programme.
MISHAPS: dict[str, Callable[[Path], None]] = {
    "damaged": _damage,
    "cut short": lambda file: file.write_bytes(file.read_bytes()[:100]),
    "removed": lambda file: file.unlink(),
    "kept by other code": _other_code,
}


@pytest.mark.parametrize("mishap", sorted(MISHAPS))
def test_a_memory_that_cannot_be_used_is_built_again(
    mishap: str, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "code_version", cache_module.code_version)
    cache = tmp_path / "cache"
    assert _build(project, tmp_path / "first", cache).ok
    file = BuildCache(cache).memory_file(project / "programmes" / "demo")
    assert file is not None and file.is_file()
    MISHAPS[mishap](file)
    _edit("your own pace.", "your own pace. Take a break.")(project)
    warm = _build(project, tmp_path / "warm", cache)
    assert warm.ok and _rendered(cache, project) == 9
    assert _build(project, tmp_path / "cold", None).ok
    assert tree(tmp_path / "warm") == tree(tmp_path / "cold")


class _Trap:
    """Unpickling this runs :func:`_sprung`: a memory that would run code when read."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_sprung, ())


SPRUNG: list[bool] = []


def _sprung() -> None:
    SPRUNG.append(True)


def test_a_memory_not_signed_with_the_users_key_is_never_unpickled(
    project: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert _build(project, tmp_path / "first", cache).ok
    file = BuildCache(cache).memory_file(project / "programmes" / "demo")
    assert file is not None and file.is_file()
    # A cache folder written by someone else: the right head, a checksum, a payload that runs code.
    payload = pickle.dumps(_Trap())
    head = incremental._memory_head()
    file.write_bytes(head + hashlib.sha256(payload).digest() + payload)
    _edit("your own pace.", "your own pace. Take a break.")(project)
    warm = _build(project, tmp_path / "warm", cache)
    assert SPRUNG == []
    assert warm.ok and _rendered(cache, project) == 9
    assert _build(project, tmp_path / "cold", None).ok
    assert tree(tmp_path / "warm") == tree(tmp_path / "cold")


def test_the_signing_key_is_the_users_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    key = cache_module.signing_key()
    file = tmp_path / "xdg" / "icbt-content" / "signing-key"
    assert key is not None and len(key) == 32 and file.read_bytes() == key
    assert file.stat().st_mode & 0o077 == 0
    assert cache_module.signing_key() == key


@pytest.mark.parametrize("mishap", ["readable by others", "a link", "cut short"])
def test_a_signing_key_others_could_have_written_is_not_used(
    mishap: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    file = tmp_path / "xdg" / "icbt-content" / "signing-key"
    file.parent.mkdir(parents=True)
    elsewhere = tmp_path / "shared-key"
    elsewhere.write_bytes(bytes(32))
    elsewhere.chmod(0o600)
    if mishap == "readable by others":
        file.write_bytes(bytes(32))
        file.chmod(0o644)
    elif mishap == "a link":
        file.symlink_to(elsewhere)
    else:
        file.write_bytes(bytes(8))
        file.chmod(0o600)
    assert cache_module.signing_key() is None


def test_memories_no_build_keeps_and_files_stopped_builds_left_are_pruned(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache")
    ages = {
        "memory/gone-0123": cache_module.MEMORY_DAYS * 86400 + 60,
        "memory/kept-4567": cache_module.MEMORY_DAYS * 86400 - 3600,
        "memory/.tmp-left": cache_module.TEMPORARY_SECONDS + 60,
        "memory/.tmp-writing": 5,
        "units/ab/.tmp-left": cache_module.TEMPORARY_SECONDS + 60,
    }
    now = time.time()
    for name, age in ages.items():
        path = tmp_path / "cache" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        os.utime(path, (now - age, now - age))
    removed = {p.relative_to(tmp_path / "cache").as_posix() for p in cache.prune()}
    assert removed == {"memory/gone-0123", "memory/.tmp-left", "units/ab/.tmp-left"}
    assert (tmp_path / "cache/memory/kept-4567").is_file()
    assert (tmp_path / "cache/memory/.tmp-writing").is_file()
