"""Safety on a real tenant: track what the run creates, guard writes, clean up, sweep leftovers.

A resource may be changed or deleted only if the run created it (or made its id up) *and* its
current representation, re-read by GET, carries the run's prefix: a server that answers a POST
with the id of someone else's resource, or with an id like ``../../admin``, gets a verdict naming
what it did, and nothing it owns is touched. Ids always travel percent-encoded as one path
segment, and the client refuses any credentialed URL outside the base URL (conformance.http).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from conformance.safejson import loads
from conformance.urls import path_segment

DEFAULT_PREFIX = "scimproof-"
SWEEP_PREFIX = re.compile(r"^scimproof-[0-9a-z-]*$")
# Attribute each core resource type is named by; sweeping matches the run prefix on it.
NAMING_ATTRIBUTE = {"/Users": "userName", "/Groups": "displayName"}
# Attributes whose value shows that the run made a resource (every fixture prefixes them).
PREFIXED_ATTRIBUTES = ("userName", "displayName", "externalId")
NON_RESOURCE_SEGMENTS = frozenset({".search", "Bulk", "Me"})
MAX_PAGES = 200  # a list walk stops here, whatever totalResults claims
GONE = frozenset({404, 410})


class SafetyViolation(Exception):
    """A check tried to modify something the run did not create; the request was not sent."""


@dataclass(frozen=True)
class Tracked:
    """A resource this run created, awaiting deletion."""

    endpoint: str
    id: str
    owner: str  # id of the check that created it


Fetch = Callable[..., Any]  # fetch(path, params=None) -> requests.Response (a GET)


def resource_path(endpoint: str, resource_id: str) -> str:
    """'/Users/<id>' with the id percent-encoded as one segment; refuses unaddressable ids."""
    if not resource_id or set(resource_id) <= {"."}:
        raise SafetyViolation(f"the id {resource_id!r} cannot address a resource")
    return f"{endpoint}/{path_segment(resource_id)}"


def carries_prefix(resource: Any, prefix: str) -> bool:
    """True if a representation's naming attributes show the run's prefix."""
    if not isinstance(resource, dict):
        return False
    return any(
        isinstance(resource.get(name), str) and prefix in resource[name]
        for name in PREFIXED_ATTRIBUTES
    )


def created_names(method: str, path: str, body: Any) -> list[tuple[str, str]]:
    """(endpoint, name) of each User or Group a request asks to create: a POST to /Users or
    /Groups, or the POST operations of a Bulk request."""
    if method != "POST" or not isinstance(body, dict):
        return []
    target = urlsplit(path).path.rstrip("/")
    if target == "/Bulk":
        operations = body.get("Operations")
        creates = [
            (str(op.get("path", "")).rstrip("/"), op.get("data"))
            for op in (operations if isinstance(operations, list) else [])
            if isinstance(op, dict) and str(op.get("method", "")).upper() == "POST"
        ]
    else:
        creates = [(target, body)]
    return [
        (endpoint, data[NAMING_ATTRIBUTE[endpoint]])
        for endpoint, data in creates
        if endpoint in NAMING_ATTRIBUTE
        and isinstance(data, dict)
        and isinstance(data.get(NAMING_ATTRIBUTE[endpoint]), str)
    ]


def _json(response: Any) -> Any:
    """A response body as JSON, None when it is not JSON."""
    try:
        return loads(response.content or b"null")
    except ValueError:
        return None


class ResourceTracker:
    """Everything the run created; writes are only allowed to these (or to made-up ids)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._created: set[tuple[str, str]] = set()
        self._verified: set[tuple[str, str]] = set()
        self._pending: list[Tracked] = []
        self._unanswered: dict[tuple[str, str], str] = {}  # (endpoint, name) -> sending check
        self._lock = threading.Lock()

    def register(self, endpoint: str, resource_id: str, owner: str) -> None:
        """Remember a created resource, to delete it when its check ends."""
        with self._lock:
            if (endpoint, resource_id) not in self._created:
                self._created.add((endpoint, resource_id))
                self._pending.append(Tracked(endpoint, resource_id, owner))

    def sending(self, endpoint: str, name: str, owner: str) -> None:
        """A create of ``name`` is on its way; until its answer arrives the server may hold it
        without the run knowing its id (a timeout or Ctrl-C cutting the answer off)."""
        with self._lock:
            self._unanswered[(endpoint, name)] = owner

    def answered(self, endpoint: str, name: str) -> None:
        """The create of ``name`` was answered: what it made, if anything, is known."""
        with self._lock:
            self._unanswered.pop((endpoint, name), None)

    def adopt(self, leftovers: Iterable[tuple[str, str, str]]) -> int:
        """Register each leftover (endpoint, id, name) named exactly as a create the run sent
        and never saw answered: the run made it. Cleanup still re-reads it for the prefix
        before deleting it. Returns how many were adopted."""
        adopted = 0
        with self._lock:
            for endpoint, resource_id, name in leftovers:
                owner = self._unanswered.get((endpoint, name))
                if owner is not None and (endpoint, resource_id) not in self._created:
                    self._created.add((endpoint, resource_id))
                    self._pending.append(Tracked(endpoint, resource_id, owner))
                    adopted += 1
        return adopted

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

    def verify(self, endpoint: str, resource_id: str, fetch: Fetch) -> bool:
        """Re-read a created resource; False if it is gone, SafetyViolation if it is not ours."""
        response = fetch(resource_path(endpoint, resource_id))
        if response.status_code in GONE:
            return False
        representation = _json(response)
        if response.status_code == 200 and carries_prefix(representation, self.prefix):
            with self._lock:
                self._verified.add((endpoint, resource_id))
            return True
        if response.status_code == 200:
            shown = ", ".join(
                f"{name}={representation.get(name)!r}"
                for name in PREFIXED_ATTRIBUTES
                if isinstance(representation, dict) and name in representation
            )
            raise SafetyViolation(
                f"the server gave {endpoint}/{resource_id} as a resource this run created, but "
                f"GET shows a resource without the run's prefix {self.prefix} "
                f"({shown or 'no userName, displayName or externalId'}): not the run's, "
                "left untouched"
            )
        raise SafetyViolation(
            f"could not re-read {endpoint}/{resource_id} to confirm the run made it "
            f"(GET answered {response.status_code}): left untouched"
        )

    def confirmed(self, endpoint: str, resource_id: str) -> bool:
        """True once a read showed this created resource carrying the run's prefix."""
        with self._lock:
            return (endpoint, resource_id) in self._verified

    def observe(self, path: str, response: Any) -> None:
        """A GET the run sent anyway: a created resource it shows with the prefix is confirmed.

        The same evidence as verify()'s re-read (the server's answer for exactly that id), so
        cleanup needs no second GET for it; anything else confirms nothing.
        """
        segments = [unquote(s) for s in urlsplit(path).path.split("/") if s]
        if len(segments) != 2 or response.status_code != 200:
            return
        key = (f"/{segments[0]}", segments[1])
        with self._lock:
            if key not in self._created or key in self._verified:
                return
        if carries_prefix(_json(response), self.prefix):
            with self._lock:
                self._verified.add(key)

    def _confirm(self, endpoint: str, resource_id: str, fetch: Fetch | None) -> None:
        """Refuse a write to a resource the run neither made up nor (verifiably) created."""
        if resource_id.startswith(self.prefix) and (endpoint, resource_id) not in self._created:
            return  # an id the run made up: nothing of the server's can have it
        if not self.owns(endpoint, resource_id):
            raise SafetyViolation(f"the run did not create {endpoint.strip('/')}/{resource_id}")
        with self._lock:
            verified = (endpoint, resource_id) in self._verified
        if fetch is not None and not verified:
            self.verify(endpoint, resource_id, fetch)

    def guard(self, method: str, path: str, body: Any = None, fetch: Fetch | None = None) -> None:
        """Refuse a write that could touch a resource this run did not create.

        With ``fetch`` (an unrecorded GET), a created resource is re-read once before its first
        write, so a server that gave out someone else's id never sees that resource changed.
        """
        method = method.upper()
        if method in ("GET", "HEAD", "OPTIONS"):
            return
        if path.startswith(("http://", "https://")):
            raise SafetyViolation(f"refusing {method} to {path}: outside the SCIM base URL")
        segments = [unquote(s) for s in urlsplit(path).path.split("/") if s]
        if method == "POST":
            if not segments or segments[-1] == ".search":
                return
            if segments == ["Bulk"]:
                self._guard_bulk(body, fetch)
                return
            if len(segments) == 1:
                return  # creation in a collection
        if len(segments) == 2 and segments[0] not in NON_RESOURCE_SEGMENTS:
            try:
                self._confirm(f"/{segments[0]}", segments[1], fetch)
            except SafetyViolation as exc:
                raise SafetyViolation(f"refusing {method} {path}: {exc}") from None
            return
        raise SafetyViolation(f"refusing {method} {path}: not a resource the run created")

    def _guard_bulk(self, body: Any, fetch: Fetch | None) -> None:
        """Every PUT/PATCH/DELETE inside a BulkRequest must target the run's own resources."""
        operations = body.get("Operations") if isinstance(body, dict) else None
        for operation in operations if isinstance(operations, list) else []:
            if not isinstance(operation, dict):
                continue
            method = str(operation.get("method", "")).upper()
            path = str(operation.get("path", ""))
            if method in ("PUT", "PATCH", "DELETE"):
                segments = [s for s in path.split("/") if s]
                if len(segments) == 2 and segments[1].startswith("bulkId:"):
                    continue
                try:
                    if len(segments) != 2:
                        raise SafetyViolation("not a resource path")
                    self._confirm(f"/{segments[0]}", segments[1], fetch)
                except SafetyViolation as exc:
                    raise SafetyViolation(f"refusing Bulk {method} {path}: {exc}") from None


