"""The site's safety words: what a client in crisis must be able to read in their own language.

They are the words of the crisis page template, of the risk alert the deployment's connection
uses (``risk-alert/<connection>.html``), and the "Need help now?" link on every page. A locale
whose safety words are not all translated is not published (ICBT807).
"""

from __future__ import annotations

import re
from pathlib import Path

from icbt_content.i18n.interface import template_strings

#: Templates whose every interface string is safety advice ({connection} from deploy.yaml).
SAFETY_TEMPLATES = ("crisis.html", "risk-alert/{connection}.html")
#: Safety strings of templates that also hold other words.
NEED_HELP = "Need help now?"


def safety_strings(connection: str = "none", project: Path | None = None) -> list[str]:
    """The interface strings a client in crisis must read in their language, in template order."""
    names = {name.format(connection=connection) for name in SAFETY_TEMPLATES}
    files = {f"icbt_content/render/templates/{name}" for name in names}
    files |= {f"templates/{name}" for name in names}  # a project's own overrides
    found = [NEED_HELP]
    for item in template_strings(project):
        at = item.location.rsplit(":", 1)[0]
        if at in files and item.text not in found and has_words(item.text):
            found.append(item.text)
    return found


_SLOT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def has_words(text: str) -> bool:
    """Whether a string has words besides its ``{slots}``: one that is only punctuation around
    slots (``({hours})``) reads the same untranslated, so it does not hold a locale back."""
    return any(char.isalpha() for char in _SLOT.sub("", text))
