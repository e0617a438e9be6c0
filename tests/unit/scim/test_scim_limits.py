"""The complexity budget of query inputs (issue 9, item 5): a filter, sortBy, attributes list or
PATCH path over a limit gets 400 naming the limit; anything within the budget, in its worst
shape, is answered (never 500: SQLite's parser stack and expression depth are never reached)."""

from __future__ import annotations

import pytest

from stub_server.scim.limits import (
    MAX_ATTRIBUTE_NAMES,
    MAX_FILTER_DEPTH,
    MAX_FILTER_LENGTH,
    MAX_FILTER_TERMS,
    MAX_PATH_LENGTH,
)
from tests.unit.scim.scim_helpers import ScimClient, assert_scim_error, patch_body

SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
ENDPOINTS = ("/Users", "/Groups", "/.search")


def chain(term: str, joiner: str, count: int) -> str:
    """``term joiner term joiner ...`` with ``count`` terms."""
    return f" {joiner} ".join([term] * count)


def nested(opener: str, inner: str, levels: int) -> str:
    """``inner`` inside ``levels`` groups opened by ``opener`` (``not (`` or ``(``)."""
    return opener * levels + inner + ")" * levels


def list_filter(scim: ScimClient, endpoint: str, text: str) -> object:
    """GET the endpoint with the filter, or POST a SearchRequest for /.search."""
    if endpoint == "/.search":
        return scim.post(endpoint, {"schemas": [SEARCH], "filter": text})
    return scim.get(endpoint, filter=text)


@pytest.fixture
def populated(scim: ScimClient) -> ScimClient:
    """Acme with users and a group, so the SQL pages rows (the deepest query) as well as counts."""
    ids = [
        scim.create_user(f"limit{n}@example.com", emails=[{"value": f"l{n}@x", "type": "work"}])[
            "id"
        ]
        for n in range(3)
    ]
    scim.create_group("Limit testers", ids)
    return scim


# -- replays of the findings (500 on the main branch of 2026-11-30) ------------------------
REPLAYS = {  # name: (filter, status after the fix)
    "78 'id pr' joined by or (698 characters)": (chain("id pr", "or", 78), 200),
    "78 'id pr' joined by and": (chain("id pr", "and", 78), 200),
    "100 externalId comparisons joined by or": (chain('externalId eq "x"', "or", 100), 200),
    "not ( nested 49 deep": (nested("not (", "id pr", 49), 400),
    "50 value filters (150 terms) joined by or": (
        chain('emails[value eq "a" or type eq "b"]', "or", 50),
        400,
    ),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("text", "status"), REPLAYS.values(), ids=REPLAYS.keys())
def test_replayed_filters_never_answer_500(
    populated: ScimClient, endpoint: str, text: str, status: int
) -> None:
    resp = list_filter(populated, endpoint, text)
    assert resp.status_code == status, resp.get_data(as_text=True)
    if status == 400:
        assert "the limit is" in assert_scim_error(resp, 400, "invalidFilter")["detail"]


@pytest.mark.parametrize("endpoint", ["/Users", "/.search"])
def test_long_or_chain_within_budget_finds_the_right_users(
    populated: ScimClient, endpoint: str
) -> None:
    wanted = [f'userName eq "limit{n}@example.com"' for n in (0, 2)]
    others = [f'userName eq "nobody{n}"' for n in range(MAX_FILTER_TERMS - len(wanted))]
    resp = list_filter(populated, endpoint, " or ".join(others + wanted))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["totalResults"] == 2


# -- the worst shapes the budget allows are answered -------------------------------------
def _deepest(leaf: str, inner: str, inner_depth: int) -> list[str]:
    outer = MAX_FILTER_DEPTH - inner_depth
    return [
        nested("not (", inner, outer),
        "".join(f"{leaf} or not (" for _ in range(outer)) + inner + ")" * outer,
        "".join(f"{leaf} and not (" for _ in range(outer)) + inner + ")" * outer,
        chain(f"not ({leaf})", "and", MAX_FILTER_TERMS),
        chain(leaf, "or", MAX_FILTER_TERMS),
    ]


WORST = {
    "/Users": _deepest('emails.value ne "q"', 'emails[not (value eq "a") and type ne "w"]', 2)
    + _deepest('title ne "q"', 'not (title eq "t")', 1),
    "/Groups": _deepest('members.value ne "q"', 'members[not (value eq "a") or type pr]', 2),
}


