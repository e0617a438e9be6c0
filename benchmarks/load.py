"""Drive the stub with a bounded load on 127.0.0.1 while idle sockets hold connections open.

Each server runs in its own subprocess on a free port, gets USERS users, then: IDLE sockets
connect and send nothing (as a slow or abandoned client would), and CLIENTS threads send
REQUESTS keep-alive SCIM requests each (GET by id, ``filter=userName eq``, a 10-user page).
Reports throughput, p50/p99 latency, 5xx and connection errors, and the server process's
threads and memory; writes ``benchmarks/results/load-<timestamp>.json``. Nothing here asserts
a time: compare the servers of one run (the machine is shared and noisy).

    .venv/bin/python benchmarks/load.py                    # scim-stub serve, then werkzeug
    .venv/bin/python benchmarks/load.py --only stub --clients 10 --requests 50 --idle 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from result_files import machine, save, timestamp
from servers import ROOT, ScimServer, stub_server

from stub_server.app import create_app
from stub_server.serving import make_threaded_server

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
REQUEST_TIMEOUT = 60.0  # seconds for one request; a slower answer counts as an error
RUN_DEADLINE = 900.0  # seconds for the whole load phase of one server
SAMPLE_EVERY = 0.25  # seconds between samples of the server's threads and memory
PEER = "werkzeug"  # the same app on werkzeug's threaded server (the stub's former server)


class Client:
    """One keep-alive connection (http.client: little client time per request)."""

    def __init__(self, server: ScimServer) -> None:
        parts = urlsplit(server.base_url)
        self.host, self.port, self.prefix = parts.hostname or "", parts.port or 80, parts.path
        self.headers = {
            "Authorization": f"Bearer {server.token}",
            "Content-Type": "application/scim+json",
        }
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)

    def call(self, method: str, path: str, body: object = None) -> int:
        """Send one request and read the answer; return its status."""
        data = None if body is None else json.dumps(body).encode()
        try:
            self.conn.request(method, self.prefix + path, body=data, headers=self.headers)
            resp = self.conn.getresponse()
            resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = self._connect()  # the next request starts on a fresh connection
            raise
        if resp.will_close:
            self.conn.close()
        return resp.status

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def load_users(server: ScimServer, count: int) -> tuple[list[str], list[str]]:
    """Create ``count`` users; return their ids and userNames."""
    client = Client(server)
    names = [f"load{n:05d}@bench.example" for n in range(count)]
    for name in names:
        status = client.call("POST", "/Users", {"schemas": [USER_SCHEMA], "userName": name})
        if status != 201:
            raise RuntimeError(f"creating {name} answered {status}")
    client.conn.request("GET", client.prefix + "/Users?count=100", headers=client.headers)
    ids = [r["id"] for r in json.loads(client.conn.getresponse().read())["Resources"]]
    client.close()
    return ids, names


def open_idle_sockets(server: ScimServer, count: int) -> list[socket.socket]:
    """Connect ``count`` sockets that send nothing; return those the server accepted."""
    parts = urlsplit(server.base_url)
    held = []
    for _ in range(count):
        try:
            held.append(socket.create_connection((parts.hostname, parts.port), timeout=5))
        except OSError:
            break
    return held


def closed_by_server(sockets: list[socket.socket]) -> int:
    """How many of the idle sockets the server has closed (a read returns at once)."""
    closed = 0
    for sock in sockets:
        sock.setblocking(False)
        try:
            closed += sock.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return closed


def process_stats(pid: int) -> tuple[int, int]:
    """(threads, resident KiB) of a process, from /proc (0, 0 where there is no /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0, 0
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return int(fields["Threads"]), int(fields["VmRSS"].split()[0])


class Sampler(threading.Thread):
    """Samples the server's threads and memory until stopped (the peak is reported)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.peak_threads = self.peak_rss_kib = 0

    def run(self) -> None:
        """Sample every SAMPLE_EVERY seconds."""
        while not self.stop.wait(SAMPLE_EVERY):
            threads, rss = process_stats(self.pid)
            self.peak_threads = max(self.peak_threads, threads)
            self.peak_rss_kib = max(self.peak_rss_kib, rss)


def run_client(
    server: ScimServer,
    requests: int,
    seed: int,
    ids: list[str],
    names: list[str],
    out: list[tuple[float, int]],
) -> None:
    """Send ``requests`` requests; append (seconds, status or 0 for a failure) to ``out``."""
    rng = random.Random(seed)
    client = Client(server)
    for _ in range(requests):
        pick = rng.random()
        if pick < 0.5:
            path = f"/Users/{rng.choice(ids)}"
        elif pick < 0.8:
            path = "/Users?filter=" + quote(f'userName eq "{rng.choice(names)}"')
        else:
            path = f"/Users?startIndex={rng.randint(1, len(names))}&count=10"
        started = time.perf_counter()
        try:
            status = client.call("GET", path)
        except (OSError, http.client.HTTPException):
            status = 0
        out.append((time.perf_counter() - started, status))
    client.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted values lie (nearest rank)."""
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def measure(server: ScimServer, args: argparse.Namespace) -> dict:
    """Load one running server and return its figures."""
    ids, names = load_users(server, args.users)
    threads_before, _ = process_stats(server.pid)
    idle = open_idle_sockets(server, args.idle)
    probe = Client(server)  # answered once the server has taken in the idle connections
    probe.call("GET", "/ServiceProviderConfig")
    probe.close()
    threads_idle, _ = process_stats(server.pid)  # what the idle sockets cost the server
    sampler = Sampler(server.pid)
    sampler.start()
    results: list[list[tuple[float, int]]] = [[] for _ in range(args.clients)]
    workers = [
        threading.Thread(
            target=run_client,
            args=(server, args.requests, args.seed + n, ids, names, results[n]),
            daemon=True,
        )
        for n in range(args.clients)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    deadline = started + RUN_DEADLINE
    for worker in workers:
        worker.join(timeout=max(0.0, deadline - time.perf_counter()))
    elapsed = time.perf_counter() - started
    sampler.stop.set()
    sampler.join(timeout=5)
    idle_closed = closed_by_server(idle)
    for sock in idle:
        sock.close()
    samples = [s for per_client in results for s in per_client]
    latencies = sorted(seconds for seconds, _ in samples)
    statuses = [status for _, status in samples]
    return {
        "server": server.name,
        "clients": args.clients,
        "requests_per_client": args.requests,
        "requests_done": len(samples),
        "unfinished_clients": sum(worker.is_alive() for worker in workers),
        "idle_sockets_asked": args.idle,
        "idle_sockets_accepted": len(idle),
        "idle_sockets_closed_by_server": idle_closed,
        "seconds": round(elapsed, 3),
        "throughput_rps": round(len(samples) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2) if latencies else None,
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
        "status_5xx": sum(500 <= s < 600 for s in statuses),
        "status_other_non_2xx": sum(s != 0 and not 200 <= s < 300 and s < 500 for s in statuses),
        "connection_errors": statuses.count(0),
        "server_threads_before_idle": threads_before,
        "server_threads_with_idle": threads_idle,
        "server_threads_peak": sampler.peak_threads,
        "server_rss_peak_mib": round(sampler.peak_rss_kib / 1024, 1),
    }


def serve_on_werkzeug(argv: list[str]) -> int:
    """The peer: the same stub app on werkzeug's threaded server (quiet, keep-alive)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    server = make_threaded_server(create_app({"DATABASE": args.db}), port=args.port, quiet=True)
    server.serve_forever()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve-werkzeug"]:
        return serve_on_werkzeug(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200, help="requests per client")
    parser.add_argument("--idle", type=int, default=300, help="idle sockets held open")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["stub", PEER], help="load one server only")
    parser.add_argument("--label", default="", help="a note saved with the results")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 500 and 1 <= args.requests <= 10_000):
        parser.error("clients must be 1-500 and requests 1-10000")
    if not (0 <= args.idle <= 2000 and 10 <= args.users <= 10_000):
        parser.error("idle must be 0-2000 and users 10-10000")
    peer_command = [sys.executable, str(Path(__file__).resolve()), "--serve-werkzeug"]
    rows = []
    for name in ("stub", PEER):
        if args.only and args.only != name:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            serve = peer_command if name == PEER else None
            with stub_server(Path(tmp), serve=serve, name=name) as server:
                print(
                    f"{name}: {args.clients} clients x {args.requests} requests, "
                    f"{args.idle} idle sockets ...",
                    flush=True,
                )
                rows.append(measure(server, args))
                print(json.dumps(rows[-1], indent=2), flush=True)
    if len(rows) == 2 and rows[1]["throughput_rps"]:
        ratio = round(rows[0]["throughput_rps"] / rows[1]["throughput_rps"], 2)
        print(f"throughput stub / {PEER}: {ratio}")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    stamp = timestamp()
    document = {"benchmark": "load", "when": stamp, "commit": commit, "label": args.label}
    save("load", {**document, **machine(), "results": rows}, stamp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
