"""What makes building pages quick changes nothing they give: the collector's pace, the clock of
a render's budget, the CJK check's shortcut, the options set for markdown-it's rules, the lines
of a box's tokens."""

from __future__ import annotations

import gc
import importlib
import logging
import unicodedata

import pytest

from icbt_content.authoring.documents import parse_document
from icbt_content.authoring.pages import read_blocks
from icbt_content.guidance import limits
from icbt_content.markdown import checking_parser, cjk, make_parser, parser
from icbt_content.pipeline.collector import YOUNG_OBJECTS, fewer_collections


def test_fewer_collections_inside_and_the_thresholds_as_they_were_after() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (max(YOUNG_OBJECTS, before[0]), *before[1:])
    assert gc.get_threshold() == before


def test_fewer_collections_never_collects_more_often() -> None:
    before = gc.get_threshold()
    gc.set_threshold(50_000, *before[1:])
    try:
        with fewer_collections(1_000):
            assert gc.get_threshold()[0] == 50_000
    finally:
        gc.set_threshold(*before)


def _reference_is_cjk(char: str) -> bool:
    if char.isspace():
        return False
    code = ord(char)
    if 0x1F000 <= code <= 0x1FAFF:
        return False
    if unicodedata.east_asian_width(char) in ("W", "F", "H"):
        return True
    return 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7AF


def test_the_cjk_shortcut_answers_as_the_full_check() -> None:
    for code in [*range(0x3200), *range(0xAC00, 0xAD00), *range(0xFE00, 0xFE20)]:
        assert cjk.is_cjk(chr(code)) == _reference_is_cjk(chr(code)), hex(code)


@pytest.mark.parametrize("code", [0x41, 0xFE00, 0xFE0F, 0xE0100, 0xE01EF, 0xFE10])
def test_variation_selectors(code: int) -> None:
    expected = 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
    assert cjk._is_variation(chr(code)) == expected


TEXTS = [
    "~~gone~~ and ~one~ ~~~odd~~ text\n\n- [ ] a task?\n- item ~~x~~",
    "> [!NOTE]\n> an alert?\n\n[label]: https://example.org\n\n[label] and ![x][label]",
    "# T\n\n| a | b |\n|---|---|\n| ~~c~~ | **d** |\n\n    code\n\n```\nfence\n```\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_options_set_for_the_rules_parse_as_their_defaults(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = make_parser()
    monkeypatch.setattr(parser, "_OFF", {})
    unset = make_parser()
    assert ours.options["strikethrough_single_tilde"] is False
    assert "strikethrough_single_tilde" not in unset.options
    assert [t.as_dict() for t in ours.parse(text)] == [t.as_dict() for t in unset.parse(text)]
    assert ours.render(text) == unset.render(text)


def test_the_block_rules_say_nothing_unless_markdown_its_debug_log_is_on() -> None:
    checking_parser()
    if not logging.getLogger("markdown_it").isEnabledFor(logging.DEBUG):
        for rule in ("paragraph", "list", "fence", "heading"):
            module = importlib.import_module(f"markdown_it.rules_block.{rule}")
            assert not isinstance(module.LOGGER, logging.Logger)
    assert "<p>a</p>" in make_parser().render("a")


def test_a_box_reports_at_the_lines_of_the_file() -> None:
    text = (
        "---\ntitle: T\n---\n\nIntro.\n\n:::note Box\nFirst.\n\n{.red}\n## Heading\n\n"
        "![](a.png)\n:::\n"
    )
    parts = read_blocks(parse_document(text, "p.md"))
    lines = sorted((d.code, d.line) for d in parts.diagnostics)
    assert lines == [("ICBT210", 10), ("ICBT303", 13)]


def test_the_clock_is_read_on_the_first_of_every_clock_every_ticks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[int] = []
    monkeypatch.setattr(limits.time, "thread_time", lambda: reads.append(1) or 0.0)
    budget = limits.Budget(limits.GUIDANCE_LIMITS, deadline=1.0)
    for _ in range(limits.CLOCK_EVERY * 3):
        budget.tick()
    assert len(reads) == 3
    budget = limits.Budget(limits.GUIDANCE_LIMITS, deadline=-1.0)
    with pytest.raises(limits.LimitExceeded):
        budget.tick()  # the first tick reads the clock: a render out of time stops at once
