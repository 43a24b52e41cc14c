"""The Jinja2 environment for site templates: package templates, overridable per project.

A project's ``templates/`` folder can override any site template. Those files come with the
content, so they are not trusted: every site template (ours too, so both are tested the same way)
runs in the bounded sandbox that guidance templates run in, with the limits of
:data:`SITE_LIMITS`. A template can read the fields of the page's data, the methods listed in
:data:`SITE_METHODS`, plain text and list methods, and the filters in :data:`SITE_FILTERS`;
nothing else. What goes wrong while rendering becomes a :class:`SiteTemplateError` naming the
template file and line, and :func:`template_diagnostic` turns it into a diagnostic.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.loaders import split_template_path
from jinja2.runtime import BlockReference, LoopContext, TemplateReference
from jinja2.utils import Cycler, Namespace
from markupsafe import Markup, escape
from pydantic import BaseModel

from icbt_content.adaptation.resources import LocaleInfo
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.errors import IcbtError
from icbt_content.guidance.bounded import BoundedSandbox, BoundedTemplate
from icbt_content.guidance.limits import (
    LimitExceeded,
    Limits,
    TemplateTooDeep,
    current_budget,
)
from icbt_content.guidance.sandbox import LOOP_ATTRIBUTES
from icbt_content.i18n.plurals import pgettext, plural_forms
from icbt_content.model.measure import Measure
from icbt_content.project import Project
from icbt_content.render.language import LANGUAGE_FILTERS, keep_language

#: No request may leave the site: only its own scripts, styles, images and media.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; connect-src 'none'; manifest-src 'self'; worker-src 'self'; "
    "form-action 'none'; base-uri 'none'"
)

Translate = Callable[[str], str]

#: A page is at most a few megabytes of HTML: these limits are far above any real page.
SITE_LIMITS: Final = Limits(
    output_chars=20_000_000,
    text_chars=10_000_000,
    loop_iterations=1_000_000,
    nesting=16,
    tree_depth=50,
    call_depth=32,
    max_integer=10**15,
    format_width=100,
    seconds=20.0,
)

#: The largest template file read from a project's ``templates/`` folder, in bytes.
TEMPLATE_FILE_BYTES: Final = 1_000_000

#: Filters site templates may use. Left out: ``center``, ``indent`` and ``wordwrap`` (they
#: allocate by a width), ``pprint`` (internals) and ``random`` (the build is deterministic).
#: ``tojson`` stays: it writes only JSON data (sorted keys, HTML-safe), for the scripts' data.
SITE_FILTERS: Final = frozenset(
    {
        "abs",
        "attr",
        "batch",
        "capitalize",
        "count",
        "d",
        "default",
        "dictsort",
        "e",
        "escape",
        "filesizeformat",
        "first",
        "float",
        "forceescape",
        "format",
        "groupby",
        "int",
        "items",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "reject",
        "rejectattr",
        "replace",
        "reverse",
        "round",
        "safe",
        "select",
        "selectattr",
        "slice",
        "sort",
        "string",
        "striptags",
        "sum",
        "title",
        "tojson",
        "trim",
        "truncate",
        "unique",
        "upper",
        "urlencode",
        "urlize",
        "wordcount",
        "xmlattr",
    }
)

#: Methods and properties of the page's data that templates may use, besides its fields.
SITE_METHODS: Final[dict[type, frozenset[str]]] = {
    Measure: frozenset({"option_set", "item", "has_wording", "needs_wording"}),
    LocaleInfo: frozenset({"format_number", "format_date", "language_name"}),
}

#: Text methods that cannot grow a text much (``replace`` and ``join`` are checked first).
STR_METHODS: Final = frozenset(
    {
        "capitalize",
        "casefold",
        "count",
        "endswith",
        "find",
        "isalnum",
        "isalpha",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "join",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
        # Markup's own
        "striptags",
        "unescape",
    }
)
MAPPING_METHODS: Final = frozenset({"get", "items", "keys", "values"})
SEQUENCE_METHODS: Final = frozenset({"count", "index"})
SITE_LOOP_ATTRIBUTES: Final = LOOP_ATTRIBUTES | {"cycle", "changed"}
CYCLER_ATTRIBUTES: Final = frozenset({"current", "next", "reset"})

#: Objects of Jinja's own that templates use by name: any public attribute.
_OPEN_OBJECTS: Final = (TemplateModule, Namespace, TemplateReference, BlockReference)
_PLAIN_METHODS: Final[tuple[tuple[type, frozenset[str]], ...]] = (
    (str, STR_METHODS),
    (Mapping, MAPPING_METHODS),
    (list, SEQUENCE_METHODS),
    (tuple, SEQUENCE_METHODS),
    (LoopContext, SITE_LOOP_ATTRIBUTES),
    (Cycler, CYCLER_ATTRIBUTES),
)


class SiteTemplateError(TemplateRuntimeError, IcbtError):
    """A site template failed: the diagnostic's code, the template file and line."""

    def __init__(self, code: str, message: str, filename: str, lineno: int, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.filename = filename
        self.lineno = lineno
        self.hint = hint


class SiteTemplate(BoundedTemplate):
    """A site template: every failure while rendering names the template file and line."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render within the limits; raise SiteTemplateError at the failing line."""
        try:
            return super().render(*args, **kwargs)
        except (SiteTemplateError, TemplateSyntaxError):
            raise
        except Exception as exc:  # every failure becomes a diagnostic, never a traceback
            raise _site_error(exc) from None


class SiteSandbox(BoundedSandbox):
    """The bounded sandbox for site templates: fields of the page's data and listed methods."""

    template_class = SiteTemplate

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Allow fields, the listed methods, and plain text, list and mapping methods."""
        if attr.startswith("_"):
            return False
        kind = type(obj)
        if kind not in _READABLE:
            _READABLE[kind] = _readable(kind)
        readable = _READABLE[kind]
        return readable is None or attr in readable


#: What each type of object lets templates read; None for any public attribute.
_READABLE: dict[type, frozenset[str] | None] = {}


def _readable(kind: type) -> frozenset[str] | None:
    """The attributes a template may read on objects of ``kind`` (worked out once per type)."""
    if issubclass(kind, _OPEN_OBJECTS):
        return None
    methods = frozenset().union(
        *(names for owner, names in SITE_METHODS.items() if issubclass(kind, owner))
    )
    if issubclass(kind, BaseModel):
        return methods | frozenset(kind.model_fields)
    if dataclasses.is_dataclass(kind):
        return methods | frozenset(f.name for f in dataclasses.fields(kind))
    for base, names in _PLAIN_METHODS:
        if issubclass(kind, base):
            return methods | names
    return methods


class ProjectTemplateLoader(FileSystemLoader):
    """A project's ``templates/`` folder: files inside it only, of a bounded size."""

    def __init__(self, folder: Path, shown: str = "templates") -> None:
        super().__init__(folder)
        self.folder = folder
        self.shown = shown

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """Read a template, refusing links that leave the folder and files over the size limit."""
        path = self.folder.joinpath(*split_template_path(template))
        if not path.is_file():
            raise TemplateNotFound(template)
        shown = f"{self.shown}/{template}"
        if not path.resolve().is_relative_to(self.folder.resolve()):
            raise SiteTemplateError(
                "ICBT717",
                f"the site template '{template}' is a link to a file outside the project's "
                "templates folder",
                shown,
                1,
                hint="copy the template into templates/ instead of linking to it",
            )
        if path.stat().st_size > TEMPLATE_FILE_BYTES:
            raise SiteTemplateError(
                "ICBT716",
                f"the site template '{template}' is larger than {TEMPLATE_FILE_BYTES:,} bytes",
                shown,
                1,
                hint="a site template is the frame of a page; keep the content in programmes/",
            )
        return super().get_source(environment, template)


def make_environment(project: Path | None = None) -> SiteSandbox:
    """Site templates from the package; a project's ``templates/`` folder overrides them."""
    loaders: list[FileSystemLoader | PackageLoader] = []
    if project is not None and Project(project).templates.is_dir():
        loaders.append(ProjectTemplateLoader(Project(project).templates))
    loaders.append(PackageLoader("icbt_content.render", "templates"))
    env = SiteSandbox(
        SITE_LIMITS,
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    # Jinja's lipsum() makes text of any length; the rest of its globals are harmless.
    env.globals.pop("lipsum", None)
    env.globals["csp"] = CSP
    env.globals["_"] = _identity
    env.globals["fill"] = fill
    env.globals["fill_html"] = fill_html
    env.globals["pgettext"] = partial(pgettext, _identity)
    env.globals["plural_forms"] = partial(plural_forms, _identity, "en")
    env.filters = env.bounded_filters(SITE_FILTERS)
    # Text in another language than the page's, written where no element can mark it.
    env.filters.update(LANGUAGE_FILTERS)
    return env


_NAME = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, **values: object) -> str:
    """Put values into ``{name}`` slots of a (translated) string.

    Unlike ``str.format``, nothing but a plain ``{name}`` is ever replaced, so a translation
    cannot reach attributes (``{x.__class__}``) or format specs. Numbers are written by the caller.
    """
    budget = current_budget()
    if budget is not None:  # called from a template: never make a text over its size limit
        texts = {name: str(value) for name, value in values.items()}
        slots = [m.group(1) for m in _NAME.finditer(text) if m.group(1) in texts]
        budget.check_size(len(text) + sum(len(texts[name]) for name in slots))
    filled = _NAME.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text
    )
    return keep_language(text, filled)


