"""One exercise or questionnaire of a programme, placed in any page of another site.

A host page asks for it with a fenced block (the MkDocs plugin reads them)::

    ```icbt
    programme: sad
    exercise: first-experiment
    ```

or ``questionnaire: phq9``. The block is rendered by the site's own block templates
(``blocks/exercise.html``, ``blocks/questionnaire.html``) with the programme's renderer, in the
locale the programme is published in, and comes with the page data and messages our scripts read
(``script_data.html``): it saves answers under the same keys as the programme's own pages, and a
questionnaire's risk answers link to the programme's crisis page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from markdown_it import MarkdownIt

from icbt_content.authoring.yamlsafe import load_yaml
from icbt_content.contrib.embed import EmbedRenderer, ProgrammeEmbed, UrlFor, fragment
from icbt_content.diagnostics import ContentError, Diagnostic, diagnostic, did_you_mean
from icbt_content.model.blocks import Block, ExerciseBlock, QuestionnaireBlock

#: The info string of a fenced block that asks for an embed.
FENCE = "icbt"

SingleKind = Literal["exercise", "questionnaire"]
KINDS: tuple[SingleKind, ...] = ("exercise", "questionnaire")
KEYS = frozenset({"programme", *KINDS})


@dataclass(frozen=True)
class SingleRequest:
    """What one ``icbt`` block asks for: an exercise or questionnaire of a programme."""

    programme: str
    kind: SingleKind
    id: str
    file: str
    line: int
    """The line of the block's opening fence."""
    start: int
    """0-based first line of the fenced block in its page (the opening fence)."""
    end: int
    """0-based line after the block (after its closing fence)."""


def find_requests(markdown: str, file: str) -> tuple[list[SingleRequest], list[Diagnostic]]:
    """Find every ``icbt`` fenced block of a page, by a CommonMark parser (not a pattern)."""
    found: list[SingleRequest] = []
    problems: list[Diagnostic] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type != "fence" or token.info.strip() != FENCE or token.map is None:
            continue
        start, end = token.map
        request, errors = _request(token.content, file, start, end)
        problems += errors
        if request is not None:
            found.append(request)
    return found, problems


def _request(
    text: str, file: str, start: int, end: int
) -> tuple[SingleRequest | None, list[Diagnostic]]:
    line = start + 1
    hint = "write 'programme: <id>' and one of 'exercise: <id>' or 'questionnaire: <measure-id>'"
    located, problems = load_yaml(text, file, line + 1)
    if located is None:
        return None, problems
    data = located.data
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None, [
            diagnostic("ICBT730", "an icbt block must be 'key: id' lines", file, line, hint=hint)
        ]
    unknown = sorted(set(data) - KEYS)
    kinds = [kind for kind in KINDS if kind in data]
    if unknown or "programme" not in data or len(kinds) != 1:
        what = (
            f"unknown key '{unknown[0]}'" + _suggest(unknown[0], KEYS)
            if unknown
            else "it names no programme"
            if "programme" not in data
            else "it names both an exercise and a questionnaire"
            if kinds
            else "it names no exercise or questionnaire"
        )
        return None, [
            diagnostic("ICBT730", f"icbt block not understood: {what}", file, line, hint=hint)
        ]
    kind = kinds[0]
    return SingleRequest(data["programme"], kind, data[kind], file, line, start, end), []


def _suggest(word: str, candidates: frozenset[str]) -> str:
    match = did_you_mean(word, candidates)
    return f" ({match})" if match else ""


def find_block(embed: ProgrammeEmbed, request: SingleRequest) -> Block:
    """The block the request names, as the programme's pages have it.

    A questionnaire the programme lists but no page shows is still found. Raises
    :class:`ContentError` (ICBT731) when the programme has no such exercise or measure.
    """
    programme = embed.programme
    if request.kind == "exercise":
        exercise = programme.find_exercise(request.id)
        if exercise is not None:
            return ExerciseBlock(exercise=exercise)
        known = [e.id for e in programme.exercises()]
    else:
        if programme.find_measure(request.id) is not None:
            return QuestionnaireBlock(measure=request.id)
        known = [m.id for m in programme.measures]
    hint = did_you_mean(request.id, known) or f"its {request.kind}s: {', '.join(known) or 'none'}"
    raise ContentError(
        [
            diagnostic(
                "ICBT731",
                f"programme '{programme.id}' has no {request.kind} '{request.id}'",
                request.file,
                request.line,
                hint=hint,
            )
        ]
    )


def render_singles(
    embed: ProgrammeEmbed, requests: Sequence[SingleRequest], url_for: UrlFor, here: str
) -> list[str]:
    """Render each request for the host page at ``here`` (relative to the host site's root).

    Returns one HTML fragment per request; the page data and messages our scripts read (one
    set per page, with the records of every embedded block) follow the last fragment.
    """
    renderer = EmbedRenderer(embed, url_for)
    blocks = [find_block(embed, request) for request in requests]
    context: dict[str, Any] = renderer.common(here, embed.programme.title)
    fragments = [
        renderer.block(block, here, _source(block, request), context)
        for block, request in zip(blocks, requests, strict=True)
    ]
    context["page_data"] = renderer.page_data(
        context["urls"], records=renderer.page_records(blocks)
    )
    last = len(requests) - 1
    return [
        fragment(renderer, context, html, kind=request.kind, with_data=number == last)
        for number, (html, request) in enumerate(zip(fragments, requests, strict=True))
    ]


def _source(block: Block, request: SingleRequest) -> str:
    # Links in an exercise's instructions are written relative to the page it is on.
    if isinstance(block, ExerciseBlock) and block.exercise.source is not None:
        return block.exercise.source.file
    return request.file
