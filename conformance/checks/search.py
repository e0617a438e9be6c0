"""POST /.search checks (RFC 7644 §3.4.3): queries in the body, on a resource endpoint and root.

Searching with POST is a client MAY (RFC 7644 §3.4.3): a server that answers 404, 405 or 501
does not offer it (skip). Anything else must be the ListResponse the equivalent GET query
would give.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conformance import urns
from conformance.checks._scope import Scope, resources_of, schema_attribute
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    import requests

    from conformance.context import CheckContext

SEARCH_RFC = "RFC 7644 §3.4.3"


def _search(ctx: CheckContext, path: str, **request: Any) -> requests.Response:
    """POST a SearchRequest to `path`; skip or warn if the server does not offer /.search."""
    response = ctx.post(path, json={"schemas": [urns.SEARCH_REQUEST], **request})
    if response.status_code in (404, 405, 501):
        # Searching with POST is a client MAY (RFC 7644 §3.4.3): a server may not offer it.
        ctx.skip(f"POST {path} is not offered: {describe(response)}")
    ctx.expect_status(response, 200)
    return response


def _pair(ctx: CheckContext, label: str) -> Scope:
    if not ctx.can("filter"):
        ctx.skip("/.search is checked with a filter, and filtering is not advertised")
    scope = Scope(ctx, label)
    scope.new_user("ant")
    scope.new_user("bee")
    return scope


@check(
    "search.resource-endpoint",
    title="POST /Users/.search filters and projects like GET /Users",
    rfc=SEARCH_RFC,
    level="MUST",
    tags=("search", "query"),
    mutating=True,
)
def resource_endpoint(ctx: CheckContext) -> None:
    """The body's filter and attributes apply as in a GET query; the answer is a ListResponse."""
    scope = _pair(ctx, "srch-res")
    ant = scope.users["ant"]
    response = _search(
        ctx,
        f"{ctx.users_endpoint}/.search",
        filter=f'userName eq "{ant["userName"]}"',
        attributes=["userName"],
    )
    body = ctx.json(response)
    ctx.expect_schema("ListResponse", body)
    found = resources_of(body)
    ids = [r.get("id") for r in found]
    ctx.expect(ids == [ant["id"]], f"the search returned ids {ids}; expected only ant's")
    leaked = sorted(k for k in ("emails", "name") if k in found[0])
    ctx.expect(not leaked, f"attributes=[userName] still returned {leaked}")


@check(
    "search.paging",
    title="POST /.search honours startIndex and count",
    rfc="RFC 7644 §3.4.3, §3.4.2.4",
    level="MUST",
    tags=("search", "query", "paging"),
    mutating=True,
)
def paging(ctx: CheckContext) -> None:
    """count in a SearchRequest caps the page; totalResults counts every match."""
    scope = _pair(ctx, "srch-page")
    response = _search(
        ctx,
        f"{ctx.users_endpoint}/.search",
        filter=scope.every_or_skip(purpose="paging a search"),
        startIndex=1,
        count=1,
    )
    body = ctx.json(response)
    ctx.expect(len(resources_of(body)) == 1, f"count=1 returned {len(resources_of(body))}")
    ctx.expect(
        body.get("totalResults") == 2,
        f"totalResults is {body.get('totalResults')!r}; 2 users match the filter",
    )


@check(
    "search.root",
    title="POST /.search at the root searches every resource type",
    rfc="RFC 7644 §3.4.3, §3.4.2.1",
    level="MUST",
    tags=("search", "query"),
    mutating=True,
)
def root(ctx: CheckContext) -> None:
    """A root query includes all resources, subject to the filter (userName: only Users)."""
    scope = _pair(ctx, "srch-root")
    scope.new_group("team")
    response = _search(ctx, "/.search", filter=scope.every_or_skip(purpose="a root search"))
    found = resources_of(ctx.json(response))
    ids = {r.get("id") for r in found}
    expected = {u["id"] for u in scope.users.values()}
    ctx.expect(ids == expected, f"root search for this check's users returned {sorted(ids)}")


def _search_order(ctx: CheckContext, scope: Scope, order: str, count: int | None) -> list[str]:
    """userNames of the scope's users from POST /Users/.search sorted by userName: one answer
    (count None), or pages of `count` from startIndex 1 on."""
    names: list[str] = []
    for start in range(1, len(scope.users) + 1, count or len(scope.users)):
        paging = {"startIndex": start, "count": count} if count else {}
        response = _search(
            ctx,
            f"{ctx.users_endpoint}/.search",
            filter=scope.every_or_skip(purpose="sorting a search"),
            sortBy="userName",
            sortOrder=order,
            **paging,
        )
        names += [r.get("userName") for r in resources_of(ctx.json(response)) if scope.owns(r)]
    return names


@check(
    "search.sort",
    title="POST /.search sortBy orders the results, both ways, across pages",
    rfc=SEARCH_RFC,
    level="MUST",
    tags=("search", "query", "sort"),
    needs="sort",
    mutating=True,
)
def sort(ctx: CheckContext) -> None:
    """sortBy=userName in a SearchRequest orders the matches ascending and descending
    (case-insensitively unless /Schemas says userName is caseExact), in one answer and page
    after page; pages that repeat or lose users are search.paging's finding, not judged here."""
    scope = _pair(ctx, "srch-sort")
    scope.new_user("cat", userName=scope.user_name("Cat"))
    declared = schema_attribute(ctx, urns.USER, "userName") or {}
    key = str if declared.get("caseExact") is True else str.casefold
    every = sorted(u["userName"] for u in scope.users.values())
    wrong = []
    for order in ("ascending", "descending"):
        expected = sorted(every, key=key, reverse=order == "descending")
        for count, label in ((None, "one answer"), (2, "pages of 2")):
            names = _search_order(ctx, scope, order, count)
            if count and sorted(names) != every:
                continue  # the pages do not hold each user once: a paging fault
            if names != expected:
                wrong.append(f"sortOrder={order} ({label}) returned {names}; expected {expected}")
    ctx.expect(not wrong, "; ".join(wrong))
