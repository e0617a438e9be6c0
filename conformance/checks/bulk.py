"""Bulk checks (RFC 7644 §3.7): bulkId references, error handling, limits, response format.

Bulk is optional: every check needs "bulk", so when the ServiceProviderConfig does not
advertise it the run probes POST /Bulk once with an empty BulkRequest and the checks skip
unless the server shows it handles bulk requests anyway. Limit checks only send DELETEs of
made-up ids (named with the run prefix), so a server that ignores its limits changes nothing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from conformance import urns
from conformance.checks._scope import (
    Scope,
    member_ids,
    resources_of,
    spc_value,
)
from conformance.cleanup import split_location
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    import requests

    from conformance.context import CheckContext

BULK_RFC = "RFC 7644 §3.7"
LIMITS_RFC = "RFC 7644 §3.7.4"
# Limits above these are not exercised: the request would be unreasonably large.
MAX_OPERATIONS_EXERCISED = 10_000
MAX_PAYLOAD_EXERCISED = 16 * 1024 * 1024


def status_code(result: dict) -> int | None:
    """The HTTP status of one operation result: "201", 201 or {"code": "201"} (RFC examples)."""
    status = result.get("status")
    if isinstance(status, dict):
        status = status.get("code")
    try:
        return int(str(status))
    except ValueError:
        return None


def _bulk(ctx: CheckContext, operations: list[dict], **extra: Any) -> requests.Response:
    return ctx.post(
        "/Bulk", json={"schemas": [urns.BULK_REQUEST], "Operations": operations, **extra}
    )


def _results(ctx: CheckContext, response: requests.Response) -> list[dict]:
    """The operation results of a 200 BulkResponse; registers created resources for cleanup."""
    ctx.require("bulk", response)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        urns.BULK_RESPONSE in (body.get("schemas") or []),
        f"the bulk response's schemas {body.get('schemas')!r} lack {urns.BULK_RESPONSE}",
    )
    results = [r for r in body.get("Operations") or [] if isinstance(r, dict)]
    for result in results:
        location = result.get("location")
        if (
            str(result.get("method", "")).upper() == "POST"
            and location
            and (status_code(result) == 201)
        ):
            located = split_location(str(location))
            if located:  # also covers {"code": "201"} statuses the context does not parse
                ctx.run.tracker.register(*located, ctx.spec.id)
    return results


def _by_bulk_id(ctx: CheckContext, results: list[dict], bulk_id: str) -> dict:
    for result in results:
        if result.get("bulkId") == bulk_id:
            return result
    ctx.fail(f"the bulk response has no result with bulkId {bulk_id!r}: {results}")


def _created_id(ctx: CheckContext, result: dict) -> str:
    located = split_location(str(result.get("location") or ""))
    if status_code(result) != 201 or not located:
        ctx.fail(f"operation {result.get('bulkId')!r} did not create a resource: {result}")
    return located[1]


def _user_op(ctx: CheckContext, scope: Scope, name: str, bulk_id: str) -> dict:
    return {
        "method": "POST",
        "path": ctx.users_endpoint,
        "bulkId": bulk_id,
        "data": ctx.user_payload(userName=scope.user_name(name)),
    }


def _invalid_user_op(ctx: CheckContext, bulk_id: str) -> dict:
    """A POST /Users without the required userName: always a 400."""
    return {
        "method": "POST",
        "path": ctx.users_endpoint,
        "bulkId": bulk_id,
        "data": {"schemas": [urns.USER], "name": {"givenName": "No", "familyName": "UserName"}},
    }


def _group_op(
    ctx: CheckContext, scope: Scope, bulk_id: str, member_ref: str, member_type: str = "User"
) -> dict:
    """POST a Group whose one member is the resource operation `member_ref` creates."""
    return {
        "method": "POST",
        "path": ctx.groups_endpoint,
        "bulkId": bulk_id,
        "data": {
            **ctx.group_payload(displayName=scope.display_name(bulk_id)),
            "members": [{"value": f"bulkId:{member_ref}", "type": member_type}],
        },
    }


def _group_members(ctx: CheckContext, group_id: str) -> set[str]:
    response = ctx.get(f"{ctx.groups_endpoint}/{group_id}")
    ctx.expect_status(response, 200)
    return member_ids(ctx.json(response))


@check(
    "bulk.bulk-id-reference",
    title="a bulkId reference is replaced by the created resource's id",
    rfc="RFC 7644 §3.7, §3.7.2",
    level="MUST",
    tags=("bulk",),
    needs=("bulk", "groups.create.members"),
    mutating=True,
)
def bulk_id_reference(ctx: CheckContext) -> None:
    """The provider returns each bulkId with its result and replaces "bulkId:x" by the new id."""
    scope = Scope(ctx, "bulk-ref")
    response = _bulk(
        ctx, [_user_op(ctx, scope, "ant", "ant"), _group_op(ctx, scope, "team", "ant")]
    )
    results = _results(ctx, response)
    user_id = _created_id(ctx, _by_bulk_id(ctx, results, "ant"))
    group_id = _created_id(ctx, _by_bulk_id(ctx, results, "team"))
    members = _group_members(ctx, group_id)
    ctx.expect(
        members == {user_id},
        f"the group created with member bulkId:ant has members {sorted(members)}; "
        f"expected the new user {user_id}",
    )


@check(
    "bulk.forward-reference",
    title="a bulkId used before the operation that defines it is resolved",
    rfc="RFC 7644 §3.7, §3.7.1",
    level="SHOULD",
    tags=("bulk",),
    needs=("bulk", "groups.create.members"),
    mutating=True,
)
def forward_reference(ctx: CheckContext) -> None:
    """Optimised processing must preserve intent: a group listed before its member still gets it.

    SHOULD: §3.7.1 requires trying to resolve circular references (and allows 409); a
    forward reference without cycle is implied, not spelled out.
    """
    scope = Scope(ctx, "bulk-fwd")
    response = _bulk(
        ctx, [_group_op(ctx, scope, "team", "ant"), _user_op(ctx, scope, "ant", "ant")]
    )
    results = _results(ctx, response)
    group = _by_bulk_id(ctx, results, "team")
    user_id = _created_id(ctx, _by_bulk_id(ctx, results, "ant"))
    group_id = _created_id(ctx, group)
    members = _group_members(ctx, group_id)
    ctx.expect(
        members == {user_id},
        f"the group referencing a later bulkId has members {sorted(members)}; "
        f"expected the user created afterwards ({user_id})",
    )


@check(
    "bulk.response-format",
    title="a bulk response is a valid BulkResponse with method, status and location",
    rfc="RFC 7644 §3.7, §3.7.3",
    level="MUST",
    tags=("bulk", "schema"),
    needs="bulk",
    mutating=True,
)
def response_format(ctx: CheckContext) -> None:
    """Each processed operation has its result: method, status code and a location."""
    scope = Scope(ctx, "bulk-fmt")
    response = _bulk(ctx, [_user_op(ctx, scope, "ant", "ant")])
    results = _results(ctx, response)
    ctx.expect_schema("BulkResponse", ctx.json(response))
    result = _by_bulk_id(ctx, results, "ant")
    ctx.expect(
        str(result.get("method", "")).upper() == "POST",
        f"the result's method is {result.get('method')!r}",
    )
    ctx.expect(status_code(result) == 201, f"the result's status is {result.get('status')!r}")
    ctx.expect(bool(result.get("location")), "a successful POST result has no location")


@check(
    "bulk.continues-after-error",
    title="without failOnErrors a failed operation does not stop the others",
    rfc="RFC 7644 §3.7, §3.7.3",
    level="MUST",
    tags=("bulk", "errors"),
    needs="bulk",
    mutating=True,
)
def continues_after_error(ctx: CheckContext) -> None:
    """The provider MUST continue performing as many changes as possible; a failed
    operation's result carries its status and the error response."""
    scope = Scope(ctx, "bulk-cont")
    response = _bulk(ctx, [_invalid_user_op(ctx, "bad"), _user_op(ctx, scope, "ant", "ant")])
    results = _results(ctx, response)
    bad = _by_bulk_id(ctx, results, "bad")
    code = status_code(bad)
    ctx.expect(
        code is not None and 400 <= code < 500,
        f"a POST without userName has status {bad.get('status')!r} in the bulk response",
    )
    ctx.expect(
        isinstance(bad.get("response"), dict),
        "a failed operation's result must include the error response (RFC 7644 §3.7)",
    )
    _created_id(ctx, _by_bulk_id(ctx, results, "ant"))


