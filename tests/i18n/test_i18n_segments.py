"""Segments: one per block, stable keys, normalised inline Markdown, notes, file and line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from i18n_helpers import replace_in

from icbt_content.authoring.loader import read_programme
from icbt_content.i18n.inline import inline_markdown
from icbt_content.i18n.segments import Scope, Segmenter
from icbt_content.i18n.walk import walk_programme
from icbt_content.markdown import checking_parser, render_markdown


def _segments(project: Path) -> dict[str, object]:
    loaded = read_programme(project / "programmes" / "demo", project)
    assert loaded.programme is not None
    walk = walk_programme(loaded.programme, sources=loaded.sources, programme_dir="programmes/demo")
    return {s.context: s for s in walk.segments}


def test_one_segment_per_block_with_stable_keys(project: Path) -> None:
    segments = _segments(project)
    assert segments["start/welcome#how-it-works"].source == "How it works"  # type: ignore[attr-defined]
    assert segments["start/welcome#how-it-works.li2"].source == "Try **one** task."  # type: ignore[attr-defined]
    assert segments["start/welcome#how-it-works.t1.r1.c0"].source == "Monday"  # type: ignore[attr-defined]
    assert segments["start/welcome.box.sam-starts.p1"].kind == "paragraph"  # type: ignore[attr-defined]
    assert segments["exercise:habits.items.sleep-more.label"].source == "I sleep more"  # type: ignore[attr-defined]
    assert segments["guidance:welcome.p1"].source == "Hello {{ client.first_name }},"  # type: ignore[attr-defined]
    assert "programme:title" in segments and "crisis.p1" in segments


def test_file_line_and_translator_notes(project: Path) -> None:
    box = _segments(project)["start/welcome.box.sam-starts.title"]
    assert box.location == "programmes/demo/modules/start/01-welcome.md:17"  # type: ignore[attr-defined]
    assert '"a bus driver" can be any everyday job.' in box.notes  # type: ignore[attr-defined]
    assert any("case-example box title (plain text)" in c for c in box.comments())  # type: ignore[attr-defined]


def test_rewrapping_and_reformatting_change_no_msgid(project: Path) -> None:
    before = {k: s.source for k, s in _segments(project).items()}  # type: ignore[attr-defined]
    page = project / "programmes/demo/modules/start/01-welcome.md"
    replace_in(page, "It has short pages,\nand you can", "It has short\npages, and   you can")
    replace_in(page, "Try the *tasks*.", "Try the _tasks_.")
    replace_in(
        page,
        "- Read a page each day.\n- Try **one** task.",
        "* Read a page each day.\n* Try __one__ task.",
    )
    after = {k: s.source for k, s in _segments(project).items()}  # type: ignore[attr-defined]
    assert after == before


def test_a_new_paragraph_shifts_keys_only_in_its_section(project: Path) -> None:
    page = project / "programmes/demo/modules/start/01-welcome.md"
    replace_in(
        page, "Welcome to the programme.", "A new first paragraph.\n\nWelcome to the programme."
    )
    after = _segments(project)
    assert after["start/welcome.p2"].source.startswith("Welcome to the programme.")  # type: ignore[attr-defined]
    assert after["start/welcome#how-it-works.p1"].source.startswith("Read each page.")  # type: ignore[attr-defined]


def test_identity_rebuild_renders_the_same(project: Path) -> None:
    text = (
        'Para with `code`, a [link](../x.md#y "t"), <https://example.org> and \\*stars\\*.\n\n'
        "1. one\n2. two\n   - nested\n\n> quoted *text*\n\n| a | b |\n|:--|--:|\n| 1 \\| 2 | x |\n"
    )
    seg = Segmenter(lambda s: s.source)
    rebuilt = seg.markdown(text, Scope("x"), 1)
    assert render_markdown(rebuilt).split() == render_markdown(text).split()


# Literal '*' and '_' next to emphasis are left out: CommonMark's delimiter rules make some such
# strings ambiguous whatever the escaping. Emphasis itself is in the pieces.
_alphabet = st.sampled_from(
    [
        *"ab c`[]()!<>#-+1.\\&~|{}%:\n",
        " *x* ",
        " **y** ",
        "![a](b)",
        "[x](y)",
        "<https://q>",
        "&amp;",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=30).map("".join))
@example("`\n`")  # a code span of only spaces keeps them all (CommonMark 6.1)
def test_inline_normalisation_round_trips(text: str) -> None:
    md = checking_parser()
    tokens = [t for t in md.parse(text, {}) if t.type == "inline"]
    for token in tokens:
        once = inline_markdown(token.children or [])
        again = [t for t in md.parse(once, {}) if t.type == "inline"]
        rendered = md.renderInline(once, {}) if once else ""
        original = md.renderer.render(token.children or [], md.options, {})
        assert rendered.split() == original.split()
        if again:
            assert inline_markdown(again[0].children or []) == once
