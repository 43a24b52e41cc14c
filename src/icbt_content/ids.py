"""Ids and slugs: the one place that decides how names become ids and anchors."""

from __future__ import annotations

import re
import unicodedata

from icbt_content.model.base import ID_RE

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ORDER_PREFIX = re.compile(r"^\d+[-_]")


def slugify(text: str, fallback: str = "section") -> str:
    """Turn heading text into an anchor id: ascii lower-case words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")[:60].strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"{fallback}-{slug}" if slug else fallback
    return slug


def page_id_from_filename(stem: str) -> str:
    """``02-what-is-social-anxiety`` -> ``what-is-social-anxiety``."""
    return _ORDER_PREFIX.sub("", stem)


def is_valid_id(value: str) -> bool:
    return bool(ID_RE.match(value)) and len(value) <= 64


def unique(slug: str, taken: set[str]) -> str:
    """Return ``slug`` or ``slug-2``, ``slug-3``... so it is not in ``taken``; record it."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def storage_key(programme_id: str, exercise_id: str) -> str:
    """The browser storage key a client's answers to an exercise are saved under."""
    return f"icbt/v1/{programme_id}/exercise/{exercise_id}"
