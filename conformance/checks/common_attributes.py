"""Common attributes in every view of a resource: schemas, id, externalId, meta (RFC 7643 §3).

Each check creates its own User and Group and looks at every view the server gives of them:
the creation response, GET by id, a filtered list and POST /.search (the last two only where
the server answers them), so a rule broken in one view only is still caught.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance import urns
from conformance.checks._resources import parse_time
from conformance.checks._scope import resources_of
from conformance.context import CheckContext, body_of
from conformance.registry import check

KINDS = ("User", "Group")
NAMING = {"User": "userName", "Group": "displayName"}
CORE = {"User": urns.USER, "Group": urns.GROUP}

View = tuple[str, dict[str, Any]]  # ("GET /Users/<id>", representation)


def _create(ctx: CheckContext, kind: str, **overrides: Any) -> tuple[dict[str, Any], View]:
    """Create one resource of ``kind``; the created resource and its creation-response view."""
    created = ctx.new_user(**overrides) if kind == "User" else ctx.new_group(**overrides)
    return created, (f"POST {_endpoint(ctx, kind)}", created)


def _endpoint(ctx: CheckContext, kind: str) -> str:
    """The collection endpoint of a kind."""
    return ctx.users_endpoint if kind == "User" else ctx.groups_endpoint


def views(ctx: CheckContext, kind: str, resource: dict[str, Any]) -> list[View]:
    """GET by id, the list filtered on the naming attribute, POST /.search: those answered."""
    endpoint = _endpoint(ctx, kind)
    found: list[View] = []
    response = ctx.get(f"{endpoint}/{resource['id']}")
    ctx.expect_status(response, 200)
    found.append((f"GET {endpoint}/{{id}}", ctx.json(response)))
    name = resource.get(NAMING[kind])
    if not isinstance(name, str):
        return found
    query = f'{NAMING[kind]} eq "{name}"'
    listed = ctx.get(endpoint, params={"filter": query})
    searched = ctx.post(
        f"{endpoint}/.search", json={"schemas": [urns.SEARCH_REQUEST], "filter": query}
    )
    for label, answer in (
        (f"GET {endpoint}?filter", listed),
        (f"POST {endpoint}/.search", searched),
    ):
        if answer.status_code == 200:
            found += [
                (label, item)
                for item in resources_of(body_of(answer))
                if item.get("id") == resource["id"]
            ]
    return found


def _each_view(
    ctx: CheckContext, judge: Callable[[str, dict[str, Any]], str | None], **overrides: Any
) -> None:
    """Create a User and a Group; fail listing every view ``judge`` finds wrong."""
    wrong: list[str] = []
    for kind in KINDS:
        resource, created = _create(ctx, kind, **overrides)
        for label, representation in [created, *views(ctx, kind, resource)]:
            problem = judge(kind, representation)
            if problem:
                wrong.append(f"{kind} {label}: {problem}")
    ctx.expect(not wrong, "; ".join(wrong))


def _allowed_schemas(ctx: CheckContext, kind: str) -> set[str] | None:
    """The core schema and extensions the kind's ResourceType declares (None: none served)."""
    for resource_type in ctx.resource_types:
        if resource_type.get("schema") == CORE[kind]:
            extensions = {
                str(entry.get("schema"))
                for entry in resource_type.get("schemaExtensions") or []
                if isinstance(entry, dict)
            }
            return {CORE[kind], *extensions}
    return None


@check(
    "common.schemas.declared",
    title="A resource's schemas holds only its ResourceType's schema and extensions",
    rfc="RFC 7643 §3",
    level="MUST",
    tags={"create", "read", "search"},
    mutating=True,
)
def schemas_declared(ctx: CheckContext) -> None:
    """Every URN in "schemas", in every view of a User and a Group, is the ResourceType's
    "schema" or one of its "schemaExtensions"."""
    allowed = {kind: _allowed_schemas(ctx, kind) for kind in KINDS}
    if None in allowed.values():
        ctx.skip("/ResourceTypes does not describe both User and Group")

    def judge(kind: str, representation: dict[str, Any]) -> str | None:
        extra = [urn for urn in representation.get("schemas") or [] if urn not in allowed[kind]]
        return f"schemas lists {extra} beyond its ResourceType's" if extra else None

    _each_view(ctx, judge)


