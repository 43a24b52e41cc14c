"""Reading Markdown documents: text, front matter with line numbers, and the token stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from icbt_content.authoring.yamlsafe import LocatedYaml, load_yaml
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.inputs import leaves_project
from icbt_content.markdown import checking_parser

MAX_FILE_BYTES = 1_000_000


@dataclass
class Document:
    """A Markdown file split into front matter and body tokens."""

    path: str
    """Path relative to the project, used in diagnostics."""
    text: str
    lines: list[str]
    front_matter: LocatedYaml
    tokens: list[Token]
    body_start: int = 1
    """1-based line where the body starts (after the front matter)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    front_matter_ok: bool = True
    """False when the front matter could not be parsed (already reported)."""

    def source(self, start: int, end: int) -> str:
        """The original text of 0-based lines ``start`` to ``end`` (exclusive)."""
        return "\n".join(self.lines[start:end])


def read_text(
    path: Path, shown: str, project: Path | None = None
) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file within the size limit; of ``project``, only where it may be read."""
    if project is not None:
        outside = leaves_project(path, project)
        if outside is not None:
            return None, [outside]
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                diagnostic(
                    "ICBT100",
                    f"file is larger than {MAX_FILE_BYTES // 1000} kB",
                    shown,
                    hint="split it into smaller pages",
                )
            ]
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            diagnostic("ICBT100", "file is not valid UTF-8", shown, line, hint="save it as UTF-8")
        ]
    except OSError as exc:
        return None, [diagnostic("ICBT100", f"cannot read file: {exc.strerror}", shown)]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse_document(text: str, shown: str) -> Document:
    """Parse Markdown text with optional YAML front matter."""
    tokens = checking_parser().parse(text, {})
    lines = text.split("\n")
    front = LocatedYaml({}, shown, {(): 1}, 1)
    found: list[Diagnostic] = []
    body_start = 1
    ok = True
    if tokens and tokens[0].type == "front_matter" and tokens[0].map:
        start, end = tokens[0].map
        located, problems = load_yaml(tokens[0].content, shown, first_line=start + 2)
        found.extend(problems)
        if located is not None:
            front = located
        else:
            ok = False
        body_start = end + 1
        tokens = tokens[1:]
    return Document(shown, text, lines, front, tokens, body_start, found, ok)


def read_document(
    path: Path, shown: str, project: Path | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse a Markdown file; diagnostics when it cannot be read."""
    text, problems = read_text(path, shown, project)
    if text is None:
        return None, problems
    return parse_document(text, shown), []
