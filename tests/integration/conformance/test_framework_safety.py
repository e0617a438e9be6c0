"""Safety on a real tenant: cleanup always, guarded writes, read-only, plan, sweep, interrupt."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from conformance.cli import main
from conformance.context import CheckContext
from conformance.report.model import Report
from tests.integration.conformance.faulty import TOKEN, ServedApp, faults_resources
from tests.unit.conformance.temporary import temporary_check

HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"}
USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def outside_user(base_url: str, user_name: str) -> str:
    """Create a User the way another client would (not through a run); return its id."""
    response = requests.post(
        f"{base_url}/Users",
        headers=HEADERS,
        timeout=10,
        json={"schemas": [USER], "userName": user_name},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def user_exists(base_url: str, user_id: str) -> bool:
    """True if GET /Users/{id} answers 200."""
    return requests.get(f"{base_url}/Users/{user_id}", headers=HEADERS, timeout=10).ok


@pytest.mark.parametrize("ending", ["fail", "crash", "return"])
def test_created_resources_are_deleted_however_a_check_ends(
    ending: str,
    faulty_server: Callable[..., str],
    run_checks: Callable[..., Report],
) -> None:
    """A check that creates a User and Group then fails, crashes or passes leaves nothing."""
    created: list[str] = []

    def creator(ctx: CheckContext) -> None:
        user = ctx.new_user()
        created.append(user["id"])
        ctx.new_group([user["id"]])
        if ending == "fail":
            ctx.fail("failing after creating")
        if ending == "crash":
            raise KeyError("crash after creating")

    base_url = faulty_server(set())
    with temporary_check("tmp.creator", creator, mutating=True):
        report = run_checks(["tmp.creator"], base_url)
    assert report.safety["unchanged"] is True
    assert report.safety["leftovers"] == []
    assert not user_exists(base_url, created[0])


def test_writes_to_resources_the_run_did_not_create_are_refused(
    faulty_server: Callable[..., str],
    run_checks: Callable[..., Report],
    faulty_target: ServedApp,
) -> None:
    """PUT/PATCH/DELETE on someone else's User never leaves the client: the check errors."""
    base_url = faulty_server(set())
    victim = outside_user(base_url, "someone-else@example.com")
    attempts = []

    def vandal(ctx: CheckContext) -> None:
        attempts.append(len(faulty_target.middleware.log))
        ctx.delete(f"/Users/{victim}")

    try:
        with temporary_check("tmp.vandal", vandal, mutating=True):
            report = run_checks(["tmp.vandal"], base_url)
        result = report.result("tmp.vandal")
        assert result.status == "error"
        assert "safety: refusing DELETE" in result.message
        assert user_exists(base_url, victim)
        sent_after = faulty_target.middleware.log[attempts[0] :]
        assert ("DELETE", f"/Users/{victim}") not in sent_after
    finally:
        requests.delete(f"{base_url}/Users/{victim}", headers=HEADERS, timeout=10)


def test_bulk_operations_on_foreign_resources_are_refused(
    faulty_server: Callable[..., str],
    run_checks: Callable[..., Report],
) -> None:
    """A Bulk DELETE of a resource the run did not create is refused before sending."""
    base_url = faulty_server(set())
    victim = outside_user(base_url, "bulk-victim@example.com")

    def bulk_vandal(ctx: CheckContext) -> None:
        ctx.post(
            "/Bulk",
            json={
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
                "Operations": [{"method": "DELETE", "path": f"/Users/{victim}"}],
            },
        )

    try:
        with temporary_check("tmp.bulk-vandal", bulk_vandal, mutating=True):
            report = run_checks(["tmp.bulk-vandal"], base_url)
        assert "safety: refusing Bulk DELETE" in report.result("tmp.bulk-vandal").message
        assert user_exists(base_url, victim)
    finally:
        requests.delete(f"{base_url}/Users/{victim}", headers=HEADERS, timeout=10)


def test_a_full_run_leaves_other_resources_untouched(
    faulty_server: Callable[..., str],
    run_checks: Callable[..., Report],
) -> None:
    """Counting before and after: an outside User survives every Users/Groups check."""
    from conformance.registry import all_checks

    base_url = faulty_server(set())
    bystander = outside_user(base_url, "bystander@example.com")
    try:
        ids = [s.id for s in all_checks() if s.area in ("users", "groups") and not s.profile]
        report = run_checks(ids, base_url)
        assert report.safety["unchanged"] is True
        assert report.safety["counts_before"] == report.safety["counts_after"]
        assert user_exists(base_url, bystander)
    finally:
        requests.delete(f"{base_url}/Users/{bystander}", headers=HEADERS, timeout=10)


