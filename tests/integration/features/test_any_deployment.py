"""Against a deployment: the scenarios that change state pass twice in a row on one database.

A ``scim-stub serve`` subprocess on its own SQLite file plays the deployment; the features run
with ``--base-url``, in random order, so nothing can rely on the in-process stub or a reset.
(The whole suite passing twice this way is the release check in the README.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.integration.features.conftest import free_port, run_features

STATEFUL = (
    "a_scim_manager_enables or audit_log_records_every or deleting_a_person_twice "
    "or okta_looks or forged_request"
)
STARTUP_TIMEOUT_S = 30


@pytest.fixture
def deployment(tmp_path: Path):
    """``scim-stub serve`` on a free port with its own database; yields its base URL."""
    port = free_port()
    cli = shutil.which("scim-stub", path=str(Path(sys.executable).parent)) or "scim-stub"
    server = subprocess.Popen(
        [cli, "serve", "--port", str(port), "--db", str(tmp_path / "deployment.sqlite3")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            assert server.poll() is None, "scim-stub serve exited"
            try:
                if requests.get(f"{base_url}/sign-in", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "scim-stub serve did not start"
                time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_stateful_scenarios_pass_twice_in_a_row_on_one_deployment(deployment, tmp_path):
    for attempt in ("first", "second"):
        run = run_features(tmp_path / attempt, "-k", STATEFUL, f"--base-url={deployment}")
        assert run.exit_code == 0, f"{attempt} run:\n{run.output[-3000:]}"
        names = {e["name"] for f in run.cucumber() for e in f["elements"]}
        assert len(names) >= 8, names
