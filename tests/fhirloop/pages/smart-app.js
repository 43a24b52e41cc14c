/* A tiny SMART app for the guidance-loop infrastructure tests (not part of the package).
 *
 * launch.html?iss=<FHIR base>&questionnaire=<canonical URL> starts a standalone launch with the
 * vendored fhirclient (authorisation code + PKCE, public client). app.html is the redirect target:
 * it finishes the launch, answers the Questionnaire (the second option of every choice item),
 * creates the QuestionnaireResponse, reads it back, and shows what happened in #result as JSON.
 * The pages are served with the site's Content-Security-Policy (no inline script), so the page
 * to run is named by <body data-page>.
 */
"use strict";

function show(status, result) {
  document.getElementById("status").textContent = status;
  if (result !== undefined) {
    document.getElementById("result").textContent = JSON.stringify(result);
  }
}

function launch() {
  var params = new URLSearchParams(window.location.search);
  sessionStorage.setItem("test-questionnaire", params.get("questionnaire") || "");
  FHIR.oauth2
    .authorize({
      iss: params.get("iss"),
      clientId: "icbt-site",
      scope: "openid fhirUser launch/patient patient/*.cruds offline_access",
      redirectUri: "app.html",
      pkceMode: "required",
    })
    .catch(function (error) {
      show("Launch failed: " + error.message, { error: String(error) });
    });
}

async function completeAndSave() {
  try {
    var client = await FHIR.oauth2.ready();
    var canonical = sessionStorage.getItem("test-questionnaire");
    var found = await client.request("Questionnaire?url=" + encodeURIComponent(canonical));
    var questionnaire = found.entry[0].resource;
    var items = questionnaire.item
      .filter(function (item) { return item.type === "choice" && !item.readOnly; })
      .map(function (item) {
        return { linkId: item.linkId, text: item.text, answer: [{ valueCoding: item.answerOption[1].valueCoding }] };
      });
    var created = await client.create({
      resourceType: "QuestionnaireResponse",
      questionnaire: canonical,
      status: "completed",
      subject: { reference: "Patient/" + client.patient.id },
      authored: new Date().toISOString(),
      item: items,
    });
    var readBack = await client.request("QuestionnaireResponse/" + created.id);
    show("Saved", {
      patient: client.patient.id,
      fhirUser: client.getFhirUser(),
      scope: client.state.tokenResponse.scope,
      hasRefreshToken: Boolean(client.getState("tokenResponse.refresh_token")),
      created: created,
      readBack: readBack,
    });
  } catch (error) {
    show("Failed: " + error.message, { error: String(error) });
  }
}

document.addEventListener("DOMContentLoaded", function () {
  if (document.body.dataset.page === "launch") {
    launch();
  } else if (document.body.dataset.page === "app") {
    completeAndSave();
  }
});
