"""Hypothesis fuzzing: no filter, PATCH body or raw request body yields a 500 or a
traceback, and every 4xx carries a SCIM error body."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scim_helpers import ERROR, PATCH, ScimClient

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ATTRS = [
    "userName",
    "name.givenName",
    "emails",
    "emails.value",
    "emails.type",
    "active",
    "meta.created",
    "externalId",
    "title",
    "groups.value",
    "nosuch",
    "id",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    "x509Certificates.value",
    "members",
    "password",
]
OPS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "xx"]
VALUES = st.one_of(
    st.text(max_size=8).map(json.dumps),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["true", "false", "null", '"2024-01-01T00:00:00Z"', "unquoted", '"\\q"']),
)


@st.composite
def filters(draw: st.DrawFn, depth: int = 0) -> str:
    """Mostly well-formed filters, with typos and odd values mixed in."""
    kind = draw(st.integers(0, 5 if depth < 3 else 1))
    attr = draw(st.sampled_from(ATTRS))
    if kind == 0:
        return f"{attr} {draw(st.sampled_from(OPS))} {draw(VALUES)}"
    if kind == 1:
        return f"{attr} pr"
    if kind == 2:
        return f"not ({draw(filters(depth + 1))})"
    if kind == 3:
        return f"{attr}[{draw(filters(depth + 1))}]"
    joiner = draw(st.sampled_from([" and ", " or ", " AND ", " "]))
    return f"({draw(filters(depth + 1))}){joiner}{draw(filters(depth + 1))}"


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)

PATH = st.one_of(
    st.sampled_from(
        [
            *ATTRS,
            'emails[type eq "work"].value',
            "members[value",
            'emails[type eq "work"]',
            "",
            "name.",
            "a.b.c",
        ]
    ),
    st.text(max_size=20),
)
OPERATION = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "Replace", "remove", "ADD", "copy", 3])},
    optional={"path": PATH, "value": JSON},
)
PATCH_BODY = st.one_of(
    st.fixed_dictionaries(
        {"schemas": st.just([PATCH]), "Operations": st.lists(OPERATION, max_size=4)}
    ),
    JSON,
)


def assert_no_server_error(resp: object) -> None:
    """A 2xx/3xx, or a 4xx with a SCIM error body; never a 5xx or a traceback."""
    text = resp.get_data(as_text=True)
    assert resp.status_code < 500, text
    assert "Traceback" not in text
    assert resp.mimetype == "application/scim+json"
    if resp.status_code >= 400:
        body = json.loads(text)
        assert body["schemas"] == [ERROR] and body["status"] == str(resp.status_code)


@pytest.fixture
def target(scim: ScimClient) -> str:
    """A user to aim PATCHes at."""
    return scim.create_user(
        "fuzz@example.com", emails=[{"value": "f@x", "type": "work"}], name={"givenName": "F"}
    )["id"]


@FUZZ
@given(text=filters())
def test_structured_filters(scim: ScimClient, text: str) -> None:
    for endpoint in ("/Users", "/Groups"):
        assert_no_server_error(scim.get(endpoint, filter=text, sortBy="name.givenName"))


@FUZZ
@given(text=st.text(max_size=60))
def test_arbitrary_filter_text(scim: ScimClient, text: str) -> None:
    assert_no_server_error(
        scim.get("/Users", filter=text, attributes=text[:20], startIndex=text[:5], count=text[-3:])
    )


@FUZZ
@given(body=PATCH_BODY)
def test_patch_bodies(scim: ScimClient, target: str, body: object) -> None:
    assert_no_server_error(scim.patch(f"/Users/{target}", body))


@FUZZ
@given(
    body=JSON,
    endpoint=st.sampled_from(["/Users", "/Groups", "/Bulk", "/.search", "/Users/.search"]),
)
def test_json_bodies_to_every_post_endpoint(scim: ScimClient, body: object, endpoint: str) -> None:
    assert_no_server_error(scim.post(endpoint, body))


@FUZZ
@given(raw=st.binary(max_size=200), method=st.sampled_from(["POST", "PUT", "PATCH"]))
def test_raw_bytes(scim: ScimClient, target: str, raw: bytes, method: str) -> None:
    path = "/Users" if method == "POST" else f"/Users/{target}"
    assert_no_server_error(scim.call(method, path, raw=raw))
