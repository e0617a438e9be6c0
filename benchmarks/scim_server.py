"""Benchmark the stub's SCIM service beside scim2-server (the in-memory reference) over HTTP.

For each size N both servers run in their own subprocess on a free 127.0.0.1 port, get N
users loaded through /Bulk, and then answer the same bounded set of requests:
``filter=userName eq``, GET by id, a 100-user page, PATCH, single POSTs (creates/s), and
membership changes: PATCH ``Add``/``remove`` of one member of a group of up to 1000 users.
On the stub that group is mapped to roles (through the settings JSON API, when the stub has
Group Mapping), so each membership change also recomputes that person's roles.
Prints a table and writes ``benchmarks/results/scim_server-<timestamp>.json``. Medians only;
nothing here asserts a time.

    .venv/bin/python benchmarks/scim_server.py                 # 1k and 10k users, ~2 minutes
    .venv/bin/python benchmarks/scim_server.py --sizes 1000,10000,100000
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlsplit

import requests
from result_files import machine, save, timestamp
from servers import ScimServer, cpu_seconds, reference_server, stub_server

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
GROUP_SIZE = 1000
OWNER_EMAIL, SEED_PASSWORD = "olivia.owner@acme.example", "scimproof-demo"
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


def map_group_on_stub(server: ScimServer, group_id: str) -> bool:
    """Map the group to Admin plus a stack role as the Owner would; False when the stub has
    no Group Mapping (an older stub), so its membership changes run without it."""
    parts = urlsplit(server.base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    org_uid = parts.path.rstrip("/").rsplit("/", 1)[-1]
    session = requests.Session()
    page = session.get(f"{origin}/sign-in", timeout=30).text
    csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    form = {"email": OWNER_EMAIL, "password": SEED_PASSWORD, "csrf_token": csrf}
    session.post(f"{origin}/sign-in", data=form, timeout=30)
    page = session.get(f"{origin}/", timeout=30).text
    csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    mapping = {
        "group_id": group_id,
        "organization_role": "Admin",
        "stack_roles": {"Docs Portal": "Developer"},
    }
    resp = session.post(
        f"{origin}/organizations/{org_uid}/settings/scim/group-mappings",
        json=mapping,
        headers={"Accept": "application/json", "X-CSRF-Token": csrf},
        timeout=60,
    )
    if resp.status_code == 404:
        return False
    resp.raise_for_status()
    return True


def membership_changes(
    server: ScimServer, c: Http, ids: list[str], picks: list[int], samples: int
) -> tuple[float, float, bool]:
    """PATCH Add then remove of one member of a group of up to GROUP_SIZE users (outside the
    group's first members): median ms, the server's CPU ms per request (steadier than wall
    time on a shared machine), and whether the group was mapped to roles."""
    in_group = min(GROUP_SIZE, len(ids) // 2)
    body = {
        "schemas": [GROUP_SCHEMA],
        "displayName": "Benchmark team",
        "members": [{"value": i} for i in ids[:in_group]],
    }
    status, payload = c.call("POST", "/Groups", body)
    if status != 201:
        raise RuntimeError(f"{server.name} group create -> {status}: {payload[:300]!r}")
    group_id = json.loads(payload)["id"]
    mapped = server.name == "stub" and map_group_on_stub(server, group_id)
    outside = ids[in_group:]

    def change(i: int) -> tuple[int, bytes]:
        member = outside[picks[i // 2] % len(outside)]
        if i % 2 == 0:
            op = {"op": "Add", "path": "members", "value": [{"value": member}]}
        else:
            op = {"op": "remove", "path": f'members[value eq "{member}"]'}
        return c.call(
            "PATCH", f"/Groups/{group_id}", {"schemas": [PATCH_SCHEMA], "Operations": [op]}
        )

    cpu_before = cpu_seconds(server.pid)
    median = timed(2 * samples, change)
    cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / (2 * samples)
    return median, cpu_ms, mapped


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
    membership, membership_cpu, mapped = membership_changes(server, c, ids, picks, samples)
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
        "membership_patch_ms": round(membership, 3),
        "membership_server_cpu_ms": round(membership_cpu, 3),
        "group_mapped": mapped,
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
        "membership_patch_ms",
        "membership_server_cpu_ms",
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
    stamp = timestamp()
    document = {"benchmark": "scim_server", "when": stamp, **machine()}
    print()
    save("scim_server", {**document, "samples": args.samples, "results": rows}, stamp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
