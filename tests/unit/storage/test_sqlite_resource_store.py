"""The SQLite backend of the stub passes the resource store contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from stub_server.storage import ResourceStore, Storage
from tests.unit.storage.resource_store_contract import ResourceStoreContract

ORGS = ("blt0store00000001", "blt0store00000002")


class TestSqliteResourceStore(ResourceStoreContract):
    """Every contract test, on a fresh SQLite file."""

    @pytest.fixture
    def orgs(self) -> tuple[str, str]:
        """Two organizations of the database."""
        return ORGS

    @pytest.fixture
    def store(self, tmp_path: Path) -> ResourceStore:
        """The store of a migrated database holding the two organizations."""
        storage = Storage(tmp_path / "store.sqlite3")
        storage.migrate()
        with storage.transaction() as conn:
            conn.executemany(
                "INSERT INTO organizations (uid, slug, name, plan, plan_includes_scim) "
                "VALUES (?, ?, ?, 'Enterprise', 1)",
                [(uid, uid, uid) for uid in ORGS],
            )
        return storage.resources


def test_a_snapshot_reads_one_state_while_another_connection_writes(tmp_path: Path) -> None:
    """Reads inside snapshot() all see the state of its first read (a list's count and page
    agree even when a create commits between them); the next snapshot sees the write."""
    path = tmp_path / "snapshot.sqlite3"
    reader, writer = Storage(path), Storage(path)
    reader.migrate()
    insert = (
        "INSERT INTO organizations (uid, slug, name, plan, plan_includes_scim) "
        "VALUES (?, ?, ?, 'Enterprise', 1)"
    )
    count = "SELECT count(*) FROM organizations"
    with reader.snapshot() as conn:
        before = conn.execute(count).fetchone()[0]
        with writer.transaction() as other:
            other.execute(insert, (ORGS[0], ORGS[0], ORGS[0]))
        assert conn.execute(count).fetchone()[0] == before
    with reader.snapshot() as conn:
        assert conn.execute(count).fetchone()[0] == before + 1
