"""The stub the features drive: started on a free port for this test process, or the
deployment named by ``--base-url``.

Under pytest-xdist every worker is its own test process, so every worker gets its own stub
(own port, own SQLite file). Nothing here resets state between scenarios: each scenario puts
what it needs in place through the settings API, so the same scenarios run against any
deployment, in any order, any number of times.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from stub_server import create_app
from stub_server.serving import serve_in_thread


@dataclass(frozen=True)
class RunningStub:
    """The target of the features: its base URL, and whether this process started it."""

    base_url: str
    started_here: bool
    worker: str = "main"


@pytest.fixture(scope="session")
def stub(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningStub]:
    """The stub under test: started in a thread (one per xdist worker), or --base-url's."""
    remote = request.config.getoption("base_url", default=None)
    if remote:
        yield RunningStub(base_url=remote.rstrip("/"), started_here=False)
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    db_path = tmp_path_factory.mktemp(f"stub-{worker}") / "stub.sqlite3"
    app = create_app({"DATABASE": str(db_path), "SECRET_KEY": f"test-secret-{worker}"})
    with serve_in_thread(app) as server:
        yield RunningStub(f"http://127.0.0.1:{server.port}", started_here=True, worker=worker)
