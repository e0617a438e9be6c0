"""Print a scenario summary of the last feature run and where its reports are.

``python -m steps.demo_summary reports`` reads ``reports/cucumber.json`` (written by
pytest-bdd's ``--cucumberjson``) and lists every scenario with its result and duration.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPORT_FILES = {
    "HTML report": "report.html",
    "JUnit XML": "junit.xml",
    "Cucumber JSON": "cucumber.json",
}
STYLE = {"passed": "green", "failed": "bold red", "skipped": "yellow"}


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario of the cucumber report."""

    feature: str
    name: str
    status: str
    seconds: float
    failed_step: str = ""


def scenario_results(cucumber_json: Path) -> list[ScenarioResult]:
    """Return every scenario in a cucumber JSON report with its overall result."""
    results = []
    for feature in json.loads(cucumber_json.read_text(encoding="utf-8")):
        for element in feature.get("elements", []):
            steps = element.get("steps", [])
            statuses = [step.get("result", {}).get("status", "skipped") for step in steps]
            failed = next((s for s in steps if s.get("result", {}).get("status") == "failed"), None)
            status = (
                "failed"
                if failed
                else ("passed" if statuses and all(s == "passed" for s in statuses) else "skipped")
            )
            nanoseconds = sum(step.get("result", {}).get("duration", 0) or 0 for step in steps)
            example = element.get("id", "").partition("[")[2].rstrip("]")
            results.append(
                ScenarioResult(
                    feature=feature.get("name", "?"),
                    name=element.get("name", "?") + (f" [{example}]" if example else ""),
                    status=status,
                    seconds=nanoseconds / 1e9,
                    failed_step=f"{failed['keyword']} {failed['name']}".strip() if failed else "",
                )
            )
    return results


def print_summary(reports: Path, console: Console) -> int:
    """Print the scenario table and report paths; return 1 when a scenario failed."""
    cucumber = reports / REPORT_FILES["Cucumber JSON"]
    if not cucumber.exists():
        console.print(f"[red]No feature report at {cucumber}: the run did not get that far.[/]")
        return 1
    results = scenario_results(cucumber)
    table = Table(title="Feature scenarios", title_justify="left")
    table.add_column("Scenario")
    table.add_column("Result")
    table.add_column("Time", justify="right")
    feature = None
    for result in results:
        if result.feature != feature:
            feature = result.feature
            table.add_section()
            table.add_row(f"[bold]{feature}[/]", "", "")
        label = result.status + (f" at: {result.failed_step}" if result.failed_step else "")
        style = STYLE.get(result.status, "white")
        table.add_row(f"  {result.name}", f"[{style}]{label}[/]", f"{result.seconds:.2f}s")
    console.print(table)
    counts = {
        status: sum(r.status == status for r in results)
        for status in ("passed", "failed", "skipped")
    }
    console.print(
        f"{len(results)} scenarios: "
        + ", ".join(f"{count} {status}" for status, count in counts.items())
    )
    for label, name in REPORT_FILES.items():
        console.print(f"{label + ':':15} {(reports / name).resolve()}")
    artifacts = reports / "artifacts"
    if artifacts.is_dir() and any(artifacts.iterdir()):
        console.print(
            f"{'Traces/screens:':15} {artifacts.resolve()} "
            "(open a trace with .venv/bin/playwright show-trace FILE)"
        )
    return 1 if counts["failed"] else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m steps.demo_summary [REPORTS_DIR]``."""
    args = sys.argv[1:] if argv is None else argv
    console = Console() if sys.stdout.isatty() else Console(width=110)
    return print_summary(Path(args[0] if args else "reports"), console)


if __name__ == "__main__":
    sys.exit(main())
