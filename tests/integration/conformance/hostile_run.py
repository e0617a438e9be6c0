"""Running the checker CLI against a hostile server, and what every run must leave behind."""

from __future__ import annotations

import base64
import json
import os
import posixpath
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote
from xml.etree import ElementTree

from tests.integration.conformance.hostile import BASE_PATH, HostileServer

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


def cli_command(
    server: HostileServer, tmp_path: Path, *extra: str
) -> tuple[list[str], dict[str, str]]:
    """The command line (and environment: the token) of a run writing reports to tmp_path."""
    reports = [f"--{kind}={tmp_path / f'report.{kind}'}" for kind in ("json", "junit", "html")]
    command = [sys.executable, "-m", "conformance.cli", "check", server.base_url, "--no-progress"]
    env = {**os.environ, "SCIM_TOKEN": server.token, "PYTHONPATH": os.getcwd()}
    return [*command, *reports, *extra], env


def written(tmp_path: Path) -> dict[str, bytes]:
    """The report files a run left in tmp_path."""
    paths = {kind: tmp_path / f"report.{kind}" for kind in ("json", "junit", "html")}
    return {kind: path.read_bytes() for kind, path in paths.items() if path.exists()}


def run_cli(server: HostileServer, tmp_path: Path, *extra: str) -> Outcome:
    """Run the checker as a subprocess against the server; collect everything it wrote."""
    command, env = cli_command(server, tmp_path, *RUN_ARGS, *extra)
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, env=env, timeout=WALL_BOUND * 2)
    seconds = time.monotonic() - started
    return Outcome(
        done.returncode, done.stdout.decode(), done.stderr.decode(), seconds, written(tmp_path)
    )


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
