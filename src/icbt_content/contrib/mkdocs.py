"""A thin MkDocs plugin: publish a programme's pages inside an existing MkDocs site.

Install with ``pip install icbt-content[mkdocs]`` and add to ``mkdocs.yml``::

    plugins:
      - search
      - icbt:
          programme: programmes/sad      # the programme folder, relative to mkdocs.yml
          locale: en-GB                  # default: the programme's source locale
          path_prefix: sad               # where its pages go in the site; default: its id

The programme is checked as ``icbt check`` would; errors stop the build and warnings are logged
as MkDocs warnings (so ``mkdocs build --strict`` fails on them too). Pages are rendered by our own
renderer and templates, so exercises and questionnaires work as in our site: the plugin adds our
scoped CSS and scripts to the site. List the plugin more than once, each with its own
``programme`` and ``path_prefix``, to publish several programmes.

Any page of the site can also show one exercise or questionnaire of a published programme,
with a fenced block (see :mod:`icbt_content.contrib.single`)::

    ```icbt
    programme: sad
    questionnaire: phq9
    ```
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from icbt_content.contrib.assets import script_order, static_assets
from icbt_content.contrib.embed import EmbeddedPage, Heading, ProgrammeEmbed, load_embed
from icbt_content.contrib.single import find_requests, render_singles
from icbt_content.diagnostics import ContentError, Diagnostic, diagnostic
from icbt_content.project import Project

log = logging.getLogger("mkdocs.plugins.icbt")

#: Where the plugin puts our CSS and scripts in the site; shared by every programme.
ASSETS = "assets/icbt"

#: The programmes each build publishes (by ``id()`` of its config), so that every instance of
#: the plugin can tell a block naming another instance's programme from one naming none.
_PUBLISHED: dict[int, set[str]] = {}


class IcbtPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options in ``mkdocs.yml``."""

    programme = c.Dir(exists=True)
    """The programme folder (``programmes/<id>``), relative to ``mkdocs.yml``."""
    locale = c.Optional(c.Type(str))
    """The locale to publish, like ``en-GB``; default: the programme's source locale."""
    path_prefix = c.Optional(c.Type(str))
    """The folder of the site the pages go in, like ``therapy/sad``; default: the programme id."""
    project = c.Optional(c.Dir(exists=True))
    """The folder holding ``programmes/`` and ``locales/``; default: two levels above
    ``programme``."""


