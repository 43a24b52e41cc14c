"""MkDocs hooks that generate parts of this documentation from the code, so they cannot drift.

- ``diagnostics.md``: the ``<!-- diagnostic codes -->`` line becomes one section per code in
  ``icbt_content.diagnostics.CODES``.
- Rendered examples: a ```` ```markdown ```` block right after a ``<!-- rendered -->`` line is
  followed by its rendering by our own renderer. An example ``icbt check`` would refuse stops the
  build.
- ``hosting.md``: the ``<!-- server configs -->`` line becomes the nginx, Apache and Caddy
  configuration of the hosting headers, from ``icbt_content.pipeline.headers``.
- The API reference: one page per package and module of ``icbt_content`` (mkdocstrings), listed
  under "API reference" in the navigation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import config_options
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from pygments.formatters import HtmlFormatter

from icbt_content.contrib.assets import script_order, static_assets
from icbt_content.contrib.embed import relative_url, render_example
from icbt_content.contrib.mkdocs import ASSETS
from icbt_content.diagnostics import CODES, ContentError

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "icbt_content"
REFERENCE_NAV_TITLE = "API reference"
REFERENCE_INDEX = "reference/index.md"
PYGMENTS_CSS = "assets/pygments.css"
EXAMPLE_MEDIA = "assets/media/"
"""Where the media of rendered examples are (docs/assets/media/), as ../../media/ in examples."""
CODES_MARKER = "<!-- diagnostic codes -->"
MODULES_MARKER = "<!-- reference modules -->"
MEASURES_MARKER = "<!-- built-in measures -->"
SERVERS_MARKER = "<!-- server configs -->"
RENDERED = re.compile(
    r"^<!-- rendered -->[ \t]*\n(?P<fence>`{3,}|~{3,})markdown[ \t]*\n"
    r"(?P<body>.*?)\n(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)

#: Code ranges, as in the comment above CODES.
CODE_GROUPS = {
    "1": "Files and YAML",
    "2": "Ids and references",
    "3": "Content",
    "4": "Measures",
    "5": "Guidance templates",
    "6": "Translation",
    "7": "Build and site",
    "8": "Clinical safety",
    "9": "Deployment and the guidance loop",
}

_examples: dict[str, list[str]] = {}
"""src_uri of a page -> the HTML of its rendered examples, in order."""


# -- configuration ---------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    pages = [f"reference/{name}.md" for name in api_modules()]
    config.nav = [_expand_reference(item, pages) for item in config.nav or []]
    config.extra_css.append(PYGMENTS_CSS)
    names = list(static_assets())
    for name in sorted(n for n in names if n.endswith(".css")):
        config.extra_css.append(f"{ASSETS}/{name}")
    for name in script_order(names):
        script = config_options.ExtraScriptValue(f"{ASSETS}/{name}")
        script.type = "module"
        config.extra_javascript.append(script)
    return config


def _expand_reference(item: Any, pages: list[str]) -> Any:
    if isinstance(item, dict) and item.get(REFERENCE_NAV_TITLE) == REFERENCE_INDEX:
        return {REFERENCE_NAV_TITLE: [{"Overview": REFERENCE_INDEX}, *pages]}
    return item


def api_modules() -> list[str]:
    """The public packages and modules of icbt_content (dotted, without the package name)."""
    names = []
    for path in sorted(PACKAGE.iterdir()):
        if path.name.startswith(("_", ".")):
            continue
        if path.is_dir() and (path / "__init__.py").is_file():
            # griffe cannot collect a folder without __init__.py inside a package.
            names.append(path.name)
        elif path.suffix == ".py":
            names.append(path.stem)
    return names


def reference_page(name: str) -> str:
    """The Markdown of one API reference page: a mkdocstrings directive for griffe to fill."""
    dotted = f"icbt_content.{name}"
    return f"# `{dotted}`\n\n::: {dotted}\n    options:\n      show_root_heading: false\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name in api_modules():
        files.append(File.generated(config, f"reference/{name}.md", content=reference_page(name)))
    for name, content in static_assets().items():
        files.append(File.generated(config, f"{ASSETS}/{name}", content=content))
    css = HtmlFormatter(style="default").get_style_defs(".highlight")
    files.append(File.generated(config, PYGMENTS_CSS, content=css))
    return files


# -- pages -----------------------------------------------------------------------------------


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if CODES_MARKER in markdown:
        markdown = markdown.replace(CODES_MARKER, diagnostics_markdown())
    if MODULES_MARKER in markdown:
        listing = "\n".join(f"- [`icbt_content.{name}`]({name}.md)" for name in api_modules())
        markdown = markdown.replace(MODULES_MARKER, listing)
    if MEASURES_MARKER in markdown:
        markdown = markdown.replace(MEASURES_MARKER, builtin_measures_markdown())
    if SERVERS_MARKER in markdown:
        markdown = markdown.replace(SERVERS_MARKER, server_configs_markdown())
    return _render_examples(markdown, page)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    for index, example in enumerate(_examples.pop(page.file.src_uri, [])):
        html = html.replace(_slot(index), example, 1)
    return html


def _slot(index: int) -> str:
    return f'<div class="icbt-example" data-example="{index}"></div>'


def _render_examples(markdown: str, page: Page) -> str:
    rendered: list[str] = []

    def replace(match: re.Match[str]) -> str:
        line = markdown.count("\n", 0, match.start()) + 2
        try:
            media = relative_url(EXAMPLE_MEDIA, page.file.url)
            html = render_example(match.group("body") + "\n", media=media)
        except ContentError as exc:
            problems = "; ".join(f"{d.message} [{d.code}]" for d in exc.diagnostics)
            raise PluginError(
                f"{page.file.src_path}:{line}: this rendered example has errors: {problems}"
            ) from exc
        rendered.append(
            '<div class="icbt-example-frame"><p class="icbt-example-label">How it looks:</p>\n'
            f"{html}\n</div>"
        )
        fence = match.group("fence")
        body = match.group("body")
        return f"{fence}markdown\n{body}\n{fence}\n\n{_slot(len(rendered) - 1)}\n"

    markdown = RENDERED.sub(replace, markdown)
    if rendered:
        _examples[page.file.src_uri] = rendered
    return markdown


def diagnostics_markdown() -> str:
    """Every diagnostic code: a table, then a section per code, grouped by hundreds."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for code in sorted(CODES.values(), key=lambda c: c.code):
        groups[code.code[4]].append(code)
    lines = ["| code | severity | problem |", "|---|---|---|"]
    lines += [
        f"| [{c.code}](#{c.code.lower()}) | {c.severity} | {_cell(c.title)} |"
        for c in sorted(CODES.values(), key=lambda c: c.code)
    ]
    for key in sorted(groups):
        title = CODE_GROUPS.get(key, "Other")
        lines += ["", f"## {title} ({key}xx)"]
        for code in groups[key]:
            lines += [
                "",
                f"### {code.code}: {code.title} {{ #{code.code.lower()} }}",
                "",
                f"**{str(code.severity).capitalize()}.** {code.explanation}",
            ]
            fix = getattr(code, "fix", "")
            if fix:
                lines += ["", f"**How to fix it:** {fix}"]
            if code.example:
                lines += ["", "For example:", "", "```text", code.example, "```"]
    return "\n".join(lines) + "\n"


