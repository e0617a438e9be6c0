"""Users lifecycle (RFC 7644 §3.3-3.6, RFC 7643 §3.1 and §4.1): create, read, replace, delete."""

from __future__ import annotations

from conformance.checks._resources import (
    create,
    parse_time,
)
from conformance.checks._scope import text_attribute
from conformance.context import CheckContext
from conformance.registry import check

TEST_PASSWORD = "Sc1mproof!Passw0rd-x"  # a throwaway password, only ever sent to the target


def _new(ctx: CheckContext, **overrides: object) -> dict:
    """Create a User for the check and return its body (errors if it cannot)."""
    return ctx.new_user(**overrides)


@check(
    "users.create.schema-valid",
    title="A created User is valid against the RFC 7643 User schema",
    rfc="RFC 7643 §4.1",
    level="MUST",
    tags={"create", "schema"},
    mutating=True,
)
def create_schema_valid(ctx: CheckContext) -> None:
    """The returned User conforms to the attribute types and multi-valued shapes of §4.1."""
    ctx.expect_schema("User", _new(ctx))


@check(
    "users.create.echoes-input",
    title="A created User echoes the attributes the client sent",
    rfc="RFC 7644 §3.3",
    level="SHOULD",
    tags={"create"},
    mutating=True,
)
def create_echoes_input(ctx: CheckContext) -> None:
    """The 201 body SHOULD be the server's representation of what was created."""
    payload = ctx.user_payload()
    body = ctx.json(create(ctx, ctx.users_endpoint, payload))
    ctx.expect(
        str(body.get("userName", "")).lower() == payload["userName"].lower(),
        f"userName {body.get('userName')!r} != sent {payload['userName']!r}",
    )
    family = (body.get("name") or {}).get("familyName")
    ctx.expect(family == payload["name"]["familyName"], f"name.familyName came back {family!r}")


@check(
    "users.create.password-not-returned",
    title="The password is not in the creation response",
    rfc="RFC 7643 §4.1.1, §7",
    level="MUST",
    tags={"create", "password"},
    mutating=True,
)
def create_password_not_returned(ctx: CheckContext) -> None:
    """password has returned=never: it is never in a response, even right after it was set."""
    body = ctx.json(create(ctx, ctx.users_endpoint, ctx.user_payload(password=TEST_PASSWORD)))
    ctx.expect("password" not in body, "the 201 response contains 'password'")


@check(
    "users.read.password-not-returned",
    title="The password is never returned by GET, even when asked for",
    rfc="RFC 7643 §4.1.1, §7",
    level="MUST",
    tags={"read", "password"},
    mutating=True,
)
def read_password_not_returned(ctx: CheckContext) -> None:
    """returned=never holds for GET by id and for attributes=password."""
    user = _new(ctx, password=TEST_PASSWORD)
    url = f"{ctx.users_endpoint}/{user['id']}"
    for params in (None, {"attributes": "password"}):
        response = ctx.get(url, params=params)
        ctx.expect_status(response, 200)
        ctx.expect(
            "password" not in ctx.json(response),
            f"GET {url}{'?attributes=password' if params else ''} returned 'password'",
        )


@check(
    "users.replace.password-not-returned",
    title="The password is not in the PUT response",
    rfc="RFC 7643 §4.1.1, §7",
    level="MUST",
    tags={"replace", "password"},
    mutating=True,
)
def replace_password_not_returned(ctx: CheckContext) -> None:
    """Setting a password by PUT does not echo it back."""
    user = _new(ctx)
    replacement = ctx.user_payload(userName=user["userName"], password=TEST_PASSWORD)
    response = ctx.put(f"{ctx.users_endpoint}/{user['id']}", json=replacement)
    ctx.expect_status(response, 200)
    ctx.expect("password" not in ctx.json(response), "the PUT response contains 'password'")


@check(
    "users.create.readonly-ignored",
    title="Client-supplied id and meta are ignored on creation",
    rfc="RFC 7643 §3.1; RFC 7644 §3.3",
    level="MUST",
    tags={"create", "mutability"},
    mutating=True,
)
def create_readonly_ignored(ctx: CheckContext) -> None:
    """id is issued by the service provider and meta SHALL be ignored when a client sends it."""
    forged_id = ctx.unique("forged-id")
    payload = ctx.user_payload(
        id=forged_id,
        meta={
            "resourceType": "Group",
            "created": "2001-01-01T00:00:00Z",
            "lastModified": "2001-01-01T00:00:00Z",
        },
    )
    response = ctx.post(ctx.users_endpoint, json=payload)
    if response.status_code == 400:
        return  # refusing readOnly input outright is a lawful way of not applying it
    ctx.expect_status(response, 201)
    body = ctx.json(response)
    ctx.expect(body.get("id") != forged_id, "the server kept the client-supplied id")
    meta = body.get("meta") or {}
    ctx.expect(meta.get("resourceType") != "Group", "the server kept meta.resourceType 'Group'")
    ctx.expect(
        not str(meta.get("created", "")).startswith("2001-01-01"),
        "the server kept the client-supplied meta.created",
    )


