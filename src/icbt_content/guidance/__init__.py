"""Therapist guidance messages: load, check and render sandboxed Jinja2 templates.

A template is Markdown with Jinja placeholders. It sees only the typed
:class:`~icbt_content.model.guidance.GuidanceContext` and two helpers:

``section_link("module-id", "anchor")``
    the URL of a section of a module, in the client's language. It returns the URL only, so
    authors write the link text themselves: ``[look back]({{ section_link("your-model",
    "self-focus") }})``. Both arguments must be quoted text, so ``icbt check`` can verify them.

``plural(n, "one exercise", "{n} exercises")``
    the form for ``n`` by the locale's plural rules (Babel / CLDR, in gettext order, as in
    ``msgstr[0]``, ``msgstr[1]``...), with ``{n}`` replaced by the number written for the locale.
    Languages with more forms pass more: ``plural(n, "...", "...", "...")``. The forms are plain
    text.

Everything printed with ``{{ ... }}`` is plain text: Markdown or HTML in a name is shown as typed,
never as formatting or a link. Translations pass their body as ``body=`` to the render and check
functions. Every render is held to limits on output, loops, nesting, numbers, text and time
(:mod:`icbt_content.guidance.limits`); going past one is a diagnostic at the template's line.
"""

from icbt_content.authoring.guidance import (
    load_context,
    load_guidance,
    load_template,
    validate_context,
)
from icbt_content.guidance.check import check_body, check_template
from icbt_content.guidance.render import (
    RenderedMessage,
    default_section_url,
    render_guidance,
    render_guidance_template,
)
from icbt_content.guidance.sandbox import (
    ALLOWED_FILTERS,
    ALLOWED_TESTS,
    SectionUrl,
    markdown_text,
)

__all__ = [
    "ALLOWED_FILTERS",
    "ALLOWED_TESTS",
    "RenderedMessage",
    "SectionUrl",
    "check_body",
    "check_template",
    "default_section_url",
    "load_context",
    "load_guidance",
    "load_template",
    "markdown_text",
    "render_guidance",
    "render_guidance_template",
    "validate_context",
]
