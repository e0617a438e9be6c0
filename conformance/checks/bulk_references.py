"""Bulk references beyond a member (RFC 7644 §3.7.1, §3.7.2): cycles and extension values.

Like every bulk check these need "bulk"; a server refusing the nested Group or the
extension value itself (a 4xx other than 409) shows nothing about references and skips.
"""

from __future__ import annotations

from typing import Any

from conformance import urns
from conformance.checks._scope import Scope, member_ids, resource_type_extensions, schema_attribute
from conformance.checks.bulk import (
    _bulk,
    _by_bulk_id,
    _created_id,
    _group_op,
    _results,
    _user_op,
    status_code,
)
from conformance.context import CheckContext
from conformance.registry import check

CIRCULAR_RFC = "RFC 7644 §3.7.1"
EXTENSION_RFC = "RFC 7644 §3.7.2"


def _members(ctx: CheckContext, group_id: str) -> set[Any]:
    """The member values a Group shows (empty when it cannot be read)."""
    response = ctx.get(f"{ctx.groups_endpoint}/{group_id}")
    return member_ids(ctx.json(response)) if response.status_code == 200 else set()


@check(
    "bulk.circular-reference",
    title="Two Groups naming each other by bulkId are resolved, or answered 409",
    rfc=CIRCULAR_RFC,
    level="MUST",
    tags=("bulk", "groups"),
    needs="bulk",
    mutating=True,
)
def circular_reference(ctx: CheckContext) -> None:
    """The RFC's own cycle (Group A holds B, B holds A, both by bulkId): each created Group
    holds the other's id; stopping with 409 is the one other answer allowed."""
    scope = Scope(ctx, "bulk-cycle")
    pairs = (("ring", "loop"), ("loop", "ring"))
    response = _bulk(ctx, [_group_op(ctx, scope, one, other, "Group") for one, other in pairs])
    results = [_by_bulk_id(ctx, _results(ctx, response), key) for key in ("ring", "loop")]
    statuses = [status_code(result) for result in results]
    if 409 in statuses:
        return  # "MAY stop after a failed attempt and instead return HTTP status code 409"
    if any(status is None or status >= 500 for status in statuses):
        ctx.fail(f"the cycle was neither resolved nor answered 409: {results}")
    if any(status >= 400 for status in statuses):
        ctx.skip(f"the server refused a Group holding a Group: {results}")
    ring, loop = (_created_id(ctx, result) for result in results)
    shown = {"ring": _members(ctx, ring), "loop": _members(ctx, loop)}
    if not shown["ring"] and not shown["loop"]:
        ctx.skip("neither Group keeps a Group member: nested Groups look unsupported")
    wrong = [
        f"Group {key} has members {sorted(map(str, found))}; expected {other_id}"
        for key, found, other_id in (("ring", shown["ring"], loop), ("loop", shown["loop"], ring))
        if found != {other_id}
    ]
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "bulk.extension-reference",
    title="A bulkId inside an extension value (enterprise manager) is replaced by the id",
    rfc=EXTENSION_RFC,
    level="MUST",
    tags=("bulk", "users"),
    needs="bulk",
    mutating=True,
)
def extension_reference(ctx: CheckContext) -> None:
    """A User whose enterprise manager.value is "bulkId:<boss>" shows the boss's new id."""
    if urns.ENTERPRISE_USER not in resource_type_extensions(ctx, ctx.users_endpoint):
        ctx.skip("the User ResourceType does not declare the enterprise extension")
    if not schema_attribute(ctx, urns.ENTERPRISE_USER, "manager"):
        ctx.skip("/Schemas lists no enterprise manager")
    scope = Scope(ctx, "bulk-ext")
    worker = _user_op(ctx, scope, "ant", "ant")
    data = worker["data"]
    schemas = data.get("schemas") or [urns.USER]
    if urns.ENTERPRISE_USER not in schemas:
        data["schemas"] = [*schemas, urns.ENTERPRISE_USER]
    data[urns.ENTERPRISE_USER] = {
        **(data.get(urns.ENTERPRISE_USER) or {}),
        "manager": {"value": "bulkId:boss"},
    }
    results = _results(ctx, _bulk(ctx, [_user_op(ctx, scope, "boss", "boss"), worker]))
    boss_result, worker_result = (_by_bulk_id(ctx, results, key) for key in ("boss", "ant"))
    if (status_code(worker_result) or 500) >= 400 and (status_code(worker_result) or 0) < 500:
        ctx.skip(f"the server refused a User with a manager: {worker_result}")
    boss_id, worker_id = _created_id(ctx, boss_result), _created_id(ctx, worker_result)
    response = ctx.get(f"{ctx.users_endpoint}/{worker_id}")
    ctx.expect_status(response, 200)
    manager = (ctx.json(response).get(urns.ENTERPRISE_USER) or {}).get("manager") or {}
    if "value" not in manager:
        ctx.skip("the server keeps no enterprise manager for the User")
    ctx.expect(
        manager["value"] == boss_id,
        f"manager.value is {manager['value']!r}; expected the new boss id {boss_id!r}",
    )
