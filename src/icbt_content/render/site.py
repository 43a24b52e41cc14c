"""Render stage: a programme in one locale -> the HTML files of its part of the site."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache, cached_property, partial
from importlib import resources
from itertools import groupby
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from icbt_content.adaptation.resources import LocaleInfo, describe_locale
from icbt_content.errors import InvalidArgumentError
from icbt_content.i18n.interface import CALLOUT_LABELS
from icbt_content.i18n.localise import Fallback
from icbt_content.i18n.plurals import pgettext, plural_forms
from icbt_content.ids import progress_key, storage_key, storage_keys
from icbt_content.loop.connected_site import loop_data, service_text, sync_keys, sync_kinds
from icbt_content.markdown import render_markdown
from icbt_content.markdown.links import is_relative
from icbt_content.measures import measure_json
from icbt_content.model.blocks import (
    Block,
    Callout,
    ExerciseBlock,
    Media,
    Prose,
    QuestionnaireBlock,
    RecallBlock,
)
from icbt_content.model.deployment import Deployment
from icbt_content.model.measure import Measure
from icbt_content.model.programme import CHECK_IN_UNIT, Module, Page, Programme
from icbt_content.render.answers_contents import answers_contents
from icbt_content.render.environment import is_package_template
from icbt_content.render.language import PageLanguage, SourceLanguage, lang_attrs
from icbt_content.render.recall import render_recall
from icbt_content.render.records import (
    Schema,
    exercise_schema,
    file_envelope,
    measure_record,
    programme_records,
    progress_record,
    record_kinds,
    removed_fields,
)
from icbt_content.sitemap import (
    SiteMap,
    check_in_path,
    crisis_path,
    home_path,
    module_path,
    page_path,
    relative_url,
)


@dataclass(frozen=True)
class Language:
    """A language the programme is available in, named in itself."""

    code: str
    name: str
    direction: str
    url: str = ""
    pages: frozenset[str] = frozenset()
    """The module and page paths the language has, below its folder (:func:`content_paths`)."""


def content_paths(programme: Programme, fallback: Fallback | None = None) -> frozenset[str]:
    """The paths of a programme's module and page pages below its locale folder (a module served
    from ``fallback`` with its pages there): the pages one language may have and another not.
    Every other page (home, crisis, answers...) every language has."""
    found = set()
    for module in programme.modules:
        shown = module
        if fallback is not None and module.id in fallback.modules:
            shown = fallback.programme.find_module(module.id) or module
        found.add(module_path("", module.id).lstrip("/"))
        found.update(page_path("", module.id, page.id).lstrip("/") for page in shown.pages)
    return frozenset(found)


@dataclass(frozen=True)
class RenderedFile:
    path: str
    """Relative to the site root, with forward slashes."""
    content: bytes
    source: str = ""
    """The content file the page was made from (for diagnostics), when there is one."""
    kind: str = ""
    """What the file is: the template a page was made from (``home``, ``module``, ``page``,
    ``crisis``, ``check-in``, ``answers``), ``therapist`` for the therapist guide, or ``media``,
    ``index``, ``asset``, ``headers`` for the other files of a site. Required: what reads a
    site's files (the page count, the offline cache) goes by it, never by the shape of a path."""

    def __post_init__(self) -> None:
        if not self.kind:
            raise InvalidArgumentError(f"{self.path}: a rendered file must say what kind it is")

    @cached_property
    def digest(self) -> bytes:
        """The sha256 of the content (worked out once: a preview reuses unchanged files)."""
        return hashlib.sha256(self.content).digest()


@dataclass(frozen=True)
class SafetyText:
    """How a page gives safety advice (the risk alert, "Need help now?", crisis links): always in
    the reader's language, marked with it when the page itself is in another (a module served in
    the source language until its translation is finished)."""

    gettext: Callable[[str], str]
    """Translates into the reader's language."""
    attrs: Markup
    """``lang`` and ``dir`` attributes for an element holding safety advice ('' when the page is
    in the reader's language)."""
    language: tuple[str, str] | None = None
    """The same for the site's scripts: (lang, dir or '' when the page's), None when the page is
    in the reader's language."""


