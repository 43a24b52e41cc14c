"""Link resolution: the one place that maps source files to site addresses.

Authors link to other pages by the relative path of their Markdown file. Site paths here are
relative to the programme's output folder (``site/<programme>/``): a page of locale ``en-GB`` lives
at ``en-GB/<module>/<page>/``, media at ``media/<file>``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from icbt_content.markdown.links import is_relative
from icbt_content.model.programme import Programme


@dataclass(frozen=True)
class Target:
    """Where a link lands: a site path (folder ending in / or a file) and an optional anchor."""

    path: str
    anchor: str = ""


@dataclass(frozen=True)
class Resolution:
    target: Target | None
    problem: str = ""
    hint: str = ""


def page_path(locale: str, module_id: str, page_id: str) -> str:
    return f"{locale}/{module_id}/{page_id}/"


def module_path(locale: str, module_id: str) -> str:
    return f"{locale}/{module_id}/"


def crisis_path(locale: str) -> str:
    return f"{locale}/crisis/"


def check_in_path(locale: str) -> str:
    return f"{locale}/check-in/"


def home_path(locale: str) -> str:
    return f"{locale}/"


def relative_url(from_path: str, to_path: str, anchor: str = "") -> str:
    """A relative URL from the page at folder ``from_path`` to ``to_path``.

    Both are site paths without leading slash; folders end in ``/``.
    """
    here = [p for p in from_path.split("/") if p]
    if not from_path.endswith("/"):
        here = here[:-1]
    there = [p for p in to_path.split("/") if p]
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    rel = "/".join(parts)
    if to_path.endswith("/") or not there:
        rel = rel + "/" if rel else "./"
    return rel + (f"#{anchor}" if anchor else "")


class SiteMap:
    """Source file -> site path, and the anchors of every page, for one programme."""

    def __init__(self, programme: Programme, programme_dir: str) -> None:
        self.programme_dir = programme_dir.rstrip("/")
        self._pages: dict[str, tuple[str, str, frozenset[str]]] = {}
        for module in programme.modules:
            if module.source:
                self._pages[module.source.file] = ("module", module.id, frozenset())
            for page in module.pages:
                if page.source:
                    anchors = frozenset(h.anchor for h in page.headings)
                    self._pages[page.source.file] = (module.id, page.id, anchors)
        if programme.crisis and programme.crisis.source:
            self._pages[programme.crisis.source.file] = ("crisis", "", frozenset())
        if programme.check_in and programme.check_in.source:
            # Each weekly questionnaire is a section of the page: links can go straight to one.
            anchors = frozenset(f"q-{measure_id}" for measure_id in programme.weekly)
            self._pages[programme.check_in.source.file] = ("check-in", "", anchors)
        self.crisis_file = f"{self.programme_dir}/crisis.md"

    def site_path(self, file: str, locale: str) -> str | None:
        """The site path of a source file, or None if it is not a page."""
        entry = self._pages.get(file)
        if entry is None:
            return None
        kind, page_id, _ = entry
        if kind == "module":
            return module_path(locale, page_id)
        if kind == "crisis":
            return crisis_path(locale)
        if kind == "check-in":
            return check_in_path(locale)
        return page_path(locale, kind, page_id)

    def resolve(self, from_file: str, href: str, locale: str) -> Resolution:
        """Resolve a relative link written in ``from_file``."""
        if not is_relative(href):
            if href.startswith("#"):
                return self._anchor_in(from_file, from_file, href[1:], locale)
            return Resolution(
                None,
                f"link '{href}' must be relative to this file",
                "link to another page by its file path, like ../module/01-page.md",
            )
        parts = urlsplit(href)
        target_file = posixpath.normpath(
            posixpath.join(posixpath.dirname(from_file), unquote(parts.path))
        )
        if target_file != self.programme_dir and not target_file.startswith(
            self.programme_dir + "/"
        ):
            return Resolution(
                None, f"link '{href}' points outside the programme folder", "link inside it"
            )
        if target_file.endswith(".md"):
            return self._anchor_in(from_file, target_file, parts.fragment, locale, href)
        # Any other file (media): it must exist; the caller checks the file system.
        inside = target_file[len(self.programme_dir) + 1 :]
        return Resolution(Target(inside))

    def _anchor_in(
        self, from_file: str, target_file: str, anchor: str, locale: str, href: str = ""
    ) -> Resolution:
        entry = self._pages.get(target_file)
        if entry is None:
            return Resolution(
                None,
                f"link '{href or '#' + anchor}' points to a page that does not exist",
                "check the file name; page files are numbered, like 02-my-page.md",
            )
        path = self.site_path(target_file, locale)
        assert path is not None
        if anchor and anchor not in entry[2]:
            known = ", ".join(sorted(entry[2])) or "none"
            return Resolution(
                None,
                f"link '{href or '#' + anchor}' points to the section '#{anchor}', which does "
                "not exist",
                f"sections on that page: {known}",
            )
        return Resolution(Target(path, anchor))

    def anchors(self, file: str) -> frozenset[str]:
        entry = self._pages.get(file)
        return entry[2] if entry else frozenset()

    def section_page(self, module_id: str, anchor: str) -> str | None:
        """The source file of the page in ``module_id`` that has the section ``anchor``."""
        for file, (kind, _, anchors) in self._pages.items():
            if kind == module_id and anchor in anchors:
                return file
        return None

    def section_url(self, module_id: str, anchor: str) -> str | None:
        """URL of a section relative to a locale's home: ``<module>/<page>/#<anchor>``."""
        file = self.section_page(module_id, anchor)
        if file is None:
            return None
        _, page_id, _ = self._pages[file]
        return f"{module_id}/{page_id}/#{anchor}"

    def module_sections(self) -> dict[str, set[str]]:
        """Module id -> every anchor on its pages."""
        sections: dict[str, set[str]] = {}
        for kind, _, anchors in self._pages.values():
            if kind not in ("module", "crisis", "check-in"):
                sections.setdefault(kind, set()).update(anchors)
        return sections
