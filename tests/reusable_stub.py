"""One stub app built once per test session and handed to each test as if new.

Building the stub (two Flask apps compiling their routes, a migrated and seeded SQLite file)
costs more than most of the tests that use it. A ``ReusableStub`` builds it once, snapshots its
database and config, and ``fresh()`` puts back that first state before each test: the database
through SQLite's backup API (every table, every row, the same file), the config dict, and new
in-memory stores (token reveals, rate-limit buckets). A test sees exactly what a newly built
app would show; what it changes is gone before the next test starts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from stub_server import create_app
from stub_server.scim_api import SCIM_APP_KEY
from stub_server.scim_api.hooks import RATE_LIMITER_KEY
from stub_server.scim_api.ratelimit import RateLimiter
from stub_server.storage import Storage, storage_of
from stub_server.ui import token_reveal

# The app's state outside its database and config: extension key -> a new, empty store.
IN_MEMORY_STORES: dict[str, Callable[[], object]] = {
    token_reveal.EXTENSION_KEY: token_reveal.TokenReveals,
    RATE_LIMITER_KEY: RateLimiter,
}


class ReusableStub:
    """A built stub app whose first state can be put back cheaply (see the module docstring)."""

    def __init__(
        self,
        database: Path,
        config: Mapping[str, Any],
        prepare: Callable[[Storage], None] | None = None,
    ) -> None:
        self.database = database
        self.app = create_app({"DATABASE": str(database), **config})
        self.storage = storage_of(self.app)
        if prepare is not None:
            prepare(self.storage)
        self._rows = sqlite3.connect(":memory:")
        self.storage.connection().backup(self._rows)
        self._config = dict(self.app.config)
        self._extensions = {id(app): set(app.extensions) for app in self._apps()}

    def _apps(self) -> list[Flask]:
        return [self.app, self.app.extensions[SCIM_APP_KEY]]

    def fresh(self) -> Flask:
        """Return the app with its first database, config and in-memory stores put back."""
        self._rows.backup(self.storage.connection())
        self.app.config.clear()
        self.app.config.update(self._config)
        for app in self._apps():
            assert set(app.extensions) == self._extensions[id(app)], "an extension was added"
            for key, new_store in IN_MEMORY_STORES.items():
                if key in app.extensions:
                    app.extensions[key] = new_store()
        return self.app
