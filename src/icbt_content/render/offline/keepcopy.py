""" "Keep a copy": the programme in one language as a zip of pages that open from the disk.

The build writes, beside each programme's pages in each locale, ``keep-a-copy.js``: a module the
"My answers" page imports when the client asks for a copy (an import, not a request: the pages'
policy keeps ``connect-src 'none'``). It holds

- ``zip``: a zip (base64) of the programme's pages in that language, the site's stylesheet and the
  programme's media, each page rewritten for the disk: no scripts, and every link to a page of
  the copy pointing at its file (``../module/index.html``; a browser shows a folder for
  ``../module/`` on ``file://``); links to anything not in the copy are no longer links;
- ``answersPath`` and ``answersPage``: where the page of the client's answers goes in the zip, and
  that page without its content: the client's browser fills it in and adds it to the zip
  (keepcopy.js, with the record "My answers" shows), so the answers never leave the device.

The zip is made as :mod:`zipfile` makes it (:mod:`.zipwriter`), entries sorted, with a fixed
date: the same sources give the same bytes.
"""

from __future__ import annotations

import base64
import json
import posixpath
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from icbt_content.model.programme import Programme
from icbt_content.render.offline.zipwriter import DeflateMemo, zip_bytes
from icbt_content.render.site import RenderedFile
from icbt_content.sitemap import relative_url

COPY_MODULE = "keep-a-copy.js"
#: Where a locale's request for its copy waits (data, not a script: never checked as one).
REQUEST = "keep-a-copy.request.json"
#: The kind of the file that asks for one locale's copy until it is made.
REQUEST_KIND = "keep-a-copy-request"
COPY_KIND = "keep-a-copy"
#: The pages a copy holds (RenderedFile.kind); "My answers" is the client's own page.
PAGE_KINDS = frozenset({"home", "module", "page", "crisis", "check-in"})
ANSWERS = "answers/index.html"
#: Where the client's answers go in the page the browser fills in.
ANSWERS_MARK = "<!-- icbt-answers -->"
STYLESHEET = "assets/site.css"
#: 1980-01-01, the earliest date a zip holds: no build time in the copy.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.S | re.I)
_DROPPED_LINK = re.compile(r'<link rel="(?:modulepreload|manifest)"[^>]*>\s*', re.I)
_TAG = re.compile(r"<(a|link|img|source|audio|video|track)\b[^>]*>", re.I)
_URL_ATTR = re.compile(r'\s(href|src|poster)="([^"]*)"')
_MAIN = re.compile(r"(<main\b[^>]*>)(.*?)(</main>)", re.S)
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
_HTML_TAG = re.compile(r"<html\b[^>]*>")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def copy_request(programme: Programme, scope_path: str) -> RenderedFile:
    """The request for a programme's copy in one locale: where it goes, and whether its name is
    neutral (consumed by :func:`with_copies`, never published on its own)."""
    # A programme with neutral titles gives its copy a neutral name too: a downloads folder
    # does not name the topic.
    content = json.dumps({"neutral": programme.neutral_titles}).encode("utf-8")
    return RenderedFile(scope_path + REQUEST, content, kind=REQUEST_KIND)


class CopyMemo(DeflateMemo):
    """What making a locale's copy again can reuse: each page as rewritten for the disk, and
    each entry of the zip compressed (a process that rebuilds after an edit keeps one)."""

    def __init__(self) -> None:
        super().__init__()
        self._pages: dict[str, tuple[bytes, frozenset[str], bytes]] = {}

    def for_disk(self, path: str, html: bytes, present: frozenset[str]) -> bytes:
        """:func:`_for_disk`, done again only when the page or the copy's files changed."""
        known = self._pages.get(path)
        if known is not None and known[1] == present and known[0] == html:
            return known[2]
        value = _for_disk(path, html, present)
        self._pages[path] = (html, present, value)
        return value


def with_copies(files: list[RenderedFile], memo: CopyMemo | None = None) -> list[RenderedFile]:
    """``files`` with each locale's request replaced by its copy module (its zip's entries
    compressed through ``memo`` when given)."""
    media = {f.path: f.content for f in files if f.kind == "media"}
    return [_copy_module(f, files, media, memo) if f.kind == REQUEST_KIND else f for f in files]


