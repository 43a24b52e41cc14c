"""Render stage: a programme in one locale -> the HTML files of its part of the site."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from icbt_content.adaptation.resources import LocaleInfo
from icbt_content.ids import storage_key
from icbt_content.markdown import render_markdown
from icbt_content.markdown.links import is_relative
from icbt_content.model.blocks import Callout, ExerciseBlock, Media, Prose, QuestionnaireBlock
from icbt_content.model.programme import Module, Page, Programme
from icbt_content.sitemap import (
    SiteMap,
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


@dataclass(frozen=True)
class RenderedFile:
    path: str
    """Relative to the site root, with forward slashes."""
    content: bytes
    source: str = ""
    """The content file the page was made from (for diagnostics), when there is one."""


@dataclass(frozen=True)
class Fallback:
    """Modules served whole in another locale (the source) because their translation is
    unfinished: their pages are rendered from ``programme`` in ``locale``, at the reader's URLs."""

    programme: Programme
    locale: LocaleInfo
    modules: frozenset[str]
    translate: Callable[[str], str] | None = None


CALLOUT_LABELS = {
    "case-example": "Example",
    "note": "Note",
    "tip": "Tip",
    "warning": "Take care",
    "help": "If this feels too much",
}


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
    ) -> None:
        self.env = env
        self.programme = programme
        self.locale = locale
        self.code = url_locale or locale.code
        """The locale folder pages are written to (a fallback page lives in the reader's)."""
        self.sitemap = sitemap
        self.languages = languages
        self._ = translate or (lambda text: text)
        self.notices = notices or {}
        """Module id -> a notice shown on its pages (for example, 'not yet translated')."""
        self.root = programme.id
        self.fallback = fallback
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

    def common(self, here: str, title: str, *, page_key: str = "") -> dict[str, Any]:
        return {
            "programme": self.programme,
            "locale": self.locale,
            "title": title,
            "assets": self.assets(here),
            "page_key": page_key,
            "urls": {
                "home": self.url(here, home_path(self.code)),
                "crisis": self.url(here, crisis_path(self.code)),
                "answers": self.url(here, f"{self.code}/answers/"),
            },
            "languages": [
                Language(lang.code, lang.name, lang.direction, self.url(here, home_path(lang.code)))
                for lang in self.languages
            ],
            "notice": "",
            "_": self._,
            "page": None,
        }

    def modules_script(self) -> RenderedFile:
        """modules.js: module order, titles and page keys, for the unlock rules in icbt.js."""
        data = [
            {
                "id": m.id,
                "title": m.title,
                "core": m.core,
                "path": f"{m.id}/",
                "pages": [f"{m.id}/{p.id}" for p in m.pages],
            }
            for m in self.programme.modules
        ]
        script = f"window.ICBT_MODULES = {safe_json(data)};\n"
        path = self.site_path(home_path(self.code)) + "modules.js"
        return RenderedFile(path, script.encode("utf-8"))

    def nav(
        self, here: str, current_module: Module | None, current_page: Page | None
    ) -> list[dict[str, Any]]:
        items = []
        for module in self.programme.modules:
            items.append(
                {
                    "id": module.id,
                    "title": module.title,
                    "summary": module.summary,
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

    # -- pages ----------------------------------------------------------------------------------

    def render(self) -> Iterator[RenderedFile]:
        """Every file of this programme in this locale."""
        yield self.home()
        yield self.modules_script()
        yield self.crisis()
        yield self.answers()
        modules = self.programme.modules
        for m_index, module in enumerate(modules):
            renderer, shown = self, module
            if self._fallback is not None and self.fallback and module.id in self.fallback.modules:
                renderer = self._fallback
                shown = renderer.programme.module(module.id) or module
            yield renderer.module_page(shown, m_index)
            for p_index, page in enumerate(shown.pages):
                yield renderer.content_page(shown, m_index, page, p_index)
        from icbt_content.render.therapist import TherapistGuide

        yield from TherapistGuide(self).render()

    def _file(
        self, here: str, template: str, context: dict[str, Any], source: str = ""
    ) -> RenderedFile:
        html = self.env.get_template(template).render(context)
        return RenderedFile(here + "index.html", html.encode("utf-8"), source)

    def home(self) -> RenderedFile:
        here = self.site_path(home_path(self.code))
        context = self.common(here, self.programme.title)
        context.update(nav=self.nav(here, None, None), description=self.programme.description)
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
            checked=self.locale.format_date(resources.crisis_checked)
            if resources.crisis_checked
            else "",
        )
        return self._file(here, "crisis.html", context)

    def answers(self) -> RenderedFile:
        here = self.site_path(f"{self.code}/answers/")
        context = self.common(here, self._("My answers"))
        context.update(nav=self.nav(here, None, None))
        return self._file(here, "answers.html", context)

    def module_page(self, module: Module, index: int) -> RenderedFile:
        here = self.site_path(module_path(self.code, module.id))
        context = self.common(here, module.title)
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
        context = self.common(here, page.title, page_key=f"{module.id}/{page.id}")
        context.update(
            module=module,
            page=page,
            nav=self.nav(here, module, page),
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
        context["blocks"] = [self.block(b, here, source, context) for b in page.blocks]
        context["migrations"] = self.migrations_json()
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
        return {"title": p.title, "url": self.url(here, page_path(self.code, m.id, p.id))}

    @cached_property
    def _migrations_json(self) -> Markup:
        data = [m.model_dump(mode="json") for m in self.programme.migrations]
        return Markup(safe_json(data))

    def migrations_json(self) -> Markup:
        """The programme's id migrations, for icbt.js to apply to saved answers."""
        return self._migrations_json

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


def safe_json(data: Any) -> str:
    """JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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
        )
    )


def _questionnaire(
    r: ProgrammeRenderer, block: QuestionnaireBlock, here: str, source: str, ctx: dict[str, Any]
) -> Markup:
    from icbt_content.measures import measure_json

    measure = r.programme.measure(block.measure)
    if measure is None:  # reported by validation; never published half-made
        return Markup("")
    if _language(measure.language) != _language(r.locale.code):
        # No validated translation: never mix languages on the page, point to the source one.
        source_page = page_path(r.programme.source_locale, ctx["module"].id, ctx["page"].id)
        return Markup(
            r.env.get_template("blocks/questionnaire-elsewhere.html").render(
                ctx, measure=measure, url=r.url(here, source_page, f"q-{measure.id}")
            )
        )
    template = r.env.get_template("questionnaire.html")
    return Markup(template.render(ctx, measure=measure, measure_json=Markup(measure_json(measure))))


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
}
