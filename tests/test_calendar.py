"""The retest reminder: an iCalendar (RFC 5545) event for the window the report gives."""

from __future__ import annotations

from datetime import date

import pytest

from liverlens import interpret
from liverlens.report.calendar import retest_event

MILD = {"labs": {"alt": {"value": 85, "unit": "U/L", "upper_limit": 40}}}


def _lines(ics: bytes) -> list[str]:
    text = ics.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")  # RFC 5545 3.1: a folded line goes on after CRLF SP
    return unfolded.split("\r\n")[:-1]


def _field(lines: list[str], name: str) -> str:
    found = [line.split(":", 1)[1] for line in lines if line.split(":", 1)[0].split(";")[0] == name]
    assert len(found) == 1, (name, lines)
    return found[0]


def test_a_borderline_alt_gives_the_7_to_14_day_window_from_the_test_date() -> None:
    """Seeds 001/004 and the repeat_test step: repeat in 7 to 14 days."""
    report = interpret(dict(MILD, collected_on="2026-11-20"))
    ics = retest_event(report, today=date(2026, 11, 25))
    assert ics is not None
    lines = _lines(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and "BEGIN:VEVENT" in lines
    # all-day event: DTEND is the day after the window's last day (RFC 5545 3.6.1)
    assert _field(lines, "DTSTART") == "20261127" and _field(lines, "DTEND") == "20261205"
    assert "DTSTART;VALUE=DATE:20261127" in lines
    assert _field(lines, "SUMMARY") == "Repeat liver blood tests"
    assert "7 to 14 days" in _field(lines, "DESCRIPTION")
    assert all(len(line.encode()) <= 75 for line in ics.decode().split("\r\n"))
    # no result leaves in a calendar that may sync anywhere (the words, not the UID's digits)
    words = _field(lines, "SUMMARY") + _field(lines, "DESCRIPTION")
    assert "85" not in words and "U/L" not in words and "ALT" not in words


def test_without_a_test_date_the_window_counts_from_today() -> None:
    lines = _lines(retest_event(interpret(MILD), today=date(2026, 12, 1)) or b"")
    assert (_field(lines, "DTSTART"), _field(lines, "DTEND")) == ("20261208", "20261216")


def test_a_window_already_past_starts_today() -> None:
    report = interpret(dict(MILD, collected_on="2026-01-10"))
    lines = _lines(retest_event(report, today=date(2026, 12, 1)) or b"")
    assert (_field(lines, "DTSTART"), _field(lines, "DTEND")) == ("20261201", "20261202")


def test_chinese_event_and_escaping() -> None:
    report = interpret(dict(MILD, collected_on="2026-11-20", language="zh"))
    lines = _lines(retest_event(report, today=date(2026, 11, 25)) or b"")
    assert _field(lines, "SUMMARY") == "复查肝功能"
    description = _field(lines, "DESCRIPTION")
    assert "7" in description and "\\n" in description  # a newline escaped, not raw
    assert not any(c in description.replace("\\,", "").replace("\\;", "") for c in ",;")


@pytest.mark.parametrize(
    "labs",
    [
        {"alt": {"value": 30, "unit": "U/L", "upper_limit": 40}},  # nothing to retest
    ],
)
def test_no_window_no_event(labs: dict[str, object]) -> None:
    assert retest_event(interpret({"labs": labs}), today=date(2026, 12, 1)) is None
