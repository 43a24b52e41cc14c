"""Translate a generated project into locales with the project's own workflow and a fake translator.

The catalogs are the ones ``icbt i18n extract`` and ``icbt i18n init <locale>`` make, made with
the same functions (:func:`~icbt_content.i18n.sources.programme_template`,
:func:`~icbt_content.i18n.workflow.merge`, the header ``init`` writes), but each programme is
read and extracted once for every locale (``init`` extracts the whole project again for each
locale), programmes are translated in parallel processes, and the files are written without
line wrapping (as ``msgcat --no-wrap`` writes them: the same messages, a faster writer than
the wrapping one). That makes 10,000 pages with 4 locales a matter of minutes, not hours.

Every message then gets a deterministic pseudo-translation (vowels accented: "Try one step"
becomes "Trý óné stép") that keeps what the checks require to be kept: ``{placeholders}``,
``{{ ... }}`` and ``{% ... %}``, link and image targets, inline code, HTML and entities as they
are, and the Markdown structure (only letters change, never punctuation). So every catalog is
complete, passes ``icbt i18n check``, and the build publishes each locale in full. The only
header that would change from run to run, ``PO-Revision-Date``, is set to the date the crisis
lines were checked, so the same seed always gives the same bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchkit.locales import LocaleSpec, crisis_checked, locale_yaml
from icbt_content.i18n.catalog import Catalog, write_po
from icbt_content.i18n.sources import interface_template, programme_template
from icbt_content.i18n.translations import (
    INTERFACE,
    check_locale_code,
    po_path,
    programmes,
    template_path,
)
from icbt_content.i18n.workflow import merge
from icbt_content.project import programme_folders

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


def fill(catalog: Catalog) -> int:
    """Translate every message of a catalog in place; return how many there are."""
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
    return count


def po_text(catalog: Catalog) -> str:
    """The catalog as PO text, each string on as many lines as it has (no wrapping)."""
    return write_po(catalog, width=0)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(po_text(catalog), encoding="utf-8")


# -- one domain: its template and its catalog in every locale ------------------------------------


def translated(template: Catalog, code: str, revised: str) -> Catalog:
    """The catalog ``icbt i18n init <code>`` starts from ``template``, translated."""
    catalog, _ = merge(template, None, code)
    catalog.header_comments = [
        f"Translations into {check_locale_code(code).get_display_name('en')} ({code})."
    ]
    catalog.set_header("PO-Revision-Date", revised)
    fill(catalog)
    return catalog


def translate_domain(
    project: Path, programme: str | None, codes: Sequence[str], revised: str
) -> int:
    """Write the template of one programme (None: the interface) and its catalog in each
    locale; return the number of messages translated."""
    if programme is None:
        domain, template = INTERFACE, interface_template(project)
    else:
        (loaded,) = programmes(project, [programme])
        assert loaded.programme is not None
        domain, template = loaded.programme.id, programme_template(loaded)
    _write(template_path(project, domain), template)
    count = 0
    for code in codes:
        catalog = translated(template, code, revised)
        count += sum(1 for _ in catalog.active())
        _write(po_path(project, code, domain), catalog)
    return count


def translate_project(
    project: Path, locales: Sequence[LocaleSpec], repo: Path, jobs: int | None = None
) -> int:
    """Write the templates, each locale's catalogs (translated) and its locale.yaml.

    Returns the number of messages translated. ``jobs`` processes (default: the cores this
    process may use) translate the programmes; the files do not depend on their number.
    """
    checked = crisis_checked(repo)
    revised = f"{checked} 00:00+0000"
    codes = [spec.code for spec in locales]
    for spec in locales:
        path = project / "locales" / spec.code / "locale.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(locale_yaml(spec, checked), encoding="utf-8")
    domains: list[str | None] = [None, *(f.name for f in programme_folders(project))]
    workers = jobs or len(os.sched_getaffinity(0)) or 1
    if workers <= 1:
        return sum(translate_domain(project, d, codes, revised) for d in domains)
    with ProcessPoolExecutor(min(workers, len(domains))) as pool:
        counts = pool.map(
            translate_domain,
            [project] * len(domains),
            domains,
            [codes] * len(domains),
            [revised] * len(domains),
        )
        return sum(counts)
