"""deploy.yaml's FHIR connection (issue 12): settings, the connected site's CSP and assets.

The diagnostics ICBT920-925 have fixtures in tests/fixtures/diagnostics/deploy-*.txt; the site in
a browser against real servers is tested in tests/fhirloop/test_connected_site.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from icbt_content.deployment import load_deployment
from icbt_content.export.exercises import exercise_questionnaire
from icbt_content.loop import contract
from icbt_content.loop.checks import address_problem, missing_permissions
from icbt_content.loop.connected_site import connected_csp
from icbt_content.model.deployment import FhirConnection, wording
from icbt_content.pipeline import build_site
from icbt_content.pipeline.check import check_project
from icbt_content.pipeline.headers import FILE_CSP, worker_reachable
from icbt_content.render.environment import CSP

REPO = Path(__file__).resolve().parent.parent
DEPLOY = """\
connection: fhir
fhir:
  base_url: https://fhir.example.nhs.uk/r4
  authorization_server: https://login.example.nhs.uk/oauth2
  client_id: icbt-site
  console_client_id: icbt-console
  canonical_base: https://icbt.example.nhs.uk/fhir
service:
  name: Example Talking Therapies
  contact: "0300 000 0000"
  risk_response: {en-GB: one working day, ar: يوم عمل واحد, zh-Hant-HK: 一個工作天}
  risk_response_hours: 24
"""
CONNECT_SRC = "connect-src https://fhir.example.nhs.uk https://login.example.nhs.uk"


def project(root: Path, deploy: str | None) -> Path:
    shutil.copytree(REPO / "programmes" / "sad", root / "programmes" / "sad")
    (root / "locales" / "en-GB").mkdir(parents=True)
    shutil.copy(REPO / "locales" / "en-GB" / "locale.yaml", root / "locales" / "en-GB")
    if deploy is not None:
        (root / "deploy.yaml").write_text(deploy, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The SAD sample in English, built connected and unconnected."""
    built = {}
    for name, deploy in (("fhir", DEPLOY), ("none", None)):
        root = project(tmp_path_factory.mktemp(name), deploy)
        report = build_site(root, root / "site")
        assert report.ok and not report.diagnostics.errors, [d.format() for d in report.diagnostics]
        built[name] = root / "site"
    return built


def meta_csp(page: Path) -> str:
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page.read_text())
    assert found
    return found.group(1).replace("&#39;", "'")


def page_data(page: Path) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" data-icbt-page>(.*?)</script>', page.read_text()
    )
    assert found
    return dict(json.loads(found.group(1)))


def test_the_default_deployment_sends_nothing(tmp_path: Path) -> None:
    deployment, problems = load_deployment(tmp_path)
    assert deployment.connection == "none" and deployment.fhir is None and problems == []


def test_a_fhir_deployment_loads_without_problems(tmp_path: Path) -> None:
    (tmp_path / "deploy.yaml").write_text(DEPLOY, encoding="utf-8")
    deployment, problems = load_deployment(tmp_path)
    assert problems == []
    assert deployment.connection == "fhir"
    assert deployment.fhir is not None and deployment.fhir.scopes == contract.CLIENT_SCOPES


def test_a_deployment_with_errors_falls_back_to_sending_nothing(tmp_path: Path) -> None:
    (tmp_path / "deploy.yaml").write_text(DEPLOY.replace("https://fhir", "http://fhir"), "utf-8")
    deployment, problems = load_deployment(tmp_path)
    assert [p.code for p in problems] == ["ICBT921"]
    assert deployment.connection == "none"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://fhir.example.org/r4", True),
        ("http://127.0.0.1:8080/fhir", True),
        ("http://localhost:8080/fhir", True),
        ("http://fhir.example.org/r4", False),
        ("ftp://fhir.example.org", False),
        ("https://fhir.example.org/r4?x=1", False),
        ("https://user:pw@fhir.example.org/r4", False),
        ("fhir.example.org", False),
    ],
)
def test_server_addresses(url: str, allowed: bool) -> None:
    assert (address_problem(url) == "") is allowed


@pytest.mark.parametrize(
    ("scopes", "missing"),
    [
        (contract.CLIENT_SCOPES, []),
        ("patient/*.read patient/*.write", []),
        ("patient/*.cruds", []),
        ("patient/QuestionnaireResponse.cru patient/Flag.c", ["Communication", "CarePlan"]),
    ],
)
def test_client_scopes(scopes: str, missing: list[str]) -> None:
    from icbt_content.loop.checks import CLIENT_NEEDS

    assert sorted({kind for _, kind, _ in missing_permissions(scopes, CLIENT_NEEDS)}) == sorted(
        missing
    )


