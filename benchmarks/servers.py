"""The two SCIM servers the benchmarks compare, each started in its own subprocess.

The stub runs through its own CLI (``scim-stub token --enable`` then ``scim-stub serve``),
scim2-server (the in-memory reference from PyPI) through its ``scim2-server`` CLI, each on a
free 127.0.0.1 port, so client and server never share a GIL.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class ScimServer:
    """A running server: its name, SCIM base URL and bearer token."""

    name: str
    base_url: str
    token: str
    pid: int = 0  # the server's process, once started


def free_port() -> int:
    """A currently free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(server: ScimServer, process: subprocess.Popen) -> None:
    """Poll /ServiceProviderConfig until the server answers (bounded by START_TIMEOUT)."""
    deadline = time.monotonic() + START_TIMEOUT
    headers = {"Authorization": f"Bearer {server.token}"}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {process.returncode}")
        try:
            url = f"{server.base_url}/ServiceProviderConfig"
            if requests.get(url, headers=headers, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)  # a start-up poll, bounded by the deadline above
    raise RuntimeError(f"{server.name} did not start within {START_TIMEOUT} s")


@contextmanager
def _running(
    server: ScimServer, command: list[str], env: dict[str, str] | None = None
) -> Iterator[ScimServer]:
    """Start the server's process (env: its whole environment), wait until it answers, stop it."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_ready(server, process)
        yield replace(server, pid=process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def stub_server(
    workdir: Path, serve: list[str] | None = None, name: str = "stub"
) -> Iterator[ScimServer]:
    """The stub with a fresh database in ``workdir`` and a token for Acme; ``serve`` replaces
    ``scim-stub serve`` (it gets ``--db`` and ``--port``)."""
    db = workdir / "stub.sqlite3"
    cli = [sys.executable, "-m", "stub_server.cli"]
    minted = subprocess.run(
        [*cli, "token", "--db", str(db), "--org", "acme", "--enable", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    info = json.loads(minted.stdout)
    port = free_port()
    server = ScimServer(name, f"http://127.0.0.1:{port}{info['scim_path']}", info["token"])
    command = [*(serve or [*cli, "serve"]), "--db", str(db), "--port", str(port)]
    with _running(server, command) as ready:
        yield ready


@contextmanager
def reference_server() -> Iterator[ScimServer]:
    """scim2-server (in memory) with a static bearer token."""
    token, port = "benchmark-token", free_port()
    exe = shutil.which("scim2-server", path=str(Path(sys.executable).parent)) or "scim2-server"
    server = ScimServer("scim2-server", f"http://127.0.0.1:{port}/v2", token)
    with _running(server, [exe, "--port", str(port), "--bearer-token", token]) as ready:
        yield ready
