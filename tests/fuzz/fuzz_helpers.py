"""The fuzzing harness: write one input into a project, load it, render the page it affects.

Every example must end in a rendered page or in diagnostics (file:line, a registered code),
never in an exception. A whole build per example would be too slow for the suite, so each
example runs the load and validate stages and renders one page in one locale through the real
templates, with the generated-page id check.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from jinja2 import Environment

from icbt_content.authoring.loader import read_programme, relative
from icbt_content.diagnostics import CODES, Diagnostic, Diagnostics
from icbt_content.i18n.localise import localise, localise_to
from icbt_content.render.environment import make_environment
from icbt_content.render.site import Language, ProgrammeRenderer
from icbt_content.render.unique_ids import duplicate_ids
from icbt_content.sitemap import SiteMap
from icbt_content.validate import validate_programme

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASIC = FIXTURES / "projects" / "basic"
I18N = FIXTURES / "i18n" / "project"
PAGE = "programmes/demo/modules/start/02-reflect.md"

#: Fixed seed, no deadline (the machine may be busy), 75 examples per channel: the
#: harness runs in the ordinary suite in about half a minute.
FUZZ = settings(
    max_examples=75,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# -- strategies --------------------------------------------------------------------------------

#: Characters Markdown, YAML, PO files and our directives give meaning to.
SPECIAL = list(":-#*_[]()!{}<>`|%&\"'\\/\n \t.=~^@,?")
WORDS = ["a", "é", "中", "ع", "0", "9", "Measure", "phq9", "main", "q-", "\u202e", "\x00"]

text_chars = st.text(alphabet=st.sampled_from([*SPECIAL, *"abcxyz019é中ع"]), max_size=300)
any_text = text_chars | st.text(max_size=120)


@st.composite
def deep(draw: st.DrawFn, opener: str, closer: str = "") -> str:
    """A run of ``opener`` (nesting) long enough to reach any recursion limit."""
    n = draw(st.integers(min_value=1, max_value=3000))
    return opener * n + closer * n


@st.composite
def lines_of(draw: st.DrawFn, *pieces: st.SearchStrategy[str]) -> str:
    return "\n".join(draw(st.lists(st.one_of(*pieces), max_size=12)))


# A valid-looking or hostile id for ``{#...}``: digits, capitals, reserved names, overlong.
anchor_ids = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,70}", fullmatch=True),
    st.sampled_from(["0", "Bad_ID", "main", "measure-phq9", "q-phq9-form", "icbt-x", "", "-"]),
    st.text(alphabet=st.sampled_from(list("aZ09-_. #{}")), max_size=70),
)
heading_texts = st.one_of(
    st.text(max_size=90),
    st.sampled_from(["Measure phq9", "Main", "2024 " + "was the year " * 6, "Same", "中文"]),
)


@st.composite
def headings(draw: st.DrawFn) -> str:
    """Headings with and without ``{#id}`` lines, attribute lines, duplicates."""
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        kind = draw(st.sampled_from(["plain", "anchor", "attrs", "setext"]))
        text = draw(heading_texts).replace("\n", " ")
        level = "#" * draw(st.integers(min_value=1, max_value=6))
        if kind == "anchor":
            out.append(f"{{#{draw(anchor_ids)}}}")
        elif kind == "attrs":
            out.append(
                draw(st.sampled_from(["{.notice}", '{data-icbt-measure="phq9"}', "{#a .b}"]))
            )
        out.append(f"{text}\n===" if kind == "setext" else f"{level} {text}")
        out.append("")
    return "\n".join(out)


# -- running one example ----------------------------------------------------------------------


@contextmanager
def project_copy(source: Path = BASIC) -> Iterator[Path]:
    """A copy of a fixture project for one test (examples overwrite the file they fuzz)."""
    root = Path(tempfile.mkdtemp(prefix="icbt-fuzz-"))
    try:
        shutil.copytree(source, root / "project")
        yield root / "project"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def assert_reported(diagnostics: Diagnostics | list[Diagnostic]) -> None:
    """Diagnostics are well formed: a registered code, a place, a message."""
    for item in diagnostics:
        assert item.code in CODES, item
        assert item.line >= 1 and item.col >= 1 and item.message, item
        assert "internal error" not in item.message.lower(), item


@cache
def _environment(project: Path) -> Environment:
    """One template environment per project: compiling the templates is the slow part."""
    return make_environment(project)


def load_and_render(project: Path, page: str = PAGE, locale: str | None = None) -> str | None:
    """Load and validate the programme, then render ``page`` (a source file) in ``locale``
    (the source locale by default); the page's HTML, or None when diagnostics stop it."""
    loaded = read_programme(project / "programmes" / "demo", project)
    loaded.diagnostics.extend(validate_programme(loaded))
    found = loaded.diagnostics
    assert_reported(found)
    if found.errors or loaded.programme is None:
        return None
    if locale is None:
        published, problems = localise(project, loaded)
        lp = published[0] if published else None
    else:
        lp, problems = localise_to(project, loaded, locale)
    found.extend(problems)
    assert_reported(found)
    if lp is None:
        return None
    renderer = ProgrammeRenderer(
        _environment(project),
        lp.programme,
        lp.locale,
        SiteMap(loaded.programme, relative(loaded.root, project)),
        [Language(lp.locale.code, lp.locale.name, lp.locale.direction)],
        notices=lp.notices,
        translate=lp.translate,
        fallback=lp.fallback,
    )
    for m_index, module in enumerate(lp.programme.modules):
        for p_index, item in enumerate(module.pages):
            if item.source is not None and item.source.file == page:
                rendered = renderer.content_page(module, m_index, item, p_index)
                assert_reported(duplicate_ids(rendered.path, rendered.content, page))
                return rendered.content.decode("utf-8")
    return None
