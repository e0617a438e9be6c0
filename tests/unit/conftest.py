"""Fixtures for the settings UI unit tests: the stub on a real SQLite file, signed-in clients."""

from __future__ import annotations

import re
import socket
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from stub_server.seed import SEED_PASSWORD
from stub_server.storage import Storage, storage_of
from tests.reusable_stub import ReusableStub

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
ACME = "blt0acme000000001"
BASIC = "blt0basic00000002"
UI_SECRET = "unit-test-secret"
# Real PBKDF2, with few rounds: the unit tests sign in hundreds of times.
UI_CONFIG = {"SECRET_KEY": UI_SECRET, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


class UiClient:
    """A browser-like test client: keeps cookies, knows its CSRF token, asks for HTML or JSON."""

    def __init__(self, app: Flask) -> None:
        self.http: FlaskClient = app.test_client()
        self.csrf = ""

    def refresh_csrf(self, path: str = "/sign-in") -> str:
        """Read the CSRF token from a page, as a browser's form would carry it."""
        page = self.http.get(path, follow_redirects=True)
        found = CSRF_META.search(page.get_data(as_text=True))
        assert found, f"no CSRF token on {path}"
        self.csrf = found[1]
        return self.csrf

    def sign_in(self, email: str, password: str = SEED_PASSWORD) -> TestResponse:
        """Sign in through the form; the CSRF token of the new session is read afterwards."""
        self.refresh_csrf()
        response = self.http.post(
            "/sign-in", data={"email": email, "password": password, "csrf_token": self.csrf}
        )
        if response.status_code == 303:
            self.refresh_csrf("/")
        return response

    def get(self, path: str, *, json: bool = False, **kwargs: Any) -> TestResponse:
        """GET a page (or its JSON with ``json=True``)."""
        headers = {"Accept": "application/json"} if json else {"Accept": "text/html"}
        return self.http.get(path, headers=headers, **kwargs)

    def post(
        self,
        path: str,
        data: dict[str, str] | None = None,
        *,
        csrf: str | None = None,
        json: bool = False,
        **kwargs: Any,
    ) -> TestResponse:
        """POST a form with the session's CSRF token unless ``csrf`` overrides it."""
        form = {"csrf_token": self.csrf if csrf is None else csrf, **(data or {})}
        if csrf == "":
            form.pop("csrf_token")
        headers = {"Accept": "application/json"} if json else {"Accept": "text/html"}
        return self.http.post(path, data=form, headers=headers, **kwargs)


# The stub's unit rooms; conformance's unit tests keep their own rules until they move.
NO_IO_ROOMS = ("scim", "storage", "domain", "test_ui_")


def _refuse(what: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a unit test may not use {what}; move it to tests/integration")

    return refuse


@pytest.fixture(autouse=True)
def no_sockets_threads_or_subprocesses(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the stub's unit rooms, opening a socket, a thread or a subprocess fails the test."""
    relative = request.node.path.relative_to(Path(__file__).parent).as_posix()
    if not relative.startswith(NO_IO_ROOMS):
        return
    monkeypatch.setattr(socket.socket, "connect", _refuse("sockets"))
    monkeypatch.setattr(socket.socket, "bind", _refuse("sockets"))
    monkeypatch.setattr(threading.Thread, "start", _refuse("threads"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("subprocesses"))


@pytest.fixture(scope="session")
def reusable_ui_stub(tmp_path_factory: pytest.TempPathFactory) -> ReusableStub:
    """The seeded stub, built once per session (see tests.reusable_stub)."""
    return ReusableStub(tmp_path_factory.mktemp("ui") / "stub.sqlite3", UI_CONFIG)


@pytest.fixture
def ui_app(reusable_ui_stub: ReusableStub) -> Flask:
    """The seeded stub app on a real SQLite file, in the state a newly built one has."""
    return reusable_ui_stub.fresh()


@pytest.fixture
def ui_db(ui_app: Flask, reusable_ui_stub: ReusableStub) -> Path:
    """The app's SQLite file (to start a second app on it)."""
    return reusable_ui_stub.database


@pytest.fixture
def ui_storage(ui_app: Flask) -> Storage:
    """The app's storage, to check what really changed."""
    return storage_of(ui_app)


@pytest.fixture
def ui_client(ui_app: Flask) -> Callable[[str | None], UiClient]:
    """ui_client(email) -> a client signed in as that seeded person (None: signed out)."""

    def make(email: str | None = None) -> UiClient:
        client = UiClient(ui_app)
        if email is None:
            client.refresh_csrf()
        else:
            assert client.sign_in(email).status_code == 303, f"sign-in as {email} failed"
        return client

    return make
