"""Author media: only passive types are published; SVG drawings are checked; hosting headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.cli import run
from icbt_content.pipeline.headers import (
    COMMON,
    FILE_CSP,
    PAGE_CSP,
    SERVERS,
    WORKER_CSP,
    headers_file,
    headers_for,
    server_config,
    worker_reachable,
)
from icbt_content.pipeline.media import MEDIA_TYPES, media_problem
from icbt_content.render.environment import CSP

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'

PASSIVE = {
    "photo.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 16,
    "photo.JPG": b"\xff\xd8\xff\xe0" + b"\0" * 16,
    "anim.gif": b"GIF89a" + b"\0" * 16,
    "photo.webp": b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 8,
    "photo.avif": b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf",
    "talk.mp3": b"ID3\x04\0\0\0\0\0\0" + b"\0" * 8,
    "talk.m4a": b"\0\0\0\x1cftypM4A \0\0\0\0M4A isommp42",
    "talk.ogg": b"OggS\0\x02" + b"\0" * 16,
    "talk.opus": b"OggS\0\x02" + b"\0" * 16,
    "talk.wav": b"RIFF\x24\0\0\0WAVEfmt " + b"\0" * 8,
    "film.mp4": b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom",
    "film.webm": b"\x1a\x45\xdf\xa3" + b"\0" * 16,
    "film.vtt": b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n",
    "cycle.svg": (
        f'<?xml version="1.0"?>\n{SVG_OPEN}<defs><linearGradient id="g"/></defs>'
        '<rect style="fill:url(#g)" width="4" height="4"/><use xlink:href="#g"/>'
        '<image href="data:image/png;base64,iVBORw0KGgo="/>'
        "<metadata><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>"
        "</metadata></svg>"
    ).encode(),
}

NOT_ALLOWED = {
    "worksheet.html": b"<script>localStorage.clear()</script>",
    "page.htm": b"<p>hi</p>",
    "tool.js": b"alert(1)",
    "worksheet.pdf": b"%PDF-1.7\n",
    "notes.docx": b"PK\x03\x04",
    "data.json": b"{}",
    "README": b"text",
    "drawing.xml": b"<svg/>",
}

RENAMED = {
    "photo.png": b"<html><script>alert(1)</script></html>",
    "photo.jpg": b"\x89PNG\r\n\x1a\n",
    "film.mp4": b"<svg/>",
    "film.vtt": b"<html>WEBVTT</html>",
}

ACTIVE_SVG = {
    "script": f"{SVG_OPEN}<script>alert(1)</script></svg>",
    "event attribute": f'{SVG_OPEN}<rect onclick="alert(1)"/></svg>',
    "onload on the root": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "foreignObject": f"{SVG_OPEN}<foreignObject><p>hi</p></foreignObject></svg>",
    "html script without foreignObject": (
        f'{SVG_OPEN}<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>'
    ),
    "javascript link": f'{SVG_OPEN}<a xlink:href="javascript:alert(1)"><rect/></a></svg>',
    "javascript href": f'{SVG_OPEN}<a href="JavaScript:alert(1)"><rect/></a></svg>',
    "external image": f'{SVG_OPEN}<image href="https://evil.example/x.png"/></svg>',
    "external use": f'{SVG_OPEN}<use xlink:href="other.svg#a"/></svg>',
    "animated href": (
        f'{SVG_OPEN}<a><set attributeName="href" to="javascript:alert(1)"/><rect/></a></svg>'
    ),
    "external css": f"{SVG_OPEN}<style>rect{{fill:url(https://evil.example/x)}}</style></svg>",
    "css import": f"{SVG_OPEN}<style>@import 'x.css';</style></svg>",
    "external url in a style attribute": f'{SVG_OPEN}<rect style="fill:url(//e.x/a)"/></svg>',
    "xml-stylesheet": f'<?xml-stylesheet href="https://e.x/a.css"?>{SVG_OPEN}</svg>',
    "entities": f'<!DOCTYPE svg [<!ENTITY a "b">]>{SVG_OPEN}<text>&a;</text></svg>',
    "iframe": f'{SVG_OPEN}<iframe src="x"/></svg>',
    "data svg image": f'{SVG_OPEN}<image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>',
}


@pytest.mark.parametrize("name", sorted(PASSIVE))
def test_passive_media_are_allowed(name: str) -> None:
    assert media_problem(name, PASSIVE[name], f"media/{name}") is None


def test_every_allowed_type_is_tested() -> None:
    assert {name.rpartition(".")[2].lower() for name in PASSIVE} >= set(MEDIA_TYPES) - {"jpeg"}


@pytest.mark.parametrize("name", sorted(NOT_ALLOWED))
def test_other_types_are_refused(name: str) -> None:
    problem = media_problem(name, NOT_ALLOWED[name], f"media/{name}")
    assert problem is not None and problem.code == "ICBT111"
    assert problem.file == f"media/{name}" and "remove" in problem.hint


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_a_file_whose_content_is_not_its_type_is_refused(name: str) -> None:
    problem = media_problem(name, RENAMED[name], name)
    assert problem is not None and problem.code == "ICBT111"
    assert "content is not" in problem.message


@pytest.mark.parametrize("case", sorted(ACTIVE_SVG))
def test_active_svg_is_refused(case: str) -> None:
    problem = media_problem("drawing.svg", ACTIVE_SVG[case].encode(), "media/drawing.svg")
    assert problem is not None and problem.code == "ICBT112", case
    assert "export the drawing again" in problem.hint


def test_svg_problems_point_at_their_line() -> None:
    text = f'<?xml version="1.0"?>\n{SVG_OPEN}\n<g>\n<rect onmouseover="x()"/></g></svg>'
    problem = media_problem("d.svg", text.encode(), "d.svg")
    assert problem is not None and problem.line == 4


def test_broken_svg_and_svg_without_namespace_are_refused() -> None:
    for content in (b"<svg><rect></svg>", b"<svg/>", b"not xml"):
        problem = media_problem("d.svg", content, "d.svg")
        assert problem is not None and problem.code == "ICBT111"


def test_an_svg_with_a_doctype_but_no_entities_is_allowed() -> None:
    text = (
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
        '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'
    )
    assert media_problem("d.svg", text.encode(), "d.svg") is None


def _media(project: Path) -> Path:
    return project / "programmes" / "demo" / "media"


def test_the_build_refuses_active_media_and_names_each_file(
    basic_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (_media(basic_project) / "worksheet.html").write_bytes(NOT_ALLOWED["worksheet.html"])
    (_media(basic_project) / "sub").mkdir()
    (_media(basic_project) / "sub" / "evil.svg").write_text(ACTIVE_SVG["script"])
    (_media(basic_project) / "photo.png").write_bytes(RENAMED["photo.png"])
    assert run(["build", "--project", str(basic_project), "-q"]) == 1
    err = capsys.readouterr().err
    assert "programmes/demo/media/worksheet.html:1:1: error:" in err
    assert "programmes/demo/media/sub/evil.svg:1:1: error: the SVG drawing has a <script>" in err
    assert "programmes/demo/media/photo.png:1:1: error: 'photo.png' is named as a PNG" in err
    assert not (basic_project / "site").exists()


def test_passive_media_are_published_byte_for_byte(basic_project: Path) -> None:
    for name, content in PASSIVE.items():
        (_media(basic_project) / name).write_bytes(content)
    (_media(basic_project) / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    report = build_site(basic_project)
    assert report.ok, [d.format() for d in report.diagnostics]
    for name, content in PASSIVE.items():
        assert (basic_project / "site/demo/media" / name).read_bytes() == content
    assert not (basic_project / "site/demo/media/.DS_Store").exists(), "hidden files stay out"


# -- hosting headers -------------------------------------------------------------------------


def test_the_policies_come_from_the_sites_csp() -> None:
    assert PAGE_CSP == CSP
    assert "default-src 'none'" in FILE_CSP and FILE_CSP.endswith("; sandbox")
    assert "script-src" not in FILE_CSP and "connect-src" not in FILE_CSP
    assert headers_for("demo/media/cycle.svg") == [("Content-Security-Policy", FILE_CSP), *COMMON]
    assert headers_for("demo/en-GB/")[0] == ("Content-Security-Policy", CSP)
    assert dict(COMMON) == {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _rules(text: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    current = ""
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("  "):
            name, _, value = line.strip().partition(": ")
            assert name not in rules[current], f"{name} twice in {current}"
            rules[current][name] = value
        else:
            current = line
            assert current not in rules, f"{current} twice"
            rules[current] = {}
    return rules


def test_the_site_ships_a_headers_file(basic_project: Path) -> None:
    (_media(basic_project) / "talk.mp3").write_bytes(PASSIVE["talk.mp3"])
    assert build_site(basic_project).ok
    site = basic_project / "site"
    rules = _rules((site / "_headers").read_text(encoding="utf-8"))
    # The worker's fetches are held to /* too on hosts that join rules (see headers_file).
    assert rules["/*"] == {"Content-Security-Policy": worker_reachable(CSP), **dict(COMMON)}
    assert rules["/demo/media/*"] == {"Content-Security-Policy": FILE_CSP}
    assert rules["/assets/*"] == {"Content-Security-Policy": FILE_CSP}
    files = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    for path in files:
        if path == "_headers":
            continue
        matching = [r for r in rules if r != "/*" and _matches(r, "/" + path)]
        if path.endswith(".html"):
            assert not matching, f"a page gets only the page policy: {path} {matching}"
        elif path.endswith("/sw.js"):
            assert rules[f"/{path}"] == {"Content-Security-Policy": WORKER_CSP}
        else:
            assert matching, f"{path} gets the file policy"


def _matches(rule: str, url: str) -> bool:
    return url.startswith(rule[:-1]) if rule.endswith("*") else url == rule


def test_the_headers_file_is_small_for_a_large_site() -> None:
    paths = [
        f"p{p}/{loc}/m{m}/page{n}/index.html"
        for p in range(3)
        for loc in ("en-GB", "ar", "fr")
        for m in range(20)
        for n in range(30)
    ]
    paths += [f"p{p}/{loc}/modules.js" for p in range(3) for loc in ("en-GB", "ar", "fr")]
    paths += [f"p{p}/media/{n}.png" for p in range(3) for n in range(50)]
    rules = _rules(headers_file(paths))
    assert len(rules) <= 1 + 3 + 9, "Cloudflare Pages takes at most 100 rules"


@pytest.mark.parametrize("server", SERVERS)
def test_server_configs_carry_the_same_headers(server: str) -> None:
    config = server_config(server)
    assert CSP in config and FILE_CSP in config
    for name, value in COMMON:
        assert name in config and value in config


def test_the_hosting_page_shows_the_generated_configs() -> None:
    page = (Path(__file__).parents[2] / "docs" / "hosting.md").read_text(encoding="utf-8")
    assert "<!-- server configs -->" in page


def test_the_mkdocs_embedding_refuses_the_same_media(basic_project: Path, tmp_path: Path) -> None:
    from icbt_content.contrib.embed import load_embed
    from icbt_content.diagnostics import ContentError

    (_media(basic_project) / "worksheet.html").write_bytes(NOT_ALLOWED["worksheet.html"])
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY")
    (_media(basic_project) / "key.png").symlink_to(secret)
    embed, _ = load_embed(basic_project / "programmes" / "demo")
    with pytest.raises(ContentError) as refused:
        embed.media()
    assert {(d.code, d.file) for d in refused.value.diagnostics} == {
        ("ICBT111", "programmes/demo/media/worksheet.html"),
        ("ICBT110", "programmes/demo/media/key.png"),
    }
