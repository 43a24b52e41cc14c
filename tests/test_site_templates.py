"""Site templates a project overrides (`templates/`) run in the sandbox, within limits.

A template in the project came with the content: it must not run code at build time, read
internals or files outside the project, or exhaust the machine. Each refusal is a diagnostic at
the override's file and line; an honest override still works.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from icbt_content import build_site
from icbt_content.render.environment import (
    TEMPLATE_FILE_BYTES,
    SiteSandbox,
    make_environment,
)

HOME = "templates/home.html"


def _override(project: Path, body: str, name: str = "home.html") -> Path:
    """Write a home page override whose block starts on line 3."""
    folder = project / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(
        '{% extends "base.html" %}\n{% block main %}\n' + body + "\n{% endblock %}\n",
        encoding="utf-8",
    )
    return path


def _diagnostics(project: Path) -> tuple[bool, list[str]]:
    report = build_site(project, project / "site")
    return report.ok, [d.format() for d in report.diagnostics]


ESCAPES = [
    pytest.param("{{ ''.__class__.__mro__ }}", id="mro"),
    pytest.param("{{ ''.__class__.__mro__[1].__subclasses__() }}", id="subclasses"),
    pytest.param("{{ cycler.__init__.__globals__ }}", id="cycler-globals"),
    pytest.param("{{ joiner.__init__.__globals__.os }}", id="joiner-globals"),
    pytest.param("{{ namespace.__init__.__globals__ }}", id="namespace-globals"),
    pytest.param("{{ (programme|attr('__class__')).__mro__ }}", id="attr-filter"),
    pytest.param("{{ programme.parse_file('/etc/passwd') }}", id="model-reads-a-file"),
    pytest.param("{{ programme.model_dump_json() }}", id="model-machinery"),
    pytest.param("{{ locale.babel }}", id="unlisted-property"),
    pytest.param("{{ '{0.__class__}'.format(programme) }}", id="format-reaches-attributes"),
    pytest.param("{{ '%r' % programme }}", id="percent-repr"),
    pytest.param("{{ '%s' % programme }}", id="percent-object"),
    pytest.param("{{ '%s'|format(programme) }}", id="format-filter-object"),
    pytest.param("{{ ''.center(1000) }}", id="unlisted-text-method"),
    pytest.param("{{ urls.pop('home') }}", id="mutation"),
]


@pytest.mark.parametrize("body", ESCAPES)
def test_an_override_cannot_reach_internals(basic_project: Path, body: str) -> None:
    _override(basic_project, body)
    ok, found = _diagnostics(basic_project)
    assert not ok
    assert len(found) == 1, found
    assert found[0].startswith(f"{HOME}:3:1: error: the template tried something not allowed")
    assert found[0].split("\n")[0].endswith("[ICBT715]"), found


def test_an_override_cannot_run_code_at_build_time(basic_project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    _override(
        basic_project,
        "{{ cycler.__init__.__globals__.os.popen('touch " + marker.as_posix() + "').read() }}",
    )
    ok, found = _diagnostics(basic_project)
    assert not ok
    assert not marker.exists()
    assert found[0].startswith(f"{HOME}:3:1: error:") and "[ICBT715]" in found[0]


def test_an_honest_override_still_works(basic_project: Path) -> None:
    _override(
        basic_project,
        "\n".join(
            [
                "{{ super() }}",
                '{% import "blocks/fields.html" as fields %}',
                "{% macro badge(text) %}<b>{{ text|upper }}</b>{% endmacro %}",
                '<p id="own">{{ badge(programme.title) }}',
                '{{ fill(_("Module {module} of {modules}"), module=1, modules=2) }}',
                '{{ "%s has %d modules"|format(programme.title, programme.modules|length) }}',
                '{{ "%.1f%%" % 12.345 }} {{ "{} ({})".format(locale.code, locale.direction) }}',
                "{{ locale.format_number(1234) }} {{ programme.title.replace(' ', '-') }}",
                "{% set ns = namespace(count=0) %}{% for m in programme.modules %}"
                "{% set ns.count = ns.count + m.pages|length %}"
                '{{ loop.index }}:{{ m.title }}{{ loop.cycle(",", ";") }}{% endfor %}',
                "pages={{ ns.count }} {{ range(3)|join('-') }} {{ 'a' ~ 'b' }}"
                " {{ nav|map(attribute='title')|join(', ') }}</p>",
            ]
        ),
    )
    ok, found = _diagnostics(basic_project)
    assert ok, found
    html = (basic_project / "site/demo/en-GB/index.html").read_text(encoding="utf-8")
    own = html[html.index('<p id="own">') :]
    own = own[: own.index("</p>")]
    assert "<b>DEMO PROGRAMME</b>" in own
    assert "Module 1 of 2" in own
    assert "Demo programme has 2 modules" in own
    assert "12.3% en-GB (ltr)" in own
    assert "1,234 Demo-programme" in own
    assert "pages=3 0-1-2 ab" in own
    assert "1:" in own and "2:" in own
    # The package's base page is still there around the override.
    assert "Skip to main content" in html and "Need help now?" in html


def test_an_override_is_read_only_from_inside_the_project(
    basic_project: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    _override(basic_project, '{% include "key.html" %}')
    (basic_project / "templates" / "key.html").symlink_to(secret)
    ok, found = _diagnostics(basic_project)
    assert not ok
    assert found == [
        "templates/key.html:1:1: error: the site template 'key.html' is a link to a file outside "
        "the project's templates folder [ICBT717]\n"
        "    hint: copy the template into templates/ instead of linking to it"
    ]
    assert not (basic_project / "site").exists() or "PRIVATE KEY" not in "".join(
        p.read_text(errors="replace") for p in (basic_project / "site").rglob("*.html")
    )


def test_an_override_too_large_to_be_a_template_is_refused(basic_project: Path) -> None:
    _override(basic_project, "x" * (TEMPLATE_FILE_BYTES + 1))
    ok, found = _diagnostics(basic_project)
    assert not ok
    assert found[0].startswith(f"{HOME}:1:1: error:") and "[ICBT716]" in found[0]


def test_an_override_with_a_syntax_error_is_named_inside_the_project(
    basic_project: Path,
) -> None:
    _override(basic_project, "{% if programme %}")
    ok, found = _diagnostics(basic_project)
    assert not ok
    assert found[0].startswith(f"{HOME}:4:1: error: template error:"), found
    assert "[ICBT702]" in found[0]


def test_site_templates_run_in_the_sandbox() -> None:
    env = make_environment()
    assert isinstance(env, SiteSandbox)
    assert "lipsum" not in env.globals
    assert {"center", "indent", "wordwrap", "pprint", "random"}.isdisjoint(env.filters)


# -- runaway overrides: in a child process with a memory limit and a timeout ----------------------

MEMORY = 2_000_000_000
#: Builds each project given, one after the other (one child for all: each start imports the
#: package again); prints what each build found as JSON.
CHILD = """
import json, sys
from icbt_content import build_site
found = {}
for project in sys.argv[1:]:
    report = build_site(project, project + "/site")
    found[project] = {"ok": report.ok, "found": [d.format() for d in report.diagnostics]}
