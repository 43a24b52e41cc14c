"""'icbt build --strict', 'icbt check --strict' and 'icbt i18n check --strict' fail on the same
translation problems, each reported at the same file and line by all three."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from i18n_helpers import replace_in

from icbt_content.authoring.loader import read_programme
from icbt_content.cli import run
from icbt_content.i18n.adaptations import source_hashes

FIXTURE = Path(__file__).parent.parent / "fixtures" / "i18n" / "project"
REPORTED = re.compile(r"^(\S+?):(\d+):\d+: (error|warning): .*\[(ICBT\d+)\]$", re.MULTILINE)
#: Codes about translations and locales (the rest, such as ICBT842 on the programme itself,
#: is not what this test is about).
TRANSLATION = re.compile(r"ICBT6\d\d|ICBT80\d")


def _stale_adaptation(project: Path) -> None:
    digest = source_hashes(read_programme(project / "programmes/demo", project))["box sam-starts"]
    folder = project / "locales/fr/adaptations/demo"
    folder.mkdir(parents=True)
    (folder / "sam.md").write_text(
        f"---\nreplaces: box sam-starts\nsource_hash: {digest}\n"
        "source_text: Sam is a bus driver. He reads one page each day on his break.\n"
        "frame:\n  what: Sam becomes Samia.\n  who: [translator]\n  when: 2026-11-20\n"
        "  planned: true\n  type: substituting\n  fidelity_consistent: unknown\n"
        "  reason: Clients should recognise the people.\n---\n\nSamia est infirmière.\n",
        encoding="utf-8",
    )
    replace_in(
        project / "programmes/demo/modules/start/01-welcome.md",
        "He reads one page each day",
        "He reads two pages each day",
    )


def _fuzzy(project: Path) -> None:
    replace_in(
        project / "locales/fr/demo.po",
        'msgctxt "start/reflect.p1"',
        '#, fuzzy\nmsgctxt "start/reflect.p1"',
    )


def _behind(project: Path) -> None:
    replace_in(
        project / "locales/fr/demo.po",
        'msgid "Think about the last week. What went well?"',
        'msgid "Think about the last fortnight. What went well?"',
    )


def _broken_placeholder(project: Path) -> None:
    replace_in(
        project / "locales/fr/demo.po",
        'msgstr "Bonjour {{ client.first_name }},"',
        'msgstr "Bonjour {{ client.prénom }},"',
    )


SEEDS = {
    "stale-adaptation": (_stale_adaptation, {"ICBT609"}),
    "fuzzy-entry": (_fuzzy, {"ICBT630"}),
    "catalog-behind-the-source": (_behind, {"ICBT611", "ICBT631"}),
    "broken-placeholder": (_broken_placeholder, {"ICBT602"}),
}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, set[tuple[str, ...]]]:
    code = run(argv)
    err = capsys.readouterr().err
    found = {
        (m.group(4), m.group(1), m.group(2))
        for m in REPORTED.finditer(err)
        if TRANSLATION.fullmatch(m.group(4))
    }
    return code, found


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_the_three_gates_agree(
    seed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    make, codes = SEEDS[seed]
    make(project)
    where = ["--project", str(project)]
    results = {
        "build": _run(["build", "--strict", "--out", str(tmp_path / "site"), *where], capsys),
        "check": _run(["check", "--strict", *where], capsys),
        "i18n check": _run(["i18n", "check", "--strict", *where], capsys),
    }
    assert {name: code for name, (code, _) in results.items()} == dict.fromkeys(results, 1)
    reported = {name: found for name, (_, found) in results.items()}
    assert reported["build"] == reported["check"] == reported["i18n check"], reported
    assert codes <= {code for code, _, _ in reported["check"]}


def test_without_strict_warnings_alone_fail_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    _fuzzy(project)
    _stale_adaptation(project)
    where = ["--project", str(project)]
    assert run(["build", "--out", str(tmp_path / "site"), *where]) == 0
    assert run(["check", *where]) == 0
    assert run(["i18n", "check", *where]) == 0
