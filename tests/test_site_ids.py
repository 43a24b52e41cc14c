"""Ids in the site: always valid, unique on every page, never one the site keeps for itself."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from icbt_content import render_markdown
from icbt_content.ids import (
    RESERVED_IDS,
    RESERVED_PREFIXES,
    is_reserved_id,
    is_valid_id,
    slugify,
    unique,
)
from icbt_content.pipeline import build_site
from icbt_content.pipeline.check import check_project
from icbt_content.render.unique_ids import duplicate_ids

PAGE = "programmes/demo/modules/start/02-reflect.md"
PHQ9_DATA = 'data-icbt-measure="phq9"'


class CountingSet(set[str]):
    """A set that counts membership tests: how much work making ids unique took."""

    lookups = 0

    def __contains__(self, item: object) -> bool:
        self.lookups += 1
        return super().__contains__(item)


def old_unique(slug: str, taken: set[str]) -> str:
    """The quadratic version this replaced, as the reference for the ids it gave."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]*)"', html)


# -- linear, unchanged ids ----------------------------------------------------------------------


def test_duplicate_headings_take_linear_work() -> None:
    taken = CountingSet()
    counters: dict[str, int] = {}
    ids = [unique("same", taken, counters) for _ in range(5000)]
    assert ids[:3] == ["same", "same-2", "same-3"] and ids[-1] == "same-5000"
    # The old loop tested 1 + 2 + ... + 5000 (12.5 million) candidates.
    assert taken.lookups < 3 * 5000


def test_many_duplicate_headings_render_with_numbered_ids() -> None:
    html = render_markdown("## Same\n\n" * 3000)
    ids = _ids(html)
    assert ids[0] == "same" and ids[1] == "same-2" and ids[-1] == "same-3000"
    assert len(set(ids)) == 3000


words = st.sampled_from(["a", "b", "a-2", "a-3", "step", "step-2", "b-2-2"])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(words, st.booleans()), max_size=30))
def test_same_ids_as_before_for_any_mix_of_explicit_and_generated(
    headings: list[tuple[str, bool]],
) -> None:
    """Explicit anchors (taken as written) and generated ones (made unique) in any order."""
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    counters: dict[str, int] = {}
    for word, explicit in headings:
        if explicit:
            taken_old.add(word)
            taken_new.add(word)
            continue
        assert unique(word, taken_new, counters) == old_unique(word, taken_old)


# -- generated ids are always valid ---------------------------------------------------------------


def test_long_heading_starting_with_a_digit_gets_a_valid_id() -> None:
    slug = slugify("2024 was the year we learned to keep going even when it was really hard")
    assert is_valid_id(slug) and slug.startswith("section-2024-was")


def test_numbered_long_ids_stay_valid() -> None:
    taken: set[str] = set()
    slug = slugify("x" * 80)
    ids = [unique(slug, taken) for _ in range(12)]
    assert all(is_valid_id(i) for i in ids) and len(set(ids)) == 12


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=200))
def test_any_heading_text_gives_a_valid_id_the_site_does_not_keep(text: str) -> None:
    slug = slugify(text)
    assert is_valid_id(slug) and not is_reserved_id(slug)


def test_a_long_digit_heading_on_a_page_builds(basic_project: Path) -> None:
    """Issue 17 item 4: this ended in an internal error."""
    heading = "## 2024 was the year we learned to keep going even when it was hard"
    (basic_project / PAGE).write_text(f"---\ntitle: Year\n---\n\n{heading}\n\nText.\n", "utf-8")
    report = build_site(basic_project, basic_project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    html = (basic_project / "site/demo/en-GB/start/reflect/index.html").read_text("utf-8")
    anchor = re.search(r'<h2 id="(section-2024-was-the-year[^"]*)"', html)
    assert anchor and is_valid_id(anchor.group(1))


def test_invalid_author_ids_are_diagnostics(basic_project: Path) -> None:
    (basic_project / PAGE).write_text(
        "---\ntitle: Ids\n---\n\n{#0}\n## Zero\n\n{#Bad_ID}\n## Bad\n", "utf-8"
    )
    found = [d for loaded in check_project(basic_project) for d in loaded.diagnostics]
    assert [(d.code, d.line) for d in found if d.file == PAGE] == [
        ("ICBT202", 5),
        ("ICBT202", 8),
    ]
    assert "{#bad-id}" in next(d.hint for d in found if d.line == 8)


# -- the site's own ids ---------------------------------------------------------------------------


def test_every_template_id_is_reserved() -> None:
    """Every id a template writes is one authors cannot write (RESERVED_IDS is kept in step)."""
    templates = Path(__file__).parent.parent / "src/icbt_content/render/templates"
    written = set()
    for template in templates.rglob("*.html"):
        for value in re.findall(r'\sid="([^"]*)"', template.read_text("utf-8")):
            written.add(value.split("{{")[0] or value)
    assert written
    for value in written:
        if value.startswith("{{"):
            continue  # the id of an author's box, checked as an author's id
        assert value in RESERVED_IDS or value.startswith(RESERVED_PREFIXES), value


def test_reserved_ids_are_documented() -> None:
    from icbt_content.diagnostics import CODES

    explanation = CODES["ICBT209"].explanation
    for value in [*RESERVED_IDS, *RESERVED_PREFIXES]:
        assert f"`{value}`" in explanation, value


def test_heading_that_reads_like_a_site_id_gets_another_id() -> None:
    html = render_markdown("## Measure phq9\n\n## Main\n\n## Q-phq9 form\n")
    assert _ids(html) == ["section-measure-phq9", "section-main", "section-q-phq9-form"]


def test_reserved_author_ids_are_never_rendered() -> None:
    html = render_markdown("{#measure-phq9}\n## Results\n\n{#main}\n## Top\n")
    assert _ids(html) == ["results", "top"]


def _questionnaire_page(project: Path, body: str) -> Path:
    manifest = project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "measures:\n  - phq9\n", "utf-8")
    (project / PAGE).write_text(
        f"---\ntitle: Check in\n---\n\n{body}\n\n::: questionnaire phq9\n:::\n", "utf-8"
    )
    return project / "site/demo/en-GB/start/reflect/index.html"


