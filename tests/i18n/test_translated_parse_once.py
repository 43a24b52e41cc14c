"""A translated block is parsed once: the catalog check parses each translation, and the
translated page renders from those parses put into its source's block tokens, never from a
second parse of the page's rebuilt Markdown (issues 11 and 16)."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from markdown_it.token import Token

from icbt_content.i18n import segments
from icbt_content.markdown import checking_parser, parser, render_markdown
from icbt_content.pipeline.build import build_site
from icbt_content.pipeline.check import check_programme_in_locales
from icbt_content.project import programme_folders

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "i18n" / "project"

Kept = list[tuple[str, tuple[str, ...] | None, list[Token]]]


def _spy(monkeypatch: pytest.MonkeyPatch) -> Kept:
    """Record each translated block the walk keeps for rendering."""
    kept: Kept = []
    real = segments.keep_rendered

    def keep(text: str, anchors: Sequence[str] | None, tokens: list[Token]) -> None:
        kept.append((text, tuple(anchors) if anchors else None, tokens))
        real(text, anchors, tokens)

    monkeypatch.setattr(segments, "keep_rendered", keep)
    return kept


def _tokens(tokens: Sequence[Token]) -> list[dict[str, object]]:
    """Tokens as data, without what only says where they came from (lines, notes)."""
    return [t.as_dict(filter=lambda key, _: key not in ("map", "meta")) for t in tokens]


@pytest.mark.parametrize("project", [ROOT, FIXTURE], ids=["samples", "i18n-fixture"])
def test_a_spliced_block_is_what_parsing_it_makes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parser, "_PARSED", parser.ParseMemo(limit=10**9))
    kept = _spy(monkeypatch)
    for folder in programme_folders(project):
        check_programme_in_locales(folder, project)
    assert len(kept) >= 10
    for text, anchors, tokens in kept:
        env = {"anchors": list(anchors)} if anchors else {}
        fresh = checking_parser().parse(text, env)
        assert _tokens(tokens) == _tokens(fresh), text
        assert render_markdown(text, anchors=anchors) == checking_parser().renderer.render(
            fresh, checking_parser().options, {"resolve_link": None}
        )


def test_a_translated_block_is_never_parsed_again_to_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    monkeypatch.setattr(parser, "_PARSED", parser.ParseMemo(limit=10**9))
    kept = _spy(monkeypatch)
    counting = checking_parser()
    blocks: Counter[str] = Counter()
    inline: Counter[str] = Counter()
    real_parse, real_inline = counting.parse, counting.parseInline

    def parse(src: str, env: object = None) -> object:
        blocks[src] += 1
        return real_parse(src, env)  # type: ignore[arg-type]

    def parse_inline(src: str, env: object = None) -> object:
        inline[src] += 1
        return real_inline(src, env)  # type: ignore[arg-type]

    monkeypatch.setattr(counting, "parse", parse)
    monkeypatch.setattr(counting, "parseInline", parse_inline)
    report = build_site(project, tmp_path / "site")
    assert report.ok and len(report.locales["demo"]) > 1
    translated = {text for text, _, _ in kept}
    assert translated
    assert not [text for text in translated if blocks[text]]
    assert inline and max(inline.values()) == 1, inline.most_common(3)


def test_parses_kept_are_bounded_by_the_size_of_their_text() -> None:
    memo = parser.ParseMemo(limit=10)
    for text in ("aaaa", "bbbb", "cccc"):
        memo.keep((text, None), parser.ParsedMarkdown([], True))
    assert ("aaaa", None) not in memo and memo.size == 8 and len(memo) == 2
    assert memo.get(("bbbb", None)) is not None  # used: let go of last
    memo.keep(("ddd", None), parser.ParsedMarkdown([], True))
    assert ("bbbb", None) in memo and ("cccc", None) not in memo and memo.size == 7


BLOCKS = [
    ("# Why\n\nAvoiding *keeps* the fear.\n\n## How\n\nSee [the plan](plan.md).", ["why", "how"]),
    ("| Situation | Fear (0-100) |\n|:--|--:|\n| Party | 80 |\n| Call `x` |  |", []),
    ("- one\n- two **bold**\n  - nested\n\n3. three\n4. four", []),
    ("- loose one\n\n- loose two\n\n  second paragraph", []),
    ("> A quotation\n>\n> - with a list\n\n***\n\nAfter the rule.", []),
    ("Setext heading\n==============\n\nText under it.", ["setext-heading"]),
    ("1. one\n1. two\n   1) inner\n   1) inner two\n\n---\n\n7. seven\n7. eight", []),
]


@pytest.mark.parametrize(("text", "anchors"), BLOCKS)
def test_each_kind_of_block_is_spliced_as_it_parses(
    text: str, anchors: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parser, "_PARSED", parser.ParseMemo(limit=10**9))
    kept = _spy(monkeypatch)
    segmenter = segments.Segmenter(lambda segment: f"Tr {segment.source}")
    written = segmenter.markdown(text, segments.Scope("m/p"), 1, anchors)
    assert [item[0] for item in kept] == [written]
    env = {"anchors": anchors} if anchors else {}
    assert _tokens(kept[0][2]) == _tokens(checking_parser().parse(written, env))


@pytest.mark.parametrize(
    "translation",
    [
        "two\nlines",
        "carriage\rreturn",
        "- a list now",
        "ends with #",
        "a | pipe",
        " spaced",
        "*starts* with markup",
    ],
)
def test_a_block_whose_text_may_parse_otherwise_is_parsed(
    translation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parser, "_PARSED", parser.ParseMemo(limit=10**9))
    kept = _spy(monkeypatch)
    text = "## Title\n\nA paragraph.\n\n| a | b |\n|---|---|\n| c | d |"
    segmenter = segments.Segmenter(lambda segment: translation)
    segmenter.markdown(text, segments.Scope("m/p"), 1, ["title"])
    assert kept == []


@pytest.mark.parametrize("source", ["## Why", "| Why | b |\n|---|---|\n| c | d |"])
def test_a_carriage_return_in_a_heading_or_cell_is_parsed_as_written(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """markdown-it reads "\\r" as a line break: a heading or cell holding one parses as more
    than the one line a spliced token holds, so it is never spliced."""
    monkeypatch.setattr(parser, "_PARSED", parser.ParseMemo(limit=10**9))
    kept = _spy(monkeypatch)

    def translate(segment: segments.Segment) -> str:
        return "Pourquoi\r éviter" if segment.source == "Why" else f"Tr {segment.source}"

    segmenter = segments.Segmenter(translate)
    segmenter.markdown(source, segments.Scope("m/p"), 1, ["why"] if "#" in source else None)
    assert kept == []