@check(
    "bulk.fail-on-errors",
    title="failOnErrors=1 stops processing after the first error",
    rfc="RFC 7644 §3.7, §3.7.3",
    level="MUST",
    tags=("bulk", "errors"),
    needs="bulk",
    mutating=True,
)
def fail_on_errors(ctx: CheckContext) -> None:
    """failOnErrors is the number of errors accepted before the remaining operations fail."""
    scope = Scope(ctx, "bulk-foe")
    response = _bulk(
        ctx,
        [_invalid_user_op(ctx, "bad"), _user_op(ctx, scope, "ant", "ant")],
        failOnErrors=1,
    )
    results = _results(ctx, response)
    _by_bulk_id(ctx, results, "bad")
    later = [r for r in results if r.get("bulkId") == "ant"]
    ctx.expect(
        not any(status_code(r) == 201 for r in later),
        "with failOnErrors=1 the operation after the first error was still performed",
    )
    if ctx.supports("filter"):
        found = ctx.get(
            ctx.users_endpoint, params={"filter": f'userName eq "{scope.user_name("ant")}"'}
        )
        if found.status_code == 200:
            ctx.expect(
                not ctx.json(found).get("totalResults"),
                "with failOnErrors=1 the user of the operation after the error exists",
            )


def _limit_answer(ctx: CheckContext, response: requests.Response, name: str, limit: int) -> None:
    """413 naming the exceeded limit in the error body (RFC 7644 §3.7.4)."""
    ctx.require("bulk", response)
    ctx.expect(
        response.status_code == 413,
        f"a bulk request exceeding {name}={limit}: {describe(response)}; expected 413",
    )
    text = response.text
    ctx.expect(
        str(limit) in text or name.lower() in text.lower(),
        f"the 413 body must specify the limit exceeded ({name}={limit}): {text[:200]!r}",
    )


