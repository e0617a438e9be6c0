"""Hypothesis fuzzing: no filter, PATCH body or raw request body yields a 500 or a
traceback, and every 4xx carries a SCIM error body. Long and deep filters, long attribute
paths and huge count/startIndex values reach past the complexity budget on purpose."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stub_server.scim.limits import (
    MAX_ATTRIBUTE_NAMES,
    MAX_FILTER_DEPTH,
    MAX_FILTER_TERMS,
    MAX_PATH_LENGTH,
)
from tests.scim_helpers import ERROR, PATCH, ScimClient

# Half the active profile's examples per test: 50 under the default and `ci` profiles (so
# `make unit` stays quick), 1000 under `pytest --hypothesis-profile=thorough` (conftest.py).
FUZZ = settings(
    max_examples=settings.default.max_examples // 2,
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


COMMON_LEAVES = [
    "id pr",
    'id eq "x"',
    "externalId pr",
    'displayName co "a"',
    'meta.created gt "2024-01-01T00:00:00Z"',
    'meta.lastModified le "2999-01-01T00:00:00.5Z"',
]
LEAVES = {  # terms each endpoint knows, so long filters reach SQL instead of failing to bind
    "/Users": st.sampled_from(
        [
            *COMMON_LEAVES,
            'userName eq "fuzz@example.com"',
            'emails.value ne "q"',
            'emails[type eq "work" or value pr]',
            'title co "a"',
            "active eq true",
        ]
    ),
    "/Groups": st.sampled_from([*COMMON_LEAVES, 'members[value eq "x"]', 'members.type ne "U"']),
}


JOINERS = st.sampled_from([" or ", " and ", " OR ", " And "])
OPENERS = st.sampled_from(["not (", "(", "NOT ("])


def cycled(run: list, size: int) -> list:
    """``size`` items: the drawn run repeated (long inputs for a handful of draws)."""
    return [run[index % len(run)] for index in range(size)]


@st.composite
def long_chains(draw: st.DrawFn, endpoint: str) -> str:
    """Up to twice the term budget of terms, joined by a mix of and/or (any case): a drawn run
    of up to eight joined terms, repeated to the drawn size."""
    size = draw(
        st.one_of(st.integers(1, 10), st.integers(MAX_FILTER_TERMS // 2, 2 * MAX_FILTER_TERMS))
    )
    run = draw(st.lists(st.tuples(JOINERS, LEAVES[endpoint]), min_size=1, max_size=8))
    terms = cycled(run, size)
    return terms[0][1] + "".join(joiner + term for joiner, term in terms[1:])


@st.composite
def deep_filters(draw: st.DrawFn, endpoint: str) -> str:
    """Groups nested up to 60 deep (the budget is 10; SQLite's parser gives up near 100
    parentheses), each level perhaps with a sibling term: a drawn run of up to six levels,
    repeated to the drawn depth."""
    leaves = LEAVES[endpoint]
    text = draw(leaves)
    levels = draw(st.one_of(st.integers(1, 2 * MAX_FILTER_DEPTH), st.integers(30, 60)))
    siblings = st.one_of(st.just(""), leaves.map(lambda leaf: f"{leaf} or "))
    run = draw(st.lists(st.tuples(OPENERS, siblings), min_size=1, max_size=6))
    for opener, sibling in cycled(run, levels):
        text = f"{sibling}{opener}{text})"
    return text


def hard_filters(endpoint: str) -> st.SearchStrategy[str]:
    """Long chains or deep nests of terms the endpoint knows."""
    return st.one_of(long_chains(endpoint), deep_filters(endpoint))


NAME_PART = st.sampled_from(["userName", "name", "givenName", "value", "x", "emails", "a" * 40])
LONG_PATHS = st.one_of(
    st.lists(NAME_PART, min_size=1, max_size=12).map(".".join),
    st.lists(NAME_PART, min_size=1, max_size=12).map(lambda parts: "urn:" + ":".join(parts)),
    st.integers(1, 2 * MAX_PATH_LENGTH).map(lambda n: "u" * n),
    st.integers(1, 2 * MAX_PATH_LENGTH).map(
        lambda n: "urn:ietf:params:scim:schemas:core:2.0:User:" + "n" * n
    ),
)
HUGE_NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30),
    st.sampled_from([2**62, 2**62 - 1, 2**63, 2**63 - 1, -(2**63), 2**64]),
)
HUGE_NUMBER_TEXT = st.one_of(
    HUGE_NUMBERS.map(str),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.sampled_from(["1e400", "-0", "+5", " 7 ", "0x10", "1_000"]),
)


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


SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"


@FUZZ
@given(users=hard_filters("/Users"), groups=hard_filters("/Groups"))
def test_long_and_deep_filters(scim: ScimClient, target: str, users: str, groups: str) -> None:
    assert_no_server_error(scim.get("/Users", filter=users, startIndex=1, count=5))
    assert_no_server_error(scim.get("/Groups", filter=groups, startIndex=2, count=5))
    assert_no_server_error(scim.post("/.search", {"schemas": [SEARCH], "filter": users}))


@FUZZ
@given(path=LONG_PATHS, names=st.lists(LONG_PATHS, max_size=2 * MAX_ATTRIBUTE_NAMES))
def test_long_attribute_paths(scim: ScimClient, target: str, path: str, names: list) -> None:
    assert_no_server_error(scim.get("/Users", filter=f"{path} pr", sortBy=path))
    assert_no_server_error(scim.get("/Users", filter=f'{path}[value eq "x"]'))
    assert_no_server_error(scim.get("/Groups", attributes=",".join(names)))
    assert_no_server_error(
        scim.post("/Users/.search", {"schemas": [SEARCH], "excludedAttributes": names})
    )
    body = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": path, "value": "x"}]}
    assert_no_server_error(scim.patch(f"/Users/{target}", body))


@FUZZ
@given(count=HUGE_NUMBER_TEXT, start=HUGE_NUMBER_TEXT, number=HUGE_NUMBERS)
def test_huge_count_and_start_index(
    scim: ScimClient, target: str, count: str, start: str, number: int
) -> None:
    for endpoint in ("/Users", "/Groups"):
        assert_no_server_error(scim.get(endpoint, count=count, startIndex=start))
        assert_no_server_error(scim.get(endpoint, filter="id pr", count=count, startIndex=start))
        assert_no_server_error(scim.get(endpoint, sortBy="meta.created", startIndex=start))
    search = {"schemas": [SEARCH], "count": number, "startIndex": number}
    assert_no_server_error(scim.post("/.search", search))
    assert_no_server_error(scim.post("/Users/.search", {**search, "filter": "title pr"}))
