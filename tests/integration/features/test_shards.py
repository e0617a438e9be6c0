"""Sharding the features with pytest-split, then merging: nothing lost, nothing twice."""

from __future__ import annotations

import json
import subprocess
import sys
from xml.etree import ElementTree

from steps.merge_reports import main as merge_reports
from tests.integration.features.conftest import FEATURES, ROOT, run_features

SELECTION = "refuses or plan or visitor"
SEED = "1234"
PYTEST = (sys.executable, "-m", "pytest", "-p", "no:cacheprovider")


def _collected(selection: str) -> set[str]:
    done = subprocess.run(
        [*PYTEST, FEATURES, "--collect-only", "-q", "-k", selection, f"--randomly-seed={SEED}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return {line for line in done.stdout.splitlines() if "::" in line}


def test_two_shards_merged_hold_every_scenario_once(tmp_path):
    shard_dirs = []
    for group in ("1", "2"):
        run = run_features(
            tmp_path / f"shard-{group}",
            "-k",
            SELECTION,
            "--splits=2",
            f"--group={group}",
            "--durations-path=tests/e2e/durations.json",
            "--splitting-algorithm=least_duration",
            f"--randomly-seed={SEED}",
        )
        assert run.exit_code == 0, run.output[-3000:]
        shard_dirs.append(run.reports)
    merged = tmp_path / "merged"
    assert merge_reports([str(merged), *map(str, shard_dirs)]) == 0

    expected = _collected(SELECTION)
    assert len(expected) >= 6
    per_shard = [
        {c.get("name") for c in ElementTree.parse(d / "junit.xml").getroot().iter("testcase")}
        for d in shard_dirs
    ]
    assert all(per_shard) and not per_shard[0] & per_shard[1]  # both shards ran, apart
    merged_junit = ElementTree.parse(merged / "junit.xml").getroot()
    names = [c.get("name") for c in merged_junit.iter("testcase")]
    assert len(names) == len(set(names)) == len(expected)
    (suite,) = merged_junit.iter("testsuite")
    assert suite.get("tests") == str(len(expected)) and suite.get("failures") == "0"
    cucumber = json.loads((merged / "cucumber.json").read_text())
    scenario_ids = {e["id"] for f in cucumber for e in f["elements"]}
    assert scenario_ids == expected  # the unsharded run's set of scenarios


def test_merging_a_missing_shard_is_a_one_line_error(tmp_path, capsys):
    assert merge_reports([str(tmp_path / "merged"), str(tmp_path / "no-such-shard")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("merge_reports: cannot read") and err.count("\n") == 1