def split_location(location: str) -> tuple[str, str] | None:
    """('/Users', id) from a resource URL such as https://host/scim/v2/Users/2819c223."""
    segments = [s for s in urlsplit(location).path.split("/") if s]
    if len(segments) < 2:
        return None
    return f"/{unquote(segments[-2])}", unquote(segments[-1])


@dataclass
class CleanupOutcome:
    """What deleting a run's resources found: failures to retry, refusals to report."""

    failures: list[str]
    refusals: dict[str, list[str]]  # owner check id -> what the server did


def delete_tracked(
    tracker: ResourceTracker,
    fetch: Fetch,
    delete: Fetch,
    owner: str | None,
    transient: tuple[type[BaseException], ...],
) -> CleanupOutcome:
    """Delete what a check (or, with None, the whole run) created, each confirmed first.

    A resource no read of the run has yet shown with the prefix is re-read (``fetch``) before
    its DELETE; one already confirmed (ResourceTracker.observe / verify) is deleted at once.
    ``fetch``/``delete`` send an unrecorded GET/DELETE for a path below the base URL; an
    exception in ``transient`` (transport failure, interruption) leaves the resource pending.
    """
    outcome = CleanupOutcome([], {})
    for tracked in tracker.pending(owner):
        where = f"{tracked.endpoint}/{tracked.id}"
        try:
            if not tracker.confirmed(tracked.endpoint, tracked.id) and not tracker.verify(
                tracked.endpoint, tracked.id, fetch
            ):
                tracker.forget(tracked.endpoint, tracked.id)  # already gone
                continue
            response = delete(resource_path(tracked.endpoint, tracked.id))
        except SafetyViolation as exc:
            tracker.forget(tracked.endpoint, tracked.id)
            outcome.refusals.setdefault(tracked.owner, []).append(str(exc))
            continue
        except transient as exc:
            outcome.failures.append(f"{where}: {exc}")
            continue
        if response.status_code in (200, 204, *GONE):
            tracker.forget(tracked.endpoint, tracked.id)
        else:
            outcome.failures.append(f"{where}: DELETE answered {response.status_code}")
    return outcome