#: A page id no page has (ids start with a letter): where a module's nav is seen from.
_NO_PAGE = "_"

#: The folders of a connected site's own pages, in each locale.
CONNECT = "connect"
MESSAGES = "messages"


class ProgrammeRenderer:
    """Renders one programme in one locale. Paths are relative to the site root."""

    def __init__(
        self,
        env: Environment,
        programme: Programme,
        locale: LocaleInfo,
        sitemap: SiteMap,
        languages: list[Language],
        *,
        translate: Callable[[str], str] | None = None,
        notices: dict[str, str] | None = None,
        fallback: Fallback | None = None,
        url_locale: str | None = None,
        connection: str = "none",
        reader: tuple[LocaleInfo, Callable[[str], str]] | None = None,
        signed_off: str | None = None,
        deployment: Deployment | None = None,
        source: SourceLanguage | None = None,
    ) -> None:
        self.env = env
        self.programme = programme
        self.locale = locale
        self.code = url_locale or locale.code
        """The locale folder pages are written to (a fallback page lives in the reader's)."""
        self.sitemap = sitemap
        self.languages = languages
        self.language = PageLanguage(locale, source)
        """Marks the text of a page that is not in the page's language."""
        self._ = self.language.gettext(translate or (lambda text: text))
        self.notices = notices or {}
        """Module id -> a notice shown on its pages (for example, 'not yet translated')."""
        self.root = programme.id
        self.connection = connection
        """deploy.yaml's connection: chooses what the risk wording says happens to an answer."""
        self.deployment = deployment or Deployment()
        """deploy.yaml: a connected site's server, apps and service."""
        reader_locale, reader_gettext = reader or (locale, self._)
        self.reader_locale = reader_locale
        self.service = service_text(self.deployment, reader_locale.code)
        """The service's name, contact and risk response time in the reader's language."""
        elsewhere = reader_locale.code != locale.code
        self.safety = SafetyText(
            reader_gettext,
            lang_attrs(reader_locale.code, reader_locale.direction, locale.direction)
            if elsewhere
            else Markup(""),
            (
                reader_locale.code,
                reader_locale.direction if reader_locale.direction != locale.direction else "",
            )
            if elsewhere
            else None,
        )
        self.signed_off = signed_off
        """The date (YYYY-MM-DD) this version was signed off; None for a draft."""
        self.fallback = fallback
        self._module_navs: dict[str, tuple[list[dict[str, Any]], str]] = {}
        self._fallback = (
            ProgrammeRenderer(
                env,
                fallback.programme,
                fallback.locale,
                sitemap,
                languages,
                translate=fallback.translate,
                notices=self.notices,
                url_locale=self.code,
                connection=connection,
                # Safety advice stays in the reader's language on pages served in the source.
                reader=(locale, self._),
                signed_off=signed_off,
                deployment=deployment,
            )
            if fallback
            else None
        )

    # -- addresses ------------------------------------------------------------------------------

    def site_path(self, programme_path: str) -> str:
        return f"{self.root}/{programme_path}"

    def url(self, from_path: str, to_programme_path: str, anchor: str = "") -> str:
        return relative_url(from_path, self.site_path(to_programme_path), anchor)

    def assets(self, from_path: str) -> str:
        return relative_url(from_path, "assets/")

    def resolver(self, source_file: str, here: str) -> Callable[[str], str | None]:
        def resolve(href: str) -> str | None:
            if not is_relative(href) and not href.startswith("#"):
                return href
            if href.startswith("#"):
                return href
            resolution = self.sitemap.resolve(source_file, href, self.code)
            if resolution.target is None:
                return None
            return self.url(here, resolution.target.path, resolution.target.anchor)

        return resolve

    # -- shared context -------------------------------------------------------------------------

    def common(
        self, here: str, title: str, *, page_key: str = "", module_id: str = ""
    ) -> dict[str, Any]:
        urls = {
            "home": self.url(here, home_path(self.code)),
            "crisis": self.url(here, crisis_path(self.code)),
            "answers": self.url(here, f"{self.code}/answers/"),
        }
        if self.service is not None:
            urls["connect"] = self.url(here, f"{self.code}/{CONNECT}/")
            urls["messages"] = self.url(here, f"{self.code}/{MESSAGES}/")
        check_in = self.check_in_link(here)
        return {
            "programme": self.shown_programme,
            "locale": self.locale,
            "title": title,
            "assets": self.assets(here),
            "page_key": page_key,
            "urls": urls,
            "languages": self.language_links(here),
            "notice": "",
            "_": self._,
            "pgettext": partial(pgettext, self._),
            "plural_forms": partial(plural_forms, self._, self.locale.code),
            "page": None,
            "safety": self.safety,
            "connection": self.connection,
            "service": self.service,
            "crisis_lines": self.reader_locale.resources.crisis,
            "page_data": self.page_data(urls, page_key=page_key, module_id=module_id),
            "script_messages": self.script_messages,
            "script_modules": script_modules(),
            "check_in": check_in,
            "signed_off": self.locale.format_date(self.signed_off) if self.signed_off else "",
        }

    @cached_property
    def script_messages(self) -> Markup:
        """The interface messages of the site's scripts (``script_messages.html``), the same on
        every page: rendered once. Empty when a project overrides it or ``script_data.html``:
        each page then renders its own, as the project's template may read the page's data."""
        names = ("script_data.html", "script_messages.html")
        if not all(is_package_template(self.env, name) for name in names):
            return Markup("")
        template = self.env.get_template("script_messages.html")
        return Markup(
            template.render(
                locale=self.locale,
                programme=self.shown_programme,
                _=self._,
                pgettext=partial(pgettext, self._),
                plural_forms=partial(plural_forms, self._, self.locale.code),
                safety=self.safety,
                connection=self.connection,
                service=self.service,
            )
        )

    def language_links(self, here: str) -> list[Language]:
        """Each language, linked to this page in it when it has the page, else to its home."""
        start = self.site_path(home_path(self.code))
        rest = here.removeprefix(start) if here.startswith(start) else ""
        own = self._content_paths
        links = []
        for lang in self.languages:
            same = rest if rest not in own or rest in lang.pages else ""
            url = self.url(here, home_path(lang.code) + same)
            links.append(replace(lang, url=url))
        return links

    @cached_property
    def _content_paths(self) -> frozenset[str]:
        return content_paths(self.programme)

    def check_in_link(self, here: str) -> dict[str, str] | None:
        """The weekly check-in as linked from every page (its title in the reader's language)."""
        page = self.programme.check_in
        if page is None or not self.programme.weekly:
            return None
        return {
            "title": page.title,
            "summary": page.summary,
            "url": self.url(here, check_in_path(self.code)),
        }

    # -- data for the site's scripts ------------------------------------------------------------

    def page_data(
        self,
        urls: dict[str, str],
        *,
        page_key: str = "",
        module_id: str = "",
        records: dict[str, Schema] | None = None,
        answers_file: bool = False,
    ) -> dict[str, Any]:
        """What the site's scripts need to know about a page; base.html writes it as JSON.

        ``storage`` is the key scheme (from :mod:`icbt_content.ids`: the scripts never spell a
        key themselves); ``records`` the schema of each record the page reads (progress on every
        page); ``kinds`` the schema of any other record by its kind; ``file`` (on "My answers")
        the shape of an answers file.
        """
        data: dict[str, Any] = {
            "programme": {"id": self.programme.id, "title": self.programme.title},
            "page": page_key,
            "module": module_id,
            "home": urls["home"],
            "crisis": urls["crisis"],
            "unlock": self.programme.unlock,
            "modules": self._modules_data,
            "migrations": self._migrations_data,
            "storage": storage_keys(self.programme.id),
            "kinds": record_kinds(),
            "records": {progress_key(self.programme.id): progress_record(), **(records or {})},
        }
        if answers_file:
            data["file"] = file_envelope()
        loop = loop_data(self.deployment, self.programme, self.code, urls, records or {})
        if loop is not None:
            data["loop"] = loop
            data["storage"] = {**data["storage"], **sync_keys(self.programme.id)}
            data["kinds"] = {**data["kinds"], **sync_kinds()}
        return data

    @cached_property
    def _modules_data(self) -> list[dict[str, Any]]:
        """Module order, titles, addresses (from the home page) and, for "in-order", the page ids
        of core modules: what the unlock rules need (nothing when all are open). Every page
        carries it, so it is kept small."""
        rule = self.programme.unlock
        if rule == "all-open":
            return []
        return [
            {
                "id": m.id,
                "title": m.title,
                "core": m.core,
                "path": f"{m.id}/",
                "pages": [p.id for p in m.pages] if m.core and rule == "in-order" else [],
            }
            for m in self.programme.modules
        ]

    @cached_property
    def _migrations_data(self) -> list[dict[str, Any]]:
        """The programme's id migrations, applied to saved answers on every page."""
        return [m.model_dump(mode="json") for m in self.programme.migrations]

    @cached_property
    def _removed_fields(self) -> dict[str, tuple[str, ...]]:
        return removed_fields(self.programme)

    def page_records(self, blocks: Iterable[Block]) -> dict[str, Schema]:
        """The schema of each record a page's exercises and questionnaires save."""
        found: dict[str, Schema] = {}
        kept = self._removed_fields
        for block in blocks:
            if isinstance(block, ExerciseBlock):
                exercise = block.exercise
                key = storage_key(self.programme.id, exercise.id)
                found[key] = exercise_schema(exercise, kept.get(exercise.id, ()))
            elif isinstance(block, RecallBlock):
                # The earlier answer is read with its exercise's schema (a repeatable one's
                # entries would not fit the generic one).
                recalled = self.programme.find_exercise(block.exercise)
                if recalled is not None:
                    key = storage_key(self.programme.id, recalled.id)
                    found[key] = exercise_schema(recalled, kept.get(recalled.id, ()))
            elif isinstance(block, QuestionnaireBlock):
                measure = self.programme.find_measure(block.measure)
                if measure is not None:
                    key = storage_key(self.programme.id, measure.id, "measure")
                    found[key] = measure_record(measure)
        return found

    def nav(
        self, here: str, current_module: Module | None, current_page: Page | None
    ) -> list[dict[str, Any]]:
        items = []
        for module in self.programme.modules:
            written = self.source_module(module.id)
            items.append(
                {
                    "id": module.id,
                    "title": self.language.text(module.title, written.title if written else None),
                    "summary": self.language.text(
                        module.summary, written.summary if written else None
                    ),
                    "core": module.core,
                    "url": self.url(here, module_path(self.code, module.id)),
                    "current": module is current_module,
                    "pages": [
                        {
                            "key": f"{module.id}/{page.id}",
                            "title": page.title,
                            "url": self.url(here, page_path(self.code, module.id, page.id)),
                            "current": page is current_page,
                        }
                        for page in module.pages
                    ]
                    if module is current_module
                    else [],
                }
            )
        return items

    def content_nav(
        self, here: str, module: Module, page: Page
    ) -> tuple[list[dict[str, Any]], Markup | None]:
        """A content page's nav: its data, and its HTML when made once for the module's pages.

        Every page of a module lies one folder below it, so each link in the nav is the same
        from all of them but the page's own: the nav is made once per module as seen from a
        page no module has, then the page's own link is pointed at itself and marked current.
        The HTML is None (each page renders ``nav.html`` itself) when a project overrides a
        template involved, or when the page's link is not found exactly once.
        """
        if not self._nav_once:
            return self.nav(here, module, page), None
        items, html = self._module_nav(module)
        key = f"{module.id}/{page.id}"
        url = self.url(here, page_path(self.code, module.id, page.id))
        shown: list[dict[str, Any]] = []
        seen = ""
        for item in items:
            if item["current"]:
                pages = []
                for entry in item["pages"]:
                    if entry["key"] == key:
                        seen = entry["url"]
                        entry = {**entry, "url": url, "current": True}
                    pages.append(entry)
                item = {**item, "pages": pages}
            shown.append(item)
        link = str(Markup('<li data-page-key="{}"><a href="{}">').format(key, seen))
        if html.count(link) != 1:
            return shown, None
        marked = Markup('<li data-page-key="{}"><a href="{}" aria-current="page">').format(key, url)
        return shown, Markup(html.replace(link, str(marked)))

    @cached_property
    def _nav_once(self) -> bool:
        """Whether a content page's nav may be made once per module: the package's templates
        and this class's addresses and nav (a subclass may place pages or make navs otherwise)."""
        names = ("base.html", "page.html", "nav.html")
        return all(is_package_template(self.env, name) for name in names) and all(
            getattr(type(self), name) is getattr(ProgrammeRenderer, name)
            for name in ("url", "site_path", "nav", "common")
        )

    def _module_nav(self, module: Module) -> tuple[list[dict[str, Any]], str]:
        """The nav of a module's pages as seen from a page the module does not have."""
        found = self._module_navs.get(module.id)
        if found is None:
            here = self.site_path(page_path(self.code, module.id, _NO_PAGE))
            items = self.nav(here, module, None)
            context = self.common(here, "", module_id=module.id)
            context.update(nav=items, module=module, page=module.pages[0])
            found = (items, self.env.get_template("nav.html").render(context))
            self._module_navs[module.id] = found
        return found

    # -- pages ----------------------------------------------------------------------------------

    def render(self, pages: Collection[tuple[int, int]] | None = None) -> Iterator[RenderedFile]:
        """Every page of this programme in this locale for clients (a connected site's own pages
        are :func:`~icbt_content.render.connected.connected_pages`, the therapist guide is
        :class:`~icbt_content.render.therapist.TherapistGuide`); with ``pages``, of the
        modules' pages only those at these (module index, page index)."""
        yield self.home()
        yield self.crisis()
        yield self.answers()
        if self.programme.check_in is not None and self.programme.weekly:
            yield self._renderer_of(CHECK_IN_UNIT).check_in_page()
        for m_index in range(len(self.programme.modules)):
            only = None if pages is None else {p for m, p in pages if m == m_index}
            yield from self.module_files(m_index, only)

    def module_files(
        self, m_index: int, pages: Collection[int] | None = None, *, module_page: bool = True
    ) -> Iterator[RenderedFile]:
        """The page of the module at ``m_index`` (unless not ``module_page``) and its pages, as
        :meth:`render` makes them; with ``pages``, only the pages at those indexes."""
        renderer, shown = self.served_module(m_index)
        if module_page:
            yield renderer.module_page(shown, m_index)
        for p_index, page in enumerate(shown.pages):
            if pages is None or p_index in pages:
                yield renderer.content_page(shown, m_index, page, p_index)

    def served_module(self, m_index: int) -> tuple[ProgrammeRenderer, Module]:
        """The module at ``m_index`` as served, and the renderer of its pages: the source
        locale's when it is served whole in it."""
        module = self.programme.modules[m_index]
        renderer = self._renderer_of(module.id)
        if renderer is self:
            return self, module
        return renderer, renderer.programme.find_module(module.id) or module

    def reading_order(self) -> list[tuple[Module, Page]]:
        """Every page in the order a client reads them."""
        return self._reading_order[0]

    def _renderer_of(self, unit: str) -> ProgrammeRenderer:
        """The renderer of a unit: the fallback one when it is served in the source locale."""
        if self._fallback is not None and self.fallback and unit in self.fallback.modules:
            return self._fallback
        return self

    def _file(
        self, here: str, template: str, context: dict[str, Any], source: str = ""
    ) -> RenderedFile:
        html = self.env.get_template(template).render(context)
        kind = template.removesuffix(".html")
        return RenderedFile(here + "index.html", html.encode("utf-8"), source, kind)

    def home(self) -> RenderedFile:
        here = self.site_path(home_path(self.code))
        context = self.common(here, self.programme.title)
        context.update(nav=self.nav(here, None, None), description=self.shown_programme.description)
        # "Continue where you left off" (progress.js): every page in reading order; the first
        # one until the client has read a page.
        flat = self._reading_order[0]
        context["page_data"]["contents"] = [
            {"key": f"{m.id}/{p.id}", "title": p.title} for m, p in flat
        ]
        context["pages_total"] = len(flat)
        if flat:
            m, p = flat[0]
            context["first_page"] = {
                "title": p.title,
                "url": self.url(here, page_path(self.code, m.id, p.id)),
            }
        return self._file(here, "home.html", context)

    def crisis(self) -> RenderedFile:
        here = self.site_path(crisis_path(self.code))
        crisis = self.programme.crisis
        title = crisis.title if crisis else self._("Need help now?")
        intro = Markup("")
        if crisis:
            source = crisis.source.file if crisis.source else ""
            intro = Markup(
                render_markdown(crisis.markdown, resolve_link=self.resolver(source, here))
            )
        resources = self.locale.resources
        context = self.common(here, title)
        context.update(
            nav=self.nav(here, None, None),
            intro=intro,
            resources=resources.crisis,
            # The oldest check of any line: the page never claims more than is true.
            checked=self.locale.format_date(resources.oldest_check.isoformat())
            if resources.oldest_check
            else "",
        )
        return self._file(here, "crisis.html", context)

    def check_in_page(self) -> RenderedFile:
        """The weekly check-in: a few words, then every weekly questionnaire, in order."""
        page = self.programme.check_in
        assert page is not None
        here = self.site_path(check_in_path(self.code))
        source = page.source.file if page.source else ""
        context = self.common(here, page.title)
        blocks = [QuestionnaireBlock(measure=measure_id) for measure_id in self.programme.weekly]
        context["page_data"] = self.page_data(context["urls"], records=self.page_records(blocks))
        context.update(
            nav=self.nav(here, None, None),
            notice=self.notices.get(CHECK_IN_UNIT, ""),
            intro=self.markdown(page.markdown, here, source),
        )
        context["questionnaires"] = [self.block(b, here, source, context) for b in blocks]
        return self._file(here, "check-in.html", context)

    def answers(self) -> RenderedFile:
        here = self.site_path(f"{self.code}/answers/")
        context = self.common(here, self._("My answers"))
        context.update(nav=self.nav(here, None, None))
        context["page_data"] = self.page_data(
            context["urls"], records=programme_records(self.programme), answers_file=True
        )
        check_in = self.programme.check_in
        context["contents"] = answers_contents(
            self.programme, check_in.title if check_in is not None else "", self.locale.code
        )
        return self._file(here, "answers.html", context)

    def module_page(self, module: Module, index: int) -> RenderedFile:
        here = self.site_path(module_path(self.code, module.id))
        context = self.common(here, module.title, module_id=module.id)
        context.update(
            module=module,
            nav=self.nav(here, module, None),
            notice=self.notices.get(module.id, ""),
            position={"module": index + 1, "modules": len(self.programme.modules)},
            pages=[
                {
                    "key": f"{module.id}/{p.id}",
                    "title": p.title,
                    "url": self.url(here, page_path(self.code, module.id, p.id)),
                }
                for p in module.pages
            ],
        )
        return self._file(here, "module.html", context, module.source.file if module.source else "")

    def content_page(self, module: Module, m_index: int, page: Page, p_index: int) -> RenderedFile:
        here = self.site_path(page_path(self.code, module.id, page.id))
        source = page.source.file if page.source else ""
        context = self.common(
            here, page.title, page_key=f"{module.id}/{page.id}", module_id=module.id
        )
        context["page_data"] = self.page_data(
            context["urls"],
            page_key=f"{module.id}/{page.id}",
            module_id=module.id,
            records=self.page_records(page.blocks),
        )
        context.update(
            module=module,
            page=page,
            notice=self.notices.get(module.id, ""),
            position={
                "module": m_index + 1,
                "modules": len(self.programme.modules),
                "page": p_index + 1,
                "pages": len(module.pages),
            },
            prev=self._neighbour(here, module, m_index, p_index, -1),
            next=self._neighbour(here, module, m_index, p_index, +1),
        )
        context["nav"], nav_html = self.content_nav(here, module, page)
        if nav_html:
            context["nav_html"] = nav_html
        context["blocks"] = [self.block(b, here, source, context) for b in page.blocks]
        return self._file(here, "page.html", context, source)

    @cached_property
    def _reading_order(self) -> tuple[list[tuple[Module, Page]], dict[tuple[str, str], int]]:
        """Every page in the order a client reads them, and each page's place in it."""
        flat = [(m, p) for m in self.programme.modules for p in m.pages]
        return flat, {(m.id, p.id): i for i, (m, p) in enumerate(flat)}

    def _neighbour(
        self, here: str, module: Module, m_index: int, p_index: int, step: int
    ) -> dict[str, str] | None:
        flat, position = self._reading_order
        target = position[(module.id, module.pages[p_index].id)] + step
        if not 0 <= target < len(flat):
            return None
        m, p = flat[target]
        written = self.source_page(m.id, p.id)
        return {
            "title": self.language.text(p.title, written.title if written else None),
            "url": self.url(here, page_path(self.code, m.id, p.id)),
        }

    def measure_attrs(self, measure: Measure) -> Markup:
        """``lang``/``dir`` for a measure's own words when they are not in the page's language."""
        if _language(measure.language) == _language(self.locale.code):
            return Markup("")
        wording = describe_locale(measure.language)
        return lang_attrs(measure.language, wording.direction, self.locale.direction)

    @cached_property
    def shown_programme(self) -> Programme:
        """The programme as templates show it: its title and description marked with the source
        language while they are not translated."""
        source = self.language.source
        if source is None:
            return self.programme
        text = self.language.text
        return self.programme.model_copy(
            update={
                "title": text(self.programme.title, source.programme.title),
                "description": text(self.programme.description, source.programme.description),
            }
        )

    def source_module(self, module_id: str) -> Module | None:
        """A module as written in the source language (None on a page in that language)."""
        source = self.language.source
        return source.programme.find_module(module_id) if source is not None else None

    def source_page(self, module_id: str, page_id: str) -> Page | None:
        """A page as written in the source language (None on a page in that language)."""
        module = self.source_module(module_id)
        return next((p for p in module.pages if p.id == page_id), None) if module else None

    # -- blocks ---------------------------------------------------------------------------------

    def block(self, block: Any, here: str, source: str, context: dict[str, Any]) -> Markup:
        renderer = BLOCK_RENDERERS[block.kind]
        return renderer(self, block, here, source, context)

    def markdown(self, text: str, here: str, source: str, anchors: tuple[str, ...] = ()) -> Markup:
        return Markup(
            render_markdown(
                text, resolve_link=self.resolver(source, here), anchors=list(anchors) or None
            )
        )