def fill_html(text: str, **values: object) -> Markup:
    """:func:`fill` for HTML: the (translated) text and every value are escaped, except values
    that are already :class:`~markupsafe.Markup` (a ``<span lang>`` the template built)."""
    return Markup(fill(str(escape(text)), **{k: escape(v) for k, v in values.items()}))


def _identity(text: str) -> str:
    return text


def is_package_template(env: Environment, name: str) -> bool:
    """Whether ``env`` reads the template ``name`` from the package, not from a project's
    ``templates/`` (a template of the package may be rendered once for many pages)."""
    try:
        filename = env.get_template(name).filename
    except TemplateError:  # reported where the page renders it
        return False
    return filename is not None and Path(filename).resolve() == _PACKAGE_TEMPLATES / name


# -- diagnostics -----------------------------------------------------------------------------


def template_diagnostic(exc: TemplateError, project: Path | None = None) -> Diagnostic:
    """The diagnostic for a site template that could not be loaded or rendered."""
    file = _shown_file(getattr(exc, "filename", None), project)
    line = getattr(exc, "lineno", None) or 1
    if isinstance(exc, SiteTemplateError):
        return diagnostic(exc.code, str(exc.message), file, line, hint=exc.hint)
    if isinstance(exc, TemplateTooDeep):
        return diagnostic("ICBT716", str(exc.message), file, line, hint=_LIMIT_HINT)
    return diagnostic("ICBT702", f"template error: {exc.message}", file, line)


