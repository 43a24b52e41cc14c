"""Coverage: how much of each module is translated, per locale, as text, JSON or a web page."""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from icbt_content.adaptation.overrides import AdaptationSet, load_adaptations
from icbt_content.authoring.loader import relative
from icbt_content.i18n.segments import Segment, words
from icbt_content.i18n.sources import interface_template
from icbt_content.i18n.translations import (
    INTERFACE,
    Translations,
    load_translations,
    programmes,
    translated_locales,
)
from icbt_content.i18n.walk import CRISIS_UNIT, PROGRAMME_UNIT, walk_programme
from icbt_content.model.programme import CHECK_IN_UNIT

NOTES_ROW = "(therapist notes)"
GUIDANCE_ROW = "(guidance messages)"


@dataclass
class Row:
    """Coverage of one module (or other part) in one locale."""

    unit: str
    translated: int = 0
    review: int = 0
    """Fuzzy, or failing a check: needs a translator's review before it is published."""
    untranslated: int = 0
    adapted: int = 0
    """Covered by an adaptation."""
    words: int = 0
    words_done: int = 0
    published: bool = True
    """Served in this locale (every client segment translated or adapted)."""

    @property
    def total(self) -> int:
        return self.translated + self.review + self.untranslated + self.adapted

    @property
    def percent(self) -> float:
        if not self.words:
            return 100.0
        return round(100.0 * self.words_done / self.words, 1)

    def add(self, state: str, count: int) -> None:
        setattr(self, state, getattr(self, state) + 1)
        self.words += count
        if state in ("translated", "adapted"):
            self.words_done += count

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["percent"] = self.percent
        return data


@dataclass
class Coverage:
    """Coverage of one catalog (a programme or the interface) in one locale."""

    locale: str
    domain: str
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> Row:
        total = Row("total")
        for row in self.rows:
            for name in ("translated", "review", "untranslated", "adapted", "words", "words_done"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        total.published = all(r.published for r in self.rows)
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "catalog": self.domain,
            "modules": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict(),
        }


def _state(segment: Segment, translations: Translations | None) -> str:
    if segment.adapted:
        return "adapted"
    if translations is None:
        return "untranslated"
    key = (segment.context, segment.source)
    if key in translations.published:
        return "translated"
    entry = translations.entries.get(key)
    if entry is not None and entry.translated:
        return "review"
    return "untranslated"


def _row_name(segment: Segment) -> str:
    if not segment.client:
        return NOTES_ROW
    if segment.unit.startswith("guidance:"):
        return GUIDANCE_ROW
    if segment.unit in (PROGRAMME_UNIT, CRISIS_UNIT, CHECK_IN_UNIT):
        return f"({segment.unit})"
    return segment.unit


def coverage(project: Path, locales: list[str] | None = None) -> list[Coverage]:
    """Coverage of every catalog of every locale (or of the given locales)."""
    result: list[Coverage] = []
    loaded_all = programmes(project)
    interface = interface_template(project)
    for locale in locales or translated_locales(project):
        ui = load_translations(project, locale, INTERFACE)
        # Only catalogs that exist: a locale that does not translate a programme has no
        # coverage of it to report (it is not published, and nobody is behind on it).
        row = Row("(interface)")
        for entry in interface.entries if ui is not None else ():
            key = entry.key
            state = "untranslated"
            if ui is not None and (key in ui.published or key in ui.published_plurals):
                state = "translated"
            elif ui is not None and key in ui.entries and ui.entries[key].translated:
                state = "review"
            row.add(state, words(entry.msgid))
        row.published = row.untranslated == 0 and row.review == 0
        if ui is not None:
            result.append(Coverage(locale, INTERFACE, [row]))
        for loaded in loaded_all:
            assert loaded.programme is not None
            translations = load_translations(project, locale, loaded.programme.id)
            if translations is None:
                continue
            items, _ = load_adaptations(project, locale, loaded.programme.id)
            walk = walk_programme(
                loaded.programme,
                adaptations=AdaptationSet(items),
                sources=loaded.sources,
                programme_dir=relative(loaded.root, project),
            )
            rows: dict[str, Row] = {}
            for name in [
                "(programme)",
                "(crisis)",
                *(["(check-in)"] if loaded.programme.check_in else []),
                *(m.id for m in loaded.programme.modules),
                GUIDANCE_ROW,
                NOTES_ROW,
            ]:
                rows[name] = Row(name)
            for segment in walk.segments:
                state = _state(segment, translations)
                target = rows.setdefault(_row_name(segment), Row(_row_name(segment)))
                target.add(state, words(segment.source))
                if segment.client and state not in ("translated", "adapted"):
                    target.published = False
            for name in (NOTES_ROW, GUIDANCE_ROW):
                # Each message and each module's notes is served whole or not at all; the row
                # shows whether all of them are.
                rows[name].published = rows[name].untranslated == rows[name].review == 0
            result.append(
                Coverage(locale, loaded.programme.id, [r for r in rows.values() if r.total])
            )
    return result


