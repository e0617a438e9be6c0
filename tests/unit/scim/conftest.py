"""Fixtures for the SCIM service tests: the stub on a real SQLite file, an enabled
organization with a token, and clients that speak SCIM to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from stub_server import create_app
from stub_server.app import storage_of
from stub_server.serving import serve_in_thread
from stub_server.storage import Storage
from tests.unit.scim.scim_helpers import ACME, OTHER, ScimClient


@pytest.fixture
def scim_app(tmp_path: Path) -> Flask:
    """The seeded stub on a fresh SQLite file, with a second SCIM-capable organization."""
    app = create_app({"DATABASE": str(tmp_path / "stub.sqlite3"), "SECRET_KEY": "scim-tests"})
    with storage_of(app).transaction() as conn:
        conn.execute(
            "INSERT INTO organizations (uid, slug, name, plan, plan_includes_scim) "
            "VALUES (?, 'other', 'Other Corp', 'Enterprise', 1)",
            (OTHER,),
        )
    return app


@pytest.fixture
def scim_storage(scim_app: Flask) -> Storage:
    """The app's storage, to check what really changed."""
    return storage_of(scim_app)


@pytest.fixture
def scim_token(scim_storage: Storage) -> str:
    """A live token of Acme, whose SCIM is enabled."""
    scim_storage.set_scim_enabled(ACME, True)
    return scim_storage.issue_token(ACME, "test")


@pytest.fixture
def scim(scim_app: Flask, scim_token: str) -> ScimClient:
    """A client for Acme's SCIM service."""
    return ScimClient(scim_app, ACME, scim_token)


@pytest.fixture
def other_scim(scim_app: Flask, scim_storage: Storage) -> ScimClient:
    """A client for the other organization's SCIM service (its own token)."""
    scim_storage.set_scim_enabled(OTHER, True)
    return ScimClient(scim_app, OTHER, scim_storage.issue_token(OTHER, "test"))


@pytest.fixture
def scim_server(scim_app: Flask) -> Iterator[str]:
    """The app on a real 127.0.0.1 port (threaded werkzeug); yields the origin URL."""
    with serve_in_thread(scim_app) as server:
        yield f"http://127.0.0.1:{server.port}"
