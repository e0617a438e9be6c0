"""Where the feature suite's time goes: per scenario, per phase and per step.

Runs ``pytest tests/e2e`` serially in a subprocess (the project's own settings: traces kept on
failure, screenshots on failure) with this module loaded as a plugin, which records for every
scenario the set-up (fresh context, sign-in state), each Gherkin step (by keyword) and the
tear-down (trace stopped, context closed). Repeats the run (default 3) and reports medians.
Prints a table and writes ``benchmarks/results/features_speed-<timestamp>.json``. Nothing here
asserts a time; the machine is shared, so compare medians and ratios from the same day.

    .venv/bin/python benchmarks/features_speed.py [--repeat 3] [--baseline-tree DIR] [-- args]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from result_files import machine, save, timestamp

ROOT = Path(__file__).resolve().parent.parent
TIMINGS_ENV = "SCIMPROOF_FEATURE_TIMINGS"


# --- the plugin half: loaded into the pytest run with -p features_speed --------------------

_steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
_phases: dict[str, dict[str, float]] = defaultdict(dict)
_started: dict[int, float] = {}


def pytest_bdd_before_step(request, feature, scenario, step, step_func) -> None:
    """Note when a step starts."""
    _started[id(step)] = time.perf_counter()


def _step_done(request, step, outcome: str) -> None:
    began = _started.pop(id(step), None)
    if began is not None:
        _steps[request.node.nodeid].append(
            {
                "keyword": step.keyword.strip(),
                "text": step.name,
                "seconds": time.perf_counter() - began,
                "outcome": outcome,
            }
        )


def pytest_bdd_after_step(request, feature, scenario, step, step_func, step_func_args) -> None:
    """Record a passed step's duration."""
    _step_done(request, step, "passed")


def pytest_bdd_step_error(
    request, feature, scenario, step, step_func, step_func_args, exception
) -> None:
    """Record a failed step's duration."""
    _step_done(request, step, "failed")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record set-up, call and tear-down durations of each scenario."""
    _phases[report.nodeid][report.when] = report.duration
    if report.when == "call":
        _phases[report.nodeid]["outcome"] = report.outcome  # type: ignore[assignment]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write what was recorded to the file the benchmark named."""
    target = os.environ.get(TIMINGS_ENV)
    if target:
        Path(target).write_text(
            json.dumps({"phases": _phases, "steps": _steps}, indent=1, default=str)
        )


# --- the benchmark half ----------------------------------------------------------------------


def one_run(extra: list[str], tree: Path = ROOT) -> dict[str, Any]:
    """Run the feature suite of a source tree once, serially; return wall time and timings."""
    with tempfile.TemporaryDirectory() as workdir:
        timings = Path(workdir) / "timings.json"
        env = {
            **os.environ,
            TIMINGS_ENV: str(timings),
            "PYTHONPATH": os.pathsep.join(
                [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
            ),
        }
        command = [sys.executable, "-m", "pytest", "tests/e2e", "-q", "-p", "features_speed"]
        command += ["-p", "no:randomly", "-p", "no:cacheprovider", *extra]
        load_before = os.getloadavg()[0]
        cpu_before = _children_cpu_s()
        started = time.perf_counter()
        done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        cpu = _children_cpu_s() - cpu_before
        if not timings.exists():
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            raise SystemExit("the feature run wrote no timings")
        recorded = json.loads(timings.read_text())
    summary_line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "load_1min": [load_before, os.getloadavg()[0]],
        "exit_code": done.returncode,
        "summary": summary_line,
        **recorded,
    }


