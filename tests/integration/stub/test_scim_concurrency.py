"""Concurrent writers on a real server: nothing is lost, uniqueness holds."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import requests

from tests.scim_helpers import ACME, PATCH, USER, base_path

WORKERS = 8


def run_together(worker: Callable[[int], object], count: int = WORKERS) -> list[object]:
    """Start ``count`` threads at once (a barrier) and collect what each returns."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        barrier.wait(timeout=30)
        results[index] = worker(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def session(token: str) -> requests.Session:
    """A session with the bearer token."""
    s = requests.Session()
    s.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"})
    return s


def test_concurrent_creates_of_one_username(scim_server: str, scim_token: str) -> None:
    url = f"{scim_server}{base_path(ACME)}/Users"

    def create(i: int) -> int:
        body = {"schemas": [USER], "userName": "Race@Example.com" if i % 2 else "race@example.com"}
        return session(scim_token).post(url, json=body, timeout=60).status_code

    statuses = Counter(run_together(create))
    assert statuses == Counter({201: 1, 409: WORKERS - 1})
    listing = (
        session(scim_token)
        .get(url, params={"filter": 'userName eq "race@example.com"'}, timeout=60)
        .json()
    )
    assert listing["totalResults"] == 1


def test_concurrent_patches_with_if_match_lose_no_update(scim_server: str, scim_token: str) -> None:
    base = f"{scim_server}{base_path(ACME)}"
    created = (
        session(scim_token)
        .post(
            f"{base}/Users", timeout=60, json={"schemas": [USER], "userName": "counter@example.com"}
        )
        .json()
    )
    url = f"{base}/Users/{created['id']}"

    def add_role(i: int) -> int:
        """Read-modify-write with If-Match, retrying on 412 (bounded)."""
        s = session(scim_token)
        for attempt in range(200):
            current = s.get(url, timeout=60)
            body = {
                "schemas": [PATCH],
                "Operations": [
                    {"op": "add", "path": "roles", "value": [{"value": f"role-{i}"}]},
                    {
                        "op": "replace",
                        "path": "nickName",
                        "value": str(int(current.json().get("nickName", "0")) + 1),
                    },
                ],
            }
            resp = s.patch(
                url, json=body, headers={"If-Match": current.headers["ETag"]}, timeout=60
            )
            if resp.status_code == 200:
                return attempt
            assert resp.status_code == 412, resp.text
        raise AssertionError("no PATCH got through in 200 attempts")

    run_together(add_role)
    final = session(scim_token).get(url, timeout=60).json()
    assert final["nickName"] == str(WORKERS)
    assert sorted(r["value"] for r in final["roles"]) == sorted(f"role-{i}" for i in range(WORKERS))
    assert final["meta"]["version"] == f'W/"{WORKERS + 1}"'