_LIMIT_HINT: Final = (
    "a site template is the frame of a page: keep it simple, and the content in programmes/"
)
_NOT_ALLOWED_HINT: Final = (
    "a site template can read the fields of the page's data and a few listed methods; "
    "see 'Site templates' in the documentation"
)


def _site_error(exc: BaseException) -> SiteTemplateError:
    """A SiteTemplateError at the innermost template line of ``exc``'s traceback."""
    filename, lineno = _template_frame(exc.__traceback__)
    if isinstance(exc, LimitExceeded | RecursionError | MemoryError | OverflowError):
        message = str(exc.message) if isinstance(exc, LimitExceeded) else _LIMIT_MESSAGES[type(exc)]
        return SiteTemplateError("ICBT716", message, filename, lineno, _LIMIT_HINT)
    if isinstance(exc, SecurityError):
        return SiteTemplateError(
            "ICBT715",
            f"the template tried something not allowed: {exc}",
            filename,
            lineno,
            _NOT_ALLOWED_HINT,
        )
    message = str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
    return SiteTemplateError("ICBT702", f"template error: {message}", filename, lineno)


_LIMIT_MESSAGES: Final[dict[type[BaseException], str]] = {
    RecursionError: "the template calls itself too deeply to render",
    MemoryError: "the template needs more memory than there is",
    OverflowError: "the template made a number too large to work with",
}


def _template_frame(tb: TracebackType | None) -> tuple[str, int]:
    """The template file and line of the innermost template frame (Jinja rewrites tracebacks)."""
    found = ("templates/", 1)
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


_PACKAGE_TEMPLATES: Final = Path(__file__).resolve().parent / "templates"


def _shown_file(filename: str | None, project: Path | None) -> str:
    """A template's file as a diagnostic shows it: relative to the project, or the package."""
    if not filename:
        return "templates/"
    path = Path(filename)
    if not path.is_absolute():
        return filename
    resolved = path.resolve()
    if project is not None and resolved.is_relative_to(project.resolve()):
        return resolved.relative_to(project.resolve()).as_posix()
    if resolved.is_relative_to(_PACKAGE_TEMPLATES):
        return (
            "icbt_content/render/templates/" + resolved.relative_to(_PACKAGE_TEMPLATES).as_posix()
        )
    return filename
