"""Report formats: the JSON structure, JUnit testcases, self-contained HTML, baselines."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from conformance.baseline import BaselineError
from conformance.baseline import load as load_baseline
from conformance.cli import exit_status
from conformance.report import html as html_report
from conformance.report import json as json_report
from conformance.report import junit as junit_report
from conformance.report.console import print_report
from conformance.report.model import Report

CHECKS = ["users.create.echoes-input", "users.create.location-header", "users.read.not-found"]


@pytest.fixture
def failing_report(faulty_server: Callable[..., str], run_checks: Callable[..., Report]) -> Report:
    """location-header fails (MUST), echoes-input warns (SHOULD), not-found passes."""
    return run_checks(CHECKS, faulty_server({"drop-location", "mangle-create-echo"}))


def test_json_report_has_the_documented_structure(failing_report: Report, tmp_path: Path) -> None:
    """Top-level keys, summary counts and per-result exchange shape as the issue specifies."""
    path = tmp_path / "out" / "report.json"
    json_report.write(failing_report, path)
    document = json.loads(path.read_text())
    assert {"tool", "version", "target", "started", "duration_s", "summary", "results"} <= set(
        document
    )
    assert document["tool"] == "scim-conformance"
    assert document["summary"] == {
        "pass": 1,
        "fail": 1,
        "warn": 1,
        "info": 0,
        "skip": 0,
        "error": 0,
    }
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
    assert "RFC 7644 §3.3" in page and "RFC 7644 §3.12" in page


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
                    "users.create.echoes-input",
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


ROOT_AND_DEPENDENTS = [
    "groups.create.members",
    "groups.delete.members-kept",
    "groups.members.deleted-user-removed",
    "patch.add.members-appends",
    "patch.replace.members",
]


@pytest.fixture
def cascade_report(faulty_server: Callable[..., str], run_checks: Callable[..., Report]) -> Report:
    """A server dropping members on create: one root cause, four checks relying on it."""
    return run_checks(ROOT_AND_DEPENDENTS, faulty_server({"ignore-members-on-create"}))


def test_a_broken_precondition_blocks_its_dependents(cascade_report: Report) -> None:
    """Only the root cause is reported; the checks that need it skip naming it."""
    statuses = {r.id: r.status for r in cascade_report.results}
    assert statuses["groups.create.members"] == "info"  # the server may ignore POSTed content
    for check_id in ROOT_AND_DEPENDENTS[1:]:
        result = cascade_report.result(check_id)
        assert result.status == "skip", (check_id, result.message)
        assert result.blocked_by == "groups.create.members"
        assert result.message.startswith("blocked by groups.create.members")
    assert cascade_report.root_causes() == {"groups.create.members": ROOT_AND_DEPENDENTS[1:]}


def test_every_report_groups_findings_by_root_cause(cascade_report: Report, tmp_path: Path) -> None:
    """JSON lists root causes, HTML links them, JUnit names them, the console nests them."""
    document = json.loads(json_report.dumps(cascade_report))
    assert document["root_causes"] == {"groups.create.members": ROOT_AND_DEPENDENTS[1:]}
    page = html_report.render(cascade_report)
    assert "<h2>Root causes</h2>" in page and 'href="#groups.create.members"' in page
    junit_report.write(cascade_report, tmp_path / "junit.xml")
    properties = {
        p.get("name"): p.get("value") for p in ET.parse(tmp_path / "junit.xml").iter("property")
    }
    assert properties["root-cause groups.create.members"] == " ".join(ROOT_AND_DEPENDENTS[1:])
    console = Console(record=True, width=200)
    print_report(cascade_report, console)
    text = console.export_text()
    assert "blocked 4 dependent checks" in text
    assert "INFO  [MAY] groups.create.members" in text
    assert "SKIP" not in text  # blocked checks are shown under their root cause only


def test_baseline_marks_findings_new_or_waived_and_lists_stale_waivers(
    failing_report: Report, tmp_path: Path
) -> None:
    """Each finding is new or waived in every format; waivers matching nothing are listed."""
    waivers = tmp_path / "waivers.txt"
    waivers.write_text("users.create.echoes-input\nusers.gone.*\n")
    baseline = load_baseline(waivers)
    baseline.apply(failing_report)
    marks = {r.id: r.baseline for r in failing_report.results}
    assert marks == {
        "users.create.echoes-input": "waived",
        "users.create.location-header": "new",
        "users.read.not-found": None,
    }
    assert failing_report.stale_waivers == ["users.gone.*"]
    assert exit_status(failing_report, strict=True, baseline=baseline) == 1
    document = json.loads(json_report.dumps(failing_report))
    assert document["stale_waivers"] == ["users.gone.*"]
    assert {r["id"]: r.get("baseline") for r in document["results"]}[
        "users.create.echoes-input"
    ] == ("waived")
    page = html_report.render(failing_report)
    assert '<span class="mark">new</span>' in page and "Stale waivers" in page
    junit = junit_report.to_xml(failing_report)
    cases = {case.get("name"): case for case in junit.iter("testcase")}
    assert cases["users.create.location-header"].find("failure").get("message").startswith("[new]")
    assert cases["users.create.echoes-input"].find("skipped") is not None
    console = Console(record=True, width=200)
    print_report(failing_report, console)
    text = console.export_text()
    assert "FAIL  [new] [MUST] users.create.location-header" in text
    assert "WARN  [waived] [SHOULD] users.create.echoes-input" in text
    assert "Stale waivers (match no finding any more): users.gone.*" in text
