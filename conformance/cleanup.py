"""Safety on a real tenant: track what the run creates, guard writes, clean up, sweep leftovers."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

DEFAULT_PREFIX = "scimproof-"
SWEEP_PREFIX = re.compile(r"^scimproof-[0-9a-z-]*$")
# Attribute each core resource type is named by; sweeping matches the run prefix on it.
NAMING_ATTRIBUTE = {"/Users": "userName", "/Groups": "displayName"}
NON_RESOURCE_SEGMENTS = frozenset({".search", "Bulk", "Me"})


class SafetyViolation(Exception):
    """A check tried to modify something the run did not create; the request was not sent."""


@dataclass(frozen=True)
class Tracked:
    """A resource this run created, awaiting deletion."""

    endpoint: str
    id: str
    owner: str  # id of the check that created it


class ResourceTracker:
    """Everything the run created; writes are only allowed to these (or to made-up ids)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._created: set[tuple[str, str]] = set()
        self._pending: list[Tracked] = []
        self._lock = threading.Lock()

    def register(self, endpoint: str, resource_id: str, owner: str) -> None:
        """Remember a created resource, to delete it when its check ends."""
        with self._lock:
            if (endpoint, resource_id) not in self._created:
                self._created.add((endpoint, resource_id))
                self._pending.append(Tracked(endpoint, resource_id, owner))

    def forget(self, endpoint: str, resource_id: str) -> None:
        """Drop a resource from cleanup (it was deleted); writes to it stay allowed."""
        with self._lock:
            self._pending = [
                t for t in self._pending if (t.endpoint, t.id) != (endpoint, resource_id)
            ]

    def pending(self, owner: str | None = None) -> list[Tracked]:
        """Resources still to delete (of one check, or all), newest first."""
        with self._lock:
            return [t for t in reversed(self._pending) if owner is None or t.owner == owner]

    def owns(self, endpoint: str, resource_id: str) -> bool:
        """True if the run created this resource or the id is one the run made up."""
        with self._lock:
            created = (endpoint, resource_id) in self._created
        return created or resource_id.startswith(self.prefix)

    def guard(self, method: str, path: str, body: Any = None) -> None:
        """Refuse a write that could touch a resource this run did not create."""
        method = method.upper()
        if method in ("GET", "HEAD", "OPTIONS"):
            return
        if path.startswith(("http://", "https://")):
            raise SafetyViolation(f"refusing {method} to {path}: outside the SCIM base URL")
        segments = [s for s in urlsplit(path).path.split("/") if s]
        if method == "POST":
            if not segments or segments[-1] == ".search":
                return
            if segments == ["Bulk"]:
                self._guard_bulk(body)
                return
            if len(segments) == 1:
                return  # creation in a collection
        if len(segments) == 2 and segments[0] not in NON_RESOURCE_SEGMENTS:
            if self.owns(f"/{segments[0]}", segments[1]):
                return
            raise SafetyViolation(
                f"refusing {method} {path}: the run did not create {segments[0]}/{segments[1]}"
            )
        raise SafetyViolation(f"refusing {method} {path}: not a resource the run created")

    def _guard_bulk(self, body: Any) -> None:
        """Every PUT/PATCH/DELETE inside a BulkRequest must target the run's own resources."""
        operations = body.get("Operations") if isinstance(body, dict) else None
        for operation in operations or []:
            if not isinstance(operation, dict):
                continue
            method = str(operation.get("method", "")).upper()
            path = str(operation.get("path", ""))
            if method in ("PUT", "PATCH", "DELETE"):
                segments = [s for s in path.split("/") if s]
                if len(segments) == 2 and segments[1].startswith("bulkId:"):
                    continue
                if len(segments) != 2 or not self.owns(f"/{segments[0]}", segments[1]):
                    raise SafetyViolation(
                        f"refusing Bulk {method} {path}: not a resource the run created"
                    )


def split_location(location: str) -> tuple[str, str] | None:
    """('/Users', id) from a resource URL such as https://host/scim/v2/Users/2819c223."""
    segments = [s for s in urlsplit(location).path.split("/") if s]
    if len(segments) < 2:
        return None
    return f"/{segments[-2]}", segments[-1]


Fetch = Callable[..., Any]  # ctx-like: fetch(method, path, params=..., json=...) -> Response


def count_resources(get: Fetch, endpoints: Iterable[str]) -> dict[str, int | None]:
    """totalResults of each endpoint (None when it cannot be counted)."""
    counts: dict[str, int | None] = {}
    for endpoint in endpoints:
        try:
            response = get(endpoint, params={"count": 1})
            total = response.json().get("totalResults") if response.status_code == 200 else None
        except (ValueError, AttributeError):
            total = None
        counts[endpoint] = total if isinstance(total, int) else None
    return counts


def find_leftovers(get: Fetch, prefix: str, page_size: int = 100) -> list[tuple[str, str, str]]:
    """(endpoint, id, name) of every User/Group whose name starts with ``prefix``."""
    if not SWEEP_PREFIX.match(prefix):
        raise ValueError(f"sweep prefix must look like {DEFAULT_PREFIX}..., not {prefix!r}")
    found: list[tuple[str, str, str]] = []
    for endpoint, attribute in NAMING_ATTRIBUTE.items():
        response = get(endpoint, params={"filter": f'{attribute} sw "{prefix}"'})
        if response.status_code == 200:
            resources = response.json().get("Resources") or []
            # A server may ignore the filter: the prefix is always re-checked client-side,
            # and if the filtered answer was paged, the full walk below finds the rest.
            paged = response.json().get("totalResults", 0) > len(resources)
        else:
            resources, paged = [], True
        if paged:
            resources = list(_walk(get, endpoint, page_size))
        for resource in resources:
            name = resource.get(attribute)
            if isinstance(name, str) and name.startswith(prefix) and resource.get("id"):
                found.append((endpoint, str(resource["id"]), name))
    return sorted(set(found))


def _walk(get: Fetch, endpoint: str, page_size: int) -> Iterable[dict[str, Any]]:
    """Every resource of an endpoint, page by page (1-based startIndex, RFC 7644 §3.4.2.4)."""
    start = 1
    while True:
        response = get(endpoint, params={"startIndex": start, "count": page_size})
        if response.status_code != 200:
            return
        page = response.json()
        resources = page.get("Resources") or []
        yield from resources
        total = page.get("totalResults") or 0
        start += len(resources)
        if not resources or start > total:
            return
