"""Grouping of results by RFC section for summary tables."""

from __future__ import annotations

import re

from conformance.report.model import STATUSES, Report, Result

SECTION = re.compile(r"RFC\s*(\d+)\s*§\s*([\d.]+)")


def section_of(result: Result) -> str:
    """The first 'RFC nnnn §x.y' a result cites (its whole rfc string if none parses)."""
    match = SECTION.search(result.rfc)
    return f"RFC {match.group(1)} §{match.group(2).rstrip('.')}" if match else result.rfc


def _sort_key(section: str) -> tuple:
    """Numeric order: RFC 7643 §2 < RFC 7643 §10 < RFC 7644 §3.3."""
    match = SECTION.search(section)
    if not match:
        return (99999, (999,), section)
    return (int(match.group(1)), tuple(int(p) for p in match.group(2).split(".") if p), "")


def by_section(report: Report) -> list[tuple[str, dict[str, int]]]:
    """[(section, {status: count})] over the RFC results, in RFC order."""
    table: dict[str, dict[str, int]] = {}
    for result in report.rfc_results:
        row = table.setdefault(section_of(result), dict.fromkeys(STATUSES, 0))
        row[result.status] += 1
    return sorted(table.items(), key=lambda item: _sort_key(item[0]))
