""" "Keep a copy" as the build writes it: a module holding a zip of pages rewritten for the disk."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from pathlib import Path

from icbt_content import build_site
from icbt_content.render.offline.keepcopy import ANSWERS_MARK, _for_disk


def _module(site: Path) -> dict[str, object]:
    text = (site / "demo/en-GB/keep-a-copy.js").read_text(encoding="utf-8")
    return {
        name: json.loads(value)
        for name, value in re.findall(r"^export const (\w+) = (.*);$", text, re.M)
    }


def test_the_copy_is_deterministic_and_holds_the_pages(basic_project: Path) -> None:
    site = basic_project / "site"
    assert build_site(basic_project).ok
    first = (site / "demo/en-GB/keep-a-copy.js").read_bytes()
    assert build_site(basic_project).ok
    assert (site / "demo/en-GB/keep-a-copy.js").read_bytes() == first
    assert not list(site.rglob("keep-a-copy.*.json")), "the request becomes the copy"
    data = _module(site)
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(str(data["zip"]))))
    names = archive.namelist()
    assert names == sorted(names)
    assert {
        "demo-en-GB/index.html",
        "demo-en-GB/assets/site.css",
        "demo-en-GB/demo/media/cycle.svg",
        "demo-en-GB/demo/en-GB/index.html",
        "demo-en-GB/demo/en-GB/start/welcome/index.html",
        "demo-en-GB/demo/en-GB/crisis/index.html",
    } <= set(names)
    assert not [n for n in names if "/therapist/" in n or n.endswith(".js")]
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert data["answersPath"] == "demo-en-GB/demo/en-GB/answers/index.html"
    assert ANSWERS_MARK in str(data["answersPage"]) and "<script" not in str(data["answersPage"])
    assert set(data) == {"answersPage", "answersPath", "name", "zip"}, "the page has the words"
    welcome = archive.read("demo-en-GB/demo/en-GB/start/welcome/index.html").decode()
    assert "<script" not in welcome and 'rel="manifest"' not in welcome
    assert 'href="../reflect/index.html"' in welcome
    assert 'href="../../../../assets/site.css"' in welcome


def test_links_out_of_the_copy_stop_being_links() -> None:
    page = (
        b'<a href="../">home</a> <a href="../../fr/">fr</a> <a href="https://x.example/">x</a>'
        b' <a href="#main">skip</a> <a href="../b/#part">b</a> <img src="../../media/m.png">'
    )
    present = {"p/en/index.html", "p/en/b/index.html", "p/media/m.png"}
    assert _for_disk("p/en/a/index.html", page, present).decode() == (
        '<a href="../index.html">home</a> <a>fr</a> <a href="https://x.example/">x</a>'
        ' <a href="#main">skip</a> <a href="../b/index.html#part">b</a>'
        ' <img src="../../media/m.png">'
    )


def test_a_programme_with_neutral_titles_gets_a_neutral_copy_name(basic_project: Path) -> None:
    manifest = basic_project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text() + "sensitive: true\nneutral_titles: true\n")
    assert build_site(basic_project).ok
    data = _module(basic_project / "site")
    assert data["name"] == "copy-en-GB.zip"
    assert str(data["answersPath"]).startswith("copy-en-GB/")