def _children_cpu_s() -> float:
    """CPU seconds (user + system) used so far by finished child processes and theirs: pytest,
    the Playwright driver and the browser. Unlike wall time it hardly depends on how many other
    programs share the cores, so it compares runs made under different loads."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summarize(run: dict[str, Any]) -> dict[str, Any]:
    """Per-scenario totals and per-phase sums of one run."""
    scenario_s = {
        nodeid: sum(v for k, v in phases.items() if k in ("setup", "call", "teardown"))
        for nodeid, phases in run["phases"].items()
    }
    by_phase: dict[str, float] = defaultdict(float)
    for phases in run["phases"].values():
        by_phase["setup"] += phases.get("setup", 0.0)
        by_phase["teardown"] += phases.get("teardown", 0.0)
    step_total = 0.0
    for steps in run["steps"].values():
        for step in steps:
            by_phase[f"steps: {step['keyword']}"] += step["seconds"]
            step_total += step["seconds"]
    call_total = sum(p.get("call", 0.0) for p in run["phases"].values())
    by_phase["call outside steps"] = max(call_total - step_total, 0.0)
    return {
        "scenarios": len(scenario_s),
        "wall_s": round(run["wall_s"], 3),
        "cpu_s": round(run["cpu_s"], 3),
        "load_1min_before_after": [round(x, 2) for x in run["load_1min"]],
        "sum_scenarios_s": round(sum(scenario_s.values()), 3),
        "median_scenario_s": round(statistics.median(scenario_s.values()), 4),
        "first_scenario_s": round(next(iter(scenario_s.values())), 3),
        "by_phase_s": {k: round(v, 3) for k, v in sorted(by_phase.items())},
        "slowest": sorted(((round(v, 3), k) for k, v in scenario_s.items()), reverse=True)[:5],
        "exit_code": run["exit_code"],
        "summary": run["summary"],
    }


def slowest_steps(runs: list[dict[str, Any]], top: int = 8) -> list[tuple[float, str]]:
    """The step texts with the highest median duration over all runs."""
    seen: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        for steps in run["steps"].values():
            for step in steps:
                seen[f"{step['keyword']} {step['text']}"].append(step["seconds"])
    medians = [(round(statistics.median(v), 4), k) for k, v in seen.items()]
    return sorted(medians, reverse=True)[:top]


def _medians(summaries: list[dict[str, Any]]) -> dict[str, float]:
    keys = ("wall_s", "cpu_s", "sum_scenarios_s", "median_scenario_s")
    return {key: round(statistics.median(s[key] for s in summaries), 3) for key in keys}


def main(argv: list[str] | None = None) -> int:
    """Run the suite --repeat times; print and save medians and the per-phase breakdown.

    With ``--baseline-tree DIR`` (e.g. ``git archive <rev> | tar -x -C DIR``, sharing this
    venv) the baseline's suite runs alternately with this one, and the ratios compare the two
    under the same machine load.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--label", default="", help="a word saved with the results")
    parser.add_argument("--baseline-tree", type=Path, default=None, help="a tree to compare with")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    trees = {"current": ROOT}
    if args.baseline_tree:
        trees = {"baseline": args.baseline_tree.resolve(), "current": ROOT}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    load_at_start = os.getloadavg()
    for _ in range(args.repeat):
        for name, tree in trees.items():  # alternate, so both see the same load
            runs[name].append(one_run(args.pytest_args, tree))
    result: dict[str, Any] = {
        "benchmark": "features_speed",
        "label": args.label,
        "started": timestamp(),
        "repeat": args.repeat,
        **machine(),
        "load_average_at_start": load_at_start,
        "load_average_at_end": os.getloadavg(),
    }
    for name, tree_runs in runs.items():
        summaries = [summarize(run) for run in tree_runs]
        result[name] = {
            "tree": str(trees[name]),
            **_medians(summaries),
            "slowest_steps_s": slowest_steps(tree_runs),
            "runs": summaries,
        }
        print(f"== {name} ({trees[name]})")
        print(
            f"{'run':>3} {'scenarios':>9} {'wall s':>7} {'cpu s':>7} {'sum s':>7} "
            f"{'median s':>9}  load"
        )
        for index, s in enumerate(summaries, 1):
            print(
                f"{index:>3} {s['scenarios']:>9} {s['wall_s']:>7.2f} {s['cpu_s']:>7.2f} "
                f"{s['sum_scenarios_s']:>7.2f} {s['median_scenario_s']:>9.3f}  "
                f"{s['load_1min_before_after']}  {s['summary']}"
            )
        print("per phase (run 1):")
        for phase, seconds in summaries[0]["by_phase_s"].items():
            print(f"  {phase:24} {seconds:7.2f} s")
        print("slowest steps (median s):")
        for seconds, text in result[name]["slowest_steps_s"]:
            print(f"  {seconds:7.3f}  {text[:90]}")
    if "baseline" in result:
        result["ratios_current_to_baseline"] = {
            key: round(result["current"][key] / result["baseline"][key], 3)
            for key in ("wall_s", "cpu_s", "sum_scenarios_s", "median_scenario_s")
        }
        print("current / baseline:", result["ratios_current_to_baseline"])
    save("features_speed", result, result["started"], args.label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
