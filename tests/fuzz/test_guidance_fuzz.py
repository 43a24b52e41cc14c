"""Fuzzing guidance templates: every template and context ends in a message or diagnostics.

Random bodies are built from pieces of Jinja syntax (expressions, filters, calls, statements,
broken fragments, deep nesting and doubling) and the context's fields; random contexts from the
context's fields, some invalid. Each goes through ``check_template`` and ``render_guidance``,
which must return a message or raise ``ContentError`` with registered diagnostics: never any
other exception. The seed is fixed, and the run stops taking new examples after its time budget.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from icbt_content.diagnostics import CODES, ContentError, Diagnostic
from icbt_content.guidance import check_template, load_template, render_guidance
from icbt_content.guidance.limits import GUIDANCE_LIMITS

#: Seconds of fuzzing; examples after it are generated but not run.
BUDGET = 12.0
SECTIONS = {
    "introduction": ["what-is-social-anxiety", "your-goals"],
    "your-model": ["self-focus", "safety-behaviours"],
}
FRONT_MATTER = "---\ntitle: Fuzzed message\nwhen: other\nmodule: your-model\n---\n"

# -- template bodies ----------------------------------------------------------------------------

NAMES = [
    "client.first_name",
    "therapist.name",
    "module",
    "module.title",
    "module.id",
    "exercises_done",
    "measure",
    "measure.title",
    "latest_score",
    "previous_score",
    "change",
    "days_since_login",
    "loop.index",
    "loop.length",
    "item",
    "none",
    "true",
    # things a template is not allowed to reach
    "client.__class__",
    "self",
    "range(10)",
    "cycler",
    "lipsum",
    "unknown_name",
    "client.first_nme",
    "client.first_name.upper()",
    "client.first_name.format",
    "exercises_done.__len__",
]
FILTERS = [
    "upper",
    "lower",
    "title",
    "capitalize",
    "trim",
    "length",
    "first",
    "last",
    "abs",
    "int",
    "round",
    'join(", ")',
    'default("someone")',
    "sort",
    "attr('__class__')",
    "format(1)",
]
OPERATORS = ["+", "-", "*", "/", "//", "%", "**", "~", "and", "or", "==", "<", ">=", "in"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12).map(
    lambda s: s.replace("{", "(").replace("%", "pct")
)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


ATOMS = st.one_of(
    st.sampled_from(NAMES),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    TEXT.map(_quoted),
    st.sampled_from(["'%s'", "'%r'", "'%d'", "'%999999999d'", "'%.2f'", "'{0.__class__}'"]),
    st.sampled_from(
        [
            'section_link("your-model", "self-focus")',
            'section_link("your-model", "nowhere")',
            "section_link(module.id, 1)",
            'plural(latest_score, "one point", "{n} points")',
            'plural(exercises_done|length, "one exercise", "{n} exercises")',
            "plural()",
        ]
    ),
)


def _expressions(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(OPERATORS), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(inner, st.sampled_from(FILTERS)).map(lambda t: f"{t[0]}|{t[1]}"),
        st.tuples(st.sampled_from(["not ", "-"]), inner).map("".join),
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
    )


EXPRESSIONS = st.recursive(ATOMS, _expressions, max_leaves=8)

BROKEN = st.sampled_from(
    [
        "{{",
        "}}",
        "{%",
        "%}",
        "{% endif %}",
        "{% endfor %}",
        "{% else %}",
        "{# unclosed",
        "{% include 'other.md' %}",
        "{% macro m() %}x{% endmacro %}",
        "{% extends 'base.html' %}",
        "{% raw %}{{ x }}{% endraw %}",
        "[a link](javascript:alert(1))",
        "<script>alert(1)</script>",
    ]
)


def _deep(n: int) -> str:
    return "{% if true %}" * n + "deep" + "{% endif %}" * n


def _parens(n: int) -> str:
    return "{{ " + "(" * n + "1" + ")" * n + " }}"


def _doubling(n: int) -> str:
    return '{% set s = "abcdefgh" %}' + "{% set s = s ~ s %}" * n + "{{ s|length }}"


def _loops(n: int) -> str:
    return "{% for a in [1,2,3,4,5,6,7,8,9,10] %}" * n + "x" + "{% endfor %}" * n


RUNAWAY = st.one_of(
    st.integers(0, 300).map(_deep),
    st.integers(0, 300).map(_parens),
    st.integers(0, 40).map(_doubling),
    st.integers(0, 8).map(_loops),
)

LEAVES = st.one_of(
    TEXT,
    st.just("\n"),
    EXPRESSIONS.map(lambda e: "{{ " + e + " }}"),
    BROKEN,
    RUNAWAY,
)


def _statements(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(EXPRESSIONS, inner).map(lambda t: f"{{% if {t[0]} %}}{t[1]}{{% endif %}}"),
        st.tuples(EXPRESSIONS, inner, inner).map(
            lambda t: f"{{% if {t[0]} %}}{t[1]}{{% else %}}{t[2]}{{% endif %}}"
        ),
        st.tuples(EXPRESSIONS, inner).map(
            lambda t: f"{{% for item in {t[0]} %}}{t[1]}{{% endfor %}}"
        ),
        st.tuples(st.sampled_from(["item", "s", "n"]), EXPRESSIONS).map(
            lambda t: f"{{% set {t[0]} = {t[1]} %}}"
        ),
        st.lists(inner, min_size=2, max_size=4).map("".join),
        st.lists(inner, min_size=2, max_size=3).map("\n".join),
    )


BODIES = st.recursive(LEAVES, _statements, max_leaves=12)

# -- contexts -----------------------------------------------------------------------------------

IDS = st.sampled_from(
    ["your-model", "introduction", "your-model", "introduction", "x", "Not An Id"]
)
NUMBERS = st.one_of(st.none(), st.integers(min_value=-(10**30), max_value=10**30))
CONTEXTS = st.fixed_dictionaries(
    {
        "client": st.fixed_dictionaries({"first_name": TEXT}),
        "therapist": st.fixed_dictionaries({"name": TEXT}),
    },
    optional={
        "module": st.none() | st.fixed_dictionaries({"id": IDS, "title": TEXT}),
        "exercises_done": st.lists(TEXT, max_size=40),
        "measure": st.none() | st.fixed_dictionaries({"id": IDS, "title": TEXT}),
        "latest_score": NUMBERS,
        "previous_score": NUMBERS,
        "change": st.sampled_from(
            [None, "reliable-improvement", "no-reliable-change", "reliable-deterioration", "up"]
        ),
        "days_since_login": NUMBERS,
    },
)
#: One context in ten has a field the context does not define.
CONTEXTS = st.tuples(CONTEXTS, st.integers(0, 9)).map(
    lambda pair: {**pair[0], "unknown_field": 1} if pair[1] == 7 else pair[0]
)
LOCALES = st.sampled_from(["en-GB", "de", "ar", "zh-Hant-HK", "cy", "not a locale"])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "programmes" / "demo" / "guidance").mkdir(parents=True)
    return root


_STARTED: list[float] = []


def _registered(found: list[Diagnostic]) -> None:
    for item in found:
        assert item.code in CODES, item
        assert "internal error" not in item.message, item
        assert item.file.startswith("programmes/demo/guidance/"), item


@seed(20261202)
@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(body=BODIES, context=CONTEXTS, locale=LOCALES)
def test_every_template_ends_in_a_message_or_diagnostics(
    project: Path, body: str, context: dict[str, Any], locale: str
) -> None:
    if not _STARTED:
        _STARTED.append(time.monotonic())
    if time.monotonic() - _STARTED[0] > BUDGET:
        return  # the time budget is spent: the remaining examples are not run
    path = project / "programmes" / "demo" / "guidance" / "fuzz.md"
    path.write_text(FRONT_MATTER + body, encoding="utf-8")
    template, problems = load_template(path, project)
    _registered(problems)
    if template is not None:
        _registered(check_template(template, sections=SECTIONS, modules=set(SECTIONS)))
    try:
        message = render_guidance(
            project, "demo", "fuzz", json.loads(json.dumps(context)), locale=locale
        )
    except ContentError as exc:
        assert exc.diagnostics, "a ContentError always says what is wrong"
        _registered([d for d in exc.diagnostics if d.file.startswith("programmes/")])
        assert all(d.code in CODES for d in exc.diagnostics)
        return
    assert isinstance(message.markdown, str) and isinstance(message.html, str)
    assert len(message.markdown) <= GUIDANCE_LIMITS.output_chars + 1
    assert "<script" not in message.html
