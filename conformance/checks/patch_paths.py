"""PATCH paths: URN-qualified names, extension attributes, and what IdPs send beyond the RFC."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance import urns
from conformance.checks._patching import (
    PATCH_RFC,
    applied,
    family_name,
    given_name,
    patch_resource,
    person,
    read_back,
)
from conformance.checks._scope import (
    operation,
    resource_type_extensions,
    text_attribute,
)
from conformance.registry import check

if TYPE_CHECKING:
    from conformance.context import CheckContext


# --- fully qualified paths -------------------------------------------------------------------


@check(
    "patch.path.urn-qualified",
    title="a path with the core schema URN targets the same attribute",
    rfc="RFC 7644 §3.5.2, §3.10",
    level="MUST",
    tags=("patch", "users"),
    needs=("patch", "patch.replace.pathless"),
    mutating=True,
)
def path_urn_qualified(ctx: CheckContext) -> None:
    """PATH = attrPath, which may carry the schema URN (urn:...:core:2.0:User:displayName).

    A server MAY leave displayName out; then another declared free-text attribute is used.
    """
    scope, user = person(ctx, "p-urn")
    text, new_text = text_attribute(ctx), f"{scope.token} Urn"
    path = f"{urns.USER}:{text}"
    applied(ctx, patch_resource(ctx, user, operation("replace", path, new_text)), f"replace {path}")
    stored = read_back(ctx, user)
    ctx.expect(stored.get(text) == new_text, f"{text} is {stored.get(text)!r}, not {new_text!r}")


@check(
    "patch.path.extension",
    title="add with an enterprise-extension URN path sets it and its schema",
    rfc="RFC 7644 §3.5.2; RFC 7643 §4.3",
    level="MUST",
    tags=("patch", "users", "extension"),
    needs="patch",
    mutating=True,
)
def path_extension(ctx: CheckContext) -> None:
    """Adding urn:...:enterprise:2.0:User:department sets it and adds the URN to schemas."""
    if urns.ENTERPRISE_USER not in resource_type_extensions(ctx, ctx.users_endpoint):
        ctx.skip("the User resource type declares no enterprise extension")
    scope, user = person(ctx, "p-ext")
    department = f"{scope.token}-dept"
    path = f"{urns.ENTERPRISE_USER}:department"
    applied(ctx, patch_resource(ctx, user, operation("add", path, department)), f"add {path}")
    stored = read_back(ctx, user)
    extension = stored.get(urns.ENTERPRISE_USER) or {}
    ctx.expect(
        extension.get("department") == department,
        f"the enterprise extension holds {extension!r}; expected department {department!r}",
    )
    ctx.expect(
        urns.ENTERPRISE_USER in (stored.get("schemas") or []),
        f"schemas {stored.get('schemas')!r} lacks the extension URN after adding to it",
    )


@check(
    "patch.pathless.extension-key",
    title="path-less replace with an extension URN key updates the extension",
    rfc="RFC 7644 §3.5.2.3; RFC 7643 §3.3",
    level="MUST",
    tags=("patch", "users", "extension"),
    needs="patch",
    mutating=True,
)
def pathless_extension_key(ctx: CheckContext) -> None:
    """Without path, value may hold the extension as a URN-keyed complex attribute."""
    if urns.ENTERPRISE_USER not in resource_type_extensions(ctx, ctx.users_endpoint):
        ctx.skip("the User resource type declares no enterprise extension")
    scope, user = person(ctx, "p-extkey")
    department = f"{scope.token}-dept2"
    value = {urns.ENTERPRISE_USER: {"department": department}}
    applied(ctx, patch_resource(ctx, user, operation("replace", value=value)), "path-less replace")
    extension = read_back(ctx, user).get(urns.ENTERPRISE_USER) or {}
    ctx.expect(
        extension.get("department") == department,
        f"the enterprise extension holds {extension!r}; expected department {department!r}",
    )


# --- interoperability (beyond the RFC) ---------------------------------------------------------


@check(
    "patch.op-case-insensitive",
    title='capitalised op names ("Replace", "Add") are accepted',
    rfc=PATCH_RFC,
    level="MAY",
    tags=("patch", "users", "interop", "entra"),
    needs="patch",
    mutating=True,
)
def op_case_insensitive(ctx: CheckContext) -> None:
    """The RFC lists "add", "remove", "replace"; Entra ID sends "Replace"/"Add"/"Remove".

    §3.5.2 does not make op values case-insensitive, so accepting them is an interop MAY.
    """
    scope, user = person(ctx, "p-opcase", active=True)
    response = patch_resource(ctx, user, operation("Replace", "active", False))
    applied(ctx, response, 'op "Replace"')
    ctx.expect(
        read_back(ctx, user).get("active") is False, '"Replace" active=false was not applied'
    )
    response = patch_resource(
        ctx, user, operation("Add", text_attribute(ctx), f"{scope.token} Cap")
    )
    applied(ctx, response, 'op "Add"')


@check(
    "patch.pathless.dotted-keys",
    title="path-less replace with dotted keys (name.givenName) is understood",
    rfc=PATCH_RFC,
    level="MAY",
    tags=("patch", "users", "interop", "entra"),
    needs="patch",
    mutating=True,
)
def pathless_dotted_keys(ctx: CheckContext) -> None:
    """Entra ID sends {"op":"replace","value":{"name.givenName":"x"}}; not RFC syntax, a MAY."""
    scope, user = person(ctx, "p-dotted")
    response = patch_resource(ctx, user, operation("replace", value={"name.givenName": "Dotted"}))
    applied(ctx, response, "path-less replace with key name.givenName")
    stored = read_back(ctx, user)
    ctx.expect(
        given_name(stored) == "Dotted",
        f"name.givenName is {given_name(stored)!r} after a dotted-key replace",
    )
    ctx.expect(
        family_name(stored) == f"{scope.token}-family",
        "a dotted-key replace of name.givenName dropped name.familyName",
    )
