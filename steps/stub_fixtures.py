"""Fixtures that run the bundled stub on a free port for the test session.

With ``--base-url`` the features drive that deployment instead and no stub is started;
per-scenario state resets then only happen where the stub runs in-process.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from stub_server import create_app
from stub_server.seed import seed
from stub_server.serving import serve_in_thread
from stub_server.storage import Storage, storage_of


@dataclass
class RunningStub:
    """A stub server started by the test session (storage is None for a remote target)."""

    base_url: str
    storage: Storage | None

    def reset(self) -> None:
        """Return the in-process stub to its freshly seeded state."""
        if self.storage is not None:
            self.storage.reset()
            seed(self.storage)


@pytest.fixture(scope="session")
def stub(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningStub]:
    """The stub under test: started in a thread, or the remote one named by --base-url."""
    remote = request.config.getoption("base_url", default=None)
    if remote:
        yield RunningStub(base_url=remote.rstrip("/"), storage=None)
        return
    db_path = tmp_path_factory.mktemp("stub") / "stub.sqlite3"
    app = create_app({"DATABASE": str(db_path), "SECRET_KEY": "test-session-secret"})
    with serve_in_thread(app) as server:
        yield RunningStub(base_url=f"http://127.0.0.1:{server.port}", storage=storage_of(app))


@pytest.fixture
def fresh_stub(stub: RunningStub) -> RunningStub:
    """The stub, reset to its seeded state for this test."""
    stub.reset()
    return stub