print(json.dumps(found))
"""
BASIC = Path(__file__).parent / "fixtures" / "projects" / "basic"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


RUNAWAYS = [
    pytest.param(
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        "ICBT716",
        id="nested-loops",
    ),
    pytest.param(
        "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(1) }}",
        "ICBT716",
        id="recursion",
    ),
    pytest.param(
        '{% set ns = namespace(s="ab") %}{% for i in range(60) %}'
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "ICBT716",
        id="text-doubling",
    ),
    pytest.param("{{ 'x' * 10 ** 10 }}", "ICBT716", id="repetition"),
    pytest.param("{{ 10 ** 10 ** 10 }}", "ICBT716", id="power"),
    pytest.param("{{ ('x' * 100).replace('', 'y' * 1000000) }}", "ICBT716", id="replace"),
    pytest.param("{{ range(9)|batch(10000000000, 'x')|list }}", "ICBT716", id="batch"),
    pytest.param("{{ range(1000000)|list|length }}", "ICBT716", id="range"),
    pytest.param("{{ range(10 ** 16)|length }}", "ICBT716", id="range-of-huge-number"),
    pytest.param("{{ " + "(" * 300 + "1" + ")" * 300 + " }}", "ICBT716", id="deep-parens"),
    pytest.param("{% if true %}" * 300 + "{% endif %}" * 300, "ICBT716", id="deep-if"),
    pytest.param("{{ '%0999999999d' % 1 }}", "ICBT715", id="format-width"),
    pytest.param("{{ '{:>999999999}'.format(1) }}", "ICBT715", id="str-format-width"),
]


@pytest.fixture(scope="module")
def runaway_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """What building the basic project with each runaway override found, all in one child."""
    root = tmp_path_factory.mktemp("runaways")
    projects: dict[str, str] = {}
    for case in RUNAWAYS:
        project = root / str(case.id)
        shutil.copytree(BASIC, project)
        _override(project, str(case.values[0]))
        projects[str(case.id)] = str(project)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *projects.values()],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    built: dict[str, dict[str, Any]] = json.loads(done.stdout)
    return {name: built[project] for name, project in projects.items()}


@pytest.mark.parametrize(("body", "code"), RUNAWAYS)
def test_a_runaway_override_ends_in_a_diagnostic_at_its_line(
    body: str,
    code: str,
    request: pytest.FixtureRequest,
    runaway_builds: dict[str, dict[str, Any]],
) -> None:
    result = runaway_builds[request.node.callspec.id]
    assert not result["ok"]
    found = result["found"]
    assert len(found) == 1, found
    assert found[0].startswith(f"{HOME}:3:1: error:"), found
    assert found[0].split("\n")[0].endswith(f"[{code}]"), found
