"""The reused stub app of the unit tests starts every test as a newly built one would."""

from __future__ import annotations

from flask import Flask

from stub_server.scim_api import SCIM_APP_KEY
from stub_server.scim_api.hooks import RATE_LIMITER_KEY
from stub_server.storage import storage_of
from stub_server.ui import token_reveal
from tests.reusable_stub import ReusableStub
from tests.scim_helpers import ACME, OTHER

ROW_COUNTS = "SELECT (SELECT COUNT(*) FROM organizations), (SELECT COUNT(*) FROM accounts)"


def test_fresh_puts_back_the_database_config_and_in_memory_stores(
    reusable_scim_stub: ReusableStub, scim_app: Flask
) -> None:
    storage = storage_of(scim_app)
    first_counts = tuple(storage.connection().execute(ROW_COUNTS).fetchone())
    scim_api = scim_app.extensions[SCIM_APP_KEY]
    limiter = scim_api.extensions[RATE_LIMITER_KEY]
    reveals = scim_app.extensions[token_reveal.EXTENSION_KEY]

    storage.set_scim_enabled(ACME, True)
    storage.issue_token(ACME, "left behind")
    with storage.transaction() as conn:
        conn.execute("DELETE FROM organizations WHERE uid = ?", (OTHER,))
    scim_app.config["SCIM_RATE_LIMIT"] = 7
    limiter.take(ACME, 1)

    again = reusable_scim_stub.fresh()

    assert again is scim_app
    assert tuple(storage.connection().execute(ROW_COUNTS).fetchone()) == first_counts
    assert storage.organization(OTHER) is not None
    assert not storage.organization(ACME)["scim_enabled"]
    assert storage.connection().execute("SELECT COUNT(*) FROM scim_tokens").fetchone()[0] == 0
    assert scim_app.config["SCIM_RATE_LIMIT"] == 0
    assert scim_api.config["SCIM_RATE_LIMIT"] == 0
    assert scim_api.extensions[RATE_LIMITER_KEY] is not limiter
    assert scim_app.extensions[token_reveal.EXTENSION_KEY] is not reveals