def test_heading_named_like_the_questionnaire_keeps_one_data_element(basic_project: Path) -> None:
    """Issue 17 item 1: '## Measure phq9' made a second id="measure-phq9" and the PHQ-9
    form (and its self-harm alert) stopped working."""
    page = _questionnaire_page(basic_project, "## Measure phq9\n\nHow have you been?")
    report = build_site(basic_project, basic_project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    html = page.read_text("utf-8")
    assert html.count(PHQ9_DATA) == 1
    # The scripts find the definition by a data-icbt-* attribute that authors cannot write.
    assert '<script type="application/json" data-icbt-measure="phq9">' in html
    assert 'id="measure-phq9"' not in html
    assert 'id="section-measure-phq9"' in html


def test_explicit_reserved_anchor_is_refused(basic_project: Path) -> None:
    _questionnaire_page(basic_project, "{#measure-phq9}\n## About this questionnaire")
    report = build_site(basic_project, basic_project / "site")
    assert not report.ok
    assert [(d.code, d.file, d.line) for d in report.diagnostics.errors] == [("ICBT209", PAGE, 5)]


# -- only {#id} ----------------------------------------------------------------------------------


def test_classes_and_data_attributes_are_not_rendered() -> None:
    html = render_markdown(
        '{.notice data-icbt-measure="phq9" data-x="1" style="color:red"}\nText.\n\n'
        '{#ok .big data-icbt-risk="1"}\n## Heading\n\n{#para}\nA paragraph.\n'
    )
    assert html == '<p>Text.</p>\n<h2 id="ok">Heading</h2>\n<p>A paragraph.</p>\n'


def test_attributes_are_reported(basic_project: Path) -> None:
    (basic_project / PAGE).write_text(
        '---\ntitle: Attrs\n---\n\n{data-icbt-measure="phq9"}\nText.\n', "utf-8"
    )
    found = [d for loaded in check_project(basic_project) for d in loaded.diagnostics]
    assert [(d.code, d.line) for d in found if d.file == PAGE] == [("ICBT210", 5)]
    report = build_site(basic_project, basic_project / "site")
    assert not report.ok


# -- every generated page has unique ids ----------------------------------------------------------


def test_duplicate_ids_are_found_in_generated_html() -> None:
    html = b'<main id="main"><h2 id="tips">T</h2><aside id="tips"></aside><p data-id="x"></p>'
    html += b'<p>id="main" written as text is escaped: id=&quot;main&quot;</p></main>'
    found = duplicate_ids("demo/en-GB/m/p/index.html", html, "programmes/demo/modules/m/01-p.md")
    assert [(d.code, d.file) for d in found] == [("ICBT211", "programmes/demo/modules/m/01-p.md")]
    assert "'tips'" in found[0].message
    assert duplicate_ids("assets/site.css", b'x id="a" id="a"') == []


def test_build_reports_a_box_and_a_heading_with_the_same_id(basic_project: Path) -> None:
    (basic_project / PAGE).write_text(
        "---\ntitle: Tips\n---\n\n## Tips\n\nText.\n\n::: tip Try {#tips}\nWalk.\n:::\n", "utf-8"
    )
    report = build_site(basic_project, basic_project / "site")
    assert not report.ok
    assert [(d.code, d.file) for d in report.diagnostics.errors] == [("ICBT211", PAGE)]
