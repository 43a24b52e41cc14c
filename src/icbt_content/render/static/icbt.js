/* icbt-content: saves a client's answers in this browser only. Nothing is sent anywhere.
 *
 * Storage: localStorage keys "icbt/v1/<programme>/exercise/<exercise-id>" hold
 * {"version": 1, "fields": {...}, "updated": ISO date}. Measures and progress live beside them
 * under the same "icbt/v1/<programme>/" prefix. Migrations from programme.yaml are applied on load.
 */
(function () {
  "use strict";
  var PREFIX = "icbt/v1/";
  var body = document.body;
  var programme = body.dataset.programme || "";
  var base = PREFIX + programme + "/";

  function read(key) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function write(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  }

  function allKeys() {
    var keys = [];
    for (var i = 0; i < window.localStorage.length; i++) {
      var key = window.localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) keys.push(key);
    }
    return keys.sort();
  }

  /* Migrations: renamed exercises and fields move to their new ids, never dropped. */
  function migrate() {
    var el = document.getElementById("icbt-migrations");
    if (!el) return;
    var migrations;
    try {
      migrations = JSON.parse(el.textContent || "[]");
    } catch (e) {
      return;
    }
    migrations.forEach(function (m) {
      var oldKey = base + "exercise/" + m.exercise;
      var saved = read(oldKey);
      if (!saved || !saved.fields) return;
      var targetKey = m.to ? base + "exercise/" + m.to : oldKey;
      var fields = {};
      Object.keys(saved.fields).forEach(function (id) {
        var renamed = (m.fields && m.fields[id]) || id;
        fields[renamed] = saved.fields[id];
      });
      if (m.to && m.to !== m.exercise) {
        var existing = read(targetKey);
        if (existing && existing.fields) {
          Object.keys(existing.fields).forEach(function (id) { fields[id] = existing.fields[id]; });
        }
        window.localStorage.removeItem(oldKey);
      }
      saved.fields = fields;
      write(targetKey, saved);
    });
  }

  function fieldValue(input) {
    if (input.type === "checkbox") return input.checked;
    if (input.type === "radio") return input.checked ? input.value : undefined;
    return input.value;
  }

  /* Errors are shown on save; while typing they are only cleared, so nothing jumps. */
  function validateField(input, show) {
    if (input.type !== "number") return true;
    var error = document.getElementById(input.id + "-error");
    var value = input.value.trim();
    var min = Number(input.min), max = Number(input.max);
    var ok = value === "" || (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max);
    if (!ok && !show) return false;
    input.setAttribute("aria-invalid", ok ? "false" : "true");
    if (error) {
      error.hidden = ok;
      error.textContent = ok ? "" : (body.dataset.msgNumber || "Enter a whole number from {min} to {max}.")
        .replace("{min}", input.min).replace("{max}", input.max);
    }
    return ok;
  }

  function collect(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name) return;
      var value = fieldValue(input);
      if (value !== undefined) fields[input.name] = value;
    });
    return fields;
  }

  function restore(form, saved) {
    if (!saved || !saved.fields) return;
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || !(input.name in saved.fields)) return;
      var value = saved.fields[input.name];
      if (input.type === "checkbox") input.checked = value === true;
      else if (input.type === "radio") input.checked = input.value === value;
      else input.value = value == null ? "" : String(value);
    });
  }

  function setupExercise(form) {
    var key = form.dataset.storageKey;
    var status = form.querySelector(".save-status");
    var timer = null;
    restore(form, read(key));
    function save(announce) {
      var valid = true;
      Array.prototype.forEach.call(form.elements, function (input) {
        if (!validateField(input, announce)) valid = false;
      });
      var previous = read(key) || {};
      var fields = Object.assign({}, previous.fields || {}, collect(form));
      var ok = write(key, {version: 1, fields: fields, updated: new Date().toISOString()});
      if (status && announce) {
        status.textContent = !valid ? (body.dataset.msgFix || "Please check the answers marked above.")
          : ok ? (body.dataset.msgSaved || "Saved on this device.")
          : (body.dataset.msgNotSaved || "Could not save: this browser's storage is full or turned off.");
      }
      return valid;
    }
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(false); }, 300);
    });
    form.addEventListener("change", function () { save(false); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!save(true)) {
        var invalid = form.querySelector('[aria-invalid="true"]');
        if (invalid) invalid.focus();
      }
    });
  }

  /* Trauma narrative: copy the words selected in the account into a hot spot. */
  function setupHotspotMarking(button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.source);
      var target = document.getElementById(button.dataset.target);
      var form = button.closest("form");
      var status = form && form.querySelector(".save-status");
      if (!source || !target) return;
      var chosen = source.value.substring(source.selectionStart, source.selectionEnd).trim();
      if (!chosen) {
        if (status) status.textContent = body.dataset.msgSelectFirst || "First select the words in your account.";
        source.focus();
        return;
      }
      target.value = chosen;
      target.dispatchEvent(new Event("input", {bubbles: true}));
      target.dispatchEvent(new Event("change", {bubbles: true}));
      if (status) status.textContent = body.dataset.msgMarked || "Hot spot marked.";
      target.focus();
    });
  }

  /* Progress: pages visited are ticked in the navigation. */
  function progress() {
    var key = base + "progress";
    var state = read(key) || {visited: []};
    var page = body.dataset.pageKey;
    if (page && state.visited.indexOf(page) < 0) {
      state.visited.push(page);
      state.visited.sort();
      write(key, state);
    }
    Array.prototype.forEach.call(document.querySelectorAll("li[data-page-key]"), function (li) {
      if (state.visited.indexOf(li.dataset.pageKey) >= 0) li.classList.add("done");
    });
  }

  /* Unlocking: "in-order" opens a core module once every earlier core module has been read;
   * "by-therapist" opens a module when the client confirms their therapist has opened it.
   * Optional modules are always open. A static site cannot enforce this: it guides. */
  function unlock() {
    var rule = body.dataset.unlock;
    var modules = window.ICBT_MODULES;
    if (!modules || !rule || rule === "all-open") return;
    var state = read(base + "progress") || {visited: []};
    var opened = state.opened || [];
    function complete(m) {
      return m.pages.every(function (key) { return state.visited.indexOf(key) >= 0; });
    }
    function blocker(index) {
      var m = modules[index];
      if (!m.core || index === 0) return null;
      if (rule === "by-therapist") return opened.indexOf(m.id) >= 0 ? null : m;
      for (var i = 0; i < index; i++) {
        if (modules[i].core && !complete(modules[i])) return modules[i];
      }
      return null;
    }
    modules.forEach(function (m, index) {
      var waiting = blocker(index);
      var li = document.querySelector('li[data-module="' + m.id + '"]');
      if (li && waiting && !li.classList.contains("locked")) {
        li.classList.add("locked");
        var tag = document.createElement("span");
        tag.className = "tag locked-tag";
        tag.textContent = body.dataset.msgLocked || "not open yet";
        li.insertBefore(tag, li.children[1] || null);
        li.insertBefore(document.createTextNode(" "), tag);
      }
      if (m.id !== body.dataset.module || !waiting) return;
      var notice = document.getElementById("locked-notice");
      if (!notice) return;
      var text = notice.querySelector("p");
      if (rule === "by-therapist") {
        text.textContent = notice.dataset.msgByTherapist;
        var actions = notice.querySelector(".locked-actions");
        actions.hidden = false;
        document.getElementById("module-opened").addEventListener("click", function () {
          var now = read(base + "progress") || {visited: []};
          now.opened = (now.opened || []).concat([m.id]);
          write(base + "progress", now);
          notice.hidden = true;
          if (li) {
            li.classList.remove("locked");
            var tag = li.querySelector(".locked-tag");
            if (tag) tag.remove();
          }
        });
      } else {
        var parts = notice.dataset.msgInOrder.split("{module}");
        text.textContent = parts[0];
        var link = document.createElement("a");
        link.href = (body.dataset.home || "") + waiting.path;
        // The page's own navigation names the module in the page's language.
        var named = document.querySelector('li[data-module="' + waiting.id + '"] > a');
        link.textContent = named ? named.textContent : waiting.title;
        text.appendChild(link);
        text.appendChild(document.createTextNode(parts[1] || ""));
      }
      notice.hidden = false;
    });
  }

  /* My answers: export, import and delete. */
  function status(text) {
    var el = document.getElementById("answers-status");
    if (el) el.textContent = text;
  }

  function exportAnswers() {
    var data = {format: "icbt-answers", version: 1, exported: new Date().toISOString(), items: {}};
    allKeys().forEach(function (key) { data.items[key] = read(key); });
    var blob = new Blob([JSON.stringify(data, null, 2)], {type: "application/json"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "my-answers.json";
    document.body.appendChild(link);
    link.click();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    status(body.dataset.msgExported || "Your answers were saved to a file.");
  }

  function importAnswers(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var data;
      try {
        data = JSON.parse(String(reader.result));
      } catch (e) {
        data = null;
      }
      if (!data || data.format !== "icbt-answers" || typeof data.items !== "object") {
        status(body.dataset.msgBadFile || "That file is not an export of your answers.");
        return;
      }
      var count = 0;
      Object.keys(data.items).forEach(function (key) {
        if (key.indexOf(PREFIX) === 0 && data.items[key] && typeof data.items[key] === "object") {
          write(key, data.items[key]);
          count++;
        }
      });
      migrate();
      status((body.dataset.msgImported || "Loaded {count} saved items.").replace("{count}", count));
    };
    reader.readAsText(file);
  }

  function deleteAnswers() {
    var question = body.dataset.msgConfirmDelete || "Delete all your answers from this device? This cannot be undone.";
    if (!window.confirm(question)) return;
    allKeys().forEach(function (key) { window.localStorage.removeItem(key); });
    status(body.dataset.msgDeleted || "All your answers were deleted from this device.");
  }

  function setupAnswersPage() {
    var exportButton = document.getElementById("export-answers");
    if (exportButton) exportButton.addEventListener("click", exportAnswers);
    var importInput = document.getElementById("import-answers");
    if (importInput) importInput.addEventListener("change", function () {
      if (importInput.files && importInput.files[0]) importAnswers(importInput.files[0]);
    });
    var deleteButton = document.getElementById("delete-answers");
    if (deleteButton) deleteButton.addEventListener("click", deleteAnswers);
  }

  window.ICBT = {prefix: PREFIX, read: read, write: write, keys: allKeys, migrate: migrate};
  migrate();
  Array.prototype.forEach.call(document.querySelectorAll("form.exercise-form"), setupExercise);
  Array.prototype.forEach.call(document.querySelectorAll(".mark-hotspot button"), setupHotspotMarking);
  progress();
  unlock();
  setupAnswersPage();
})();
