"""The sweep command: delete the leftovers of crashed runs, by name prefix."""

from __future__ import annotations

import threading

import requests
from rich.console import Console

from conformance.cleanup import ResourceTracker, delete_tracked, find_leftovers
from conformance.commands.terminal import (
    EXIT_FAILURES,
    EXIT_OK,
    EXIT_UNEVALUATED,
    Interrupts,
    UsageError,
    say,
)
from conformance.http import Cancelled, HttpClient, HttpOptions, TransportError


def sweep_command(base_url: str, http: HttpOptions, prefix: str, out: Console, err: Console) -> int:
    """Delete Users/Groups whose names start with prefix (leftovers of crashed runs).

    The same rules as a run's cleanup: each resource is re-read and must carry the prefix,
    ids travel as one encoded path segment, nothing outside the base URL gets the token.
    """
    cancel = threading.Event()
    client = HttpClient(None, http, cancel, base_url=base_url)  # credentials are in http.auth
    client.redactor.allow(prefix)  # the names it prints carry the prefix the user typed
    tracker = ResourceTracker(prefix)

    def send(method: str, path: str, params: dict | None = None) -> requests.Response:
        """An unrecorded request to a path below the base URL."""
        return client.send_unrecorded(method, f"{base_url}{path}", params)

    with Interrupts(cancel, err, client.redactor):
        try:
            leftovers = find_leftovers(lambda path, params=None: send("GET", path, params), prefix)
            for endpoint, resource_id, _ in leftovers:
                tracker.register(endpoint, resource_id, "sweep")
            outcome = delete_tracked(
                tracker,
                lambda path: send("GET", path),
                lambda path: send("DELETE", path),
                None,
                (TransportError, Cancelled),
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        except (TransportError, Cancelled) as exc:
            say(err, f"scim-conformance: cannot sweep {base_url}: {exc}", client.redactor)
            return EXIT_UNEVALUATED
        finally:
            client.close()
    left = {(t.endpoint, t.id) for t in tracker.pending()}
    refused = [r for refusals in outcome.refusals.values() for r in refusals]
    deleted = 0
    for endpoint, resource_id, name in leftovers:
        where = f"{endpoint}/{resource_id}"
        if (endpoint, resource_id) in left:
            state = "FAILED "
        elif any(where in refusal for refusal in refused):
            state = "REFUSED"
        else:
            state, deleted = "deleted", deleted + 1
        say(out, f"{state} {where} {name}", client.redactor)
    for problem in outcome.failures + refused:
        say(out, f"  {problem}", client.redactor)
    say(out, f"swept {deleted} of {len(leftovers)} resources named {prefix}*", client.redactor)
    if cancel.is_set():
        return EXIT_UNEVALUATED
    return EXIT_OK if deleted == len(leftovers) else EXIT_FAILURES
