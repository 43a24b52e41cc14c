"""Guidance templates through the public API: loading, contexts, plurals, the sandbox, previews."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import TemplateError
from markdown_it.common.utils import escapeHtml

from icbt_content.diagnostics import ContentError
from icbt_content.guidance import (
    check_template,
    default_section_url,
    load_context,
    load_guidance,
    markdown_text,
    render_guidance,
    render_guidance_template,
    validate_context,
)
from icbt_content.guidance.sandbox import (
    GuidanceSandbox,
    environment,
    make_helpers,
    parse_locale,
    template_variables,
)
from icbt_content.model.guidance import GuidanceContext, GuidanceTemplate

WELCOME = """\
---
title: Welcome
when: welcome
module: introduction
---

Hello {{ client.first_name }},

I'm {{ therapist.name }}.
{% if days_since_login is not none and days_since_login > 7 %}It's been a while.{% endif %}
"""

CONTEXT: dict[str, Any] = {
    "client": {"first_name": "Sam"},
    "therapist": {"name": "Alex Morgan"},
    "days_since_login": 9,
}


def _template(body: str, **fields: Any) -> GuidanceTemplate:
    return GuidanceTemplate(id="message", title="Message", body=body, body_line=5, **fields)


def _context(**changes: Any) -> GuidanceContext:
    return validate_context({**CONTEXT, **changes})


def _codes(error: pytest.ExceptionInfo[ContentError]) -> list[str]:
    return [d.code for d in error.value.diagnostics]


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


# Loading


def test_load_guidance_reads_every_template_in_name_order(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "programmes/demo/guidance/welcome.md": WELCOME,
            "programmes/demo/guidance/overdue.md": "---\ntitle: Overdue\nwhen: overdue\n---\nHi",
            "programmes/demo/guidance/notes.txt": "not a template",
        },
    )
    templates, problems = load_guidance(project / "programmes/demo/guidance", project)
    assert problems == []
    assert [t.id for t in templates] == ["overdue", "welcome"]
    welcome = templates[1]
    assert welcome.when == "welcome"
    assert welcome.module == "introduction"
    assert welcome.body_line == 6
    assert welcome.body.splitlines()[1] == "Hello {{ client.first_name }},"
    assert welcome.field_lines == {"title": 2, "when": 3, "module": 4}
    assert welcome.source is not None
    assert welcome.source.file == "programmes/demo/guidance/welcome.md"


def test_load_guidance_keeps_good_templates_and_reports_bad_ones(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "programmes/demo/guidance/welcome.md": WELCOME,
            "programmes/demo/guidance/Bad Name.md": WELCOME,
            "programmes/demo/guidance/broken.md": "---\ntitle: x\nwhen: never\n---\nHi",
        },
    )
    templates, problems = load_guidance(project / "programmes/demo/guidance", project)
    assert [t.id for t in templates] == ["welcome"]
    assert [(d.file, d.line, d.code) for d in problems] == [
        ("programmes/demo/guidance/Bad Name.md", 1, "ICBT202"),
        ("programmes/demo/guidance/broken.md", 3, "ICBT104"),
    ]


def test_load_guidance_without_a_folder_finds_nothing(tmp_path: Path) -> None:
    assert load_guidance(tmp_path / "guidance", tmp_path) == ([], [])


# Contexts


def test_load_context_reads_json(tmp_path: Path) -> None:
    path = tmp_path / "context.json"
    path.write_text(json.dumps({**CONTEXT, "exercises_done": ["A recent time"]}))
    context = load_context(path)
    assert context.client.first_name == "Sam"
    assert context.exercises_done == ["A recent time"]
    assert context.module is None


def test_load_context_reports_misspelt_keys_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "context.json"
    path.write_text(
        '{\n  "client": {"first_name": "Sam"},\n  "therapist": {"name": "Alex"},\n'
        '  "days_since_logon": 3\n}\n'
    )
    with pytest.raises(ContentError) as caught:
        load_context(path, "context.json")
    [problem] = caught.value.diagnostics
    assert (problem.file, problem.line, problem.code) == ("context.json", 4, "ICBT102")
    assert problem.hint == "did you mean 'days_since_login'?"


def test_load_context_reports_nested_problems_and_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "context.json"
    path.write_text(
        '{\n  "client": {\n    "frist_name": "Sam"\n  },\n  "therapist": {"name": 1}\n}'
    )
    with pytest.raises(ContentError) as caught:
        load_context(path, "context.json")
    found = {(d.line, d.code) for d in caught.value.diagnostics}
    assert {(3, "ICBT102"), (5, "ICBT104")} <= found
    path.write_text('{\n  "client": {"first_name": "Sam"},\n}')
    with pytest.raises(ContentError) as caught:
        load_context(path, "context.json")
    assert [(d.line, d.code) for d in caught.value.diagnostics] == [(3, "ICBT104")]


def test_validate_context_refuses_unknown_change_category() -> None:
    with pytest.raises(ContentError) as caught:
        validate_context({**CONTEXT, "change": "better"})
    assert _codes(caught) == ["ICBT104"]


# Plurals and translated bodies


@pytest.mark.parametrize(
    ("locale", "n", "forms", "expected"),
    [
        ("en-GB", 1, ("one exercise", "{n} exercises"), "one exercise"),
        ("en-GB", 0, ("one exercise", "{n} exercises"), "0 exercises"),
        ("en-GB", 2, ("one exercise", "{n} exercises"), "2 exercises"),
        ("de", 1000, ("eine Übung", "{n} Übungen"), "1.000 Übungen"),
        ("pl", 1, ("{n} ćwiczenie", "{n} ćwiczenia", "{n} ćwiczeń"), "1 ćwiczenie"),
        ("pl", 3, ("{n} ćwiczenie", "{n} ćwiczenia", "{n} ćwiczeń"), "3 ćwiczenia"),
        ("pl", 5, ("{n} ćwiczenie", "{n} ćwiczenia", "{n} ćwiczeń"), "5 ćwiczeń"),
        ("pl", 12, ("{n} ćwiczenie", "{n} ćwiczenia", "{n} ćwiczeń"), "12 ćwiczeń"),
        ("pl", 22, ("{n} ćwiczenie", "{n} ćwiczenia", "{n} ćwiczeń"), "22 ćwiczenia"),
        ("ar", 0, ("zero", "one", "two", "few", "many", "other"), "zero"),
        ("ar", 2, ("zero", "one", "two", "few", "many", "other"), "two"),
        ("ar", 5, ("zero", "one", "two", "few", "many", "other"), "few"),
        ("ar", 11, ("zero", "one", "two", "few", "many", "other"), "many"),
        ("ar", 100, ("zero", "one", "two", "few", "many", "other"), "other"),
        ("ja", 1, ("{n}個の練習",), "1個の練習"),
        # An untranslated English body in a three-form locale falls back to the last form.
        ("pl", 5, ("one exercise", "{n} exercises"), "5 exercises"),
    ],
)
def test_plural_follows_the_locale_rules(
    locale: str, n: int, forms: tuple[str, ...], expected: str
) -> None:
    body = "{{ plural(latest_score, " + ", ".join(json.dumps(f) for f in forms) + ") }}"
    template = _template("{{ latest_score }}")
    message = render_guidance_template(
        template,
        _context(latest_score=n),
        section_url=default_section_url,
        locale=locale,
        body=body,
    )
    assert message.markdown == markdown_text(expected) + "\n"  # printed values are text
    assert message.html == f"<p>{expected}</p>\n"
    assert message.locale == locale


def test_plural_forms_are_plain_text() -> None:
    body = '{{ plural(2, "one *exercise*", "{n} *exercises*") }}'
    message = render_guidance_template(_template(body), _context(), section_url=default_section_url)
    assert message.html == "<p>2 *exercises*</p>\n"


def test_a_translated_body_replaces_the_source_one() -> None:
    template = _template("Hello {{ client.first_name }}!")
    message = render_guidance_template(
        template,
        _context(),
        section_url=default_section_url,
        locale="de",
        body="Hallo {{ client.first_name }}!",
    )
    assert message.markdown == "Hallo Sam!\n"


def test_a_translated_body_is_checked_and_named_in_diagnostics() -> None:
    template = _template("Hello {{ client.first_name }}!")
    body = "Hallo\n{{ client.vorname }} {{ client.__class__ }}"
    problems = check_template(template, sections={}, modules=set(), body=body)
    assert [(d.line, d.code, d.message) for d in problems] == [
        (5, "ICBT502", "in the translation, line 2: 'client' has no field 'vorname'"),
        (5, "ICBT503", "in the translation, line 2: '__class__' reaches into Python internals"),
    ]
    with pytest.raises(ContentError) as caught:
        render_guidance_template(template, _context(), section_url=default_section_url, body=body)
    assert _codes(caught) == ["ICBT502", "ICBT503"]


# Links back to sections


def test_section_link_uses_the_given_urls() -> None:
    urls = {("your-model", "self-focus"): "../de/your-model/self-focus/#self-focus"}
    body = '[look back]({{ section_link("your-model", "self-focus") }})'
    message = render_guidance_template(
        _template(body), _context(), section_url=lambda m, a: urls[(m, a)]
    )
    assert message.html == (
        '<p><a href="../de/your-model/self-focus/#self-focus">look back</a></p>\n'
    )
    body = '[look back]({{ section_link("your-model", "gone") }})'
    with pytest.raises(ContentError) as caught:
        render_guidance_template(_template(body), _context(), section_url=lambda m, a: urls[(m, a)])
    assert _codes(caught) == ["ICBT507"]


def test_section_link_cannot_break_out_of_the_link() -> None:
    body = '[look back]({{ section_link("your-model", "self-focus") }})'
    message = render_guidance_template(
        _template(body), _context(), section_url=lambda m, a: f"{m} (x)<b>/#{a}"
    )
    assert message.markdown == "[look back](your-model%20%28x%29%3Cb%3E/#self-focus)\n"
    with pytest.raises(ContentError) as caught:
        render_guidance_template(
            _template(body), _context(), section_url=lambda m, a: "javascript:alert(1)"
        )
    assert _codes(caught) == ["ICBT503"]


# The sandbox


ESCAPES = [
    "{{ client.__class__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ client.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self }}",
    "{{ range(10) }}",
    "{{ client.model_dump() }}",
    "{{ client.model_config }}",
    '{{ "{0.__class__}".format(client) }}',
    "{{ exercises_done.append }}",
    "{{ section_link.__call__ }}",
    '{% for x in exercises_done %}{{ loop.cycle("a", "b") }}{% endfor %}',
    "{{ 10 ** 10 ** 10 }}",
    '{{ "x" * 100 }}',
    '{{ client|attr("__class__") }}',
    '{{ client.first_name|format("%s") }}',
]


@pytest.mark.parametrize("body", ESCAPES)
def test_escape_attempts_fail_with_a_diagnostic_and_never_render(
    body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = _template(body)
    assert any(
        d.code.startswith("ICBT5") for d in check_template(template, sections={}, modules=set())
    )

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template that failed its check was compiled")

    monkeypatch.setattr(GuidanceSandbox, "from_string", refuse)
    with pytest.raises(ContentError) as caught:
        render_guidance_template(template, _context(), section_url=default_section_url)
    assert all(code.startswith("ICBT5") for code in _codes(caught))


@pytest.mark.parametrize("body", ESCAPES)
def test_the_sandbox_refuses_escapes_even_unchecked(body: str) -> None:
    helpers = make_helpers(parse_locale("en-GB"), default_section_url)
    variables = template_variables(_context(exercises_done=["a"]), helpers)
    with pytest.raises(TemplateError):
        environment().from_string(body).render(variables)


def test_the_sandbox_has_no_globals_and_few_filters() -> None:
    env = environment()
    assert env.globals == {}
    assert set(env.filters) == {
        "abs", "capitalize", "default", "first", "int", "join", "last", "length", "lower",
        "round", "title", "trim", "upper",
    }  # fmt: skip
    assert env.autoescape is True


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_name_is_shown_as_typed_and_never_as_markup(name: str) -> None:
    context = GuidanceContext.model_validate({**CONTEXT, "client": {"first_name": name}})
    message = render_guidance_template(
        _template("Hello {{ client.first_name }}!"), context, section_url=default_section_url
    )
    # What the reader sees: the name with controls dropped and spaces collapsed, nothing else.
    shown = re.sub(r"\\(.)", r"\1", markdown_text(name))
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        shown = shown.replace(entity, char)
    assert message.html == f"<p>Hello {escapeHtml(shown)}!</p>\n"
    assert "<a" not in message.html
    assert "<img" not in message.html
    assert "<script" not in message.html


def test_markdown_text_escapes_markup_and_keeps_words() -> None:
    assert markdown_text("Mary-Jane O'Brien") == "Mary\\-Jane O'Brien"
    assert markdown_text("[x](javascript:alert(1))") == "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"
    assert markdown_text("<b>&</b>") == "&lt;b&gt;&amp;&lt;\\/b&gt;"
    assert markdown_text("a\n\n# b\u202e") == "a \\# b"


# Previews from a project folder


def _demo_project(tmp_path: Path, locale: str = "de") -> Path:
    return _project(
        tmp_path,
        {
            "programmes/demo/programme.yaml": f"id: demo\nsource_locale: {locale}\n",
            "programmes/demo/guidance/welcome.md": WELCOME,
            "programmes/demo/guidance/progress.md": (
                "---\ntitle: Progress\nwhen: module-complete\n---\n\n"
                '{{ plural(latest_score, "one point", "{n} points") }}, '
                '[look back]({{ section_link("your-model", "self-focus") }})\n'
            ),
        },
    )


def test_render_guidance_previews_a_message(tmp_path: Path) -> None:
    project = _demo_project(tmp_path)
    message = render_guidance(project, "demo", "welcome", CONTEXT)
    assert message.template_id == "welcome"
    assert message.title == "Welcome"
    assert message.markdown == "Hello Sam,\n\nI'm Alex Morgan.\nIt's been a while.\n"
    assert message.html == "<p>Hello Sam,</p>\n<p>I'm Alex Morgan.\nIt's been a while.</p>\n"


def test_render_guidance_uses_the_programme_locale_and_default_urls(tmp_path: Path) -> None:
    project = _demo_project(tmp_path, locale="de")
    context = {**CONTEXT, "latest_score": 1500}
    message = render_guidance(project, "demo", "progress", context)
    assert message.locale == "de"
    assert message.markdown == "1\\.500 points, [look back](your-model/#self-focus)\n"
    # No English catalog: the German source, formatted as German, and marked as not translated.
    message = render_guidance(project, "demo", "progress", context, locale="en-GB")
    assert (message.locale, message.requested_locale, message.translated) == ("de", "en-GB", False)
    assert message.markdown.startswith("1\\.500 points")


@pytest.mark.parametrize(
    ("programme", "template", "context", "locale", "code"),
    [
        ("demo", "welcom", CONTEXT, None, "ICBT106"),
        ("demo", "../../etc/passwd", CONTEXT, None, "ICBT202"),
        ("../demo", "welcome", CONTEXT, None, "ICBT202"),
        ("demo", "welcome", {**CONTEXT, "clinet": {}}, None, "ICBT102"),
        ("demo", "welcome", {"client": {"first_name": "Sam"}}, None, "ICBT103"),
        ("demo", "welcome", CONTEXT, "xx-!!", "ICBT104"),
        ("demo", "welcome", CONTEXT, "zz", "ICBT104"),
    ],
)
def test_render_guidance_reports_problems(
    tmp_path: Path,
    programme: str,
    template: str,
    context: dict[str, Any],
    locale: str | None,
    code: str,
) -> None:
    project = _demo_project(tmp_path)
    with pytest.raises(ContentError) as caught:
        render_guidance(project, programme, template, context, locale=locale)
    assert _codes(caught) == [code]


def test_render_guidance_suggests_the_closest_template(tmp_path: Path) -> None:
    project = _demo_project(tmp_path)
    with pytest.raises(ContentError) as caught:
        render_guidance(project, "demo", "welcom", CONTEXT)
    assert caught.value.diagnostics[0].hint == "did you mean 'welcome'?"


def test_check_template_accepts_a_good_template_and_its_module() -> None:
    template = _template(
        'Hi {{ client.first_name }}, [back]({{ section_link("your-model", "self-focus") }})',
        module="your-model",
        field_lines={"module": 4},
    )
    sections = {"your-model": {"self-focus"}}
    assert check_template(template, sections=sections, modules={"your-model"}) == []
    [problem] = check_template(template, sections=sections, modules={"introduction"})
    assert (problem.line, problem.code) == (4, "ICBT203")
