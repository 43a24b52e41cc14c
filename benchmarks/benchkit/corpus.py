"""The benchmark corpus: seeded programmes of ~1,000-word pages, laid out three ways.

One set of Markdown pages is written as

- an icbt project (``programmes/<id>/programme.yaml``, ``crisis.md``, ``modules/<id>/module.md``
  and the pages, plus ``locales/en-GB/locale.yaml`` copied from this repository),
- an MkDocs project (``mkdocs.yml``: default theme, auto nav, search; ``docs/`` holds the same
  files), which the markdown-it-py + Jinja2 ceiling builds too,
- a Hugo site (``hugo.toml``, ``content/`` holds the same files, minimal ``layouts/``).

Pages have headings, paragraphs with emphasis, bullet and numbered lists, tables, links to other
pages and to their headings, a case example box, and every fifth page an exercise. The same seed
and shape always give byte-identical files.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchkit.text import Writer, slug

REPO = Path(__file__).resolve().parents[2]
SOURCE_LOCALE = "en-GB"
SEED = 16
PAGES_PER_MODULE = 10
MODULES_PER_PROGRAMME = 10
SECTIONS = 6


@dataclass(frozen=True)
class Shape:
    """How the pages are laid out: per programme, the page count of each module."""

    name: str
    programmes: tuple[tuple[int, ...], ...]
    duplicate_headings: int = 0
    """When set: every page has this many identical headings, and nothing else."""
    about: str = ""

    @property
    def pages(self) -> int:
        return sum(sum(modules) for modules in self.programmes)


def sized(pages: int) -> Shape:
    """``pages`` pages in programmes of 10 modules of 10 pages (the last ones may be shorter)."""
    per_programme = PAGES_PER_MODULE * MODULES_PER_PROGRAMME
    programmes = []
    left = pages
    while left > 0:
        in_programme = min(left, per_programme)
        full, rest = divmod(in_programme, PAGES_PER_MODULE)
        programmes.append((PAGES_PER_MODULE,) * full + ((rest,) if rest else ()))
        left -= in_programme
    return Shape(
        f"pages-{pages}",
        tuple(programmes),
        about=f"{pages} pages in programmes of up to {MODULES_PER_PROGRAMME} modules of "
        f"{PAGES_PER_MODULE} pages",
    )


def big_programme(modules: int = 200, pages: int = 5) -> Shape:
    """One programme of many modules (the issue's 200 modules)."""
    return Shape(
        "big-programme",
        ((pages,) * modules,),
        about=f"1 programme of {modules} modules of {pages} pages",
    )


def small_programmes(programmes: int = 20, modules: int = 10, pages: int = 5) -> Shape:
    """Many small programmes with as many pages in all as :func:`big_programme`."""
    return Shape(
        "small-programmes",
        ((pages,) * modules,) * programmes,
        about=f"{programmes} programmes of {modules} modules of {pages} pages",
    )


#: Headings a page may have (icbt refuses more: ICBT116, ``icbt_content.limits.MAX_HEADINGS``).
HEADINGS_PER_PAGE = 500


def duplicate_headings(count: int) -> Shape:
    """``count`` headings with the same words, on pages of :data:`HEADINGS_PER_PAGE` (the most
    icbt accepts on one page; fewer when ``count`` is smaller): what is measured is the making
    of unique heading ids at the limit, page after page, not the refusal of a page over it."""
    per_page = min(count, HEADINGS_PER_PAGE)
    pages = -(-count // per_page)
    return Shape(
        f"duplicate-headings-{count}",
        ((pages,),),
        duplicate_headings=per_page,
        about=f"{pages} page(s) of {per_page} headings all called 'Try it again'",
    )


@dataclass(frozen=True)
class PagePlan:
    """What is known of a page before it is written, so other pages can link to it."""

    number: int
    programme: str
    module: str
    file: str
    title: str
    headings: tuple[str, ...]


def programme_id(index: int) -> str:
    return f"programme-{index + 1:03d}"


def module_id(index: int) -> str:
    return f"module-{index + 1:03d}"


def plan(shape: Shape, writer: Writer) -> list[list[PagePlan]]:
    """The pages of each programme, in order."""
    number = 0
    programmes: list[list[PagePlan]] = []
    for p, modules in enumerate(shape.programmes):
        pages: list[PagePlan] = []
        for m, count in enumerate(modules):
            for index in range(count):
                number += 1
                headings = tuple(writer.headings(SECTIONS + 2))
                title = headings[0]
                page_id = f"{slug(title)}-{number}"
                pages.append(
                    PagePlan(
                        number=number,
                        programme=programme_id(p),
                        module=module_id(m),
                        file=f"{index + 1:02d}-{page_id}.md",
                        title=f"{title} {number}",
                        headings=headings[1:],
                    )
                )
        programmes.append(pages)
    return programmes


def link(page: PagePlan, target: PagePlan, heading: str | None = None) -> str:
    """The relative link from one page's file to another's (and to one of its headings)."""
    path = target.file if target.module == page.module else f"../{target.module}/{target.file}"
    return path + (f"#{slug(heading)}" if heading else "")


def page_markdown(writer: Writer, page: PagePlan, programme: list[PagePlan]) -> str:
    """A page of about 1,000 words."""
    rng = writer.rng

    def elsewhere() -> str:
        target = rng.choice(programme)
        if target is page or rng.random() < 0.5:
            return f"[{target.title.lower()}]({link(page, target)})"
        heading = rng.choice(target.headings)
        return f"[{heading.lower()}]({link(page, target, heading)})"

    parts = [
        f"---\ntitle: {page.title}\n---",
        writer.paragraph(3) + f" You can also read about {elsewhere()}.",
    ]
    for s, heading in enumerate(page.headings[:SECTIONS]):
        parts.append(f"## {heading}")
        paragraph = writer.paragraph(4)
        if s in (1, 4):
            paragraph += f" There is more about this in {elsewhere()}."
        if s == 5:
            paragraph += f" Look again at [{page.headings[0].lower()}](#{slug(page.headings[0])})."
        parts.append(paragraph)
        if s % 2:
            parts.append("\n".join(f"{i + 1}. {writer.sentence(5, 11)}" for i in range(4)))
        else:
            parts.append("\n".join(f"- {writer.sentence(5, 11)}" for _ in range(4)))
        if s % 2 == 0:
            parts.append(writer.table(3))
        if s == 2:
            parts.append(f"### {page.headings[SECTIONS]}")
            parts.append(writer.paragraph(3))
        if s == 3:
            parts.append(
                f"::: case-example {writer.short(2, 4)} {{#story-{page.number}}}\n"
                f"{writer.paragraph(3)}\n:::"
            )
        parts.append(writer.paragraph(3))
    if page.number % 5 == 0:
        parts.append(
            f"::: exercise reflection\nid: reflection-{page.number}\n"
            f"title: {writer.short(3, 5)}\nprompt: {writer.sentence(6, 12, emphasis=False)}\n:::"
        )
    if page.number % 10 == 0:
        parts.append(
            f"::: help\n{writer.sentence(emphasis=False)} "
            "If you feel unsafe, [get help now](../../crisis.md).\n:::"
        )
    return "\n\n".join(parts) + "\n"


def duplicate_headings_page(count: int) -> str:
    """A page whose ``count`` headings all have the same words.

    Each section is short (23 bytes), so 40,000 of them stay under icbt's limit on the size of a
    source file (1,000 kB).
    """
    body = "## Try it again\n\nStep.\n\n" * count
    return f"---\ntitle: The same heading again and again\n---\n\n{body}"


CRISIS_PAGE = """---
title: Need help now?
---

This programme is not an emergency service. Your therapist may not see your messages for a few
days.

If you feel you might harm yourself or someone else, or you cannot keep yourself safe, get help
now. If your life or someone else's life is in danger, call the emergency services or go to the
nearest emergency department.

You can also talk to someone at any time of the day or night.
"""


def programme_yaml(programme: str, title: str, modules: list[str]) -> str:
    return (
        f"id: {programme}\ntitle: {title}\nversion: 1.0.0\ncondition: Social anxiety disorder\n"
        "description: A generated programme for the benchmark.\n"
        f"source_locale: {SOURCE_LOCALE}\nunlock: in-order\nmodules:\n"
        + "".join(f"  - {m}\n" for m in modules)
        + "measures: []\nmigrations: []\n"
    )


def module_markdown(writer: Writer, title: str) -> str:
    return (
        f"---\ntitle: {title}\nsummary: {writer.sentence(6, 12, emphasis=False)}\ncore: true\n"
        f"---\n\n## What this module is for\n\n{writer.paragraph(4)}\n\n## What to look for\n\n"
        + "\n".join(f"- {writer.sentence(6, 12)}" for _ in range(3))
        + "\n"
    )


def programme_files(shape: Shape, seed: int = SEED) -> Iterator[tuple[str, str]]:
    """(path under ``programmes/``, text) of every file of the shape's programmes."""
    writer = Writer(seed)
    programmes = plan(shape, writer)
    for p, pages in enumerate(programmes):
        pid = programme_id(p)
        modules = sorted({page.module for page in pages})
        yield f"{pid}/programme.yaml", programme_yaml(pid, f"Programme {p + 1}", modules)
        yield f"{pid}/crisis.md", CRISIS_PAGE
        for module in modules:
            yield (
                f"{pid}/modules/{module}/module.md",
                module_markdown(writer, f"{writer.short(2, 4)} {module[-3:]}"),
            )
        for page in pages:
            text = (
                duplicate_headings_page(shape.duplicate_headings)
                if shape.duplicate_headings
                else page_markdown(writer, page, pages)
            )
            yield f"{pid}/modules/{page.module}/{page.file}", text


# -- the three layouts ---------------------------------------------------------------------------

MKDOCS_YML = """\
# MkDocs 1.6 as a new user gets it: the default theme, the nav made from the files, search.
site_name: Benchmark
theme:
  name: mkdocs
plugins:
  - search
"""

HUGO_TOML = """\
baseURL = "https://example.org/"
title = "Benchmark"
languageCode = "en-gb"
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html>\n<html lang="en-GB">\n<head><meta charset="utf-8">'
        "<title>{{ .Title }} | {{ .Site.Title }}</title></head>\n"
        '<body><nav><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></nav>\n'
        '<main>{{ block "main" . }}{{ end }}</main></body>\n</html>\n'
    ),
    "_default/single.html": ('{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}{{ end }}\n'),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'
    ),
}


@dataclass(frozen=True)
class Layouts:
    """Where one shape's corpus is written."""

    root: Path

    def icbt(self, locales: int) -> Path:
        return self.root / f"icbt-locales-{locales}"

    @property
    def mkdocs(self) -> Path:
        return self.root / "mkdocs"

    @property
    def docs(self) -> Path:
        """The Markdown the MkDocs and ceiling builds read."""
        return self.mkdocs / "docs"

    @property
    def hugo(self) -> Path:
        return self.root / "hugo"


def write_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_sources(
    shape: Shape, icbt: Path, mkdocs: Path | None, hugo: Path | None, seed: int = SEED
) -> None:
    """Write the shape's pages as an icbt project, and optionally as MkDocs and Hugo sites."""
    for folder in (icbt, mkdocs, hugo):
        if folder is not None and folder.exists():
            shutil.rmtree(folder)
    source_locale = REPO / "locales" / SOURCE_LOCALE / "locale.yaml"
    write_file(icbt / "locales" / SOURCE_LOCALE / "locale.yaml", source_locale.read_text("utf-8"))
    if mkdocs is not None:
        write_file(mkdocs / "mkdocs.yml", MKDOCS_YML)
        write_file(mkdocs / "docs" / "index.md", "# Benchmark\n\nThe generated programmes.\n")
    if hugo is not None:
        write_file(hugo / "hugo.toml", HUGO_TOML)
        write_file(hugo / "content" / "_index.md", "---\ntitle: Benchmark\n---\n")
        for name, text in HUGO_LAYOUTS.items():
            write_file(hugo / "layouts" / name, text)
    for relative, text in programme_files(shape, seed):
        write_file(icbt / "programmes" / relative, text)
        if relative.endswith(".md"):
            if mkdocs is not None:
                write_file(mkdocs / "docs" / relative, text)
            if hugo is not None:
                write_file(hugo / "content" / relative, text)
