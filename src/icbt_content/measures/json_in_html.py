"""What the site needs from a measure: its definition as JSON that is safe inside HTML."""

from __future__ import annotations

import json

from markupsafe import Markup

from icbt_content.model.measure import Measure

_UNSAFE_IN_HTML = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def measure_json(measure: Measure) -> str:
    """Return the measure as JSON for ``<script type="application/json">``, safe to embed.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` and so on, so no text in the measure can
    close the script element. The result is :class:`markupsafe.Markup`: Jinja2 inserts it as
    it is, while a plain string would be HTML-escaped (and fail to parse, rather than inject).
    """
    data = measure.model_dump(mode="json", exclude={"source"})
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escaped in _UNSAFE_IN_HTML.items():
        text = text.replace(char, escaped)
    return Markup(text)