#: Scripts a page loads itself rather than through icbt.js: icbt.js, and exit.js ("Exit this
#: page", on a sensitive programme's pages only, so nothing else can stop it).
OWN_SCRIPTS = frozenset({"icbt.js", "exit.js"})


@cache
def script_modules() -> tuple[str, ...]:
    """The modules icbt.js imports (every other script in static/), for the pages to preload:
    fetched at once instead of one import level after another."""
    static = resources.files("icbt_content.render") / "static"
    return tuple(
        sorted(
            entry.name
            for entry in static.iterdir()
            if entry.is_file() and entry.name.endswith(".js") and entry.name not in OWN_SCRIPTS
        )
    )


def _prose(
    r: ProgrammeRenderer, block: Prose, here: str, source: str, ctx: dict[str, Any]
) -> Markup:
    return r.markdown(block.markdown, here, source, block.anchors)


def _callout(
    r: ProgrammeRenderer, block: Callout, here: str, source: str, ctx: dict[str, Any]
) -> Markup:
    template = r.env.get_template("blocks/callout.html")
    return Markup(
        template.render(
            ctx,
            block=block,
            label=r._(CALLOUT_LABELS[block.style]),
            body=r.markdown(block.markdown, here, source, block.anchors),
        )
    )


def _media(
    r: ProgrammeRenderer, block: Media, here: str, source: str, ctx: dict[str, Any]
) -> Markup:
    src = r.resolver(source, here)(block.src) or ""
    transcript = r.markdown(block.transcript, here, source) if block.transcript else ""
    template = r.env.get_template("blocks/media.html")
    return Markup(template.render(ctx, block=block, src=src, transcript=transcript))


