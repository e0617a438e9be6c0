"""Query checks on names and gaps: sortBy in any case, filters over resources lacking a value,
parameters the server does not know.

RFC 7643 §2.1 makes attribute names case-insensitive everywhere, sortBy included; a filter on
a multi-valued attribute must still answer when some resources have no value for it; an
unrecognised query parameter should be ignored (RFC 7644 §3.4.2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.checks._scope import Scope, list_all
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    from conformance.context import CheckContext

NAMES_RFC = "RFC 7643 §2.1"
# A query parameter no SCIM specification defines.
UNKNOWN_PARAMETER = "scimproofUnknownParameter"


@check(
    "query.sort.attribute-name-case",
    title="sortBy names its attribute in any case: USERNAME sorts like userName",
    rfc=f"{NAMES_RFC}; RFC 7644 §3.4.2.3",
    level="MUST",
    tags=("query", "sort"),
    needs="sort",
    mutating=True,
)
def sort_attribute_name_case(ctx: CheckContext) -> None:
    """sortBy=USERNAME orders this check's users as sortBy=userName does."""
    scope = Scope(ctx, "sort-case")
    for name in ("cat", "bee", "ant"):
        scope.new_user(name)
    selected = scope.every_or_skip(purpose="sorting this check's users")
    orders = {}
    # both directions: a server that ignores USERNAME cannot match both by chance
    for direction in ("ascending", "descending"):
        for spelled in ("userName", "USERNAME"):
            query = {"filter": selected, "sortBy": spelled, "sortOrder": direction}
            response, found = list_all(ctx, ctx.users_endpoint, query)
            ctx.expect_status(response, 200)
            orders[spelled, direction] = [r.get("userName") for r in found if scope.owns(r)]
        ctx.expect(
            orders["USERNAME", direction] == orders["userName", direction],
            f"sortBy=USERNAME ({direction}) returned {orders['USERNAME', direction]}; "
            f"sortBy=userName returned {orders['userName', direction]}",
        )


@check(
    "query.filter.multi-valued-absent",
    title="a filter on emails still answers when some users have no e-mail",
    rfc="RFC 7644 §3.4.2.1, §3.4.2.2",
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_multi_valued_absent(ctx: CheckContext) -> None:
    """emails.value eq X finds the one user with that address, although another user of
    this check has no e-mail at all (filtered among this check's own users)."""
    scope = Scope(ctx, "f-absent")
    ant = scope.new_user(
        "ant", emails=[{"value": f"ant.{scope.token}@example.org", "type": "work"}]
    )
    scope.new_user("bee", emails=None)
    if not ant.get("emails"):
        ctx.skip("the server did not keep the e-mail address the check created")
    predicate = f'emails.value eq "ant.{scope.token}@example.org"'
    outcome = scope.select(predicate, selective=True)
    if outcome.declined is not None:
        ctx.skip(f"the server declined filter {predicate!r}")
    ctx.expect(
        outcome.matched == {"ant"},
        f"filter {outcome.filters[-1]!r} matched {sorted(outcome.matched) or 'nothing'} of this "
        "check's users; expected only ant (bee has no e-mail)",
    )


@check(
    "query.unknown-parameter-ignored",
    title="A query parameter the server does not know is ignored, not rejected",
    rfc="RFC 7644 §3.4.2",
    level="SHOULD",
    tags=("query", "read"),
)
def unknown_parameter_ignored(ctx: CheckContext) -> None:
    """GET /Users?count=1 with an extra parameter no RFC defines answers as it does without."""
    plain = ctx.get(ctx.users_endpoint, params={"count": 1})
    if plain.status_code != 200:
        ctx.skip(f"GET {ctx.users_endpoint}?count=1 does not answer 200: {describe(plain)}")
    extra = ctx.get(ctx.users_endpoint, params={"count": 1, UNKNOWN_PARAMETER: "1"})
    ctx.expect(
        extra.status_code == 200,
        f"with ?{UNKNOWN_PARAMETER}=1 added: {describe(extra)}; unknown query parameters "
        "should be ignored",
    )
