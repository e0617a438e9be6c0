"""What the checks of one run share: transport, discovery documents, prefix, what was created."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from conformance.cleanup import ResourceTracker, split_location
from conformance.http import HttpClient
from conformance.payloads import Payloads
from conformance.responses import body_of
from conformance.urls import BaseUrl

# Endpoints a POST to which creates nothing by itself (Bulk is tracked per operation).
NOT_COLLECTIONS = frozenset({"Bulk", ".search"})


@dataclass
class Shown:
    """What one run learnt of an unadvertised capability: usable, or why a check skips."""

    usable: bool
    reason: str = ""


@dataclass
class RunState:
    """What every check of one run shares: transport, discovery documents, prefix, tracker."""

    base_url: str
    client: HttpClient
    prefix: str
    spc: dict[str, Any] = field(default_factory=dict)
    resource_types: list[dict[str, Any]] = field(default_factory=list)
    schemas: list[dict[str, Any]] = field(default_factory=list)
    tracker: ResourceTracker | None = None
    read_only: bool = False  # --read-only: any write a check attempts is refused (skip)
    templates: dict[str, Any] = field(default_factory=dict)  # --user/--group-template
    _payloads: Payloads | None = None
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    _counter_lock: threading.Lock = field(default_factory=threading.Lock)
    # Capability -> what a probe showed (once per run); the lock serialises the probes.
    shown: dict[str, Shown] = field(default_factory=dict)
    _shown_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        if self.tracker is None:
            self.tracker = ResourceTracker(self.prefix)

    def next_number(self) -> int:
        """A run-wide counter value (thread-safe)."""
        with self._counter_lock:
            return next(self._counter)

    def payloads(self) -> Payloads:
        """The run's User/Group bodies, completed per /Schemas (built once, after discovery)."""
        if self._payloads is None:
            self._payloads = Payloads.discover(
                self.schemas, self.resource_types, self.templates, self.prefix
            )
        return self._payloads

    def url(self, path: str) -> str:
        """Absolute URL of a path relative to the base URL (absolute URLs pass through)."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def relative(self, url_or_path: str) -> str:
        """The path below the base URL ('/Users/1'), or the URL itself if outside it."""
        if not url_or_path.startswith(("http://", "https://")):
            return "/" + url_or_path.lstrip("/")
        if url_or_path.startswith(self.base_url + "/"):
            return url_or_path[len(self.base_url) :]
        return url_or_path

    def endpoint(self, schema_urn: str, default: str) -> str:
        """The endpoint of the resource type whose core schema is ``schema_urn``."""
        for resource_type in self.resource_types:
            if resource_type.get("schema") == schema_urn and resource_type.get("endpoint"):
                resolved = BaseUrl(self.base_url).endpoint(str(resource_type["endpoint"]))
                if resolved:  # RFC 7643 §6 / RFC 3986 §5.2 (conformance.urls)
                    return resolved
        return default


def track_response(
    tracker: ResourceTracker, method: str, path: str, response: requests.Response, owner: str
) -> None:
    """Register what a request created (deleted when its check ends); forget what it deleted."""
    segments = [s for s in urlsplit(path).path.split("/") if s]
    created = response.status_code in (200, 201)  # 200 is wrong for a creation, still made
    if method == "POST" and created and len(segments) == 1 and segments[0] not in NOT_COLLECTIONS:
        resource = body_of(response)
        if isinstance(resource, dict) and resource.get("id"):
            tracker.register(f"/{segments[0]}", str(resource["id"]), owner)
        elif response.headers.get("Location"):
            located = split_location(response.headers["Location"])
            if located:
                tracker.register(*located, owner)
    elif method == "POST" and segments == ["Bulk"] and response.status_code == 200:
        answer = body_of(response)
        for operation in (answer or {}).get("Operations") or []:
            if (
                isinstance(operation, dict)
                and str(operation.get("method", "")).upper() == "POST"
                and str(operation.get("status", "")).startswith("201")
                and operation.get("location")
            ):
                located = split_location(str(operation["location"]))
                if located:
                    tracker.register(*located, owner)
    elif method == "DELETE" and response.status_code in (200, 204) and len(segments) == 2:
        tracker.forget(f"/{segments[0]}", segments[1])