def count_resources(get: Fetch, endpoints: Iterable[str]) -> dict[str, int | None]:
    """totalResults of each endpoint (None when it cannot be counted)."""
    counts: dict[str, int | None] = {}
    for endpoint in endpoints:
        response = get(endpoint, params={"count": 1})
        page = _json(response) if response.status_code == 200 else None
        total = page.get("totalResults") if isinstance(page, dict) else None
        counts[endpoint] = total if isinstance(total, int) and not isinstance(total, bool) else None
    return counts


def find_leftovers(
    get: Fetch, prefix: str, page_size: int = 100, max_pages: int = MAX_PAGES
) -> list[tuple[str, str, str]]:
    """(endpoint, id, name) of every User/Group whose name starts with ``prefix``."""
    if not SWEEP_PREFIX.match(prefix):
        raise ValueError(f"sweep prefix must look like {DEFAULT_PREFIX}..., not {prefix!r}")
    found: list[tuple[str, str, str]] = []
    for endpoint, attribute in NAMING_ATTRIBUTE.items():
        response = get(endpoint, params={"filter": f'{attribute} sw "{prefix}"'})
        page = _json(response) if response.status_code == 200 else None
        if isinstance(page, dict):
            resources = _resources(page)
            # A server may ignore the filter: the prefix is always re-checked client-side,
            # and if the filtered answer was paged, the full walk below finds the rest.
            total = page.get("totalResults")
            paged = not isinstance(total, int) or total > len(resources)
        else:
            resources, paged = [], True
        if paged:
            resources = list(walk(get, endpoint, page_size, max_pages))
        for resource in resources:
            name = resource.get(attribute)
            if isinstance(name, str) and name.startswith(prefix) and resource.get("id"):
                found.append((endpoint, str(resource["id"]), name))
    return sorted(set(found))


def _resources(page: dict[str, Any]) -> list[dict[str, Any]]:
    """The resource objects of a ListResponse page (anything else is ignored)."""
    resources = page.get("Resources")
    return [r for r in resources if isinstance(r, dict)] if isinstance(resources, list) else []


def walk(
    get: Fetch, endpoint: str, page_size: int = 100, max_pages: int = MAX_PAGES
) -> Iterable[dict[str, Any]]:
    """Resources of an endpoint page by page (RFC 7644 §3.4.2.4), at most ``max_pages`` pages."""
    start = 1
    for _ in range(max_pages):
        response = get(endpoint, params={"startIndex": start, "count": page_size})
        page = _json(response) if response.status_code == 200 else None
        if not isinstance(page, dict):
            return
        resources = _resources(page)
        yield from resources
        total = page.get("totalResults")
        start += len(resources)
        if not resources or not isinstance(total, int) or start > total:
            return
