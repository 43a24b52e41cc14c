"""Place a programme's pages inside another site, rendered exactly as in our own site.

The pages are rendered by the site's own :class:`~icbt_content.render.site.ProgrammeRenderer`
and page templates (a project's own included), which extend ``base.html``; here that name is read
from the layout ``embed.html`` (:func:`embed_environment`). It shows what our site shows in
``<main>`` (with the page data and messages our scripts read), wrapped in ``<div class="icbt">``;
the parts both layouts show come from ``page-parts.html``. The host site supplies the rest of the
page. Our styles and scripts are the site's, the styles scoped to the
wrapper (with ``contrib/static/embed.css`` for what only embedded pages have). Nothing here
depends on MkDocs: :mod:`icbt_content.contrib.mkdocs` is the MkDocs side, and the documentation
uses :func:`render_example` for its rendered examples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

from jinja2 import BaseLoader, Environment
from markupsafe import Markup

from icbt_content.adaptation.resources import describe_locale
from icbt_content.authoring.documents import parse_document
from icbt_content.authoring.loader import LoadedProgramme, relative
from icbt_content.authoring.pages import read_blocks
from icbt_content.contrib.assets import SCOPE
from icbt_content.diagnostics import ContentError, Diagnostic, Diagnostics, diagnostic
from icbt_content.i18n.localise import LocalisedProgramme
from icbt_content.inputs import files_under
from icbt_content.localised import localise_folder
from icbt_content.measures import builtin_measures, load_measure
from icbt_content.model.base import SourceLocation
from icbt_content.model.blocks import QuestionnaireBlock
from icbt_content.model.measure import Measure
from icbt_content.model.programme import CrisisPage, Module, Page, Programme
from icbt_content.paths import StrPath
from icbt_content.pipeline.media import media_problem
from icbt_content.render.environment import SiteSandbox, make_environment
from icbt_content.render.site import Language, ProgrammeRenderer
from icbt_content.sitemap import (
    SiteMap,
    check_in_path,
    crisis_path,
    home_path,
    module_path,
    page_path,
)
from icbt_content.sitemap import relative_url as site_relative_url

#: The layout every page template extends (``SITE_LAYOUT``), read from the embed's layout in
#: another site; and the template of one block shown on its own.
SITE_LAYOUT = "base.html"
LAYOUT = "embed.html"
FRAGMENT = "embed-fragment.html"


class _EmbedLayout(BaseLoader):
    """The site's templates, with the layout every page template extends read from ``LAYOUT``:
    a project's own page templates, written for our site, work unchanged in another."""

    def __init__(self, site: BaseLoader) -> None:
        self.site = site

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.site.get_source(environment, LAYOUT if template == SITE_LAYOUT else template)


def embed_environment(project: Path | None = None) -> SiteSandbox:
    """The site's template environment (with the project's templates) for pages in another
    site: ``base.html`` is read from ``embed.html``."""
    env = make_environment(project)
    assert env.loader is not None
    env.loader = _EmbedLayout(env.loader)
    return env


PlaceKind = Literal["home", "module", "page", "check-in", "crisis", "answers"]


@dataclass(frozen=True)
class Place:
    """A page of the programme, by its path in our own site (relative to the programme)."""

    path: str
    """Like ``en-GB/introduction/welcome/``: always the locale, then folders, ending in ``/``."""
    kind: PlaceKind
    title: str
    module: str = ""
    page: str = ""

    @property
    def folder(self) -> str:
        """The path without the locale: ``introduction/welcome/``, or ``""`` for the home page."""
        return self.path.split("/", 1)[1]


@dataclass(frozen=True)
class Heading:
    """A heading with an id in an embedded page, for the host's table of contents."""

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class EmbeddedPage:
    """One page of a programme as HTML to place in a host page."""

    place: Place
    html: str
    """``<div class="icbt" data-icbt-root ...>`` holding what our site shows in ``<main>``."""
    headings: tuple[Heading, ...]


#: Maps a path in our own site (a :attr:`Place.path`, or ``media/<file>``) to the host site's
#: URL for it, relative to the host site's root (like ``programmes/sad/introduction/``).
UrlFor = Callable[[str], str]


