"""The console's web plumbing: security headers, the words of its errors, small helpers.

Nothing here reads or writes the FHIR server; :mod:`.app` does, through these.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from icbt_content.console.sessions import Session
from icbt_content.ids import is_valid_id

#: No script at all, styles and images from the console only, forms only to the console.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Add the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


NOT_A_PRACTITIONER = (
    "You are signed in, but not as a practitioner: the console is for the care team. "
    "Sign out and sign in with your practitioner account."
)
NOT_IN_CASELOAD = "There is no such client in your care teams."
NOT_SENT = (
    "The message was not sent: the FHIR server could not be reached or refused it. Your text is "
    "kept below; send it again in a moment."
)
NO_SIGN_IN = "The FHIR server did not say where to sign in. Try again in a minute."
SIGN_IN_AGAIN = "That sign-in could not be completed. Please sign in again."


STALE_FORM = "This form has expired. Go back, reload the page and try again."
FHIR_PROBLEMS = {
    0: "The FHIR server could not be reached or refused the request. Nothing was changed "
    "unless the page says so; try again in a minute.",
    403: "The FHIR server did not allow this with your account.",
    404: "The FHIR server does not have that record.",
    412: "Someone else changed this record a moment ago. Reload the page and try again.",
}


def now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def draft_id(sent: str) -> str:
    """The message draft's id: the one the form carries, or a new one."""
    try:
        return str(uuid.UUID(sent))
    except ValueError:
        return str(uuid.uuid4())


def see_other(url: str) -> Response:
    """Redirect after a POST (303)."""
    return RedirectResponse(url, status_code=303)


def client_url(programme: str, patient: str) -> str:
    """The client page's path: ids only."""
    return f"/programmes/{programme}/clients/{patient}"


def reference_id_of(session: Session) -> str:
    """The signed-in practitioner's id."""
    return (session.practitioner or "Practitioner/").partition("/")[2]


def valid_path_id(value: str) -> bool:
    """Programme and module ids are content ids; FHIR ids are [A-Za-z0-9-.]{1,64}."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")
    return is_valid_id(value) or (0 < len(value) <= 64 and set(value) <= allowed)
