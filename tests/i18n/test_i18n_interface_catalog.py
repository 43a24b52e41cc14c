"""Interface catalogs give gettext tools what they use: references, flags, contexts, plurals."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from icbt_content.i18n.catalog import load_po, write_po
from icbt_content.i18n.plurals import plural_categories, plural_forms
from icbt_content.i18n.sources import interface_template, templates
from icbt_content.i18n.translations import load_translations
from icbt_content.i18n.workflow import compile_catalogs

REPO = Path(__file__).parent.parent.parent
PACKAGE = REPO / "src"
SHIPPED = sorted((REPO / "locales").glob("*/*.po"))
REFERENCE = re.compile(r"^[\w./-]+\.(html|py)(:[1-9]\d*)?$")


def test_every_reference_is_a_path_and_a_line_that_exist() -> None:
    for entry in interface_template(REPO).entries:
        assert entry.locations, entry.msgid
        for location in entry.locations:
            assert REFERENCE.fullmatch(location), location
            path, _, line = location.partition(":")
            source = PACKAGE / path if path.startswith("icbt_content/") else REPO / path
            assert source.is_file(), location
            if line:
                assert int(line) <= len(source.read_text(encoding="utf-8").split("\n"))


def test_the_committed_templates_are_what_extraction_writes() -> None:
    for domain, (catalog, _) in templates(REPO).items():
        committed = (REPO / "locales/templates" / f"{domain}.pot").read_text(encoding="utf-8")
        assert write_po(catalog) == committed, f"run 'icbt i18n extract': {domain}.pot is stale"


def test_one_word_in_three_places_has_three_contexts() -> None:
    optional = [e for e in interface_template(REPO).entries if e.msgid == "optional"]
    assert sorted(e.context or "" for e in optional) == [
        "module list",
        "navigation",
        "therapist's table of modules",
    ]


def test_a_count_is_a_plural_message() -> None:
    entry = next(
        e for e in interface_template(REPO).entries if e.msgid.startswith("Loaded {count}")
    )
    assert entry.msgid_plural == "Loaded {count} saved items."


@pytest.mark.parametrize(
    ("msgid", "flagged"),
    [
        ("Loaded {count} saved item.", True),
        ("Module {module} of {modules}", True),
        ("Save", False),
    ],
)
def test_placeholders_are_flagged_python_brace_format(msgid: str, flagged: bool) -> None:
    entry = next(e for e in interface_template(REPO).entries if e.msgid == msgid)
    assert ("python-brace-format" in entry.flags) is flagged


@pytest.mark.parametrize(
    ("locale", "categories"),
    [
        ("en", ("one", "other")),
        ("zh-Hant-HK", ("other",)),
        ("ar", ("zero", "one", "two", "few", "many", "other")),
        ("cy", ("zero", "one", "two", "few", "many", "other")),
    ],
)
def test_gettext_forms_are_named_by_cldr_category(locale: str, categories: tuple[str]) -> None:
    assert plural_categories(locale) == categories


def test_translated_contexts_and_plurals_are_served() -> None:
    ar = load_translations(REPO, "ar", "interface")
    assert ar is not None
    forms = plural_forms(
        ar.gettext, "ar", "Loaded {count} saved item.", "Loaded {count} saved items."
    )
    assert list(forms) == ["zero", "one", "two", "few", "many", "other"]
    assert all("{count}" in form for form in forms.values())
    assert ar.gettext("navigation\x04optional") != "optional"
    untranslated = plural_forms(lambda text: text, "ar", "one {n}", "many {n}")
    assert untranslated == {"one": "one {n}", "other": "many {n}"}


def test_compiled_catalogs_carry_their_headers(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "locales", project / "locales")
    shutil.copytree(REPO / "programmes", project / "programmes")
    written, found = compile_catalogs(project)
    assert written and not [d for d in found if d.severity == "error"]
    first = {}
    for path in written:
        with path.open("rb") as stream:
            catalog = read_mo(stream)
        header = dict(catalog.mime_headers)
        assert "PROJECT" not in header["Project-Id-Version"], path
        assert header["Project-Id-Version"].startswith(path.stem), path
        assert header["PO-Revision-Date"].startswith("2026-"), path
        first[path] = path.read_bytes()
    compile_catalogs(project)
    assert all(path.read_bytes() == data for path, data in first.items())  # deterministic


@pytest.mark.parametrize("po", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_msgfmt_check_passes_on_every_shipped_catalog(po: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "-c", "-o", str(tmp_path / "out.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr


POFILTER_TESTS = ["pythonbraceformat", "xmltags", "urls", "variables"]


def _pofilter(po: Path, out: Path) -> str:
    command = [str(Path(shutil.which("pofilter") or "pofilter"))]
    for name in POFILTER_TESTS:
        command += ["-t", name]
    subprocess.run([*command, str(po), str(out)], capture_output=True, check=True)
    return out.read_text(encoding="utf-8") if out.exists() else ""


@pytest.mark.parametrize("po", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pofilter_finds_nothing_in_a_shipped_catalog(po: Path, tmp_path: Path) -> None:
    assert "(pofilter)" not in _pofilter(po, tmp_path / "found.po")


def test_pofilter_and_msgfmt_do_catch_a_broken_placeholder(tmp_path: Path) -> None:
    # The two tests above would pass on tools that check nothing: show that they check.
    catalog, _ = load_po(REPO / "locales/ar/interface.po", "interface.po")
    assert catalog is not None
    entry = next(e for e in catalog.entries if e.msgid == "Module {module} of {modules}")
    entry.msgstr = entry.msgstr.replace("{modules}", "{وحدات}")
    broken = tmp_path / "broken.po"
    broken.write_text(write_po(catalog), encoding="utf-8")
    assert "pythonbraceformat" in _pofilter(broken, tmp_path / "found.po")
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(broken)], check=False)
    assert result.returncode != 0


def test_pages_show_scale_numbers_and_plurals_of_their_language(sample_site: Path) -> None:
    separators = {"ar": "؛ ", "en-GB": "; "}
    seen = set()
    for page in (sample_site / "sad/ar").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        lang = re.search(r'<html lang="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        if lang == "ar":
            found = re.findall(r"data-icbt-messages>(.*?)</script>", html, re.DOTALL)
            imported = json.loads(found[0])["imported"]
            assert sorted(imported) == sorted(plural_categories("ar"))
        for scale in re.findall(r'<p class="scale-labels"[^>]*>(.*?)</p>', html):
            if scale.count(" = ") == 2:
                assert separators[lang] in scale, (page, scale)
                seen.add(lang)
    assert seen == {"ar", "en-GB"}  # translated modules, and modules served whole in English


PICK_FORM = """
globalThis.document = {
  documentElement: {lang: process.argv[2]},
  querySelector: () => ({textContent: process.argv[3]}),
};
const {message} = await import(process.argv[4]);
console.log(JSON.stringify([0, 1, 2, 5, 11, 100].map((count) => message("imported", {count}))));
"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ar", ["zero 0", "one 1", "two 2", "few 5", "many 11", "other 100"]),
        ("en-GB", ["other 0", "one 1", "other 2", "other 5", "other 11", "other 100"]),
        ("zh-Hant-HK", ["other 0", "other 1", "other 2", "other 5", "other 11", "other 100"]),
    ],
)
def test_the_scripts_pick_the_plural_form_of_the_page_language(
    lang: str, expected: list[str], tmp_path: Path
) -> None:
    node = shutil.which("node")
    assert node is not None, "Node.js is needed (scripts/test installs it for tests/servers)"
    script = tmp_path / "pick.mjs"
    script.write_text(PICK_FORM, encoding="utf-8")
    forms = {c: f"{c} {{count}}" for c in ("zero", "one", "two", "few", "many", "other")}
    forms = {c: forms[c] for c in (*plural_categories(lang), "other")}
    messages = (PACKAGE / "icbt_content/render/static/messages.js").as_uri()
    result = subprocess.run(
        [node, str(script), lang, json.dumps({"imported": forms}), messages],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == expected
