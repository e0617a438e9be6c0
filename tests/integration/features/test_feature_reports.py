"""Feature reports under pytest-xdist: every scenario by name, its Gherkin steps, complete.

One run of a few scenarios plus a deliberately failing one on two xdist workers (one stub per
worker), then all three reports are read back the way a QA person or a CI tool reads them.
"""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.integration.features.conftest import DELIBERATE_FAILURE, FEATURES, run_features

SELECTION = "refuses_a_forged or checked_against_the_wrong or works_with"
FORGED = "The server refuses a forged request to enable SCIM 2.0"
FAILING = "SCIM 2.0 checked against the wrong expectation"
EXPECTED = {
    f"{FORGED} (Max, Member)",
    f"{FORGED} (Paula, Product Analytics Viewer)",
    "The reference service works with entra",
    "The reference service works with okta",
    "The reference service works with onelogin",
    FAILING,
}


@pytest.fixture(scope="module")
def xdist_run(tmp_path_factory):
    """The scenarios above on two workers, with every report written."""
    run = run_features(
        tmp_path_factory.mktemp("xdist"),
        "-n",
        "2",
        "-k",
        SELECTION,
        paths=(FEATURES, DELIBERATE_FAILURE),
    )
    assert run.exit_code == 1, run.output[-3000:]  # exactly the deliberate failure
    assert "Traceback" not in run.output.split("short test summary")[-1], run.output[-3000:]
    return run


def test_junit_names_every_scenario_and_its_feature(xdist_run):
    cases = xdist_run.junit().iter("testcase")
    by_name = {case.get("name"): case for case in cases}
    assert set(by_name) == EXPECTED
    assert by_name[f"{FORGED} (Max, Member)"].get("classname") == (
        "Only SCIM managers change the SCIM 2.0 settings"
    )
    assert by_name[FAILING].find("failure") is not None
    assert [n for n, c in by_name.items() if c.find("failure") is not None] == [FAILING]


def test_each_xdist_worker_drives_its_own_stub(xdist_run):
    targets = {
        prop.get("value")
        for prop in xdist_run.junit().iter("property")
        if prop.get("name") == "target"
    }
    assert len(targets) == 2, targets  # two workers, two stubs on two ports
    assert all(t.startswith("http://127.0.0.1:") for t in targets)


def test_cucumber_json_is_complete_and_skips_steps_after_a_failure(xdist_run):
    elements = {e["name"]: e for f in xdist_run.cucumber() for e in f["elements"]}
    assert set(elements) == EXPECTED
    failing = [s["result"]["status"] for s in elements[FAILING]["steps"]]
    assert failing == ["passed", "passed", "failed", "skipped"]
    assert "AssertionError" in elements[FAILING]["steps"][2]["result"]["error_message"]
    for name in EXPECTED - {FAILING}:
        assert {s["result"]["status"] for s in elements[name]["steps"]} == {"passed"}, name
        assert all(s["result"]["duration"] > 0 for s in elements[name]["steps"]), name


def test_html_report_shows_scenarios_with_their_steps_failure_first(xdist_run):
    data = xdist_run.html_data()
    assert data["title"] == "scimproof features"
    rows = {
        nodeid: results[0]
        for nodeid, results in data["tests"].items()
        if not nodeid.endswith(("::setup", "::teardown"))
    }
    titles = {row["resultsTableRow"][1] for row in rows.values()}
    assert any(FAILING in t and "A deliberately failing scenario" in t for t in titles), titles
    assert len(rows) == len(EXPECTED)
    (failed,) = [row for row in rows.values() if FAILING in row["resultsTableRow"][1]]
    kinds = [extra["format_type"] for extra in failed["extras"]]
    assert kinds[0] == "html" and "image" in kinds and "url" in kinds, kinds
    steps_html = failed["extras"][0]["content"]
    failure_at = steps_html.index("Failed step:")
    assert failure_at < steps_html.index("gherkin-steps")  # the failing step comes first
    assert "SCIM 2.0 is still off for &quot;Acme&quot;" in steps_html[failure_at:][:300]
    for status in ("passed", "failed", "skipped"):
        assert f'gherkin-step {status}"' in steps_html
    assert " ms</td>" in steps_html


def test_only_the_failing_scenario_keeps_a_trace_and_a_screenshot(xdist_run):
    """Passing scenarios record a trace too, but never write it (nor take a screenshot)."""
    kept = [p for p in (xdist_run.reports / "artifacts").rglob("*") if p.is_file()]
    assert all("checked-against-the-wrong" in p.parent.name for p in kept), kept
    assert [p.suffix for p in kept].count(".png") == 1, kept  # its page, as it failed
    assert [p.suffix for p in kept].count(".zip") >= 1, kept  # its traces (browser, API clients)


def _trace_events(archive) -> list[str]:
    with zipfile.ZipFile(archive) as trace:
        lines = [
            line
            for name in trace.namelist()
            if name.endswith(".trace")
            for line in trace.read(name).splitlines()
            if line.strip()
        ]
    return [json.loads(line).get("type") for line in lines]


def test_the_kept_trace_shows_each_action_without_a_film_strip(xdist_run):
    """By default (``trace_screenshots = false``) a trace holds the DOM snapshot of each action
    and no screencast frames."""
    events = [e for a in (xdist_run.reports / "artifacts").rglob("*.zip") for e in _trace_events(a)]
    assert "frame-snapshot" in events, sorted(set(events))
    assert "screencast-frame" not in events, sorted(set(events))
