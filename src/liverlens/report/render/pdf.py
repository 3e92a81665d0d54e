"""PDF rendering with WeasyPrint: the HTML report on A4 with a print stylesheet, the value bars,
and the ALT/AST trend chart when earlier results exist. Fonts: Noto Sans CJK SC when
installed (Debian: fonts-noto-cjk), so Chinese reports embed a real CJK font."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from liverlens.extras import require
from liverlens.report.render import charts, html

if TYPE_CHECKING:
    from liverlens.report.model import Report

# the fonts of every PDF LiverLens writes (the report, the one-page summary): a CJK font first,
# so a Chinese report embeds real glyphs, then Latin fallbacks
FONT_CSS = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Noto Sans", "DejaVu Sans", sans-serif; }
"""
CSS = """
@page { size: A4; margin: 16mm 15mm 18mm; @bottom-right { content: counter(page) " / "
  counter(pages); font-size: 8pt; color: #666; } }
body { font-size: 10pt; line-height: 1.45; color: #1d1d1f; }
h1 { font-size: 16pt; margin: 0 0 6pt; } h2 { font-size: 12.5pt; margin: 12pt 0 4pt;
  border-bottom: 0.5pt solid #ccc; } h3 { font-size: 11pt; margin: 8pt 0 2pt; }
.urgent { border: 2pt solid #b3261e; background: #fdecea; padding: 4pt 8pt; }
.urgent h2 { color: #b3261e; border: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border-bottom: 0.5pt solid #ddd; padding: 2pt 4pt; text-align: left; }
sup.cite { font-size: 6.5pt; } sup.cite a { color: #1f4e9c; text-decoration: none; }
dt { font-weight: bold; } dd { margin: 0 0 3pt 0; }
article.cause { border-left: 2pt solid #ccc; padding-left: 6pt; break-inside: avoid; }
.values h2 { border: 0; margin-top: 4pt; } .bars { list-style: none; padding: 0; }
.bars li { margin: 1pt 0; }
.status-high, .status-low { color: #b3261e; font-weight: bold; }
#sources li { font-size: 8pt; overflow-wrap: anywhere; }
.disclaimer { color: #555; font-size: 8.5pt; }
details > summary { list-style: none; } .card-details > summary { font-weight: bold; }
.more-detail > summary h2 { font-size: 14pt; border-bottom: 1pt solid #999; }
.cause-sources { font-size: 8.5pt; color: #555; }
svg.trend { width: 160mm; height: auto; }
"""


def _trend(report: Report) -> Markup | None:
    """The ALT/AST chart over the report's earlier results, when there are any."""
    by_analyte: dict[str, list[charts.Point]] = {}
    for p in report.series:
        on = p["on"] if isinstance(p["on"], date) else date.fromisoformat(str(p["on"]))
        by_analyte.setdefault(str(p["analyte"]), []).append(
            charts.Point(on, float(p["value"]), float(p["upper"]))
        )
    if not by_analyte:
        return None
    return charts.worded_trend_chart(report.words, report.analyte_names, by_analyte, "U/L")


def html_document(report: Report) -> str:
    body = html.render(report, after_values=_trend(report), open_=True)
    lang = report.language_tag
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(report.title)}</title><style>{FONT_CSS}{CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


def write_pdf(document: str) -> bytes:
    """A whole HTML document (with its own CSS) as PDF bytes, through WeasyPrint."""
    weasyprint = require("weasyprint", "PDF output", "pdf")
    pdf: bytes = weasyprint.HTML(string=document).write_pdf()
    return pdf


def render(report: Report) -> bytes:
    return write_pdf(html_document(report))