def server_configs_markdown() -> str:
    """The hosting headers for each server, generated from the policies the build uses."""
    from icbt_content.pipeline.headers import server_config

    names = {"nginx": ("nginx", "nginx"), "apache": ("Apache", "apache"), "caddy": ("Caddy", "")}
    lines = []
    for server, (title, language) in names.items():
        lines += [
            f"### {title}",
            "",
            f"```{language or 'text'}",
            server_config(server).rstrip(),
            "```",
            "",
        ]
    return "\n".join(lines)


def builtin_measures_markdown() -> str:
    """A table of the installed measures, read from their own files."""
    from icbt_content.measures import builtin_measures, load_measure

    lines = [
        "| id | measure | for | licence | total | case at | reliable change |",
        "|---|---|---|---|---|---|---|",
    ]
    for measure_id, path in sorted(builtin_measures().items()):
        measure, problems = load_measure(path, path.parent)
        if measure is None:
            details = "; ".join(p.format() for p in problems)
            raise PluginError(f"built-in measure {measure_id} does not load: {details}")
        low, high = measure.total_range()
        total = f"{low}-{high}" if measure.scoring == "sum" else "per item"
        lines.append(
            f"| `{measure.id}` | {_cell(measure.title)} | {measure.role or ''} | "
            f"{measure.licence} | {total} | {_or_dash(measure.caseness)} | "
            f"{_or_dash(measure.reliable_change)} |"
        )
    return "\n".join(lines) + "\n"


def _or_dash(value: object) -> str:
    return "-" if value is None else str(value)


def _cell(text: str) -> str:
    return str(escape(text)).replace("|", "\\|")
