"""The least a browser scenario can cost here: the floor under the feature suite's time.

A minimal scenario, as the suite runs one: a fresh browser context with its trace recording
(``retain-on-failure``, no film strip), signed in from saved cookies, one new page, one page
load, one ``expect`` that the page is shown, one click that loads a page again, and the trace
stopped unwritten as a passing scenario's is. Run against ``scim-stub serve`` in its own
process with the Chromium the suite would launch. Prints the median of each phase and the
floor it implies for the suite's scenario count; writes
``benchmarks/results/browser_floor-<timestamp>.json``. Nothing here asserts a time.

    .venv/bin/python benchmarks/browser_floor.py [--scenarios 40] [--suite-scenarios 67]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from result_files import machine, save, timestamp

from steps.browser import find_chromium, launch_args
from steps.people import TABLE as PEOPLE
from steps.settings_client import sign_in
from steps.stub_fixtures import stub_process

PHASES = ("new context", "new page", "page load", "expect shown", "click to next page", "close")


def minimal_scenarios(count: int) -> dict[str, list[float]]:
    """Time ``count`` minimal scenarios phase by phase; return each phase's seconds."""
    owner = PEOPLE[0]  # Olivia, the Owner of Acme
    timings: dict[str, list[float]] = {phase: [] for phase in PHASES}
    chromium = find_chromium()
    with (
        tempfile.TemporaryDirectory() as workdir,
        stub_process(Path(workdir) / "stub.sqlite3") as base_url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=chromium.executable, args=launch_args()
        )
        http = playwright.request.new_context(base_url=base_url)
        sign_in(http, base_url, owner.email, owner.password)
        cookies = http.storage_state()["cookies"]
        http.dispose()
        for _ in range(count):
            marks = [time.perf_counter()]
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.tracing.start(screenshots=False, snapshots=True, sources=True)
            context.add_cookies(cookies)
            marks.append(time.perf_counter())
            page = context.new_page()
            marks.append(time.perf_counter())
            page.goto(f"{base_url}/")
            marks.append(time.perf_counter())
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            marks.append(time.perf_counter())
            with page.expect_navigation():  # the brand link: All Stacks again, a new document
                page.get_by_role("link", name="scimproof").click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            marks.append(time.perf_counter())
            context.tracing.stop()
            context.close()
            marks.append(time.perf_counter())
            for phase, began, ended in zip(PHASES, marks[:-1], marks[1:], strict=True):
                timings[phase].append(ended - began)
        browser.close()
    return timings


def main(argv: list[str] | None = None) -> int:
    """Measure, print and save the floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=40, help="minimal scenarios to time")
    parser.add_argument("--suite-scenarios", type=int, default=67, help="scenarios in the suite")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    timings = minimal_scenarios(args.scenarios)
    medians = {phase: statistics.median(values) for phase, values in timings.items()}
    per_scenario = sum(medians.values())
    for phase, seconds in medians.items():
        print(f"  {phase:<20} {seconds * 1000:7.1f} ms")
    print(f"  {'one minimal scenario':<20} {per_scenario * 1000:7.1f} ms")
    floor = per_scenario * args.suite_scenarios
    print(f"  floor for {args.suite_scenarios} scenarios: {floor:.1f} s (serial, before any step)")
    stamp = timestamp()
    document = {"benchmark": "browser_floor", "started": stamp, **machine()}
    document |= {
        "load_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "scenarios_timed": args.scenarios,
        "median_ms": {phase: round(s * 1000, 2) for phase, s in medians.items()},
        "minimal_scenario_ms": round(per_scenario * 1000, 2),
        "suite_scenarios": args.suite_scenarios,
        "floor_s": round(floor, 2),
    }
    save("browser_floor", document, stamp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
