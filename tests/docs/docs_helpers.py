"""Helpers for the documentation tests: the docs' code blocks, and the docs hooks module."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from markdown_it import MarkdownIt

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"

#: Info strings of blocks that are run. Every other block (```text, ```yaml, ```markdown...) is
#: only shown; a console block runs only its `$ icbt ...` lines.
PYTHON = frozenset({"python", "py"})
CONSOLE = frozenset({"console"})
#: A block right after this comment is written to the file it names before later blocks run.
WRITE = re.compile(r"^<!-- write: (?P<path>[^\s>]+) -->\s*$")


@dataclass(frozen=True)
class DocsBuild:
    """The result of building the documentation site."""

    returncode: int
    output: str
    site: Path


@dataclass(frozen=True)
class CodeBlock:
    """A fenced block of a documentation page."""

    file: Path
    line: int
    """1-based line of the block's first line of code."""
    language: str
    code: str
    write_to: str = ""
    """The file this block is written to (relative to the project), if any."""

    @property
    def where(self) -> str:
        return f"{self.file.relative_to(REPO).as_posix()}:{self.line}"

    @property
    def runs(self) -> bool:
        if self.write_to or self.language in PYTHON:
            return True
        return self.language in CONSOLE and bool(self.commands())

    def commands(self) -> list[tuple[int, str]]:
        """(line, command) of each `$ icbt ...` line of a console block."""
        return [
            (self.line + i, text[2:].strip())
            for i, text in enumerate(self.code.splitlines())
            if text.startswith("$ icbt ") or text.strip() == "$ icbt"
        ]


def doc_pages() -> list[Path]:
    """Every Markdown page of the documentation (the hooks folder holds none)."""
    return sorted(DOCS.rglob("*.md"))


def code_blocks(path: Path) -> list[CodeBlock]:
    """The fenced code blocks of a page, in order, found by a CommonMark parser."""
    tokens = MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8"))
    blocks = []
    for before, token in zip([None, *tokens], tokens, strict=False):
        if token.type != "fence" or not token.map:
            continue
        write = None
        if before is not None and before.type == "html_block":
            write = WRITE.match(before.content.strip())
        language = (token.info.split() or [""])[0]
        blocks.append(
            CodeBlock(
                path,
                token.map[0] + 2,
                language,
                token.content,
                write.group("path") if write else "",
            )
        )
    return blocks


@cache
def hooks() -> ModuleType:
    """The documentation's MkDocs hooks module (docs/hooks/icbt_docs.py)."""
    path = DOCS / "hooks" / "icbt_docs.py"
    spec = importlib.util.spec_from_file_location("icbt_docs_hooks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
