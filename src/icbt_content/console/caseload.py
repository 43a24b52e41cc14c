"""The caseload: a therapist's clients on a programme, the ones needing attention first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from icbt_content.console.record import ClientRecord


@dataclass(frozen=True)
class Attention:
    """Why a client needs attention now, most urgent reason first in :attr:`reasons`."""

    record: ClientRecord
    active_flags: int
    deteriorated: tuple[str, ...]
    """Titles of the measures with reliable deterioration since the first completion."""
    days_inactive: int | None
    inactive: bool
    awaiting_guidance: bool

    @property
    def reasons(self) -> list[str]:
        """The reasons, in the words the caseload shows, most urgent first."""
        found: list[str] = []
        if self.active_flags:
            found.append(
                "Risk answer not yet acknowledged"
                if self.active_flags == 1
                else f"{self.active_flags} risk answers not yet acknowledged"
            )
        found.extend(f"Reliable deterioration on {title}" for title in self.deteriorated)
        if self.inactive:
            found.append(f"No activity for {self.days_inactive} days")
        if self.awaiting_guidance:
            found.append("New work waiting for your guidance")
        return found

    @property
    def rank(self) -> tuple[int, int, int, int, str]:
        """Sort key: unacknowledged risk, deterioration, inactivity, work waiting, then name."""
        return (
            0 if self.active_flags else 1,
            0 if self.deteriorated else 1,
            0 if self.inactive else 1,
            0 if self.awaiting_guidance else 1,
            self.record.name.casefold(),
        )


def attention(record: ClientRecord, now: datetime, inactive_days: int) -> Attention:
    """Judge one client's need for attention."""
    days = record.days_inactive(now)
    return Attention(
        record=record,
        active_flags=len(record.active_flags),
        deteriorated=tuple(h.measure.title for h in record.deteriorated),
        days_inactive=days,
        inactive=days is not None and days >= inactive_days,
        awaiting_guidance=record.awaiting_guidance,
    )


def caseload(records: Sequence[ClientRecord], now: datetime, inactive_days: int) -> list[Attention]:
    """The clients sorted so that those who need attention come first."""
    return sorted((attention(r, now, inactive_days) for r in records), key=lambda a: a.rank)
