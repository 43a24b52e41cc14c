"""The bounded sandbox: Jinja's immutable sandbox with every render held to its Limits.

Built from Jinja's own extension points, not by reading template source:

- ``intercepted_binops`` and :meth:`BoundedSandbox.call_binop` for ``+ - * / // % **``: numbers
  stay within the size limit, text and lists within the length limit, ``%`` formats only text
  and numbers (see :mod:`.formatting`). Intercepted operators are never folded into constants
  while compiling, and the optimizer is off, so nothing is worked out outside a render;
- a code generator (``code_generator_class``) that counts every loop iteration, joins ``~``
  through the sandbox, and counts the template's own text as it is produced;
- ``finalize`` to count every printed value, ``call`` for calls (recursion depth, result size),
  and wrapped filters;
- an extension whose ``filter_stream`` refuses deep nesting while the template is read, before
  Jinja's recursive parser could hit Python's recursion limit;
- a template class whose ``render`` gives each render its :class:`~.limits.Budget`.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, cast

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Template, TemplateModule
from jinja2.ext import Extension
from jinja2.filters import (
    FILTERS,
    do_batch,
    do_replace,
    sync_do_join,
    sync_do_slice,
)
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context, LoopContext, Undefined, markup_join, str_join
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment
from jinja2.utils import pass_eval_context
from markupsafe import Markup, soft_str

from icbt_content.guidance.formatting import (
    BoundedEscapeFormatter,
    BoundedFormatter,
    percent_format,
)
from icbt_content.guidance.limits import (
    Budget,
    Limit,
    LimitExceeded,
    Limits,
    TemplateTooDeep,
    active_budget,
    budget_for,
    check_tree_depth,
)

#: Tags that open a block closed by ``{% end... %}`` (``set`` only without ``=``).
_OPENING_TAGS: Final = frozenset(
    {"for", "if", "macro", "call", "filter", "with", "autoescape", "block", "trans"}
)
_OPEN: Final = frozenset({"lparen", "lbracket", "lbrace"})
_CLOSE: Final = frozenset({"rparen", "rbracket", "rbrace"})


class NestingGuard(Extension):
    """Refuse, while a template is read, nesting deeper than the limit and too large numbers.

    Jinja's parser calls itself once or more for every bracket, block and ``not`` or ``-``, so
    a deep template ends in RecursionError inside Jinja; counting tokens here stops it first.
    """

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        """Pass the tokens on, counting how deeply they nest."""
        limits = cast(BoundedSandbox, self.environment).limits
        depth = 0
        operators = 0
        tag: str | None = ""  # None just after "{%": the next name is the tag
        assigns = False
        line = after = 1
        tokens = iter(stream)
        while True:
            try:
                token = next(tokens)
            except StopIteration:
                return
            except ValueError:
                # Python refuses to read an integer of thousands of digits while Jinja lexes it
                # (one token ahead of the last one seen, so on the line where that one ends).
                raise _too_deep(
                    Limit.NUMBER, "this number is too long to read", after, stream
                ) from None
            line = token.lineno
            after = line + (token.value.count("\n") if isinstance(token.value, str) else 0)
            kind = token.type
            if kind == "integer" and abs(cast(int, token.value)) > limits.max_integer:
                raise _too_deep(
                    Limit.NUMBER,
                    f"numbers in templates are at most {limits.max_integer:,}",
                    line,
                    stream,
                )
            if kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth -= 1
            elif kind == "block_begin":
                tag, assigns = None, False
            elif kind == "name" and tag is None:
                tag = token.value
            elif kind == "assign":
                assigns = True
            elif kind == "block_end":
                if tag in _OPENING_TAGS or (tag == "set" and not assigns):
                    depth += 1
                elif tag is not None and tag.startswith("end"):
                    depth -= 1
                tag = ""
            operators = operators + 1 if kind in ("add", "sub") or token.test("name:not") else 0
            if depth > limits.nesting or operators > limits.nesting:
                raise _too_deep(
                    Limit.NESTING,
                    f"statements and brackets are nested more than {limits.nesting} deep here",
                    line,
                    stream,
                )
            yield token


def _too_deep(limit: Limit, message: str, line: int, stream: TokenStream) -> TemplateTooDeep:
    error = TemplateTooDeep(limit, message, line, stream.name)
    error.filename = stream.filename
    return error


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator with the hooks the limits need."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        """Refuse a too deep template, then note the iterable of every loop to count."""
        check_tree_depth(node, cast(BoundedSandbox, self.environment).limits, self.name)
        # Jinja allows no new node types: the iterables are marked by identity instead.
        self._loop_iterables = {id(loop.iter) for loop in node.find_all(nodes.For)}
        super().visit_Template(node, frame)

    def visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        """Write ``environment.count_iterations(<iterable>)`` for a loop's iterable."""
        if id(node) not in getattr(self, "_loop_iterables", ()):
            return super().visit(node, *args, **kwargs)
        self.write("environment.count_iterations(")
        result = super().visit(node, *args, **kwargs)
        self.write(")")
        return result

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        """Join ``a ~ b`` in the sandbox, which refuses results over the size limit."""
        self.write("environment.join_text(context, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        # The template's own text counts towards the output too: a long text inside loops
        # would otherwise grow without limit in a {% set %} or {% filter %} buffer.
        return f"environment.count_text({super()._output_const_repr(group)})"


class BoundedTemplate(Template):
    """A template whose every render runs within a budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render within the environment's limits."""
        with budget_for(_limits(self)):
            return super().render(*args, **kwargs)

    def generate(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        """Render within the limits, then hand over the result (never an unbounded stream)."""
        yield self.render(*args, **kwargs)

    def make_module(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> TemplateModule:
        """Run the template as a module (``{% import %}``) within the limits."""
        with budget_for(_limits(self)):
            return super().make_module(vars, shared, locals)


def _limits(template: Template) -> Limits:
    return cast(BoundedSandbox, template.environment).limits


class CountedIterable:
    """An iterable whose items count against the loop limit as they are taken."""

    __slots__ = ("_budget", "_iterable")

    def __init__(self, iterable: Iterable[Any], budget: Budget) -> None:
        self._iterable = iterable
        self._budget = budget

    def __len__(self) -> int:
        return len(self._iterable)  # type: ignore[arg-type]  # TypeError if unsized, as Jinja expects

    def __iter__(self) -> Iterator[Any]:
        budget = self._budget
        for item in self._iterable:
            budget.step()
            yield item


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with every render held to ``limits``."""

    code_generator_class = BoundedCodeGenerator
    template_class = BoundedTemplate
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, limits: Limits, **options: Any) -> None:
        self.limits = limits
        self._finalize_value: Callable[[Any], Any] | None = options.pop("finalize", None)
        extensions = [*options.pop("extensions", ()), NestingGuard]
        super().__init__(optimized=False, extensions=extensions, finalize=self._print, **options)
        self.globals["range"] = self._range

    def _range(self, *args: Any) -> range:
        """Jinja's sandboxed ``range()``, refusing large numbers and long ranges with limits."""
        budget = active_budget()
        for arg in args:
            if _whole(arg):
                budget.check_number(arg)
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise LimitExceeded(Limit.SIZE, f"range() would make more than {MAX_RANGE:,} numbers")
        return numbers

    # -- hooks called from compiled templates ----------------------------------------------------

    def count_iterations(self, iterable: Any) -> Any:
        """Count the items of a loop (an undefined value keeps Jinja's own behaviour)."""
        if isinstance(iterable, Undefined):
            return iterable
        return CountedIterable(iterable, active_budget())

    def join_text(self, context: Context, parts: tuple[Any, ...]) -> str:
        """``a ~ b ~ c``, refusing a result over the size limit before it is made."""
        budget = active_budget()
        budget.tick()
        texts = [soft_str(part) for part in parts]
        budget.check_size(sum(map(len, texts)))
        joined = markup_join(texts) if context.eval_ctx.autoescape else str_join(texts)
        return cast(str, budget.checked(joined))

    def count_text(self, text: str) -> str:
        """Count the template's own text as it is produced."""
        active_budget().produce(len(text))
        return text

    def _print(self, value: Any) -> Any:
        budget = active_budget()
        budget.tick()
        if self._finalize_value is not None:
            value = self._finalize_value(value)
        budget.produce(len(value) if isinstance(value, str) else len(str(value)))
        return value

    # -- the sandbox's own extension points ------------------------------------------------------

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Read an attribute as the sandbox allows, within the time limit."""
        active_budget().tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Read an item as the sandbox allows, within the time limit."""
        active_budget().tick()
        return super().getitem(obj, argument)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call a safe callable, counting recursion and checking the size of what it returns."""
        budget = active_budget()
        budget.tick()
        if not self.is_safe_callable(obj):
            raise self.refuse_call(obj)
        if isinstance(obj, LoopContext) and args:
            # loop(children) in a recursive loop: its items count like any other loop's.
            args = (self.count_iterations(args[0]), *args[1:])
        budget.enter_call()  # not a context manager: one per call costs more than it
        try:
            result = context.call(obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        return budget.checked(result)

    def refuse_call(self, obj: Any) -> Exception:
        """The error for calling something that may not be called."""
        from jinja2.exceptions import SecurityError

        return SecurityError(f"a value of type '{type(obj).__name__}' cannot be called")

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Work out ``left operator right`` within the number and size limits."""
        budget = active_budget()
        budget.tick()
        if operator == "%" and isinstance(left, str):
            return budget.checked(percent_format(left, right, self.limits.format_width))
        if operator == "**":
            _check_power(budget, left, right)
        elif operator == "*":
            _check_repetition(budget, left, right)
        elif operator == "+" and _sequence(left) and _sequence(right):
            budget.check_size(len(left) + len(right))
        try:
            result = super().call_binop(context, operator, left, right)
        except OverflowError:
            raise LimitExceeded(Limit.NUMBER, "the template's arithmetic overflowed") from None
        return budget.checked(result)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Hand out the text methods that can grow a text only in a bounded form.

        Jinja's hook for ``str.format`` (called on every attribute read, before the attribute
        is allowed or refused): here also for ``replace`` and ``join``.
        """
        if not isinstance(value, types.MethodType | types.BuiltinMethodType):
            return None
        owner = getattr(value, "__self__", None)
        if not isinstance(owner, str):
            return None
        bounded: Callable[..., str]
        if value.__name__ in ("format", "format_map"):
            bounded = self._bounded_format(owner, is_map=value.__name__ == "format_map")
        elif value.__name__ == "replace":
            bounded = _bounded_replace(owner)
        elif value.__name__ == "join":
            bounded = _bounded_join(owner)
        else:
            return None
        return functools.update_wrapper(bounded, value)

    def _bounded_format(self, owner: str, *, is_map: bool) -> Callable[..., str]:
        width = self.limits.format_width
        formatter: BoundedFormatter = (
            BoundedEscapeFormatter(self, width, escape=owner.escape)
            if isinstance(owner, Markup)
            else BoundedFormatter(self, width)
        )
        kind = type(owner)

        def bounded_format(*args: Any, **kwargs: Any) -> str:
            budget = active_budget()
            budget.tick()
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one mapping")
                kwargs = args[0]
                args = ()
            return cast(str, budget.checked(kind(formatter.vformat(owner, args, kwargs))))

        return bounded_format

    # -- filters -----------------------------------------------------------------------------------

    def bounded_filters(self, names: Iterable[str]) -> dict[str, Callable[..., Any]]:
        """The named filters, each held to the limits (``join`` and others checked first)."""
        found: dict[str, Callable[..., Any]] = {}
        for name in sorted(names):
            function = _PRECHECKED.get(name) or FILTERS[name]
            if name == "format":
                function = self._format_filter
            found[name] = _bounded_filter(function)
        return found

    def _format_filter(self, value: Any, *args: Any, **kwargs: Any) -> str:
        if args and kwargs:
            raise TypeError("format takes either positional or keyword arguments, not both")
        return percent_format(soft_str(value), kwargs or args, self.limits.format_width)


def _sequence(value: Any) -> bool:
    return isinstance(value, str | list | tuple)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_power(budget: Budget, left: Any, right: Any) -> None:
    """Refuse ``a ** b`` whose result would be over the number limit, before working it out."""
    if _whole(left) and _whole(right) and right > 0 and abs(left) > 1:
        bits = budget.limits.max_integer.bit_length()
        if (abs(left).bit_length() - 1) * right > bits:
            raise budget.number_error()


def _check_repetition(budget: Budget, left: Any, right: Any) -> None:
    """Refuse ``"x" * n`` or ``[x] * n`` longer than the size limit, before making it."""
    for sequence, count in ((left, right), (right, left)):
        if _sequence(sequence) and isinstance(count, int):
            budget.check_size(len(sequence) * max(count, 0))


def _bounded_replace(owner: str) -> Callable[..., str]:
    def replace(old: str, new: str, count: int = -1) -> str:
        _check_replace(active_budget(), owner, old, new, count)
        return owner.replace(old, new, count)

    return replace


def _bounded_join(owner: str) -> Callable[..., str]:
    def join(iterable: Iterable[str]) -> str:
        budget = active_budget()
        items = budget.take(iterable)
        size = sum(len(item) for item in items if isinstance(item, str))
        budget.check_size(size + len(owner) * max(len(items) - 1, 0))
        return owner.join(items)

    return join


def _check_replace(budget: Budget, text: str, old: str, new: str, count: int | None) -> None:
    """Refuse a replacement whose result would be over the size limit, before making it."""
    hits = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    budget.check_size(len(text) + hits * max(len(new) - len(old), 0))


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter: within the time limit, and its result within the size limits."""

    @functools.wraps(function)  # keeps Jinja's pass_context / pass_eval_context marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        budget = active_budget()
        budget.tick()
        return budget.checked(function(*args, **kwargs))

    return bounded


@pass_eval_context
def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    budget = active_budget()
    items = budget.take(value)
    if attribute is None:
        size = sum(len(soft_str(item)) for item in items)
        budget.check_size(size + len(soft_str(d)) * max(len(items) - 1, 0))
    return sync_do_join(eval_ctx, items, d, attribute)


@pass_eval_context
def _replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> str:
    _check_replace(active_budget(), soft_str(s), soft_str(old), soft_str(new), count)
    return do_replace(eval_ctx, s, old, new, count)


def _list(value: Any) -> list[Any]:
    return active_budget().take(value)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Iterator[list[Any]]:
    active_budget().check_size(linecount, "a batch")
    return do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Iterator[list[Any]]:
    active_budget().check_size(slices, "slices")
    return sync_do_slice(value, slices, fill_with)


#: Filters that could make something huge from small arguments: checked before they run.
_PRECHECKED: Final[dict[str, Callable[..., Any]]] = {
    "join": _join,
    "replace": _replace,
    "list": _list,
    "batch": _batch,
    "slice": _slice,
}
