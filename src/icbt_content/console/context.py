"""The guidance context of one client: what a message template may say about them."""

from __future__ import annotations

from datetime import datetime

from icbt_content.console.record import ClientRecord, MeasureHistory
from icbt_content.measures.outcome import outcome_measures
from icbt_content.model.guidance import GuidanceContext


def _headline(record: ClientRecord) -> MeasureHistory | None:
    """The measure a message talks about: the programme's depression measure, else the first."""
    if not record.histories:
        return None
    chosen = outcome_measures(record.programme)
    wanted = chosen.depression if chosen else None
    return next((h for h in record.histories if h.measure.id == wanted), record.histories[0])


def guidance_context(
    record: ClientRecord, first_name: str, therapist: str, now: datetime
) -> GuidanceContext:
    """Fill a GuidanceContext from the client's record (unknown facts stay None)."""
    module = record.current_module
    done = [a.exercise.title for a in record.exercises]
    headline = _headline(record)
    latest = headline.latest if headline else None
    previous = headline.points[-2] if headline and len(headline.points) > 1 else None
    risk: bool | None = None
    if record.active_flags or any(h.risk_answered for h in record.histories):
        risk = True
    elif record.histories:
        risk = False
    return GuidanceContext.model_validate(
        {
            "client": {"first_name": first_name},
            "therapist": {"name": therapist},
            "module": {"id": module.id, "title": module.title},
            "exercises_done": list(dict.fromkeys(done)),
            "measure": (
                {"id": headline.measure.id, "title": headline.measure.title} if headline else None
            ),
            "latest_score": latest.result.total if latest else None,
            "previous_score": previous.result.total if previous else None,
            "change": latest.since_previous.value if latest and latest.since_previous else None,
            "days_since_login": record.days_inactive(now),
            "risk_flagged": risk,
        }
    )
