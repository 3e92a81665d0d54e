"""The clinician summary laid out: an HTML fragment (the web's clinician view and print view),
a one-page A4 PDF, and the Markdown of the CDS Hooks card detail.

All three render one ``ClinicianSummary`` (``report/clinician.py``), so what a doctor reads
on the page the patient brings, on the web and in the EHR is the same. This module decides
only how it looks: the order is the summary's (urgency and red flags first), the words are
the summary's. The PDF must fit one page for any panel: the layout is dense (two columns for
the details and the lists, small print for the sources), and ``tests/test_summary.py``
renders the vignettes to hold it to one page.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from liverlens.extras import require
from liverlens.report.clinician import Cited, ClinicianSummary

# font sizes in em of the body's size, so one number scales the page (``FIT_SIZES``)
PDF_CSS = """
@page { size: A4; margin: 10mm 11mm 10mm; }
body { line-height: 1.28; color: #1d1d1f; margin: 0; }
h1 { font-size: 1.56em; margin: 0; }
h2 { font-size: 1.12em; margin: 0.55em 0 0.2em; padding-bottom: 1pt;
  border-bottom: 0.5pt solid #bbb; }
h3 { font-size: 1em; margin: 0.25em 0 0; }
p, ul, ol, dl { margin: 0; }
ul, ol { padding-left: 1.4em; }
.meta { color: #555; font-size: 0.94em; }
.urgency { border: 1pt solid #999; padding: 2pt 6pt; margin: 0.5em 0 0.25em; }
.urgency-urgent { border: 1.5pt solid #b3261e; background: #fdecea; }
.urgency-soon { border: 1.2pt solid #8a5a00; background: #fff6e0; }
.urgency p { font-weight: bold; }
.grid { display: flex; gap: 12pt; }
.grid > .col { flex: 1 1 0; min-width: 0; }
dl.details div { display: inline; margin-right: 1.1em; }
dl.details dt { display: inline; font-weight: bold; }
dl.details dd { display: inline; margin: 0 0 0 0.25em; }
table { border-collapse: collapse; width: 100%; font-size: 0.975em; }
th, td { border-bottom: 0.4pt solid #ddd; padding: 0.1em 0.38em; text-align: left;
  vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
.status-high, .status-low { color: #b3261e; font-weight: bold; }
sup.cite { font-size: 0.69em; color: #444; }
sup.cite a { color: inherit; text-decoration: none; }
.causes li { margin-bottom: 0.12em; } .causes ul { list-style: square; color: #333; }
.sources { font-size: 0.75em; color: #444; line-height: 1.2; column-count: 2; column-gap: 10pt;
  padding-left: 0; list-style: none; }
.sources li { overflow-wrap: anywhere; break-inside: avoid; }
.disclaimer { font-size: 0.875em; color: #444; margin-top: 0.5em; }
footer { margin-top: 0.4em; }
"""
# the body's font size in pt: the first at which the summary fits one page is used (every
# vignette fits at the first; the smaller ones hold a panel with every field filled in)
FIT_SIZES = (8.0, 7.2, 6.5, 5.8)


def _cite(line: Cited, link: bool = True) -> Markup:
    """A line with its source numbers as a superscript (links to the summary's list)."""
    text = escape(line.text)
    if not line.numbers:
        return Markup(text)
    marks = ", ".join(f'<a href="#csrc-{n}">{n}</a>' if link else str(n) for n in line.numbers)
    return Markup(f'{text} <sup class="cite">[{marks}]</sup>')


def _list(lines: Iterable[Cited], cls: str = "") -> str:
    items = "".join(f"<li>{_cite(line)}</li>" for line in lines)
    return f"<ul{f' class={chr(34)}{cls}{chr(34)}' if cls else ''}>{items}</ul>"


def _urgency(s: ClinicianSummary) -> str:
    role = ' role="alert"' if s.flags else ""
    flags = ""
    if s.flags:
        flags = _list(s.flags, "flags")
    return (
        f'<section class="urgency urgency-{s.urgency}"{role}>'
        f"<p>{escape(s.urgency_line)}</p>{flags}</section>"
    )


def _details(s: ClinicianSummary) -> str:
    if not s.details:
        return ""
    items = "".join(
        f"<div><dt>{escape(d.label)}</dt><dd>{escape(d.value)}</dd></div>" for d in s.details
    )
    return (
        f'<section class="patient"><h2>{escape(s.words["details"])}</h2>'
        f'<dl class="details">{items}</dl></section>'
    )


def _values(s: ClinicianSummary) -> str:
    if not s.values:
        return ""
    w = s.words
    head = "".join(
        f'<th scope="col">{escape(w[k])}</th>'
        for k in ("col.test", "col.result", "col.limit", "col.fold", "col.status")
    )
    rows = []
    for v in s.values:
        result = f"{v.value} {v.unit}".strip()
        limit = _cite(Cited(f"{v.limit} ({v.source})", v.numbers))
        rows.append(
            f'<tr><th scope="row">{escape(v.name)}</th><td class="num">{escape(result)}</td>'
            f'<td>{limit}</td><td class="num">{escape(v.fold)}</td>'
            f'<td class="status-{v.status}">{escape(v.status_word)}</td></tr>'
        )
    notes = "".join(f"<p>{_cite(n)}</p>" for n in s.notes)
    pattern = ""
    if s.pattern:
        pattern = (
            f'<p class="pattern"><strong>{escape(w["pattern:"])}</strong> '
            f"{escape(w['separator'].join(s.pattern))}</p>"
        )
    return (
        f'<section class="results"><h2>{escape(w["results"])}</h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{notes}{pattern}</section>"
    )


def _trend(s: ClinicianSummary) -> str:
    if not s.trend:
        return ""
    items = "".join(f"<li>{escape(t)}</li>" for t in s.trend)
    return f'<section class="trend"><h2>{escape(s.words["trend"])}</h2><ul>{items}</ul></section>'


def _scores(s: ClinicianSummary) -> str:
    if not s.scores and not s.not_calculated:
        return ""
    needs = f'<p class="needs">{escape(s.not_calculated)}</p>' if s.not_calculated else ""
    listed = _list(s.scores) if s.scores else ""
    return f'<section class="scores"><h2>{escape(s.words["scores"])}</h2>{listed}{needs}</section>'


def _causes(s: ClinicianSummary) -> str:
    if not s.causes:
        return ""
    items = []
    for c in s.causes:
        reasons = _list(c.reasons) if c.reasons else ""
        items.append(
            f"<li><strong>{escape(c.name)}</strong>{escape(c.likelihood_note)}{reasons}</li>"
        )
    also = f"<p>{escape(s.also)}</p>" if s.also else ""
    return (
        f'<section class="causes"><h2>{escape(s.words["causes"])}</h2>'
        f"<ol>{''.join(items)}</ol>{also}</section>"
    )


def _workup(s: ClinicianSummary) -> str:
    if not s.workup:
        return ""
    blocks = "".join(f"<h3>{escape(b.heading)}</h3>{_list(b.groups)}" for b in s.workup)
    return f'<section class="workup"><h2>{escape(s.words["workup"])}</h2>{blocks}</section>'


def _footer(s: ClinicianSummary) -> str:
    sources = "".join(f'<li id="csrc-{n}">[{n}] {escape(text)}</li>' for n, text in s.sources)
    listed = (
        f'<h2>{escape(s.words["sources"])}</h2><ol class="sources">{sources}</ol>'
        if sources
        else ""
    )
    return (
        f'<footer><p class="disclaimer">{escape(s.disclaimer)} {escape(s.full_report)}</p>'
        f"{listed}</footer>"
    )


def html(s: ClinicianSummary) -> Markup:
    """The summary as an ``<article>`` (no ``<html>`` wrapper): urgency and red flags first,
    then the patient's details, the values, the trend, scores, causes, work-up, sources."""
    left = _trend(s) + _scores(s) + _causes(s)
    right = _workup(s)
    return Markup(
        f'<article class="clinician-summary" lang="{escape(s.language_tag)}">'
        f"<header><h1>{escape(s.heading)}</h1>"
        f'<p class="meta">{escape(s.date_line)} · {escape(s.prepared)}</p></header>'
        f"{_urgency(s)}{_details(s)}{_values(s)}"
        f'<div class="grid"><div class="col">{left}</div><div class="col">{right}</div></div>'
        f"{_footer(s)}</article>"
    )


def html_document(s: ClinicianSummary, size: float = FIT_SIZES[0]) -> str:
    """The whole page WeasyPrint lays out: the fragment, the report's fonts, the A4 CSS with
    the body at ``size`` pt."""
    from liverlens.report.render.pdf import FONT_CSS

    css = f"{FONT_CSS}{PDF_CSS}body {{ font-size: {size}pt; }}"
    return (
        f'<!doctype html><html lang="{escape(s.language_tag)}"><head><meta charset="utf-8">'
        f"<title>{escape(s.heading)}</title><style>{css}</style></head>"
        f"<body>{html(s)}</body></html>"
    )


def pdf(s: ClinicianSummary) -> bytes:
    """The one-page A4 PDF (needs the ``pdf`` extra, and a CJK font for Chinese).

    Laid out at the first of ``FIT_SIZES`` that fits one page: a summary is handed over as
    one sheet, so a panel with every field filled in is set smaller rather than run over."""
    weasyprint = require("weasyprint", "PDF output", "pdf")
    for size in FIT_SIZES:
        document = weasyprint.HTML(string=html_document(s, size)).render()
        if len(document.pages) == 1:
            break
    written: bytes = document.write_pdf()
    return written


def card_markdown(s: ClinicianSummary) -> str:
    """The CDS Hooks card detail: the summary as labelled Markdown paragraphs, in the card's
    compact wording (``cds.*``): the values inline, causes by name and likelihood, the work-up
    by group. Reasons and sources stay in the one-page summary and the full report."""
    from liverlens.knowledge import load_knowledge

    kb, lang = load_knowledge(), s.language
    sep = kb.say("cds.separator", lang)

    def labelled(label: str, text: str) -> str:
        return kb.say("cds.label", lang, label=label, text=text)

    paragraphs = [f"**{kb.say('cds.heading', lang, urgency=s.urgency_word)}**"]
    if s.flags:
        paragraphs.append("\n".join("- " + labelled(s.words["red_flag"], f.text) for f in s.flags))
    values = [
        kb.say("cds.value_bare", lang, name=v.name, value=v.value, uln=v.upper)
        if not v.fold
        else kb.say(
            "cds.value", lang, name=v.name, value=v.value, unit=v.unit, fold=v.fold, uln=v.upper
        )
        for v in s.values
    ]
    if values:
        paragraphs.append(labelled(s.words["results"], sep.join(values)))
    paragraphs += [n.text for n in s.notes]
    if s.pattern:
        paragraphs.append(labelled(s.words["pattern"], sep.join(s.pattern)))
    if s.trend:
        paragraphs.append(labelled(s.words["trend"], sep.join(s.trend)))
    scores = [x.text for x in s.scores] + ([s.not_calculated] if s.not_calculated else [])
    if scores:
        paragraphs.append(labelled(s.words["scores"], sep.join(scores)))
    if s.causes:
        causes = sep.join(
            kb.say("cds.cause", lang, name=c.name, likelihood=c.likelihood_word) for c in s.causes
        )
        paragraphs.append(labelled(s.words["causes"], causes))
    for block in s.workup:
        label = kb.say("clinician.workup_when", lang, workup=s.words["workup"], when=block.heading)
        paragraphs.append(labelled(label, sep.join(g.text for g in block.groups)))
    paragraphs.append(f"_{kb.say('cds.disclaimer', lang)}_")
    return "\n\n".join(paragraphs)
