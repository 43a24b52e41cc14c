"""Formatting in templates (``%``, the ``format`` filter, ``str.format``): text and numbers only.

Python's formatting can print a value's internal form (``'%r' % client``), reach attributes
(``'{0.__class__}'``) and allocate without limit (``'%999999999d' % 1``). Templates get it with
three rules: only text and numbers are formatted, never their ``repr``; widths and precisions are
at most :attr:`Limits.format_width`; the result is held to the size limit by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from jinja2.runtime import Undefined
from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter

from icbt_content.guidance.limits import FormattingRefused

#: One ``%`` conversion: ``%(key)-08.3f``. The format string is data here, not template source.
_PERCENT: Final = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?(?P<flags>[-#0 +]*)(?P<width>\*|\d+)?"
    r"(?:\.(?P<precision>\*|\d*))?[hlL]?(?P<conversion>.?)",
    re.DOTALL,
)

#: A ``str.format`` spec: ``[[fill]align][sign][z][#][0][width][grouping][.precision][type]``.
_SPEC: Final = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d*))?[a-zA-Z%]?",
    re.DOTALL,
)

_REPR_HINT: Final = (
    "'%r' and '%a' (and '!r' in format()) show a value's internal form; use %s for its text"
)


def check_plain(value: Any, what: str) -> None:
    """Refuse to format anything but text and numbers (never a whole object)."""
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises UndefinedError naming what is missing
    if isinstance(value, str | int | float):
        return
    raise FormattingRefused(
        f"{what} can format only text and numbers, not a value of type '{type(value).__name__}'"
    )


def _check_width(part: str | None, width_limit: int) -> None:
    if part == "*":
        raise FormattingRefused("a width or precision given as '*' is not allowed in formats")
    if part and (len(part) > 6 or int(part) > width_limit):
        raise FormattingRefused(
            f"a width or precision of {part} is too large in a format; the most is {width_limit}"
        )


def check_percent_format(fmt: str, width_limit: int) -> None:
    """Refuse ``%r``, ``%a``, ``*`` and widths or precisions over the limit in ``fmt``."""
    for match in _PERCENT.finditer(fmt):
        if match["conversion"] in ("r", "a"):
            raise FormattingRefused(_REPR_HINT)
        _check_width(match["width"], width_limit)
        _check_width(match["precision"], width_limit)


def percent_format(fmt: str, args: Any, width_limit: int) -> str:
    """``fmt % args`` for templates: text and numbers only, widths within the limit."""
    check_percent_format(fmt, width_limit)
    values = (
        args.values() if isinstance(args, Mapping) else args if isinstance(args, tuple) else (args,)
    )
    for value in values:
        check_plain(value, "'%' formatting")
    formatted: str = fmt % args  # Markup % args stays Markup, its arguments escaped
    return formatted


def check_format_spec(spec: str, width_limit: int) -> None:
    """Refuse a ``str.format`` spec that is not plain or asks for too wide a field."""
    match = _SPEC.fullmatch(spec)
    if match is None:
        raise FormattingRefused(f"the format spec '{spec}' is not allowed")
    _check_width(match["width"], width_limit)
    _check_width(match["precision"], width_limit)


class BoundedFormatter(SandboxedFormatter):
    """Jinja's sandboxed ``str.format``, for text and numbers, with bounded widths."""

    def __init__(self, env: Any, width_limit: int, **kwargs: Any) -> None:
        super().__init__(env, **kwargs)
        self.width_limit = width_limit

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        """Refuse ``!r`` and ``!a``, which show a value's internal form."""
        if conversion in ("r", "a"):
            raise FormattingRefused(_REPR_HINT)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        """Format text or a number with a spec within the limits."""
        check_plain(value, "format()")
        check_format_spec(format_spec, self.width_limit)
        return super().format_field(value, format_spec)


class BoundedEscapeFormatter(BoundedFormatter, SandboxedEscapeFormatter):
    """The same for ``Markup.format``, which escapes what it puts in."""