@check(
    "common.schemas.no-duplicates",
    title="A resource's schemas holds each URN once",
    rfc="RFC 7643 §3",
    level="MUST",
    tags={"create", "read", "search"},
    mutating=True,
)
def schemas_no_duplicates(ctx: CheckContext) -> None:
    """No view of a User or a Group repeats a URN in "schemas"."""

    def judge(kind: str, representation: dict[str, Any]) -> str | None:
        schemas = [str(urn) for urn in representation.get("schemas") or []]
        repeated = sorted({urn for urn in schemas if schemas.count(urn) > 1})
        return f"schemas repeats {repeated}" if repeated else None

    _each_view(ctx, judge)


@check(
    "common.external-id.client-only",
    title="The server does not invent an externalId",
    rfc="RFC 7643 §3.1",
    level="MUST",
    tags={"create", "read", "search"},
    mutating=True,
)
def external_id_client_only(ctx: CheckContext) -> None:
    """A User and a Group created without externalId have none in any view."""

    def judge(kind: str, representation: dict[str, Any]) -> str | None:
        value = representation.get("externalId")
        return f"externalId {value!r} appeared, the client sent none" if value else None

    _each_view(ctx, judge, externalId=None)


@check(
    "common.id.no-bulk-id",
    title="Issued ids never contain the reserved string bulkId",
    rfc="RFC 7643 §3.1",
    level="MUST",
    tags={"create", "read"},
    mutating=True,
)
def id_no_bulk_id(ctx: CheckContext) -> None:
    """The ids of the Users and the Group created here do not contain "bulkId"."""
    ids = [ctx.new_user()["id"], ctx.new_user()["id"], ctx.new_group()["id"]]
    reserved = [str(value) for value in ids if "bulkId" in str(value)]
    ctx.expect(not reserved, f"ids containing the reserved keyword bulkId: {reserved}")


@check(
    "common.meta.unmodified-equals-created",
    title="A resource never modified has lastModified equal to created",
    rfc="RFC 7643 §3.1",
    level="MUST",
    tags={"create", "read", "search"},
    mutating=True,
)
def unmodified_equals_created(ctx: CheckContext) -> None:
    """Right after creation, meta.lastModified is meta.created in every view."""
    seen: list[bool] = []

    def judge(kind: str, representation: dict[str, Any]) -> str | None:
        meta = representation.get("meta") or {}
        created, modified = parse_time(meta.get("created")), parse_time(meta.get("lastModified"))
        if created is None or modified is None:
            return None
        seen.append(True)
        if created != modified:
            return f"lastModified {meta['lastModified']!r} differs from created {meta['created']!r}"
        return None

    _each_view(ctx, judge)
    if not seen:
        ctx.skip("no view carries both meta.created and meta.lastModified")


@check(
    "common.meta.content-location",
    title="Content-Location, when sent, is meta.location",
    rfc="RFC 7643 §3.1",
    level="MUST",
    tags={"create", "read", "replace"},
    mutating=True,
)
def content_location(ctx: CheckContext) -> None:
    """Where POST, GET or PUT of a User or a Group carries Content-Location, it equals the
    representation's meta.location."""
    wrong = []
    for kind in KINDS:
        endpoint = _endpoint(ctx, kind)
        payload = ctx.user_payload() if kind == "User" else ctx.group_payload()
        created = ctx.post(endpoint, json=payload)
        ctx.expect_status(created, 201, 200)
        resource = ctx.json(created)
        path = f"{endpoint}/{resource.get('id')}"
        replaced = {**payload}
        for response in (created, ctx.get(path), ctx.put(path, json=replaced)):
            header = response.headers.get("Content-Location")
            body = body_of(response)
            location = (body.get("meta") or {}).get("location") if isinstance(body, dict) else None
            if header and location and header != location:
                method = response.request.method if response.request is not None else "?"
                wrong.append(f"{method} {kind}: Content-Location {header!r} != {location!r}")
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "common.id.unique",
    title="Ids are unique across Users and Groups",
    rfc="RFC 7643 §3.1",
    level="MUST",
    tags={"create"},
    mutating=True,
)
def id_unique(ctx: CheckContext) -> None:
    """Two Users and a Group created in turn get three different ids."""
    ids = [
        ("User", ctx.new_user()["id"]),
        ("User", ctx.new_user()["id"]),
        ("Group", ctx.new_group()["id"]),
    ]
    values = [value for _, value in ids]
    repeated = [f"{kind} {value}" for kind, value in ids if values.count(value) > 1]
    ctx.expect(not repeated, f"ids issued more than once: {repeated}")
