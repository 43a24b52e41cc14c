"""Shared base for every content model: frozen, strict about unknown fields, documented."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)

#: A stable id: lower-case letters, digits and single hyphens, starting with a letter.
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]


class ContentModel(BaseModel):
    """Base for content models: immutable, no unknown fields, docstrings in the schema."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class SourceLocation(ContentModel):
    """Where something was written: a path relative to the project, and a 1-based line."""

    file: str
    line: int = 1
    col: int = 1