class IcbtPlugin(BasePlugin[IcbtPluginConfig]):  # type: ignore[no-untyped-call]
    """Adds a programme's pages, in one locale, to an MkDocs site."""

    supports_multiple_instances = True

    def __init__(self) -> None:
        super().__init__()
        self._embed: ProgrammeEmbed | None = None
        self._prefix = ""
        self._pages: dict[str, EmbeddedPage] = {}
        """src_uri of each page we added -> its rendered content."""
        self._url_for: Callable[[str], str] = lambda path: path
        self._singles: dict[str, dict[str, str]] = {}
        """src_uri of a page of the site -> placeholder -> the exercise or questionnaire."""

    # -- MkDocs events ------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._embed = self._load()
        prefix = (self.config.path_prefix or self._embed.programme.id).strip("/")
        if not prefix or any(part in ("", ".", "..") for part in prefix.split("/")):
            raise PluginError(f"icbt: path_prefix '{self.config.path_prefix}' is not a folder")
        self._prefix = prefix
        _PUBLISHED.setdefault(id(config), set()).add(self._embed.programme.id)
        names = list(static_assets())
        for name in sorted(n for n in names if n.endswith(".css")):
            path = f"{ASSETS}/{name}"
            if path not in [str(p) for p in config.extra_css]:
                config.extra_css.append(path)
        scripts = [str(s) for s in config.extra_javascript]
        for name in script_order(names):
            path = f"{ASSETS}/{name}"
            if path not in scripts:
                # Our scripts are ES modules: they run after the page is parsed, wherever the
                # theme puts the tags, and import the rest of assets/icbt/ themselves.
                script = c.ExtraScriptValue(path)
                script.type = "module"
                config.extra_javascript.append(script)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        embed = self._embed
        assert embed is not None
        for name, content in static_assets().items():
            uri = f"{ASSETS}/{name}"
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=content))
        urls: dict[str, str] = {}
        self._pages = {}
        uris: dict[str, str] = {}
        for place in embed.places():
            uri = f"{self._prefix}/{place.folder}index.md"
            if files.get_file_from_path(uri) is not None:
                raise PluginError(
                    f"icbt: the site already has {uri}; choose another path_prefix for "
                    f"programme '{embed.programme.id}'"
                )
            # The Markdown only carries the title: the page's HTML is ours (on_page_content).
            front = f"---\ntitle: {json.dumps(place.title, ensure_ascii=False)}\n---\n"
            file = File.generated(config, uri, content=front)
            files.append(file)
            urls[place.path] = file.url
            uris[place.path] = uri
        for path, source in embed.media():
            file = File.generated(config, f"{self._prefix}/{path}", abs_src_path=str(source))
            files.append(file)
            urls[path] = file.url

        def url_for(path: str) -> str:
            return urls.get(path) or f"{self._prefix}/{path}"

        for page in embed.render(url_for):
            self._pages[uris[page.place.path]] = page
        self._url_for = url_for
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        # With an explicit nav the site's author decides; with the automatic one, put modules
        # and pages in the programme's order (not alphabetical) under the programme's title.
        if config.nav is None:
            self._order_section(nav, files)
        return nav

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if page.file.src_uri in self._pages:
            return ""
        return self._place_singles(markdown, page, config)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        embedded = self._pages.get(page.file.src_uri)
        if embedded is None:
            for placeholder, fragment in self._singles.get(page.file.src_uri, {}).items():
                paragraph = f"<p>{placeholder}</p>"
                if paragraph not in html:
                    raise PluginError(
                        f"icbt: {page.file.src_uri}: an icbt block must stand on its own, not "
                        "inside a list, a quote or another block"
                    )
                html = html.replace(paragraph, fragment)
            return html
        page.toc = get_toc(_toc_tokens(embedded.headings))
        return embedded.html

    def on_post_build(self, config: MkDocsConfig) -> None:
        # Every page is done: forget this build's programmes (a rebuild makes a new config).
        _PUBLISHED.pop(id(config), None)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(self.config.programme)
        locales = Project(self._project()).locales
        if locales.is_dir():
            server.watch(str(locales))
        return server

    # -- helpers ------------------------------------------------------------------------------

    def _place_singles(self, markdown: str, page: Page, config: MkDocsConfig) -> str:
        """Put a placeholder for each ``icbt`` block naming our programme; render them."""
        embed = self._embed
        assert embed is not None
        self._singles.pop(page.file.src_uri, None)
        requests, problems = find_requests(markdown, page.file.src_uri)
        published = _PUBLISHED.get(id(config), set())
        programmes = sorted({r.programme for r in requests})
        for request in requests:
            if request.programme not in published:
                problems.append(
                    diagnostic(
                        "ICBT732",
                        f"no icbt plugin in mkdocs.yml publishes programme '{request.programme}'",
                        request.file,
                        request.line,
                        hint=f"published: {', '.join(sorted(published)) or 'none'}",
                    )
                )
        if len(programmes) > 1:
            problems.append(
                diagnostic(
                    "ICBT733",
                    f"one page shows exercises of {len(programmes)} programmes "
                    f"({', '.join(programmes)})",
                    page.file.src_uri,
                    1,
                    hint="show each programme's exercises and questionnaires on its own page",
                )
            )
        if problems:
            raise _plugin_error(problems)
        ours = [r for r in requests if r.programme == embed.programme.id]
        if not ours:
            return markdown
        try:
            fragments = render_singles(embed, ours, self._url_for, page.url)
        except ContentError as exc:
            raise _plugin_error(exc.diagnostics) from exc
        digest = hashlib.sha256(f"{embed.programme.id}:{page.file.src_uri}".encode()).hexdigest()
        lines = markdown.split("\n")
        placed: dict[str, str] = {}
        pairs = list(enumerate(zip(ours, fragments, strict=True)))
        for number, (request, fragment) in reversed(pairs):
            placeholder = f"icbt-embed-{digest[:12]}-{number}"
            fence = lines[request.start]
            indent = fence[: len(fence) - len(fence.lstrip())]
            lines[request.start : request.end] = ["", indent + placeholder, ""]
            placed[placeholder] = fragment
        self._singles[page.file.src_uri] = placed
        return "\n".join(lines)

    def _project(self) -> Path:
        if self.config.project:
            return Path(self.config.project)
        return Path(self.config.programme).resolve().parent.parent

    def _load(self) -> ProgrammeEmbed:
        try:
            embed, warnings = load_embed(
                self.config.programme, locale=self.config.locale, project=self._project()
            )
            embed.media()  # refuses media the site may not publish, before anything is built
        except ContentError as exc:
            details = "\n".join(d.format() for d in exc.diagnostics)
            raise PluginError(f"icbt: the programme has errors:\n{details}") from exc
        except LookupError as exc:
            raise PluginError(f"icbt: {exc}") from exc
        for item in warnings:
            log.warning(item.format())
        return embed

    def _order_section(self, nav: Navigation, files: Files) -> None:
        embed = self._embed
        assert embed is not None
        home_file = files.get_file_from_path(f"{self._prefix}/index.md")
        home = home_file.page if home_file else None
        section = home.parent if home else None
        if home is None or section is None:
            return
        ours = {uri: files.get_file_from_path(uri) for uri in self._pages}
        by_place = {self._pages[uri].place.path: f.page for uri, f in ours.items() if f and f.page}
        children: list[Any] = []
        current: Section | None = None
        for place in embed.places():
            item = by_place.get(place.path)
            if item is None:
                continue
            if place.kind == "module":
                current = Section(place.title, [item])
                children.append(current)
            elif place.kind == "page" and current is not None:
                current.children.append(item)
            else:
                current = None
                children.append(item)
        mine = {id(p) for p in by_place.values()}
        others = [
            child
            for child in section.children
            if not (isinstance(child, Page) and id(child) in mine)
            and not (isinstance(child, Section) and _only_ours(child, mine))
        ]
        section.title = embed.programme.title
        section.children = children + others
        _set_parents(section)
        pages = [item for item in _walk(nav.items) if isinstance(item, Page)]
        for before, after in zip([None, *pages], [*pages, None], strict=False):
            if before is not None:
                before.next_page = after
            if after is not None:
                after.previous_page = before
        nav.pages = pages