def _exercise(
    r: ProgrammeRenderer, block: ExerciseBlock, here: str, source: str, ctx: dict[str, Any]
) -> Markup:
    exercise = block.exercise
    groups = [(g, list(items)) for g, items in groupby(exercise.fields, key=lambda f: f.group)]
    # A type may have its own layout (blocks/exercise-<type>.html), extending the generic one.
    template = r.env.select_template(
        [f"blocks/exercise-{exercise.type}.html", "blocks/exercise.html"]
    )
    return Markup(
        template.render(
            ctx,
            exercise=exercise,
            groups=groups,
            instructions=r.markdown(exercise.instructions, here, source),
            storage_key=storage_key(r.programme.id, exercise.id),
            repeatable=exercise.repeatable,
        )
    )


def _questionnaire(
    r: ProgrammeRenderer, block: QuestionnaireBlock, here: str, source: str, ctx: dict[str, Any]
) -> Markup:
    measure = r.programme.find_measure(block.measure)
    if measure is None:  # reported by validation; never published half-made
        return Markup("")
    notice = Markup("")
    wording_lang = r.measure_attrs(measure)
    if wording_lang:
        # No validated translation: the questionnaire stays here, in the reader's language and
        # with the reader's crisis help; only the measure's own words keep their language.
        notice = Markup(
            r.env.get_template("blocks/questionnaire-elsewhere.html").render(
                ctx,
                measure=measure,
                language=r.locale.language_name(measure.language),
                wording_lang=wording_lang,
            )
        )
    template = r.env.get_template("questionnaire.html")
    return notice + Markup(
        template.render(
            ctx,
            measure=measure,
            measure_json=Markup(measure_json(measure)),
            wording_lang=wording_lang,
        )
    )


def _language(tag: str) -> str:
    return tag.split("-")[0].lower()


BlockRenderer = Callable[[ProgrammeRenderer, Any, str, str, dict[str, Any]], Markup]

#: One renderer per block kind. Add an entry (and a model class) to add a block kind.
BLOCK_RENDERERS: dict[str, BlockRenderer] = {
    "prose": _prose,
    "callout": _callout,
    "media": _media,
    "exercise": _exercise,
    "questionnaire": _questionnaire,
    "recall": render_recall,
}