@pytest.mark.parametrize(
    ("endpoint", "text"), [(e, t) for e, texts in WORST.items() for t in texts]
)
def test_worst_filters_within_the_budget_are_answered(
    populated: ScimClient, endpoint: str, text: str
) -> None:
    resp = populated.get(endpoint, filter=text, startIndex=2, count=1)
    assert resp.status_code == 200, resp.get_data(as_text=True)


# -- one limit over, one 400 naming it ---------------------------------------------------
OVER = {
    "length": ("userName eq " + '"' + "x" * MAX_FILTER_LENGTH + '"', "length of the filter"),
    "terms": (chain("id pr", "or", MAX_FILTER_TERMS + 1), "number of terms in the filter"),
    "depth by not": (nested("not (", "id pr", MAX_FILTER_DEPTH + 1), "nesting depth"),
    "depth by parentheses": (nested("(", "id pr", MAX_FILTER_DEPTH + 1), "nesting depth"),
    "attribute path": ("x" * (MAX_PATH_LENGTH + 1) + " pr", "length of an attribute path"),
    "URN path": ("urn:" + "a:" * MAX_PATH_LENGTH + "userName pr", "length of an attribute path"),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("text", "limit"), OVER.values(), ids=OVER.keys())
def test_a_filter_over_a_limit_is_invalid_filter_naming_it(
    scim: ScimClient, endpoint: str, text: str, limit: str
) -> None:
    detail = assert_scim_error(list_filter(scim, endpoint, text), 400, "invalidFilter")["detail"]
    assert limit in detail and "the limit is" in detail
    assert len(detail) < 200  # the over-long input is not echoed back


def test_sort_by_over_the_path_limit_is_invalid_value(scim: ScimClient) -> None:
    resp = scim.get("/Users", sortBy="a" * (MAX_PATH_LENGTH + 1))
    detail = assert_scim_error(resp, 400, "invalidValue")["detail"]
    assert "length of an attribute path" in detail and len(detail) < 200


@pytest.mark.parametrize(
    ("names", "limit"),
    [
        (["userName"] * (MAX_ATTRIBUTE_NAMES + 1), "number of names"),
        (["a" * (MAX_PATH_LENGTH + 1)], "length of an attribute path"),
    ],
    ids=["too many names", "too long a name"],
)
@pytest.mark.parametrize("parameter", ["attributes", "excludedAttributes"])
def test_attribute_lists_over_a_limit_are_invalid_value(
    scim: ScimClient, names: list[str], limit: str, parameter: str
) -> None:
    detail = assert_scim_error(
        scim.get("/Users", **{parameter: ",".join(names)}), 400, "invalidValue"
    )["detail"]
    assert limit in detail
    search = scim.post("/Users/.search", {"schemas": [SEARCH], parameter: names})
    assert limit in assert_scim_error(search, 400, "invalidValue")["detail"]


def test_attribute_list_at_the_limit_is_answered(scim: ScimClient) -> None:
    resp = scim.get("/Users", attributes=",".join(["userName"] * MAX_ATTRIBUTE_NAMES))
    assert resp.status_code == 200, resp.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("a" * (MAX_PATH_LENGTH + 1), "length of an attribute path"),
        (f"emails[{chain('value pr', 'or', MAX_FILTER_TERMS + 1)}]", "number of terms"),
        (f"emails[{nested('not (', 'value pr', MAX_FILTER_DEPTH)}]", "nesting depth"),
        ("emails[type eq " + '"' + "w" * MAX_FILTER_LENGTH + '"]', "length of the filter"),
    ],
    ids=["long path", "many terms", "deep filter", "long filter"],
)
def test_patch_paths_over_a_limit_are_invalid_path(
    populated: ScimClient, path: str, limit: str
) -> None:
    user = populated.get("/Users", count=1).get_json()["Resources"][0]["id"]
    body = patch_body({"op": "replace", "path": path, "value": "x"})
    detail = assert_scim_error(populated.patch(f"/Users/{user}", body), 400, "invalidPath")[
        "detail"
    ]
    assert limit in detail and len(detail) < 300


@pytest.mark.parametrize(
    "value", ["9" * 30, str(2**63), str(-(2**63)), "-1", "0", str(2**62 - 1), "9" * 5000]
)
@pytest.mark.parametrize("endpoint", ["/Users", "/Groups"])
def test_huge_count_and_start_index_are_answered(
    populated: ScimClient, endpoint: str, value: str
) -> None:
    for params in ({"count": value}, {"startIndex": value}, {"count": value, "startIndex": value}):
        resp = populated.get(endpoint, filter="id pr", **params)
        assert resp.status_code in (200, 400), resp.get_data(as_text=True)
        if resp.status_code == 400:
            assert len(assert_scim_error(resp, 400, "invalidValue")["detail"]) < 200