class ProgrammeEmbed:
    """A checked programme in one locale, ready to be rendered into another site's pages."""

    def __init__(self, loaded: LoadedProgramme, localised: LocalisedProgramme) -> None:
        assert loaded.programme is not None
        self.loaded = loaded
        self.localised = localised

    @property
    def programme(self) -> Programme:
        return self.localised.programme

    @property
    def locale(self) -> str:
        return self.localised.locale.code

    def places(self) -> list[Place]:
        """Every page, in reading order: home, each module and its pages, the weekly check-in,
        crisis, answers."""
        code = self.locale
        translate = self.localised.translate or (lambda text: text)
        crisis = self.programme.crisis
        found = [Place(home_path(code), "home", self.programme.title)]
        for module in self.programme.modules:
            found.append(
                Place(module_path(code, module.id), "module", module.title, module=module.id)
            )
            found.extend(
                Place(
                    page_path(code, module.id, page.id),
                    "page",
                    page.title,
                    module=module.id,
                    page=page.id,
                )
                for page in module.pages
            )
        check_in = self.programme.check_in
        if check_in is not None and self.programme.weekly:
            found.append(Place(check_in_path(code), "check-in", check_in.title))
        found.append(
            Place(
                crisis_path(code), "crisis", crisis.title if crisis else translate("Need help now?")
            )
        )
        found.append(Place(f"{code}/answers/", "answers", translate("My answers")))
        return found

    def media(self) -> list[tuple[str, Path]]:
        """The programme's media files: (``media/<file>``, where the file is on disk).

        Raise :class:`ContentError` for a file that may not be published: the same rules as
        ``icbt build`` (:mod:`icbt_content.inputs`, :mod:`icbt_content.pipeline.media`).
        """

        folder = self.loaded.root / "media"
        if not folder.is_dir():
            return []
        files, problems = files_under(folder, self.loaded.project)
        for path in files:
            shown = relative(path, self.loaded.project)
            problem = media_problem(path.name, path.read_bytes(), shown)
            if problem is not None:
                problems.append(problem)
        if problems:
            raise ContentError(problems)
        return [(f"media/{path.relative_to(folder).as_posix()}", path) for path in files]

    def render(self, url_for: UrlFor) -> list[EmbeddedPage]:
        """Render every place; links between pages and to media go through ``url_for``."""
        renderer = EmbedRenderer(self, url_for)
        modules = list(self.programme.modules)
        pages: list[EmbeddedPage] = []
        for place in self.places():
            if place.kind == "home":
                rendered = renderer.home()
            elif place.kind == "check-in":
                rendered = renderer.check_in_page()
            elif place.kind == "crisis":
                rendered = renderer.crisis()
            elif place.kind == "answers":
                rendered = renderer.answers()
            else:
                m_index, module = next(
                    (i, m) for i, m in enumerate(modules) if m.id == place.module
                )
                if place.kind == "module":
                    rendered = renderer.module_page(module, m_index)
                else:
                    p_index, page = next(
                        (i, p) for i, p in enumerate(module.pages) if p.id == place.page
                    )
                    rendered = renderer.content_page(module, m_index, page, p_index)
            html = rendered.content.decode("utf-8")
            pages.append(EmbeddedPage(place, html, tuple(headings(html))))
        return pages


class EmbedRenderer(ProgrammeRenderer):
    """Our renderer, with addresses in the host site instead of ours."""

    def __init__(self, embed: ProgrammeEmbed, url_for: UrlFor) -> None:
        loaded, localised = embed.loaded, embed.localised
        assert loaded.programme is not None
        locale = localised.locale
        super().__init__(
            embed_environment(loaded.project),
            localised.programme,
            locale,
            SiteMap(loaded.programme, relative(loaded.root, loaded.project)),
            [Language(locale.code, locale.name, locale.direction)],
            translate=localised.translate,
            notices=localised.notices,
        )
        self._url_for = url_for

    def common(
        self, here: str, title: str, *, page_key: str = "", module_id: str = ""
    ) -> dict[str, Any]:
        return {
            **super().common(here, title, page_key=page_key, module_id=module_id),
            "scope": SCOPE,
        }

    def site_path(self, programme_path: str) -> str:
        return self._url_for(programme_path)

    def url(self, from_path: str, to_programme_path: str, anchor: str = "") -> str:
        target = relative_url(self.site_path(to_programme_path), from_path)
        return target + (f"#{anchor}" if anchor else "")


def load_embed(
    programme_dir: StrPath,
    *,
    locale: str | None = None,
    project: StrPath | None = None,
) -> tuple[ProgrammeEmbed, list[Diagnostic]]:
    """Load, check and localise a programme folder for embedding.

    ``locale`` defaults to the programme's source locale; ``project`` (the folder holding
    ``programmes/`` and ``locales/``) to the folder two levels up. Returns the embed and the
    warnings. Raises :class:`~icbt_content.diagnostics.ContentError` when the content has
    errors, and :class:`~icbt_content.errors.NotFoundError` when it is not published in
    ``locale``.
    """
    loaded, match, found = localise_folder(programme_dir, locale, project=project)
    return ProgrammeEmbed(loaded, match), list(found)


# -- rendered examples -------------------------------------------------------------------------