@check(
    "users.create.uniqueness",
    title="A duplicate userName is refused with 409 and scimType uniqueness",
    rfc="RFC 7644 §3.3, §3.12",
    level="MUST",
    tags={"create", "errors", "uniqueness"},
    mutating=True,
)
def create_uniqueness(ctx: CheckContext) -> None:
    """A creation conflicting with an existing userName MUST answer 409 'uniqueness'."""
    user = _new(ctx)
    duplicate = ctx.user_payload(userName=user["userName"])
    response = ctx.post(ctx.users_endpoint, json=duplicate)
    ctx.expect_status(response, 409)
    body = ctx.json(response)
    ctx.expect(
        body.get("scimType") == "uniqueness",
        f"409 must carry scimType 'uniqueness', got {body.get('scimType')!r}",
    )
    ctx.expect(
        body.get("status") == "409",
        f"error status must be the string '409', got {body.get('status')!r}",
    )


@check(
    "users.read.not-found",
    title="GET of an unknown User id answers 404",
    rfc="RFC 7644 §3.12",
    level="MUST",
    tags={"read", "errors"},
)
def read_not_found(ctx: CheckContext) -> None:
    """A resource that does not exist is reported as 404 Not Found."""
    response = ctx.get(f"{ctx.users_endpoint}/{ctx.unique('missing')}")
    ctx.expect_status(response, 404)


@check(
    "users.list.list-response",
    title="GET /Users answers a valid ListResponse",
    rfc="RFC 7644 §3.4.2",
    level="MUST",
    tags={"read", "list"},
)
def list_response(ctx: CheckContext) -> None:
    """Querying a resource endpoint returns a ListResponse with totalResults and Resources."""
    response = ctx.get(ctx.users_endpoint, params={"count": 5})
    ctx.expect_status(response, 200)
    ctx.expect_schema("ListResponse", ctx.json(response))


@check(
    "users.replace.applied",
    title="PUT replaces attribute values, as a following GET shows",
    rfc="RFC 7644 §3.5.1",
    level="MUST",
    tags={"replace"},
    mutating=True,
)
def replace_applied(ctx: CheckContext) -> None:
    """readWrite values provided in a PUT SHALL replace the existing values."""
    user = _new(ctx)
    family = ctx.unique("family")
    text = text_attribute(ctx)
    replacement = ctx.user_payload(
        userName=user["userName"],
        name={"givenName": "Replaced", "familyName": family},
        **{text: f"{ctx.prefix} Replaced"},
    )
    url = f"{ctx.users_endpoint}/{user['id']}"
    ctx.expect_status(ctx.put(url, json=replacement), 200)
    response = ctx.get(url)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        (body.get("name") or {}).get("familyName") == family,
        f"name.familyName is {(body.get('name') or {}).get('familyName')!r} after PUT",
    )
    ctx.expect(
        body.get(text) == f"{ctx.prefix} Replaced",
        f"{text} is {body.get(text)!r} after PUT",
    )


@check(
    "users.replace.readonly-ignored",
    title="PUT ignores a client-supplied meta.created and keeps the id",
    rfc="RFC 7644 §3.5.1",
    level="MUST",
    tags={"replace", "mutability"},
    mutating=True,
)
def replace_readonly_ignored(ctx: CheckContext) -> None:
    """readOnly values provided in a PUT SHALL be ignored."""
    user = _new(ctx)
    created = (user.get("meta") or {}).get("created")
    replacement = ctx.user_payload(
        userName=user["userName"], meta={"created": "2001-01-01T00:00:00Z"}
    )
    url = f"{ctx.users_endpoint}/{user['id']}"
    response = ctx.put(url, json=replacement)
    if response.status_code == 400:
        return  # refusing the readOnly value is also not applying it
    ctx.expect_status(response, 200)
    body = ctx.json(ctx.get(url))
    now_created = (body.get("meta") or {}).get("created")
    ctx.expect(
        not str(now_created).startswith("2001-01-01"),
        f"meta.created became {now_created!r} (was {created!r})",
    )
    ctx.expect(body.get("id") == user["id"], f"the id changed to {body.get('id')!r}")


@check(
    "users.replace.meta-updated",
    title="PUT keeps meta.created and moves meta.lastModified forward",
    rfc="RFC 7643 §3.1",
    level="SHOULD",
    tags={"replace", "meta"},
    mutating=True,
)
def replace_meta_updated(ctx: CheckContext) -> None:
    """lastModified is the most recent update time; created never changes."""
    user = _new(ctx)
    meta = user.get("meta") or {}
    replacement = ctx.user_payload(userName=user["userName"], displayName=ctx.unique("renamed"))
    response = ctx.put(f"{ctx.users_endpoint}/{user['id']}", json=replacement)
    ctx.expect_status(response, 200)
    after = ctx.json(response).get("meta") or {}
    ctx.expect(
        after.get("created") == meta.get("created"),
        f"meta.created changed from {meta.get('created')!r} to {after.get('created')!r}",
    )
    before_time, after_time = (
        parse_time(meta.get("lastModified")),
        parse_time(after.get("lastModified")),
    )
    ctx.expect(
        before_time is not None and after_time is not None,
        "meta.lastModified missing or not a dateTime",
    )
    ctx.expect(after_time >= before_time, "meta.lastModified went backwards after PUT")
