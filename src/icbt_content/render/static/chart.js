/* A measure's results over time: inline SVG line charts, with the same data as a table.
 *
 * Made to be read on a phone: each chart is drawn at the width it is shown at (one SVG unit is
 * one CSS pixel, so its words are never scaled below their size, at least 12 px), with its own
 * axis, and one line: the total of a summed measure, or, for a measure whose items are read one
 * by one, one small chart per item. A summed measure's bands are named on the chart and in the
 * table. The table is the chart's alternative: in a region a keyboard can scroll, named after
 * the measure so that two on one page are told apart.
 * Drawn with DOM methods only (no markup strings), in the page's language for dates.
 */
import {markLanguage, message} from "./messages.js";
import {optionSet, totalRange} from "./scoring.js";

const SVG = "http://www.w3.org/2000/svg";
/** The size of every word on a chart, in CSS pixels. */
export const LABEL_PX = 14;
const NARROWEST = 260;
const WIDEST = 720;
const HEIGHT = 240;

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

/** The lines of a measure's history: {label, value(result), range, bands}, one chart each. */
export function series(def) {
  if (def.scoring === "sum") {
    return [{
      label: def.short_title || def.title,
      value: (r) => (typeof r.total === "number" ? r.total : null),
      range: totalRange(def),
      bands: def.bands || [],
      caseness: def.caseness,
    }];
  }
  return def.items.map((item, n) => {
    const set = optionSet(def, item);
    return {
      label: `${n + 1}. ${item.text}`,
      value: (r) => (r.answers && typeof r.answers[item.id] === "number" ? r.answers[item.id] : null),
      range: [set.min, set.max],
      bands: [],
      caseness: null,
    };
  });
}

/** Mark element as in the measure's own language (wording: {lang, dir}, from the build, when
 * the measure's words are not in the page's). Returns element. */
export function inWording(element, wording) {
  if (wording && typeof wording.lang === "string") {
    element.setAttribute("lang", wording.lang);
    if (typeof wording.dir === "string" && wording.dir !== document.documentElement.dir) {
      element.setAttribute("dir", wording.dir);
    }
  }
  return element;
}

/** The band of a result, by its id, or null. */
export function bandOf(def, result) {
  return (def.bands || []).find((b) => b.id === result.band) || null;
}

function widthOf(container) {
  const shown = container && container.clientWidth ? container.clientWidth : WIDEST;
  return Math.max(NARROWEST, Math.min(WIDEST, Math.floor(shown)));
}

/** One line's chart as an SVG element of the given width (CSS px). */
export function lineChart(line, results, titleId, summary, width, wording = null) {
  const height = HEIGHT;
  const left = 44;
  const right = 12;
  const top = 12;
  const bottom = 36;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const [low, high] = line.range;
  const x = (i) => (results.length === 1 ? left + plotW / 2 : left + (plotW * i) / (results.length - 1));
  const y = (v) => top + plotH - (plotH * (v - low)) / ((high - low) || 1);
  // Geometry is left to right in every language; words inside keep their own direction.
  const root = svg("svg", {
    width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": titleId,
    class: "measure-chart-svg", focusable: "false", direction: "ltr", "font-size": LABEL_PX,
  });
  root.appendChild(svg("title", {id: titleId}, summary));
  // The bands, named where there is room for their name.
  line.bands.forEach((band, n) => {
    const from = Math.max(low, band.min - 0.5);
    const to = Math.min(high, band.max + 0.5);
    if (to <= from) return;
    const y1 = y(to);
    const y2 = y(from);
    root.appendChild(svg("rect", {
      x: left, y: y1, width: plotW, height: y2 - y1, fill: "currentColor",
      "fill-opacity": n % 2 ? 0.1 : 0.03, class: "measure-band",
    }));
    if (y2 - y1 >= LABEL_PX + 4) {
      root.appendChild(inWording(svg("text", {
        x: left + 6, y: y1 + LABEL_PX, fill: "currentColor", class: "measure-band-name",
      }, band.label), wording));
    }
  });
  const axes = svg("g", {stroke: "currentColor", "stroke-width": 1, fill: "none"});
  axes.appendChild(svg("line", {x1: left, y1: top, x2: left, y2: top + plotH}));
  axes.appendChild(svg("line", {x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH}));
  root.appendChild(axes);
  const labels = svg("g", {fill: "currentColor"});
  for (const v of new Set([low, Math.round((low + high) / 2), high])) {
    labels.appendChild(svg("text", {x: left - 6, y: y(v) + 5, "text-anchor": "end"}, String(v)));
  }
  // As many dates as fit: about one per 110 px.
  const most = Math.max(1, Math.floor(plotW / 110));
  const step = Math.max(1, Math.ceil(results.length / most));
  results.forEach((r, i) => {
    if (i % step === 0 || i === results.length - 1) {
      if (i !== results.length - 1 && results.length - 1 - i < step) return;
      let anchor = "middle";
      if (results.length > 1 && i === 0) anchor = "start";
      else if (results.length > 1 && i === results.length - 1) anchor = "end";
      labels.appendChild(svg("text", {x: x(i), y: height - 12, "text-anchor": anchor}, shortDate(r.date)));
    }
  });
  root.appendChild(labels);
  if (line.caseness !== null && line.caseness !== undefined) {
    root.appendChild(svg("line", {
      x1: left, x2: left + plotW, y1: y(line.caseness), y2: y(line.caseness),
      stroke: "currentColor", "stroke-dasharray": "2 4", "stroke-width": 1,
    }));
    root.appendChild(svg("text", {
      x: left + plotW - 4, y: y(line.caseness) - 4, "text-anchor": "end", fill: "currentColor",
    }, `${message("threshold")} ${line.caseness}`));
  }
  const points = [];
  results.forEach((r, i) => {
    const v = line.value(r);
    if (typeof v === "number") points.push([x(i), y(v), v, r.date]);
  });
  const group = svg("g", {stroke: "currentColor", fill: "currentColor", class: "measure-line"});
  if (points.length > 1) {
    group.appendChild(svg("polyline", {
      points: points.map((pt) => `${pt[0].toFixed(1)},${pt[1].toFixed(1)}`).join(" "),
      fill: "none", "stroke-width": 2.5,
    }));
  }
  for (const pt of points) {
    const mark = svg("circle", {cx: pt[0], cy: pt[1], r: 5});
    mark.appendChild(svg("title", {}, `${line.label}: ${pt[2]} (${shortDate(pt[3])})`));
    group.appendChild(mark);
  }
  root.appendChild(group);
  return root;
}

