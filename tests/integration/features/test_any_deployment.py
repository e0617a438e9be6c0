"""Against a deployment: the scenarios that change state pass twice in a row on one database.

A ``scim-stub serve`` subprocess on its own SQLite file plays the deployment; the features run
with ``--base-url``, in random order, so nothing can rely on the in-process stub or a reset.
(The whole suite passing twice this way is the release check in the README.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from steps.stub_fixtures import stub_process
from tests.integration.features.conftest import run_features

STATEFUL = (
    "a_scim_manager_enables or audit_log_records_every or deleting_a_person_twice "
    "or okta_looks or forged_request"
)


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[str]:
    """``scim-stub serve`` on a free port with its own database; yields its base URL."""
    with stub_process(tmp_path / "deployment.sqlite3") as base_url:
        yield base_url


def test_stateful_scenarios_pass_twice_in_a_row_on_one_deployment(deployment, tmp_path):
    for attempt in ("first", "second"):
        run = run_features(tmp_path / attempt, "-k", STATEFUL, f"--base-url={deployment}")
        assert run.exit_code == 0, f"{attempt} run:\n{run.output[-3000:]}"
        names = {e["name"] for f in run.cucumber() for e in f["elements"]}
        assert len(names) >= 8, names
