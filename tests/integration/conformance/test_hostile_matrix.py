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

import base64
import json
import os
import posixpath
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote
from xml.etree import ElementTree

import pytest

from tests.integration.conformance.hostile import BASE_PATH, MODES, HostileServer, hostile_server

WALL_BOUND = 240.0  # seconds; a hang would take forever, a healthy run takes well under this
RUN_ARGS = ("--timeout", "2", "--deadline", "90", "--cleanup-deadline", "20", "--workers", "4")


@dataclass
class Outcome:
    """What one CLI run left behind."""

    status: int
    stdout: str
    stderr: str
    seconds: float
    files: dict[str, bytes]

    def report(self) -> dict:
        """The JSON report."""
        return json.loads(self.files["json"])

    def messages(self) -> str:
        """Every result message of the JSON report, one per line."""
        return "\n".join(r["message"] for r in self.report()["results"])


def run_cli(server: HostileServer, tmp_path: Path, *extra: str) -> Outcome:
    """Run the checker as a subprocess against the server; collect everything it wrote."""
    paths = {kind: tmp_path / f"report.{kind}" for kind in ("json", "junit", "html")}
    command = [
        sys.executable,
        "-m",
        "conformance.cli",
        "check",
        server.base_url,
        "--no-progress",
        *RUN_ARGS,
        "--json",
        str(paths["json"]),
        "--junit",
        str(paths["junit"]),
        "--html",
        str(paths["html"]),
        *extra,
    ]
    env = {**os.environ, "SCIM_TOKEN": server.token, "PYTHONPATH": os.getcwd()}
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, env=env, timeout=WALL_BOUND * 2)
    seconds = time.monotonic() - started
    files = {kind: path.read_bytes() for kind, path in paths.items() if path.exists()}
    return Outcome(done.returncode, done.stdout.decode(), done.stderr.decode(), seconds, files)


def secret_forms(token: str) -> set[str]:
    """Every 8-character run of the token, raw, URL-encoded and base64 at each alignment."""
    forms = {token, quote(token, safe="")}
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + token.encode()).decode()
        forms.add(encoded[4:-4])  # away from the padding and the made-up first bytes
    return {form[i : i + 8] for form in forms for i in range(len(form) - 7)}


def assert_nothing_leaked(outcome: Outcome, token: str) -> None:
    """No 8-character run of the token in any form, in any byte the checker wrote."""
    written = {"stdout": outcome.stdout, "stderr": outcome.stderr}
    written |= {kind: data.decode("utf-8", "replace") for kind, data in outcome.files.items()}
    windows = secret_forms(token)
    for where, text in written.items():
        found = sorted(w for w in windows if w in text)
        assert not found, f"{where} leaks the token: {found[:3]}"


def assert_reports_parse(outcome: Outcome) -> None:
    """JSON, JUnit and HTML reports exist and parse."""
    assert set(outcome.files) == {"json", "junit", "html"}, outcome.stderr[-2000:]
    assert isinstance(outcome.report()["results"], list)
    ElementTree.fromstring(outcome.files["junit"])
    assert b"<html" in outcome.files["html"][:500].lower()


def normalized(path: str) -> str:
    """A raw request path as the most lenient server would route it."""
    return posixpath.normpath(unquote(unquote(path)))


def assert_stayed_in_base_path(server: HostileServer) -> None:
    """Every request the hostile server saw was under the base path; the other origin saw none."""
    outside = [
        seen
        for seen in server.app.log.all()
        if not normalized(seen.path).startswith(BASE_PATH + "/")
        and normalized(seen.path) != BASE_PATH
    ]
    assert not outside, f"requests outside {BASE_PATH}: {outside[:3]}"
    assert server.other.log.all() == [], "a request went to another origin"


def assert_server_untouched(server: HostileServer) -> None:
    """The server's own User and Group still exist and no write was addressed to them."""
    assert server.app.victims_intact()
    victims = set(server.app.victims.values())
    writes = [
        seen
        for seen in server.app.log.all()
        if seen.method in ("PUT", "PATCH", "DELETE")
        and unquote(seen.path.rsplit("/", 1)[-1]) in victims
    ]
    assert not writes, f"writes to the server's own resources: {writes[:3]}"


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
