"""The console's web app (Starlette): sign-in, caseload, one client, and the three actions.

Every page is read from the FHIR server when it is shown; every action is one POST (with the
session's CSRF token) that writes to the FHIR server and records an AuditEvent there.
"""

from __future__ import annotations

import contextlib
import hmac
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from icbt_content.console import resources as build
from icbt_content.console.caseload import caseload
from icbt_content.console.chart import score_chart
from icbt_content.console.context import guidance_context
from icbt_content.console.fhir import FhirClient, FhirError
from icbt_content.console.preview import client_view
from icbt_content.console.reading import (
    care_team_patients,
    client_record,
    client_resources,
    display_name,
    first_name,
    programme_records,
    record_from,
)
from icbt_content.console.record import is_risk_flag, reference_id
from icbt_content.console.sessions import COOKIE, Session, SessionStore
from icbt_content.console.settings import ConsoleConfig
from icbt_content.console.smart import (
    SmartEndpoints,
    SmartError,
    discover,
    exchange_code,
    login_request,
    refresh,
)
from icbt_content.console.web import (
    FHIR_PROBLEMS,
    NO_SIGN_IN,
    NOT_A_PRACTITIONER,
    NOT_IN_CASELOAD,
    NOT_SENT,
    SIGN_IN_AGAIN,
    STALE_FORM,
    SecurityHeaders,
    client_url,
    draft_id,
    now,
    reference_id_of,
    see_other,
    valid_path_id,
)
from icbt_content.diagnostics import ContentError
from icbt_content.guidance import render_guidance_template
from icbt_content.loop.contract import SYSTEM_PROGRAMME
from icbt_content.markdown import render_markdown
from icbt_content.model.programme import Programme
from icbt_content.sitemap import SiteMap

HERE = Path(str(resources.files("icbt_content.console")))

Handler = Callable[[Request], Awaitable[Response]]


