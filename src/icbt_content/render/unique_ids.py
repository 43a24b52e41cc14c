"""Every generated page has unique ids: links, labels and the site's scripts depend on it."""

from __future__ import annotations

import re
from collections import Counter

from icbt_content.diagnostics import Diagnostic, diagnostic

# Text and attribute values are escaped when rendered ('"' becomes '&quot;'), so ' id="' can
# only be an attribute of an element; 'data-id="' does not match (no space before 'id').
_ID_ATTRIBUTE = re.compile(rb'\sid="([^"]*)"')


def duplicate_ids(path: str, content: bytes, source: str = "") -> list[Diagnostic]:
    """ICBT211 for each id used more than once in the HTML page ``path``.

    ``source`` is the file the page was made from, where the diagnostic points.
    """
    if not path.endswith(".html"):
        return []
    counts = Counter(_ID_ATTRIBUTE.findall(content))
    return [
        diagnostic(
            "ICBT211",
            f"the generated page '{path}' has {count} elements with the id "
            f"'{value.decode('utf-8', 'replace')}'",
            source or path,
            hint="rename one of the headings ({#id}), boxes, exercises or fields that give this id",
        )
        for value, count in sorted(counts.items())
        if count > 1
    ]
