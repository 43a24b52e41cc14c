"""Runaway guidance templates end in a diagnostic at their line: in `icbt check`, in
`icbt guidance render` and in `render_guidance(...)`, never in a traceback, a hang or an
exhausted machine.

Each runaway template runs in a child process with a memory limit and a timeout, so that were a
limit missing the test would fail instead of taking the machine or the suite down with it.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from jinja2 import StrictUndefined

from icbt_content.guidance import check_body, render_guidance_template, validate_context
from icbt_content.guidance.failures import render_failure
from icbt_content.guidance.limits import (
    GUIDANCE_LIMITS,
    Limit,
    LimitExceeded,
    NotRendering,
    budget_for,
)
from icbt_content.guidance.sandbox import GuidanceSandbox, environment
from icbt_content.model.guidance import GuidanceTemplate

FRONT_MATTER = "---\ntitle: Runaway\nwhen: other\n---\n"  # the body starts on line 5
MEMORY = 1_500_000_000
SECONDS = 120
CONTEXT = {
    "client": {"first_name": "Alex"},
    "therapist": {"name": "Sam"},
    "exercises_done": ["A", "B", "C"],
    "latest_score": 12,
}

#: Runs in the child: check and render the template of each project given, print every
#: diagnostic as JSON (one child for many templates: each start imports the package again).
CHILD = """
import json, sys
from pathlib import Path
from icbt_content.diagnostics import ContentError
from icbt_content.guidance import check_template, load_template, render_guidance

context = json.loads(sys.argv[1])
found = {}
for name in sys.argv[2:]:
    project = Path(name)
    template, problems = load_template(project / "programmes/demo/guidance/message.md", project)
    assert template is not None, problems
    checked = [d.format() for d in check_template(template, sections={}, modules=set())]
    try:
        render_guidance(project, "demo", "message", context)
        rendered = []
    except ContentError as exc:
        rendered = [d.format() for d in exc.diagnostics]
    found[name] = {"check": checked, "render": rendered}
print(json.dumps(found))
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _project(root: Path, body: str) -> Path:
    path = root / "programmes" / "demo" / "guidance" / "message.md"
    path.parent.mkdir(parents=True)
    path.write_text(FRONT_MATTER + body, encoding="utf-8")
    return root


def _isolated(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        preexec_fn=_limit_memory,
        check=False,
    )


def _check_and_render(*projects: Path) -> dict[Path, dict[str, list[str]]]:
    """Check and render each project's template in one child: its diagnostics per stage."""
    names = [str(project) for project in projects]
    done = _isolated([sys.executable, "-c", CHILD, json.dumps(CONTEXT), *names])
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, dict[str, list[str]]] = json.loads(done.stdout)
    return {Path(name): result[name] for name in names}


def _doubling(step: str, start: str, times: int = 30) -> str:
    return f"Hello {{{{ client.first_name }}}},\n{{% set s = {start} %}}{step * times}{{{{ s }}}}\n"


def _nested(opening: str, closing: str, depth: int, inner: str = "x") -> str:
    return "Hello,\n" + opening * depth + inner + closing * depth + "\n"


RUNAWAYS = [
    pytest.param(
        _doubling("{% set s = s ~ s %}", '"0123456789abcdef"'), "ICBT516", 6, id="text-doubling"
    ),
    pytest.param(
        _doubling("{% set s = s + s %}", "[1, 2, 3, 4]"), "ICBT516", 6, id="list-doubling"
    ),
    pytest.param(
        _doubling('{% set s = [s, s]|join("") %}', '"0123456789abcdef"'),
        "ICBT516",
        6,
        id="join-doubling",
    ),
    pytest.param(
        _nested("{% for a in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] %}", "{% endfor %}", 9),
        "ICBT513",
        6,
        id="nested-loops",
    ),
    pytest.param(_nested("{% if true %}", "{% endif %}", 300), "ICBT514", 6, id="deep-if"),
    pytest.param(_nested("{{ ", " }}", 1, "(" * 300 + "1" + ")" * 300), "ICBT514", 6, id="parens"),
    pytest.param("Hello,\n{{ " + "-" * 2000 + "1 }}\n", "ICBT514", 6, id="unary-minus"),
    pytest.param("Hello,\n{{ 1" + " + 1" * 3000 + " }}\n", "ICBT514", 6, id="long-chain"),
    pytest.param("Hello,\n{{ " + "9" * 5000 + " }}\n", "ICBT515", 6, id="huge-literal"),
    pytest.param("Hello,\n{{ 99999999 * 99999999 * 99999999 }}\n", "ICBT515", 6, id="huge-product"),
    pytest.param("Hello,\n{{ '%999999999d' % 1 }}\n", "ICBT518", 6, id="huge-format-width"),
    pytest.param(
        "Hello,\n{% set f = '%0999999999d' %}{{ f % latest_score }}\n",
        "ICBT518",
        6,
        id="huge-width-at-run-time",
    ),
    pytest.param("Hello,\n{{ '%r' % client }}\n", "ICBT518", 6, id="repr-of-internals"),
    pytest.param(
        "Hello,\n{% for i in [" + ", ".join(["0"] * 300) + "] %}" + "x" * 1000 + "{% endfor %}\n",
        "ICBT512",
        6,
        id="long-output",
    ),
]