def _only_ours(section: Section, mine: set[int]) -> bool:
    return all(
        (isinstance(item, Page) and id(item) in mine)
        or (isinstance(item, Section) and _only_ours(item, mine))
        for item in section.children
    )


def _set_parents(section: Section) -> None:
    for child in section.children:
        child.parent = section
        if isinstance(child, Section):
            _set_parents(child)


def _walk(items: list[Any]) -> list[Any]:
    found = []
    for item in items:
        found.append(item)
        if isinstance(item, Section):
            found.extend(_walk(item.children))
    return found


def _toc_tokens(headings: tuple[Heading, ...]) -> list[Any]:
    """Nest headings by level in the shape MkDocs' ``get_toc`` takes."""
    root: dict[str, Any] = {"level": 0, "children": []}
    stack = [root]
    for heading in headings:
        token = {
            "level": heading.level,
            "id": heading.id,
            "name": str(escape(heading.text)),
            "children": [],
        }
        while stack[-1]["level"] >= heading.level:
            stack.pop()
        stack[-1]["children"].append(token)
        stack.append(token)
    return list(root["children"])


def _plugin_error(problems: list[Diagnostic]) -> PluginError:
    details = "\n".join(d.format() for d in problems)
    return PluginError(f"icbt: the page cannot show what it asks for:\n{details}")
