"""The site's scripts: ES modules fed by the page, with no wording and no storage key of their own.

The build writes, into every page, one JSON element of page data (the key scheme from
``icbt_content.ids``, the schemas of saved records) and one of translated messages; the scripts
hold neither an English sentence nor a key, so Python and JavaScript cannot disagree.
"""

from __future__ import annotations

import ast
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, PackageLoader, StrictUndefined

from icbt_content import build_site
from icbt_content.ids import STORAGE_ROOT, storage_keys
from icbt_content.render.language import LANGUAGE_FILTERS
from icbt_content.render.records import programme_records

REPO = Path(__file__).parent.parent
STATIC = REPO / "src" / "icbt_content" / "render" / "static"
#: Every page's scripts, and a connected site's (loop/: deploy.yaml `connection: fhir`).
SCRIPTS = sorted(STATIC.glob("*.js")) + sorted(STATIC.glob("loop/*.js"))
TEMPLATES = resources.files("icbt_content.render") / "templates"


def english_messages(connection: str = "none") -> dict[str, Any]:
    """The messages element as an untranslated page has it (of a site with ``connection``; a
    plural message as its forms)."""
    env = Environment(
        loader=PackageLoader("icbt_content.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
    )
    env.globals["_"] = lambda text: text
    env.globals["plural_forms"] = lambda one, other: {"one": one, "other": other}
    env.filters.update(LANGUAGE_FILTERS)
    env.globals["fill"] = lambda text, **values: text
    service = {"name": "Example Talking Therapies", "contact": "0300", "response": "a day"}
    html = env.get_template("script_data.html").render(
        page_data={}, connection=connection, service=service
    )
    found = re.search(r"data-icbt-messages>(.*?)</script>", html, re.DOTALL)
    assert found is not None
    messages: dict[str, Any] = json.loads(found.group(1))
    return messages


def english_texts(connection: str = "none") -> list[str]:
    """Every text of the messages element, each form of a plural message included."""
    return [
        text
        for value in english_messages(connection).values()
        for text in (value.values() if isinstance(value, dict) else [value])
    ]


def script_data(html: str, name: str) -> Any:
    found = re.findall(rf'<script type="application/json" data-icbt-{name}>(.*?)</script>', html)
    assert len(found) == 1, f"{len(found)} data-icbt-{name} elements"
    return json.loads(found[0])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_wording_in_the_scripts(script: Path) -> None:
    source = script.read_text(encoding="utf-8")
    copied = [
        text
        for text in english_texts("fhir")
        if any(f"{quote}{text}{quote}" in source for quote in "\"'`")
        or (len(text.split()) > 2 and text in source)
    ]
    assert not copied, f"{script.name} holds interface text; put it in script_data.html"


def test_the_page_has_every_message_the_scripts_show_and_no_other() -> None:
    asked = set()
    for script in SCRIPTS:
        source = script.read_text(encoding="utf-8")
        asked |= set(re.findall(r'message\(\s*"(\w+)"', source))
        # message(cond ? "a" : "b") and message(found.reason, ...) name theirs in strings
        for call in re.findall(r"message\(([^;]*?)\)", source):
            asked |= set(re.findall(r'"(\w+)"', call)) - {"programme"}
        # showMessage(name, element), markLanguage(name, element), setStatus(name): name first
        for first in re.findall(r"(?:showMessage|markLanguage|setStatus)\(([^,)]*)", source):
            asked |= set(re.findall(r'"(\w+)"', first))
    reasons = {"badFile", "notLoaded", "noneForProgramme"}  # answers.js readFile(...).reason
    shown = set(english_messages("fhir"))
    assert asked | reasons == shown, (asked | reasons) ^ shown


#: A global made by a script: a property of the window set, or a top-level ``var`` (a module's
#: own ``const`` and ``let`` stay in the module).
_GLOBAL = re.compile(r"\b(?:window|globalThis|self)\.\w+\s*=(?!=)|^var\s", re.MULTILINE)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_scripts_make_no_globals(script: Path) -> None:
    assert not _GLOBAL.findall(script.read_text(encoding="utf-8"))


def test_the_templates_load_our_scripts_as_modules() -> None:
    tags = [
        tag
        for template in TEMPLATES.iterdir()
        if template.is_file()
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", template.read_text(encoding="utf-8"))
        if "vendor/" not in tag  # a library that is not ours, loaded as its authors ship it
    ]
    assert tags and all('type="module"' in tag for tag in tags), tags


#: A measure's scoring rules as its JSON names them (the fields tests/test_architecture.py keeps
#: to measures/scoring.py in Python); ``.reverse(`` is an array's own method.
_SCORING_RULE = re.compile(r"\.(?:reverse(?!\s*\()|reliable_change|max_missing)\b")


def test_scores_are_worked_out_only_in_scoring_js() -> None:
    readers = [script.name for script in SCRIPTS if _SCORING_RULE.search(script.read_text("utf-8"))]
    assert readers == ["scoring.js"]


def test_the_key_scheme_is_spelt_only_in_ids() -> None:
    root = STORAGE_ROOT.rstrip("/")
    for script in SCRIPTS:
        assert root not in script.read_text(encoding="utf-8"), script.name
    for template in TEMPLATES.iterdir():
        if template.is_file():
            assert root not in template.read_text(encoding="utf-8"), template.name
    # In Python only ids.py spells it, whole or in parts (a key split at its slashes).
    parts = set(root.split("/"))
    for module in sorted((REPO / "src" / "icbt_content").rglob("*.py")):
        if module.name == "ids.py" and module.parent.name == "icbt_content":
            continue
        strings = {
            node.value
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        spelt = {s for s in strings if root in s or s in parts - {"icbt"}}
        assert not spelt, f"{module.relative_to(REPO)} spells the storage root: {spelt}"


def test_pages_load_one_module_and_carry_their_data(basic_project: Path) -> None:
    site = basic_project / "site"
    report = build_site(basic_project, site)
    assert report.ok
    assert not list(site.rglob("modules.js"))
    pages = [p for p in site.rglob("index.html") if p.parent != site]
    assert len(pages) > 5
    for path in pages:
        html = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b[^>]*>", html)
        loaded = [s for s in scripts if "application/json" not in s]
        assert len(loaded) == 1 and re.fullmatch(
            r'<script type="module" src="(\.\./)*assets/icbt\.js">', loaded[0]
        ), (path, loaded)
        data = script_data(html, "page")
        assert data["storage"] == storage_keys("demo")
        assert data["programme"] == {"id": "demo", "title": "Demo programme"}
        assert script_data(html, "messages") == english_messages()
    welcome = (site / "demo/en-GB/start/welcome/index.html").read_text(encoding="utf-8")
    data = script_data(welcome, "page")
    assert data["page"] == "start/welcome" and data["module"] == "start"
    assert sorted(data["records"]) == [
        "icbt/v1/demo/exercise/habits",
        "icbt/v1/demo/exercise/mood-now",
        "icbt/v1/demo/progress",
    ]
    answers = script_data((site / "demo/en-GB/answers/index.html").read_text("utf-8"), "page")
    from icbt_content import load_programme

    programme = load_programme(basic_project / "programmes/demo")
    assert answers["records"] == json.loads(json.dumps(programme_records(programme)))
    assert answers["file"]["properties"]["format"] == {"const": "icbt-answers"}


def test_translated_pages_carry_translated_messages(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(REPO / "tests/fixtures/i18n/project", project)
    assert build_site(project, project / "site").ok
    html = (project / "site/demo/ar/start/welcome/index.html").read_text(encoding="utf-8")
    messages = script_data(html, "messages")
    assert messages.keys() == english_messages().keys()
    assert messages["saved"] != english_messages()["saved"]
    assert re.search("[\u0600-\u06ff]", messages["saved"])
