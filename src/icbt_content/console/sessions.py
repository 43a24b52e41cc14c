"""Sessions: server-side, in memory, holding tokens only; the cookie carries a signed id.

Nothing clinical is ever put in a session: a page is read from the FHIR server each time it is
shown. A session ends after a spell without requests, after a fixed maximum, and when the
therapist signs out; restarting the console ends every session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from icbt_content.console.smart import LoginRequest, Tokens

COOKIE = "icbt_console"
#: However active, a session ends after this long and the therapist signs in again.
MAX_SECONDS = 12 * 60 * 60


@dataclass
class Session:
    """One browser's session: its CSRF token, a sign-in under way, or the therapist's tokens."""

    id: str
    csrf: str
    created: float
    last_seen: float
    login: LoginRequest | None = None
    tokens: Tokens | None = None
    token_expires: float = 0.0
    notices: list[str] = field(default_factory=list)
    """Short confirmations ("Message sent") shown once on the next page."""

    @property
    def practitioner(self) -> str | None:
        """The signed-in therapist's ``Practitioner/<id>``, when signed in as one."""
        user = self.tokens.fhir_user if self.tokens else None
        return user if user and user.startswith("Practitioner/") else None


class SessionStore:
    """Sessions by id, with cookies signed by a key made when the console starts."""

    def __init__(self, idle_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_seconds
        self.clock = clock
        self._key = secrets.token_bytes(32)
        self._sessions: dict[str, Session] = {}

    def new(self) -> Session:
        """Start a session."""
        now = self.clock()
        self._drop_expired(now)
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), now, now)
        self._sessions[session.id] = session
        return session

    def renew(self, old: Session) -> Session:
        """Give a session a new id and CSRF token (after sign-in), keeping what it holds."""
        self._sessions.pop(old.id, None)
        fresh = self.new()
        fresh.tokens, fresh.token_expires = old.tokens, old.token_expires
        return fresh

    def cookie_value(self, session: Session) -> str:
        """The cookie for a session: its id and a signature."""
        return f"{session.id}.{self._sign(session.id)}"

    def get(self, cookie: str | None) -> Session | None:
        """The live session a cookie names; None when unsigned, unknown or expired."""
        if not cookie or "." not in cookie:
            return None
        ident, _, signature = cookie.rpartition(".")
        if not hmac.compare_digest(signature, self._sign(ident)):
            return None
        session = self._sessions.get(ident)
        now = self.clock()
        if session is None or self._expired(session, now):
            self._sessions.pop(ident, None)
            return None
        session.last_seen = now
        return session

    def end(self, session: Session) -> None:
        """End a session (signing out): its tokens are forgotten."""
        self._sessions.pop(session.id, None)
        session.tokens = None

    def __len__(self) -> int:
        return len(self._sessions)

    def _sign(self, ident: str) -> str:
        return hmac.new(self._key, ident.encode("ascii"), hashlib.sha256).hexdigest()

    def _expired(self, session: Session, now: float) -> bool:
        return now - session.last_seen > self.idle_seconds or now - session.created > MAX_SECONDS

    def _drop_expired(self, now: float) -> None:
        for ident in [i for i, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[ident]
