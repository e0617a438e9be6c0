"""Reports a QA person reads: every report names scenarios and shows their Gherkin steps.

For each scenario this plugin records the steps as they run (status and time of each; a step
after a failure is *skipped*, never "failed") and attaches them to pytest's reports as the
``gherkin`` attribute, a plain dict, so it crosses pytest-xdist from the workers intact. From
that, on the process that writes the reports:

- pytest-html: titled "scimproof features"; one row per scenario named "Feature — Scenario";
  its details open with the failing step and its message, then every step with its result and
  time (pytest-playwright adds the screenshot and the trace link after it);
- JUnit XML: test cases named by the scenario, class names by the feature;
- ``--cucumberjson=PATH`` (pytest-bdd's option, our writer): Cucumber's JSON format, steps
  after a failure ``skipped`` (pytest-bdd's writer marks them failed and sees nothing under
  xdist, where its registry of reports stays in the workers).
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from _pytest.junitxml import xml_key  # junitxml's own reporter, to name its test cases

REPORT_TITLE = "scimproof features"
_STEPS = pytest.StashKey[dict[str, Any]]()


# --- recording, in the process that runs the scenario -----------------------------------------


def _example_values(request: pytest.FixtureRequest) -> dict[str, str]:
    callspec = getattr(request.node, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
    return {str(k): str(v) for k, v in dict(example or {}).items()}


def scenario_title(name: str, example: dict[str, str]) -> str:
    """The scenario's name, with its example values when the name does not already show them."""
    missing = [value for value in example.values() if value not in name]
    return f"{name} ({', '.join(example.values())})" if missing else name


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Start the scenario's record with every step it will run, none of them run yet; note
    the deployment it runs against (a JUnit property)."""
    request.node.user_properties.append(("target", request.getfixturevalue("base_url")))
    example = _example_values(request)
    request.node.stash[_STEPS] = {
        "feature": {
            "name": feature.name,
            "uri": feature.rel_filename,
            "line": feature.line_number,
            "description": feature.description,
            "tags": sorted(feature.tags),
        },
        "scenario": scenario_title(scenario.name, example),
        "keyword": scenario.keyword,
        "line": scenario.line_number,
        "tags": sorted(scenario.tags),
        "example": example,
        "steps": [
            {
                "keyword": step.keyword,
                "name": step.name,
                "line": step.line_number,
                "status": "skipped",
                "duration_s": 0.0,
            }
            for step in scenario.steps
        ],
    }


def _record(request: pytest.FixtureRequest, step: Any) -> dict[str, Any] | None:
    record = request.node.stash.get(_STEPS, None)
    if record is None:
        return None
    for entry in record["steps"]:
        if entry["line"] == step.line_number and entry["name"] == step.name:
            return entry
    return None


def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Any, **_: Any) -> None:
    """Note the step's start."""
    entry = _record(request, step)
    if entry is not None:
        entry["started"] = time.perf_counter()


def _finish(request: pytest.FixtureRequest, step: Any, status: str, error: str = "") -> None:
    entry = _record(request, step)
    if entry is not None and "started" in entry:
        entry["duration_s"] = round(time.perf_counter() - entry.pop("started"), 4)
        entry["status"] = status
        if error:
            entry["error"] = error


def pytest_bdd_after_step(request: pytest.FixtureRequest, step: Any, **_: Any) -> None:
    """The step passed."""
    _finish(request, step, "passed")


def pytest_bdd_step_error(
    request: pytest.FixtureRequest, step: Any, exception: Any, **_: Any
) -> None:
    """The step failed: keep the first line of what went wrong beside it."""
    message = str(exception).strip() or type(exception).__name__
    _finish(request, step, "failed", f"{type(exception).__name__}: {message}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo
) -> Generator[None, Any, Any]:
    """Attach the scenario's record (a plain dict) to each of its reports."""
    report = yield
    record = item.stash.get(_STEPS, None)
    if record is not None:
        steps = []
        for entry in record["steps"]:
            done = {k: v for k, v in entry.items() if k != "started"}
            if "started" in entry:  # a step that ended the scenario by skipping it
                done["duration_s"] = round(time.perf_counter() - entry["started"], 4)
            steps.append(done)
        report.gherkin = {**record, "steps": steps}
        if report.when == "teardown":
            _add_html_steps(item.config, report)
    return report


# --- pytest-html --------------------------------------------------------------------------------


