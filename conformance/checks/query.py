"""Query checks (RFC 7644 §3.4.2): sorting, pagination and attribute projection.

Each check lists only its own users (a `Scope`), narrowed by a filter the server has shown
it takes; filtering itself is checked in filter_cases.py and filters.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conformance import urns
from conformance.checks._scope import (
    Scope,
    list_all,
    resources_of,
    schema_attribute,
)
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    from conformance.context import CheckContext

PAGING_RFC = "RFC 7644 §3.4.2.4"
SORT_RFC = "RFC 7644 §3.4.2.3"
ATTRIBUTES_RFC = "RFC 7644 §3.4.2.5, §3.9"


# --- sorting -------------------------------------------------------------------------------


def _sorted_names(ctx: CheckContext, scope: Scope, params: dict[str, Any]) -> list[str]:
    selected = scope.every_or_skip(purpose="sorting this check's users")
    response, found = list_all(ctx, ctx.users_endpoint, {"filter": selected, **params})
    ctx.expect_status(response, 200)
    return [r.get("userName") for r in found if scope.owns(r)]


def _sort_key(ctx: CheckContext) -> Any:
    """How userName values compare: case-insensitively unless /Schemas says caseExact."""
    declared = schema_attribute(ctx, urns.USER, "userName") or {}
    return str if declared.get("caseExact") is True else str.casefold


def _sort_people(ctx: CheckContext, label: str) -> Scope:
    """Users created out of order, one with an upper-case initial (case-insensitive sort)."""
    scope = Scope(ctx, label)
    for name in ("cat", "Bee", "ant"):
        scope.new_user(name.lower(), userName=scope.user_name(name))
    return scope


@check(
    "query.sort.ascending",
    title="sortBy=userName without sortOrder sorts ascending, case-insensitively",
    rfc=SORT_RFC,
    level="MUST",
    tags=("query", "sort"),
    needs="sort",
    mutating=True,
)
def sort_ascending(ctx: CheckContext) -> None:
    """sortOrder SHALL default to ascending, and MUST follow the attribute type: userName
    (caseExact false) sorts case-insensitively."""
    if not ctx.can("filter"):
        ctx.skip("sorting is checked on this check's own users, which needs filter support")
    scope = _sort_people(ctx, "sort-asc")
    names = _sorted_names(ctx, scope, {"sortBy": "userName"})
    expected = sorted(names, key=_sort_key(ctx))
    ctx.expect(len(names) == 3, f"expected this check's 3 users, got {names}")
    ctx.expect(names == expected, f"sortBy=userName returned {names}; expected {expected}")


@check(
    "query.sort.descending",
    title="sortOrder=descending reverses the order",
    rfc=SORT_RFC,
    level="MUST",
    tags=("query", "sort"),
    needs="sort",
    mutating=True,
)
def sort_descending(ctx: CheckContext) -> None:
    """sortOrder=descending orders by the sortBy attribute from highest to lowest."""
    if not ctx.can("filter"):
        ctx.skip("sorting is checked on this check's own users, which needs filter support")
    scope = _sort_people(ctx, "sort-desc")
    names = _sorted_names(ctx, scope, {"sortBy": "userName", "sortOrder": "descending"})
    expected = sorted(names, key=_sort_key(ctx), reverse=True)
    ctx.expect(len(names) == 3, f"expected this check's 3 users, got {names}")
    ctx.expect(names == expected, f"sortOrder=descending returned {names}; expected {expected}")


# --- pagination ----------------------------------------------------------------------------


def _paging_people(ctx: CheckContext, label: str, count: int) -> tuple[Scope, dict[str, Any]]:
    """`count` users plus the query parameters that select exactly them (when filtering works)."""
    scope = Scope(ctx, label)
    for index in range(count):
        scope.new_user(f"p{index}")
    params: dict[str, Any] = {}
    selected = scope.every() if ctx.can("filter") else None
    if selected is not None:
        params["filter"] = selected
    return scope, params


def _page(ctx: CheckContext, params: dict[str, Any]) -> dict:
    response = ctx.get(ctx.users_endpoint, params=params)
    ctx.expect_status(response, 200)
    return ctx.json(response)


@check(
    "query.paging.count-zero",
    title="count=0 returns totalResults and no resources",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    mutating=True,
)
def paging_count_zero(ctx: CheckContext) -> None:
    """count=0 indicates that no resources are returned, only totalResults."""
    _, params = _paging_people(ctx, "pg-zero", 2)
    body = _page(ctx, {**params, "count": 0})
    ctx.expect(not resources_of(body), f"count=0 returned {len(resources_of(body))} resources")
    total = body.get("totalResults")
    ctx.expect(isinstance(total, int), f"count=0 response has no totalResults: {body}")
    if "filter" in params:
        ctx.expect(total == 2, f"count=0 on this check's 2 users gave totalResults={total}")


@check(
    "query.paging.negative-count",
    title="a negative count is interpreted as 0",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    mutating=True,
)
def paging_negative_count(ctx: CheckContext) -> None:
    """A negative count SHALL be interpreted as 0: totalResults only, not an error."""
    _, params = _paging_people(ctx, "pg-neg", 2)
    response = ctx.get(ctx.users_endpoint, params={**params, "count": -3})
    ctx.expect(
        response.status_code == 200,
        f"count=-3: {describe(response)}; RFC 7644 §3.4.2.4 says a negative count "
        "SHALL be interpreted as 0",
    )
    body = ctx.json(response)
    ctx.expect(not resources_of(body), f"count=-3 returned {len(resources_of(body))} resources")
    if "filter" in params:
        total = body.get("totalResults")
        ctx.expect(total == 2, f"count=-3 on this check's 2 users gave totalResults={total}")


@check(
    "query.paging.start-index-below-one",
    title="a startIndex below 1 is interpreted as 1",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    mutating=True,
)
def paging_start_index_below_one(ctx: CheckContext) -> None:
    """startIndex values less than 1 SHALL be interpreted as 1."""
    scope, params = _paging_people(ctx, "pg-start", 2)
    for start in (0, -4):
        response = ctx.get(ctx.users_endpoint, params={**params, "startIndex": start})
        ctx.expect(
            response.status_code == 200,
            f"startIndex={start}: {describe(response)}; it SHALL be interpreted as 1",
        )
        body = ctx.json(response)
        echoed = body.get("startIndex", 1)
        ctx.expect(echoed == 1, f"startIndex={start} came back as startIndex={echoed}, not 1")
        if "filter" in params:
            ids = {r.get("id") for r in resources_of(body)}
            expected = {u["id"] for u in scope.users.values()}
            ctx.expect(
                ids == expected,
                f"startIndex={start} returned {len(ids)} of this check's 2 users; "
                "expected both (the first page)",
            )


@check(
    "query.paging.count-limit",
    title="count caps the page and itemsPerPage/totalResults are consistent",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    mutating=True,
)
def paging_count_limit(ctx: CheckContext) -> None:
    """With count=n the provider MUST NOT return more than n; itemsPerPage is the page size."""
    _, params = _paging_people(ctx, "pg-count", 3)
    body = _page(ctx, {**params, "count": 1, "startIndex": 1})
    page = resources_of(body)
    ctx.expect(len(page) <= 1, f"count=1 returned {len(page)} resources")
    items = body.get("itemsPerPage")
    if items is not None:
        ctx.expect(items == len(page), f"itemsPerPage={items} but the page has {len(page)}")
    if "filter" in params:
        total = body.get("totalResults")
        ctx.expect(total == 3, f"count=1 on this check's 3 users gave totalResults={total}")
        ctx.expect(len(page) == 1, "count=1 over 3 matching users returned no resource")
        ctx.expect(items == 1, f"a partial page must carry itemsPerPage (got {items!r})")
        ctx.expect(
            body.get("startIndex") == 1,
            f"a partial page must carry startIndex 1 (got {body.get('startIndex')!r})",
        )


@check(
    "query.paging.walk",
    title="walking every page sees each resource exactly once",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    needs="filter",
    mutating=True,
)
def paging_walk(ctx: CheckContext) -> None:
    """startIndex is the 1-based index of the first result: pages of 2 cover 5 users once each."""
    scope, params = _paging_people(ctx, "pg-walk", 5)
    if "filter" not in params:
        scope.every_or_skip(purpose="walking the pages of this check's users")
    if ctx.supports("sort"):
        params["sortBy"] = "userName"
    seen: list[str] = []
    start = 1
    while start <= 5:
        body = _page(ctx, {**params, "startIndex": start, "count": 2})
        page = resources_of(body)
        ctx.expect(
            body.get("totalResults") == 5,
            f"page at startIndex={start} gave totalResults={body.get('totalResults')!r}; "
            "expected 5 (this check's users)",
        )
        ctx.expect(
            body.get("startIndex") == start,
            f"page requested at startIndex={start} came back as {body.get('startIndex')!r}",
        )
        ctx.expect(
            body.get("itemsPerPage") == len(page),
            f"page at startIndex={start}: itemsPerPage={body.get('itemsPerPage')!r} "
            f"but {len(page)} resources",
        )
        ctx.expect(len(page) <= 2, f"count=2 returned {len(page)} resources")
        if not page:
            break
        seen.extend(r.get("id") for r in page)
        start += len(page)
    expected = sorted(u["id"] for u in scope.users.values())
    duplicates = sorted({i for i in seen if seen.count(i) > 1})
    ctx.expect(not duplicates, f"pages returned {duplicates} more than once")
    ctx.expect(
        sorted(seen) == expected,
        f"walking the pages saw {len(set(seen))} of this check's 5 users",
    )


# --- attributes / excludedAttributes -------------------------------------------------------


def _projection_user(ctx: CheckContext, label: str) -> tuple[Scope, dict]:
    scope = Scope(ctx, label)
    user = scope.new_user(
        "ant",
        name={"givenName": "Ant", "familyName": f"{scope.token}-ant"},
        emails=[{"value": scope.user_name("ant"), "type": "work", "primary": True}],
    )
    return scope, user


def _expect_schemas(ctx: CheckContext, resource: dict, what: str) -> None:
    """schemas is returned always: a projected resource keeps it (RFC 7643 §3, REQUIRED)."""
    ctx.expect(
        "schemas" in resource,
        f"{what} has no 'schemas'; RFC 7644 §3.9: each resource returned MUST contain the "
        "minimum set of resource attributes, and RFC 7643 §3 makes schemas REQUIRED",
    )


@check(
    "query.attributes.include",
    title="attributes= returns the requested attributes plus id",
    rfc=ATTRIBUTES_RFC,
    level="MUST",
    tags=("query", "attributes"),
    mutating=True,
)
def attributes_include(ctx: CheckContext) -> None:
    """With attributes=userName each resource has id (returned always) and userName only."""
    scope, user = _projection_user(ctx, "attr-inc")
    response = ctx.get(f"{ctx.users_endpoint}/{user['id']}", params={"attributes": "userName"})
    ctx.expect_status(response, 200)
    resource = ctx.json(response)
    ctx.expect(resource.get("id") == user["id"], f"attributes=userName dropped id: {resource}")
    ctx.expect("userName" in resource, f"attributes=userName dropped userName: {resource}")
    leaked = sorted(k for k in ("name", "emails") if k in resource)
    ctx.expect(not leaked, f"attributes=userName still returned {leaked}")
    listing = ctx.get(
        ctx.users_endpoint, params={"attributes": "userName", "filter": scope.clause()}
    )
    if listing.status_code == 200:
        for item in resources_of(ctx.json(listing)):
            ctx.expect("id" in item, f"list with attributes=userName dropped id: {item}")
            extra = sorted(k for k in ("name", "emails") if k in item)
            ctx.expect(not extra, f"list with attributes=userName still returned {extra}")
    _expect_schemas(ctx, resource, "a resource returned with attributes=userName")


@check(
    "query.attributes.exclude",
    title="excludedAttributes= removes the listed attributes",
    rfc=ATTRIBUTES_RFC,
    level="MUST",
    tags=("query", "attributes"),
    mutating=True,
)
def attributes_exclude(ctx: CheckContext) -> None:
    """excludedAttributes=emails returns the default set minus emails."""
    _, user = _projection_user(ctx, "attr-exc")
    response = ctx.get(
        f"{ctx.users_endpoint}/{user['id']}", params={"excludedAttributes": "emails"}
    )
    ctx.expect_status(response, 200)
    resource = ctx.json(response)
    ctx.expect("emails" not in resource, "excludedAttributes=emails still returned emails")
    ctx.expect(
        resource.get("userName") == user.get("userName"),
        "excludedAttributes=emails also dropped userName",
    )


@check(
    "query.attributes.exclude-always",
    title="excludedAttributes cannot remove id (returned always)",
    rfc=ATTRIBUTES_RFC,
    level="MUST",
    tags=("query", "attributes"),
    mutating=True,
)
def attributes_exclude_always(ctx: CheckContext) -> None:
    """excludedAttributes SHALL have no effect on attributes whose returned is 'always'."""
    scope, user = _projection_user(ctx, "attr-alw")
    response = ctx.get(
        f"{ctx.users_endpoint}/{user['id']}", params={"excludedAttributes": "id,schemas"}
    )
    ctx.expect_status(response, 200)
    resource = ctx.json(response)
    ctx.expect(resource.get("id") == user["id"], "excludedAttributes=id removed id")
    listing = ctx.get(
        ctx.users_endpoint, params={"excludedAttributes": "id", "filter": scope.clause()}
    )
    if listing.status_code == 200:
        for item in resources_of(ctx.json(listing)):
            ctx.expect("id" in item, "a listed resource lost id under excludedAttributes=id")
    _expect_schemas(ctx, resource, "a resource returned with excludedAttributes=schemas")


@check(
    "query.attributes.password-never-listed",
    title="password (returned never) is absent from list responses, even when asked for",
    rfc="RFC 7643 §2.2, §4.1.1",
    level="MUST",
    tags=("query", "attributes", "password"),
    mutating=True,
)
def password_never_listed(ctx: CheckContext) -> None:
    """password has returned=never: a list, even with attributes=password, never holds it."""
    declared = schema_attribute(ctx, urns.USER, "password")
    if ctx.schemas and declared is None:
        ctx.skip("the server's User schema has no password attribute")
    scope = Scope(ctx, "pw-list")
    scope.new_user("ant", password=f"Sc1m-{scope.token}-Pw!")
    leaked = []
    for params in ({}, {"attributes": "password,userName"}):
        selected = scope.every_or_skip(purpose="listing this check's user")
        listing = ctx.get(ctx.users_endpoint, params={"filter": selected, **params})
        ctx.expect_status(listing, 200)
        if any("password" in item for item in resources_of(ctx.json(listing))):
            leaked.append(f"GET {ctx.users_endpoint}?{'&'.join(params) or 'filter=...'}")
    ctx.expect(not leaked, f"a list response returned password: {', '.join(leaked)}")
