"""Measures (questionnaires). Placeholder: the measures work fills this in."""

from __future__ import annotations

from icbt_content.model.base import ContentModel, Id, SourceLocation


class Measure(ContentModel):
    """A questionnaire with its scoring rules."""

    id: Id
    title: str
    source: SourceLocation | None = None
