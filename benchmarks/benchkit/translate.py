"""Translate a generated project into locales with the project's own workflow and a fake translator.

``icbt i18n extract`` and ``icbt i18n init <locale>`` write the catalogs, as for a real translation;
then every message gets a deterministic pseudo-translation (vowels accented: "Try one step" becomes
"Trý óné stép") that keeps what the checks require to be kept: ``{placeholders}``, ``{{ ... }}`` and
``{% ... %}``, link and image targets, inline code, HTML and entities as they are, and the Markdown
structure (only letters change, never punctuation). So every catalog is complete, passes
``icbt i18n check``, and the build publishes each locale in full.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchkit.locales import LocaleSpec, crisis_checked, locale_yaml

#: Spans a translator must copy as they are.
KEPT = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{[^{}\n]*\}"  # placeholders and template tags
    r"|\]\([^()\s]*(?:\s+\"[^\"]*\")?\)"  # link and image targets (and titles)
    r"|`[^`]*`"  # inline code
    r"|<[^<>\n]*>"  # HTML tags and autolinks
    r"|&#?\w+;"  # entities
    r"|(?:https?://|mailto:|tel:|www\.)\S+",  # bare addresses
    re.DOTALL,
)
ACCENTS = str.maketrans("aeiouyAEIOUY", "áéíóúýÁÉÍÓÚÝ")


def fake_translate(text: str) -> str:
    """A pseudo-translation of ``text`` that keeps every span a translation must keep."""
    out: list[str] = []
    position = 0
    for match in KEPT.finditer(text):
        out.append(text[position : match.start()].translate(ACCENTS))
        out.append(match.group(0))
        position = match.end()
    out.append(text[position:].translate(ACCENTS))
    return "".join(out)


def fill_catalog(path: Path) -> int:
    """Translate every message of a PO file in place; return how many there are."""
    from icbt_content.i18n.catalog import load_po, save_po

    catalog, problems = load_po(path, str(path))
    if catalog is None or problems:
        raise RuntimeError(f"cannot read {path}: {[d.format() for d in problems]}")
    forms = catalog.nplurals or 2
    count = 0
    for entry in catalog.active():
        if entry.msgid_plural is not None:
            entry.plurals = {
                n: fake_translate(entry.msgid if n == 0 and forms > 1 else entry.msgid_plural)
                for n in range(forms)
            }
        else:
            entry.msgstr = fake_translate(entry.msgid)
        entry.flags.discard("fuzzy")
        count += 1
    save_po(catalog, path)
    return count


def icbt(project: Path, *args: str) -> None:
    """Run an ``icbt`` command on the project in a fresh process (as a translator would)."""
    command = [sys.executable, "-m", "icbt_content", *args, "--project", str(project), "-q"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def translate_project(project: Path, locales: Sequence[LocaleSpec], repo: Path) -> int:
    """Start each locale with ``icbt i18n``, fill its catalogs and write its locale.yaml.

    Returns the number of messages translated.
    """
    icbt(project, "i18n", "extract")
    checked = crisis_checked(repo)
    count = 0
    for spec in locales:
        icbt(project, "i18n", "init", spec.code)
        folder = project / "locales" / spec.code
        (folder / "locale.yaml").write_text(locale_yaml(spec, checked), encoding="utf-8")
        for path in sorted(folder.glob("*.po")):
            count += fill_catalog(path)
    return count
