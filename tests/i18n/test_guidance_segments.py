"""Guidance messages are segmented for translators: whole Jinja blocks, no author line breaks."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from icbt_content.guidance import render_guidance
from icbt_content.i18n.catalog import load_po
from icbt_content.i18n.checks import check_message
from icbt_content.i18n.walk import guidance_paragraphs

REPO = Path(__file__).parent.parent.parent

CASES = [
    # (what, body, expected messages)
    (
        "lines of prose are joined: the author's line breaks are not part of a message",
        "Hello {{ client.first_name }},\nhow are\n  you?\n\nBest wishes,\n{{ therapist.name }}\n",
        ["Hello {{ client.first_name }}, how are you?", "Best wishes, {{ therapist.name }}"],
    ),
    (
        "an {% if %} block with an empty line inside is one message",
        "Well done.\n{% if exercises_done %}You did:\n{% for t in exercises_done %}\n- {{ t }}\n"
        "{%- endfor %}\n\n{% endif %}\nKeep going,\nplease.\n\nBye.",
        [
            "Well done.\n{% if exercises_done %}You did:\n{% for t in exercises_done %}\n"
            "- {{ t }}\n{%- endfor %}\n\n{% endif %}\nKeep going, please.",
            "Bye.",
        ],
    ),
    (
        "a {% for %} block over three paragraphs is one message",
        "{% for t in exercises_done %}\n\n{{ t }}\n\n{% endfor %}\n\nAfter.",
        ["{% for t in exercises_done %}\n\n{{ t }}\n\n{% endfor %}", "After."],
    ),
    (
        "list items and headings keep their own lines",
        "## Next steps\nRead this.\n\n- one\n- two\n  continued",
        ["## Next steps\nRead this.", "- one\n- two continued"],
    ),
    (
        "a hard line break is kept",
        "First line\\\nsecond line",
        ["First line\\\nsecond line"],
    ),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_guidance_messages(body: str, expected: list[str]) -> None:
    assert [text for _, text in guidance_paragraphs(body)] == expected


_BLOCK_OPEN = re.compile(r"\{%-?\s*(?:if|for)\b")
_BLOCK_CLOSE = re.compile(r"\{%-?\s*end(?:if|for)\b")
_OWN_LINE = re.compile(r"^\s*(?:[-*+>#|]|\d+[.)]|\{%)")


def _guidance_msgids(pot: Path) -> list[str]:
    catalog, _ = load_po(pot, pot.name)
    assert catalog is not None
    return [
        e.msgid
        for e in catalog.active()
        if e.context and e.context.startswith("guidance:") and ".p" in e.context
    ]


@pytest.mark.parametrize("programme", ["sad", "ptsd"])
def test_shipped_guidance_messages_are_whole(programme: str) -> None:
    msgids = _guidance_msgids(REPO / "locales/templates" / f"{programme}.pot")
    assert msgids
    for msgid in msgids:
        assert len(_BLOCK_OPEN.findall(msgid)) == len(_BLOCK_CLOSE.findall(msgid)), msgid
        lines = msgid.split("\n")
        for previous, line in itertools.pairwise(lines):
            # A line break is kept only where Markdown or Jinja needs one.
            assert not line or _OWN_LINE.match(line) or re.fullmatch(r"\s*\{%.*%\}\s*", previous), (
                msgid
            )


def test_translators_change_the_list_separator() -> None:
    source = 'You have done: {{ exercises_done | join(", ") }}.'
    assert check_message(source, '你已完成：{{ exercises_done | join("、") }}。') == []
    problems = check_message(source, "你已完成：{{ exercises_done }}。")
    assert [p.code for p in problems] == ["ICBT602"]


@pytest.mark.parametrize(
    ("locale", "days", "expected"),
    [
        ("en-GB", 1, "for 1 day,"),
        ("en-GB", 9, "for 9 days,"),
        ("zh-Hant-HK", 1, "已經1天沒有登入"),
        ("zh-Hant-HK", 9, "已經9天沒有登入"),
    ],
)
def test_overdue_message_is_pluralised(locale: str, days: int, expected: str) -> None:
    context = {"client": {"first_name": "Alex"}, "therapist": {"name": "Sam"}}
    message = render_guidance(
        REPO, "sad", "overdue", {**context, "days_since_login": days}, locale=locale
    )
    assert message.translated and expected in message.markdown
