"""Writes and what they leave behind (RFC 7644 §3.2, §3.5.1, §3.6; RFC 7643 §6).

PUT never creates, a deleted resource leaves every query result, and a resource type's
required extension is carried by each resource created: for Users and Groups, in the
creation response, GET by id, a filtered list and POST /.search.
"""

from __future__ import annotations

from typing import Any

from conformance import urns
from conformance.checks._resources import create
from conformance.checks._scope import resources_of
from conformance.checks.common_attributes import KINDS, NAMING, views
from conformance.context import CheckContext, body_of, describe
from conformance.registry import check

CORE = {"User": urns.USER, "Group": urns.GROUP}


def _endpoint(ctx: CheckContext, kind: str) -> str:
    """The collection endpoint of a kind."""
    return ctx.users_endpoint if kind == "User" else ctx.groups_endpoint


def _payload(ctx: CheckContext, kind: str) -> dict[str, Any]:
    """A valid new resource of the kind (conformance.payloads)."""
    return ctx.user_payload() if kind == "User" else ctx.group_payload()


def _found(ctx: CheckContext, kind: str, name: str) -> list[tuple[str, dict[str, Any]]]:
    """(where, resource) for each resource named ``name`` in a filtered list and /.search."""
    endpoint = _endpoint(ctx, kind)
    query = f'{NAMING[kind]} eq "{name}"'
    answers = (
        (f"GET {endpoint}?filter", ctx.get(endpoint, params={"filter": query})),
        (
            f"POST {endpoint}/.search",
            ctx.post(
                f"{endpoint}/.search", json={"schemas": [urns.SEARCH_REQUEST], "filter": query}
            ),
        ),
    )
    return [
        (where, item)
        for where, answer in answers
        if answer.status_code == 200
        for item in resources_of(body_of(answer))
        if str(item.get(NAMING[kind], "")).lower() == name.lower()
    ]


@check(
    "replace.no-create",
    title="PUT to an unknown id creates nothing",
    rfc="RFC 7644 §3.2, §3.5.1",
    level="MUST",
    tags={"replace", "errors"},
    mutating=True,
)
def put_no_create(ctx: CheckContext) -> None:
    """PUT of a full User or Group to an id nobody was given is refused, and afterwards no
    resource answers that id or carries the body's name."""
    wrong = []
    for kind in KINDS:
        payload = _payload(ctx, kind)
        url = f"{_endpoint(ctx, kind)}/{ctx.unique('never-issued')}"
        response = ctx.put(url, json=payload)
        made = _found(ctx, kind, payload[NAMING[kind]])
        for _, resource in made:  # delete what the server made, at the end of the check
            ctx.run.tracker.register(_endpoint(ctx, kind), str(resource["id"]), ctx.spec.id)
        if 200 <= response.status_code < 300 or made:
            wrong.append(f"{kind}: {describe(response)}; created: {[w for w, _ in made]}")
        elif ctx.get(url).status_code == 200:
            wrong.append(f"{kind}: GET {url} finds a resource after the refused PUT")
    ctx.expect(not wrong, "PUT created a resource: " + "; ".join(wrong))


@check(
    "delete.omitted-from-queries",
    title="A deleted resource is in no list or search result",
    rfc="RFC 7644 §3.6",
    level="MUST",
    tags={"delete", "query", "search"},
    mutating=True,
)
def deleted_omitted(ctx: CheckContext) -> None:
    """After DELETE of a User and a Group, neither a filtered list nor POST /.search on its
    name returns it."""
    wrong = []
    for kind in KINDS:
        created = ctx.new_user() if kind == "User" else ctx.new_group()
        response = ctx.delete(f"{_endpoint(ctx, kind)}/{created['id']}")
        if response.status_code not in (200, 204):
            ctx.error(f"could not delete the {kind} to check with: {describe(response)}")
        ctx.forget(kind, str(created["id"]))
        wrong += [
            f"{kind} still in {where}"
            for where, item in _found(ctx, kind, str(created[NAMING[kind]]))
            if item.get("id") == created["id"]
        ]
    ctx.expect(not wrong, "; ".join(wrong))


def _required_extensions(ctx: CheckContext, kind: str) -> dict[str, list[str]]:
    """Extension URN -> its required attribute names, for each the ResourceType requires."""
    required: dict[str, list[str]] = {}
    for resource_type in ctx.resource_types:
        if resource_type.get("schema") != CORE[kind]:
            continue
        for entry in resource_type.get("schemaExtensions") or []:
            if isinstance(entry, dict) and entry.get("required") is True:
                urn = str(entry.get("schema"))
                schema = next((s for s in ctx.schemas if s.get("id") == urn), {})
                required[urn] = [
                    str(a.get("name"))
                    for a in schema.get("attributes") or []
                    if isinstance(a, dict) and a.get("required") is True
                ]
    return required


@check(
    "create.required-extension",
    title="Resources carry the schema extensions their ResourceType requires",
    rfc="RFC 7643 §6",
    level="MUST",
    tags={"create", "read", "search"},
    mutating=True,
)
def required_extension(ctx: CheckContext) -> None:
    """Where a ResourceType marks a schema extension required, every view of a created
    resource lists its URN in schemas and holds its required attributes."""
    wanted = {kind: _required_extensions(ctx, kind) for kind in KINDS}
    if not any(wanted.values()):
        ctx.skip("no ResourceType requires a schema extension")
    wrong = []
    for kind, extensions in wanted.items():
        if not extensions:
            continue
        resource = ctx.new_user() if kind == "User" else ctx.new_group()
        for label, shown in [
            (f"POST {_endpoint(ctx, kind)}", resource),
            *views(ctx, kind, resource),
        ]:
            for urn, attributes in extensions.items():
                values = shown.get(urn) if isinstance(shown.get(urn), dict) else {}
                missing = [a for a in attributes if values.get(a) in (None, "", [])]
                if urn not in (shown.get("schemas") or []) or missing:
                    wrong.append(f"{kind} {label}: {urn} absent or without {missing}")
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "delete.name-reusable",
    title="A deleted User's userName can be used again",
    rfc="RFC 7644 §3.6",
    level="SHOULD",
    tags={"delete", "create", "users"},
    mutating=True,
)
def name_reusable(ctx: CheckContext) -> None:
    """Creating a User with the userName of one just deleted is not refused with 409."""
    payload = ctx.user_payload()
    first = ctx.json(create(ctx, ctx.users_endpoint, payload))
    deleted = ctx.delete(f"{ctx.users_endpoint}/{first['id']}")
    if deleted.status_code not in (200, 204):
        ctx.skip(f"the User could not be deleted: {describe(deleted)}")
    again = ctx.post(ctx.users_endpoint, json=payload)
    ctx.expect(
        again.status_code != 409,
        f"re-creating userName {payload['userName']!r} after its DELETE: {describe(again)}",
    )