def test_read_only_sends_nothing_but_reads(
    faulty_server: Callable[..., str],
    run_checks: Callable[..., Report],
    faulty_target: ServedApp,
) -> None:
    """--read-only: mutating checks are skipped and only GET requests reach the server."""
    from conformance.registry import all_checks

    base_url = faulty_server(set())
    start = len(faulty_target.middleware.log)
    specs = [s for s in all_checks() if not s.profile]
    report = run_checks([s.id for s in specs], base_url, read_only=True)
    methods = {method for method, _ in faulty_target.middleware.log[start:]}
    assert methods == {"GET"}
    mutating = {s.id for s in specs if s.mutating}
    assert {r.id for r in report.results if r.status == "skip"} >= mutating
    assert any(r.status == "pass" for r in report.results)


def test_plan_lists_writes_and_sends_nothing(
    faulty_server: Callable[..., str],
    faulty_target: ServedApp,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--plan prints each mutating check with the prefix it would use, without any request."""
    base_url = faulty_server(set())
    start = len(faulty_target.middleware.log)
    status = main(
        [
            "check",
            base_url,
            "--token",
            TOKEN,
            "--plan",
            "--tags",
            "users.delete",
            "--prefix",
            "scimproof-plan01",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "users.delete.status" in out and "scimproof-plan01-*" in out
    assert "users.read.not-found" not in out
    assert faulty_target.middleware.log[start:] == []


def test_sweep_deletes_only_prefixed_leftovers(
    faulty_server: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """sweep removes Users named with the crashed run's prefix and nothing else."""
    base_url = faulty_server(set())
    leftover = outside_user(base_url, "scimproof-dead01-user-1@example.com")
    other_run = outside_user(base_url, "scimproof-live02-user-1@example.com")
    stranger = outside_user(base_url, "stranger@example.com")
    try:
        status = main(["sweep", base_url, "--token", TOKEN, "--prefix", "scimproof-dead01"])
        assert status == 0
        assert "swept 1 of 1" in capsys.readouterr().out
        assert not user_exists(base_url, leftover)
        assert user_exists(base_url, other_run) and user_exists(base_url, stranger)
    finally:
        for user_id in (leftover, other_run, stranger):
            requests.delete(f"{base_url}/Users/{user_id}", headers=HEADERS, timeout=10)


def test_sweep_refuses_a_prefix_that_could_match_real_data(
    faulty_server: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Only scimproof-* prefixes may be swept."""
    status = main(["sweep", faulty_server(set()), "--token", TOKEN, "--prefix", "a"])
    assert status == 2
    assert "sweep prefix must look like scimproof-" in capsys.readouterr().err


def test_an_interrupted_run_stops_and_still_cleans_up(
    faulty_server: Callable[..., str],
    run_checks: Callable[..., Report],
) -> None:
    """Once cancelled (Ctrl-C/SIGTERM set this event), queued checks do not run; cleanup does."""
    import threading

    cancel = threading.Event()
    created: list[str] = []

    def interrupted(ctx: CheckContext) -> None:
        created.append(ctx.new_user()["id"])
        cancel.set()
        ctx.new_user()  # the next request is refused: the run is interrupted

    base_url = faulty_server(set())
    with (
        temporary_check("tmp.a-interrupted", interrupted, mutating=True, group="one"),
        temporary_check("tmp.b-queued", lambda ctx: None, group="one"),
    ):
        report = run_checks(["tmp.a-interrupted", "tmp.b-queued"], base_url, cancel=cancel)
    assert report.interrupted is True
    assert report.result("tmp.a-interrupted").status == "error"
    assert report.result("tmp.b-queued").message == "not run: the run was interrupted"
    assert not user_exists(base_url, created[0])
    assert report.safety["unchanged"] is True


def test_sigterm_stops_the_cli_and_cleans_up(faulty_target: ServedApp) -> None:
    """SIGTERM during a check: the CLI stops, deletes what it created and exits 2."""
    import signal
    import subprocess
    import sys

    faults_resources.STALL_REACHED.clear()
    faults_resources.STALL_RELEASE.clear()
    faulty_target.middleware.active = ("stall-user-reads",)
    base_url = faulty_target.base_url
    start = len(faulty_target.middleware.log)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "conformance.cli",
            "check",
            base_url,
            "--token",
            TOKEN,
            "--tags",
            "users.read.by-id",
            "--no-progress",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        reached = faults_resources.STALL_REACHED.wait(60)
        assert reached and process.poll() is None, ("the check never reached its GET", process)
        process.send_signal(signal.SIGTERM)
        # Release the stalled GET only once the CLI says it took the signal.
        first_err_line = process.stderr.readline()
        faults_resources.STALL_RELEASE.set()
        out, err = process.communicate(timeout=60)
        err = first_err_line + err
    finally:
        faults_resources.STALL_RELEASE.set()
        faulty_target.middleware.active = ()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 2, (out, err)
    assert "SIGTERM: stopping" in err
    posted = [p for m, p in faulty_target.middleware.log[start:] if m == "POST"]
    deleted = [p for m, p in faulty_target.middleware.log[start:] if m == "DELETE"]
    assert len(posted) == 1 and len(deleted) == 1
    assert "Tenant unchanged" in out
