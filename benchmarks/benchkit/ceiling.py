"""The Python ceiling: every page rendered by markdown-it-py into one Jinja2 template, one process.

    python benchmarks/benchkit/ceiling.py DOCS OUT

This is the least a Python static site builder must do (read, parse the front matter, render
Markdown with tables, fill a template, write), with nothing else: no nav, no search, no checks.
The issue measures icbt against it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

TEMPLATE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
{{ content }}
</main></body>
</html>
"""

# The C loader when PyYAML has libyaml, as a fast builder would use.
Loader: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """The YAML front matter of a page and the Markdown after it."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            meta = yaml.load(text[4:end], Loader=Loader)  # a safe loader
            return (meta if isinstance(meta, dict) else {}), text[end + 5 :]
    return {}, text


def build(docs: Path, out: Path) -> int:
    """Render every ``.md`` file under ``docs`` to ``out``; return how many pages."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    count = 0
    for source in sorted(docs.rglob("*.md")):
        meta, body = split_front_matter(source.read_text(encoding="utf-8"))
        html = template.render(
            title=str(meta.get("title", source.stem)), content=Markup(md.render(body))
        )
        target = out / source.relative_to(docs).with_suffix("") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        count += 1
    return count


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    build(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
