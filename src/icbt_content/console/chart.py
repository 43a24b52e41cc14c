"""Scores over time as an SVG line chart on the measure's bands (the table beside it is the
accessible equivalent: the chart is one image with a title and a description)."""

from __future__ import annotations

from markupsafe import Markup, escape

from icbt_content.console.record import MeasureHistory

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 132, 12, 32
#: Space between the plot's edges and the first and last points.
INSET = 14


def _top_score(history: MeasureHistory) -> int:
    measure = history.measure
    if measure.score_range is not None:
        return measure.score_range[1]
    highest = [b.max for b in measure.bands]
    totals = [p.result.total for p in history.points if p.result.total is not None]
    return max([*highest, *totals, 1])


def score_chart(history: MeasureHistory, chart_id: str) -> Markup:
    """Return an inline SVG of the history's totals, with the bands shaded behind them."""
    top = _top_score(history)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(TOP + plot_h - plot_h * value / top, 1)

    points = [p for p in history.points if p.result.total is not None]
    step = (plot_w - 2 * INSET) / max(1, len(points) - 1)
    parts: list[str] = []
    for index, band in enumerate(history.measure.bands):
        upper, lower = y(min(band.max + 0.5, top)), y(max(band.min - 0.5, 0))
        parts.append(
            f'<rect class="band band-{index % 5}" x="{LEFT}" y="{upper}" width="{plot_w}" '
            f'height="{round(lower - upper, 1)}"/>'
        )
        middle = round((upper + lower) / 2 + 4, 1)
        # Labels stand right of the plot, where no point can cover them.
        parts.append(
            f'<text class="band-label" x="{LEFT + plot_w + 6}" y="{middle}">'
            f"{escape(band.label)}</text>"
        )
    if history.measure.caseness is not None:
        line = y(history.measure.caseness - 0.5)
        parts.append(
            f'<line class="caseness" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{line}" y2="{line}"/>'
        )
    for tick in (0, top // 2, top):
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y(tick) + 4}" text-anchor="end">{tick}</text>'
        )
    coords = [
        (round(LEFT + INSET + i * step, 1), y(p.result.total or 0)) for i, p in enumerate(points)
    ]
    if len(coords) > 1:
        path = " ".join(f"{x},{yy}" for x, yy in coords)
        parts.append(f'<polyline class="scores" points="{path}"/>')
    for (x, yy), point in zip(coords, points, strict=True):
        parts.append(f'<circle class="score" cx="{x}" cy="{yy}" r="4"/>')
        label = point.authored.date().isoformat() if point.authored else ""
        parts.append(
            f'<text class="axis" x="{x}" y="{HEIGHT - 10}" text-anchor="middle">{label}</text>'
        )
    totals = ", ".join(str(p.result.total) for p in points)
    title = f"{history.measure.title}: scores over time"
    description = (
        f"{len(points)} completions, totals from first to latest: {totals}. "
        "The table below lists each completion with its band."
    )
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
