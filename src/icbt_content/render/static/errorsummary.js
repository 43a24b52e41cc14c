/* The error summary at the top of a form that could not be saved (the GOV.UK pattern): a box
 * that takes the focus, says there is a problem, and links to each field in error; following a
 * link puts the focus in that field. Sending the form again with no error removes the box.
 *
 * The box is made here, at the top of the form, only when the client sends a form with an error:
 * nothing moves before the client acts (a shift right after an input does not count as a layout
 * shift).
 */
import {showMessage} from "./messages.js";

const SUMMARY = "[data-icbt-error-summary]";

/** The label of a field: the legend of its group for a radio button, else its <label>. */
function labelOf(field) {
  const group = field.type === "radio" ? field.closest("fieldset") : null;
  const legend = group ? group.querySelector("legend") : null;
  if (legend) return legend;
  return field.labels && field.labels.length ? field.labels[0] : null;
}

/** The errors of the fields a form marks invalid: each field with its label and error text. */
export function markedErrors(form) {
  const errors = [];
  for (const field of form.querySelectorAll('[aria-invalid="true"]')) {
    const shown = field.name ? form.querySelector(`[data-icbt-error="${field.name}"]`) : null;
    const text = shown && !shown.hidden ? shown.textContent.trim() : "";
    const label = labelOf(field);
    errors.push({field, text: [label ? label.textContent.trim() : "", text].filter(Boolean).join(": ")});
  }
  return errors;
}

/** Show the summary of errors ([{field, text}]) at the top of form and focus it; with no
 * errors, remove it. */
export function showErrorSummary(form, errors) {
  let box = form.querySelector(SUMMARY);
  if (!errors.length) {
    if (box) box.remove();
    return;
  }
  if (!box) {
    box = document.createElement("div");
    box.className = "error-summary";
    box.setAttribute("tabindex", "-1");
    box.setAttribute("data-icbt-error-summary", "");
    form.prepend(box);
  }
  box.textContent = "";
  const alert = document.createElement("div");
  alert.setAttribute("role", "alert");
  const title = showMessage("errorSummary", document.createElement("p"));
  title.className = "error-summary-title";
  const list = document.createElement("ul");
  for (const {field, text} of errors) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `#${field.id}`;
    link.textContent = text;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const group = field.closest("fieldset");
      (group || field).scrollIntoView({block: "start"});
      field.focus({preventScroll: true});
    });
    item.appendChild(link);
    list.appendChild(item);
  }
  alert.append(title, list);
  box.appendChild(alert);
  box.focus();
}
