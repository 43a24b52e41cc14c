"""``::: recall``: a client's earlier answer shown on a later page, read from the directive.

::

    ::: recall
    exercise: drop-sb-experiment
    field: belief-before
    entry: first            # of a repeatable exercise: first or latest (the default)
    into: belief-now        # optional: pre-fill this field of the next exercise while empty
    :::

The page knows its own exercises, so ``into`` is checked here (ICBT969); whether the recalled
exercise and field exist is a question about the whole programme, checked by
:func:`icbt_content.validate.check_recalls` (ICBT967, ICBT968).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from icbt_content.authoring.yamlsafe import validate
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.exercises.custom import field_hint
from icbt_content.model.base import ContentModel, Id
from icbt_content.model.blocks import Block, ExerciseBlock, RecallBlock, RecallEntry

if TYPE_CHECKING:
    from icbt_content.authoring.pages import Directive, PageParts


class RecallOptions(ContentModel):
    """What an author writes in a recall directive."""

    exercise: Id
    """The exercise whose answer is shown."""
    field: Id
    """Its field."""
    entry: RecallEntry = "latest"
    """Of a repeatable exercise: the entry added last (``latest``) or the ``first``."""
    into: Id | None = None
    """A field of the next exercise on the page to pre-fill while it is empty."""


def read_recall(d: Directive, parts: PageParts) -> list[Diagnostic]:
    """Add the recall block a directive describes; return what is wrong with it."""
    located, problems = d.yaml_body()
    if located is None:
        return problems
    options, found = validate(RecallOptions, located, what="recall")
    if options is not None:
        parts.blocks.append(RecallBlock(**options.model_dump(), source=d.where()))
    return problems + found


def place_prefills(blocks: list[Block]) -> list[Diagnostic]:
    """Give each recall with ``into`` the next exercise on the page; ICBT969 where it cannot."""
    problems: list[Diagnostic] = []
    for index, block in enumerate(blocks):
        if not isinstance(block, RecallBlock) or block.into is None:
            continue
        following = (b for b in blocks[index + 1 :] if isinstance(b, ExerciseBlock))
        target = next(following, None)
        file, line = (block.source.file, block.source.line) if block.source else ("", 1)
        if target is None:
            problems.append(
                diagnostic(
                    "ICBT969",
                    f"recall pre-fills '{block.into}', but no exercise follows it on this page",
                    file,
                    line,
                    hint="put the recall just before the exercise it pre-fills, or remove "
                    "'into:' to only show the earlier answer",
                )
            )
            continue
        fields = [f.id for f in target.exercise.fields]
        if block.into not in fields:
            problems.append(
                diagnostic(
                    "ICBT969",
                    f"recall pre-fills '{block.into}', which exercise "
                    f"'{target.exercise.id}' does not have",
                    file,
                    line,
                    hint=field_hint(block.into, fields),
                )
            )
            continue
        blocks[index] = block.model_copy(update={"into_exercise": target.exercise.id})
    return problems
