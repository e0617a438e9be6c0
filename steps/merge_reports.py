"""Merge the JUnit XML and Cucumber JSON reports of feature shards into one of each.

``python -m steps.merge_reports reports reports/shard-1-of-4 reports/shard-2-of-4 …``
(``make merge-reports`` does this for every ``reports/shard-*``). Each shard directory holds
the ``junit.xml`` and ``cucumber.json`` that ``make features SHARD=i/n`` wrote. The merged
JUnit has one test suite with every shard's test cases and summed counts; the merged Cucumber
JSON has each feature once with every shard's scenarios. A missing or unreadable shard report
is a one-line error and exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

JUNIT = "junit.xml"
CUCUMBER = "cucumber.json"
COUNTS = ("tests", "errors", "failures", "skipped")


class ShardReportError(ValueError):
    """A shard's report is missing or cannot be read."""


def merge_junit(files: list[Path]) -> ElementTree.ElementTree:
    """One <testsuites> with one <testsuite> holding every shard's test cases."""
    merged = ElementTree.Element("testsuite", name="scimproof features")
    totals = dict.fromkeys(COUNTS, 0)
    seconds = 0.0
    for file in files:
        try:
            root = ElementTree.parse(file).getroot()
        except (OSError, ElementTree.ParseError) as exc:
            raise ShardReportError(f"cannot read {file}: {exc}") from None
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for suite in suites:
            for name in COUNTS:
                totals[name] += int(suite.get(name, "0"))
            seconds += float(suite.get("time", "0"))
            merged.extend(suite.findall("testcase"))
    for name, value in totals.items():
        merged.set(name, str(value))
    merged.set("time", f"{seconds:.3f}")
    suites_root = ElementTree.Element("testsuites")
    suites_root.append(merged)
    return ElementTree.ElementTree(suites_root)


def merge_cucumber(files: list[Path]) -> list[dict[str, Any]]:
    """Every feature once, with the scenarios of all shards."""
    features: dict[str, dict[str, Any]] = {}
    for file in files:
        try:
            shard = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ShardReportError(f"cannot read {file}: {exc}") from None
        for feature in shard:
            merged = features.setdefault(feature["uri"], {**feature, "elements": []})
            merged["elements"].extend(feature.get("elements", []))
    return list(features.values())


def merge(into: Path, shard_dirs: list[Path]) -> tuple[Path, Path]:
    """Write the merged junit.xml and cucumber.json into ``into``; return their paths."""
    if not shard_dirs:
        raise ShardReportError("name at least one shard directory")
    into.mkdir(parents=True, exist_ok=True)
    junit = into / JUNIT
    merge_junit([d / JUNIT for d in shard_dirs]).write(
        junit, encoding="utf-8", xml_declaration=True
    )
    cucumber = into / CUCUMBER
    cucumber.write_text(json.dumps(merge_cucumber([d / CUCUMBER for d in shard_dirs]), indent=1))
    return junit, cucumber


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m steps.merge_reports INTO SHARD_DIR...``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print("usage: python -m steps.merge_reports INTO_DIR SHARD_DIR...", file=sys.stderr)
        return 2
    try:
        junit, cucumber = merge(Path(args[0]), [Path(a) for a in args[1:]])
    except ShardReportError as exc:
        print(f"merge_reports: {exc}", file=sys.stderr)
        return 2
    print(f"merged {len(args) - 1} shards into {junit} and {cucumber}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
