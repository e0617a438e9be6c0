"""Report formats: the JSON structure, JUnit testcases, self-contained HTML, baselines."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.baseline import BaselineError
from conformance.baseline import load as load_baseline
from conformance.cli import exit_status
from conformance.report import html as html_report
from conformance.report import json as json_report
from conformance.report import junit as junit_report
from conformance.report.model import Report

CHECKS = ["users.create.location-header", "users.create.meta", "users.read.not-found"]


@pytest.fixture
def failing_report(faulty_server: Callable[..., str], run_checks: Callable[..., Report]) -> Report:
    """location-header fails (MUST), meta warns (SHOULD), not-found passes."""
    return run_checks(CHECKS, faulty_server({"drop-location", "drop-meta-resource-type"}))


def test_json_report_has_the_documented_structure(failing_report: Report, tmp_path: Path) -> None:
    """Top-level keys, summary counts and per-result exchange shape as the issue specifies."""
    path = tmp_path / "out" / "report.json"
    json_report.write(failing_report, path)
    document = json.loads(path.read_text())
    assert {"tool", "version", "target", "started", "duration_s", "summary", "results"} <= set(
        document
    )
    assert document["tool"] == "scim-conformance"
    assert document["summary"] == {"pass": 1, "fail": 1, "warn": 1, "skip": 0, "error": 0}
    first = document["results"][0]
    assert {"id", "title", "rfc", "level", "status", "message", "exchanges"} <= set(first)
    exchange = first["exchanges"][0]
    assert set(exchange["request"]) == {"method", "url", "headers", "body"}
    assert set(exchange["response"]) == {"status", "headers", "body"}
    assert json_report.load(path).to_dict()["results"] == document["results"]


def test_junit_has_one_testcase_per_check_with_transcripts(
    failing_report: Report, tmp_path: Path
) -> None:
    """Testcases named by id, classname the RFC section, failure text with the exchange."""
    path = tmp_path / "junit.xml"
    junit_report.write(failing_report, path)
    root = ET.parse(path).getroot()
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == set(CHECKS)
    failed = cases["users.create.location-header"]
    assert failed.get("classname") == "RFC 7644 §3.3"
    failure = failed.find("failure")
    assert failure is not None and "no Location header" in failure.get("message")
    assert "> POST " in failure.text and "< 201" in failure.text
    assert cases["users.read.not-found"].find("failure") is None
    assert root.find("testsuite").get("failures") == "1"


def test_html_is_self_contained(failing_report: Report, tmp_path: Path) -> None:
    """No scripts and no external resources; every check and the section table are shown."""
    path = tmp_path / "report.html"
    html_report.write(failing_report, path)
    page = path.read_text()
    assert "<script" not in page and "src=" not in page and "<link" not in page
    for check_id in CHECKS:
        assert f'id="{check_id}"' in page
    assert "RFC 7644 §3.3" in page and "RFC 7643 §3.1" in page


def test_baseline_from_a_previous_report_fails_only_on_new_failures(
    failing_report: Report,
    tmp_path: Path,
    faulty_server: Callable[..., str],
    run_checks: Callable[..., Report],
) -> None:
    """Known failures are tolerated; a failure the baseline did not have fails the run."""
    previous = tmp_path / "previous.json"
    json_report.write(failing_report, previous)
    baseline = load_baseline(previous)
    assert exit_status(failing_report, strict=False, baseline=None) == 1
    assert exit_status(failing_report, strict=False, baseline=baseline) == 0
    worse = run_checks(CHECKS, faulty_server({"drop-location", "not-found-as-400"}))
    assert exit_status(worse, strict=False, baseline=baseline) == 1


def test_waiver_files_accept_ids_and_patterns(failing_report: Report, tmp_path: Path) -> None:
    """Text waivers (ids, fnmatch patterns, comments) and JSON waivers both work."""
    text = tmp_path / "waivers.txt"
    text.write_text("# known issues\nusers.create.location-*  # vendor ticket 42\n")
    assert exit_status(failing_report, strict=False, baseline=load_baseline(text)) == 0
    assert exit_status(failing_report, strict=True, baseline=load_baseline(text)) == 1
    data = tmp_path / "waivers.json"
    data.write_text(
        json.dumps(
            {
                "waivers": [
                    {"id": "users.create.location-header", "reason": "ticket"},
                    "users.create.meta",
                ]
            }
        )
    )
    assert exit_status(failing_report, strict=True, baseline=load_baseline(data)) == 0


def test_unreadable_baseline_is_a_clear_error(tmp_path: Path) -> None:
    """A missing file or a JSON document of the wrong shape is refused with a message."""
    with pytest.raises(BaselineError, match="cannot read baseline"):
        load_baseline(tmp_path / "missing.json")
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"something": 1}')
    with pytest.raises(BaselineError, match="neither 'results' nor 'waivers'"):
        load_baseline(wrong)
