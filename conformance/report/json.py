"""The JSON report: the documented structure, credentials already redacted by the transport."""

from __future__ import annotations

import json
from pathlib import Path

from conformance.report.model import Report


def dumps(report: Report) -> str:
    """The report as an indented JSON document."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def write(report: Report, path: str | Path) -> None:
    """Write the JSON report to path (parent directories are created)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(report) + "\n", encoding="utf-8")


def load(path: str | Path) -> Report:
    """Read a JSON report written by write()."""
    return Report.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
