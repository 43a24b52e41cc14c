"""The sandbox guidance templates run in: what a template can see, call, filter and print.

A guidance template is written by a clinician and may be translated by someone else, so it is
untrusted code. It runs in Jinja's ``ImmutableSandboxedEnvironment`` narrowed further:

- no globals at all (no ``range``, ``lipsum``, ``cycler``, ``joiner``, ``namespace``, ``dict``);
- attributes only on the context objects (their fields) and on ``loop`` (``loop.index``...);
- calls only to the helpers :func:`section_link` and :func:`plural`;
- a short allowlist of filters and tests;
- no ``**``, and ``*`` only between numbers (``"x" * 10**9`` would exhaust memory);
- ``StrictUndefined``: a missing value is an error, never an empty string;
- the limits of :data:`~icbt_content.guidance.limits.GUIDANCE_LIMITS` on output, loops, nesting,
  numbers, text and time (see :mod:`icbt_content.guidance.bounded`).

Every printed value becomes literal Markdown text (see :func:`markdown_text`), so nothing a client
or therapist types into their name can turn into a link, an image, HTML or formatting.
"""

from __future__ import annotations

import gettext
import re
import string
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural
from babel.numbers import format_decimal
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext, Undefined
from jinja2.tests import TESTS
from markupsafe import Markup
from pydantic import BaseModel

from icbt_content.errors import IcbtError, InvalidArgumentError
from icbt_content.guidance.bounded import BoundedSandbox
from icbt_content.guidance.limits import GUIDANCE_LIMITS
from icbt_content.ids import is_valid_id
from icbt_content.markdown.links import is_safe_url
from icbt_content.model.guidance import GuidanceContext

#: Builds the URL of a section (module id, anchor id) in the client's language.
SectionUrl = Callable[[str, str], str]

HELPERS: Final = ("section_link", "plural")

ALLOWED_FILTERS: Final = frozenset(
    {
        "abs",
        "capitalize",
        "default",
        "first",
        "int",
        "join",
        "last",
        "length",
        "lower",
        "round",
        "title",
        "trim",
        "upper",
    }
)

ALLOWED_TESTS: Final = frozenset(
    {
        "defined",
        "undefined",
        "none",
        "number",
        "string",
        "boolean",
        "true",
        "false",
        "even",
        "odd",
        "divisibleby",
        "in",
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
    }
)

#: What a template may read from ``loop`` inside ``{% for %}``.
LOOP_ATTRIBUTES: Final = frozenset(
    {
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "previtem",
        "nextitem",
        "depth",
        "depth0",
    }
)

#: Names that exist in ordinary Jinja but lead towards internals; never available here.
FORBIDDEN_NAMES: Final = frozenset(
    {
        "self",
        "cycler",
        "joiner",
        "lipsum",
        "namespace",
        "range",
        "dict",
        "config",
        "request",
        "session",
        "g",
        "url_for",
        "gettext",
        "ngettext",
        "caller",
        "varargs",
        "kwargs",
    }
)


def context_objects() -> dict[str, type[BaseModel]]:
    """Map each context variable that is an object to its model (``client`` -> ClientInfo)."""
    found: dict[str, type[BaseModel]] = {}
    for name, info in GuidanceContext.model_fields.items():
        candidates = (info.annotation, *getattr(info.annotation, "__args__", ()))
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found[name] = candidate
    return found


def context_variables() -> list[str]:
    """Every top-level name a template can use: the context fields and the helpers."""
    return [*GuidanceContext.model_fields, *HELPERS]


class TemplateValueError(IcbtError):
    """A template did something with a value that cannot make a sensible message."""


class UnknownSectionError(TemplateValueError):
    """``section_link`` was given a section the programme does not have."""


class TrustedMarkdown(Markup):
    """Markdown the library built itself (a section URL): printed as it is, never escaped."""

    __slots__ = ()


class Helper:
    """A function templates may call. Only instances of this class are callable in the sandbox."""

    __slots__ = ("_function", "_name")

    def __init__(self, name: str, function: Callable[..., Any]) -> None:
        self._name = name
        self._function = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<helper {self._name}()>"


