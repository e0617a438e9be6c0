"""The pytest plugin: each check is a test item with --scim-url, and it is inert without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conformance.pytest_plugin import SCIM_ITEMS_KEY
from tests.integration.conformance.faulty import TOKEN, ServedApp


def run_pytest(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pytest in a directory of its own (so only the installed plugin is involved)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_plugin_is_inert_without_scim_url(request: pytest.FixtureRequest) -> None:
    """This very session (no --scim-url) has no conformance state and no check items."""
    assert SCIM_ITEMS_KEY not in request.config.stash
    assert not any(item.nodeid.startswith("scim-conformance") for item in request.session.items)


def test_checks_run_as_test_items(faulty_target: ServedApp, tmp_path: Path) -> None:
    """--scim-url runs each selected check as an item; a fault shows up as a failed item."""
    faulty_target.middleware.active = ("drop-location",)
    try:
        done = run_pytest(
            tmp_path,
            "--scim-url",
            faulty_target.base_url,
            "--scim-token",
            TOKEN,
            "--scim-tags",
            "users.create,auth.missing-token",
            "-rA",
        )
    finally:
        faulty_target.middleware.active = ()
    assert done.returncode == 1, done.stdout
    assert "FAILED scim-conformance::users.create.location-header" in done.stdout
    assert "PASSED scim-conformance::users.create.status" in done.stdout
    assert "PASSED scim-conformance::auth.missing-token" in done.stdout
    assert "the 201 response has no Location header" in done.stdout
    assert "> POST " in done.stdout  # the exchange transcript
    assert TOKEN not in done.stdout


def test_plain_pytest_elsewhere_is_unaffected(tmp_path: Path) -> None:
    """Without --scim-url a foreign project's tests run exactly as before."""
    (tmp_path / "test_sample.py").write_text("def test_ok():\n    assert True\n")
    done = run_pytest(tmp_path)
    assert done.returncode == 0
    assert "1 passed" in done.stdout
