"""The retest reminder as an iCalendar event (RFC 5545), for "Add the retest to my calendar".

The event spans the retest window a report's next steps give (``Step.after_days``), counted
from the test date (or from today when the report has none), as an all-day event. It holds the
step's words and nothing else: no result, no name, since a calendar may sync anywhere.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from liverlens.knowledge import load_knowledge
from liverlens.report.model import Report

PRODUCT = "-//LiverLens//Retest reminder//EN"
LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded


def retest_window(report: Report, today: date) -> tuple[date, date, str] | None:
    """(first day, last day, the step's words) of the report's first retest window, or None
    when the report asks for no retest. A window already past starts today."""
    step = next((s for s in report.next_steps if s.after_days), None)
    if step is None or step.after_days is None:
        return None
    base = report.collected_on or today
    first = max(base + timedelta(days=step.after_days[0]), today)
    last = max(base + timedelta(days=step.after_days[1]), first)
    return first, last, step.statement.text


def retest_event(report: Report, *, today: date | None = None) -> bytes | None:
    """The ``.ics`` file (UTF-8, CRLF lines) for the report's retest window, or None."""
    today = today or date.today()
    window = retest_window(report, today)
    if window is None:
        return None
    first, last, step = window
    kb, lang = load_knowledge(), report.language
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uuid.uuid4()}@liverlens",
        f"DTSTAMP:{datetime.now(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
        f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}",  # the day after: exclusive
        f"SUMMARY:{_escape(kb.say('label.calendar_summary', lang))}",
        f"DESCRIPTION:{_escape(kb.say('calendar.description', lang, step=step))}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    out = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character; a continuation starts with a
    space, which counts toward its own 75."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
