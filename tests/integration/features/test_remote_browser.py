"""The features through a Playwright server, as against a browser grid: one scenario passes
with the browser launched by a local ``playwright run-server`` (the system Chromium)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from steps.browser import find_chromium
from steps.stub_fixtures import free_port
from tests.integration.features.conftest import run_features

STARTUP_TIMEOUT_S = 30
SCENARIO = "finds_no_settings and Max"
PLAYWRIGHT_CLI = (sys.executable, "-m", "playwright")


@pytest.fixture
def playwright_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``playwright run-server`` on a free loopback port; yields its ws endpoint and its log.

    ``--unsafe`` lets the client name the binary (the system Chromium) and its flags.
    """
    port = free_port()
    log = tmp_path / "run-server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*PLAYWRIGHT_CLI, "run-server", "--host", "127.0.0.1", "--port", str(port), "--unsafe"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "DEBUG": "pw:server"},
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while "Listening on" not in log.read_text():
            assert server.poll() is None, f"run-server exited: {log.read_text()}"
            assert time.monotonic() < deadline, f"run-server did not start: {log.read_text()}"
            time.sleep(0.1)
        yield f"ws://127.0.0.1:{port}/", log
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_scenario_passes_in_a_browser_of_a_playwright_server(playwright_server, tmp_path):
    endpoint, server_log = playwright_server
    chromium = find_chromium().executable or ""
    run = run_features(
        tmp_path,
        "-k",
        SCENARIO,
        f"--chromium={chromium}",
        env={"SCIMPROOF_WS_ENDPOINT": endpoint},
    )
    assert run.exit_code == 0, run.output[-3000:]
    (scenario,) = [e for f in run.cucumber() for e in f["elements"]]
    assert {s["result"]["status"] for s in scenario["steps"]} == {"passed"}
    served = server_log.read_text()
    assert 'engaged launch mode for "chromium"' in served, served  # the server ran the browser
