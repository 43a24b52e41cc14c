"""Which link targets content may use: https, mailto, tel, and relative paths."""

from __future__ import annotations

import re
from urllib.parse import unquote

SAFE_SCHEMES = frozenset({"https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def url_scheme(url: str) -> str | None:
    """The scheme of ``url`` (lower-case), ignoring the tricks browsers forgive."""
    cleaned = _CONTROL.sub("", unquote(url))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def is_safe_url(url: str) -> bool:
    """True for https, mailto and tel links, and for relative links."""
    scheme = url_scheme(url)
    if scheme is None:
        return not url.strip().startswith("//")
    return scheme in SAFE_SCHEMES


def is_relative(url: str) -> bool:
    return url_scheme(url) is None and not url.startswith(("/", "#"))
