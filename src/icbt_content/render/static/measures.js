/* icbt-content measures: questionnaire scoring and results, in this browser only.
 *
 * score() and compare() are the twin of icbt_content/measures/scoring.py: a browser test checks
 * they agree on every possible answer set of PHQ-9 and GAD-7. Change both together.
 *
 * Each <form class="questionnaire" data-measure="ID"> reads its definition from
 * <script type="application/json" id="measure-ID"> (data, never executed). Results are kept in
 * localStorage under "icbt/v1/<programme>/measure/<ID>" as
 * {"results": [{"date": ISO date, "answers": {...}, "total": n, "band": id, "risk": bool}]}.
 * Nothing is sent over the network. Plain ES2017, no eval, no inline script: works under the
 * site's Content-Security-Policy.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  /* ---- Scoring ------------------------------------------------------------------------- */

  function optionSet(def, item) {
    for (var i = 0; i < def.option_sets.length; i++) {
      if (def.option_sets[i].id === item.options) return def.option_sets[i];
    }
    throw new Error("item '" + item.id + "' names no known option set");
  }

  function allows(set, value) {
    if (set.kind === "choice") {
      return set.options.some(function (option) { return option.value === value; });
    }
    return value >= set.min && value <= set.max && (value - set.min) % set.step === 0;
  }

  /* Scale a total of `answered` items up to `items`, rounding halves up, in exact integers. */
  function prorate(total, items, answered) {
    return Math.floor((2 * total * items + answered) / (2 * answered));
  }

  function allowedMissing(def, answered) {
    return def.missing.policy === "prorate" && answered ? def.missing.max_missing : 0;
  }

  function score(def, answers) {
    answers = answers || {};
    var known = {};
    def.items.forEach(function (item) { known[item.id] = true; });
    Object.keys(answers).forEach(function (key) {
      if (!known[key]) throw new Error(def.id + ": no item called " + key);
    });
    var values = {};
    var missing = [];
    var risk = [];
    var sum = 0;
    var answered = 0;
    def.items.forEach(function (item) {
      var answer = answers[item.id];
      if (answer === null || answer === undefined) {
        missing.push(item.id);
        return;
      }
      var set = optionSet(def, item);
      if (typeof answer !== "number" || !Number.isInteger(answer) || !allows(set, answer)) {
        throw new Error(def.id + ": " + answer + " is not an answer to item '" + item.id + "'");
      }
      var value = item.reverse ? set.min + set.max - answer : answer;
      values[item.id] = value;
      sum += value;
      answered += 1;
      if (item.risk && answer > item.risk.above) {
        risk.push({item: item.id, answer: answer, triggers: item.risk.triggers.slice()});
      }
    });
    var total = null;
    if (def.scoring === "sum" && missing.length <= allowedMissing(def, answered)) {
      total = prorate(sum, def.items.length, answered);
    }
    var subscales = {};
    (def.subscales || []).forEach(function (subscale) {
      var got = subscale.items.filter(function (id) { return id in values; });
      var subtotal = got.reduce(function (acc, id) { return acc + values[id]; }, 0);
      subscales[subscale.id] = total !== null && got.length
        ? prorate(subtotal, subscale.items.length, got.length) : null;
    });
    var band = null;
    if (total !== null) {
      band = (def.bands || []).filter(function (b) { return b.min <= total && total <= b.max; })[0] || null;
    }
    var caseness = null;
    if (total !== null && def.caseness !== null && def.caseness !== undefined) {
      caseness = total >= def.caseness;
    }
    function triggered(name) {
      return risk.some(function (flag) { return flag.triggers.indexOf(name) >= 0; });
    }
    return {
      measure: def.id,
      total: total,
      complete: missing.length === 0,
      prorated: missing.length > 0 && total !== null,
      missing: missing,
      items: values,
      subscales: subscales,
      band: band,
      caseness: caseness,
      risk: risk,
      crisisHelp: triggered("crisis-help"),
      flagTherapist: triggered("flag-therapist")
    };
  }

  function totalOf(def, value) {
    var total = value !== null && typeof value === "object" ? value.total : value;
    if (typeof total !== "number") throw new Error(def.id + ": cannot compare a score without a total");
    return total;
  }

  function compare(def, before, after) {
    if (def.reliable_change === null || def.reliable_change === undefined) {
      throw new Error(def.id + " has no reliable-change value");
    }
    var change = totalOf(def, after) - totalOf(def, before);
    if (change <= -def.reliable_change) return "reliable-improvement";
    if (change >= def.reliable_change) return "reliable-deterioration";
    return "no-reliable-change";
  }

  function totalRange(def) {
    var low = 0;
    var high = 0;
    def.items.forEach(function (item) {
      var set = optionSet(def, item);
      low += set.min;
      high += set.max;
    });
    return [low, high];
  }

  window.ICBTMeasures = {score: score, compare: compare, totalRange: totalRange};

  /* ---- Storage ------------------------------------------------------------------------- */

  function storageKey(measureId) {
    return "icbt/v1/" + (document.body.dataset.programme || "") + "/measure/" + measureId;
  }

  function readResults(key) {
    try {
      var saved = JSON.parse(window.localStorage.getItem(key) || "null");
      if (saved && Array.isArray(saved.results)) {
        return saved.results.filter(function (r) { return r && typeof r.date === "string"; });
      }
    } catch (e) {
      /* unreadable: start afresh, never throw away the page */
    }
    return [];
  }

  function saveResult(key, result) {
    var results = readResults(key);
    results.push(result);
    try {
      window.localStorage.setItem(key, JSON.stringify({results: results}));
      return results;
    } catch (e) {
      return null;
    }
  }

  /* ---- Page ---------------------------------------------------------------------------- */

  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (a) { node.setAttribute(a, attrs[a]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svg(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (a) { node.setAttribute(a, String(attrs[a])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function shortDate(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return iso;
    var lang = document.documentElement.lang || undefined;
    try {
      return date.toLocaleDateString(lang, {day: "numeric", month: "short", year: "numeric"});
    } catch (e) {
      return date.toISOString().slice(0, 10);
    }
  }

  function setupQuestionnaire(form) {
    var id = form.dataset.measure;
    var source = document.getElementById("measure-" + id);
    if (!source) return;
    var def;
    try {
      def = JSON.parse(source.textContent || "");
    } catch (e) {
      return;
    }
    var key = storageKey(id);
    var section = form.closest(".measure") || form.parentNode;
    var status = section.querySelector(".measure-result");
    var history = section.querySelector(".measure-history");
    function msg(name, fallback) {
      var value = form.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)];
      return value || fallback;
    }

    var crisisUrl = document.body.dataset.crisisUrl;
    Array.prototype.forEach.call(form.querySelectorAll("a[data-crisis-link]"), function (link) {
      if (crisisUrl && !link.getAttribute("href")) link.setAttribute("href", crisisUrl);
    });

    /* Read the form: answers (null when empty) and items whose typed value is not allowed. */
    function readForm() {
      var answers = {};
      var invalid = [];
      def.items.forEach(function (item) {
        var set = optionSet(def, item);
        var raw = "";
        Array.prototype.forEach.call(form.querySelectorAll('[name="' + item.id + '"]'), function (f) {
          if (f.type !== "radio" || f.checked) raw = String(f.value || "").trim();
        });
        if (raw === "") {
          answers[item.id] = null;
        } else if (/^-?\d+$/.test(raw) && allows(set, Number(raw))) {
          answers[item.id] = Number(raw);
        } else {
          answers[item.id] = null;
          invalid.push(item);
        }
      });
      return {answers: answers, invalid: invalid};
    }

    function fieldFor(item) {
      return form.querySelector('[name="' + item.id + '"]');
    }

    function showFieldErrors(invalid) {
      def.items.forEach(function (item) {
        var set = optionSet(def, item);
        if (set.kind !== "scale") return;
        var input = fieldFor(item);
        var error = input && document.getElementById(input.id.replace(/-value$/, "") + "-error");
        var bad = invalid.indexOf(item) >= 0;
        if (input) input.setAttribute("aria-invalid", bad ? "true" : "false");
        if (error) {
          error.hidden = !bad;
          error.textContent = bad ? format(msg("number", "Enter a whole number from {min} to {max}."),
            {min: set.min, max: set.max}) : "";
        }
      });
    }

    /* Risk answers show crisis help at once, before the form is sent, and it stays shown. */
    function checkRisk() {
      var answers = readForm().answers;
      def.items.forEach(function (item) {
        if (!item.risk || item.risk.triggers.indexOf("crisis-help") < 0) return;
        var answer = answers[item.id];
        if (answer !== null && answer > item.risk.above) {
          var alert = form.querySelector('[data-risk-alert="' + item.id + '"]');
          if (alert && alert.hidden) alert.hidden = false;
        }
      });
    }
    form.addEventListener("change", checkRisk);
    form.addEventListener("input", checkRisk);

    function numberOf(item) {
      return def.items.indexOf(item) + 1;
    }

    function maxFor(item) {
      return optionSet(def, item).max;
    }

    function showResult(result, saved, maxTotal) {
      status.textContent = "";
      if (result.total !== null) {
        var line = format(msg("score", "Your score is {score} out of {max}."),
          {score: result.total, max: maxTotal});
        status.appendChild(el("p", {"class": "measure-score"}, line));
        if (result.band) {
          var meaning = el("p", {"class": "measure-meaning"});
          meaning.appendChild(el("strong", {}, result.band.label + ". "));
          meaning.appendChild(document.createTextNode(result.band.meaning || ""));
          status.appendChild(meaning);
        }
      } else {
        var list = el("ul", {"class": "measure-item-results"});
        def.items.forEach(function (item) {
          if (!(item.id in result.items)) return;
          list.appendChild(el("li", {}, format(msg("item", "{label}: {value} out of {max}"),
            {label: numberOf(item) + ". " + item.text, value: result.items[item.id], max: maxFor(item)})));
        });
        status.appendChild(list);
      }
      if (result.prorated) {
        status.appendChild(el("p", {}, format(msg("prorated",
          "You left out {count} of the questions, so this score is estimated from your other answers."),
          {count: result.missing.length})));
      }
      if (result.flagTherapist) {
        status.appendChild(el("p", {"class": "measure-flagged"}, msg("flagged",
          "One of your answers needs attention. No one is told about it automatically, so please " +
          "contact your therapist or your service yourself. If you are not safe right now, get help now.")));
      }
      status.appendChild(el("p", {"class": "measure-saved"}, saved
        ? msg("saved", "Your result is saved on this device.")
        : msg("notSaved", "Your result could not be saved on this device.")));
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var read = readForm();
      showFieldErrors(read.invalid);
      checkRisk();
      if (read.invalid.length) {
        status.textContent = msg("fix", "Please check the answers marked above.");
        var first = fieldFor(read.invalid[0]);
        if (first) first.focus();
        return;
      }
      var result = score(def, read.answers);
      var answered = def.items.length - result.missing.length;
      if (result.missing.length > allowedMissing(def, answered)) {
        var numbers = result.missing.map(function (itemId) {
          return numberOf(def.items.filter(function (i) { return i.id === itemId; })[0]);
        });
        status.textContent = format(msg("missing", "Please answer every question. Not answered yet: {items}."),
          {items: numbers.join(", ")});
        var missingItem = def.items.filter(function (i) { return i.id === result.missing[0]; })[0];
        var target = missingItem && fieldFor(missingItem);
        if (target) target.focus();
        return;
      }
      var stored = {};
      Object.keys(read.answers).forEach(function (itemId) {
        if (read.answers[itemId] !== null) stored[itemId] = read.answers[itemId];
      });
      var results = saveResult(key, {
        date: new Date().toISOString(),
        answers: stored,
        total: result.total,
        band: result.band ? result.band.id : null,
        risk: result.risk.length > 0
      });
      showResult(result, results !== null, totalRange(def)[1]);
      drawHistory(results || readResults(key).concat([{date: new Date().toISOString(),
        answers: stored, total: result.total}]));
    });

    /* ---- History: an inline SVG line chart, with the same data as a table ---------------- */

    function series() {
      if (def.scoring === "sum") {
        return [{label: def.short_title || def.title, value: function (r) { return r.total; }}];
      }
      return def.items.map(function (item) {
        return {label: numberOf(item) + ". " + item.text, value: function (r) {
          return r.answers && typeof r.answers[item.id] === "number" ? r.answers[item.id] : null;
        }};
      });
    }

    function yRange() {
      if (def.scoring === "sum") return totalRange(def);
      var low = Infinity;
      var high = -Infinity;
      def.items.forEach(function (item) {
        var set = optionSet(def, item);
        low = Math.min(low, set.min);
        high = Math.max(high, set.max);
      });
      return [low, high];
    }

    function drawHistory(results) {
      if (!history || !results.length) return;
      var chart = history.querySelector("[data-chart]");
      var table = history.querySelector("[data-table]");
      var lines = series();
      var range = yRange();
      var width = 640;
      var height = 260;
      var left = 48;
      var right = 16;
      var top = 16;
      var bottom = 40;
      var plotW = width - left - right;
      var plotH = height - top - bottom;
      function x(i) {
        return results.length === 1 ? left + plotW / 2 : left + (plotW * i) / (results.length - 1);
      }
      function y(v) {
        return top + plotH - (plotH * (v - range[0])) / ((range[1] - range[0]) || 1);
      }
      var titleId = form.id + "-chart-title";
      var last = results[results.length - 1];
      var lastValue = lines[0].value(last);
      var root = svg("svg", {
        viewBox: "0 0 " + width + " " + height, width: "100%", role: "img",
        "aria-labelledby": titleId, "class": "measure-chart-svg", focusable: "false"
      });
      var summary = msg("chart", "Your results over time");
      if (def.scoring === "sum" && lastValue !== null) {
        summary += ". " + format(msg("chartLatest", "Latest result: {score} on {date}."),
          {score: lastValue, date: shortDate(last.date)});
      }
      root.appendChild(svg("title", {id: titleId}, summary));
      var axes = svg("g", {stroke: "currentColor", "stroke-width": 1, fill: "none"});
      axes.appendChild(svg("line", {x1: left, y1: top, x2: left, y2: top + plotH}));
      axes.appendChild(svg("line", {x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH}));
      root.appendChild(axes);
      var labels = svg("g", {fill: "currentColor", "font-size": 13});
      [range[0], Math.round((range[0] + range[1]) / 2), range[1]].forEach(function (v) {
        labels.appendChild(svg("text", {x: left - 6, y: y(v) + 4, "text-anchor": "end"}, String(v)));
      });
      var step = Math.max(1, Math.ceil(results.length / 6));
      results.forEach(function (r, i) {
        if (i % step === 0 || i === results.length - 1) {
          var anchor = results.length === 1 ? "middle"
            : (i === 0 ? "start" : (i === results.length - 1 ? "end" : "middle"));
          labels.appendChild(svg("text", {x: x(i), y: height - 14, "text-anchor": anchor},
            shortDate(r.date)));
        }
      });
      root.appendChild(labels);
      if (def.scoring === "sum" && def.caseness !== null && def.caseness !== undefined) {
        root.appendChild(svg("line", {
          x1: left, x2: left + plotW, y1: y(def.caseness), y2: y(def.caseness),
          stroke: "currentColor", "stroke-dasharray": "2 4", "stroke-width": 1
        }));
        root.appendChild(svg("text", {x: left + plotW, y: y(def.caseness) - 4, "text-anchor": "end",
          fill: "currentColor", "font-size": 12}, msg("threshold", "Threshold") + " " + def.caseness));
      }
      var dashes = ["", "8 4", "2 3", "12 4 2 4", "4 4"];
      var markers = ["circle", "rect", "diamond", "triangle", "circle"];
      lines.forEach(function (line, n) {
        var points = [];
        results.forEach(function (r, i) {
          var v = line.value(r);
          if (typeof v === "number") points.push([x(i), y(v), v, r.date]);
        });
        var group = svg("g", {stroke: "currentColor", fill: "currentColor"});
        if (points.length > 1) {
          group.appendChild(svg("polyline", {
            points: points.map(function (pt) { return pt[0].toFixed(1) + "," + pt[1].toFixed(1); }).join(" "),
            fill: "none", "stroke-width": 2, "stroke-dasharray": dashes[n % dashes.length]
          }));
        }
        points.forEach(function (pt) {
          var shape = markers[n % markers.length];
          var mark;
          if (shape === "rect") {
            mark = svg("rect", {x: pt[0] - 4, y: pt[1] - 4, width: 8, height: 8});
          } else if (shape === "diamond" || shape === "triangle") {
            var d = shape === "diamond"
              ? [[0, -5], [5, 0], [0, 5], [-5, 0]] : [[0, -5], [5, 4], [-5, 4]];
            mark = svg("polygon", {points: d.map(function (c) {
              return (pt[0] + c[0]).toFixed(1) + "," + (pt[1] + c[1]).toFixed(1);
            }).join(" ")});
          } else {
            mark = svg("circle", {cx: pt[0], cy: pt[1], r: 4});
          }
          mark.appendChild(svg("title", {}, line.label + ": " + pt[2] + " (" + shortDate(pt[3]) + ")"));
          group.appendChild(mark);
        });
        root.appendChild(group);
      });
      chart.textContent = "";
      chart.appendChild(root);
      if (lines.length > 1) {
        var legend = el("ul", {"class": "measure-chart-legend"});
        lines.forEach(function (line, n) {
          var item = el("li");
          var sample = svg("svg", {width: 36, height: 12, "aria-hidden": "true", focusable: "false"});
          sample.appendChild(svg("line", {x1: 0, y1: 6, x2: 36, y2: 6, stroke: "currentColor",
            "stroke-width": 2, "stroke-dasharray": dashes[n % dashes.length]}));
          item.appendChild(sample);
          item.appendChild(document.createTextNode(" " + line.label));
          legend.appendChild(item);
        });
        chart.appendChild(legend);
      }

      var grid = el("table");
      grid.appendChild(el("caption", {}, msg("chart", "Your results over time")));
      var head = el("tr");
      head.appendChild(el("th", {scope: "col"}, msg("date", "Date")));
      lines.forEach(function (line) {
        head.appendChild(el("th", {scope: "col"}, def.scoring === "sum" ? msg("total", "Score") : line.label));
      });
      if (def.scoring === "sum" && (def.bands || []).length) {
        head.appendChild(el("th", {scope: "col"}, msg("band", "Meaning")));
      }
      var thead = el("thead");
      thead.appendChild(head);
      grid.appendChild(thead);
      var tbody = el("tbody");
      results.forEach(function (r) {
        var row = el("tr");
        row.appendChild(el("th", {scope: "row"}, shortDate(r.date)));
        lines.forEach(function (line) {
          var v = line.value(r);
          row.appendChild(el("td", {}, typeof v === "number" ? String(v) : "–"));
        });
        if (def.scoring === "sum" && (def.bands || []).length) {
          var band = (def.bands || []).filter(function (b) { return b.id === r.band; })[0];
          row.appendChild(el("td", {}, band ? band.label : "–"));
        }
        tbody.appendChild(row);
      });
      grid.appendChild(tbody);
      table.textContent = "";
      table.appendChild(grid);
      history.hidden = false;
    }

    drawHistory(readResults(key));
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.questionnaire[data-measure]"),
      setupQuestionnaire);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