/** The summary a chart is named by: what it shows, and the latest result with its band. */
function summaryOf(def, line, results) {
  let summary = `${message("resultsOf", {measure: line.label})}.`;
  const last = results[results.length - 1];
  const value = last ? line.value(last) : null;
  if (value !== null && value !== undefined) {
    summary += ` ${message("chartLatest", {score: value, date: shortDate(last.date)})}`;
    const band = line.bands.length ? bandOf(def, last) : null;
    if (band) summary += ` ${band.label}`;
  }
  return summary;
}

/** Draw the charts of a measure's results into container, one per line, each with its own
 * axis, at the width the container has now; returns the number drawn. */
export function drawCharts(container, def, results, idBase, wording = null) {
  container.textContent = "";
  const width = widthOf(container);
  const lines = series(def);
  lines.forEach((line, n) => {
    const figure = el("div", {class: "measure-chart-one"});
    if (lines.length > 1) {
      figure.appendChild(inWording(el("p", {class: "measure-chart-label"}, line.label), wording));
    }
    const summary = summaryOf(def, line, results);
    figure.appendChild(lineChart(line, results, `${idBase}-chart-${n}`, summary, width, wording));
    container.appendChild(figure);
  });
  container.dataset.icbtChartWidth = String(width);
  return lines.length;
}

/** The results as a table in a region a keyboard can scroll, named by its caption (which names
 * the measure). */
export function resultsTable(def, results, idBase, region = el("div"), wording = null) {
  const lines = series(def);
  const bands = def.scoring === "sum" ? def.bands || [] : [];
  const captionId = `${idBase}-table-caption`;
  region.textContent = "";
  region.classList.add("table-scroll");
  region.setAttribute("role", "region");
  region.setAttribute("tabindex", "0");
  region.setAttribute("aria-labelledby", captionId);
  const grid = el("table");
  const title = def.short_title || def.title;
  grid.appendChild(markLanguage("resultsOf", el("caption", {id: captionId}, message("resultsOf", {measure: title}))));
  const head = el("tr");
  head.appendChild(markLanguage("date", el("th", {scope: "col"}, message("date"))));
  for (const line of lines) {
    head.appendChild(def.scoring === "sum"
      ? markLanguage("total", el("th", {scope: "col"}, message("total")))
      : inWording(el("th", {scope: "col"}, line.label), wording));
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
      const band = bandOf(def, r);
      row.appendChild(band ? inWording(el("td", {}, band.label), wording) : el("td", {}, "–"));
    }
    tbody.appendChild(row);
  }
  grid.appendChild(tbody);
  region.appendChild(grid);
  return region;
}

/** Container -> how to draw its charts again (the latest drawing of each). */
const drawn = new Map();
let watching = false;

/* Charts are drawn at the width they are shown at: redrawn when that changes (a phone turned,
 * a window resized), so their words keep their size. */
function watchWidth(container, redraw) {
  drawn.set(container, redraw);
  if (watching) return;
  watching = true;
  let timer = null;
  window.addEventListener("resize", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      for (const [container, redraw] of drawn) {
        if (!container.isConnected) drawn.delete(container);
        else if (String(widthOf(container)) !== container.dataset.icbtChartWidth) redraw();
      }
    }, 150);
  });
}

/** Draw charts into container and keep them at its width. */
export function keepCharts(container, def, results, idBase, wording = null) {
  drawCharts(container, def, results, idBase, wording);
  watchWidth(container, () => drawCharts(container, def, results, idBase, wording));
}

/** Draw results ({date, answers, total, band}, oldest first) into a history section (its
 * [data-chart] and [data-table]); the ids of its charts and table start with idBase. */
export function drawHistory(history, def, results, idBase) {
  if (!history || !results.length) return;
  const chart = history.querySelector("[data-chart]");
  const table = history.querySelector("[data-table]");
  if (!chart || !table) return;
  history.hidden = false; // shown first: the charts are drawn at the width they are shown at
  keepCharts(chart, def, results, idBase);
  resultsTable(def, results, idBase, table);
}
