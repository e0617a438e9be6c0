"""The Flask app factory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from stub_server.seed import seed
from stub_server.storage import Storage

DEFAULT_DB = Path("instance") / "scimproof-stub.sqlite3"
STORAGE_KEY = "scimproof.storage"  # where an app (the UI app and the SCIM app) keeps its Storage


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the stub app; ``config`` overrides defaults (DATABASE, SEED, SECRET_KEY, ...)."""
    app = Flask(__name__)
    app.config.update(
        DATABASE=os.environ.get("SCIM_STUB_DB", str(DEFAULT_DB)),
        SEED=True,
        SECRET_KEY=os.environ.get("SCIM_STUB_SECRET_KEY") or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=1_048_576,
        SCIM_MAX_PAYLOAD=1_048_576,
        SCIM_RATE_LIMIT=0,  # requests per second per organization; 0 = off
    )
    if config:
        app.config.update(config)

    storage = Storage(app.config["DATABASE"])
    if app.config["SEED"]:
        seed(storage)
    app.extensions[STORAGE_KEY] = storage

    from stub_server.scim import register_scim
    from stub_server.ui import register_ui

    register_ui(app)
    register_scim(app)
    return app


def storage_of(app: Flask) -> Storage:
    """Return the Storage an app was built with."""
    return app.extensions[STORAGE_KEY]


def current_storage() -> Storage:
    """Return the Storage of the app handling the current request."""
    return storage_of(current_app)
