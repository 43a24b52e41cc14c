"""The therapist console in chromium, against the real FHIR and OpenID Connect servers.

Two clients on the SAD programme have worked in the site (their resources are written with their
own SMART tokens, shaped as the guidance-loop contract says): Robin's PHQ-9 got reliably worse
and she answered item 9 above 0, so the site raised a risk flag; Kim, who uses the site in
Traditional Chinese, has not been active for ten days. Sam, their therapist, signs in on the
authorisation server's own page, finds Robin before Kim,
reads her scores and exercise answers, acknowledges the flag, unlocks a module and sends guidance
filled in from a template and edited. Every write is checked on the server and against R4.
"""

from __future__ import annotations

import logging
import re
import urllib.parse
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_thread import BrowserThread
from console_server import running_console, sample_programmes
from fhir_servers import FhirServers, Token
from fhir_validation import assert_valid_r4
from loop_seed import (
    ago,
    client_token,
    exercise_response,
    measure_response,
    risk_flag,
    store,
)
from playwright.sync_api import Browser, Page, Request

from icbt_content.loop.contract import CONSOLE_SCOPES, SYSTEM_MODULE, SYSTEM_PROGRAMME

pytestmark = pytest.mark.browser

PHQ9_START = {f"q{n}": 1 for n in range(1, 10)} | {"q9": 0}  # total 8
PHQ9_NOW = {f"q{n}": 2 for n in range(1, 10)} | {"q9": 1}  # total 17, item 9 above 0
EXERCISE_ANSWERS = {
    "situation": "Asking a question in the team meeting",
    "thoughts": "They will see I am <b>nervous</b>",
}
EDIT = "I will call you on Thursday at 10."


@pytest.fixture(scope="module")
def therapist(fhir_servers: FhirServers) -> Token:
    """Sam's own token, to check on the server what the console wrote."""
    return fhir_servers.sign_in("sam", "icbt-console", CONSOLE_SCOPES)


@pytest.fixture(scope="module")
def seeded(fhir_servers: FhirServers) -> dict[str, Any]:
    """Robin's and Kim's work on the SAD programme, written as the site would."""
    sad = next(p for p in sample_programmes()[0] if p.id == "sad")
    phq9 = next(m for m in sad.measures if m.id == "phq9")
    exercise = next(e for p in sad.modules[1].pages for e in p.exercises())
    robin, kim = client_token(fhir_servers, "robin"), client_token(fhir_servers, "kim")
    store(fhir_servers, robin, measure_response("sad", "robin", phq9, PHQ9_START, ago(14)))
    latest = store(fhir_servers, robin, measure_response("sad", "robin", phq9, PHQ9_NOW, ago(0.1)))
    flag = store(
        fhir_servers,
        robin,
        risk_flag("sad", "robin", latest["id"], "PHQ-9 item 9 (thoughts of self-harm) answered 1"),
    )
    store(
        fhir_servers,
        robin,
        exercise_response("sad", "robin", exercise, EXERCISE_ANSWERS, ago(0.05)),
    )
    # Kim uses the site in Traditional Chinese (Hong Kong).
    store(
        fhir_servers,
        kim,
        measure_response("sad", "kim", phq9, PHQ9_START, ago(10), locale="zh-Hant-HK"),
    )
    # Someone in no care team of Sam's, with work on the programme.
    therapist = fhir_servers.sign_in("sam", "icbt-console", CONSOLE_SCOPES)
    stranger = {"resourceType": "Patient", "id": "stranger", "name": [{"text": "Sky Stranger"}]}
    put = fhir_servers.request(therapist, "PUT", "Patient/stranger", stranger)
    assert put.status in (200, 201), put.body
    store(
        fhir_servers,
        therapist,
        measure_response("sad", "stranger", phq9, PHQ9_NOW, ago(1)),
    )
    return {"flag": flag, "exercise": exercise, "module": sad.modules[2]}


def sign_in(page: Page, origin: str, servers: FhirServers) -> str:
    """Sign Sam in through the console and the authorisation server's page; return its URL."""
    page.goto(origin)
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(servers.users["sam"]["password"])
    login_url = page.url
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your caseload").wait_for()
    return login_url


@pytest.fixture(scope="module")
def visit(
    fhir_servers: FhirServers, loop_browser: BrowserThread, seeded: dict[str, Any]
) -> dict[str, Any]:
    """Sam's whole visit, run once; what the pages showed, the requests, the cookies, the logs."""
    logged = LogRecords()
    logging.getLogger().addHandler(logged)
    previous_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        return _visit(fhir_servers, loop_browser, seeded) | {"logs": logged.lines}
    finally:
        logging.getLogger().removeHandler(logged)
        logging.getLogger().setLevel(previous_level)


