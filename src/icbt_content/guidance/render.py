"""Render a guidance template for one client: Jinja in the sandbox, then safe Markdown to HTML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from babel import Locale

from icbt_content.authoring.documents import read_text
from icbt_content.authoring.guidance import load_template, validate_context
from icbt_content.authoring.loader import read_programme, relative
from icbt_content.authoring.yamlsafe import load_yaml
from icbt_content.diagnostics import ContentError, Severity, diagnostic, did_you_mean
from icbt_content.guidance.check import check_body
from icbt_content.guidance.failures import render_failure
from icbt_content.guidance.sandbox import (
    SectionUrl,
    environment,
    make_helpers,
    parse_locale,
    template_variables,
)
from icbt_content.i18n.segments import Segmenter
from icbt_content.i18n.translations import load_translations
from icbt_content.i18n.walk import translate_guidance
from icbt_content.ids import is_valid_id
from icbt_content.markdown import render_markdown
from icbt_content.model.guidance import GuidanceContext, GuidanceTemplate
from icbt_content.paths import StrPath, as_path
from icbt_content.project import Project
from icbt_content.sitemap import SiteMap

DEFAULT_LOCALE = "en-GB"


@dataclass(frozen=True)
class RenderedMessage:
    """A guidance message filled in for one client."""

    template_id: str
    title: str
    locale: str
    markdown: str
    """The message after Jinja: Markdown, every context value escaped as literal text."""
    html: str
    """The Markdown rendered safely: no raw HTML, only https, mailto, tel and relative links."""
    requested_locale: str = ""
    """The locale asked for ('' when none was): differs from ``locale`` when the message is not
    translated into it (or its translation fails its checks) and is shown in ``locale`` instead."""

    @property
    def translated(self) -> bool:
        """Whether the message is in the locale that was asked for."""
        return not self.requested_locale or self.requested_locale == self.locale


def default_section_url(module: str, anchor: str) -> str:
    """Link to a section relative to the programme's locale root: ``<module-id>/#<anchor>``.

    Anchors are the same in every language, so the link opens the client's own language when
    the message is read from inside that locale's site.
    """
    return f"{module}/#{anchor}"


def render_guidance_template(
    template: GuidanceTemplate,
    context: GuidanceContext,
    *,
    section_url: SectionUrl,
    locale: str = DEFAULT_LOCALE,
    body: str | None = None,
) -> RenderedMessage:
    """Fill in ``template`` for one client; raise ContentError instead of rendering a bad one.

    ``body`` replaces the source body with a translated one. ``section_url(module, anchor)``
    gives the URL ``section_link()`` returns; it may raise KeyError for an unknown section.
    The template is checked first (syntax, names, internals, calls, filters), so a template that
    reaches for internals is never run; the sandbox refuses the same things again at run time.
    """
    source = template.body if body is None else body
    file = template.source.file if template.source else f"guidance/{template.id}.md"
    errors = [d for d in check_body(template, body, trial=False) if d.severity is Severity.ERROR]
    if errors:
        raise ContentError(errors)
    babel_locale = _parse_locale(locale, file)
    variables = template_variables(context, make_helpers(babel_locale, section_url))
    try:
        text = environment().from_string(source).render(variables)
    except Exception as exc:  # every failure becomes a diagnostic, never a traceback
        raise ContentError(
            [render_failure(exc, file, template.body_line, translated=body is not None)]
        ) from None

    markdown = text.strip() + "\n"
    return RenderedMessage(
        template_id=template.id,
        title=template.title,
        locale=locale,
        markdown=markdown,
        html=render_markdown(markdown),
    )


def _parse_locale(locale: str, file: str) -> Locale:
    try:
        return parse_locale(locale)
    except ValueError as exc:
        raise ContentError(
            [diagnostic("ICBT104", str(exc), file, hint="use a locale code such as en-GB or de")]
        ) from None


def render_guidance(
    project: StrPath,
    programme_id: str,
    template_id: str,
    context: Mapping[str, Any] | GuidanceContext,
    *,
    locale: str | None = None,
    section_url: SectionUrl | None = None,
    body: str | None = None,
) -> RenderedMessage:
    """Preview a message: load ``programmes/<programme>/guidance/<template>.md`` and render it.

    ``context`` is a mapping (for example read from JSON) or a GuidanceContext. ``locale``
    defaults to the programme's source locale; another locale renders the message's translation
    from ``locales/<locale>/<programme>.po`` with that locale's plural rules, or, when it is not
    translated, the source message in the source locale (``translated`` is then False).
    ``section_url`` defaults to :func:`default_section_url`. ``body`` is an optional translated
    body. Raises ContentError.
    """
    project = as_path(project)
    programme_dir = Project(project).programme(programme_id)
    shown_dir = f"programmes/{programme_id}"
    for what, value in (("programme", programme_id), ("guidance template", template_id)):
        if not is_valid_id(value):
            raise ContentError(
                [
                    diagnostic(
                        "ICBT202",
                        f"'{value}' is not a valid {what} id",
                        shown_dir if what == "programme" else f"{shown_dir}/guidance",
                        hint="ids are lower-case letters, digits and hyphens",
                    )
                ]
            )
    folder = programme_dir / "guidance"
    path = folder / f"{template_id}.md"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
        raise ContentError(
            [
                diagnostic(
                    "ICBT106",
                    f"there is no guidance template '{template_id}' in {shown_dir}/guidance",
                    f"{shown_dir}/guidance",
                    hint=did_you_mean(template_id, known)
                    or (f"templates: {', '.join(known)}" if known else "the folder is empty"),
                )
            ]
        )
    template, problems = load_template(path, project)
    if template is None:
        raise ContentError(problems)
    checked = validate_context(context)
    source_locale = _source_locale(programme_dir / "programme.yaml", project)
    shown_locale = locale or source_locale
    if body is None and locale is not None and locale != source_locale:
        _parse_locale(locale, template.source.file if template.source else template_id)
        translated = translated_template(project, programme_id, template, locale)
        if translated is None:
            shown_locale = source_locale
        else:
            template, body = translated, translated.body
    message = render_guidance_template(
        template,
        checked,
        section_url=section_url or _programme_section_url(programme_dir, project),
        locale=shown_locale,
        body=body,
    )
    return replace(message, requested_locale=locale or "")


def translated_template(
    project: Path, programme_id: str, template: GuidanceTemplate, locale: str
) -> GuidanceTemplate | None:
    """``template`` in ``locale`` from its guidance catalog, or None when any paragraph of it is
    untranslated, fuzzy or fails its checks (a message is never half translated)."""
    if not is_valid_id(programme_id):
        return None
    translations = load_translations(project, locale, programme_id)
    if translations is None:
        return None
    segmenter = Segmenter(translations.lookup)
    translated = translate_guidance(segmenter, template)
    if any(segment.client for segment in segmenter.missing):
        return None
    problems = check_body(template, translated.body)
    if any(d.severity is Severity.ERROR for d in problems):
        return None
    return translated


def _programme_section_url(programme_dir: Path, project: Path) -> SectionUrl:
    """Section URLs that open the page holding the section, when the programme can be read."""
    loaded = read_programme(programme_dir, project)
    if loaded.programme is None:
        return default_section_url
    sitemap = SiteMap(loaded.programme, relative(programme_dir, project))

    def section_url(module: str, anchor: str) -> str:
        return sitemap.section_url(module, anchor) or default_section_url(module, anchor)

    return section_url


def _source_locale(manifest: Path, project: Path) -> str:
    """The programme's ``source_locale``, or the default when it cannot be read."""
    if not manifest.is_file():
        return DEFAULT_LOCALE
    text, _ = read_text(manifest, manifest.as_posix())
    located, _ = load_yaml(text or "", manifest.as_posix())
    data = located.data if located is not None else None
    value = data.get("source_locale") if isinstance(data, dict) else None
    return value if isinstance(value, str) else DEFAULT_LOCALE
