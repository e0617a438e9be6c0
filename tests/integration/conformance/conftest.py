"""Fixtures for the conformance tests: scim2-server with fault switches, and a check runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from conformance.registry import REGISTRY, all_checks
from conformance.report.model import Report, Result
from conformance.runner import RunOptions, run
from stub_server import create_app
from stub_server.app import storage_of
from tests.integration.conformance.faulty import FAULTS, ServedApp, faulty_scim2_server, serve


@pytest.fixture(scope="session")
def faulty_target() -> Iterator[ServedApp]:
    """One scim2-server behind the fault middleware for the whole session."""
    with faulty_scim2_server() as served:
        yield served


@pytest.fixture
def faulty_server(faulty_target: ServedApp) -> Iterator[Callable[[set[str]], str]]:
    """faulty_server(faults) -> base_url: switch those faults on for this test."""

    def activate(faults: set[str] | frozenset[str] = frozenset()) -> str:
        unknown = set(faults) - set(FAULTS)
        assert not unknown, f"unknown faults {sorted(unknown)}; see faulty.FAULTS"
        faulty_target.middleware.active = tuple(sorted(faults))
        return faulty_target.base_url

    yield activate
    faulty_target.middleware.active = ()


@pytest.fixture
def run_checks(faulty_target: ServedApp) -> Callable[..., Report]:
    """run_checks(ids, base_url=..., token=...) -> Report for exactly those checks."""

    def run_ids(
        ids: list[str],
        base_url: str | None = None,
        token: str | None = "default",
        **options: object,
    ) -> Report:
        all_checks()
        specs = [REGISTRY[check_id] for check_id in ids]
        return run(
            base_url or faulty_target.base_url,
            faulty_target.token if token == "default" else token,
            RunOptions(**options),
            checks=specs,
        )

    return run_ids


@pytest.fixture
def run_check(run_checks: Callable[..., Report]) -> Callable[..., Result]:
    """run_check(id, base_url=...) -> the Result of that single check."""

    def run_one(check_id: str, base_url: str | None = None, **kw: object) -> Result:
        report = run_checks([check_id], base_url, **kw)
        result = report.result(check_id)
        assert result is not None
        return result

    return run_one


@pytest.fixture(scope="session")
def stub_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """The stub's SCIM service for Acme, on a free port, with a fresh token."""
    database = tmp_path_factory.mktemp("conformance-stub") / "stub.sqlite3"
    app = create_app({"DATABASE": str(database), "SECRET_KEY": "conformance-tests"})
    storage = storage_of(app)
    org_uid = "blt0acme000000001"
    storage.set_scim_enabled(org_uid, True)
    token = storage.issue_token(org_uid, "tests")
    with serve(app, path=f"/scim/v2.0/organizations/{org_uid}") as base_url:
        yield ServedApp(base_url, token)