class LogRecords(logging.Handler):
    """Every log line written while the console runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _visit(
    fhir_servers: FhirServers, loop_browser: BrowserThread, seeded: dict[str, Any]
) -> dict[str, Any]:
    with running_console(fhir_servers) as origin:

        def scenario(browser: Browser) -> dict[str, Any]:
            context = browser.new_context()
            requests: list[str] = []
            seen: dict[str, Any] = {"origin": origin, "requests": requests}

            def record(request: Request) -> None:
                requests.append(request.url)

            try:
                page = context.new_page()
                page.on("request", record)
                seen["login"] = sign_in(page, origin, fhir_servers)
                seen["cookies"] = context.cookies(origin)
                rows = page.locator("#programme-sad ~ table tbody tr")
                seen["caseload"] = [rows.nth(i).inner_text() for i in range(rows.count())]
                seen["caseload_axe"] = Axe().run(page)
                seen["first_tab"] = _first_tab(page)

                page.get_by_role("link", name="Robin Shah").click()
                page.get_by_role("heading", name="Robin Shah", level=1).wait_for()
                seen["client_url"] = page.url
                seen["scores"] = page.locator("#measure-phq9 ~ table").inner_text()
                seen["outcome"] = page.locator("p.outcome").inner_text()
                seen["chart"] = page.locator("#measure-phq9 ~ svg").get_attribute("aria-labelledby")
                seen["exercises"] = page.locator("#exercises ~ article").first.inner_text()
                seen["risk"] = page.locator("#risk ~ ul.flags").inner_text()
                seen["notes"] = page.locator("#notes + .notes").inner_text()
                seen["pages"] = page.locator("ol.pages").inner_text()
                seen["client_axe"] = Axe().run(page)

                # A client outside Sam's care teams is neither listed nor shown.
                stranger = page.request.get(seen["client_url"].replace("/robin", "/stranger"))
                seen["stranger"] = (stranger.status, "Sky Stranger" in stranger.text())

                # A form posted with another page's (or no) CSRF token is refused.
                forged = page.request.post(
                    f"{page.url}/flags/{seeded['flag']['id']}/acknowledge",
                    form={"csrf": "not-the-token"},
                    max_redirects=0,
                )
                seen["forged"] = forged.status

                page.get_by_role("button", name="Acknowledge risk flag").click()
                page.get_by_role("status").filter(has_text="acknowledged").wait_for()
                seen["after_ack"] = page.locator("#risk ~ p").first.inner_text()

                module = seeded["module"]
                page.get_by_role("button", name=f"Unlock {module.title}").click()
                page.get_by_role("status").filter(has_text="Module unlocked").wait_for()
                row = page.get_by_role("row").filter(has_text=module.title)
                seen["unlocked_row"] = row.inner_text()

                page.get_by_label("Message template").select_option("scores-worse")
                page.get_by_role("button", name="Fill in for Robin Shah").click()
                page.get_by_role("heading", name="Preview: what the client will read").wait_for()
                seen["guidance_url"] = page.url
                seen["filled"] = page.get_by_label("Message").input_value()
                seen["guidance_axe"] = Axe().run(page)
                box = page.get_by_label("Message")
                box.fill(box.input_value() + "\n\n" + EDIT + "\n")
                page.get_by_role("button", name="Preview edits").click()
                seen["edited_preview"] = page.locator(".message").inner_text()
                draft = page.locator("input[name=draft]").get_attribute("value")
                csrf = page.locator("input[name=csrf]").first.get_attribute("value")
                final_text = page.get_by_label("Message").input_value()

                # The FHIR server goes down as Sam sends: the message is not lost, the text is kept.
                fhir_servers.fhir.kill()
                try:
                    page.get_by_role("button", name="Send to client").click()
                    seen["down_alert"] = page.get_by_role("alert").inner_text()
                    seen["kept"] = page.get_by_label("Message").input_value()
                finally:
                    fhir_servers.fhir.start()
                page.get_by_role("button", name="Send to client").click()
                page.get_by_role("status").filter(has_text="Message sent").wait_for()
                # The same draft sent again (a double click, a resent form) is not sent twice.
                again = page.request.post(
                    f"{seen['client_url']}/guidance",
                    form={"csrf": csrf, "action": "send", "draft": draft, "markdown": final_text},
                    max_redirects=0,
                )
                seen["sent_again"] = again.status

                page.get_by_role("link", name="Caseload").click()
                page.get_by_role("link", name="Kim Nguyen").click()
                # Keyboard only: Tab to the first Unlock button and press Enter.
                seen["keyboard_unlock"] = _tab_to(page, "Unlock Getting started")
                page.keyboard.press("Enter")
                page.get_by_role("status").filter(has_text="Module unlocked").wait_for()
                page.get_by_label("Message template").select_option("welcome")
                page.get_by_role("button", name="Fill in for Kim Nguyen").click()
                seen["kim_filled"] = page.get_by_label("Message").input_value()

                page.get_by_role("button", name="Sign out").click()
                page.get_by_role("link", name="Sign in").wait_for()
                seen["after_sign_out"] = page.request.get(
                    seen["client_url"], max_redirects=0
                ).status
                return seen
            finally:
                context.close()

        return loop_browser.run(scenario)


def _first_tab(page: Page) -> str:
    page.keyboard.press("Tab")
    return str(page.evaluate("document.activeElement.textContent")).strip()


def _tab_to(page: Page, name: str, most: int = 80) -> int:
    """Press Tab until the focused element's text is ``name``; return how many presses."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if str(page.evaluate("document.activeElement.textContent")).split() == name.split():
            return presses
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def _search(servers: FhirServers, token: Token, query: str) -> list[dict[str, Any]]:
    found = servers.request(token, "GET", query)
    assert found.status == 200, found.body
    return [entry["resource"] for entry in found.body.get("entry", [])]


