"""Generate a shape's corpus once (icbt with 0..n locales, MkDocs, Hugo) and reuse it.

A corpus folder holds a ``stamp.json``; it is reused when the stamp matches (same generator code,
seed, shape and locales, same translation code in icbt_content), and written afresh otherwise.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchkit.corpus import REPO, SEED, SOURCE_LOCALE, Layouts, Shape, write_sources
from benchkit.locales import LOCALES, LocaleSpec
from benchkit.translate import translate_project

KIT = Path(__file__).resolve().parent
#: The modules that decide what a corpus contains.
GENERATOR = ("text", "corpus", "locales", "translate", "prepare")


def _code_hash() -> str:
    """Changes when the generator or icbt's extraction changes (then catalogs are remade)."""
    import icbt_content

    digest = hashlib.sha256()
    package = Path(icbt_content.__file__).parent
    generator = [KIT / f"{name}.py" for name in GENERATOR]
    files = generator + sorted((package / "i18n").glob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stamp(
    shape: Shape, locales: Sequence[LocaleSpec], others: bool, seed: int
) -> dict[str, object]:
    return {
        "shape": shape.name,
        "programmes": [list(modules) for modules in shape.programmes],
        "duplicate_headings": shape.duplicate_headings,
        "locales": [spec.code for spec in locales],
        "mkdocs_and_hugo": others,
        "seed": seed,
        "code": _code_hash(),
    }


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def prepare(
    root: Path,
    shape: Shape,
    locale_counts: Sequence[int],
    *,
    others: bool = True,
    seed: int = SEED,
    regenerate: bool = False,
) -> Layouts:
    """The corpus of ``shape`` under ``root/<shape>``, generated if needed.

    ``locale_counts`` lists the icbt projects wanted (0: the source locale only; n: the first n
    of :data:`LOCALES`); ``others`` adds the MkDocs and Hugo layouts.
    """
    most = max(locale_counts, default=0)
    if most > len(LOCALES):
        raise ValueError(f"at most {len(LOCALES)} translated locales: {[s.code for s in LOCALES]}")
    layouts = Layouts(root / shape.name)
    stamp_file = layouts.root / "stamp.json"
    wanted = stamp(shape, LOCALES[:most], others, seed)
    made = _read_stamp(stamp_file) if not regenerate else None
    # A corpus made with more locales serves fewer: the first n are the same.
    if made is not None and {**made, "locales": wanted["locales"]} == wanted:
        codes = made["locales"]
        generated = len(codes) if isinstance(codes, list) else -1
        if generated >= most and layouts.icbt(generated).is_dir():
            for count in locale_counts:
                _derive(layouts, generated, count)
            return layouts
    started = time.perf_counter()
    say(f"generating {shape.name} ({shape.about}) with {most} translated locale(s)...")
    if layouts.root.exists():
        shutil.rmtree(layouts.root)
    full = layouts.icbt(most)
    write_sources(
        shape, full, layouts.mkdocs if others else None, layouts.hugo if others else None, seed
    )
    if most:
        messages = translate_project(full, LOCALES[:most], REPO)
        say(f"  translated {messages} messages with icbt's extract and init functions")
    for count in locale_counts:
        _derive(layouts, most, count)
    stamp_file.write_text(json.dumps(wanted, indent=2) + "\n")
    say(f"  generated in {time.perf_counter() - started:.0f} s: {layouts.root}")
    return layouts


def _read_stamp(path: Path) -> dict[str, object] | None:
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _derive(layouts: Layouts, generated: int, count: int) -> None:
    """The project with the first ``count`` locales, copied from the one with ``generated``."""
    target = layouts.icbt(count)
    if count == generated or target.is_dir():
        return
    keep = {SOURCE_LOCALE, *(spec.code for spec in LOCALES[:count])}
    if count:
        keep.add("templates")

    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder).name != "locales":
            return set()
        return {name for name in names if name not in keep}

    shutil.copytree(layouts.icbt(generated), target, ignore=ignore)
