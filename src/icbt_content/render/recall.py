"""``::: recall`` on the client's site: an earlier answer, read from this browser by recall.js.

The build writes where the answer is saved and the words around it; the browser fills in the
answer as text (never HTML), or a calm line when nothing is saved yet.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from icbt_content.ids import storage_key
from icbt_content.model.blocks import RecallBlock
from icbt_content.sitemap import page_path

if TYPE_CHECKING:
    from icbt_content.render.site import ProgrammeRenderer


def render_recall(
    r: ProgrammeRenderer, block: RecallBlock, here: str, source: str, ctx: dict[str, Any]
) -> Markup:
    """The box showing a client's earlier answer, with a link to where they gave it."""
    pages = r.programme.pages()
    wanted = block.exercise
    where = next(((m, p, e) for m, p in pages for e in p.exercises() if e.id == wanted), None)
    if where is None:
        return Markup("")  # reported by validation (ICBT967); never published half-made
    module, page, exercise = where
    field = next((f for f in exercise.fields if f.id == block.field), None)
    if field is None:
        return Markup("")  # ICBT968
    url = r.url(here, page_path(r.code, module.id, page.id), f"ex-{exercise.id}-title")
    template = r.env.get_template("blocks/recall.html")
    return Markup(
        template.render(
            ctx,
            block=block,
            exercise=exercise,
            field=field,
            repeatable=exercise.repeatable,
            url=url,
            storage_key=storage_key(r.programme.id, exercise.id),
            choices=json.dumps({c.id: c.label for c in field.choices}, ensure_ascii=False),
        )
    )
