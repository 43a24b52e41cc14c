"""Turn what went wrong while rendering a guidance template into a diagnostic at its line."""

from __future__ import annotations

import re
from types import TracebackType
from typing import Final

from jinja2 import TemplateError, UndefinedError
from jinja2.exceptions import SecurityError

from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.guidance.limits import (
    FormattingRefused,
    Limit,
    LimitExceeded,
    TemplateTooDeep,
)
from icbt_content.guidance.sandbox import TemplateValueError, UnknownSectionError

_NONE_FIELD: Final = re.compile(r"^'None' has no attribute '([^']*)'$")

#: The diagnostic code of each limit, and the hint that says how to stay within it.
LIMIT_CODES: Final[dict[Limit, tuple[str, str]]] = {
    Limit.OUTPUT: ("ICBT512", "a message is a few hundred words; shorten what it prints"),
    Limit.LOOPS: (
        "ICBT513",
        "loop over the context's lists once; do not nest loops inside loops",
    ),
    Limit.NESTING: (
        "ICBT514",
        "split deep {% if %} blocks and brackets into simpler, consecutive ones",
    ),
    Limit.NUMBER: (
        "ICBT515",
        "messages use small numbers such as scores and days; do not build large ones",
    ),
    Limit.SIZE: ("ICBT516", "do not build long text or lists by repeating or joining them"),
    Limit.TIME: ("ICBT517", "simplify the template: it does far more work than a message needs"),
}

FORMATTING_CODE: Final = "ICBT518"
FORMATTING_HINT: Final = (
    'format only text and numbers, as in "%.1f" % latest_score, or use plural()'
)

#: Failures that belong to the template itself, whatever the client: `icbt check` reports them.
TEMPLATE_FAILURES: Final = (
    LimitExceeded,
    TemplateTooDeep,
    FormattingRefused,
    RecursionError,
    MemoryError,
)


def limit_diagnostic(
    limit: Limit, message: str, file: str, line: int, where: str = ""
) -> Diagnostic:
    """The diagnostic for going past ``limit`` at ``file:line``."""
    code, hint = LIMIT_CODES[limit]
    return diagnostic(code, f"{where}{message}", file, line, hint=hint)


def formatting_diagnostic(message: str, file: str, line: int, where: str = "") -> Diagnostic:
    """The diagnostic for a ``%`` or ``format`` that is refused."""
    return diagnostic(
        FORMATTING_CODE,
        f"{where}{message}",
        file,
        line,
        hint=FORMATTING_HINT,
    )


def render_failure(
    exc: BaseException, file: str, body_line: int, *, translated: bool
) -> Diagnostic:
    """Turn an exception raised while rendering into a diagnostic at the template line."""
    lineno = exc.lineno if isinstance(exc, TemplateTooDeep) else _template_line(exc.__traceback__)
    line = body_line if translated else body_line + lineno - 1
    where = f"in the translation, line {lineno}: " if translated else ""
    if isinstance(exc, LimitExceeded | TemplateTooDeep):
        return limit_diagnostic(exc.limit, str(exc.message), file, line, where)
    if isinstance(exc, RecursionError):
        return limit_diagnostic(
            Limit.NESTING, "the template is nested too deeply to render", file, line, where
        )
    if isinstance(exc, MemoryError):
        return limit_diagnostic(
            Limit.SIZE, "the template needs more memory than there is", file, line, where
        )
    if isinstance(exc, FormattingRefused):
        return formatting_diagnostic(str(exc), file, line, where)
    if isinstance(exc, SecurityError):
        return diagnostic(
            "ICBT503",
            f"{where}the template tried something not allowed: {exc}",
            file,
            line,
            hint="a guidance template can only use the message context and its helpers",
        )
    if isinstance(exc, UndefinedError):
        none_field = _NONE_FIELD.match(str(exc))
        message = (
            f"the message reads '{none_field.group(1)}' of a value that is none for this client"
            if none_field
            else f"the message needs a value this context does not have: {exc}"
        )
        return diagnostic(
            "ICBT509",
            f"{where}{message}",
            file,
            line,
            hint="guard it, as in {% if module %}...{% endif %}, or add the value to the context",
        )
    if isinstance(exc, UnknownSectionError):
        return diagnostic("ICBT507", f"{where}{exc}", file, line)
    if isinstance(exc, TemplateValueError):
        return diagnostic("ICBT510", f"{where}{exc}", file, line)
    if isinstance(exc, TemplateError):
        return diagnostic("ICBT501", f"{where}template error: {exc}", file, line)
    hint = ""
    if isinstance(exc, TypeError) and "NoneType" in str(exc):
        hint = (
            "a value is none for this client; check it first, as in "
            "{% if days_since_login is not none and days_since_login > 7 %}"
        )
    return diagnostic(
        "ICBT510",
        f"{where}the message could not be rendered for this context: {exc}",
        file,
        line,
        hint=hint,
    )


def _template_line(tb: TracebackType | None) -> int:
    """The template line of the innermost Jinja frame (Jinja rewrites tracebacks to show them)."""
    line = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
