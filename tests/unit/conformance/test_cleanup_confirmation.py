"""Cleanup re-reads only what no read of the run has confirmed, and still refuses a lie."""

from __future__ import annotations

import json

import pytest
import requests

from conformance.cleanup import ResourceTracker, SafetyViolation, created_names, delete_tracked

PREFIX = "scimproof-abc123"


def answer(status: int, body: object = None) -> requests.Response:
    """A real requests.Response with a JSON body, as the client returns them."""
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode() if body is not None else b""
    return response


class Server:
    """The answers of a tiny tenant by path; remembers every request sent."""

    def __init__(self, resources: dict[str, dict]) -> None:
        self.resources = resources
        self.sent: list[tuple[str, str]] = []

    def get(self, path: str) -> requests.Response:
        self.sent.append(("GET", path))
        found = self.resources.get(path)
        return answer(200, found) if found else answer(404)

    def delete(self, path: str) -> requests.Response:
        self.sent.append(("DELETE", path))
        return answer(204) if self.resources.pop(path, None) else answer(404)


def cleanup(tracker: ResourceTracker, server: Server):
    """Delete everything the tracker holds, as the runner does."""
    return delete_tracked(tracker, server.get, server.delete, None, (OSError,))


def test_a_resource_a_check_already_read_with_the_prefix_is_deleted_without_a_re_read() -> None:
    server = Server({"/Users/1": {"id": "1", "userName": f"{PREFIX}-user-1"}})
    tracker = ResourceTracker(PREFIX)
    tracker.register("/Users", "1", "users.create")
    tracker.observe("/Users/1", server.get("/Users/1"))  # the check's own read
    server.sent.clear()
    outcome = cleanup(tracker, server)
    assert server.sent == [("DELETE", "/Users/1")]
    assert not outcome.failures and not outcome.refusals and not tracker.pending()


def test_a_resource_no_read_confirmed_is_re_read_before_its_delete() -> None:
    server = Server({"/Users/2": {"id": "2", "userName": f"{PREFIX}-user-2"}})
    tracker = ResourceTracker(PREFIX)
    tracker.register("/Users", "2", "users.create")
    tracker.observe("/Users/2?attributes=id", answer(200, {"id": "2"}))  # shows no name
    tracker.observe("/Users", server.get("/Users/2"))  # not that resource's own URL
    server.sent.clear()
    cleanup(tracker, server)
    assert server.sent == [("GET", "/Users/2"), ("DELETE", "/Users/2")]


def test_a_read_showing_someone_elses_resource_confirms_nothing_and_cleanup_refuses() -> None:
    """A server that answered the creation with a victim's id: the victim is never deleted."""
    server = Server({"/Users/victim": {"id": "victim", "userName": "victim"}})
    tracker = ResourceTracker(PREFIX)
    tracker.register("/Users", "victim", "users.create")
    tracker.observe("/Users/victim", server.get("/Users/victim"))
    assert not tracker.confirmed("/Users", "victim")
    outcome = cleanup(tracker, server)
    assert ("DELETE", "/Users/victim") not in server.sent
    assert "not the run's" in outcome.refusals["users.create"][0]
    assert server.resources["/Users/victim"]["userName"] == "victim"


def test_a_read_of_a_resource_the_run_did_not_create_confirms_nothing() -> None:
    tracker = ResourceTracker(PREFIX)
    tracker.observe("/Users/3", answer(200, {"id": "3", "userName": f"{PREFIX}-user-3"}))
    assert not tracker.confirmed("/Users", "3")
    with pytest.raises(SafetyViolation, match="did not create"):
        tracker.guard("DELETE", "/Users/3")


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("/Users", {"userName": f"{PREFIX}-u1"}, [("/Users", f"{PREFIX}-u1")]),
        ("/Groups/", {"displayName": f"{PREFIX}-g1"}, [("/Groups", f"{PREFIX}-g1")]),
        ("/Users?attributes=id", {"userName": "x"}, [("/Users", "x")]),
        ("/Users/.search", {"filter": "userName pr"}, []),
        ("/Users", {"name": {"givenName": "no userName"}}, []),
        (
            "/Bulk",
            {
                "Operations": [
                    {"method": "POST", "path": "/Users", "data": {"userName": "b1"}},
                    {"method": "PATCH", "path": "/Users/1", "data": {"userName": "b2"}},
                    {"method": "post", "path": "/Groups", "data": {"displayName": "b3"}},
                ]
            },
            [("/Users", "b1"), ("/Groups", "b3")],
        ),
    ],
)
def test_the_names_a_request_asks_to_create(path, body, expected):
    assert created_names("POST", path, body) == expected
    assert created_names("PUT", path, body) == []


def test_only_a_leftover_named_as_an_unanswered_create_is_adopted():
    tracker = ResourceTracker(PREFIX)
    tracker.sending("/Users", f"{PREFIX}-lost", "users.create")
    tracker.sending("/Users", f"{PREFIX}-told", "users.create")
    tracker.answered("/Users", f"{PREFIX}-told")
    leftovers = [
        ("/Users", "u1", f"{PREFIX}-lost"),
        ("/Users", "u2", f"{PREFIX}-told"),
        ("/Groups", "g1", f"{PREFIX}-lost"),  # the same name on another endpoint
    ]
    assert tracker.adopt(leftovers) == 1
    assert [(t.endpoint, t.id, t.owner) for t in tracker.pending()] == [
        ("/Users", "u1", "users.create")
    ]


def test_an_adopted_leftover_the_server_renamed_is_still_not_deleted():
    """The prefix re-read still decides: a 'leftover' that reads back as someone else's stays."""
    tracker = ResourceTracker(PREFIX)
    tracker.sending("/Users", f"{PREFIX}-lost", "users.create")
    tracker.adopt([("/Users", "victim", f"{PREFIX}-lost")])
    server = Server({"/Users/victim": {"id": "victim", "userName": "victim"}})
    outcome = cleanup(tracker, server)
    assert ("DELETE", "/Users/victim") not in server.sent
    assert outcome.refusals
