"""Server-side SVG: a bar per value against its range, and a trend chart over saved panels.

Hand-written SVG keeps the page offline, script-free and identical in print. Every chart has a
text alternative (``<title>`` and ``aria-label``) carrying the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import Language

STATUS_COLOURS = {"high": "#b3261e", "low": "#b3261e", "normal": "#1b6e3a"}


def value_bar(
    label: str,
    value: float,
    lower: float | None,
    upper: float,
    status: str | None,
    unit: str,
    range_word: str = "range",
) -> Markup:
    """A 200x22 bar: the grey track, the reference range in green, a marker at the value."""
    top = max(value, upper) * 1.25 or 1.0
    width = 200.0

    def x(v: float) -> float:
        return round(min(max(v, 0.0), top) / top * width, 1)

    lo = x(lower or 0.0)
    colour = STATUS_COLOURS.get(status or "", "#444")
    low = "" if lower is None else f"{lower:g}-"
    text = f"{label} {value:g} {unit}; {range_word} {low}{upper:g}"
    return Markup(
        f'<svg class="bar" viewBox="0 0 {width:g} 22" width="200" height="22" role="img" '
        f'aria-label="{escape(text)}"><title>{escape(text)}</title>'
        f'<rect x="0" y="8" width="{width:g}" height="6" rx="3" fill="#e3e3e3"/>'
        f'<rect x="{lo}" y="8" width="{x(upper) - lo}" height="6" fill="#9fd3ae"/>'
        f'<circle cx="{x(value)}" cy="11" r="6" fill="{colour}"/></svg>'
    )


@dataclass(frozen=True)
class Point:
    on: date
    value: float
    upper: float
    href: str | None = None  # where the point leads (the saved result it comes from)


DATE_GAP = 78.0  # the least room between two date labels, in chart units (a label is ~64)


SERIES_COLOURS = ("#1f4e9c", "#b35c00", "#6a3d9a", "#2f7d32")


@dataclass(frozen=True)
class Ahead:
    """The retest window drawn ahead of the last point: its first and last day and its label."""

    first: date
    last: date
    label: str


def trend_chart(
    series: Mapping[str, Sequence[Point]],
    unit: str,
    title: str,
    names: Mapping[str, str] | None = None,
    point: str = "{name} {value} {unit} on {date}",
    limit_word: str = "upper limit",
    width: float = 640.0,
    ahead: Ahead | None = None,
    chart_id: str = "trend",
) -> Markup:
    """Lines for each analyte over time, with each one's upper limit shaded as a band, and
    the retest window (``ahead``) shaded after the last point when there is one.

    ``series`` is keyed by analyte id (used for CSS classes); ``names`` gives the words shown
    for each (the report's language), and ``point`` the tooltip of a point, with ``{name}``,
    ``{value}``, ``{unit}`` and ``{date}``. A chart whose points link to their results is a
    named group of links (``role="group"``); one without links is an image (``role="img"``),
    since an image's children are not reachable. ``chart_id`` keeps ids unique when a page
    draws several charts.
    """
    names = names or {}
    points = [p for s in series.values() for p in s]
    if not points:
        return Markup("")
    w, h, left, bottom, top_pad = width, 260.0, 48.0, 30.0, 12.0
    narrow = width < 640.0  # a phone's chart: the same numbers, drawn for a narrow screen
    css = "trend trend-narrow" if narrow else "trend"
    title_id = f"{chart_id}-title-narrow" if narrow else f"{chart_id}-title"
    role = "group" if any(p.href for p in points) else "img"
    first = min(p.on for p in points)
    last = max([p.on for p in points] + ([ahead.last] if ahead else []))
    span = max((last - first).days, 1)
    ymax = max(max(p.value for p in points), max(p.upper for p in points)) * 1.15

    def x(d: date) -> float:
        return round(left + (d - first).days / span * (w - left - 10), 1)

    def y(v: float) -> float:
        return round(h - bottom - v / ymax * (h - bottom - top_pad), 1)

    parts = [
        f'<svg class="{css}" viewBox="0 0 {w:g} {h:g}" role="{role}" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<line x1="{left}" y1="{h - bottom}" x2="{w - 10}" y2="{h - bottom}" stroke="#888"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{h - bottom}" stroke="#888"/>',
    ]
    for frac in (0, 0.5, 1):
        v = ymax * frac / 1.15
        parts.append(
            f'<text x="{left - 6}" y="{y(v) + 4}" text-anchor="end" font-size="13">{v:.0f}</text>'
        )
    parts.append(f'<text x="{left - 44}" y="{top_pad + 4}" font-size="12">{escape(unit)}</text>')
    if ahead is not None:  # the retest window, after the last result
        x0, x1 = x(ahead.first), max(x(ahead.last), x(ahead.first) + 4)
        parts.append(
            f'<rect class="retest-window" x="{x0}" y="{top_pad}" width="{round(x1 - x0, 1)}" '
            f'height="{h - bottom - top_pad}" fill="#1b6e3a" fill-opacity="0.12" '
            f'stroke="#1b6e3a" stroke-dasharray="3 3"><title>{escape(ahead.label)}</title></rect>'
        )
        parts.append(
            f'<text class="retest-label" x="{x1 - 3}" y="{h - bottom - 6}" text-anchor="end" '
            f'font-size="12" fill="#1b6e3a">{escape(ahead.label)}</text>'
        )
    for i, (key, pts) in enumerate(series.items()):
        if not pts:
            continue
        name = names.get(key, key)
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        pts = sorted(pts, key=lambda p: p.on)
        band = " ".join(f"{x(p.on)},{y(p.upper)}" for p in pts)
        base = f"{x(pts[-1].on)},{y(0)} {x(pts[0].on)},{y(0)}"
        if len(pts) > 1:
            parts.append(
                f'<polygon class="uln-band" points="{band} {base}" fill="{colour}" '
                f'fill-opacity="0.08" stroke="{colour}" stroke-dasharray="4 3" '
                f'stroke-opacity="0.6"/>'
            )
            parts.append(  # the band says what it is, at its last point
                f'<text class="uln-label" x="{x(pts[-1].on) - 4}" y="{y(pts[-1].upper) - 5}" '
                f'text-anchor="end" font-size="12" fill="{colour}">'
                f"{escape(name)} {escape(limit_word)}</text>"
            )
        line = " ".join(f"{x(p.on)},{y(p.value)}" for p in pts)
        parts.append(
            f'<polyline class="series series-{escape(key.lower())}" points="{line}" '
            f'fill="none" stroke="{colour}" stroke-width="2.5"/>'
        )
        for p in pts:
            tip = point.format(name=name, value=f"{p.value:g}", unit=unit, date=p.on.isoformat())
            dot = (
                f'<circle cx="{x(p.on)}" cy="{y(p.value)}" r="5" fill="{colour}">'
                f"<title>{escape(tip)}</title></circle>"
            )
            parts.append(
                f'<a href="{escape(p.href)}" aria-label="{escape(tip)}">{dot}</a>'
                if p.href
                else dot
            )
        parts.append(
            f'<text x="{w - 150}" y="{top_pad + 14 + 16 * i}" font-size="13" '
            f'fill="{colour}">— {escape(name)}</text>'
        )
    parts += _date_labels(sorted({p.on for p in points}), x, h - 10)
    parts.append("</svg>")
    return Markup("".join(parts))


def _date_labels(days: list[date], x: Callable[[date], float], at: float) -> list[str]:
    """Date labels that never run off the chart or into each other: the first starts at its
    point, the last ends at its point, and a label closer than ``DATE_GAP`` to one already
    kept is left out (its point still carries the date in its tooltip)."""
    kept: list[date] = []
    for i, d in enumerate(days):
        last = i == len(days) - 1
        if kept and x(d) - x(kept[-1]) < DATE_GAP:
            if not last:
                continue
            if len(kept) > 1:
                kept.pop()  # the last date matters more than the one before it
            else:
                continue
        kept.append(d)
    out = []
    for i, d in enumerate(kept):
        anchor = "start" if i == 0 and len(kept) > 1 else "end" if i == len(kept) - 1 else "middle"
        out.append(
            f'<text class="date" x="{x(d)}" y="{at}" font-size="12" '
            f'text-anchor="{anchor}">{d.isoformat()}</text>'
        )
    return out


CHART_WORDS = ("ui.chart.title", "ui.chart.point", "ui.chart.upper_limit", "join.and")


def chart_words(kb: KnowledgeBase, lang: Language) -> dict[str, str]:
    """The chart's word patterns in ``lang`` (a report carries these; so does a page)."""
    return {w: kb.text(w).text.get(lang) for w in CHART_WORDS}


def worded_trend_chart(
    words: Mapping[str, str],
    names: Mapping[str, str],
    series: Mapping[str, Sequence[Point]],
    unit: str,
    width: float = 640.0,
    ahead: Ahead | None = None,
    chart_id: str = "trend",
) -> Markup:
    """``trend_chart`` with its words: ``words`` holds the ``CHART_WORDS`` patterns and
    ``names`` each analyte's name, in one language. The web history page and the PDF draw
    the same chart."""
    shown = {a: names[a] for a in series}
    title = words["ui.chart.title"].format(names=words["join.and"].join(shown.values()))
    return trend_chart(
        series,
        unit,
        title,
        shown,
        words["ui.chart.point"],
        words["ui.chart.upper_limit"],
        width,
        ahead,
        chart_id,
    )
