"""Fuzzing the other inputs: YAML anywhere, PO catalogs and translations, raw bytes as files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_helpers import (
    FUZZ,
    I18N,
    PAGE,
    any_text,
    assert_reported,
    deep,
    lines_of,
    load_and_render,
    project_copy,
    text_chars,
)
from hypothesis import given
from hypothesis import strategies as st

from icbt_content.adaptation.resources import load_locale
from icbt_content.authoring.yamlsafe import load_yaml
from icbt_content.i18n.catalog import read_po, write_po


@pytest.fixture(scope="module")
def basic() -> Iterator[Path]:
    with project_copy() as path:
        yield path


@pytest.fixture(scope="module")
def i18n() -> Iterator[Path]:
    with project_copy(I18N) as path:
        yield path


# -- YAML --------------------------------------------------------------------------------------

yaml_like = lines_of(
    text_chars,
    st.sampled_from(["a: &x [1]", "b: *x", "<<: *x", "!!python/object:os.system x", "? [a]"]),
    st.sampled_from(["- - - a", "k: {a: [b, {c: d}]}", "k: |\n  text", "%YAML 1.1\n---"]),
    deep("["),
    deep("{a: "),
    deep("- "),
)


@FUZZ
@given(text=yaml_like | any_text, first_line=st.integers(min_value=1, max_value=500))
def test_any_yaml_loads_or_reports(text: str, first_line: int) -> None:
    located, found = load_yaml(text, "any.yaml", first_line)
    assert (located is None) == bool(found)
    assert_reported(found)
    assert all(d.line >= first_line for d in found)


@FUZZ
@given(text=yaml_like | any_text)
def test_any_programme_yaml_loads_or_reports(basic: Path, text: str) -> None:
    manifest = basic / "programmes/demo/programme.yaml"
    original = manifest.read_text("utf-8")
    manifest.write_text(text, "utf-8")
    try:
        load_and_render(basic)
    finally:
        manifest.write_text(original, "utf-8")


# -- PO catalogs and what translators write ----------------------------------------------------

# Python refuses int() of more than 4,300 digits: hypothesis rarely draws such long text by itself.
many_digits = st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n)
po_lines = lines_of(
    st.sampled_from(['msgid ""', 'msgstr ""', '"Plural-Forms: nplurals=2; plural=(n>1);\\n"']),
    st.builds(
        lambda k, v: f'{k} "{v}"',
        st.sampled_from(["msgid", "msgstr", "msgctxt"]),
        st.text(max_size=30),
    ),
    st.builds(lambda n: f'msgstr[{n}] "x"', st.integers(min_value=0) | many_digits),
    st.sampled_from(
        ['msgid_plural "p"', "#, fuzzy", '#~ msgid "old"', '#| msgid "prev"', '"\\"', '"\\x"']
    ),
    st.builds(
        lambda d: f'"Plural-Forms: nplurals={d};\\n"', st.integers(min_value=0) | many_digits
    ),
    text_chars,
)


@FUZZ
@given(text=po_lines | any_text)
def test_any_po_text_reads_or_reports(text: str) -> None:
    catalog, found = read_po(text, "locales/fr/demo.po")
    assert_reported(found)
    _ = catalog.nplurals
    read_po(write_po(catalog), "again.po")  # what was read can be written and read back


translations = any_text | lines_of(
    text_chars,
    st.sampled_from(["# Titre", "{#main}", "<script>x</script>", "[a](javascript:x)", "{n}"]),
    deep("*"),
    deep("> "),
)


@FUZZ
@given(msgstr=translations, which=st.sampled_from(["start/reflect.p1", "start/reflect.title"]))
def test_any_translation_renders_or_reports(i18n: Path, msgstr: str, which: str) -> None:
    po = i18n / "locales/fr/demo.po"
    original = po.read_text("utf-8")
    catalog, found = read_po(original, "demo.po")
    assert not found
    for entry in catalog.entries:
        if entry.context == which:
            entry.msgstr = msgstr
            entry.flags.discard("fuzzy")
    po.write_text(write_po(catalog), "utf-8")
    try:
        load_and_render(i18n, PAGE, locale="fr")
    finally:
        po.write_text(original, "utf-8")


# -- raw bytes as files ------------------------------------------------------------------------

raw = st.binary(max_size=600) | st.builds(
    lambda t, bom: (b"\xef\xbb\xbf" if bom else b"") + t.encode("utf-8", "surrogatepass"),
    any_text,
    st.booleans(),
)


@FUZZ
@given(
    data=raw,
    target=st.sampled_from(
        [
            PAGE,
            "programmes/demo/modules/start/module.md",
            "programmes/demo/programme.yaml",
            "programmes/demo/crisis.md",
            "programmes/demo/guidance/start-done.md",
            "programmes/demo/ids.lock",
            "locales/fr/demo.po",
            "locales/fr/locale.yaml",
            "locales/fr/adaptations/demo/reflect.md",
        ]
    ),
)
def test_any_bytes_in_any_file_render_or_report(i18n: Path, data: bytes, target: str) -> None:
    path = i18n / target
    path.parent.mkdir(parents=True, exist_ok=True)
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        if target.endswith("locale.yaml"):
            assert_reported(load_locale(i18n, "fr")[1])
        load_and_render(i18n, PAGE, locale="fr")
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)