def _harmless_deletes(ctx: CheckContext, count: int, id_length: int = 0) -> list[dict]:
    """DELETEs of made-up ids (run prefix): 404s if a server processes them anyway."""
    operations = []
    for index in range(count):
        made_up = f"{ctx.prefix}-missing-{index}"
        made_up += "x" * max(0, id_length - len(made_up))
        operations.append({"method": "DELETE", "path": f"{ctx.users_endpoint}/{made_up}"})
    return operations


@check(
    "bulk.max-operations",
    title="exceeding bulk.maxOperations answers 413 naming the limit",
    rfc=LIMITS_RFC,
    level="MUST",
    tags=("bulk", "claims", "errors"),
    needs="bulk",
)
def max_operations(ctx: CheckContext) -> None:
    """If maxOperations is exceeded the provider MUST answer 413 and name the limit."""
    limit = spc_value(ctx, "bulk", "maxOperations")
    if not isinstance(limit, int) or limit < 1:
        ctx.fail(f"ServiceProviderConfig bulk.maxOperations is {limit!r}; it is REQUIRED")
    if limit >= MAX_OPERATIONS_EXERCISED:
        ctx.skip(f"bulk.maxOperations={limit} is too large to exercise")
    _limit_answer(ctx, _bulk(ctx, _harmless_deletes(ctx, limit + 1)), "maxOperations", limit)


@check(
    "bulk.max-payload-size",
    title="exceeding bulk.maxPayloadSize answers 413 naming the limit",
    rfc=LIMITS_RFC,
    level="MUST",
    tags=("bulk", "claims", "errors"),
    needs="bulk",
)
def max_payload_size(ctx: CheckContext) -> None:
    """If maxPayloadSize is exceeded the provider MUST answer 413 and name the limit."""
    limit = spc_value(ctx, "bulk", "maxPayloadSize")
    max_ops = spc_value(ctx, "bulk", "maxOperations")
    if not isinstance(limit, int) or limit < 1:
        ctx.fail(f"ServiceProviderConfig bulk.maxPayloadSize is {limit!r}; it is REQUIRED")
    if limit > MAX_PAYLOAD_EXERCISED:
        ctx.skip(f"bulk.maxPayloadSize={limit} is too large to exercise")
    # Stay within maxOperations so only the size limit is exceeded.
    count = max(1, min(10, max_ops if isinstance(max_ops, int) and max_ops > 0 else 1))
    operations = _harmless_deletes(ctx, count, id_length=limit // count + 512)
    body = {"schemas": [urns.BULK_REQUEST], "Operations": operations}
    ctx.expect(len(json.dumps(body)) > limit, "internal: the oversized body is not oversized")
    _limit_answer(ctx, ctx.post("/Bulk", json=body), "maxPayloadSize", limit)


def _named(ctx: CheckContext, endpoint: str, attribute: str, value: str) -> list[dict]:
    """This run's resources whose `attribute` is `value` (an eq filter, registered for cleanup)."""
    response = ctx.get(endpoint, params={"filter": f'{attribute} eq "{value}"'})
    if response.status_code != 200:
        ctx.skip(f"counting resources by {attribute} needs an eq filter: {describe(response)}")
    found = resources_of(ctx.json(response))
    for resource in found:  # duplicates came from this check's request: it deletes them too
        if resource.get("id"):
            ctx.run.tracker.register(endpoint, str(resource["id"]), ctx.spec.id)
    return found


@check(
    "bulk.forward-reference.created-once",
    title="a resource referenced before its own operation is created exactly once",
    rfc="RFC 7644 §3.7.2",
    level="MUST",
    tags=("bulk",),
    needs=("bulk", "filter"),
    mutating=True,
)
def forward_reference_created_once(ctx: CheckContext) -> None:
    """A group listed before its member's POST yields one user: before the Bulk request no
    user holds the operation's externalId, after it exactly one does."""
    scope = Scope(ctx, "bulk-once")
    user_op = _user_op(ctx, scope, "ant", "ant")
    group_op = _group_op(ctx, scope, "team", "ant")
    counted = (
        (ctx.users_endpoint, "externalId", user_op["data"]["externalId"]),
        (ctx.groups_endpoint, "displayName", group_op["data"]["displayName"]),
    )
    before = [len(_named(ctx, *what)) for what in counted]
    _results(ctx, _bulk(ctx, [group_op, user_op]))
    after = [len(_named(ctx, *what)) for what in counted]
    doubled = [
        f"{endpoint} with {attribute} {value!r}: {was} before the Bulk request, {now} after"
        for (endpoint, attribute, value), was, now in zip(counted, before, after, strict=True)
        if now - was != 1
    ]
    ctx.expect(not doubled, "; ".join(doubled) + "; each POST operation must create one resource")
