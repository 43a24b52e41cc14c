"""How big any one input may be: the one place that bounds the time and memory of a build.

Every limit is far above real content (the sample programmes use a few per cent of each) and low
enough that the worst input of each kind is read, checked and rendered within seconds. Going over
one is a diagnostic that names the file, never a hang. ``benchmarks/hostile_inputs.py`` measures
the worst cases.
"""

from __future__ import annotations

from typing import Final

# -- files, by kind (bytes on disk) -------------------------------------------------------------

#: A Markdown page, module.md, crisis.md or an adaptation.
MAX_PAGE_BYTES: Final = 1_000_000
#: A guidance template (one message to a client; the sample ones are under 2 kB).
MAX_TEMPLATE_BYTES: Final = 100_000
#: programme.yaml, locale.yaml, a measure file, ids.lock.
MAX_MANIFEST_BYTES: Final = 200_000
#: A PO or POT catalog (the largest sample catalog is about 450 kB).
MAX_CATALOG_BYTES: Final = 5_000_000
#: An answers file exported from the site, read by ``icbt export --format fhir-responses``.
MAX_ANSWERS_BYTES: Final = 20_000_000

# -- YAML (front matter, manifests, directive bodies) --------------------------------------------

#: Characters of one YAML block.
MAX_YAML_CHARS: Final = 200_000
#: Nesting of mappings and lists in one YAML block.
MAX_YAML_DEPTH: Final = 32
#: Values (mappings, lists and scalars) in one YAML block.
MAX_YAML_NODES: Final = 20_000

# -- Markdown (one page, or one translated text) -------------------------------------------------

#: Links and images on one page.
MAX_LINKS: Final = 2_000
#: Square brackets (``[``, which start links) on one page, counted before parsing.
MAX_BRACKETS: Final = 5_000
#: Headings on one page.
MAX_HEADINGS: Final = 500
#: Columns of one table row (counted as the ``|`` of a line).
MAX_TABLE_COLUMNS: Final = 64
#: Cells of the tables on one page (counted as ``|`` on table-like lines).
MAX_TABLE_CELLS: Final = 10_000
#: Emphasis markers (``*``, ``_``, ``~``) on one page.
MAX_EMPHASIS_MARKS: Final = 10_000
#: Backticks on one page.
MAX_BACKTICKS: Final = 10_000
#: Levels of block markup (a quote is one level, a list two): the parser's ``maxNesting``.
MAX_BLOCK_NESTING: Final = 20

# -- a programme -----------------------------------------------------------------------------------

#: Pages of one module.
MAX_PAGES_PER_MODULE: Final = 200

# -- translation catalogs ----------------------------------------------------------------------

#: Entries (messages) of one catalog (the largest sample catalog has about 1,500).
MAX_CATALOG_ENTRIES: Final = 50_000
#: Characters of one string (msgid, msgstr, msgstr[n]) of a catalog.
MAX_STRING_CHARS: Final = 100_000
#: A catalog holds the translations of many pages: its Markdown may hold this many times the
#: emphasis markers, brackets, backticks and table bars of one page.
CATALOG_MARKDOWN_FACTOR: Final = 5
#: Plural forms a catalog may declare (CLDR languages need at most 6).
MAX_PLURAL_FORMS: Final = 10


def kilobytes(limit: int) -> str:
    """A byte limit as authors read it: ``200 kB``, ``10 MB``."""
    if limit >= 1_000_000 and limit % 1_000_000 == 0:
        return f"{limit // 1_000_000} MB"
    return f"{limit // 1000} kB"