@pytest.fixture(scope="module")
def runaways_found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    """What checking and rendering found for every runaway, all run in one child."""
    root = tmp_path_factory.mktemp("runaways")
    projects = {case.id: _project(root / str(case.id), case.values[0]) for case in RUNAWAYS}
    found = _check_and_render(*projects.values())
    return {str(name): found[project] for name, project in projects.items()}


@pytest.mark.parametrize(("body", "code", "line"), RUNAWAYS)
def test_runaway_templates_end_in_a_diagnostic_at_their_line(
    body: str,
    code: str,
    line: int,
    request: pytest.FixtureRequest,
    runaways_found: dict[str, dict[str, list[str]]],
) -> None:
    found = runaways_found[request.node.callspec.id]
    place = f"programmes/demo/guidance/message.md:{line}:1: error:"
    for stage in ("check", "render"):
        assert len(found[stage]) == 1, (stage, found)
        shown = found[stage][0]
        assert shown.startswith(place), (stage, shown)
        assert f"[{code}]" in shown, (stage, shown)
        assert "internal error" not in shown and "Traceback" not in shown


def test_a_template_that_runs_out_of_time_is_stopped(tmp_path: Path) -> None:
    # Every step is within the other limits (9,900 iterations, texts of 81,920 characters), but
    # each iteration reworks the whole text 200 times: minutes of work, far over the 2 seconds.
    rework = "{% set t = s|upper %}" * 200
    body = (
        'Hello,\n{% set s = "0123456789" %}'
        + "{% set s = s ~ s %}" * 13
        + "\n{% for a in ["
        + ", ".join(["1"] * 100)
        + "] %}"
        "{% for b in [" + ", ".join(["1"] * 99) + "] %}" + rework + "{% endfor %}{% endfor %}\n"
    )
    project = _project(tmp_path, body)
    found = _check_and_render(project)[project]
    for stage in ("check", "render"):
        assert len(found[stage]) == 1 and "[ICBT517]" in found[stage][0], found
        assert found[stage][0].startswith("programmes/demo/guidance/message.md:7:1:"), found


