"""One exercise or questionnaire in any page of an MkDocs site, with an ``icbt`` fenced block."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect
from plugin_helpers import Built, build_mkdocs, write_host

from icbt_content.contrib.single import find_requests

PLUGIN = """\
site_name: Our service
theme:
  name: mkdocs
  highlightjs: false  # the theme loads it from a CDN, which the tests cannot reach
plugins:
  - search
  - icbt:
      programme: programmes/mini
      path_prefix: therapy/mini
"""

GUIDE = """\
# A guide to low mood

Many people notice their mood changes through the day.

```icbt
programme: mini
exercise: habits
```

Once a fortnight, check how you have been:

```icbt
programme: mini
questionnaire: phq9
```

Some ordinary code stays code:

```python
print("hello")
```
"""


def write_guide(host: Path, text: str = GUIDE) -> None:
    (host / "docs" / "guide").mkdir(exist_ok=True)
    (host / "docs" / "guide" / "low-mood.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The host site with the guide, built once; the tests only read it."""
    host = write_host(tmp_path_factory.mktemp("host"))
    write_guide(host)
    result = build_mkdocs(host, PLUGIN)
    assert result.returncode == 0, result.output
    return result


PAGE = "guide/low-mood/index.html"


def _roots(html: str) -> list[str]:
    return re.findall(r'<div class="icbt" data-icbt-root[^>]*>', html)


def test_the_blocks_are_rendered_by_our_templates(built: Built) -> None:
    html = built.html(PAGE)
    roots = _roots(html)
    assert len(roots) == 2
    assert 'data-embed="exercise"' in roots[0] and 'data-programme="mini"' in roots[0]
    assert 'data-embed="questionnaire"' in roots[1]
    assert 'lang="en-GB" dir="ltr"' in roots[0]
    # the exercise form of the programme's own page, saved under the same key
    assert (
        'data-exercise="habits" data-icbt-exercise="habits" '
        'data-storage-key="icbt/v1/mini/exercise/habits"'
    ) in html
    assert "I sleep more" in html
    # the questionnaire, with its items and scoring data
    assert '<form class="questionnaire" id="q-phq9-form" data-measure="phq9"' in html
    assert 'name="q9" value="3"' in html
    assert "&lt;input" not in html and "&lt;form" not in html  # markup is never escaped twice
    assert "Little interest or pleasure in doing things" in html
    # ordinary code blocks are left alone, and the fences are gone
    assert "print(&quot;hello&quot;)" in html or 'print("hello")' in html
    assert "programme: mini" not in html
    assert "icbt-embed-" not in html


def test_one_set_of_page_data_with_every_record(built: Built) -> None:
    html = built.html(PAGE)
    found = re.findall(
        r'<script type="application/json" data-icbt-page>(.*?)</script>', html, re.DOTALL
    )
    assert len(found) == 1
    data = json.loads(found[0])
    assert data["programme"]["id"] == "mini"
    assert set(data["records"]) >= {
        "icbt/v1/mini/exercise/habits",
        "icbt/v1/mini/measure/phq9",
    }
    assert html.count("data-icbt-messages") == 1


def test_links_go_to_the_published_programme(built: Built) -> None:
    html = built.html(PAGE)
    data = json.loads(
        re.findall(r'<script type="application/json" data-icbt-page>(.*?)</script>', html, re.S)[0]
    )
    # the crisis page a risk answer points to is the programme's own, relative to this page
    assert data["crisis"] == "../../therapy/mini/crisis/"
    assert (built.site / "guide/low-mood" / data["crisis"] / "index.html").resolve().is_file()
    # our scripts and styles are on the page
    assert "assets/icbt/icbt.js" in html


def test_the_programme_pages_are_unchanged(built: Built) -> None:
    html = built.html("therapy/mini/start/welcome/index.html")
    assert 'data-exercise="mood-now"' in html
    assert "icbt-embed-" not in html


