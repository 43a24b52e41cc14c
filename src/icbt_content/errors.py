"""The library's exceptions: one base, :class:`IcbtError`, that every error it raises derives from.

Catch ``IcbtError`` to handle anything icbt-content refuses; each error carries the
:class:`~icbt_content.diagnostics.Diagnostic` objects that explain it (empty when the message
says it all). The subclasses that stand for a Python built-in error also derive from it
(``NotFoundError`` from ``KeyError``, ``InvalidArgumentError`` from ``ValueError``...), so code
written against the built-in names keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icbt_content.diagnostics import Diagnostic


class IcbtError(Exception):
    """Base of every error icbt-content raises; ``diagnostics`` says where and why."""

    diagnostics: list[Diagnostic]

    def __init__(self, message: object = None, *, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self.diagnostics = list(diagnostics)
        if message is None:
            message = "\n".join(d.format() for d in self.diagnostics)
        super().__init__(message)


class NotFoundError(IcbtError, KeyError):
    """Something asked for by id or name does not exist (a measure, module, item, locale...)."""

    def __str__(self) -> str:
        # KeyError would quote the message as a repr.
        return str(self.args[0]) if self.args else ""


class InvalidArgumentError(IcbtError, ValueError):
    """An argument has a value the function cannot use (an unknown format, a bad locale code)."""


class ScoringError(IcbtError, ValueError):
    """Answers cannot be scored: an unknown item, an impossible answer, a missing rule."""


class ExerciseTypeError(IcbtError, TypeError):
    """An installed exercise type is not an :class:`~icbt_content.exercises.types.ExerciseType`."""


class UnsafeOutputPathError(IcbtError, OSError):
    """A write would land outside the output folder it was meant for."""


__all__ = [
    "ExerciseTypeError",
    "IcbtError",
    "InvalidArgumentError",
    "NotFoundError",
    "ScoringError",
    "UnsafeOutputPathError",
]
