"""Which author media may be published: passive types only, known by name and by content.

A file in a programme's ``media/`` folder is served from the site's own origin, where the
clients' saved answers are. A file the browser could run (HTML, an SVG with a script, a
script file, a PDF with JavaScript) would run with access to them, so only types that cannot
run are published, listed in :data:`MEDIA_TYPES` by extension, each with a cheap check of the
file's first bytes so a renamed file is caught (ICBT111). SVG drawings are parsed with a real
XML parser (defusedxml: no entities, no external resources) and refused when they contain
anything active or anything that reaches outside the drawing (ICBT112).

PDF is refused: a PDF can carry JavaScript, forms that post elsewhere, links and embedded
files, and these can sit in compressed object streams, so no cheap check tells a passive PDF
from an active one. Put a worksheet's content in a page (its answers stay in the browser), or
link to a PDF hosted by the service.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from icbt_content.diagnostics import Diagnostic, diagnostic

Sniff = Callable[[bytes], bool]


@dataclass(frozen=True)
class MediaType:
    """A passive media type: its name for people, its MIME type, and a check of its content."""

    name: str
    mime: str
    sniff: Sniff


def _starts(*signatures: bytes) -> Sniff:
    return lambda data: data.startswith(signatures)


def _riff(form: bytes) -> Sniff:
    return lambda data: data[:4] == b"RIFF" and data[8:12] == form


def _iso_media(*brands: bytes) -> Sniff:
    """An ISO base media file (``ftyp`` box first) whose brands include one of ``brands``."""

    def sniff(data: bytes) -> bool:
        if data[4:8] != b"ftyp":
            return False
        size = int.from_bytes(data[:4], "big")
        listed = data[8:12] + data[16 : max(16, min(size, 256))]
        return any(listed[i : i + 4] in brands for i in range(0, len(listed) - 3, 4))

    return sniff


def _mp3(data: bytes) -> bool:
    return data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def _webvtt(data: bytes) -> bool:
    text = data.removeprefix(b"\xef\xbb\xbf")
    if not re.match(rb"WEBVTT(?:[ \t\n\r]|$)", text):
        return False
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_VIDEO_BRANDS = (b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash")
_AUDIO_BRANDS = (b"M4A ", b"M4B ", b"mp42", b"isom", b"iso2", b"dash")

#: Passive types by file extension (lower case, without the dot). SVG is checked by
#: :func:`svg_problem` as well. Add an entry to publish another passive type.
MEDIA_TYPES: dict[str, MediaType] = {
    "png": MediaType("PNG image", "image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": MediaType("JPEG image", "image/jpeg", _starts(b"\xff\xd8\xff")),
    "jpeg": MediaType("JPEG image", "image/jpeg", _starts(b"\xff\xd8\xff")),
    "gif": MediaType("GIF image", "image/gif", _starts(b"GIF87a", b"GIF89a")),
    "webp": MediaType("WebP image", "image/webp", _riff(b"WEBP")),
    "avif": MediaType("AVIF image", "image/avif", _iso_media(b"avif", b"avis")),
    "svg": MediaType("SVG drawing", "image/svg+xml", lambda data: True),
    "mp3": MediaType("MP3 audio", "audio/mpeg", _mp3),
    "m4a": MediaType("M4A audio", "audio/mp4", _iso_media(*_AUDIO_BRANDS)),
    "ogg": MediaType("Ogg audio", "audio/ogg", _starts(b"OggS")),
    "opus": MediaType("Opus audio", "audio/ogg", _starts(b"OggS")),
    "wav": MediaType("WAV audio", "audio/wav", _riff(b"WAVE")),
    "mp4": MediaType("MP4 video", "video/mp4", _iso_media(*_VIDEO_BRANDS)),
    "webm": MediaType("WebM video", "video/webm", _starts(b"\x1a\x45\xdf\xa3")),
    "vtt": MediaType("WebVTT captions", "text/vtt", _webvtt),
}

_ALLOWED = ", ".join(sorted({f".{ext}" for ext in MEDIA_TYPES}))


def media_problem(name: str, data: bytes, shown: str) -> Diagnostic | None:
    """Why the media file ``name`` (content ``data``) may not be published; None if it may."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    kind = MEDIA_TYPES.get(extension)
    if kind is None:
        what = f"'.{extension}' files" if extension else "files without an extension"
        return diagnostic(
            "ICBT111",
            f"{what} are not published from media/: only passive images, audio, video and "
            "captions are",
            shown,
            hint=f"remove '{name}' from media/ (allowed: {_ALLOWED}); put text in a page, and "
            "export documents as images",
        )
    if not kind.sniff(data[:512]):
        return diagnostic(
            "ICBT111",
            f"'{name}' is named as a {kind.name} but its content is not one",
            shown,
            hint=f"save it again as a real {kind.name}, or give it the extension of what it is",
        )
    if extension == "svg":
        return svg_problem(data, shown)
    return None


