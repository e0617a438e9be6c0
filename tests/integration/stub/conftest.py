"""Fixtures for the stub's integration tests: the same seeded stub, served on a real port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from stub_server.serving import serve_in_thread
from tests.scim_helpers import reusable_scim_stub, scim, scim_app, scim_storage, scim_token

__all__ = ["reusable_scim_stub", "scim", "scim_app", "scim_storage", "scim_token"]


@pytest.fixture
def scim_server(scim_app: Flask) -> Iterator[str]:
    """The app on a real 127.0.0.1 port (threaded werkzeug); yields the origin URL."""
    with serve_in_thread(scim_app) as server:
        yield f"http://127.0.0.1:{server.port}"