class Console:
    """The app's state: settings, programmes, sessions, the HTTP client and the templates."""

    def __init__(
        self,
        config: ConsoleConfig,
        programmes: Sequence[Programme],
        *,
        localised: Mapping[str, Mapping[str, Programme]] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config
        self.programmes = {p.id: p for p in programmes}
        self.localised = localised or {}
        self.sessions = SessionStore(config.settings.session_minutes * 60)
        self.http = httpx.AsyncClient(timeout=30, transport=transport)
        self.endpoints: SmartEndpoints | None = None
        self.env = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # -- plumbing ------------------------------------------------------------------------------

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        session: Session | None = request.state.session
        notices = list(session.notices) if session else []
        if session:
            session.notices.clear()
        html = self.env.get_template(name).render(
            session=session,
            signed_in=bool(session and session.tokens),
            csrf=session.csrf if session else "",
            notices=notices,
            programmes=list(self.programmes.values()),
            **context,
        )
        return HTMLResponse(html, status_code=status)

    def set_cookie(self, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self.sessions.cookie_value(session),
            max_age=self.config.settings.session_minutes * 60,
            httponly=True,
            secure=self.config.secure_cookies,
            samesite="lax",
            path="/",
        )

    async def smart(self) -> SmartEndpoints:
        if self.endpoints is None:
            self.endpoints = await discover(self.http, self.config.fhir_base)
        return self.endpoints

    def token_ended(self, session: Session) -> bool:
        """The access token has expired and cannot be refreshed: the session is over."""
        tokens = session.tokens
        expired = time.monotonic() >= session.token_expires
        return tokens is not None and expired and not tokens.refresh_token

    async def fhir(self, session: Session) -> FhirClient:
        """A FHIR client with the session's access token, refreshed when it has expired."""
        tokens = session.tokens
        assert tokens is not None
        if time.monotonic() >= session.token_expires - 30 and tokens.refresh_token:
            fresh = await refresh(self.http, self.config, await self.smart(), tokens.refresh_token)
            session.tokens = fresh
            session.token_expires = time.monotonic() + fresh.expires_in
            tokens = fresh
        return FhirClient(self.http, self.config.fhir_base, tokens.access_token)

    def in_locale(self, programme: Programme, locale: str | None) -> Programme:
        """The programme as published in ``locale`` (the source when it is not published in it)."""
        return self.localised.get(programme.id, {}).get(locale or "", programme)

    async def outside_caseload(self, request: Request, session: Session) -> Response | None:
        """Refuse a client who is not in the signed-in practitioner's care teams (404, so the
        console does not even say whether the client exists)."""
        if session.practitioner is None:
            return self.page(request, "error.html", 403, problem=NOT_A_PRACTITIONER)
        fhir = await self.fhir(session)
        caseload = await care_team_patients(fhir, session.practitioner)
        if str(request.path_params["patient"]) not in caseload:
            return self.page(request, "error.html", 404, problem=NOT_IN_CASELOAD)
        return None

    def programme(self, request: Request) -> Programme | None:
        return self.programmes.get(str(request.path_params.get("programme", "")))

    async def audit(
        self,
        fhir: FhirClient,
        session: Session,
        interaction: str,
        touched: list[str],
        programme: str,
        what: str,
    ) -> None:
        practitioner = session.practitioner or ""
        await fhir.create(
            build.audit_event(
                interaction, practitioner, touched, now(), programme=programme, what=what
            )
        )

    # -- pages ---------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        session: Session | None = request.state.session
        if not session or not session.tokens:
            return self.page(request, "signin.html")
        if session.practitioner is None:
            return self.page(request, "error.html", 403, problem=NOT_A_PRACTITIONER)
        fhir = await self.fhir(session)
        sections = []
        for programme in self.programmes.values():
            records = await programme_records(fhir, programme, session.practitioner)
            inactive = self.config.settings.inactive_days
            sections.append({"programme": programme, "clients": caseload(records, now(), inactive)})
        return self.page(request, "caseload.html", sections=sections)

    async def client(self, request: Request) -> Response:
        session: Session = request.state.session
        programme, patient = self.programme(request), str(request.path_params["patient"])
        if programme is None:
            return self.page(request, "error.html", 404, problem="There is no such programme.")
        fhir = await self.fhir(session)
        record, _ = await client_record(fhir, programme, patient)
        await self.audit(fhir, session, "read", [f"Patient/{patient}"], programme.id, "view client")
        module = record.current_module
        return self.page(
            request,
            "client.html",
            programme=programme,
            record=record,
            charts={
                h.measure.id: score_chart(h, f"chart-{h.measure.id}") for h in record.histories
            },
            notes=Markup(render_markdown(module.therapist_notes)),
            module=module,
            templates=programme.guidance,
            now=now(),
        )

    async def guidance(self, request: Request) -> Response:
        """Preview a template for this client, preview edits, or send the message."""
        session: Session = request.state.session
        form = request.state.form
        programme, patient = self.programme(request), str(request.path_params["patient"])
        if programme is None:
            return self.page(request, "error.html", 404, problem="There is no such programme.")
        fhir = await self.fhir(session)
        action = str(form.get("action", "preview"))
        # Browsers send a textarea with CRLF line ends; the message is stored with LF.
        markdown = str(form.get("markdown", "")).replace("\r\n", "\n")
        template_id = str(form.get("template", ""))
        draft = draft_id(str(form.get("draft", "")))
        if action == "send":
            if not markdown.strip():
                return self.page(request, "error.html", 400, problem="The message is empty.")
            message = build.guidance_message(
                programme.id, patient, session.practitioner or "", markdown, now(), draft=draft
            )
            try:
                refused = await self.outside_caseload(request, session)
                if refused is not None:
                    return refused
                # Conditional on the draft's id: sending again after a failure never sends twice.
                sent = await fhir.create(message, if_none_exist=build.draft_query(draft))
            except FhirError:
                return self.page(
                    request,
                    "guidance.html",
                    502,
                    programme=programme,
                    patient=patient,
                    template_id=template_id,
                    draft=draft,
                    markdown=markdown,
                    preview=client_view(markdown),
                    problem=NOT_SENT,
                )
            await self.audit(
                fhir,
                session,
                "create",
                [f"Communication/{sent['id']}", f"Patient/{patient}"],
                programme.id,
                "send guidance",
            )
            session.notices.append("Message sent.")
            return see_other(client_url(programme.id, patient))
        problem = ""
        if action == "template":
            # Previewing the therapist's own text reads nothing; filling a template reads the
            # client's record, so it needs the client to be in the caseload.
            refused = await self.outside_caseload(request, session)
            if refused is not None:
                return refused
            template = next((t for t in programme.guidance if t.id == template_id), None)
            if template is None:
                return self.page(request, "error.html", 404, problem="There is no such template.")
            person, held = await client_resources(fhir, programme, patient)
            locale = record_from(programme, patient, person, held).locale
            # The message is written in the client's language: their site's templates, titles.
            speaking = self.in_locale(programme, locale)
            record = record_from(speaking, patient, person, held)
            therapist = await fhir.read("Practitioner", reference_id_of(session))
            context = guidance_context(record, first_name(person), display_name(therapist), now())
            try:
                markdown = render_template(speaking, template_id, context, locale)
            except ContentError as exc:
                details = "; ".join(d.message for d in exc.diagnostics)
                problem = f"The template could not be filled in: {details}"
        return self.page(
            request,
            "guidance.html",
            programme=programme,
            patient=patient,
            template_id=template_id,
            draft=draft,
            markdown=markdown,
            preview=client_view(markdown) if markdown else "",
            problem=problem,
        )

    async def acknowledge(self, request: Request) -> Response:
        session: Session = request.state.session
        programme, patient = self.programme(request), str(request.path_params["patient"])
        flag_id = str(request.path_params["flag"])
        if programme is None:
            return self.page(request, "error.html", 404, problem="There is no such programme.")
        fhir = await self.fhir(session)
        flag = await fhir.read("Flag", flag_id)
        if not is_risk_flag(flag) or reference_id(flag.get("subject"), "Patient") != patient:
            return self.page(request, "error.html", 404, problem="There is no such risk flag.")
        if flag.get("status") == "active":
            await fhir.update(build.acknowledged(flag, now()))
            await self.audit(
                fhir,
                session,
                "update",
                [f"Flag/{flag_id}", f"Patient/{patient}"],
                programme.id,
                "acknowledge risk flag",
            )
        session.notices.append("Risk flag acknowledged.")
        return see_other(client_url(programme.id, patient))

    async def unlock(self, request: Request) -> Response:
        session: Session = request.state.session
        programme, patient = self.programme(request), str(request.path_params["patient"])
        module_id = str(request.path_params["module"])
        module = programme.module(module_id) if programme else None
        if programme is None or module is None:
            return self.page(request, "error.html", 404, problem="There is no such module.")
        fhir = await self.fhir(session)
        plans = await fhir.search(
            "CarePlan",
            {"subject": f"Patient/{patient}", "identifier": f"{SYSTEM_PROGRAMME}|{programme.id}"},
        )
        plan = plans[0] if plans else build.care_plan(programme.id, patient)
        changed = build.with_module_unlocked(plan, programme.id, module.id, module.title)
        stored = await (fhir.update(changed) if "id" in changed else fhir.create(changed))
        await self.audit(
            fhir,
            session,
            "update" if "id" in changed else "create",
            [f"CarePlan/{stored['id']}", f"Patient/{patient}"],
            programme.id,
            "unlock module",
        )
        session.notices.append(f"Module unlocked: {module.title}.")
        return see_other(client_url(programme.id, patient))

    # -- sign-in -------------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        try:
            endpoints = await self.smart()
        except SmartError:
            return self.page(request, "error.html", 502, problem=NO_SIGN_IN)
        session = self.sessions.new()
        session.login = login_request(self.config, endpoints)
        response = RedirectResponse(session.login.url, status_code=303)
        self.set_cookie(response, session)
        return response

    async def callback(self, request: Request) -> Response:
        session: Session | None = request.state.session
        pending = session.login if session else None
        state = request.query_params.get("state", "")
        code = request.query_params.get("code", "")
        if session is None or pending is None or not hmac.compare_digest(state, pending.state):
            return self.page(request, "error.html", 400, problem=SIGN_IN_AGAIN)
        session.login = None
        if not code:
            return self.page(request, "error.html", 400, problem=SIGN_IN_AGAIN)
        try:
            tokens = await exchange_code(
                self.http, self.config, await self.smart(), code, pending.verifier
            )
        except SmartError:
            return self.page(request, "error.html", 502, problem=SIGN_IN_AGAIN)
        session.tokens = tokens
        session.token_expires = time.monotonic() + tokens.expires_in
        fresh = self.sessions.renew(session)
        response = see_other("/")
        self.set_cookie(response, fresh)
        return response

    async def logout(self, request: Request) -> Response:
        session: Session | None = request.state.session
        if session:
            self.sessions.end(session)
        response = see_other("/")
        response.delete_cookie(COOKIE, path="/")
        return response


def render_template(
    programme: Programme, template_id: str, context: Any, locale: str | None
) -> str:
    """Fill a guidance template for one client in the sandbox; return its Markdown."""

    template = next(t for t in programme.guidance if t.id == template_id)
    sitemap = SiteMap(programme, f"programmes/{programme.id}")

    def section_url(module: str, anchor: str) -> str:
        return sitemap.section_url(module, anchor) or f"{module}/#{anchor}"

    return render_guidance_template(
        template, context, section_url=section_url, locale=locale or programme.source_locale
    ).markdown


def guarded(
    console: Console, handler: Handler, *, signed_in: bool = True, check_caseload: bool = True
) -> Handler:
    """Wrap a handler: find the session, require sign-in, check CSRF on POST, check that the
    client is in the therapist's caseload (unless the handler does), map errors."""

    async def endpoint(request: Request) -> Response:
        session = console.sessions.get(request.cookies.get(COOKIE))
        request.state.session = session
        if session is not None and session.tokens is not None and console.token_ended(session):
            console.sessions.end(session)
            session = request.state.session = None
        if signed_in and (session is None or session.tokens is None):
            return see_other("/")
        if request.method == "POST":
            form = await request.form()
            request.state.form = form
            sent = str(form.get("csrf", ""))
            if session is None or not hmac.compare_digest(sent, session.csrf):
                return console.page(request, "error.html", 403, problem=STALE_FORM)
            origin = request.headers.get("origin")
            if origin is not None and origin != console.config.public_url:
                return console.page(request, "error.html", 403, problem=STALE_FORM)
        for name in ("programme", "patient", "flag", "module"):
            value = request.path_params.get(name)
            if value is not None and not valid_path_id(str(value)):
                return console.page(request, "error.html", 404, problem="Not found.")
        try:
            if check_caseload and "patient" in request.path_params and session is not None:
                refused = await console.outside_caseload(request, session)
                if refused is not None:
                    return refused
            return await handler(request)
        except FhirError as exc:
            if exc.status == 401 and session is not None:
                console.sessions.end(session)
                return see_other("/")
            problem = FHIR_PROBLEMS.get(exc.status, FHIR_PROBLEMS[0])
            return console.page(request, "error.html", 502, problem=problem)
        except SmartError:
            if session is not None:
                console.sessions.end(session)
            return console.page(request, "error.html", 502, problem=SIGN_IN_AGAIN)

    return endpoint


def create_app(
    config: ConsoleConfig,
    programmes: Sequence[Programme],
    *,
    localised: Mapping[str, Mapping[str, Programme]] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Starlette:
    """Make the console's ASGI app.

    ``localised`` maps programme id -> locale -> the programme as published in that locale, so
    a guidance message is filled in from the templates of the client's language.
    """
    console = Console(config, programmes, localised=localised, transport=transport)
    base = "/programmes/{programme}/clients/{patient}"
    routes = [
        Route("/", guarded(console, console.home, signed_in=False)),
        Route("/login", guarded(console, console.login, signed_in=False)),
        Route("/callback", guarded(console, console.callback, signed_in=False)),
        Route("/logout", guarded(console, console.logout, signed_in=False), methods=["POST"]),
        Route(base, guarded(console, console.client)),
        Route(
            f"{base}/guidance",
            guarded(console, console.guidance, check_caseload=False),
            methods=["POST"],
        ),
        Route(
            f"{base}/flags/{{flag}}/acknowledge",
            guarded(console, console.acknowledge),
            methods=["POST"],
        ),
        Route(
            f"{base}/modules/{{module}}/unlock", guarded(console, console.unlock), methods=["POST"]
        ),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await console.http.aclose()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.console = console
    app.add_middleware(SecurityHeaders)
    return app
