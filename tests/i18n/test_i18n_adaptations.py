"""Adaptations: a locale's own version of a box, page or image, recorded with FRAME."""

from __future__ import annotations

import json
from pathlib import Path

from i18n_helpers import replace_in

from icbt_content.authoring.loader import read_programme
from icbt_content.cli import run
from icbt_content.i18n.adaptations import adaptation_statuses, report_markdown, source_hashes
from icbt_content.pipeline import build_site

FRAME = """frame:
  what: Sam becomes Samia, a nurse in Lyon.
  who: [translator, clinical lead]
  when: 2026-11-20
  planned: true
  type: substituting
  fidelity_consistent: true
  reason: Clients should recognise the people in the examples.
  reasons: [culture]
"""


def _adapt(project: Path, name: str, front: str, body: str) -> Path:
    folder = project / "locales/fr/adaptations/demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{front}{FRAME}---\n\n{body}\n", encoding="utf-8")
    return path


def _hashes(project: Path) -> dict[str, str]:
    return source_hashes(read_programme(project / "programmes/demo", project))


def test_a_box_is_replaced_in_its_locale_only(project: Path) -> None:
    digest = _hashes(project)["box sam-starts"]
    _adapt(
        project,
        "sam-starts.md",
        f"replaces: box sam-starts\nsource_hash: {digest}\ntitle: Samia commence\n",
        "Samia est infirmière à Lyon. Elle lit une page pendant sa pause.",
    )
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    # The fixture's interface catalogs are partly translated on purpose (ICBT632).
    assert not [d for d in report.diagnostics if d.code.startswith("ICBT6") and d.code != "ICBT632"]
    french = (project / "site/demo/fr/start/welcome/index.html").read_text(encoding="utf-8")
    assert "Samia est infirmière à Lyon." in french and 'id="sam-starts"' in french
    assert "Samia commence" in french and "chauffeur de bus" not in french
    english = (project / "site/demo/en-GB/start/welcome/index.html").read_text(encoding="utf-8")
    assert "Sam is a bus driver." in english


def test_an_adapted_box_needs_no_translation(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    po = project / "locales/fr/demo.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace(
        'msgstr "Sam est chauffeur de bus. Il lit une page par jour pendant sa pause."', 'msgstr ""'
    )
    po.write_text(text, encoding="utf-8")
    digest = _hashes(project)["box sam-starts"]
    _adapt(project, "sam.md", f"replaces: box sam-starts\nsource_hash: {digest}\n", "Samia.")
    assert run(["i18n", "status", "--json", "--project", str(project), "--locale", "fr"]) == 0
    data = json.loads(capsys.readouterr().out)
    demo = next(c for c in data["catalogs"] if c["catalog"] == "demo")
    start = next(r for r in demo["modules"] if r["unit"] == "start")
    assert start["adapted"] == 2 and start["published"] is True


def test_changed_source_flags_the_adaptation_for_review(project: Path) -> None:
    digest = _hashes(project)["box sam-starts"]
    _adapt(project, "sam.md", f"replaces: box sam-starts\nsource_hash: {digest}\n", "Samia.")
    replace_in(
        project / "programmes/demo/modules/start/01-welcome.md",
        "He reads one page each day",
        "He reads two pages each day",
    )
    report = build_site(project, project / "site")
    review = [d for d in report.diagnostics if d.code == "ICBT609"]
    assert review and review[0].file == "locales/fr/adaptations/demo/sam.md"
    assert review[0].severity == "warning" and review[0].line == 3
    assert report.ok  # a warning: the adaptation is still used


def test_reformatting_the_source_does_not_flag_it(project: Path) -> None:
    before = _hashes(project)["box sam-starts"]
    replace_in(
        project / "programmes/demo/modules/start/01-welcome.md",
        "Sam is a bus driver. He reads",
        "Sam is a bus driver.\nHe   reads",
    )
    assert _hashes(project)["box sam-starts"] == before


def test_unknown_target_and_lost_anchor(project: Path) -> None:
    _adapt(project, "ghost.md", "replaces: box no-such-box\nsource_hash: x0\n", "Boo.")
    _adapt(
        project,
        "page.md",
        "replaces: page start/welcome\nsource_hash: x0\ntitle: Bienvenue\n",
        "## Une autre section\n\nTexte.",
    )
    report = build_site(project, project / "site")
    found = sorted((d.file, d.code) for d in report.diagnostics if d.code == "ICBT610")
    assert found == [
        ("locales/fr/adaptations/demo/ghost.md", "ICBT610"),
        ("locales/fr/adaptations/demo/page.md", "ICBT610"),
    ]


def test_a_page_and_an_image_can_be_adapted(project: Path) -> None:
    hashes = _hashes(project)
    _adapt(
        project,
        "reflect.md",
        f"replaces: page start/reflect\nsource_hash: {hashes['page start/reflect']}\n"
        "title: Un regard en arrière\n",
        "Pensez à votre semaine, à votre façon.",
    )
    _adapt(
        project,
        "cycle.md",
        f"replaces: image media/cycle.svg\nsource_hash: {hashes['image media/cycle.svg']}\n"
        "src: media/cycle-local.svg\nalt: Un cycle\n",
        "",
    )
    report = build_site(project, project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    reflect = (project / "site/demo/fr/start/reflect/index.html").read_text(encoding="utf-8")
    assert "Pensez à votre semaine, à votre façon." in reflect and "Un regard en arrière" in reflect
    welcome = (project / "site/demo/fr/start/welcome/index.html").read_text(encoding="utf-8")
    assert 'src="../../../media/cycle-local.svg"' in welcome
    english = (project / "site/demo/en-GB/start/welcome/index.html").read_text(encoding="utf-8")
    assert 'src="../../../media/cycle.svg"' in english


def test_reports_in_markdown_and_json(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    digest = _hashes(project)["box sam-starts"]
    _adapt(project, "sam.md", f"replaces: box sam-starts\nsource_hash: {digest}\n", "Samia.")
    loaded = read_programme(project / "programmes/demo", project)
    statuses, problems = adaptation_statuses(project, loaded, "fr")
    assert problems == [] and [s.status for s in statuses] == ["current"]
    text = report_markdown(statuses)
    assert "## fr: demo" in text and "| `box sam-starts` | substituting | planned | yes |" in text
    assert run(["i18n", "adaptations", "--json", "--project", str(project)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["replaces"] == "box sam-starts" and data[0]["status"] == "current"
    assert data[0]["frame"]["who"] == ["translator", "clinical lead"]
    assert data[0]["frame"]["reasons"] == ["culture"]


def test_an_incomplete_record_is_refused(project: Path) -> None:
    folder = project / "locales/fr/adaptations/demo"
    folder.mkdir(parents=True)
    (folder / "sam.md").write_text(
        "---\nreplaces: box sam-starts\nframe:\n  what: Sam is now Samia.\n---\n\nSamia.\n",
        encoding="utf-8",
    )
    report = build_site(project, project / "site")
    assert any(
        d.file == "locales/fr/adaptations/demo/sam.md" and d.code == "ICBT103"
        for d in report.diagnostics.errors
    )


def test_adapt_command_starts_a_file(project: Path) -> None:
    code = run(
        ["i18n", "adapt", "fr", "demo", "box", "sam-starts", "--project", str(project), "-q"]
    )
    assert code == 0
    text = (project / "locales/fr/adaptations/demo/sam-starts.md").read_text(encoding="utf-8")
    assert "replaces: box sam-starts" in text and "source_hash: " in text
    assert "Sam is a bus driver." in text
