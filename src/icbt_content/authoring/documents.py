"""Reading Markdown documents: text, front matter with line numbers, and the token stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from icbt_content.authoring.yamlsafe import LocatedYaml, load_yaml
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.inputs import leaves_project
from icbt_content.limits import MAX_PAGE_BYTES, kilobytes
from icbt_content.markdown import checking_parser
from icbt_content.markdown.budget import text_over_budget, tokens_over_budget

#: Kept for callers that imported it from here; the limits live in :mod:`icbt_content.limits`.
MAX_FILE_BYTES = MAX_PAGE_BYTES


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
    link_references: bool = False
    """Whether it defines link references (``[label]: url``), which any block may use."""

    def source(self, start: int, end: int) -> str:
        """The original text of 0-based lines ``start`` to ``end`` (exclusive)."""
        return "\n".join(self.lines[start:end])


def read_text(
    path: Path, shown: str, project: Path | None = None, *, limit: int = MAX_PAGE_BYTES
) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file of at most ``limit`` bytes; of ``project``, only where it may be
    read."""
    if project is not None:
        outside = leaves_project(path, project)
        if outside is not None:
            return None, [outside]
    try:
        # Read one byte past the limit rather than trusting stat(): a file can grow, and a
        # device or pipe has no size.
        with path.open("rb") as stream:
            raw = stream.read(limit + 1)
        if len(raw) > limit:
            return None, [
                diagnostic(
                    "ICBT100",
                    f"file is larger than {kilobytes(limit)}",
                    shown,
                    hint="split it into smaller files",
                )
            ]
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
    env: dict[str, object] = {}
    tokens = checking_parser().parse(text, env)
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
    references = bool(env.get("references"))
    return Document(shown, text, lines, front, tokens, body_start, found, ok, references)


def read_document(
    path: Path, shown: str, project: Path | None = None, *, limit: int = MAX_PAGE_BYTES
) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse a Markdown file of at most ``limit`` bytes; diagnostics when it cannot
    be read (or, of ``project``, may not be) or is too complex."""
    text, problems = read_text(path, shown, project, limit=limit)
    if text is None:
        return None, problems
    excess = text_over_budget(text)
    if excess is None:
        doc = parse_document(text, shown)
        excess = tokens_over_budget(doc.tokens)
        if excess is None:
            return doc, []
    return None, [diagnostic("ICBT116", excess.message, shown, excess.line, hint=excess.hint)]
