"""Helpers for tests that run the feature suite in a pytest subprocess and read its reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[3]
FEATURES = "tests/e2e/test_features.py"
DELIBERATE_FAILURE = "tests/integration/features/sample/bind_deliberately_failing.py"
RUN_TIMEOUT_S = 420


@dataclass
class FeatureRun:
    """A finished pytest run of some scenarios, with its report files."""

    exit_code: int
    output: str
    reports: Path

    def junit(self) -> ElementTree.Element:
        """The JUnit XML report."""
        return ElementTree.parse(self.reports / "junit.xml").getroot()

    def cucumber(self) -> list[dict[str, Any]]:
        """The Cucumber JSON report."""
        return json.loads((self.reports / "cucumber.json").read_text())

    def html_data(self) -> dict[str, Any]:
        """The data pytest-html renders from (its JSON blob), and the page title."""
        return parse_html_report((self.reports / "report.html").read_text())


class _BlobFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blob = ""
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "div" and values.get("id") == "data-container":
            self.blob = values.get("data-jsonblob") or ""
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def parse_html_report(text: str) -> dict[str, Any]:
    """Return pytest-html's data blob plus the page title."""
    finder = _BlobFinder()
    finder.feed(text)
    assert finder.blob, "no data-container in the HTML report"
    return {"title": finder.title.strip(), **json.loads(finder.blob)}


def run_features(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, paths: tuple[str, ...] = ()
) -> FeatureRun:
    """Run pytest on the given scenarios in a subprocess, writing all three reports."""
    reports = tmp_path / "reports"
    command = [
        sys.executable,
        "-m",
        "pytest",
        *(paths or (FEATURES,)),
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={reports / 'junit.xml'}",
        f"--cucumberjson={reports / 'cucumber.json'}",
        f"--html={reports / 'report.html'}",
        "--self-contained-html",
        f"--output={reports / 'artifacts'}",
        *args,
    ]
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    return FeatureRun(done.returncode, done.stdout + done.stderr, reports)