def _steps_html(gherkin: dict[str, Any]) -> str:
    failing = [s for s in gherkin["steps"] if s["status"] == "failed"]
    parts = []
    if failing:
        step = failing[0]
        parts.append(
            '<div class="gherkin-failure"><p><strong>Failed step:</strong> '
            f"{html.escape(step['keyword'])} {html.escape(step['name'])}</p>"
            f"<pre>{html.escape(step.get('error', ''))}</pre></div>"
        )
    rows = "".join(
        f'<tr class="gherkin-step {s["status"]}"><td>{s["status"]}</td>'
        f"<td>{html.escape(s['keyword'])} {html.escape(s['name'])}</td>"
        f"<td>{s['duration_s'] * 1000:.0f} ms</td></tr>"
        for s in gherkin["steps"]
    )
    parts.append(
        f'<table class="gherkin-steps"><caption>{html.escape(_row_title(gherkin))}</caption>'
        f"<thead><tr><th>Result</th><th>Step</th><th>Time</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return "".join(parts)


def _add_html_steps(config: pytest.Config, report: pytest.TestReport) -> None:
    if not config.pluginmanager.hasplugin("html"):
        return
    from pytest_html import extras

    report.extras = [extras.html(_steps_html(report.gherkin)), *getattr(report, "extras", [])]


def _row_title(gherkin: dict[str, Any]) -> str:
    return f"{gherkin['feature']['name']} — {gherkin['scenario']}"


def pytest_html_report_title(report: Any) -> None:
    """The report is about the features, not about a file name."""
    report.title = REPORT_TITLE


def pytest_html_results_table_row(report: pytest.TestReport, cells: list[str]) -> None:
    """Name a scenario's row by its feature and scenario instead of the Python test name."""
    gherkin = getattr(report, "gherkin", None)
    if gherkin is None:
        return
    phase = "" if report.when == "call" else f" ({report.when})"
    cells[1] = f'<td class="col-testId">{html.escape(_row_title(gherkin) + phase)}</td>'


# --- JUnit XML and Cucumber JSON, on the process that writes the reports -----------------------


class CucumberJson:
    """Cucumber's JSON format, one element per scenario, collected as reports arrive."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.features: dict[str, dict[str, Any]] = {}

    def add(self, report: pytest.TestReport, gherkin: dict[str, Any]) -> None:
        """Add one scenario's result."""
        feature = gherkin["feature"]
        entry = self.features.setdefault(
            feature["uri"],
            {
                "keyword": "Feature",
                "uri": feature["uri"],
                "name": feature["name"],
                "id": feature["uri"].lower().replace(" ", "-"),
                "line": feature["line"],
                "description": feature["description"],
                "tags": [{"name": t, "line": feature["line"] - 1} for t in feature["tags"]],
                "elements": [],
            },
        )
        steps = []
        for step in gherkin["steps"]:
            result: dict[str, Any] = {
                "status": step["status"],
                "duration": int(step["duration_s"] * 1e9),
            }
            if step["status"] == "failed":
                result["error_message"] = step.get("error") or str(report.longrepr)
            steps.append(
                {
                    "keyword": step["keyword"],
                    "name": step["name"],
                    "line": step["line"],
                    "match": {"location": ""},
                    "result": result,
                }
            )
        entry["elements"].append(
            {
                "keyword": gherkin["keyword"],
                "id": report.nodeid,
                "name": gherkin["scenario"],
                "line": gherkin["line"],
                "description": "",
                "tags": [{"name": t, "line": gherkin["line"] - 1} for t in gherkin["tags"]],
                "type": "scenario",
                "steps": steps,
            }
        )

    def write(self) -> None:
        """Write every feature collected so far."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(list(self.features.values()), indent=1), "utf-8")


class ScenarioReports:
    """Names JUnit test cases after scenarios and collects the Cucumber JSON report."""

    def __init__(self, config: pytest.Config, cucumber: CucumberJson | None) -> None:
        self.config = config
        self.cucumber = cucumber

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Before junitxml records the report, give its test case the scenario's names."""
        gherkin = getattr(report, "gherkin", None)
        if gherkin is None:
            return
        log_xml = self.config.stash.get(xml_key, None)
        if log_xml is not None:
            reporter = log_xml.node_reporter(report)
            reporter.add_attribute("classname", gherkin["feature"]["name"])
            reporter.add_attribute("name", gherkin["scenario"])
        if self.cucumber is not None and report.when == "call":
            self.cucumber.add(report, gherkin)

    def pytest_sessionfinish(self) -> None:
        """Write the Cucumber JSON report."""
        if self.cucumber is not None:
            self.cucumber.write()


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """On the process that writes reports (not an xdist worker), name and collect scenarios.

    pytest-bdd's ``--cucumberjson`` keeps its option; its writer is replaced by ours.
    """
    if hasattr(config, "workerinput"):
        return
    bdd_writer = getattr(config, "_bddcucumberjson", None)
    if bdd_writer is not None:
        del config._bddcucumberjson  # so pytest-bdd's unconfigure has nothing to unregister
        config.pluginmanager.unregister(bdd_writer)
    path = config.getoption("cucumber_json_path", default=None)
    cucumber = CucumberJson(Path(path).absolute()) if path else None
    config.pluginmanager.register(ScenarioReports(config, cucumber), "scimproof-scenario-reports")
