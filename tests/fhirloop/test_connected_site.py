"""A connected site in chromium against the real test servers (issue 12, the client's side).

One client (jordan) signs in on the authorisation server's own page, completes PHQ-9 with
item 9 above 0 (a QuestionnaireResponse and a Flag reach the server at once), saves exercises,
saves while offline and comes back online, and loses nothing when the FHIR server is killed
after storing a response but before answering. Her therapist's message (Markdown, with HTML and a
javascript: link in it) is shown safely, and the module the therapist opens in a CarePlan opens.
Every resource the site wrote is valid R4; no request leaves for any other origin.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_thread import BrowserThread
from connected_site import hosted
from fhir_servers import FhirServers, Token
from fhir_validation import assert_valid_r4
from playwright.sync_api import Browser, Page, Request, Route, expect

from icbt_content.loop import contract

pytestmark = pytest.mark.browser

THERAPIST_SCOPE = "openid fhirUser user/*.cruds"
CLIENT = "jordan"
SYNCED = re.compile(r"^Everything you saved is sent to Example Talking Therapies\.")
WAITING = re.compile(r"waiting to be sent to Example Talking Therapies: 1\.")
AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}
MESSAGE = (
    "Well done on your goals, **Jordan**.\n\n"
    "- Try the [worksheet](https://example.org/worksheet)\n"
    "- Not a link: [click](javascript:alert(1))\n\n"
    "<script>window.hacked = 1</script><img src=x onerror=alert(1)>"
)


#: PHQ-9's Questionnaire as the export names it, and LOINC's "Not at all".
PHQ9 = "https://icbt.test/fhir/Questionnaire/phq9|1.0.0"
NOT_AT_ALL = "LA6568-5"


def item_code(response: dict[str, Any], link_id: str) -> str:
    """The answer code of one item of a response."""
    item = next(i for i in response["item"] if i["linkId"] == link_id)
    return str(item["answer"][0]["valueCoding"]["code"])


def origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="module")
def therapist(fhir_servers: FhirServers) -> Token:
    return fhir_servers.sign_in("sam", "icbt-console", THERAPIST_SCOPE)


def search(servers: FhirServers, token: Token, query: str) -> list[dict[str, Any]]:
    found = servers.request(token, "GET", query)
    assert found.status == 200, found.body
    return [entry["resource"] for entry in found.body.get("entry", [])]


def ours(resources: list[dict[str, Any]], programme: str = "sad") -> list[dict[str, Any]]:
    """The resources the site wrote for this programme (tagged with it)."""
    return [
        r
        for r in resources
        if {"system": contract.SYSTEM_PROGRAMME, "code": programme} in r["meta"].get("tag", [])
    ]


def wait_synced(page: Page) -> None:
    expect(page.locator("[data-icbt-sync]")).to_have_text(SYNCED, timeout=30_000)


def sign_in(page: Page, base: str, servers: FhirServers) -> None:
    page.goto(f"{base}sad/en-GB/connect/")
    page.get_by_role("button", name="Sign in", exact=True).click()
    signed_in = page.locator("[data-icbt-connect-status]").filter(
        has_text="You are signed in to Example Talking Therapies."
    )
    username = page.get_by_label("Username")
    username.or_(signed_in).wait_for(timeout=30_000)
    if username.is_visible():  # a second sign-in may find the provider's session still open
        username.fill(CLIENT)
        page.get_by_label("Password").fill(servers.users[CLIENT]["password"])
        page.get_by_role("button", name="Sign in").click()
    expect(signed_in).to_be_visible(timeout=30_000)


def answer_phq9(page: Page, base: str, item9: int) -> None:
    page.goto(f"{base}sad/en-GB/introduction/your-questionnaires/")
    form = page.locator("form[data-measure='phq9']")
    for n in range(1, 9):
        form.locator(f"#q-phq9-q{n}-2").check()
    form.locator(f"#q-phq9-q9-{item9 + 1}").check()
    form.get_by_role("button", name="See my score").click()


def save_goals(page: Page, base: str, goal: str, *, go: bool = True) -> None:
    if go:
        page.goto(f"{base}sad/en-GB/introduction/your-goals/")
    form = page.locator("form[data-icbt-exercise='my-goals']")
    form.get_by_label("Goal 1").fill(goal)
    form.get_by_role("button", name="Save").click()


@pytest.fixture(scope="module")
def journey(
    fhir_servers: FhirServers,
    loop_browser: BrowserThread,
    therapist: Token,
    connected_site: Path,
) -> Iterator[dict[str, Any]]:
    """Run the client's journey once; return what was seen on the way."""
    site = connected_site
    seen: dict[str, Any] = {"requests": [], "console": [], "site": site}
    fhir = fhir_servers.fhir

    def scenario(browser: Browser) -> None:
        context = browser.new_context()
        page = context.new_page()
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.on("console", lambda m: seen["console"].append(m.text))
        with hosted(site) as base:
            seen["base"] = base
            # Signed out: a risk answer is kept on the device, and the alert says it is not sent.
            answer_phq9(page, base, item9=1)
            alert = page.locator("[data-risk-alert='q9']")
            signed_out = alert.locator("[data-icbt-risk-stage='signed-out']")
            expect(signed_out).to_be_visible(timeout=10_000)
            seen["risk_signed_out"] = signed_out.inner_text()
            seen["footer_before_sign_in"] = page.locator("[data-icbt-sync]").inner_text()
            sign_in(page, base, fhir_servers)
            seen["connect_axe"] = Axe().run(page, options=AXE_RULES)

            # PHQ-9 with item 9 above 0: the alert says how far the answer got.
            answer_phq9(page, base, item9=2)
            alert = page.locator("[data-risk-alert='q9']")
            expect(alert.locator("[data-icbt-risk-stage='sent']")).to_be_visible(timeout=30_000)
            seen["risk_sent"] = alert.inner_text()
            wait_synced(page)

            # An exercise, saved online.
            save_goals(page, base, "Eat lunch with my team")
            wait_synced(page)

            # Offline: saved on the device, waiting; online again: sent.
            context.set_offline(True)
            save_goals(page, base, "Speak up once in a meeting", go=False)
            expect(page.locator("[data-icbt-sync]")).to_have_text(WAITING, timeout=10_000)
            seen["offline_server"] = ours(
                search(fhir_servers, therapist, f"QuestionnaireResponse?subject=Patient/{CLIENT}")
            )
            context.set_offline(False)
            wait_synced(page)
            after = ours(
                search(fhir_servers, therapist, f"QuestionnaireResponse?subject=Patient/{CLIENT}")
            )
            seen["after_online"] = next(
                i["answer"][0]
                for r in after
                if "/exercise/my-goals/" in r["identifier"]["value"]
                for i in r["item"]
                if i["linkId"] == "goal-1"
            )

            # The server stores a response, then dies before answering: nothing lost, no twin.
            killed: list[str] = []

            def store_then_die(route: Route, request: Request) -> None:
                if request.method == "POST" and not killed:
                    answer = route.fetch()
                    killed.append(str(answer.status))
                    fhir.kill()
                    route.abort("connectionreset")
                    return
                route.continue_()

            page.route(re.compile(r".*/fhir/QuestionnaireResponse(\?.*)?$"), store_then_die)
            answer_phq9(page, base, item9=0)
            expect(page.locator("[data-icbt-sync]")).to_have_text(
                re.compile("waiting to be sent"), timeout=15_000
            )
            seen["killed"] = list(killed)
            page.unroute(re.compile(r".*/fhir/QuestionnaireResponse(\?.*)?$"))
            fhir.start()
            wait_synced(page)  # the backoff tries again

            # The server refuses the token (401): the save waits, signed out, until sign-in.
            def bad_token(route: Route, request: Request) -> None:
                headers = {**request.headers, "authorization": "Bearer expired"}
                route.continue_(headers=headers)

            page.route(re.compile(r".*/fhir/QuestionnaireResponse(\?.*)?$"), bad_token)
            page.goto(f"{base}sad/en-GB/introduction/your-goals/")
            form = page.locator("form[data-icbt-exercise='starting-ratings']")
            form.get_by_label("How hopeful do I feel that things can change?").fill("7")
            form.get_by_role("button", name="Save").click()
            expect(page.locator("[data-icbt-sync]")).to_have_text(
                re.compile("^You are not signed in.*waiting to be sent"), timeout=15_000
            )
            seen["refused_server"] = ours(
                search(fhir_servers, therapist, f"QuestionnaireResponse?subject=Patient/{CLIENT}")
            )
            page.unroute(re.compile(r".*/fhir/QuestionnaireResponse(\?.*)?$"))
            sign_in(page, base, fhir_servers)
            wait_synced(page)

            # Someone else changed the exercise's response since this device last saved it:
            # the next save keeps both versions (412 on If-Match, then a new response).
            (goals,) = [
                r
                for r in ours(
                    search(
                        fhir_servers, therapist, f"QuestionnaireResponse?subject=Patient/{CLIENT}"
                    )
                )
                if "/exercise/my-goals/" in r["identifier"]["value"]
            ]
            other = [{"linkId": "goal-2", "answer": [{"valueString": "Saved on my phone"}]}]
            changed = fhir_servers.request(
                therapist, "PUT", f"QuestionnaireResponse/{goals['id']}", {**goals, "item": other}
            )
            assert changed.status == 200, changed.body
            seen["elsewhere"] = changed.body
            save_goals(page, base, "Join the book club")
            wait_synced(page)
            seen["conflict_footer"] = page.locator("[data-icbt-sync]").inner_text()

            # The therapist writes, and opens a module.
            sent = datetime.now(UTC).isoformat(timespec="seconds")
            communication = {
                "resourceType": "Communication",
                "meta": {"tag": [{"system": contract.SYSTEM_PROGRAMME, "code": "sad"}]},
                "status": "completed",
                "category": [{"text": contract.GUIDANCE_CATEGORY}],
                "subject": {"reference": f"Patient/{CLIENT}"},
                "recipient": [{"reference": f"Patient/{CLIENT}"}],
                "sender": {"reference": "Practitioner/sam"},
                "sent": sent,
                "payload": [{"contentString": MESSAGE}],
            }
            assert_valid_r4(communication)
            made = fhir_servers.request(therapist, "POST", "Communication", communication)
            assert made.status == 201, made.body
            plan = {
                "resourceType": "CarePlan",
                "identifier": [{"system": contract.SYSTEM_PROGRAMME, "value": "sad"}],
                "status": "active",
                "intent": "plan",
                "subject": {"reference": f"Patient/{CLIENT}"},
                "activity": [
                    {
                        "detail": {
                            "code": {
                                "coding": [
                                    {"system": contract.SYSTEM_MODULE, "code": f"sad/{module}"}
                                ]
                            },
                            "status": status,
                        }
                    }
                    for module, status in (
                        ("your-model", "scheduled"),
                        ("video-feedback", "not-started"),
                    )
                ],
            }
            assert_valid_r4(plan)
            made = fhir_servers.request(therapist, "POST", "CarePlan", plan)
            assert made.status == 201, made.body

            page.goto(f"{base}sad/en-GB/")
            notice = page.locator("[data-icbt-new-messages]")
            expect(notice).to_be_visible(timeout=30_000)
            seen["new_messages"] = notice.inner_text()
            expect(page.locator("main li[data-module='your-model']")).not_to_have_class(
                re.compile("locked"), timeout=30_000
            )
            seen["locked"] = sorted(
                page.locator("main li[data-module].locked").evaluate_all(
                    "items => items.map(i => i.dataset.module)"
                )
            )
            page.goto(f"{base}sad/en-GB/messages/")
            body = page.locator(".message-body").first
            expect(body).to_contain_text("Well done on your goals", timeout=30_000)
            seen["message_html"] = body.inner_html()
            seen["message_links"] = body.locator("a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            seen["hacked"] = page.evaluate("window.hacked === undefined")
            seen["messages_axe"] = Axe().run(page, options=AXE_RULES)
            page.reload()
            expect(page.locator(".message-body").first).to_be_visible(timeout=30_000)
            page.goto(f"{base}sad/en-GB/")
            page.wait_for_timeout(1500)
            seen["new_after_reading"] = page.locator("[data-icbt-new-messages]").is_hidden()

            # The connected pages in the other locales, signed in (right to left in Arabic).
            for code in ("ar", "zh-Hant-HK"):
                for folder in ("connect", "messages"):
                    page.goto(f"{base}sad/{code}/{folder}/")
                    expect(page.locator("[data-icbt-sync]")).not_to_be_empty(timeout=30_000)
                    seen[f"axe {code} {folder}"] = Axe().run(page, options=AXE_RULES)
                seen[f"dir {code}"] = page.locator("html").get_attribute("dir")

            # Signing out removes the tokens from the browser.
            page.goto(f"{base}sad/en-GB/connect/")
            page.get_by_role("button", name="Sign out").click()
            expect(page.locator("[data-icbt-connect-status]")).to_have_text(
                "You are signed out. Your answers stay on this device."
            )
            seen["session_after_sign_out"] = page.evaluate("Object.keys(sessionStorage)")
            page.goto(f"{base}sad/en-GB/")
            seen["footer_signed_out"] = page.locator("[data-icbt-sync]").inner_text()
        context.close()

    loop_browser.run(scenario)
    yield seen


def test_the_risk_answer_reaches_the_server_with_a_flag(
    journey: dict[str, Any], fhir_servers: FhirServers, therapist: Token
) -> None:
    assert "Sent: Example Talking Therapies has your answer" in journey["risk_sent"]
    assert "within one working day" in journey["risk_sent"]
    responses = ours(
        search(fhir_servers, therapist, f"QuestionnaireResponse?subject=Patient/{CLIENT}")
    )
    phq9 = [r for r in responses if "/measure/phq9/" in r["identifier"]["value"]]
    assert all(r["questionnaire"] == PHQ9 for r in phq9)
    risky = [r for r in phq9 if item_code(r, "q9") != NOT_AT_ALL]
    # One answered before signing in (sent after it), one signed in, one without risk.
    assert len(phq9) == 3 and len(risky) == 2
    flags = ours(search(fhir_servers, therapist, f"Flag?subject=Patient/{CLIENT}"))
    sources = set()
    for flag in flags:
        assert flag["status"] == "active"
        assert flag["code"]["coding"][0] == {
            "system": contract.SYSTEM_FLAG,
            "code": contract.FLAG_RISK_ANSWER,
            "display": "Risk answer",
        }
        assert flag["code"]["text"].startswith("PHQ-9 item 9 (q9): answer ")
        assert flag["category"][0]["coding"][0]["code"] == "safety"
        (extension,) = flag["extension"]
        assert extension["url"] == contract.EXT_FLAG_SOURCE
        sources.add(extension["valueReference"]["reference"])
    assert sources == {f"QuestionnaireResponse/{r['id']}" for r in risky}
    for resource in [*responses, *flags]:
        assert_valid_r4(resource)
        assert resource["subject"] == {"reference": f"Patient/{CLIENT}"}


def test_each_response_has_its_identifier_and_questionnaire(
    journey: dict[str, Any], fhir_servers: FhirServers, therapist: Token
) -> None:
    responses = ours(
        search(fhir_servers, therapist, f"QuestionnaireResponse?subject=Patient/{CLIENT}")
    )
    values = [r["identifier"]["value"] for r in responses]
    assert all(r["identifier"]["system"] == contract.SYSTEM_ANSWER for r in responses)
    assert len(values) == len(set(values)), "a response was stored twice"
    pattern = r"sad/en-GB/(measure|exercise)/[a-z0-9-]+/[0-9a-f-]{32,36}"
    assert all(re.fullmatch(pattern, v) for v in values), values
    goals = [r for r in responses if "/exercise/my-goals/" in r["identifier"]["value"]]
    questionnaire = "https://icbt.test/fhir/Questionnaire/sad-exercise-my-goals|"
    assert all(g["questionnaire"].startswith(questionnaire) for g in goals)
    # Saves of an exercise update its one response, until a conflict (below) forks it.
    assert len(goals) == 2


def test_a_conflicting_save_keeps_both_versions(
    journey: dict[str, Any], fhir_servers: FhirServers, therapist: Token
) -> None:
    elsewhere = journey["elsewhere"]
    responses = ours(
        search(fhir_servers, therapist, f"QuestionnaireResponse?subject=Patient/{CLIENT}")
    )
    goals = {r["id"]: r for r in responses if "/exercise/my-goals/" in r["identifier"]["value"]}
    # The other version is untouched on the server...
    kept = goals.pop(elsewhere["id"])
    assert kept["meta"]["versionId"] == elsewhere["meta"]["versionId"]
    assert kept["item"] == [{"linkId": "goal-2", "answer": [{"valueString": "Saved on my phone"}]}]
    # ...and this device's save is a new response naming the version it did not overwrite.
    (mine,) = goals.values()
    answers = {i["linkId"]: i["answer"][0] for i in mine["item"]}
    assert answers["goal-1"] == {"valueString": "Join the book club"}
    replaced = f"QuestionnaireResponse/{elsewhere['id']}/_history/{elsewhere['meta']['versionId']}"
    assert mine["extension"] == [
        {"url": contract.EXT_REPLACES, "valueReference": {"reference": replaced}}
    ]
    assert mine["identifier"]["value"] != kept["identifier"]["value"]
    assert "both versions are kept" in journey["conflict_footer"]
    assert_valid_r4(mine)


def test_a_risk_answer_while_signed_out_says_it_was_not_sent(journey: dict[str, Any]) -> None:
    assert journey["risk_signed_out"].startswith("You are not signed in, so this answer cannot")
    assert "0300 000 0000" in journey["risk_signed_out"]
    assert journey["footer_before_sign_in"] == (
        "You are not signed in: your answers stay on this device until you sign in. "
        "Saved on this device, waiting to be sent to Example Talking Therapies: 1."
    )


def test_offline_saves_wait_and_are_sent_when_back_online(journey: dict[str, Any]) -> None:
    # While offline, the server still had the online save only; the offline one came after.
    goals = [
        r for r in journey["offline_server"] if "/exercise/my-goals/" in r["identifier"]["value"]
    ]
    answers = {i["linkId"]: i["answer"][0] for g in goals for i in g["item"]}
    assert answers["goal-1"] == {"valueString": "Eat lunch with my team"}
    assert journey["after_online"] == {"valueString": "Speak up once in a meeting"}


def test_a_server_killed_mid_sync_loses_nothing(
    journey: dict[str, Any], fhir_servers: FhirServers, therapist: Token
) -> None:
    assert journey["killed"] == ["201"], "the server stored the response, then died"
    responses = ours(
        search(fhir_servers, therapist, f"QuestionnaireResponse?subject=Patient/{CLIENT}")
    )
    phq9 = [r for r in responses if "/measure/phq9/" in r["identifier"]["value"]]
    calm = [r for r in phq9 if item_code(r, "q9") == NOT_AT_ALL]
    assert len(calm) == 1, "sent again after the restart, and stored once"


def test_a_refused_token_signs_out_and_the_save_waits_for_the_next_sign_in(
    journey: dict[str, Any], fhir_servers: FhirServers, therapist: Token
) -> None:
    def ratings(responses: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in responses if "/exercise/starting-ratings/" in r["identifier"]["value"]]

    assert ratings(journey["refused_server"]) == []
    responses = ours(
        search(fhir_servers, therapist, f"QuestionnaireResponse?subject=Patient/{CLIENT}")
    )
    (stored,) = ratings(responses)
    answers = {i["linkId"]: i["answer"][0] for i in stored["item"]}
    assert answers["hope"] == {"valueInteger": 7}
    assert_valid_r4(stored)


def test_messages_are_shown_safely_and_counted_on_the_home_page(journey: dict[str, Any]) -> None:
    assert journey["new_messages"] == "New messages from your therapist: 1"
    html = journey["message_html"]
    assert "<strong>Jordan</strong>" in html
    # The HTML the therapist typed is shown as text, never made into elements.
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert journey["message_links"] == ["https://example.org/worksheet"]
    assert journey["hacked"] is True
    assert journey["new_after_reading"] is True


def test_the_module_the_therapist_opened_opens(journey: dict[str, Any]) -> None:
    assert "your-model" not in journey["locked"]
    assert "video-feedback" in journey["locked"]  # listed, but not "scheduled"
    assert "self-focus-experiment" in journey["locked"]  # not listed


def test_signing_out_clears_the_tokens(journey: dict[str, Any]) -> None:
    assert journey["session_after_sign_out"] == []
    assert journey["footer_signed_out"].startswith("You are not signed in")


def test_connect_and_messages_pages_pass_axe(journey: dict[str, Any]) -> None:
    names = ["connect_axe", "messages_axe", *(k for k in journey if k.startswith("axe "))]
    assert len(names) == 6
    for name in names:
        assert journey[name].violations_count == 0, (name, journey[name].generate_report())
    assert journey["dir ar"] == "rtl" and journey["dir zh-Hant-HK"] == "ltr"


def test_no_request_leaves_for_another_origin(
    journey: dict[str, Any], fhir_servers: FhirServers
) -> None:
    origins = {origin(url) for url in journey["requests"] if not url.startswith("data:")}
    assert origins == {origin(journey["base"]), origin(fhir_servers.fhir_base), fhir_servers.issuer}
    assert not [t for t in journey["console"] if "Content Security Policy" in t]