def _copy_module(
    request: RenderedFile,
    files: Iterable[RenderedFile],
    media: dict[str, bytes],
    memo: CopyMemo | None = None,
) -> RenderedFile:
    scope_path = request.path.removesuffix(REQUEST)
    answers = next((f.content for f in files if f.path == scope_path + ANSWERS), b"")
    pages = {
        f.path: f.content for f in files if f.path.startswith(scope_path) and f.kind in PAGE_KINDS
    }
    copy = json.loads(request.content)
    locale = scope_path.rstrip("/").rsplit("/", 1)[-1]
    root = f"copy-{locale}/" if copy["neutral"] else scope_path.rstrip("/").replace("/", "-") + "/"
    present = frozenset({*pages, scope_path + ANSWERS, STYLESHEET, *media})
    disk = memo.for_disk if memo is not None else _for_disk
    entries = {path: disk(path, html, present) for path, html in pages.items()}
    entries[STYLESHEET] = _stylesheet()
    entries.update(media)
    home = pages.get(scope_path + "index.html", b"")
    entries["index.html"] = _start_page(scope_path, home)
    shell = _answers_shell(_for_disk(scope_path + ANSWERS, answers, present).decode("utf-8"))
    data = {
        "answersPath": root + scope_path + ANSWERS,
        "answersPage": shell,
        "name": root.rstrip("/") + ".zip",
    }
    text = "/* Written by icbt build: a copy of this programme in this language (keepcopy.js). */\n"
    for name, value in sorted(data.items()):
        text += f"export const {name} = {json.dumps(value, ensure_ascii=False)};\n"
    text += f'export const zip = "{base64.b64encode(copy_zip(root, entries, memo)).decode()}";\n'
    return RenderedFile(scope_path + COPY_MODULE, text.encode("utf-8"), kind=COPY_KIND)


@cache
def _stylesheet() -> bytes:
    """The site's stylesheet, read once: every locale's copy holds it."""
    return (resources.files("icbt_content.render") / "static" / "site.css").read_bytes()


def copy_zip(root: str, entries: dict[str, bytes], memo: DeflateMemo | None = None) -> bytes:
    """A zip of ``entries`` under the folder ``root``: sorted, dated :data:`ZIP_DATE` (each
    entry compressed through ``memo`` when given: the same bytes)."""
    return zip_bytes([(root + path, entries[path]) for path in sorted(entries)], ZIP_DATE, memo)


def _for_disk(path: str, html: bytes, present: frozenset[str]) -> bytes:
    """A page rewritten to be read from the disk: no scripts, links to files."""
    text = _SCRIPT.sub("", html.decode("utf-8"))
    text = _DROPPED_LINK.sub("", text)
    folder = posixpath.dirname(path)

    def tag(match: re.Match[str]) -> str:
        element = match.group(1).lower()

        def attribute(attr: re.Match[str]) -> str:
            name, url = attr.group(1), attr.group(2)
            if url.startswith("#") or _SCHEME.match(url):
                return attr.group(0)
            address, _, anchor = url.partition("#")
            target = posixpath.normpath(posixpath.join(folder, address or "."))
            if address.endswith("/") or address in ("", ".", "./", ".."):
                target = posixpath.join(target, "index.html")
            if target in present:
                rewritten = relative_url(f"{folder}/", target, anchor)
                return f' {name}="{rewritten}"'
            return "" if element == "a" else attr.group(0)

        return _URL_ATTR.sub(attribute, match.group(0))

    return _TAG.sub(tag, text).encode("utf-8")


def _answers_shell(page: str) -> str:
    """The "My answers" page with its heading only, and the mark where the answers go."""

    def main(match: re.Match[str]) -> str:
        heading = _H1.search(match.group(2))
        title = heading.group(0) if heading else ""
        return f"{match.group(1)}\n{title}\n{ANSWERS_MARK}\n{match.group(3)}"

    return _MAIN.sub(main, page, count=1)


def _start_page(scope_path: str, home: bytes) -> bytes:
    """The copy's first page: it opens the programme's home."""
    text = home.decode("utf-8")
    html = _HTML_TAG.search(text)
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    target = scope_path + "index.html"
    return (
        "<!doctype html>\n"
        f'{html.group(0) if html else "<html>"}\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f"<title>{title.group(1) if title else ''}</title>\n</head>\n<body>\n"
        f'<p><a href="{target}">{title.group(1) if title else target}</a></p>\n'
        "</body>\n</html>\n"
    ).encode()
