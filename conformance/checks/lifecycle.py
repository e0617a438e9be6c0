"""The Users and Groups lifecycle mirrors (RFC 7644 §3.3-3.6) as one table registered per kind.

Creating, reading, replacing and deleting a User and a Group follow the same sentences; each
row below is one behaviour, registered once as ``users.<row>`` and once as ``groups.<row>``.
Checks only one kind has (passwords, members...) stay in users.py and groups.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from conformance import urns
from conformance.checks._resources import (
    create,
    expect_gone,
    expect_identity,
    expect_location,
    expect_meta,
)
from conformance.context import CheckContext, describe
from conformance.registry import check


@dataclass(frozen=True)
class Kind:
    """A resource kind as the lifecycle rows use it."""

    area: str  # "users" or "groups": the first segment of the check ids
    name: str  # "User" or "Group": meta.resourceType and messages
    schema: str  # the core schema URN
    naming: str  # the attribute a created resource is named by

    def endpoint(self, ctx: CheckContext) -> str:
        """The kind's collection endpoint ('/Users' unless /ResourceTypes says otherwise)."""
        return ctx.users_endpoint if self.name == "User" else ctx.groups_endpoint

    def payload(self, ctx: CheckContext, **overrides: object) -> dict:
        """A valid new resource of this kind."""
        if self.name == "User":
            return ctx.user_payload(**overrides)
        return ctx.group_payload(**overrides)

    def new(self, ctx: CheckContext) -> dict:
        """Create a resource of this kind for the check (deleted when it ends)."""
        return ctx.new_user() if self.name == "User" else ctx.new_group()

    def url(self, ctx: CheckContext, resource: dict) -> str:
        """The path of one created resource."""
        return f"{self.endpoint(ctx)}/{resource['id']}"

    def replacement(self, ctx: CheckContext, resource: dict) -> dict:
        """A full PUT body for the resource, keeping its name."""
        return self.payload(ctx, **{self.naming: resource[self.naming]})


KINDS = (
    Kind("users", "User", urns.USER, "userName"),
    Kind("groups", "Group", urns.GROUP, "displayName"),
)


def create_status(ctx: CheckContext, kind: Kind) -> None:
    """A successful creation SHALL answer 201 (Created)."""
    ctx.expect_status(ctx.post(kind.endpoint(ctx), json=kind.payload(ctx)), 201)


def create_location(ctx: CheckContext, kind: Kind) -> None:
    """The created resource's URI SHALL be in the Location header and in meta.location."""
    response = create(ctx, kind.endpoint(ctx), kind.payload(ctx))
    expect_location(ctx, response, ctx.json(response))


def create_identity(ctx: CheckContext, kind: Kind) -> None:
    """Every representation includes a non-empty id and schemas holding the core URN."""
    expect_identity(ctx, kind.new(ctx), kind.schema)


def create_meta(ctx: CheckContext, kind: Kind) -> None:
    """meta values are right where present: resourceType names the kind, created and
    lastModified are DateTimes, lastModified not before created."""
    expect_meta(ctx, kind.new(ctx), kind.name)


def read_by_id(ctx: CheckContext, kind: Kind) -> None:
    """A created resource is retrievable at its location with the same id and name."""
    resource = kind.new(ctx)
    response = ctx.get(kind.url(ctx, resource))
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(body.get("id") == resource["id"], f"GET returned id {body.get('id')!r}")
    ctx.expect(
        body.get(kind.naming) == resource.get(kind.naming),
        f"GET returned {kind.naming} {body.get(kind.naming)!r}, created "
        f"{resource.get(kind.naming)!r}",
    )
    created_at = (resource.get("meta") or {}).get("location")
    read_at = (body.get("meta") or {}).get("location")
    ctx.expect(
        created_at is None or read_at == created_at,
        f"meta.location changed between POST ({created_at!r}) and GET ({read_at!r})",
    )


def replace_status(ctx: CheckContext, kind: Kind) -> None:
    """A successful PUT returns 200 OK and the entire resource in the body."""
    resource = kind.new(ctx)
    response = ctx.put(kind.url(ctx, resource), json=kind.replacement(ctx, resource))
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(body.get("id") == resource["id"], f"PUT returned id {body.get('id')!r}")
    ctx.expect(
        kind.schema in (body.get("schemas") or []),
        f"PUT response lacks the {kind.name} schema",
    )


def delete_status(ctx: CheckContext, kind: Kind) -> None:
    """A successful DELETE SHALL answer 204 (No Content)."""
    ctx.expect_status(ctx.delete(kind.url(ctx, kind.new(ctx))), 204)


def delete_gone(ctx: CheckContext, kind: Kind) -> None:
    """A deleted resource MUST answer 404 to GET, PUT, PATCH and DELETE."""
    resource = kind.new(ctx)
    url = kind.url(ctx, resource)
    response = ctx.delete(url)
    if response.status_code not in (200, 204):
        ctx.error(f"could not delete the {kind.name}: {describe(response)}")
    expect_gone(ctx, url, kind.replacement(ctx, resource))


@dataclass(frozen=True)
class Row:
    """One lifecycle behaviour: id suffix, title, RFC section, tags and the function judging it."""

    suffix: str
    title: str  # "{kind}" is replaced by User or Group
    rfc: str
    tags: frozenset[str]
    judge: Callable[[CheckContext, Kind], None]


ROWS = (
    Row(
        "create.status",
        "POST /{kinds} answers 201 Created",
        "RFC 7644 §3.3",
        frozenset({"create"}),
        create_status,
    ),
    Row(
        "create.location-header",
        "{kind} creation returns Location equal to meta.location",
        "RFC 7644 §3.3",
        frozenset({"create"}),
        create_location,
    ),
    Row(
        "create.identity",
        "A created {kind} has a server-assigned id and the core {kind} schema",
        "RFC 7643 §3, §3.1",
        frozenset({"create"}),
        create_identity,
    ),
    Row(
        "create.meta",
        "A created {kind}'s meta values are well-formed",
        "RFC 7643 §3.1",
        frozenset({"create", "meta"}),
        create_meta,
    ),
    Row(
        "read.by-id",
        "GET /{kinds}/{{id}} returns the created {kind}",
        "RFC 7644 §3.4.1",
        frozenset({"read"}),
        read_by_id,
    ),
    Row(
        "replace.status",
        "PUT /{kinds}/{{id}} answers 200 with the whole resource",
        "RFC 7644 §3.5.1",
        frozenset({"replace"}),
        replace_status,
    ),
    Row(
        "delete.status",
        "DELETE /{kinds}/{{id}} answers 204 No Content",
        "RFC 7644 §3.6",
        frozenset({"delete"}),
        delete_status,
    ),
    Row(
        "delete.gone",
        "After DELETE every operation on the {kind} answers 404",
        "RFC 7644 §3.6",
        frozenset({"delete"}),
        delete_gone,
    ),
)


def register_lifecycle_row(row: Row, kind: Kind) -> None:
    """Register ``<kind.area>.<row.suffix>``: the row's behaviour on one resource kind."""

    def run(ctx: CheckContext) -> None:
        row.judge(ctx, kind)

    check(
        f"{kind.area}.{row.suffix}",
        title=row.title.format(kind=kind.name, kinds=kind.area.title()),
        rfc=row.rfc,
        level="MUST",
        tags=row.tags,
        mutating=True,
        rule=(row.judge.__doc__ or "").replace("\n    ", " "),
    )(run)


for lifecycle_row in ROWS:
    for resource_kind in KINDS:
        register_lifecycle_row(lifecycle_row, resource_kind)
