"""Where and how every benchmark saves what it measured: one JSON file per run in
``benchmarks/results/<name>-<timestamp>[-<label>].json``, stamped with the machine it ran on."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = RESULTS.parent.parent


def timestamp() -> str:
    """Now in UTC, as result files are named (``20261130T212601Z``)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def machine() -> dict[str, Any]:
    """What the figures were measured on: Python version, architecture, cores."""
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }


def save(name: str, document: dict[str, Any], stamp: str, label: str = "") -> Path:
    """Write ``document`` to ``results/<name>-<stamp>[-<label>].json``; say where, return it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{stamp}{f'-{label}' if label else ''}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
    return path