class GuidanceSandbox(BoundedSandbox):
    """The bounded sandbox, narrowed to what a guidance message needs."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Allow only the fields of context objects and the documented ``loop`` attributes."""
        if attr.startswith("_"):
            return False
        if isinstance(obj, BaseModel):
            return attr in type(obj).model_fields
        if isinstance(obj, LoopContext):
            return attr in LOOP_ATTRIBUTES
        return False

    def wrap_str_format(self, value: Any) -> None:
        """Never hand out ``str.format``: it can reach attributes (``{0.__class__}``)."""
        return None

    def is_safe_callable(self, obj: Any) -> bool:
        """Allow calling the helpers only."""
        return isinstance(obj, Helper)

    def refuse_call(self, obj: Any) -> Exception:
        """Name what was called, and what can be."""
        return SecurityError(
            f"{_describe(obj)} cannot be called; only section_link() and plural() can"
        )

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Refuse ``**``, and ``*`` on anything but numbers; the limits do the rest."""
        if operator == "**":
            raise SecurityError("the ** operator is not allowed in guidance templates")
        if operator == "*" and not (_is_number(left) and _is_number(right)):
            raise SecurityError("only numbers can be multiplied in guidance templates")
        return super().call_binop(context, operator, left, right)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _describe(obj: Any) -> str:
    if isinstance(obj, Undefined):
        return "an undefined value"
    return f"a value of type '{type(obj).__name__}'"


# Markdown escaping of printed values.
#
# Autoescape is on, so Jinja itself treats every value as text, not markup: string-building
# filters (join) escape their parts, and anything that reached the output without going through
# ``finalize`` would still be HTML-escaped. HTML escaping alone does not protect Markdown, though:
# ``[x](https://phishing.example)`` or ``**URGENT**`` contain no HTML characters. So ``finalize``
# (run on every ``{{ ... }}`` before autoescape) turns each value into literal Markdown text:
# ``&``, ``<`` and ``>`` become entities, every other Markdown punctuation mark gets a backslash,
# line breaks and runs of spaces become one space (no new blocks, no indented code), and control
# and bidi override characters are dropped. The Markdown renderer, with raw HTML off and a URL
# scheme allowlist, is the last layer.
_ENTITIES: Final = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_NEVER_SPECIAL: Final = frozenset("',?;")
_BACKSLASHED: Final = frozenset(string.punctuation) - _NEVER_SPECIAL - set(_ENTITIES)
_DROPPED: Final = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_SPACES: Final = re.compile(r"\s+")


def markdown_text(text: str) -> str:
    """Escape ``text`` so that, read as Markdown, it shows exactly these characters as text."""
    text = _SPACES.sub(" ", _DROPPED.sub("", text))
    out: list[str] = []
    for char in text:
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _BACKSLASHED:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def finalize(value: Any) -> Markup:
    """Turn a printed value into Markdown text, refusing values that make no sense in a message."""
    if isinstance(value, TrustedMarkdown):
        return value
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises UndefinedError with the name that is missing
    if value is None:
        raise TemplateValueError(
            "the message prints a value that is empty (none) for this client; "
            "guard it with {% if ... is not none %}"
        )
    if isinstance(value, BaseModel | LoopContext):
        raise TemplateValueError(
            "the message prints a whole object; print one of its fields, such as module.title"
        )
    if isinstance(value, list | tuple | dict | set | frozenset):
        raise TemplateValueError(
            'the message prints a whole list; join it, as in exercises_done|join(", ")'
        )
    if not isinstance(value, str | int | float):
        raise SecurityError(f"a value of type '{type(value).__name__}' cannot be printed")
    text = value.unescape() if isinstance(value, Markup) else str(value)
    return Markup(markdown_text(text))


@cache
def environment() -> GuidanceSandbox:
    """The shared sandbox (it keeps no per-message state)."""
    env = GuidanceSandbox(
        GUIDANCE_LIMITS,
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize,
        auto_reload=False,
    )
    env.globals.clear()
    env.filters = env.bounded_filters(ALLOWED_FILTERS)
    env.tests = {name: TESTS[name] for name in sorted(ALLOWED_TESTS)}
    return env


_LOCALE_RE: Final = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def parse_locale(code: str) -> Locale:
    """Parse a locale code such as ``en-GB``; raise InvalidArgumentError if Babel lacks it."""
    if not _LOCALE_RE.match(code):
        raise InvalidArgumentError(f"'{code}' is not a locale code (such as en-GB or de)")
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise InvalidArgumentError(f"unknown locale '{code}'") from exc


@cache
def _plural_rule(locale: str) -> Callable[[int], int]:
    # The gettext rule (the one PO files use), so forms are in the same order as msgstr[0..n].
    return gettext.c2py(get_plural(locale).plural_expr)


def make_helpers(locale: Locale, section_url: SectionUrl) -> dict[str, Helper]:
    """Build the helpers for one message in one locale."""
    rule = _plural_rule(str(locale))

    def plural(n: Any, *forms: Any) -> str:
        """Pick the plural form for ``n`` by the locale's rules and put ``n`` in for ``{n}``."""
        if isinstance(n, Undefined):
            str(n)
        if n is None:
            raise TemplateValueError("plural() was given an empty value (none) as its number")
        if not isinstance(n, int) or isinstance(n, bool):
            raise TemplateValueError(f"plural() needs a whole number first, not {n!r}")
        if not forms:
            raise TemplateValueError("plural() needs the forms after the number")
        form = str(forms[min(rule(abs(n)), len(forms) - 1)])
        # Only the {n} token is substituted: never str.format on text a translator wrote.
        return form.replace("{n}", format_decimal(n, locale=locale))

    def section_link(module: Any, anchor: Any) -> TrustedMarkdown:
        """Return the URL of a section of a module, in the client's language."""
        if not (isinstance(module, str) and isinstance(anchor, str)):
            raise TemplateValueError("section_link() needs a module id and an anchor as text")
        if not (is_valid_id(module) and is_valid_id(anchor)):
            raise UnknownSectionError(f"'{module}#{anchor}' is not a module id and an anchor")
        try:
            url = section_url(module, anchor)
        except (KeyError, LookupError, ValueError) as exc:
            raise UnknownSectionError(
                f"there is no section '{anchor}' in module '{module}'"
            ) from exc
        # Percent-encode anything that could end a Markdown link destination or start markup.
        url = quote(url, safe="/#?=&%:@+,;-._~")
        if not is_safe_url(url):
            raise SecurityError(f"section URL '{url}' does not use a safe scheme")
        return TrustedMarkdown(url)

    return {
        "section_link": Helper("section_link", section_link),
        "plural": Helper("plural", plural),
    }


def template_variables(context: GuidanceContext, helpers: Mapping[str, Helper]) -> dict[str, Any]:
    """The names a template sees: the context's fields (objects stay models) and the helpers."""
    variables: dict[str, Any] = {
        name: getattr(context, name) for name in GuidanceContext.model_fields
    }
    variables["exercises_done"] = tuple(context.exercises_done)
    variables.update(helpers)
    return variables
