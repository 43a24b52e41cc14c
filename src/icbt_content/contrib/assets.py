"""Our site's styles and scripts for another site: the CSS scoped to the wrapper every embedded
page sits in, the scripts (ES modules) as they are.

The styles are the site's ``site.css`` with ``contrib/static/embed.css`` (what only embedded
pages have, and the browser defaults host themes often change) added, every selector prefixed
with ``.icbt`` so they apply inside the wrapper and nowhere else on the host's pages.
"""

from __future__ import annotations

import re
from importlib import resources

from icbt_content.errors import InvalidArgumentError

#: The class of the element every embedded page is wrapped in; the scoped styles apply inside it.
SCOPE = "icbt"

#: The scripts a host page loads, each as ``<script type="module">``; they import the others
#: (which must be in the same folder).
ENTRY_SCRIPTS = ("icbt.js",)

#: The styles only embedded pages have, added to ``site.css`` before it is scoped.
EMBED_CSS = "embed.css"


def static_assets(scope: str = SCOPE) -> dict[str, bytes]:
    """Our site's CSS and scripts for another site: CSS scoped to ``.<scope>``, the scripts (ES
    modules, to be kept together in one folder) as they are."""
    static = resources.files("icbt_content.render") / "static"
    extra = (resources.files("icbt_content.contrib") / "static" / EMBED_CSS).read_text("utf-8")
    found: dict[str, bytes] = {}
    for entry in sorted(static.iterdir(), key=lambda e: e.name):
        if not entry.is_file() or entry.name.startswith("."):
            continue
        content = entry.read_bytes()
        if entry.name.endswith(".css"):
            css = content.decode("utf-8") + (extra if entry.name == "site.css" else "")
            content = scope_css(css, f".{scope}").encode("utf-8")
        found[entry.name] = content
    return found


def script_order(names: list[str]) -> list[str]:
    """The scripts a page loads (as ``type="module"``), of the asset ``names``: the entry
    modules only, since they import the rest."""
    return [name for name in ENTRY_SCRIPTS if name in names]


_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_ROOTS = (":root", "html", "body")
_GROUPING_RULES = ("@media", "@supports", "@layer", "@container")


def scope_css(css: str, scope: str) -> str:
    """Make a style sheet apply only inside ``scope`` (a selector such as ``.icbt``).

    Every selector is prefixed with the scope; ``:root``, ``html`` and ``body`` become the scope
    itself, so custom properties and base styles land on the wrapper. ``@media``, ``@supports``
    and similar rules are scoped inside; ``@font-face``, ``@keyframes`` and the like are kept.
    """
    return _scope_rules(_COMMENT.sub("", css), scope).strip() + "\n"


def _scope_rules(css: str, scope: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(css):
        brace = _find_top(css, "{", i)
        semicolon = _find_top(css, ";", i)
        if brace < 0 and semicolon < 0:
            break
        if semicolon >= 0 and (brace < 0 or semicolon < brace):
            out.append(css[i : semicolon + 1].strip() + "\n")  # @charset, @import...
            i = semicolon + 1
            continue
        prelude = " ".join(css[i:brace].split())
        end = _matching(css, brace)
        body = css[brace + 1 : end]
        if prelude.startswith(_GROUPING_RULES):
            out.append(f"{prelude} {{\n{_scope_rules(body, scope)}}}\n")
        elif prelude.startswith("@"):
            out.append(f"{prelude} {{{body}}}\n")
        else:
            selectors = ", ".join(_scope_selector(s, scope) for s in _split_top(prelude, ","))
            out.append(f"{selectors} {{{body.strip()}}}\n")
        i = end + 1
    return "".join(out)


def _scope_selector(selector: str, scope: str) -> str:
    selector = selector.strip()
    for root in _ROOTS:
        if selector == root:
            return scope
        if selector.startswith(root + " ") or selector.startswith(root + ">"):
            return scope + selector[len(root) :]
    return f"{scope} {selector}"


def _find_top(text: str, char: str, start: int) -> int:
    """The index of ``char`` at or after ``start`` outside strings and parentheses, or -1."""
    depth, quote, i = 0, "", start
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == char and depth == 0:
            return i
        i += 1
    return -1


def _matching(text: str, open_at: int) -> int:
    """The index of the ``}`` closing the ``{`` at ``open_at``."""
    depth, i = 0, open_at
    while i < len(text):
        found = min(
            (j for j in (_find_top(text, "{", i), _find_top(text, "}", i)) if j >= 0),
            default=-1,
        )
        if found < 0:
            break
        depth += 1 if text[found] == "{" else -1
        if depth == 0:
            return found
        i = found + 1
    raise InvalidArgumentError("unbalanced braces in CSS")


def _split_top(text: str, char: str) -> list[str]:
    parts, i = [], 0
    while True:
        j = _find_top(text, char, i)
        if j < 0:
            parts.append(text[i:])
            return [p.strip() for p in parts if p.strip()]
        parts.append(text[i:j])
        i = j + 1


__all__ = [
    "EMBED_CSS",
    "ENTRY_SCRIPTS",
    "SCOPE",
    "scope_css",
    "script_order",
    "static_assets",
]
