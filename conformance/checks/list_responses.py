"""What list and search answers hold (RFC 7644 §3.4.2, §3.4.3): paging fields of a partial
page, and attributes returned "always" that excludedAttributes cannot remove.

Each check creates its own Users and narrows to them with what the server takes (conformance
checks._scope); GET on the endpoint and POST /.search are both judged.
"""

from __future__ import annotations

from typing import Any

from conformance import urns
from conformance.checks._scope import Scope, resources_of
from conformance.context import CheckContext, body_of
from conformance.registry import check


def _answers(ctx: CheckContext, selected: str, **params: Any) -> list[tuple[str, Any]]:
    """(label, body) of GET ?filter=... and of POST /.search with the same filter and
    parameters; GET must answer 200, /.search (optional, judged by search.*) only counts
    when it does."""
    endpoint = ctx.users_endpoint
    listed = ctx.get(endpoint, params={"filter": selected, **params})
    ctx.expect_status(listed, 200)
    search = {
        "schemas": [urns.SEARCH_REQUEST],
        "filter": selected,
        **{k: v.split(",") if k.endswith("Attributes") else v for k, v in params.items()},
    }
    searched = ctx.post(f"{endpoint}/.search", json=search)
    answers = [(f"GET {endpoint}", body_of(listed))]
    if searched.status_code == 200:
        answers.append((f"POST {endpoint}/.search", body_of(searched)))
    return answers


@check(
    "query.paging.partial-page-fields",
    title="A partial page carries startIndex and itemsPerPage",
    rfc="RFC 7644 §3.4.2",
    level="MUST",
    tags={"query", "search", "paging"},
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def partial_page_fields(ctx: CheckContext) -> None:
    """Three Users listed one per page (count=1, on GET and POST /.search): each partial page
    gives startIndex and itemsPerPage."""
    scope = Scope(ctx, "partial")
    for name in ("ant", "bee", "cat"):
        scope.new_user(name)
    selected = scope.every_or_skip(purpose="a partial page of this check's users")
    wrong = []
    for label, answer in _answers(ctx, selected, count=1, startIndex=2):
        body = answer if isinstance(answer, dict) else {}
        if len(resources_of(body)) >= (body.get("totalResults") or 0):
            continue  # not partial: the server ignored count (query.count judges that)
        missing = [key for key in ("startIndex", "itemsPerPage") if key not in body]
        if missing:
            wrong.append(f"{label} with count=1 lacks {missing}")
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "query.excluded-attributes.returned-always",
    title="excludedAttributes cannot remove an attribute returned always",
    rfc="RFC 7644 §3.4.3",
    level="MUST",
    tags={"query", "search", "projection"},
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def excluded_returned_always(ctx: CheckContext) -> None:
    """excludedAttributes=id,userName on GET and POST /.search still returns each User's id
    (returned "always", RFC 7643 §7)."""
    scope = Scope(ctx, "excl-always")
    for name in ("ant", "bee"):
        scope.new_user(name)
    selected = scope.every_or_skip(purpose="listing this check's users")
    wrong = []
    for label, answer in _answers(ctx, selected, excludedAttributes="id,userName"):
        for resource in resources_of(answer):
            if not resource.get("id"):
                wrong.append(f"{label} with excludedAttributes=id left out the id")
    ctx.expect(not wrong, "; ".join(sorted(set(wrong))))
