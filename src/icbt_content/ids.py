"""Ids and slugs: the one place that decides how names become ids and anchors."""

from __future__ import annotations

import re
import unicodedata

from icbt_content.model.base import ID_RE

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ORDER_PREFIX = re.compile(r"^\d+[-_]")

MAX_ID_LENGTH = 64

#: Ids the site's templates give their own elements (skip link, notices, the answers page, the
#: therapist guide's sections). Keep in step with ``render/templates``: the build's duplicate-id
#: check reports any id a template adds that an author could also write.
RESERVED_IDS = frozenset(
    {
        "main",
        "locked-notice",
        "module-opened",
        "export-title",
        "export-answers",
        "import-answers",
        "delete-answers",
        "answers-status",
        "check-in-title",
        "notes",
        "pages",
        "messages",
        "modules",
        "measures",
    }
)
#: Prefixes of the ids the site makes from other ids: questionnaires (``q-phq9``, the data of a
#: questionnaire in ``measure-phq9``), exercises (``ex-``), their fields (``f-``), therapist
#: messages (``message-``), and ``icbt-`` for anything else the site adds.
RESERVED_PREFIXES = ("q-", "measure-", "icbt-", "ex-", "f-", "message-")


def is_reserved_id(value: str) -> bool:
    """Whether the site uses ``value`` (or ids like it) for its own elements."""
    return value in RESERVED_IDS or value.startswith(RESERVED_PREFIXES)


def slugify(text: str, fallback: str = "section") -> str:
    """Turn heading text into an anchor id: ascii lower-case words joined by hyphens.

    The result is always a valid id that the site does not reserve: words that would start
    with a digit or make a reserved id get ``fallback`` in front.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")[:60].strip("-")
    if not slug or not slug[0].isalpha() or is_reserved_id(slug):
        slug = f"{fallback}-{slug}" if slug else fallback
    return slug[:MAX_ID_LENGTH].rstrip("-")


def page_id_from_filename(stem: str) -> str:
    """``02-what-is-social-anxiety`` -> ``what-is-social-anxiety``."""
    return _ORDER_PREFIX.sub("", stem)


def is_valid_id(value: str) -> bool:
    return bool(ID_RE.match(value)) and len(value) <= MAX_ID_LENGTH


def unique(slug: str, taken: set[str], counters: dict[str, int] | None = None) -> str:
    """Return ``slug`` or ``slug-2``, ``slug-3``... so it is not in ``taken``; record it.

    ``counters`` remembers the last number given to each slug, so that n headings with the
    same words take linear time; the ids are the same as without it, because every number
    below the remembered one is already taken.
    """
    counters = {} if counters is None else counters
    n = counters.get(slug, 1)
    candidate = _numbered(slug, n)
    while candidate in taken:
        n += 1
        candidate = _numbered(slug, n)
    counters[slug] = n
    taken.add(candidate)
    return candidate


def _numbered(slug: str, n: int) -> str:
    if n == 1:
        return slug
    suffix = f"-{n}"
    return slug[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix


#: The start of every browser storage key the site uses; the version changes only when the
#: shape of saved records changes incompatibly. The site's scripts get every key from the page
#: data the build writes (:func:`storage_keys`), so this is the only place that spells it.
STORAGE_ROOT = "icbt/v1/"

#: Kinds of record kept once per item id (``<programme prefix><kind>/<id>``).
ITEM_KINDS = ("exercise", "measure")


def storage_prefix(programme_id: str) -> str:
    """The start of every storage key of one programme: ``icbt/v1/<programme>/``."""
    return f"{STORAGE_ROOT}{programme_id}/"


def storage_key(programme_id: str, exercise_id: str, kind: str = "exercise") -> str:
    """The browser storage key a client's answers to an exercise (or a measure) are saved under."""
    return f"{storage_prefix(programme_id)}{kind}/{exercise_id}"


def progress_key(programme_id: str) -> str:
    """The storage key of the pages a client has read and the modules opened for them."""
    return f"{storage_prefix(programme_id)}progress"


def storage_keys(programme_id: str) -> dict[str, str]:
    """The key scheme of one programme, as the site's scripts receive it in the page data.

    ``programme`` starts every key of the programme; ``exercise`` and ``measure`` are followed
    by an exercise or measure id; ``progress`` is a whole key.
    """
    keys = {"programme": storage_prefix(programme_id), "progress": progress_key(programme_id)}
    keys.update({kind: storage_key(programme_id, "", kind) for kind in ITEM_KINDS})
    return keys
