"""Check a guidance template before it is ever rendered: syntax, names, calls, sections."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from jinja2 import TemplateSyntaxError, meta, nodes

from icbt_content.diagnostics import Diagnostic, diagnostic, did_you_mean
from icbt_content.guidance.failures import (
    FORMATTING_CODE,
    FORMATTING_HINT,
    LIMIT_CODES,
    TEMPLATE_FAILURES,
    render_failure,
)
from icbt_content.guidance.formatting import check_percent_format
from icbt_content.guidance.limits import (
    GUIDANCE_LIMITS,
    FormattingRefused,
    Limit,
    TemplateTooDeep,
    check_tree_depth,
)
from icbt_content.guidance.sandbox import (
    ALLOWED_FILTERS,
    ALLOWED_TESTS,
    FORBIDDEN_NAMES,
    LOOP_ATTRIBUTES,
    context_objects,
    context_variables,
    environment,
    make_helpers,
    parse_locale,
    template_variables,
)
from icbt_content.markdown import checking_parser, is_safe_url
from icbt_content.model.guidance import GuidanceContext, GuidanceTemplate

_FORBIDDEN_TAGS: dict[type[nodes.Node], str] = {
    nodes.Extends: "extends",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from ... import",
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
    nodes.Block: "block",
}

_INTERNALS_HINT = "a guidance template can only use the message context; remove this"


def check_template(
    template: GuidanceTemplate,
    *,
    sections: Mapping[str, Collection[str]],
    modules: Collection[str],
    body: str | None = None,
) -> list[Diagnostic]:
    """Report every problem in ``template``: its front matter's module and its body.

    ``sections`` maps each module id to its section anchors; ``modules`` are the programme's
    module ids. Pass ``body`` to check a translated body instead of the source one.
    """
    found: list[Diagnostic] = []
    where = _Where.of(template, translated=body is not None)
    if template.module is not None and template.module not in modules:
        found.append(
            diagnostic(
                "ICBT203",
                f"unknown module '{template.module}' in the guidance template's front matter",
                where.file,
                template.field_lines.get("module", where.first_line),
                hint=did_you_mean(template.module, modules) or f"modules: {_listing(modules)}",
            )
        )
    found.extend(check_body(template, body, sections=sections))
    return found


def check_body(
    template: GuidanceTemplate,
    body: str | None = None,
    *,
    sections: Mapping[str, Collection[str]] | None = None,
    trial: bool = True,
) -> list[Diagnostic]:
    """Check the body (or a translated ``body``); sections are checked only when given.

    With ``trial``, a body that passes the checks is also rendered once for an example client,
    so that a template that runs away (too many loops, too long a text, too much time) is
    reported here rather than when a therapist first uses it.
    """
    source = template.body if body is None else body
    where = _Where.of(template, translated=body is not None)
    found = _Checker(where, sections).run(source)
    if trial and not found:
        found.extend(_trial_render(template, source, where))
    return found


#: The example client a template is tried with: every fact known, three exercises done.
EXAMPLE_CONTEXT: dict[str, object] = {
    "client": {"first_name": "Alex"},
    "therapist": {"name": "Sam"},
    "module": {"id": "example", "title": "An example module"},
    "exercises_done": ["A first exercise", "A second exercise", "A third exercise"],
    "measure": {"id": "example", "title": "An example questionnaire"},
    "latest_score": 12,
    "previous_score": 15,
    "change": "no-reliable-change",
    "days_since_login": 9,
}


def _trial_render(template: GuidanceTemplate, source: str, where: _Where) -> list[Diagnostic]:
    """Render once for the example client; report only failures of the template itself."""
    example = dict(EXAMPLE_CONTEXT)
    if template.module is not None:
        example["module"] = {"id": template.module, "title": "An example module"}
    context = GuidanceContext.model_validate(example)
    helpers = make_helpers(parse_locale("en-GB"), lambda module, anchor: f"{module}/#{anchor}")
    try:
        environment().from_string(source).render(template_variables(context, helpers))
    except TEMPLATE_FAILURES as exc:
        return [render_failure(exc, where.file, where.first_line, translated=where.translated)]
    except Exception:  # depends on the client (a none value...): reported when rendering
        return []
    return []


@dataclass(frozen=True)
class _Where:
    """Maps a line of the template body to a line of the file it came from."""

    file: str
    first_line: int
    translated: bool

    @classmethod
    def of(cls, template: GuidanceTemplate, *, translated: bool) -> _Where:
        file = template.source.file if template.source else f"guidance/{template.id}.md"
        return cls(file, template.body_line, translated)

    def at(self, code: str, message: str, lineno: int, hint: str = "") -> Diagnostic:
        if self.translated:
            # A translated body has no lines in the source file: name its own line instead.
            return diagnostic(
                code,
                f"in the translation, line {lineno}: {message}",
                self.file,
                self.first_line,
                hint=hint,
            )
        return diagnostic(code, message, self.file, self.first_line + lineno - 1, hint=hint)


class _Checker:
    def __init__(self, where: _Where, sections: Mapping[str, Collection[str]] | None) -> None:
        self.where = where
        self.sections = sections
        self.objects = context_objects()
        self.variables = context_variables()
        self.found: list[Diagnostic] = []
        self.reported_names: set[str] = set()
        self.unknown: set[str] = set()
        """Names read but neither set in the template nor in the context."""

    def add(self, code: str, message: str, lineno: int, hint: str = "") -> None:
        item = self.where.at(code, message, lineno, hint)
        if item not in self.found:
            self.found.append(item)

    def run(self, source: str) -> list[Diagnostic]:
        if not source.strip():
            self.add(
                "ICBT511",
                "the guidance template has no message text",
                1,
                hint="write the message below the front matter",
            )
            return self.found
        try:
            tree = environment().parse(source)
            check_tree_depth(tree, GUIDANCE_LIMITS)
        except TemplateTooDeep as exc:
            self._add_limit(exc.limit, str(exc.message), exc.lineno)
            return self.found
        except RecursionError:  # the limits above stop this first; never an internal error
            self._add_limit(Limit.NESTING, "the template is nested too deeply to read", 1)
            return self.found
        except TemplateSyntaxError as exc:
            self.add(
                "ICBT501",
                f"template syntax error: {exc.message}",
                exc.lineno or 1,
                hint="check that every {{ has }}, every {% has %}, and every "
                "{% if %} or {% for %} is closed",
            )
            return self.found
        self._check_links(source)
        self.unknown = _undeclared(tree) - set(self.variables)
        for node in tree.find_all(nodes.Node):
            self._check_node(node)
        self._check_names(tree)
        return sorted(self.found, key=lambda d: (d.line, d.col))

    def _add_limit(self, limit: Limit, message: str, lineno: int) -> None:
        code, hint = LIMIT_CODES[limit]
        self.add(code, message, lineno, hint)

    def _check_format(self, node: nodes.Mod) -> None:
        if not (isinstance(node.left, nodes.Const) and isinstance(node.left.value, str)):
            return  # text made while rendering is checked by the sandbox then
        try:
            check_percent_format(node.left.value, GUIDANCE_LIMITS.format_width)
        except FormattingRefused as exc:
            self.add(FORMATTING_CODE, str(exc), node.lineno, FORMATTING_HINT)

    def _check_node(self, node: nodes.Node) -> None:
        tag = _FORBIDDEN_TAGS.get(type(node))
        if tag is not None:
            self.add(
                "ICBT506",
                f"{{% {tag} %}} is not allowed in guidance templates",
                node.lineno,
                hint="write the whole message in this one file",
            )
        elif isinstance(node, nodes.Pow):
            self.add("ICBT506", "the ** operator is not allowed in guidance templates", node.lineno)
        elif isinstance(node, nodes.Mod):
            self._check_format(node)
        elif isinstance(node, nodes.Mul) and not (_numeric(node.left) and _numeric(node.right)):
            self.add(
                "ICBT506",
                "only numbers can be multiplied in guidance templates",
                node.lineno,
            )
        elif isinstance(node, nodes.Getattr):
            self._check_field(node.node, node.attr, node.lineno)
        elif isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                self._check_field(node.node, node.arg.value, node.lineno)
        elif isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            self.add(
                "ICBT505",
                f"unknown filter '{node.name}'",
                node.lineno,
                hint=did_you_mean(node.name, ALLOWED_FILTERS)
                or f"filters: {_listing(ALLOWED_FILTERS)}",
            )
        elif isinstance(node, nodes.Test) and node.name not in ALLOWED_TESTS:
            self.add(
                "ICBT505",
                f"unknown test '{node.name}'",
                node.lineno,
                hint=did_you_mean(node.name, ALLOWED_TESTS)
                or f"tests: {_listing(t for t in ALLOWED_TESTS if t.isidentifier())}",
            )
        elif isinstance(node, nodes.Call):
            self._check_call(node)
        elif isinstance(node, nodes.Name) and node.ctx == "load":
            self._check_forbidden_name(node.name, node.lineno)

    def _check_forbidden_name(self, name: str, lineno: int) -> None:
        if (name in FORBIDDEN_NAMES or name.startswith("_")) and name not in self.reported_names:
            self.reported_names.add(name)
            self.add(
                "ICBT503",
                f"'{name}' is not available in guidance templates",
                lineno,
                hint=_INTERNALS_HINT,
            )

    def _field_problem(self, base: nodes.Node, name: str) -> tuple[str, str, str] | None:
        """(code, message, hint) when ``base.name`` cannot be read, else None."""
        if name.startswith("_"):
            return "ICBT503", f"'{name}' reaches into Python internals", _INTERNALS_HINT
        if isinstance(base, nodes.Name) and base.name in self.unknown:
            return None  # reported as an unknown or forbidden name
        if isinstance(base, nodes.Name) and base.name in self.objects:
            fields = list(self.objects[base.name].model_fields)
            if name in fields:
                return None
            return (
                "ICBT502",
                f"'{base.name}' has no field '{name}'",
                did_you_mean(name, fields) or f"{base.name} has: {_listing(fields)}",
            )
        if isinstance(base, nodes.Name) and base.name == "loop":
            if name in LOOP_ATTRIBUTES:
                return None
            return (
                "ICBT502",
                f"'loop' has no field '{name}'",
                did_you_mean(name, LOOP_ATTRIBUTES) or f"loop has: {_listing(LOOP_ATTRIBUTES)}",
            )
        hint = "only client, therapist, module, measure and loop have fields"
        if name in ALLOWED_FILTERS - {"title", "first", "last", "length"}:  # likely methods
            hint = f"use the filter instead: |{name}"
        return "ICBT502", f"{_shown(base)} has no field '{name}'", hint

    def _check_field(self, base: nodes.Node, name: str, lineno: int) -> None:
        problem = self._field_problem(base, name)
        if problem is not None:
            self.add(problem[0], problem[1], lineno, problem[2])

    def _check_call(self, node: nodes.Call) -> None:
        callee = node.node
        if isinstance(callee, nodes.Name):
            if callee.name == "section_link":
                self._check_section_link(node)
                return
            if callee.name == "plural":
                self._check_plural(node)
                return
            if callee.name in self.unknown:
                return  # reported as an unknown or forbidden name
        if isinstance(callee, nodes.Getattr) and self._field_problem(callee.node, callee.attr):
            return  # reported as an unknown field
        self.add(
            "ICBT504",
            f"{_shown(callee)} cannot be called",
            node.lineno,
            hint="only section_link() and plural() can be called; use filters such as "
            "|upper or |join for the rest",
        )

    def _constant_args(self, node: nodes.Call) -> list[str] | None:
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            return None
        values: list[str] = []
        for arg in node.args:
            if not (isinstance(arg, nodes.Const) and isinstance(arg.value, str)):
                return None
            values.append(arg.value)
        return values

    def _check_section_link(self, node: nodes.Call) -> None:
        args = self._constant_args(node)
        if args is None or len(args) != 2:
            self.add(
                "ICBT508",
                "section_link() takes a module id and an anchor, as quoted text",
                node.lineno,
                hint='section_link("your-model", "self-focus")',
            )
            return
        module, anchor = args
        if self.sections is None:
            return
        if module not in self.sections:
            self.add(
                "ICBT507",
                f"section_link() names an unknown module '{module}'",
                node.lineno,
                hint=did_you_mean(module, self.sections) or f"modules: {_listing(self.sections)}",
            )
        elif anchor not in self.sections[module]:
            anchors = self.sections[module]
            self.add(
                "ICBT507",
                f"module '{module}' has no section '#{anchor}'",
                node.lineno,
                hint=did_you_mean(anchor, anchors)
                or (f"sections: {_listing(anchors)}" if anchors else "it has no sections"),
            )

    def _check_plural(self, node: nodes.Call) -> None:
        simple = not (node.kwargs or node.dyn_args or node.dyn_kwargs)
        forms = node.args[1:]
        if (
            not simple
            or not forms
            or not all(isinstance(f, nodes.Const) and isinstance(f.value, str) for f in forms)
        ):
            self.add(
                "ICBT508",
                "plural() takes a number and then the forms, as quoted text",
                node.lineno,
                hint='plural(exercises_done|length, "one exercise", "{n} exercises")',
            )

    def _check_names(self, tree: nodes.Template) -> None:
        for name in sorted(self.unknown, key=lambda n: (_first_line(tree, n), n)):
            lineno = _first_line(tree, name)
            if name in FORBIDDEN_NAMES or name.startswith("_"):
                self._check_forbidden_name(name, lineno)
                continue
            self.add(
                "ICBT502",
                f"unknown variable '{name}'",
                lineno,
                hint=did_you_mean(name, self.variables) or f"variables: {_listing(self.variables)}",
            )

    def _check_links(self, source: str) -> None:
        for block in checking_parser().parse(source, {}):
            for child in block.children or ():
                target = child.attrGet("href") if child.type == "link_open" else None
                if child.type == "image":
                    target = child.attrGet("src")
                if target is not None and not is_safe_url(str(target)):
                    line = (block.map[0] + 1) if block.map else 1
                    self.add(
                        "ICBT206",
                        f"unsafe link '{target}'",
                        line,
                        hint="use https, mailto, tel or a section_link()",
                    )


def _numeric(node: nodes.Node) -> bool:
    """False for operands that are plainly text or lists; the sandbox checks the rest."""
    if isinstance(node, nodes.Const):
        return not isinstance(node.value, str)
    return not isinstance(node, nodes.List | nodes.Tuple | nodes.Dict | nodes.Concat)


def _undeclared(tree: nodes.Template) -> set[str]:
    """Names the template reads without setting them itself."""
    try:
        return meta.find_undeclared_variables(tree)
    except TemplateSyntaxError:
        # Jinja refuses to analyse a template with an unknown filter or test (reported
        # separately); fall back to every name read but never assigned.
        stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        return {n.name for n in _names(tree)} - stored


def _first_line(tree: nodes.Template, name: str) -> int:
    for node in _names(tree):
        if node.name == name:
            return node.lineno
    return 1


def _names(tree: nodes.Template) -> Iterator[nodes.Name]:
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load":
            yield node


def _shown(node: nodes.Node) -> str:
    """How a value is named in a message: quoted source for names and fields, else a noun."""
    if isinstance(node, nodes.Const):
        return "text" if isinstance(node.value, str) else "a number"
    dotted = _dotted(node)
    return "this value" if dotted == "this value" else f"'{dotted}'"


def _dotted(node: nodes.Node) -> str:
    """Source-like text for a name or chain of fields, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Call):
        return f"{_dotted(node.node)}()"
    return "this value"


def _listing(names: Iterable[str], limit: int = 12) -> str:
    ordered = sorted(names)
    shown = ", ".join(ordered[:limit])
    return shown + (", ..." if len(ordered) > limit else "")
