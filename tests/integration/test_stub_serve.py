"""``scim-stub serve`` as a process on a real 127.0.0.1 port (issue 9, item 7): waitress with a
fixed thread pool, idle connections closed, the trusted proxy's scheme believed, one-line
errors. Every wait is a bounded socket read or HTTP timeout, never a sleep."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from steps.stub_fixtures import free_port

STARTUP_SECONDS = 60.0


@dataclass(frozen=True)
class Served:
    """A running ``scim-stub serve``: its origin and process."""

    origin: str
    process: subprocess.Popen


def serve_command(tmp_path: Path, port: int, *extra: str) -> list[str]:
    """The CLI command line for a stub on ``port`` with its own database."""
    db = str(tmp_path / "stub.sqlite3")
    return [
        sys.executable,
        "-m",
        "stub_server.cli",
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        *extra,
    ]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:
    """serve(*options) -> a started stub; every one is stopped after the test."""
    started: list[subprocess.Popen] = []

    def start(*extra: str) -> Served:
        port = free_port()
        process = subprocess.Popen(
            serve_command(tmp_path, port, *extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        origin = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stdout.read()
            try:
                requests.get(f"{origin}/sign-in", timeout=2)
                return Served(origin, process)
            except requests.ConnectionError:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.2)  # a start-up poll that also notices an exit
        raise AssertionError(f"scim-stub serve did not answer within {STARTUP_SECONDS} s")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def threads_of(pid: int) -> int:
    """The number of threads of a process (Linux /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads")))


def test_serve_runs_on_waitress_with_a_fixed_thread_pool(serve) -> None:
    served = serve("--threads", "4")
    response = requests.get(f"{served.origin}/sign-in", timeout=10)
    assert response.status_code == 200 and response.headers["Server"] == "scim-stub"
    baseline = threads_of(served.process.pid)
    idle = [
        socket.create_connection(("127.0.0.1", int(served.origin.rsplit(":", 1)[1])), 10)
        for _ in range(60)
    ]
    try:
        assert requests.get(f"{served.origin}/sign-in", timeout=10).status_code == 200
        assert threads_of(served.process.pid) <= baseline + 1  # no thread per connection
    finally:
        for sock in idle:
            sock.close()


def test_a_silent_connection_is_closed_after_the_idle_timeout(serve) -> None:
    served = serve("--idle-timeout", "2")
    port = int(served.origin.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""  # the server hung up (a bounded blocking read, not a sleep)
        assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("options", "headers", "secure"),
    [
        ((), {}, False),
        (("--secure-cookies",), {}, True),
        (("--trusted-proxy", "127.0.0.1"), {"X-Forwarded-Proto": "https"}, True),
        (("--trusted-proxy", "192.0.2.1"), {"X-Forwarded-Proto": "https"}, False),
    ],
    ids=["plain", "--secure-cookies", "trusted proxy says https", "untrusted proxy header"],
)
def test_the_session_cookie_is_secure_when_it_should_be(
    serve, options: tuple, headers: dict, secure: bool
) -> None:
    served = serve(*options)
    response = requests.get(f"{served.origin}/sign-in", headers=headers, timeout=10)
    assert ("Secure" in response.headers["Set-Cookie"]) is secure


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--port", "{busy}"), "cannot listen on 127.0.0.1:"),
        (("--threads", "0"), "must be at least 1"),
        (("--host", "999.1.1.1"), "cannot listen on 999.1.1.1"),
    ],
    ids=["port in use", "no threads", "bad host"],
)
def test_serve_fails_with_one_line(tmp_path: Path, args: tuple, message: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        command = serve_command(tmp_path, free_port()) + [a.format(busy=port) for a in args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
