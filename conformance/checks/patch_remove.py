"""PATCH remove (RFC 7644 §3.5.2.2), mutability, atomicity and the shape of the answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.checks._patching import (
    PATCH_RFC,
    REMOVE_RFC,
    applied,
    given_name,
    patch_resource,
    person,
    read_back,
    rejected,
)
from conformance.checks._scope import (
    Scope,
    operation,
    scim_type,
    text_attribute,
)
from conformance.context import body_of, describe
from conformance.registry import check

if TYPE_CHECKING:
    from conformance.context import CheckContext


# --- remove --------------------------------------------------------------------------------


@check(
    "patch.remove.single-valued",
    title="remove externalId unassigns it",
    rfc=REMOVE_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def remove_single_valued(ctx: CheckContext) -> None:
    """Removing a single-valued attribute removes it; it SHALL be considered unassigned."""
    scope = Scope(ctx, "p-remsv")
    user = scope.new_user("ant", externalId=f"{scope.token}-ext")
    if user.get("externalId") != f"{scope.token}-ext":
        ctx.error(f"the server did not keep the externalId given at creation: {user}")
    response = patch_resource(ctx, user, operation("remove", "externalId"))
    applied(ctx, response, "remove externalId")
    stored = read_back(ctx, user)
    ctx.expect(
        stored.get("externalId") in (None, ""),
        f"externalId is still {stored.get('externalId')!r}",
    )


@check(
    "patch.remove.no-path",
    title="remove without path fails with 400 noTarget",
    rfc=REMOVE_RFC,
    level="MUST",
    tags=("patch", "users", "errors"),
    needs="patch",
    mutating=True,
)
def remove_no_path(ctx: CheckContext) -> None:
    """If path is unspecified, remove fails with 400 and scimType noTarget."""
    _, user = person(ctx, "p-rem-nopath")
    rejected(ctx, patch_resource(ctx, user, operation("remove")), "remove without path", "noTarget")
    ctx.expect(read_back(ctx, user).get("userName") == user["userName"], "the user was altered")


@check(
    "patch.remove.required",
    title="removing the required userName fails with 400 mutability",
    rfc=REMOVE_RFC,
    level="MUST",
    tags=("patch", "users", "errors"),
    needs=("patch", "patch.remove.single-valued"),
    mutating=True,
)
def remove_required(ctx: CheckContext) -> None:
    """Removing a required attribute SHALL fail with scimType mutability; userName stays."""
    _, user = person(ctx, "p-rem-req")
    response = patch_resource(ctx, user, operation("remove", "userName"))
    stored = read_back(ctx, user)
    ctx.expect(
        stored.get("userName") == user["userName"],
        f"removing userName was applied (userName is now {stored.get('userName')!r})",
    )
    rejected(ctx, response, "remove userName", "mutability")


# --- mutability, atomicity, responses --------------------------------------------------------


@check(
    "patch.read-only",
    title="modifying a readOnly attribute fails with 400 mutability",
    rfc=PATCH_RFC,
    level="MUST",
    tags=("patch", "users", "errors", "claims"),
    needs="patch",
    mutating=True,
)
def read_only(ctx: CheckContext) -> None:
    """An operation incompatible with an attribute's mutability (meta.created is readOnly)
    SHALL return an error response (400, scimType mutability); the value stays."""
    _, user = person(ctx, "p-readonly")
    created = (user.get("meta") or {}).get("created")
    response = patch_resource(
        ctx, user, operation("replace", "meta.created", "2001-01-01T00:00:00Z")
    )
    stored = read_back(ctx, user)
    ctx.expect(
        (stored.get("meta") or {}).get("created") == created,
        f"replace meta.created was applied (now {(stored.get('meta') or {}).get('created')!r})",
    )
    ctx.require("patch", response)
    ctx.expect(
        response.status_code >= 400 and isinstance(body_of(response), dict),
        f"replace of the readOnly meta.created: {describe(response)}; expected an error "
        "status with a JSON error body",
    )
    if scim_type(response) not in (None, "mutability"):
        # §3.5.2 asks for "the appropriate" error; Table 9 names mutability for this case.
        ctx.info(
            f"replace of the readOnly meta.created: {describe(response)}; Table 9 names "
            "scimType 'mutability' for it (RFC 7644 §3.12)"
        )


@check(
    "patch.atomic",
    title="a PATCH with one invalid operation changes nothing",
    rfc=PATCH_RFC,
    level="MUST",
    tags=("patch", "users", "errors"),
    needs=("patch", "patch.remove.no-path"),
    mutating=True,
)
def atomic(ctx: CheckContext) -> None:
    """A PATCH request SHALL be atomic: if one operation fails, the resource is restored."""
    _, user = person(ctx, "p-atomic")
    response = patch_resource(
        ctx,
        user,
        operation("replace", "name.givenName", "Partial"),
        operation("remove"),  # no path: always invalid (noTarget)
    )
    ctx.require("patch", response)
    ctx.expect(
        response.status_code >= 400,
        f"a PATCH whose second operation has no path: {describe(response)}; expected a "
        "failure status",
    )
    stored = read_back(ctx, user)
    ctx.expect(
        given_name(stored) == "Ant",
        f"the first operation was applied although the request failed "
        f"(name.givenName is {given_name(stored)!r})",
    )


@check(
    "patch.response",
    title="a successful PATCH answers 200 with the resource or 204 without body",
    rfc=PATCH_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs=("patch", "patch.replace.pathless"),
    mutating=True,
)
def response_shape(ctx: CheckContext) -> None:
    """200 carries the entire updated resource; 204 carries no body; both are allowed."""
    scope, user = person(ctx, "p-resp")
    text, new_text = text_attribute(ctx), f"{scope.token} Response"
    response = patch_resource(ctx, user, operation("replace", text, new_text))
    applied(ctx, response, f"replace {text}")
    if response.status_code == 204:
        ctx.expect(not response.content, f"204 carried a body: {response.text[:120]!r}")
        return
    body = ctx.json(response)
    ctx.expect(body.get("id") == user["id"], f"the 200 body is not the resource: {body}")
    ctx.expect(
        body.get(text) == new_text and body.get("userName") == user["userName"],
        "the 200 body is not the entire updated resource "
        f"({text}={body.get(text)!r}, userName={body.get('userName')!r})",
    )


@check(
    "patch.response-attributes",
    title="PATCH with ?attributes= answers 200 with those attributes",
    rfc=PATCH_RFC,
    level="MUST",
    tags=("patch", "users", "attributes"),
    needs=("patch", "patch.replace.pathless"),
    mutating=True,
)
def response_with_attributes(ctx: CheckContext) -> None:
    """The server MUST return 200 OK (not 204) if the attributes parameter is specified."""
    scope, user = person(ctx, "p-respattr")
    response = patch_resource(
        ctx,
        user,
        operation("replace", text_attribute(ctx), f"{scope.token} Attrs"),
        params={"attributes": "userName"},
    )
    ctx.require("patch", response)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        body.get("id") == user["id"] and body.get("userName") == user["userName"],
        f"the 200 body lacks id/userName: {body}",
    )
    ctx.expect("emails" not in body, "attributes=userName still returned emails")
