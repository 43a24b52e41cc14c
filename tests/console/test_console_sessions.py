"""Console sessions: signed ids, expiry after idleness and at most 12 hours, sign-out."""

from __future__ import annotations

from icbt_content.console.sessions import MAX_SECONDS, SessionStore
from icbt_content.console.smart import Tokens


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def store() -> tuple[SessionStore, Clock]:
    clock = Clock()
    return SessionStore(idle_seconds=600, clock=clock), clock


def test_a_session_is_found_by_its_signed_cookie_only() -> None:
    sessions, _ = store()
    session = sessions.new()
    cookie = sessions.cookie_value(session)
    assert sessions.get(cookie) is session
    ident, _, signature = cookie.rpartition(".")
    assert sessions.get(f"{ident}.{'0' * len(signature)}") is None
    assert sessions.get(ident) is None
    assert sessions.get(None) is None
    # Another console (another key) does not accept this one's cookies.
    other, _ = store()
    assert other.get(cookie) is None


def test_an_idle_session_expires() -> None:
    sessions, clock = store()
    cookie = sessions.cookie_value(sessions.new())
    clock.now += 599
    assert sessions.get(cookie) is not None
    clock.now += 601
    assert sessions.get(cookie) is None
    assert len(sessions) == 0


def test_an_active_session_still_ends_after_the_maximum() -> None:
    sessions, clock = store()
    cookie = sessions.cookie_value(sessions.new())
    while clock.now < 1000 + MAX_SECONDS:
        assert sessions.get(cookie) is not None
        clock.now += 500
    assert sessions.get(cookie) is None


def test_signing_in_renews_the_id_and_signing_out_forgets_the_tokens() -> None:
    sessions, _ = store()
    before = sessions.new()
    before.tokens = Tokens("access", None, 300, "Practitioner/sam")
    after = sessions.renew(before)
    assert after.id != before.id and after.csrf != before.csrf
    assert sessions.get(sessions.cookie_value(before)) is None
    assert after.practitioner == "Practitioner/sam"
    sessions.end(after)
    assert after.tokens is None
    assert sessions.get(sessions.cookie_value(after)) is None


def test_only_a_practitioner_is_a_therapist() -> None:
    sessions, _ = store()
    session = sessions.new()
    session.tokens = Tokens("access", None, 300, "Patient/alex")
    assert session.practitioner is None