@pytest.mark.parametrize(
    ("block", "code", "message"),
    [
        ("programme: mini\nexercize: habits", "ICBT730", "unknown key 'exercize'"),
        ("programme: mini", "ICBT730", "it names no exercise or questionnaire"),
        ("exercise: habits", "ICBT730", "it names no programme"),
        (
            "programme: mini\nexercise: habits\nquestionnaire: phq9",
            "ICBT730",
            "both an exercise and a questionnaire",
        ),
        ("programme: mini\nexercise: habit", "ICBT731", "has no exercise 'habit'"),
        ("programme: mini\nquestionnaire: gad7", "ICBT731", "has no questionnaire 'gad7'"),
        ("programme: ptsd\nexercise: habits", "ICBT732", "publishes programme 'ptsd'"),
    ],
)
def test_blocks_that_cannot_be_shown_stop_the_build(
    build_host: Callable[[str], Built], host: Path, block: str, code: str, message: str
) -> None:
    write_guide(host, f"# Guide\n\nText.\n\n```icbt\n{block}\n```\n")
    result = build_host(PLUGIN)
    assert result.returncode != 0
    assert f"guide/low-mood.md:5: error: [{code}]" in result.output or (
        f"[{code}]" in result.output and "guide/low-mood.md:5" in result.output
    ), result.output
    assert message in result.output


def test_two_programmes_on_one_page_are_refused(
    build_host: Callable[[str], Built], host: Path
) -> None:
    other = host / "programmes" / "other"
    shutil.copytree(host / "programmes" / "mini", other)
    manifest = other / "programme.yaml"
    manifest.write_text(manifest.read_text().replace("id: mini", "id: other"), encoding="utf-8")
    two = "  - icbt:\n      programme: programmes/other\n"
    write_guide(
        host,
        "# Guide\n\n```icbt\nprogramme: mini\nexercise: habits\n```\n\n"
        "```icbt\nprogramme: other\nexercise: habits\n```\n",
    )
    result = build_host(PLUGIN + two)
    assert result.returncode != 0
    assert "[ICBT733]" in result.output
    # each on its own page is fine
    write_guide(host, "# Guide\n\n```icbt\nprogramme: other\nexercise: habits\n```\n")
    result = build_host(PLUGIN + two)
    assert result.returncode == 0, result.output


def test_requests_are_found_by_a_commonmark_parser() -> None:
    text = "~~~icbt\nprogramme: a\nexercise: b\n~~~\n\n    ```icbt\n    indented code\n    ```\n"
    found, problems = find_requests(text, "page.md")
    assert not problems
    assert [(r.programme, r.kind, r.id, r.line, r.start, r.end) for r in found] == [
        ("a", "exercise", "b", 1, 0, 4)
    ]


# -- in a browser ------------------------------------------------------------------------------


@pytest.fixture
def served(built: Built, serve: Callable[[Path], str]) -> str:
    return serve(built.site)


def _use_in_chromium(browser: Browser, url: str) -> dict[str, Any]:
    """Save the exercise and the questionnaire, run axe on our part, reload: what was seen."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(url)
        exercise = page.locator("form[data-exercise='habits']")
        exercise.get_by_label("I sleep more").check()
        exercise.locator("button[type=submit]").click()
        expect(exercise.locator(".save-status")).to_have_text("Saved on this device.")
        questionnaire = page.locator("form[data-icbt-questionnaire]")
        for item in range(1, 10):
            questionnaire.locator(f"input[name='q{item}'][value='1']").check()
        questionnaire.locator("button[type=submit]").click()
        expect(page.get_by_text("Your score is 9 out of 27.")).to_be_visible()
        stored = {
            key: json.loads(page.evaluate(f"localStorage.getItem('{key}')") or "null")
            for key in ("icbt/v1/mini/exercise/habits", "icbt/v1/mini/measure/phq9")
        }
        # Our part of the page: the host theme's own landmarks and colours are not ours to test.
        violations = (
            Axe()
            .run(
                page,
                context={"include": [["[data-icbt-root]"]]},
                options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
            )
            .response["violations"]
        )
        page.reload()
        again = page.locator("form[data-exercise='habits']")
        expect(again.get_by_label("I sleep more")).to_be_checked()
    finally:
        page.context.close()
    return {
        "stored": stored,
        "errors": errors,
        "violations": [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations],
    }


@pytest.mark.browser
def test_an_embedded_exercise_and_questionnaire_work_in_chromium(
    served: str, browser: Browser
) -> None:
    found = _use_in_chromium(browser, served + PAGE.removesuffix("index.html"))
    assert found["errors"] == []
    habits = found["stored"]["icbt/v1/mini/exercise/habits"]
    assert "sleep-more" in json.dumps(habits["fields"]), habits
    results = found["stored"]["icbt/v1/mini/measure/phq9"]["results"]
    assert results[-1]["total"] == 9
    assert found["violations"] == [], found["violations"]