def coverage_json(items: list[Coverage]) -> str:
    return json.dumps({"catalogs": [c.as_dict() for c in items]}, ensure_ascii=False, indent=2)


def coverage_text(items: list[Coverage]) -> str:
    """A table per locale and catalog."""
    out: list[str] = []
    head = (
        f"{'module':<32} {'translated':>10} {'review':>7} {'untransl.':>9} {'adapted':>7} "
        f"{'words':>7} {'done':>6}  served"
    )
    for item in items:
        out.append(f"{item.locale} / {item.domain}")
        out.append(head)
        for row in [*item.rows, item.total]:
            served = "yes" if row.published else "source"
            out.append(
                f"{row.unit[:32]:<32} {row.translated:>10} {row.review:>7} {row.untranslated:>9} "
                f"{row.adapted:>7} {row.words:>7} {row.percent:>5.1f}%  {served}"
            )
        out.append("")
    return "\n".join(out)


def coverage_html(items: list[Coverage]) -> str:
    """A self-contained dashboard page: a bar per locale and module."""
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        "<title>Translation coverage</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;color:#1b1b1b}table{border-collapse:collapse;width:100%;margin-bottom:2rem}"
        "th,td{text-align:start;padding:.3rem .5rem;border-bottom:1px solid #ddd}"
        ".bar{display:flex;height:1rem;min-width:12rem;background:#e8e8e8}"
        ".t{background:#1d7a3e}.a{background:#2a5db0}.r{background:#b36b00}"
        ".n{font-variant-numeric:tabular-nums;text-align:end}</style></head><body>",
        "<h1>Translation coverage</h1>",
        "<p>Green: translated. Blue: adapted. Orange: needs review. Grey: untranslated. "
        "A module is served in a locale only when all of it is translated or adapted.</p>",
    ]
    for item in items:
        title = html.escape(f"{item.locale}: {item.domain}")
        parts.append(f"<h2>{title}</h2><table><thead><tr><th scope='col'>Module</th>")
        parts.append(
            "<th scope='col'>Progress</th><th scope='col' class='n'>Words</th>"
            "<th scope='col' class='n'>Done</th><th scope='col'>Served</th></tr></thead><tbody>"
        )
        for row in [*item.rows, item.total]:
            total = max(row.total, 1)
            widths = [
                (cls, 100.0 * count / total)
                for cls, count in (("t", row.translated), ("a", row.adapted), ("r", row.review))
            ]
            bar = "".join(
                f"<span class='{cls}' style='width:{width:.1f}%'></span>"
                for cls, width in widths
                if width
            )
            label = (
                f"{row.translated} translated, {row.adapted} adapted, {row.review} to review, "
                f"{row.untranslated} untranslated"
            )
            parts.append(
                f"<tr><th scope='row'>{html.escape(row.unit)}</th>"
                f"<td><div class='bar' role='img' aria-label='{html.escape(label)}'>"
                f"{bar}</div></td>"
                f"<td class='n'>{row.words}</td><td class='n'>{row.percent:.1f}%</td>"
                f"<td>{'yes' if row.published else 'in the source language'}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def below(items: list[Coverage], threshold: float) -> list[Coverage]:
    """Catalogs whose total coverage is below ``threshold`` percent."""
    return [item for item in items if item.total.percent < threshold]
