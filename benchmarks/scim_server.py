"""Benchmark the stub's SCIM service beside scim2-server (the in-memory reference) over HTTP.

For each size N both servers run in their own subprocess on a free 127.0.0.1 port, get N
users loaded through /Bulk, and then answer the same bounded set of requests:
``filter=userName eq``, GET by id, a 100-user page, PATCH, and single POSTs (creates/s).
Prints a table and writes ``benchmarks/results/scim_server-<timestamp>.json``. Medians only;
nothing here asserts a time.

    .venv/bin/python benchmarks/scim_server.py                 # 1k and 10k users, ~2 minutes
    .venv/bin/python benchmarks/scim_server.py --sizes 1000,10000,100000
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from servers import ROOT, ScimServer, reference_server, stub_server

RESULTS = Path(__file__).resolve().parent / "results"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
BULK_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
BULK_CHUNK = 500


class Http:
    """http.client with keep-alive: adds far less client time per request than requests."""

    def __init__(self, base: str, token: str) -> None:
        parts = urlsplit(base)
        self.host, self.port, self.prefix = parts.hostname or "", parts.port or 80, parts.path
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)

    def call(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        """Send one request (reconnecting once if the server closed the connection)."""
        data = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):
            try:
                self.conn.request(method, self.prefix + path, body=data, headers=self.headers)
                resp = self.conn.getresponse()
                payload = resp.read()
                if resp.will_close:
                    self.conn.close()
                return resp.status, payload
            except (http.client.RemoteDisconnected, ConnectionError):
                self.conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def user(index: int, run: str) -> dict:
    """A user shaped like an IdP sends it to Contentstack."""
    name = f"user{index:07d}.{run}@bench.example"
    return {
        "schemas": [USER_SCHEMA],
        "userName": name,
        "active": True,
        "name": {"givenName": "Bench", "familyName": f"User{index}"},
        "emails": [{"value": name, "type": "work", "primary": True}],
    }


def load(server: ScimServer, count: int, run: str) -> tuple[list[str], list[str], float]:
    """Create ``count`` users through /Bulk; return their ids, userNames and the seconds."""
    ids: list[str] = []
    names: list[str] = []
    started = time.perf_counter()
    client = Http(server.base_url, server.token)
    for first in range(0, count, BULK_CHUNK):
        chunk = range(first, min(count, first + BULK_CHUNK))
        ops = [
            {"method": "POST", "path": "/Users", "bulkId": f"u{i}", "data": user(i, run)}
            for i in chunk
        ]
        status, payload = client.call(
            "POST", "/Bulk", {"schemas": [BULK_SCHEMA], "Operations": ops}
        )
        if status != 200:
            raise RuntimeError(f"{server.name} /Bulk -> {status}: {payload[:300]!r}")
        for op, sent in zip(json.loads(payload)["Operations"], ops, strict=True):
            if str(op.get("status")) != "201":
                raise RuntimeError(f"{server.name} bulk create failed: {op}")
            ids.append(op["location"].rsplit("/", 1)[-1])
            names.append(sent["data"]["userName"])
    client.close()
    return ids, names, time.perf_counter() - started


def timed(samples: int, request: Callable[[int], tuple[int, bytes]]) -> float:
    """Median milliseconds of ``samples`` calls; every response must succeed."""
    times = []
    for i in range(samples):
        started = time.perf_counter()
        status, payload = request(i)
        times.append((time.perf_counter() - started) * 1000)
        if status >= 400:
            raise RuntimeError(f"request {i} -> {status}: {payload[:200]!r}")
    return statistics.median(times)


def measure(server: ScimServer, size: int, samples: int, seed: int) -> dict:
    """Load ``size`` users and time each operation on ``server``."""
    run = f"{server.name.replace('-', '')}{size}"
    ids, names, load_s = load(server, size, run)
    rng = random.Random(seed)
    picks = [rng.randrange(size) for _ in range(samples)]
    c = Http(server.base_url, server.token)
    filters = [quote(f'userName eq "{names[p]}"') for p in picks]
    filter_eq = timed(samples, lambda i: c.call("GET", f"/Users?filter={filters[i]}"))
    get_by_id = timed(samples, lambda i: c.call("GET", f"/Users/{ids[picks[i]]}"))
    page = timed(
        samples,
        lambda i: c.call("GET", f"/Users?startIndex={1 + picks[i] % max(1, size - 100)}&count=100"),
    )
    patch = timed(
        samples,
        lambda i: c.call(
            "PATCH",
            f"/Users/{ids[picks[i]]}",
            {
                "schemas": [PATCH_SCHEMA],
                "Operations": [{"op": "replace", "path": "displayName", "value": f"Renamed {i}"}],
            },
        ),
    )
    started = time.perf_counter()
    for i in range(samples):
        status, payload = c.call("POST", "/Users", user(size + i, run))
        if status != 201:
            raise RuntimeError(f"{server.name} create -> {status}: {payload[:300]!r}")
    creates_per_s = samples / (time.perf_counter() - started)
    c.close()
    return {
        "server": server.name,
        "users": size,
        "samples": samples,
        "load_seconds": round(load_s, 2),
        "filter_eq_ms": round(filter_eq, 3),
        "get_by_id_ms": round(get_by_id, 3),
        "page_100_ms": round(page, 3),
        "patch_ms": round(patch, 3),
        "creates_per_s": round(creates_per_s, 1),
    }


def print_table(rows: list[dict]) -> None:
    """A plain table, one line per server and size, then stub/reference ratios."""
    cols = [
        "server",
        "users",
        "load_seconds",
        "filter_eq_ms",
        "get_by_id_ms",
        "page_100_ms",
        "patch_ms",
        "creates_per_s",
    ]
    print(" | ".join(f"{c:>13}" for c in cols))
    for row in rows:
        print(" | ".join(f"{row[c]!s:>13}" for c in cols))
    print("\nratio stub / scim2-server (below 1 means the stub is faster; creates/s: above 1)")
    for size in sorted({r["users"] for r in rows}):
        pair = {r["server"]: r for r in rows if r["users"] == size}
        if len(pair) == 2:
            ratios = {
                c: round(pair["stub"][c] / pair["scim2-server"][c], 3)
                for c in cols[3:]
                if pair["scim2-server"][c]
            }
            print(f"{size:>8} users: {ratios}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated user counts (default: 1000,10000)"
    )
    parser.add_argument(
        "--samples", type=int, default=100, help="requests per measured operation (default: 100)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["stub", "scim2-server"], help="measure one server only")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes integers such as 1000,10000")
    if not sizes or min(sizes) < 101 or not 1 <= args.samples <= 10_000:
        parser.error("sizes must be above 100 and samples between 1 and 10000")
    rows = []
    for size in sizes:
        for name in ("stub", "scim2-server"):
            if args.only and args.only != name:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                context = stub_server(Path(tmp)) if name == "stub" else reference_server()
                with context as server:
                    print(f"{name}: loading {size} users ...", flush=True)
                    rows.append(measure(server, size, args.samples, args.seed))
                    print(f"  {rows[-1]}", flush=True)
    print_table(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"scim_server-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "benchmark": "scim_server",
                "when": stamp,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "samples": args.samples,
                "results": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
