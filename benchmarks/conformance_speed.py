"""Wall time of a full conformance run, beside scim2-tester's check_server, on the same servers.

Both servers run in their own subprocess on a free 127.0.0.1 port (scim2-server through its
``scim2-server`` CLI, the stub through ``scim-stub``), so client and server do not share a GIL.
For each server and tool the run is repeated (default 3) and the median kept. scim2-tester runs
only against scim2-server in its default configuration (the stub's e-mail userName and
required name attributes are outside what scim2-tester generates). Prints a table and writes
``benchmarks/results/conformance_speed-<timestamp>.json``. Nothing here asserts a time.

    .venv/bin/python benchmarks/conformance_speed.py [--repeat 5] [--workers 4]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PROFILES = ("entra", "okta", "onelogin")
sys.path.insert(0, str(ROOT))


@dataclass
class Target:
    """A running server: name, SCIM base URL and bearer token."""

    name: str
    base_url: str
    token: str


def free_port() -> int:
    """A currently free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(target: Target, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Poll /ServiceProviderConfig until the server answers (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{target.name} exited with {process.returncode}")
        try:
            headers = {"Authorization": f"Bearer {target.token}"}
            if requests.get(
                f"{target.base_url}/ServiceProviderConfig", headers=headers, timeout=2
            ).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{target.name} did not start within {timeout}s")


@contextmanager
def running(name: str, command: list[str], target: Target) -> Iterator[Target]:
    """Start a server subprocess, wait until it answers, stop it afterwards."""
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_ready(target, process)
        yield target
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def scim2_server() -> Iterator[Target]:
    """scim2-server through its CLI, with a static bearer token."""
    port, token = free_port(), "benchmark-token"
    exe = shutil.which("scim2-server", path=str(Path(sys.executable).parent)) or "scim2-server"
    target = Target("scim2-server", f"http://127.0.0.1:{port}/v2", token)
    with running(
        "scim2-server", [exe, "--port", str(port), "--bearer-token", token], target
    ) as ready:
        yield ready


@contextmanager
def stub(workdir: Path) -> Iterator[Target]:
    """The stub through its CLI: mint a token for Acme, then serve."""
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
    target = Target("stub", f"http://127.0.0.1:{port}{info['scim_path']}", info["token"])
    with running("stub", [*cli, "serve", "--db", str(db), "--port", str(port)], target) as ready:
        yield ready


def ours(target: Target, workers: int) -> dict:
    """One full conformance run (every RFC check and every IdP profile)."""
    import conformance

    started = time.perf_counter()
    report = conformance.run(target.base_url, target.token, profiles=PROFILES, workers=workers)
    return {
        "seconds": time.perf_counter() - started,
        "checks": len(report.results),
        "requests": report.requests,
        "summary": report.summary,
        "compatibility": {k: v["summary"] for k, v in report.compatibility.items()},
    }


def scim2_tester(target: Target) -> dict:
    """scim2-tester's check_server over httpx2 (network), as its README shows."""
    from httpx2 import Client
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_tester import check_server

    started = time.perf_counter()
    with Client(
        base_url=target.base_url, headers={"Authorization": f"Bearer {target.token}"}
    ) as http:
        results = check_server(SyncSCIMClient(http))
    seconds = time.perf_counter() - started
    statuses: dict[str, int] = {}
    for result in results:
        name = getattr(result.status, "name", str(result.status)).lower()
        statuses[name] = statuses.get(name, 0) + 1
    return {"seconds": seconds, "checks": len(results), "statuses": statuses}


def measure(label: str, run: Callable[[], dict], repeat: int) -> dict:
    """Repeat a run; keep every duration and the median, and the last run's details."""
    runs = [run() for _ in range(repeat)]
    durations = [r["seconds"] for r in runs]
    return {
        "tool": label,
        "median_s": statistics.median(durations),
        "runs_s": [round(d, 3) for d in durations],
        **{k: v for k, v in runs[-1].items() if k != "seconds"},
    }


def main(argv: list[str] | None = None) -> int:
    """Run the comparison, print a table, save JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    rows = []
    with scim2_server() as target:
        rows.append(
            {
                "server": target.name,
                **measure("scim-conformance", lambda: ours(target, args.workers), args.repeat),
            }
        )
        rows.append(
            {
                "server": target.name,
                **measure("scim2-tester check_server", lambda: scim2_tester(target), args.repeat),
            }
        )
    with tempfile.TemporaryDirectory() as workdir, stub(Path(workdir)) as target:
        rows.append(
            {
                "server": target.name,
                **measure("scim-conformance", lambda: ours(target, args.workers), args.repeat),
            }
        )
    print(f"{'server':14} {'tool':28} {'checks':>6} {'requests':>8} {'median s':>9}  runs")
    for row in rows:
        print(
            f"{row['server']:14} {row['tool']:28} {row['checks']:>6} "
            f"{row.get('requests', '-'):>8} {row['median_s']:>9.2f}  {row['runs_s']}"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"conformance_speed-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "benchmark": "conformance_speed",
                "started": stamp,
                "repeat": args.repeat,
                "workers": args.workers,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpus": __import__("os").cpu_count(),
                "rows": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