def test_the_therapist_signs_in_on_the_authorisation_servers_page(
    visit: dict[str, Any], fhir_servers: FhirServers
) -> None:
    assert visit["login"].startswith(fhir_servers.issuer + "/interaction/")


def test_the_client_with_a_risk_answer_comes_first(visit: dict[str, Any]) -> None:
    rows = visit["caseload"]
    robin = next(i for i, row in enumerate(rows) if row.startswith("Robin Shah"))
    kim = next(i for i, row in enumerate(rows) if row.startswith("Kim Nguyen"))
    assert kim > robin
    # Other tests' clients share the servers: whoever comes before Robin has a risk answer too.
    assert all("Risk answer not yet acknowledged" in row for row in rows[: robin + 1])
    assert "Reliable deterioration on Patient Health Questionnaire (PHQ-9)" in rows[robin]
    assert "No activity for 10 days" in rows[kim]


def test_only_clients_in_the_therapists_care_teams_are_shown(visit: dict[str, Any]) -> None:
    assert not [row for row in visit["caseload"] if row.startswith("Sky Stranger")]
    assert visit["stranger"] == (404, False)


def test_scores_show_bands_caseness_and_reliable_change(visit: dict[str, Any]) -> None:
    table = visit["scores"]
    assert re.search(r"\t8\tMild\tBelow threshold\t", table), table
    assert re.search(r"\t17\tModerately severe\tCase\tReliable deterioration\t", table), table
    assert "Yes: item q9 = 1" in table
    assert visit["chart"] == "chart-phq9-title chart-phq9-desc"
    # Robin has no SPIN scores yet: recovery is not guessed from PHQ-9 alone.
    assert "Recovery cannot be worked out yet: there are no scores of 'spin'" in visit["outcome"]


def test_exercise_answers_come_with_their_questions(
    visit: dict[str, Any], seeded: dict[str, Any]
) -> None:
    shown = visit["exercises"]
    labels = {f.id: f.label for f in seeded["exercise"].fields}
    assert seeded["exercise"].title in shown
    assert f"{labels['situation']}\nAsking a question in the team meeting" in shown
    # A client's answer is text, never HTML.
    assert "They will see I am <b>nervous</b>" in shown


def test_progress_shows_the_current_modules_pages(
    visit: dict[str, Any], seeded: dict[str, Any]
) -> None:
    exercise = seeded["exercise"]
    module = next(m for m in sample_programmes()[0] if m.id == "sad").modules[1]
    page = next(p for p in module.pages if exercise in list(p.exercises()))
    total = len(list(page.exercises()))
    assert f"{page.title} — 1 of {total} exercises saved" in visit["pages"]
    assert len(visit["pages"].splitlines()) == len(module.pages)


def test_the_risk_flag_is_acknowledged_with_one_click(
    visit: dict[str, Any], fhir_servers: FhirServers, therapist: Token, seeded: dict[str, Any]
) -> None:
    assert "PHQ-9 item 9" in visit["risk"]
    assert visit["after_ack"] == "No unacknowledged risk answers."
    flag = fhir_servers.request(therapist, "GET", f"Flag/{seeded['flag']['id']}").body
    assert flag["status"] == "inactive"
    assert flag["period"]["end"]
    assert_valid_r4(flag)


def test_a_forged_form_changes_nothing(visit: dict[str, Any]) -> None:
    assert visit["forged"] == 403


