/* A measure's results over time: an inline SVG line chart, with the same data as a table.
 * Drawn with DOM methods only (no markup strings), in the page's language for dates.
 */
import {markLanguage, message} from "./messages.js";
import {optionSet, totalRange} from "./scoring.js";

const SVG = "http://www.w3.org/2000/svg";

/** An HTML element with attributes and text. */
export function el(name, attrs = {}, text) {
  const node = document.createElement(name);
  for (const [attribute, value] of Object.entries(attrs)) node.setAttribute(attribute, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [attribute, value] of Object.entries(attrs)) node.setAttribute(attribute, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A date as the page's language writes it briefly. */
export function shortDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const lang = document.documentElement.lang || undefined;
  try {
    return date.toLocaleDateString(lang, {day: "numeric", month: "short", year: "numeric"});
  } catch (error) {
    return date.toISOString().slice(0, 10);
  }
}

function series(def) {
  if (def.scoring === "sum") {
    return [{label: def.short_title || def.title, value: (r) => r.total}];
  }
  return def.items.map((item, n) => ({
    label: `${n + 1}. ${item.text}`,
    value: (r) => (r.answers && typeof r.answers[item.id] === "number" ? r.answers[item.id] : null),
  }));
}

function yRange(def) {
  if (def.scoring === "sum") return totalRange(def);
  let low = Infinity;
  let high = -Infinity;
  for (const item of def.items) {
    const set = optionSet(def, item);
    low = Math.min(low, set.min);
    high = Math.max(high, set.max);
  }
  return [low, high];
}

/** Draw results ({date, answers, total, band}, oldest first) into a history section. */
export function drawHistory(history, def, results, titleId) {
  if (!history || !results.length) return;
  const chart = history.querySelector("[data-chart]");
  const table = history.querySelector("[data-table]");
  if (!chart || !table) return;
  const lines = series(def);
  const range = yRange(def);
  const width = 640;
  const height = 260;
  const left = 48;
  const right = 16;
  const top = 16;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (i) => (results.length === 1 ? left + plotW / 2 : left + (plotW * i) / (results.length - 1));
  const y = (v) => top + plotH - (plotH * (v - range[0])) / ((range[1] - range[0]) || 1);
  const last = results[results.length - 1];
  const lastValue = lines[0].value(last);
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
    "aria-labelledby": titleId, class: "measure-chart-svg", focusable: "false",
  });
  let summary = message("chart");
  if (def.scoring === "sum" && lastValue !== null) {
    summary += `. ${message("chartLatest", {score: lastValue, date: shortDate(last.date)})}`;
  }
  root.appendChild(svg("title", {id: titleId}, summary));
  const axes = svg("g", {stroke: "currentColor", "stroke-width": 1, fill: "none"});
  axes.appendChild(svg("line", {x1: left, y1: top, x2: left, y2: top + plotH}));
  axes.appendChild(svg("line", {x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH}));
  root.appendChild(axes);
  const labels = svg("g", {fill: "currentColor", "font-size": 13});
  for (const v of [range[0], Math.round((range[0] + range[1]) / 2), range[1]]) {
    labels.appendChild(svg("text", {x: left - 6, y: y(v) + 4, "text-anchor": "end"}, String(v)));
  }
  const step = Math.max(1, Math.ceil(results.length / 6));
  results.forEach((r, i) => {
    if (i % step === 0 || i === results.length - 1) {
      let anchor = "middle";
      if (results.length > 1 && i === 0) anchor = "start";
      else if (results.length > 1 && i === results.length - 1) anchor = "end";
      labels.appendChild(svg("text", {x: x(i), y: height - 14, "text-anchor": anchor}, shortDate(r.date)));
    }
  });
  root.appendChild(labels);
  if (def.scoring === "sum" && def.caseness !== null && def.caseness !== undefined) {
    root.appendChild(svg("line", {
      x1: left, x2: left + plotW, y1: y(def.caseness), y2: y(def.caseness),
      stroke: "currentColor", "stroke-dasharray": "2 4", "stroke-width": 1,
    }));
    root.appendChild(svg("text", {
      x: left + plotW, y: y(def.caseness) - 4, "text-anchor": "end", fill: "currentColor", "font-size": 12,
    }, `${message("threshold")} ${def.caseness}`));
  }
  const dashes = ["", "8 4", "2 3", "12 4 2 4", "4 4"];
  const markers = ["circle", "rect", "diamond", "triangle", "circle"];
  lines.forEach((line, n) => {
    const points = [];
    results.forEach((r, i) => {
      const v = line.value(r);
      if (typeof v === "number") points.push([x(i), y(v), v, r.date]);
    });
    const group = svg("g", {stroke: "currentColor", fill: "currentColor"});
    if (points.length > 1) {
      group.appendChild(svg("polyline", {
        points: points.map((pt) => `${pt[0].toFixed(1)},${pt[1].toFixed(1)}`).join(" "),
        fill: "none", "stroke-width": 2, "stroke-dasharray": dashes[n % dashes.length],
      }));
    }
    for (const pt of points) {
      const shape = markers[n % markers.length];
      let mark;
      if (shape === "rect") {
        mark = svg("rect", {x: pt[0] - 4, y: pt[1] - 4, width: 8, height: 8});
      } else if (shape === "diamond" || shape === "triangle") {
        const d = shape === "diamond" ? [[0, -5], [5, 0], [0, 5], [-5, 0]] : [[0, -5], [5, 4], [-5, 4]];
        mark = svg("polygon", {
          points: d.map((c) => `${(pt[0] + c[0]).toFixed(1)},${(pt[1] + c[1]).toFixed(1)}`).join(" "),
        });
      } else {
        mark = svg("circle", {cx: pt[0], cy: pt[1], r: 4});
      }
      mark.appendChild(svg("title", {}, `${line.label}: ${pt[2]} (${shortDate(pt[3])})`));
      group.appendChild(mark);
    }
    root.appendChild(group);
  });
  chart.textContent = "";
  chart.appendChild(root);
  if (lines.length > 1) {
    const legend = el("ul", {class: "measure-chart-legend"});
    lines.forEach((line, n) => {
      const item = el("li");
      const sample = svg("svg", {width: 36, height: 12, "aria-hidden": "true", focusable: "false"});
      sample.appendChild(svg("line", {
        x1: 0, y1: 6, x2: 36, y2: 6, stroke: "currentColor",
        "stroke-width": 2, "stroke-dasharray": dashes[n % dashes.length],
      }));
      item.appendChild(sample);
      item.appendChild(document.createTextNode(` ${line.label}`));
      legend.appendChild(item);
    });
    chart.appendChild(legend);
  }

  const bands = def.scoring === "sum" ? def.bands || [] : [];
  const grid = el("table");
  grid.appendChild(markLanguage("chart", el("caption", {}, message("chart"))));
  const head = el("tr");
  head.appendChild(markLanguage("date", el("th", {scope: "col"}, message("date"))));
  for (const line of lines) {
    head.appendChild(def.scoring === "sum"
      ? markLanguage("total", el("th", {scope: "col"}, message("total")))
      : el("th", {scope: "col"}, line.label));
  }
  if (bands.length) head.appendChild(markLanguage("band", el("th", {scope: "col"}, message("band"))));
  const thead = el("thead");
  thead.appendChild(head);
  grid.appendChild(thead);
  const tbody = el("tbody");
  for (const r of results) {
    const row = el("tr");
    row.appendChild(el("th", {scope: "row"}, shortDate(r.date)));
    for (const line of lines) {
      const v = line.value(r);
      row.appendChild(el("td", {}, typeof v === "number" ? String(v) : "–"));
    }
    if (bands.length) {
      const band = bands.find((b) => b.id === r.band);
      row.appendChild(el("td", {}, band ? band.label : "–"));
    }
    tbody.appendChild(row);
  }
  grid.appendChild(tbody);
  table.textContent = "";
  table.appendChild(grid);
  history.hidden = false;
}
