"""The therapist guide: module notes, exercises, measures and example messages, per locale."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from icbt_content.diagnostics import ContentError
from icbt_content.guidance import render_guidance_template
from icbt_content.model.guidance import GuidanceContext, GuidanceTemplate
from icbt_content.model.programme import Module, Page, Programme
from icbt_content.render.site import ProgrammeRenderer, RenderedFile
from icbt_content.sitemap import home_path, module_path

#: Example facts used to show how each message reads; the change matches the message's purpose.
EXAMPLE_SCORES = {
    "scores-worse": (18, 11, "reliable-deterioration"),
    "scores-better": (8, 16, "reliable-improvement"),
}


def guide_path(locale: str, module_id: str = "") -> str:
    return f"{locale}/therapist/" + (f"{module_id}/" if module_id else "")


class TherapistGuide:
    """Renders ``<programme>/<locale>/therapist/``: an overview and a page per module."""

    def __init__(self, site: ProgrammeRenderer) -> None:
        self.site = site
        self.programme = site.programme
        self.locale = site.locale.code

    def render(self) -> Iterator[RenderedFile]:
        yield self.overview()
        for module in self.programme.modules:
            yield self.module_guide(module)

    def _nav(self, here: str, current: str) -> list[dict[str, Any]]:
        items = [
            {
                "title": self.site._("Overview"),
                "url": self.site.url(here, guide_path(self.locale)),
                "current": current == "",
            }
        ]
        for module in self.programme.modules:
            items.append(
                {
                    "title": self._title(module),
                    "url": self.site.url(here, guide_path(self.locale, module.id)),
                    "current": current == module.id,
                }
            )
        return items

    def _page(self, here: str, title: str, current: str, body: str) -> RenderedFile:
        context = self.site.common(here, title)
        context.update(guide_nav=self._nav(here, current), body=Markup(body), nav=[])
        html = self.site.env.get_template("therapist.html").render(context)
        return RenderedFile(here + "index.html", html.encode("utf-8"), kind="therapist")

    def overview(self) -> RenderedFile:
        here = self.site.site_path(guide_path(self.locale))
        env = self.site.env
        body = env.get_template("therapist/overview.html").render(
            self.site.common(here, ""),
            programme=self.site.shown_programme,
            modules=[
                {
                    "module": m,
                    "title": self._title(m),
                    "summary": self._summary(m),
                    "url": self.site.url(here, guide_path(self.locale, m.id)),
                    "exercises": sum(1 for p in m.pages for _ in p.exercises()),
                }
                for m in self.programme.modules
            ],
            measures=self.programme.measures,
            measure_lang={m.id: self.site.measure_attrs(m) for m in self.programme.measures},
            messages=[self._message(t, here) for t in self.programme.guidance if not t.module],
            client_url=self.site.url(here, home_path(self.locale)),
        )
        return self._page(here, self.site._("Therapist guide"), "", body)

    def module_guide(self, module: Module) -> RenderedFile:
        here = self.site.site_path(guide_path(self.locale, module.id))
        source = module.source.file if module.source else ""
        written = self.site.source_module(module.id)
        notes = self.site.language.block(
            self.site.markdown(module.therapist_notes, here, source),
            written.therapist_notes if written else None,
            module.therapist_notes,
        )
        body = self.site.env.get_template("therapist/module.html").render(
            self.site.common(here, ""),
            module=module,
            summary=self._summary(module),
            notes=notes,
            client_url=self.site.url(here, module_path(self.locale, module.id)),
            pages=[self._page_outline(module, p) for p in module.pages],
            messages=[
                self._message(t, here) for t in self.programme.guidance if t.module == module.id
            ],
        )
        return self._page(here, self._title(module), module.id, body)

    def _title(self, module: Module) -> str:
        written = self.site.source_module(module.id)
        return self.site.language.text(module.title, written.title if written else None)

    def _summary(self, module: Module) -> str:
        written = self.site.source_module(module.id)
        return self.site.language.text(module.summary, written.summary if written else None)

    def _page_outline(self, module: Module, page: Page) -> dict[str, Any]:
        """A page's title and its exercises' titles, each marked when in the source language."""
        written = self.site.source_page(module.id, page.id)
        written_titles = {e.id: e.title for e in written.exercises()} if written else {}
        text = self.site.language.text
        return {
            "title": text(page.title, written.title if written else None),
            "exercises": [
                {"title": text(e.title, written_titles.get(e.id)), "type": e.type}
                for e in page.exercises()
            ],
        }

    def _message(self, template: GuidanceTemplate, here: str) -> dict[str, Any]:
        """An example of a message, in the language it is written in: a message not translated
        into the guide's locale is shown, and pluralised, in the source language, marked so."""
        language = self.site.language
        source = language.source
        guidance = source.programme.guidance if source is not None else ()
        written = next((g for g in guidance if g.id == template.id), None)
        in_source = (
            written is not None and written.body == template.body and bool(language.source_attrs)
        )
        try:
            html = render_guidance_template(
                template,
                # An English message speaks of the modules and exercises by their English names.
                self._example_context(
                    template, source.programme if source is not None and in_source else None
                ),
                section_url=lambda module, anchor: self._section_url(here, module, anchor),
                locale=source.locale.code if source is not None and in_source else self.locale,
            ).html
            problem = ""
        except ContentError as exc:
            html, problem = "", "; ".join(d.message for d in exc.diagnostics)
        if in_source and html:
            html = Markup("<div{}>\n{}</div>\n").format(language.source_attrs, Markup(html))
        return {
            "template": template,
            "title": language.text(template.title, written.title if written else None),
            "html": Markup(html),
            "problem": problem,
        }

    def _section_url(self, here: str, module: str, anchor: str) -> str:
        path = self.site.sitemap.section_url(module, anchor)
        return self.site.url(here, f"{self.locale}/{path}" if path else home_path(self.locale))

    def _example_context(
        self, template: GuidanceTemplate, programme: Programme | None = None
    ) -> GuidanceContext:
        """Example facts for a message, named in the language of ``programme`` (the guide's)."""
        programme = programme or self.programme
        module = programme.find_module(template.module) if template.module else None
        module = module or programme.modules[0]
        exercises = [e.title for p in module.pages for e in p.exercises()][:3]
        measure = programme.measures[0] if programme.measures else None
        latest, previous, change = EXAMPLE_SCORES.get(template.when, (12, 15, "no-reliable-change"))
        return GuidanceContext.model_validate(
            {
                "client": {"first_name": "Alex"},
                "therapist": {"name": "Sam"},
                "module": {"id": module.id, "title": module.title},
                "exercises_done": exercises,
                "measure": {"id": measure.id, "title": measure.title} if measure else None,
                "latest_score": latest if measure else None,
                "previous_score": previous if measure else None,
                "change": change if measure else None,
                "days_since_login": 9 if template.when == "overdue" else 2,
                "risk_flagged": False,
            }
        )
