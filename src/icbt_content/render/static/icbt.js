/* icbt-content in the browser: the one script a page loads, as <script type="module">.
 *
 * It saves a client's answers in this browser only; nothing is sent anywhere. The modules:
 *
 *   pagedata.js      the page data the build writes (<script type="application/json" data-icbt-page>)
 *   messages.js      every word shown, translated (<script type="application/json" data-icbt-messages>)
 *   schema.js        JSON Schema checks of saved records
 *   storage.js       the one place that reads and writes localStorage
 *   migrations.js    answers under renamed exercises and fields move to the new ids
 *   exercises.js     exercise forms: save as the client types, restore
 *   recall.js        earlier answers shown on a later page (::: recall), pre-filling fields
 *   narrative.js     trauma narrative: hot spots from the words selected
 *   progress.js      pages read; unlock.js: which modules are open
 *   answers.js       "My answers": the client's record (record.js), export, load (merge.js), delete
 *   print.js         printing shows every answer in full
 *   offline.js       registers the service worker that keeps the programme for offline use
 *   keepcopy.js      "Keep a copy": the programme and the client's answers as a zip to keep
 *   scoring.js       questionnaire scoring (the twin of icbt_content.measures.scoring)
 *   questionnaire.js questionnaire forms: crisis help, score, results; chart.js: results over time
 *
 * No globals, no inline script, no eval: it runs under the site's Content-Security-Policy
 * (script-src 'self'). Module scripts need the site to be served over http(s): browsers do not
 * run them from file:// pages.
 */
import {startAnswers} from "./answers.js";
import {startExercises} from "./exercises.js";
import {startKeepACopy} from "./keepcopy.js";
import {migrateStored} from "./migrations.js";
import {startNarrative} from "./narrative.js";
import {startOffline} from "./offline.js";
import {startPrint} from "./print.js";
import {startProgress} from "./progress.js";
import {startQuestionnaires} from "./questionnaire.js";
import {startRecall} from "./recall.js";
import {startUnlock} from "./unlock.js";

// Our forms never submit: they are method="dialog" (no request, even without scripts), and this
// stops the event before any part below could fail to wire a form.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.matches("[data-icbt-exercise], [data-icbt-questionnaire]")) {
    event.preventDefault();
  }
}, true);

// Each part starts on its own: one that fails leaves the others working.
const parts = [
  ["migrations", migrateStored],
  ["exercises", startExercises],
  ["recall", startRecall],
  ["narrative", startNarrative],
  ["progress", startProgress],
  ["unlock", startUnlock],
  ["answers", startAnswers],
  ["questionnaires", startQuestionnaires],
  ["print", startPrint],
  ["offline", startOffline],
  ["keep a copy", startKeepACopy],
];
for (const [name, start] of parts) {
  try {
    start();
  } catch (error) {
    console.error(`icbt: ${name} could not start`, error);
  }
}
