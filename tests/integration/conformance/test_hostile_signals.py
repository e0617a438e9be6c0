"""Ctrl-C and SIGTERM on the real CLI (a subprocess): bounded cleanup, then a second signal exits.

Replay of issue 9's finding: on main a run stalled by a slow server ignored SIGINT and SIGTERM
("still cleaning up...") until SIGKILL, and wrote no report. Here the first signal stops new
requests and cleans up within a bounded time; the second exits at once with the partial report;
either way the exit status is 2.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.integration.conformance.hostile import HostileServer, Seen, hostile_server
from tests.integration.conformance.hostile_run import (
    Outcome,
    assert_nothing_leaked,
    assert_reports_parse,
    assert_server_untouched,
    assert_stayed_in_base_path,
    cli_command,
    written,
)

EXIT_BOUND = 60.0  # seconds from the signal to the exit: generous, a hang would be forever


def start_cli(server: HostileServer, tmp_path: Path, *extra: str) -> subprocess.Popen[bytes]:
    """Start a run in its own process group; its reports go to tmp_path."""
    command, env = cli_command(server, tmp_path, *extra)
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def finish(process: subprocess.Popen[bytes], tmp_path: Path, since: float) -> Outcome:
    """Wait (bounded) for the process to end; what it wrote."""
    try:
        stdout, stderr = process.communicate(timeout=EXIT_BOUND * 3)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    seconds = time.monotonic() - since
    return Outcome(process.returncode, stdout.decode(), stderr.decode(), seconds, written(tmp_path))


def first_line(process: subprocess.Popen[bytes]) -> str:
    """The first line the process writes on stderr (waited for at most EXIT_BOUND seconds)."""
    lines: list[bytes] = []
    reader = threading.Thread(target=lambda: lines.append(process.stderr.readline()), daemon=True)
    reader.start()
    reader.join(EXIT_BOUND)
    return lines[0].decode() if lines else ""


def filtered_list(seen: Seen) -> bool:
    """A filtered list read (the slow-drip server stalls on these)."""
    return seen.method == "GET" and "filter=" in seen.query


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_first_signal_stops_cleans_up_and_reports(signum: int, tmp_path: Path) -> None:
    """During a stalled request: exit 2 within the bound, cleanup done, partial report written."""
    with hostile_server("slow-drip") as server:
        process = start_cli(server, tmp_path, "--timeout", "30", "--cleanup-deadline", "30")
        server.app.log.wait_for(filtered_list, timeout=120)
        sent = time.monotonic()
        process.send_signal(signum)
        outcome = finish(process, tmp_path, sent)
        assert_server_untouched(server)
        assert_stayed_in_base_path(server)
    assert outcome.status == 2, outcome.stderr[-2000:]
    assert outcome.seconds < EXIT_BOUND
    assert_reports_parse(outcome)
    report = outcome.report()
    assert report["interrupted"] is True
    assert signal.Signals(signum).name in report["safety"]["ended"]
    assert report["safety"]["leftovers"] == []
    assert report["safety"]["counts_after"] == report["safety"]["counts_before"]
    assert_nothing_leaked(outcome, server.token)


def test_second_signal_exits_at_once_with_the_partial_report(tmp_path: Path) -> None:
    """A cleanup stalled by a dripping DELETE: the second SIGINT ends the process at once."""
    with hostile_server("slow-delete") as server:
        process = start_cli(server, tmp_path, "--timeout", "10", "--cleanup-deadline", "300")
        server.app.log.wait_for(lambda s: s.method == "DELETE", timeout=120)
        process.send_signal(signal.SIGINT)
        assert "stopping" in first_line(process)  # the first signal has been handled
        handled = len(server.app.log.all())
        # a DELETE in flight may finish (within --timeout); then the final cleanup's drips too
        server.app.log.wait_for(lambda s: s.method == "DELETE", after=handled, timeout=60)
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        outcome = finish(process, tmp_path, sent)
        assert_server_untouched(server)
    assert outcome.status == 2
    assert outcome.seconds < 15, "the second signal did not end the process at once"
    assert_reports_parse(outcome)
    report = outcome.report()
    assert report["interrupted"] is True
    assert report["safety"]["cleanup_failures"] == ["cleanup abandoned (second interrupt)"]
    assert report["safety"]["leftovers"], "the partial report names what may remain"
    assert_nothing_leaked(outcome, server.token)
