"""The stub the features drive: started for this test process as ``scim-stub serve`` (waitress,
the production server) in a process of its own, or the deployment named by ``--base-url``.

A process of its own, not a thread of the test process: the browser driver, the identity
provider's and the conformance checker's requests then do not take turns with the server for
one interpreter lock, and the features drive the stub the way it is deployed.

Under pytest-xdist every worker is its own test process, so every worker gets its own stub
(own port, own SQLite file). Nothing here resets state between scenarios: each scenario puts
what it needs in place through the settings API, so the same scenarios run against any
deployment, in any order, any number of times.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

STARTUP_TIMEOUT_S = 30
READY_POLL_S = 0.05


@dataclass(frozen=True)
class RunningStub:
    """The target of the features: its base URL, and whether this process started it."""

    base_url: str
    started_here: bool
    worker: str = "main"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def stub_process(db_path: Path) -> Iterator[str]:
    """``scim-stub serve`` on a free loopback port with its own database; yields its base URL
    once it answers, and stops it when the block ends. Its log is kept beside the database."""
    port = free_port()
    command = [sys.executable, "-m", "stub_server.cli", "serve", "--port", str(port)]
    log = db_path.with_suffix(".log")
    with log.open("w") as output:  # the child keeps its own copy of the descriptor
        server = subprocess.Popen(
            [*command, "--db", str(db_path)], stdout=output, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"scim-stub serve exited: {log.read_text()[-2000:]}")
            try:
                requests.get(f"{base_url}/sign-in", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError("scim-stub serve did not answer in time") from None
                time.sleep(READY_POLL_S)  # bounded: polling a starting server, not timing a test
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


@pytest.fixture(scope="session")
def stub(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningStub]:
    """The stub under test: its own process (one per xdist worker), or --base-url's."""
    remote = request.config.getoption("base_url", default=None)
    if remote:
        yield RunningStub(base_url=remote.rstrip("/"), started_here=False)
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    db_path = tmp_path_factory.mktemp(f"stub-{worker}") / "stub.sqlite3"
    with stub_process(db_path) as base_url:
        yield RunningStub(base_url, started_here=True, worker=worker)
