"""Baselines: a previous JSON report or a waiver file, so CI fails only on new failures.

A waiver file is either JSON ``{"waivers": [{"id": "users.create.meta", "reason": "..."}]}``
or plain text with one check id (or fnmatch pattern such as ``query.sort.*``) per line;
``#`` starts a comment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from conformance.report.model import NEW, WAIVED, Report, Result


class BaselineError(ValueError):
    """The baseline file cannot be read."""


@dataclass(frozen=True)
class Baseline:
    """Check ids (or patterns) whose failures are already known."""

    patterns: frozenset[str]
    source: str

    def covers(self, result: Result) -> bool:
        """True if this result's failure is already known."""
        return any(fnmatchcase(result.id, pattern) for pattern in self.patterns)

    def new_failures(self, failures: list[Result]) -> list[Result]:
        """The failures this baseline does not cover."""
        return [result for result in failures if not self.covers(result)]

    def apply(self, report: Report) -> None:
        """Mark every finding of the report new or waived and list the stale waivers."""
        used: set[str] = set()
        for result in report.results:
            if not result.finding:
                continue
            matched = {p for p in self.patterns if fnmatchcase(result.id, p)}
            result.baseline = WAIVED if matched else NEW
            used |= matched
        report.stale_waivers = sorted(self.patterns - used)


def load(path: str | Path) -> Baseline:
    """Read a previous JSON report or a waiver file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {file}: {exc.strerror}") from exc
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise BaselineError(f"baseline {file} is not valid JSON: {exc}") from exc
        if "results" in data:
            report = Report.from_dict(data)
            known = {r.id for r in report.results if r.status in ("fail", "warn", "error")}
            return Baseline(frozenset(known), f"report {file}")
        if isinstance(data.get("waivers"), list):
            ids = {w["id"] if isinstance(w, dict) else str(w) for w in data["waivers"]}
            return Baseline(frozenset(ids), f"waivers {file}")
        raise BaselineError(f"baseline {file} has neither 'results' nor 'waivers'")
    ids = set()
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            ids.add(entry)
    return Baseline(frozenset(ids), f"waivers {file}")
