"""The checker against a hostile server: every mode ends in a report, leaks nothing, harms nothing.

Each case runs ``scim-conformance check`` as a subprocess against ``hostile.HostileServer`` in one
mode and asserts: the exit status, the three report files present and parseable, the token absent
(in any encoding) from every byte written, no request outside the base path, the server's own
resources untouched, and the wall time bounded (a generous bound, not a benchmark).

Replays of issue 9's findings (each failed on main before this branch):
echo-token (token in messages and reports), lie-ids and traversal-ids (cleanup deleting what the
run did not create, DELETE outside the base path), slow-drip (a run stalled forever),
endless-paging (the final walk following totalResults=10^12), huge-body (memory without bound),
html / invalid-json (no report files at all), bare-list (AttributeError), deep-json
(RecursionError).
"""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path

import pytest

from tests.integration.conformance.hostile import MODES, hostile_server
from tests.integration.conformance.hostile_run import (
    WALL_BOUND,
    assert_nothing_leaked,
    assert_reports_parse,
    assert_server_untouched,
    assert_stayed_in_base_path,
    cli_command,
    run_cli,
    secret_forms,
)

# What each mode must visibly provoke (so the case shows the misbehaviour was met, not dodged).
EVIDENCE = {
    "echo-token": "[REDACTED]",
    "lie-ids": "without the run's prefix",
    "traversal-ids": "admin",
    "slow-drip": "within 2s",
    "endless-paging": "",
    "huge-body": "--max-response-bytes",
    "html": "",
    "invalid-json": "",
    "bare-list": "",
    "deep-json": "nested",
    "connection-reset": "connection failed",
    "redirect": "302",
}


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_hostile_server_gets_verdicts_not_harm(mode: str, tmp_path: Path) -> None:
    """Per mode: exit 1 or 2, reports parse, no leak, no escape, no harm, bounded time."""
    with hostile_server(mode) as server:
        outcome = run_cli(server, tmp_path)
        assert_stayed_in_base_path(server)
        assert_server_untouched(server)
    assert outcome.status in (1, 2), (outcome.status, outcome.stderr[-2000:])
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert_reports_parse(outcome)
    assert_nothing_leaked(outcome, server.token)
    assert outcome.seconds < WALL_BOUND
    assert EVIDENCE[mode] in outcome.messages() + json.dumps(outcome.report()["safety"])
    if mode == "echo-token":  # rich markup in a server's words is printed, not swallowed
        assert "(see [docs])" in outcome.stdout


def test_a_huge_body_is_read_no_further_than_the_cap(tmp_path: Path) -> None:
    """Replay: an endless response no longer grows memory; the checker stays small."""
    with hostile_server("huge-body") as server:
        outcome = run_cli(server, tmp_path, "--tags", "users")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert outcome.status in (1, 2)
    assert "larger than --max-response-bytes" in outcome.messages()
    assert peak_kib < 600 * 1024, f"peak RSS {peak_kib} KiB"


def test_endless_paging_walks_a_bounded_number_of_pages(tmp_path: Path) -> None:
    """Replay: totalResults=10^12 no longer keeps the leftover walk going."""
    with hostile_server("endless-paging") as server:
        outcome = run_cli(server, tmp_path, "--tags", "users.create")
        pages = [s for s in server.app.log.all() if "startIndex" in s.query]
    assert outcome.status in (0, 1), outcome.stderr[-2000:]
    assert 0 < len(pages) <= 2 * 200 + 50, f"{len(pages)} page requests"


def test_sweep_deletes_nothing_a_lying_server_offers(tmp_path: Path) -> None:
    """--sweep re-reads each 'leftover': the victim and a traversal id are never deleted."""
    with hostile_server("sweep-bait") as server:
        command, env = cli_command(server, tmp_path)
        command = [*command[:3], "sweep", server.base_url]
        done = subprocess.run(command, capture_output=True, env=env, timeout=WALL_BOUND)
        assert_stayed_in_base_path(server)
        assert_server_untouched(server)
        deletes = [seen for seen in server.app.log.all() if seen.method == "DELETE"]
    output = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 1, output
    assert deletes == []
    assert "swept 0 of 4" in output
    assert "without the run's prefix" in output
    assert "outside the base URL" in output
    assert "Traceback" not in output
    assert not [w for w in secret_forms(server.token) if w in output]


def test_a_create_whose_answer_never_came_is_found_and_deleted(tmp_path: Path) -> None:
    """Replay: a POST cut off by --timeout after the server made the User left it behind, since
    the run never learned its id. The run sent that exact unique userName, so the final check
    for leftovers adopts it, re-reads it for the prefix and deletes it."""
    with hostile_server("slow-create") as server:
        outcome = run_cli(server, tmp_path, "--tags", "users")
        assert_server_untouched(server)
        _, _, listed = server.app.inner_call("GET", "/Users")
    assert "within 2s" in outcome.messages()  # the cut-off create, as its check reports it
    safety = outcome.report()["safety"]
    assert safety["leftovers"] == [], safety
    assert safety["counts_after"] == safety["counts_before"], safety
    names = [user["userName"] for user in json.loads(listed)["Resources"]]
    assert names == ["victim"], names
