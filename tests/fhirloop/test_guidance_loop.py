"""The whole guidance loop, end to end: a client in the connected site, her therapist in the
console, both in chromium (two browser contexts), against the real FHIR and OIDC servers.

Alex signs in to the SAD site (modules opened by the therapist), answers PHQ-9 with item 9
above 0 and saves an exercise, saves again while offline and comes back online. Sam signs in to
the console (set up from the same deploy.yaml as the site): Alex's risk flag is first, with her
answers and scores; he acknowledges it, fills in a guidance template, edits and sends it, and
unlocks the next module. Alex sees the message and the open module. Then the FHIR server is
killed mid-sync on each side, and nothing is lost: the client's save arrives once, and the
therapist's message, kept while the server was down, arrives once.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from browser_thread import BrowserThread
from connected_site import hosted
from console_server import running_console
from fhir_servers import FhirServers, Token
from fhir_validation import assert_valid_r4
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, expect

from icbt_content.loop.contract import CONSOLE_SCOPES, EXT_REPLACES, SYSTEM_PROGRAMME

pytestmark = pytest.mark.browser

CLIENT, NAME = "alex", "Alex Morgan"
SYNCED = re.compile(r"^Everything you saved is sent to Example Talking Therapies\.")
WAITING = re.compile(r"waiting to be sent")
EDIT = "Let's talk on Thursday at 10 about the goals you set."
SECOND = "One more thing: the next module is open for you now."
UNLOCKED = "your-model"


@pytest.fixture(scope="module")
def therapist(fhir_servers: FhirServers) -> Token:
    """Sam's own token, to check on the server what the site and the console wrote."""
    return fhir_servers.sign_in("sam", "icbt-console", CONSOLE_SCOPES)


def wait_synced(page: Page) -> None:
    expect(page.locator("[data-icbt-sync]")).to_have_text(SYNCED, timeout=30_000)


def client_signs_in(page: Page, base: str, servers: FhirServers) -> None:
    page.goto(f"{base}sad/en-GB/connect/")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_label("Username").fill(CLIENT)
    page.get_by_label("Password").fill(servers.users[CLIENT]["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-icbt-connect-status]")).to_have_text(
        "You are signed in to Example Talking Therapies.", timeout=30_000
    )


def answer_phq9(page: Page, base: str, item9: int) -> None:
    page.goto(f"{base}sad/en-GB/introduction/your-questionnaires/")
    form = page.locator("form[data-measure='phq9']")
    for n in range(1, 9):
        form.locator(f"#q-phq9-q{n}-2").check()
    form.locator(f"#q-phq9-q9-{item9 + 1}").check()
    form.get_by_role("button", name="See my score").click()


def save_goal(page: Page, base: str, field: str, text: str, *, go: bool = True) -> None:
    if go:
        page.goto(f"{base}sad/en-GB/introduction/your-goals/")
    form = page.locator("form[data-icbt-exercise='my-goals']")
    form.get_by_label(field).fill(text)
    form.get_by_role("button", name="Save").click()