# -- SVG -----------------------------------------------------------------------------------------

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
#: Namespaces an SVG may use: SVG itself, and the metadata drawing programs write.
_PASSIVE_NAMESPACES = {
    SVG,
    XLINK,
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
}
#: Elements that run code or show other documents, in any namespace.
_ACTIVE_ELEMENTS = {
    "script",
    "foreignobject",
    "handler",
    "listener",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "canvas",
}
_ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
_LINK_ATTRIBUTES = {"href", "src", "action", "formaction", "data"}
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*(?P<target>[^)'\"]*)", re.IGNORECASE)


def _split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


class _Collector(TreeBuilder):
    """Keeps processing instructions (``<?xml-stylesheet ...?>``) and each element's line."""

    def __init__(self) -> None:
        super().__init__(insert_pis=True)
        self.lines: list[int] = []
        self.parser: DefusedXMLParser | None = None
        self.instruction: tuple[str, int] | None = None
        """The first processing instruction (it may come before the root, outside the tree)."""

    def _line(self) -> int:
        expat = getattr(self.parser, "parser", None)
        return int(getattr(expat, "CurrentLineNumber", 1))

    def pi(self, target: str, text: str | None = None) -> Element[Any]:
        if self.instruction is None:
            self.instruction = (target, self._line())
        return super().pi(target, text)

    def start(self, tag: Any, attrs: dict[Any, Any]) -> Element[Any]:
        self.lines.append(self._line())
        return super().start(tag, attrs)


def svg_problem(data: bytes, shown: str) -> Diagnostic | None:
    """Why an SVG drawing may not be published (active or outside content); None if it may."""
    collector = _Collector()
    parser = DefusedXMLParser(target=collector, forbid_dtd=False)
    collector.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        return _svg("declares entities or loads external definitions", shown, 1, str(exc))
    except ParseError as exc:
        line = exc.position[0] if exc.position else 1
        return diagnostic(
            "ICBT111",
            f"the SVG drawing is not well-formed XML: {exc}",
            shown,
            line,
            hint="export it again from the drawing program",
        )
    if _split(root.tag) != (SVG, "svg"):
        return diagnostic(
            "ICBT111",
            "the file is not an SVG drawing (its first element is not <svg> in the SVG namespace)",
            shown,
            hint='export it again as SVG: it starts <svg xmlns="http://www.w3.org/2000/svg">',
        )
    if collector.instruction is not None:
        target, line = collector.instruction
        return _svg(f"has a processing instruction (<?{target} ...?>)", shown, line)
    line_of = dict(zip((id(e) for e in _elements(root)), collector.lines, strict=False))
    for element in _elements(root):
        line = line_of.get(id(element), 1)
        problem = _element_problem(element.tag, element.attrib, element.text or "")
        if problem:
            return _svg(problem, shown, line)
    return None


def _elements(root: Element[Any]) -> list[Element[Any]]:
    """Elements in document order, as the parser saw them (processing instructions left out)."""
    return [e for e in root.iter() if isinstance(e.tag, str)]


def _element_problem(tag: str, attrib: dict[str, str], text: str) -> str | None:
    namespace, local = _split(tag)
    if local.lower() in _ACTIVE_ELEMENTS:
        return f"has a <{local}> element"
    if namespace not in _PASSIVE_NAMESPACES:
        return (
            f"has an element from another language (<{local}> in '{namespace or 'no'}' namespace)"
        )
    if local.lower() in _ANIMATIONS:
        target = attrib.get("attributeName", "").lower()
        if target.endswith("href") or target.startswith("on") or target in _LINK_ATTRIBUTES:
            return f"animates the '{attrib.get('attributeName')}' attribute"
    if local == "style" and (_outside_url(text) or "@import" in text.lower()):
        return "has a style sheet that loads another file"
    for name, value in attrib.items():
        attribute_namespace, attribute = _split(name)
        attribute = attribute.lower()
        if attribute.startswith("on"):
            return f"has an event attribute '{attribute}'"
        if attribute_namespace not in ("", *_PASSIVE_NAMESPACES):
            return f"has an attribute from another language ('{attribute}')"
        if attribute == "base":
            return "sets xml:base"
        if attribute in _LINK_ATTRIBUTES:
            reference = value.strip()
            embedded = local == "image" and _DATA_IMAGE.match(reference)
            if not reference.startswith("#") and not embedded:
                return f"refers to '{reference[:60]}' (only #ids inside the drawing are allowed)"
        if _outside_url(value):
            return f"refers to another file in '{attribute}'"
    return None


def _outside_url(css: str) -> bool:
    return any(not m.group("target").strip().startswith("#") for m in _CSS_URL.finditer(css))


def _svg(problem: str, shown: str, line: int, detail: str = "") -> Diagnostic:
    return diagnostic(
        "ICBT112",
        f"the SVG drawing {problem}" + (f" ({detail})" if detail else ""),
        shown,
        line,
        hint="remove it and export the drawing again as plain SVG (or as PNG); drawings may "
        "not run scripts or load anything",
    )
