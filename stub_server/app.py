"""The Flask app factory: the one place that puts the storage, the UI and the SCIM service
together (nothing imports it back but the command line)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from stub_server import storage
from stub_server.scim_api import register_scim
from stub_server.seed import SEED_HASH_METHOD, seed
from stub_server.ui import register_ui

DEFAULT_DB = Path("instance") / "scimproof-stub.sqlite3"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the stub app; ``config`` overrides defaults (DATABASE, SEED, SECRET_KEY,
    PASSWORD_HASH_METHOD of the seeded accounts, ...)."""
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
        PASSWORD_HASH_METHOD=SEED_HASH_METHOD,  # of the seeded accounts (werkzeug's names)
    )
    if config:
        app.config.update(config)

    database = storage.init_app(app)
    if app.config["SEED"]:
        seed(database, app.config["PASSWORD_HASH_METHOD"])
    register_ui(app)
    register_scim(app)
    return app
