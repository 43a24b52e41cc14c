"""Translations and adaptations cannot give an element an id the site keeps for itself, nor any
attribute: the questionnaire on a translated or adapted page keeps its one data element."""

from __future__ import annotations

import re
from pathlib import Path

from i18n_helpers import replace_in, set_translation

from icbt_content.authoring.loader import read_programme
from icbt_content.i18n.adaptations import source_hashes
from icbt_content.i18n.workflow import update
from icbt_content.pipeline import build_site

REFLECT = "programmes/demo/modules/start/02-reflect.md"
FRAME = """frame:
  what: The check-in page is written for French services.
  who: [translator, clinical lead]
  when: 2026-11-20
  planned: true
  type: substituting
  fidelity_consistent: true
  reason: Clients should recognise the services.
  reasons: [culture]
"""


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]*)"', html)


def _adapt(project: Path, name: str, replaces: str, body: str) -> None:
    digest = source_hashes(read_programme(project / "programmes/demo", project))[replaces]
    folder = project / "locales/fr/adaptations/demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        f"---\nreplaces: {replaces}\nsource_hash: {digest}\n{FRAME}---\n\n{body}\n", "utf-8"
    )


def test_translated_heading_keeps_the_source_anchor(project: Path) -> None:
    replace_in(
        project / REFLECT,
        "::: questionnaire phq9",
        "## How you have been\n\n::: questionnaire phq9",
    )
    update(project, ["fr"])
    po = project / "locales/fr/demo.po"
    set_translation(po, "start/reflect#how-you-have-been", "Measure phq9")
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics.errors]
    html = (project / "site/demo/fr/start/reflect/index.html").read_text("utf-8")
    ids = _ids(html)
    # The questionnaire's data is found by data-icbt-measure, which authors cannot write.
    assert html.count('data-icbt-measure="phq9"') == 1
    assert "measure-phq9" not in ids and "how-you-have-been" in ids
    assert len(ids) == len(set(ids))


def test_adapted_page_cannot_use_a_reserved_anchor(project: Path) -> None:
    _adapt(
        project,
        "reflect.md",
        "page start/reflect",
        "{#measure-phq9}\n## Votre semaine\n\nPensez à la semaine passée.\n\n"
        "::: questionnaire phq9\n:::",
    )
    report = build_site(project, project / "site")
    assert not report.ok
    refused = [d for d in report.diagnostics.errors if d.code == "ICBT209"]
    assert [(d.file, d.line) for d in refused] == [("locales/fr/adaptations/demo/reflect.md", 15)]


def test_adapted_page_heading_named_like_the_questionnaire_gets_another_id(
    project: Path,
) -> None:
    _adapt(
        project,
        "reflect.md",
        "page start/reflect",
        "## Measure phq9\n\nPensez à la semaine passée.\n\n::: questionnaire phq9\n:::",
    )
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics.errors]
    html = (project / "site/demo/fr/start/reflect/index.html").read_text("utf-8")
    ids = _ids(html)
    assert html.count('data-icbt-measure="phq9"') == 1
    assert "measure-phq9" not in ids and "section-measure-phq9" in ids


def test_adapted_box_never_renders_a_reserved_id_or_attribute(project: Path) -> None:
    _adapt(
        project,
        "sam.md",
        "box sam-starts",
        '{#main}\n## Samia\n\n{.notice data-icbt-risk="1"}\nSamia est infirmière à Lyon.',
    )
    build_site(project, project / "site")
    html = (project / "site/demo/fr/start/welcome/index.html").read_text("utf-8")
    assert "Samia est infirmière à Lyon." in html
    assert _ids(html).count("main") == 1 and "data-icbt-risk" not in html