def therapist_signs_in(page: Page, origin: str, servers: FhirServers) -> None:
    page.goto(origin)
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(servers.users["sam"]["password"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your caseload").wait_for()


def send_message(page: Page, text: str) -> str:
    """Add ``text`` to the message, preview it, send it; return the preview's HTML."""
    box = page.get_by_label("Message")
    box.fill(box.input_value() + "\n\n" + text + "\n")
    page.get_by_role("button", name="Preview edits").click()
    preview = page.locator(".message").inner_html()
    page.get_by_role("button", name="Send to client").click()
    return preview


def kill_after_storing(servers: FhirServers, killed: list[str]) -> Any:
    """A route handler: the first write reaches the server, which dies before answering."""

    def handle(route: Route, request: Request) -> None:
        if request.method in ("POST", "PUT") and not killed:
            answer = route.fetch()
            killed.append(str(answer.status))
            servers.fhir.kill()
            route.abort("connectionreset")
            return
        route.continue_()

    return handle


@pytest.fixture(scope="module")
def loop(
    fhir_servers: FhirServers,
    loop_browser: BrowserThread,
    connected_site: Path,
) -> dict[str, Any]:
    """Run the loop once; return what both sides saw."""
    site, project = connected_site, connected_site.parent / "project"
    seen: dict[str, Any] = {}

    def scenario(browser: Browser) -> None:
        client_context: BrowserContext = browser.new_context()
        therapist_context: BrowserContext = browser.new_context()
        client, console = client_context.new_page(), therapist_context.new_page()
        try:
            with hosted(site) as base, running_console(fhir_servers, project) as origin:
                # The client works: a risk answer, an exercise, a save while offline.
                client_signs_in(client, base, fhir_servers)
                answer_phq9(client, base, item9=1)
                risk = client.locator("[data-risk-alert='q9'] [data-icbt-risk-stage='sent']")
                expect(risk).to_be_visible(timeout=30_000)
                wait_synced(client)
                save_goal(client, base, "Goal 1", "Eat lunch with my team")
                wait_synced(client)
                client_context.set_offline(True)
                save_goal(client, base, "Goal 2", "Speak up once in a meeting", go=False)
                expect(client.locator("[data-icbt-sync]")).to_have_text(WAITING, timeout=10_000)
                client_context.set_offline(False)
                wait_synced(client)

                # The therapist: the risk flag first, then the answers and the scores.
                therapist_signs_in(console, origin, fhir_servers)
                rows = console.locator("#programme-sad ~ table tbody tr")
                seen["caseload"] = [rows.nth(i).inner_text() for i in range(rows.count())]
                console.get_by_role("link", name=NAME).click()
                console.get_by_role("heading", name=NAME, level=1).wait_for()
                client_page = console.url
                seen["first_section"] = console.locator("main h2").first.inner_text()
                seen["risk"] = console.locator("#risk ~ ul.flags").inner_text()
                seen["scores"] = console.locator("#measure-phq9 ~ table").inner_text()
                seen["exercises"] = console.locator("#exercises ~ article").first.inner_text()
                console.get_by_role("button", name="Acknowledge risk flag").click()
                console.get_by_role("status").filter(has_text="acknowledged").wait_for()

                console.get_by_label("Message template").select_option("introduction-complete")
                console.get_by_role("button", name=f"Fill in for {NAME}").click()
                seen["filled"] = console.get_by_label("Message").input_value()
                seen["preview_html"] = send_message(console, EDIT)
                console.get_by_role("status").filter(has_text="Message sent").wait_for()
                module_title = console.get_by_role("row").filter(
                    has=console.locator(f"form[action$='/modules/{UNLOCKED}/unlock']")
                )
                seen["module_row"] = module_title.inner_text()
                module_title.get_by_role("button").click()
                console.get_by_role("status").filter(has_text="Module unlocked").wait_for()

                # The client sees the message and the open module.
                client.goto(f"{base}sad/en-GB/")
                notice = client.locator("[data-icbt-new-messages]")
                expect(notice).to_be_visible(timeout=30_000)
                seen["new_messages"] = notice.inner_text()
                expect(client.locator(f"main li[data-module='{UNLOCKED}']")).not_to_have_class(
                    re.compile("locked"), timeout=30_000
                )
                client.goto(f"{base}sad/en-GB/messages/")
                expect(client.locator(".message-body").first).to_contain_text(EDIT, timeout=30_000)
                seen["client_html"] = client.locator(".message-body").first.inner_html()

                # The server is killed mid-sync on the client's side: stored, never answered.
                killed: list[str] = []
                pattern = re.compile(r".*/fhir/QuestionnaireResponse(/[^/?]+)?(\?.*)?$")
                client.route(pattern, kill_after_storing(fhir_servers, killed))
                save_goal(client, base, "Goal 3", "Go to the book club")
                expect(client.locator("[data-icbt-sync]")).to_have_text(WAITING, timeout=15_000)
                seen["killed"] = list(killed)
                client.unroute(pattern)
                fhir_servers.fhir.start()
                wait_synced(client)

                # ... and on the therapist's side, as he sends a second message.
                console.goto(client_page)
                seen["after_restart"] = console.locator("#exercises ~ article").first.inner_text()
                console.get_by_role("button", name="Write a message without a template").click()
                fhir_servers.fhir.kill()
                try:
                    send_message(console, SECOND)
                    seen["not_sent"] = console.get_by_role("alert").inner_text()
                finally:
                    fhir_servers.fhir.start()
                console.get_by_role("button", name="Send to client").click()
                console.get_by_role("status").filter(has_text="Message sent").wait_for()
                client.goto(f"{base}sad/en-GB/messages/")
                expect(client.locator(".message-body").first).to_contain_text(
                    SECOND, timeout=30_000
                )
                seen["messages"] = client.locator(".message-body").all_inner_texts()
        finally:
            if not fhir_servers.fhir.running:
                fhir_servers.fhir.start()
            client_context.close()
            therapist_context.close()

    loop_browser.run(scenario)
    return seen


def _mine(servers: FhirServers, token: Token, kind: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode({"subject": f"Patient/{CLIENT}", "_count": "200"})
    found = servers.request(token, "GET", f"{kind}?{query}")
    assert found.status == 200, found.body
    resources = [entry["resource"] for entry in found.body.get("entry", [])]
    tag = {"system": SYSTEM_PROGRAMME, "code": "sad"}
    return [r for r in resources if tag in r.get("meta", {}).get("tag", [])]


def test_the_therapist_sees_the_risk_flag_first(loop: dict[str, Any]) -> None:
    rows = loop["caseload"]
    alex = next(i for i, row in enumerate(rows) if row.startswith(NAME))
    assert all("Risk answer not yet acknowledged" in row for row in rows[: alex + 1])
    assert loop["first_section"] == "Risk answers"
    assert "PHQ-9 item 9 (q9): answer 1, above 0" in loop["risk"]


def test_the_therapist_sees_the_answers_and_scores(loop: dict[str, Any]) -> None:
    # Items 1-8 answered 1 ("Several days"), item 9 answered 1: a total of 9, mild.
    assert re.search(r"\t9\tMild\tBelow threshold\t", loop["scores"]), loop["scores"]
    assert "Yes: item q9 = 1" in loop["scores"]
    # The save made offline reached the server and the console.
    assert "Speak up once in a meeting" in loop["exercises"]


def test_the_client_receives_the_edited_message_and_the_open_module(loop: dict[str, Any]) -> None:
    assert loop["filled"].startswith("Hello Alex") or "Alex" in loop["filled"]
    assert loop["new_messages"]
    assert "Unlock" in loop["module_row"]


def test_the_therapists_preview_is_what_the_client_reads(loop: dict[str, Any]) -> None:
    assert loop["preview_html"].strip() == loop["client_html"].strip()
    # The template's section link is relative to the programme's home: the Messages page (one
    # folder below it) makes it a link to that section, and so did the preview.
    link = (
        '<a href="../introduction/your-goals/#your-goals" rel="noopener noreferrer">Your goals</a>'
    )
    assert link in loop["client_html"]
    assert "](" not in loop["client_html"]


def test_nothing_is_lost_when_the_server_is_killed_mid_sync(
    loop: dict[str, Any], fhir_servers: FhirServers, therapist: Token
) -> None:
    assert loop["killed"] == ["201"] or loop["killed"] == ["200"]
    assert "Go to the book club" in loop["after_restart"]
    assert loop["not_sent"].startswith("The message was not sent")
    messages = _mine(fhir_servers, therapist, "Communication")
    texts = [m["payload"][0]["contentString"] for m in messages]
    assert sum(EDIT in t for t in texts) == 1
    assert sum(SECOND in t for t in texts) == 1
    assert sum(SECOND in t for t in loop["messages"]) == 1
    goals = [
        r
        for r in _mine(fhir_servers, therapist, "QuestionnaireResponse")
        if "/exercise/my-goals/" in r["identifier"]["value"]
    ]
    with_answer = [
        r
        for r in goals
        if any(
            a.get("valueString") == "Go to the book club" for i in r["item"] for a in i["answer"]
        )
    ]
    assert with_answer, "the save made while the server died was lost"
    # The update reached the server before it died, so the replayed update meets its own stored
    # version (412): the site's conflict rule keeps both, the copy naming what it did not
    # overwrite. Nothing is dropped, and a twin is traceable to its original.
    first, *copies = sorted(with_answer, key=lambda r: bool(r.get("extension")))
    for copy in copies:
        (replaces,) = [e for e in copy["extension"] if e["url"] == EXT_REPLACES]
        assert replaces["valueReference"]["reference"].startswith(
            f"QuestionnaireResponse/{first['id']}/"
        )


def test_what_both_sides_wrote_is_valid_r4(
    loop: dict[str, Any], fhir_servers: FhirServers, therapist: Token
) -> None:
    for kind in ("QuestionnaireResponse", "Flag", "Communication", "CarePlan"):
        found = _mine(fhir_servers, therapist, kind)
        assert found, kind
        for resource in found:
            assert_valid_r4(resource)
    (flag,) = _mine(fhir_servers, therapist, "Flag")
    assert flag["status"] == "inactive"