def test_service_wording_per_locale() -> None:
    given = {"en-GB": "one working day", "ar": "يوم عمل واحد"}
    assert wording(given, "en-GB") == "one working day"
    assert wording(given, "ar-EG") == "يوم عمل واحد"
    assert wording("two days", "zh-Hant-HK") == "two days"


def test_the_connected_csp_opens_connect_src_to_the_two_origins_only(
    sites: dict[str, Path],
) -> None:
    site = sites["fhir"]
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        csp = meta_csp(page)
        assert CONNECT_SRC + ";" in csp, page
        assert csp == CSP.replace("connect-src 'none'", CONNECT_SRC)
    headers = (site / "_headers").read_text(encoding="utf-8")
    # The /* policy is the pages' one, with 'self' for the service worker it also reaches.
    assert f"/*\n  Content-Security-Policy: {worker_reachable(meta_csp(pages[0]))}\n" in headers
    # Everything that is not a page still loads nothing and runs nothing.
    assert f"/assets/*\n  Content-Security-Policy: {FILE_CSP}\n" in headers


def test_the_same_origin_is_named_once() -> None:
    fhir = FhirConnection(
        base_url="https://ehr.example.org/fhir",
        authorization_server="https://ehr.example.org/auth",
        client_id="a",
        console_client_id="b",
    )
    assert "connect-src https://ehr.example.org;" in connected_csp(CSP, fhir)


def test_an_unconnected_site_is_unchanged(sites: dict[str, Path]) -> None:
    site = sites["none"]
    assert all("connect-src 'none'" in meta_csp(p) for p in site.rglob("*.html"))
    assert not (site / "assets" / "vendor").exists() and not (site / "assets" / "loop").exists()
    assert not (site / "sad" / "en-GB" / "connect").exists()
    home = (site / "sad" / "en-GB" / "index.html").read_text(encoding="utf-8")
    assert "Nothing is sent over the internet." in home and "fhir-client" not in home
    assert "loop" not in page_data(site / "sad" / "en-GB" / "index.html")


