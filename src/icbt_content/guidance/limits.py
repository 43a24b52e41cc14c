"""How much one template render may use: output, loops, nesting, numbers, text and time.

A template is untrusted code, and the sandbox alone stops it reaching internals, not running away:
``{% set s = s ~ s %}`` thirty times is 16 GB, ten nested loops never end, a deep ``{% if %}``
ends in Python's recursion limit. Every render therefore gets a :class:`Budget` from its
:class:`Limits`, and the sandbox's hooks (operators, loops, calls, filters, printing) spend from it.
Going past a limit raises :class:`LimitExceeded`, which the callers turn into a diagnostic at the
template's line. Nothing here knows about guidance messages or site pages; both use it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateRuntimeError, TemplateSyntaxError

from icbt_content.errors import IcbtError


class Limit(StrEnum):
    """The kinds of limit, each with its own diagnostic."""

    OUTPUT = "output"
    LOOPS = "loops"
    NESTING = "nesting"
    NUMBER = "number"
    SIZE = "size"
    TIME = "time"


@dataclass(frozen=True)
class Limits:
    """The most one render of a template may use."""

    output_chars: int
    """Characters a render may produce in all, counting text built and thrown away."""
    text_chars: int
    """The longest text, list or mapping a template may build."""
    loop_iterations: int
    """Loop iterations in one render, all loops together."""
    nesting: int
    """Statements and brackets inside one another, as written."""
    tree_depth: int
    """Depth of the parsed template (long chains of operators, filters or fields)."""
    call_depth: int
    """Macros and recursive loops calling themselves."""
    max_integer: int
    """The largest whole number (in size) a template may make."""
    format_width: int
    """The widest field or precision a format (``%5d``, ``{:5}``) may ask for."""
    seconds: float
    """Processor time of one render (the rendering thread's own: a busy machine that leaves the
    render waiting does not count against it, so a build is the same however loaded)."""


#: Guidance messages are a few hundred words: these limits are far above any real message.
GUIDANCE_LIMITS: Final = Limits(
    output_chars=100_000,
    text_chars=100_000,
    loop_iterations=10_000,
    nesting=16,
    tree_depth=50,
    call_depth=16,
    max_integer=10**15,
    format_width=100,
    seconds=2.0,
)


class LimitExceeded(TemplateRuntimeError, IcbtError):
    """A render went past one of its limits."""

    def __init__(self, limit: Limit, message: str) -> None:
        super().__init__(message)
        self.limit = limit


class TemplateTooDeep(TemplateSyntaxError, IcbtError):
    """A template nests too deeply (or holds too large a number) to be parsed safely."""

    def __init__(self, limit: Limit, message: str, lineno: int, name: str | None = None) -> None:
        super().__init__(message, lineno, name)
        self.limit = limit


class FormattingRefused(SecurityError, IcbtError):
    """A ``%`` or ``format`` asked for something that could reach internals or run away."""


class NotRendering(SecurityError, IcbtError):
    """A sandbox hook ran outside a render: there is no budget to spend from.

    Jinja tries to work out constant expressions while compiling; raising here makes it leave
    them to run time, inside the sandbox and its limits.
    """


#: The clock is read on the first of every this many ticks: reading it on each one was a tenth
#: of the time of rendering a site's pages. Each tick is one bounded step (a loop iteration, a
#: call, a printed value), so a render still stops within this many steps of its time running
#: out.
CLOCK_EVERY: Final = 64


@dataclass
class Budget:
    """What one render has used so far."""

    limits: Limits
    deadline: float
    iterations: int = 0
    produced: int = 0
    depth: int = 0
    ticks: int = 0

    def tick(self) -> None:
        """Stop the render once its time is up."""
        self.ticks += 1
        if self.ticks % CLOCK_EVERY == 1 and time.thread_time() > self.deadline:
            raise LimitExceeded(
                Limit.TIME,
                f"the template took more than {self.limits.seconds:g} seconds of processor time "
                "to render",
            )

    def step(self) -> None:
        """Count one loop iteration."""
        self.iterations += 1
        if self.iterations > self.limits.loop_iterations:
            raise LimitExceeded(
                Limit.LOOPS,
                f"the template's loops ran more than {self.limits.loop_iterations:,} times",
            )
        self.tick()

    def produce(self, chars: int) -> None:
        """Count text the template produced."""
        self.produced += chars
        if self.produced > self.limits.output_chars:
            raise LimitExceeded(
                Limit.OUTPUT,
                f"the template produced more than {self.limits.output_chars:,} characters",
            )

    def enter_call(self) -> None:
        """Count one more level of calls (the caller takes it off again when the call ends)."""
        self.depth += 1
        if self.depth > self.limits.call_depth:
            self.depth -= 1
            raise LimitExceeded(
                Limit.NESTING,
                f"the template calls itself more than {self.limits.call_depth} levels deep",
            )

    def check_size(self, size: int, what: str = "text") -> None:
        """Refuse to make a text or list of ``size`` items."""
        if size > self.limits.text_chars:
            raise LimitExceeded(
                Limit.SIZE,
                f"the template would make {what} longer than {self.limits.text_chars:,} "
                "characters or items",
            )

    def check_number(self, value: int) -> None:
        """Refuse a whole number beyond the limit."""
        if abs(value) > self.limits.max_integer:
            raise self.number_error()

    def number_error(self) -> LimitExceeded:
        """The error for a number beyond the limit."""
        return LimitExceeded(
            Limit.NUMBER,
            f"the template would make a number larger than {self.limits.max_integer:,}",
        )

    def checked(self, value: Any) -> Any:
        """Return ``value`` if it is within the size and number limits."""
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            self.check_number(value)
        elif isinstance(value, str | list | tuple | dict):
            self.check_size(len(value))
        return value

    def take(self, values: Iterable[Any]) -> list[Any]:
        """Read ``values`` into a list, refusing more items than the size limit."""
        found: list[Any] = []
        for value in values:
            found.append(value)
            if len(found) > self.limits.text_chars:
                self.check_size(len(found), "a list")
        return found


_ACTIVE: ContextVar[Budget | None] = ContextVar("icbt_template_budget", default=None)


def active_budget() -> Budget:
    """The budget of the render running now; NotRendering outside a render."""
    budget = _ACTIVE.get()
    if budget is None:
        raise NotRendering("templates run only through render()")
    return budget


def current_budget() -> Budget | None:
    """The budget of the render running now, if any (for helpers also called from Python)."""
    return _ACTIVE.get()


@contextmanager
def budget_for(limits: Limits) -> Iterator[Budget]:
    """Give the code inside a budget; a render inside a render shares its budget."""
    current = _ACTIVE.get()
    if current is not None and current.limits is limits:
        yield current
        return
    budget = Budget(limits, time.thread_time() + limits.seconds)
    token = _ACTIVE.set(budget)
    try:
        yield budget
    finally:
        _ACTIVE.reset(token)


def check_tree_depth(tree: nodes.Node, limits: Limits, name: str | None = None) -> None:
    """Refuse a parsed template deeper than the limit (Jinja's compiler is recursive)."""
    stack: list[tuple[nodes.Node, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.tree_depth:
            raise TemplateTooDeep(
                Limit.NESTING,
                f"this expression or block is nested more than {limits.tree_depth} levels deep",
                getattr(node, "lineno", 1) or 1,
                name,
            )
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())
