"""Therapist guidance message templates. Placeholder: the guidance work fills this in."""

from __future__ import annotations

from icbt_content.model.base import ContentModel, Id, SourceLocation


class GuidanceTemplate(ContentModel):
    """A message a therapist can send, written in Markdown with placeholders."""

    id: Id
    title: str
    body: str
    source: SourceLocation | None = None
