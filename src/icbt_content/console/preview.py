"""What the client will see: a guidance message as the connected site shows it.

The site turns a message into DOM nodes with ``loop/safemarkdown.js`` (a small Markdown subset:
paragraphs, lists, bold, emphasis, code, and https, mailto and tel links; everything else is
text). This is the same subset in Python, so the therapist's preview is exactly what the client
reads: a link the site will not make, or a backslash escape, shows here as it shows there.
``tests/console/test_console_preview.py`` holds it to the site's own cases.
"""

from __future__ import annotations

import re

from markupsafe import Markup

SAFE_LINK = re.compile(r"^(?:https://[^\s]+|mailto:[^\s]+|tel:[+\d][\d\s-]*)$", re.I | re.A)
RELATIVE = re.compile(r"^(?!.*\.\.)[a-z0-9][a-z0-9._~/-]*(?:#[A-Za-z0-9_-]+)?$", re.I | re.A)
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])", re.A)
INLINE = re.compile(
    r"\\([!-/:-@\[-`{-~])|\*\*((?:\\.|[^*])+)\*\*|\*((?:\\.|[^*])+)\*|_([^_]+)_|`([^`]+)`"
    r"|\[((?:\\.|[^\]])+)\]\(([^)\s]+)\)",
    re.A,
)
#: The way from the site's Messages page to the programme's home in the client's language.
MESSAGES_ROOT = "../"
BULLET = re.compile(r"^\s*[-*]\s+", re.A)
NUMBER = re.compile(r"^\s*\d+[.)]\s+", re.A)
HEADING = re.compile(r"^#{1,6}\s+", re.A)
MARKER = re.compile(r"^\s*(?:[-*]|\d+[.)])\s+", re.A)
BLOCKS = re.compile(r"\n\s*\n", re.A)


def _text(value: str) -> str:
    """A text node as the DOM serialises it: only &, < and > are escaped."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


def _unescape(text: str) -> str:
    return ESCAPE.sub(r"\1", text)


def link_target(address: str, root: str | None) -> str | None:
    """Where a link goes, as safemarkdown.js decides: a safe absolute address as it is, a page
    of the programme (relative to its home) behind ``root``; None when it stays text."""
    if SAFE_LINK.match(address):
        return address
    return root + address if root is not None and RELATIVE.match(address) else None


def _inline(text: str, root: str | None) -> str:
    parts: list[str] = []
    last = 0
    for match in INLINE.finditer(text):
        parts.append(_text(text[last : match.start()]))
        escaped, bold, em1, em2, code, link_text, address = match.groups()
        target = link_target(address, root) if address is not None else None
        if escaped is not None:
            parts.append(_text(escaped))
        elif bold is not None:
            parts.append(f"<strong>{_text(_unescape(bold))}</strong>")
        elif em1 is not None or em2 is not None:
            parts.append(f"<em>{_text(_unescape(em1) if em1 is not None else em2)}</em>")
        elif code is not None:
            parts.append(f"<code>{_text(code)}</code>")
        elif target is not None:
            parts.append(
                f'<a href="{_attribute(target)}" rel="noopener noreferrer">'
                f"{_text(_unescape(link_text))}</a>"
            )
        else:
            parts.append(_text(match.group(0)))
        last = match.end()
    parts.append(_text(text[last:]))
    return "".join(parts)


def client_view(markdown: str, root: str | None = MESSAGES_ROOT) -> Markup:
    """Return the HTML the connected site shows for a message (safe: all text is escaped);
    ``root`` as in safemarkdown.js (relative links of the programme go behind it)."""
    html: list[str] = []
    text = re.sub(r"\r\n?", "\n", markdown or "")
    for block in BLOCKS.split(text):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        bullets = all(BULLET.match(line) for line in lines)
        numbers = all(NUMBER.match(line) for line in lines)
        if bullets or numbers:
            tag = "ul" if bullets else "ol"
            items = "".join(f"<li>{_inline(MARKER.sub('', line), root)}</li>" for line in lines)
            html.append(f"<{tag}>{items}</{tag}>")
        else:
            html.append(
                "<p>" + "<br>".join(_inline(HEADING.sub("", line), root) for line in lines) + "</p>"
            )
    # Every piece of text above went through _text or _attribute.
    return Markup("".join(html))