def test_icbt_guidance_render_reports_a_runaway_template(tmp_path: Path) -> None:
    project = _project(
        tmp_path / "project",
        _nested("{% for a in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] %}", "{% endfor %}", 9),
    )
    context = tmp_path / "context.json"
    context.write_text(json.dumps(CONTEXT), encoding="utf-8")
    done = _isolated(
        [
            sys.executable,
            "-m",
            "icbt_content",
            "guidance",
            "render",
            "demo/message",
            "--context",
            str(context),
            "--project",
            str(project),
        ]
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "programmes/demo/guidance/message.md:6:1: error:" in done.stderr
    assert "[ICBT513]" in done.stderr
    assert "Traceback" not in done.stderr


def test_icbt_check_reports_a_runaway_template(basic_project: Path) -> None:
    path = basic_project / "programmes" / "demo" / "guidance" / "runaway.md"
    path.write_text(FRONT_MATTER + _doubling("{% set s = s ~ s %}", '"abcdefgh"'), "utf-8")
    done = _isolated(
        [sys.executable, "-m", "icbt_content", "check", "--project", str(basic_project)]
    )
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout + done.stderr
    assert "programmes/demo/guidance/runaway.md:6:1: error:" in out
    assert "[ICBT516]" in out
    assert "Traceback" not in out


# -- the limits themselves, in process ------------------------------------------------------------


def _template(body: str) -> GuidanceTemplate:
    return GuidanceTemplate(id="message", title="Message", body=body, body_line=5)


def test_a_runaway_translation_is_named_by_its_own_line() -> None:
    template = _template("Hello {{ client.first_name }}\n")
    translated = "Hallo\n" + "{% if true %}" * 300 + "x" + "{% endif %}" * 300 + "\n"
    found = check_body(template, translated)
    assert [(d.code, d.line) for d in found] == [("ICBT514", 5)]
    assert found[0].message.startswith("in the translation, line 2: ")


def test_a_runaway_translation_is_refused_by_its_trial_render() -> None:
    template = _template("Hello {{ client.first_name }}\n")
    translated = "Hallo\n" + _nested("{% for a in [1,2,3,4,5,6,7,8,9,10] %}", "{% endfor %}", 5)
    found = check_body(template, translated)
    assert [(d.code, d.line) for d in found] == [("ICBT513", 5)]


def test_ordinary_messages_are_within_every_limit() -> None:
    body = (
        "Hello {{ client.first_name }},\n"
        "{% for title in exercises_done %}{{ loop.index }}. {{ title|upper }} "
        '{{ plural(loop.index, "one", "{n} exercises") }}\n{% endfor %}'
        "{{ 'Score: %d (%.1f%%)' % (latest_score, latest_score / 27 * 100) }}\n"
        "{{ client.first_name ~ ' and ' ~ therapist.name }} {{ exercises_done|join(', ') }}\n"
        "{{ latest_score * 2 + 1 - 3 // 2 }}\n"
    )
    context = validate_context(CONTEXT)
    assert check_body(_template(body)) == []
    message = render_guidance_template(
        _template(body), context, section_url=lambda m, a: f"{m}/#{a}"
    ).markdown
    assert "1. A one" in message and "3. C 3 exercises" in message
    assert "Score\\: 12 \\(44\\.4\\%\\)" in message
    assert "Alex and Sam A, B, C" in message
    assert "24" in message


def test_the_time_limit_names_the_line_it_stopped_at() -> None:
    env = GuidanceSandbox(
        replace(GUIDANCE_LIMITS, seconds=0.0), autoescape=True, undefined=StrictUndefined
    )
    env.globals.clear()
    source = "Hello\n{% for a in [1, 2, 3] %}{{ a }}{% endfor %}\n"
    with pytest.raises(LimitExceeded) as caught:
        env.from_string(source).render()
    assert caught.value.limit is Limit.TIME
    found = render_failure(caught.value, "guidance/x.md", 5, translated=False)
    assert (found.code, found.line) == ("ICBT517", 6)


def test_nothing_runs_outside_a_render() -> None:
    # Constant folding while compiling would run the template outside its limits: every hook
    # refuses to run without a render's budget, so Jinja leaves the work to render time.
    env = environment()
    with pytest.raises(NotRendering):
        env.call_binop(None, "%", "%999999999d", 1)  # type: ignore[arg-type]
    code = env.compile("{{ '%999999999d' % 1 }}{{ 'a' ~ 'b' }}{{ [1, 2]|join }}", raw=True)
    assert "999999999d" in code and "call_binop" in code and "join_text" in code


def test_a_render_inside_a_render_shares_its_budget() -> None:
    with budget_for(GUIDANCE_LIMITS) as outer, budget_for(GUIDANCE_LIMITS) as inner:
        assert inner is outer


def test_runaway_is_isolated_from_other_renders() -> None:
    # One message hitting the loop limit does not use up the next message's budget.
    env = environment()
    body = "{% for a in [1,2,3,4,5,6,7,8,9,10] %}" * 5 + "x" + "{% endfor %}" * 5
    with pytest.raises(LimitExceeded):
        env.from_string(body).render()
    assert env.from_string("{% for a in [1, 2] %}{{ a }}{% endfor %}").render() == "12"
