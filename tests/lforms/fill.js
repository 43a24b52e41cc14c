// Answer a rendered Questionnaire many times through LHC-Forms' own API and collect what it
// works out. Each answer set is {linkId: index of the chosen answer option, or null}. For
// every set the values go on LHC-Forms' items, its expression processor runs the Questionnaire's
// calculatedExpressions (as after a click), and the score items' values are read back.
"use strict";

window.icbtRender = async function (questionnaire) {
  await LForms.Util.addFormToPage(questionnaire, "form", { fhirVersion: "R4" });
};

window.icbtScore = async function (sets, scoreIds) {
  const form = document.querySelector("wc-lhc-form").lhcFormData;
  const items = Object.fromEntries(form.itemList.map((item) => [item.linkId, item]));
  const quiet = console.log;
  console.log = () => {}; // the processor logs the time of every run
  const results = [];
  try {
    for (const set of sets) {
      for (const [linkId, index] of Object.entries(set)) {
        items[linkId].value = index === null ? null : items[linkId].answers[index];
      }
      await form._expressionProcessor.runCalculations(false);
      results.push(scoreIds.map((id) => {
        const value = items[id].value;
        if (value === undefined || value === null || value === "") return null;
        return typeof value === "object" ? value.code : value;
      }));
    }
  } finally {
    console.log = quiet;
  }
  return results;
};

// Run icbtScore without waiting, so several pages can work at once; poll icbtDone.
window.icbtStart = function (sets, scoreIds) {
  window.icbtDone = null;
  const started = performance.now();
  window.icbtScore(sets, scoreIds).then(
    (results) => { window.icbtDone = { results, ms: performance.now() - started }; },
    (error) => { window.icbtDone = { error: String(error && error.stack || error) }; },
  );
};