def test_a_connected_site_ships_its_scripts_and_the_smart_client(sites: dict[str, Path]) -> None:
    site = sites["fhir"]
    vendored = REPO / "src/icbt_content/render/static/vendor/fhirclient/fhir-client.min.js"
    copied = site / "assets" / "vendor" / "fhirclient" / "fhir-client.min.js"
    assert copied.read_bytes() == vendored.read_bytes()
    assert (site / "assets" / "vendor" / "fhirclient" / "LICENSE").is_file()
    assert (site / "assets" / "loop" / "connect.js").is_file()
    home = (site / "sad" / "en-GB" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../../assets/vendor/fhirclient/fhir-client.min.js"></script>' in home
    assert '<script type="module" src="../../assets/loop/connect.js"></script>' in home
    assert "data-icbt-new-messages" in home
    for folder in ("connect", "messages"):
        assert (site / "sad" / "en-GB" / folder / "index.html").is_file()


def test_no_page_names_another_origin(sites: dict[str, Path]) -> None:
    # Besides the CSP and the page data (what connect.js talks to), no page refers elsewhere.
    for page in sites["fhir"].rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
        text = re.sub(r"<script type=\"application/json\"[^>]*>.*?</script>", "", text, flags=re.S)
        assert not re.findall(r'(?:src|href)="(?:https?:)?//', text), page


def test_the_page_data_says_how_answers_become_responses(sites: dict[str, Path]) -> None:
    data = page_data(sites["fhir"] / "sad/en-GB/introduction/your-questionnaires/index.html")
    loop = data["loop"]
    assert loop["fhir"] == "https://fhir.example.nhs.uk/r4"
    assert loop["clientId"] == "icbt-site" and loop["scope"] == contract.CLIENT_SCOPES
    assert loop["systems"]["answer"] == contract.SYSTEM_ANSWER
    phq9 = loop["answers"]["measure"]["phq9"]
    assert phq9["url"] == "https://icbt.example.nhs.uk/fhir/Questionnaire/phq9|1.0.0"
    assert phq9["risk"] == {"q9": {"above": 0, "number": 9}}
    assert phq9["codings"]["q9"]["0"]["code"] == "LA6568-5"
    assert data["storage"]["sync"] == "icbt/v1/sad/sync"
    goals = page_data(sites["fhir"] / "sad/en-GB/introduction/your-goals/index.html")
    exercise = goals["loop"]["answers"]["exercise"]["my-goals"]
    assert exercise["url"].startswith(
        "https://icbt.example.nhs.uk/fhir/Questionnaire/sad-exercise-my-goals|"
    )
    assert exercise["fields"]["goal-1"]["value"] == "valueString"


def test_the_risk_alert_is_staged_and_names_the_service(sites: dict[str, Path]) -> None:
    page = sites["fhir"] / "sad/en-GB/introduction/your-questionnaires/index.html"
    text = page.read_text(encoding="utf-8")
    stages = re.findall(r'data-icbt-risk-stage="([a-z-]+)"', text)
    assert stages[:5] == ["before", "sending", "sent", "waiting", "signed-out"]
    # Until connect.js runs signed in, the page promises nothing: "not signed in" shows.
    shown = re.findall(r'data-icbt-risk-stage="([a-z-]+)">', text)
    assert set(shown) == {"signed-out"}
    assert "Example Talking Therapies aims to contact" not in text  # says "The service aims"
    assert "The service aims to contact you within one working day." in text
    assert "0300 000 0000" in text
    # With the locale's crisis lines, not only a link to them.
    assert 'class="risk-lines"' in text and "Samaritans" in text


@pytest.mark.parametrize("programme", ["sad", "ptsd"])
def test_exercise_questionnaires_are_valid_fhir(programme: str) -> None:
    (loaded,) = check_project(REPO, [programme])
    assert loaded.programme is not None
    exercises = list(loaded.programme.exercises())
    assert exercises
    for exercise in exercises:
        resource = exercise_questionnaire(loaded.programme, exercise, base_url="https://x.test")
        Questionnaire.model_validate(resource)
        assert resource["id"] == contract.exercise_questionnaire_id(programme, exercise.id)
        assert resource["url"] == f"https://x.test/Questionnaire/{resource['id']}"
        assert [i["linkId"] for i in resource["item"]] == [f.id for f in exercise.fields]


def test_every_locale_is_published_connected_with_its_own_words(tmp_path: Path) -> None:
    # The fhir risk wording is safety advice: a locale without it would not be published
    # (ICBT807). zh-Hant-HK and ar have it, with the service's wording in their language.
    root = tmp_path / "project"
    for part in ("programmes", "locales"):
        shutil.copytree(REPO / part, root / part)
    (root / "deploy.yaml").write_text(DEPLOY, encoding="utf-8")
    report = build_site(root, root / "site", programmes=["sad"])
    assert report.ok and not report.diagnostics.errors
    assert not [d for d in report.diagnostics if d.code == "ICBT807"]
    assert report.locales["sad"] == ["en-GB", "ar", "zh-Hant-HK"]
    arabic = (root / "site/sad/ar/introduction/your-questionnaires/index.html").read_text("utf-8")
    assert "تسعى الخدمة إلى التواصل معك خلال يوم عمل واحد." in arabic
    # A response in Arabic answers the Arabic Questionnaire the export writes (phq9-ar).
    phq9 = page_data(root / "site/sad/ar/introduction/your-questionnaires/index.html")
    url = phq9["loop"]["answers"]["measure"]["phq9"]["url"]
    assert url == "https://icbt.example.nhs.uk/fhir/Questionnaire/phq9-ar|1.0.0"
    chinese = (root / "site/sad/zh-Hant-HK/answers/index.html").read_text("utf-8")
    assert "並在你登入期間傳送給Example Talking Therapies" in chinese
    english = (root / "site/sad/en-GB/answers/index.html").read_text("utf-8")
    assert "Nothing is sent over the internet" not in english
    assert "What was already sent to Example Talking Therapies stays with them" in english


def test_the_preview_keeps_its_own_connection_and_adds_the_two_servers() -> None:
    from icbt_content.serve import PREVIEW_CSP

    fhir = FhirConnection(
        base_url="http://127.0.0.1:8090/fhir",
        authorization_server="http://127.0.0.1:8091",
        client_id="a",
        console_client_id="b",
    )
    assert "connect-src 'self' http://127.0.0.1:8090 http://127.0.0.1:8091;" in connected_csp(
        PREVIEW_CSP, fhir
    )


def test_the_site_index_names_the_service_in_its_header(sites: dict[str, Path]) -> None:
    index = (sites["fhir"] / "index.html").read_text(encoding="utf-8")
    header = re.search(r'<header class="site-header">(.*?)</header>', index, re.S)
    assert header is not None
    assert '<a class="programme-name" href="./">Example Talking Therapies</a>' in header.group(1)
    assert '<a class="help-now" href="sad/en-GB/crisis/">Need help now?</a>' in header.group(1)
    assert "<title>Example Talking Therapies – Programmes</title>" in index
    unconnected = (sites["none"] / "index.html").read_text(encoding="utf-8")
    assert '<a class="programme-name" href="./">Programmes</a>' in unconnected