def test_the_module_is_unlocked_in_the_care_plan(
    visit: dict[str, Any], fhir_servers: FhirServers, therapist: Token, seeded: dict[str, Any]
) -> None:
    module = seeded["module"]
    assert visit["unlocked_row"].endswith("Yes")
    query = urllib.parse.urlencode(
        {"subject": "Patient/robin", "identifier": f"{SYSTEM_PROGRAMME}|sad"}
    )
    plans = _search(fhir_servers, therapist, f"CarePlan?{query}")
    assert len(plans) == 1
    plan = plans[0]
    assert_valid_r4(plan)
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    details = [a["detail"] for a in plan["activity"]]
    assert {
        "system": SYSTEM_MODULE,
        "code": f"sad/{module.id}",
        "display": module.title,
    } in [c for d in details for c in d["code"]["coding"]]
    assert all(d["status"] == "scheduled" for d in details)


def test_guidance_is_filled_in_edited_and_sent(
    visit: dict[str, Any], fhir_servers: FhirServers, therapist: Token
) -> None:
    assert visit["filled"].startswith("Hello Robin,")
    assert EDIT in visit["edited_preview"]
    messages = _search(fhir_servers, therapist, "Communication?subject=Patient/robin")
    sent = [m for m in messages if EDIT in m["payload"][0]["contentString"]]
    assert len(sent) == 1
    message = sent[0]
    assert_valid_r4(message)
    assert message["status"] == "completed"
    assert message["category"] == [{"text": "guidance"}]
    assert message["sender"] == {"reference": "Practitioner/sam"}
    assert message["recipient"] == [{"reference": "Patient/robin"}]
    assert message["payload"][0]["contentString"].startswith(visit["filled"].strip())
    assert {"system": SYSTEM_PROGRAMME, "code": "sad"} in message["meta"]["tag"]


def test_a_message_is_kept_when_the_server_is_down_and_never_sent_twice(
    visit: dict[str, Any],
) -> None:
    assert visit["down_alert"].startswith("The message was not sent")
    assert EDIT in visit["kept"]
    assert visit["sent_again"] == 303
    # test_guidance_is_filled_in_edited_and_sent finds exactly one message on the server.


def test_guidance_is_filled_in_in_the_clients_language(visit: dict[str, Any]) -> None:
    assert visit["kim_filled"].startswith("Kim，你好！")
    assert "Sam Okafor" in visit["kim_filled"]


def test_every_action_is_an_audit_event(
    visit: dict[str, Any], fhir_servers: FhirServers, therapist: Token
) -> None:
    events = _search(fhir_servers, therapist, "AuditEvent?_count=200")
    mine = [e for e in events if e["agent"][0]["who"] == {"reference": "Practitioner/sam"}]
    for event in mine:
        assert_valid_r4(event)
    done = {e["outcomeDesc"] for e in mine}
    assert {"view client", "acknowledge risk flag", "unlock module", "send guidance"} <= done
    # Other test modules' therapists may have sent guidance to their own clients on this server.
    sent = [
        [entity["what"]["reference"] for entity in e["entity"]]
        for e in mine
        if e["outcomeDesc"] == "send guidance"
    ]
    to_robin = [touched for touched in sent if "Patient/robin" in touched]
    assert to_robin and all(touched[0].startswith("Communication/") for touched in to_robin)


def test_pages_pass_axe(visit: dict[str, Any]) -> None:
    for name in ("caseload_axe", "client_axe", "guidance_axe"):
        assert visit[name].violations_count == 0, visit[name].generate_report()


def test_the_keyboard_starts_at_the_skip_link_and_reaches_the_actions(
    visit: dict[str, Any],
) -> None:
    assert visit["first_tab"] == "Skip to content"
    assert visit["keyboard_unlock"] > 0


def test_the_session_cookie_is_http_only_and_same_site(visit: dict[str, Any]) -> None:
    # Cookies are not kept apart by port: the authorisation server's are there too.
    (cookie,) = [c for c in visit["cookies"] if c["name"] == "icbt_console"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    # Secure is left off only because this console runs on 127.0.0.1 (see the settings test).
    assert cookie["secure"] is False


def test_no_data_in_urls_and_no_third_party_requests(
    visit: dict[str, Any], fhir_servers: FhirServers
) -> None:
    origins = {
        "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(url)) for url in visit["requests"]
    }
    assert origins <= {visit["origin"], fhir_servers.issuer}
    for url in visit["requests"]:
        if url.startswith(visit["origin"]):
            parts = urllib.parse.urlsplit(url)
            assert not parts.query or parts.path == "/callback", url
            assert "Robin" not in url and "Shah" not in url


def test_signing_out_ends_the_session(visit: dict[str, Any]) -> None:
    assert visit["after_sign_out"] == 303


def test_nothing_clinical_is_logged(visit: dict[str, Any]) -> None:
    assert visit["logs"], "the console wrote no log at all: is logging captured?"
    text = "\n".join(visit["logs"])
    for secret in ("Robin", "Shah", "team meeting", "nervous", EDIT, "item 9", "access_token"):
        assert secret not in text