def render_example(
    markdown: str,
    *,
    programme_id: str = "example",
    locale: str = "en-GB",
    media: str = "",
) -> str:
    """Render a fragment of a page (Markdown with directives) as our site shows it.

    Used for the rendered examples in the documentation. The fragment is read as a page of a
    module, so media are written ``../../media/<file>``; they are linked to ``<media><file>``
    (``media`` is a URL ending in ``/``, relative to the page showing the example). Links to
    other pages lead nowhere. Questionnaires come from the built-in measures. Raises
    :class:`~icbt_content.diagnostics.ContentError` when the fragment has an error, so an
    example cannot show something ``icbt check`` would refuse.
    """
    source = f"{programme_id}/modules/example/01-example.md"
    doc = parse_document(markdown, source)
    parts = read_blocks(doc)
    measures, found = _builtin_measures(
        [b.measure for b in parts.blocks if isinstance(b, QuestionnaireBlock)]
    )
    problems = Diagnostics([*doc.diagnostics, *parts.diagnostics, *found])
    if problems.errors:
        raise ContentError(problems.errors)
    page = Page(
        id="example",
        title="Example",
        blocks=tuple(parts.blocks),
        headings=tuple(parts.headings),
        source=SourceLocation(file=source),
    )
    programme = Programme(
        id=programme_id,
        title="Example",
        version="0",
        condition="Example",
        source_locale=locale,
        modules=(Module(id="example", title="Example", pages=(page,)),),
        measures=tuple(measures),
        crisis=CrisisPage(
            title="Need help now?",
            markdown="",
            source=SourceLocation(file=f"{programme_id}/crisis.md"),
        ),
    )
    info = describe_locale(locale)

    def url_for(path: str) -> str:
        if media and path.startswith("media/"):
            return media + path.removeprefix("media/")
        return "#"

    renderer = _ExampleRenderer(
        make_environment(),
        programme,
        info,
        SiteMap(programme, programme_id),
        [Language(info.code, info.name, info.direction)],
    )
    renderer.url_for = url_for
    here = page_path(locale, "example", "example")
    context = renderer.common(here, page.title)
    html = "\n".join(renderer.block(block, here, source, context) for block in page.blocks)
    records = renderer.page_records(page.blocks)
    context["page_data"] = renderer.page_data(context["urls"], records=records)
    return fragment(renderer, context, Markup(html), with_data=True)


def fragment(
    renderer: ProgrammeRenderer,
    context: dict[str, Any],
    html: Markup,
    *,
    kind: str = "",
    with_data: bool = False,
) -> str:
    """Wrap a rendered block in the scoped root element our scripts look for (``FRAGMENT``),
    followed by the page data and messages when ``with_data``."""
    template = renderer.env.get_template(FRAGMENT)
    return template.render(
        context, fragment=html, embed_kind=kind, with_data=with_data, scope=SCOPE
    )


class _ExampleRenderer(ProgrammeRenderer):
    """Our renderer for a fragment shown on its own: links come from ``url_for`` as they are."""

    url_for: UrlFor = staticmethod(lambda path: "#")

    def url(self, from_path: str, to_programme_path: str, anchor: str = "") -> str:
        target = self.url_for(to_programme_path)
        return target + (f"#{anchor}" if anchor and target != "#" else "")

    def resolver(self, source_file: str, here: str) -> Callable[[str], str | None]:
        resolve = super().resolver(source_file, here)
        return lambda href: resolve(href) or "#"


def _builtin_measures(ids: list[str]) -> tuple[list[Measure], list[Diagnostic]]:
    installed = builtin_measures()
    found: list[Measure] = []
    problems: list[Diagnostic] = []
    for measure_id in dict.fromkeys(ids):
        path = installed.get(measure_id)
        if path is None:
            problems.append(
                diagnostic(
                    "ICBT205",
                    f"no built-in measure called '{measure_id}'",
                    "example.md",
                    hint=f"built-in measures: {', '.join(sorted(installed))}",
                )
            )
            continue
        measure, diagnostics = load_measure(path, path.parent)
        problems.extend(diagnostics)
        if measure is not None:
            found.append(measure)
    return found, problems


# -- HTML helpers ------------------------------------------------------------------------------


class _HeadingParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Heading] = []
        self._open: tuple[int, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._open is None:
            heading_id = dict(attrs).get("id")
            if heading_id:
                self._open, self._text = (int(tag[1]), heading_id), []

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == f"h{self._open[0]}":
            text = " ".join("".join(self._text).split())
            self.found.append(Heading(self._open[0], self._open[1], text))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


def headings(html: str) -> Iterator[Heading]:
    """The headings of some HTML that have an id, in order."""
    parser = _HeadingParser()
    parser.feed(html)
    parser.close()
    yield from parser.found


def relative_url(url: str, start: str) -> str:
    """``url`` relative to the page at ``start`` (both relative to the site root).

    ``start`` ending in ``/`` is a folder, otherwise a file (``a/b.html``); the site map decides.
    """

    return site_relative_url(start, url)


__all__ = [
    "FRAGMENT",
    "LAYOUT",
    "SITE_LAYOUT",
    "EmbeddedPage",
    "Heading",
    "Place",
    "ProgrammeEmbed",
    "embed_environment",
    "fragment",
    "headings",
    "load_embed",
    "relative_url",
    "render_example",
]
