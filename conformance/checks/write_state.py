"""What writes leave behind (RFC 7643 §2.5; RFC 7644 §3.4.2.2, §3.5.1, §3.5.2).

A value set to null or [] is unassigned in every view; re-adding a value already held leaves
the modify timestamp alone; a PATCH that changes "schemas" governs the operations after it; a
value the server defaults is the one filters compare; an immutable attribute without a value
takes the first one written. Each check creates its own User and judges only it.
"""

from __future__ import annotations

from typing import Any

from conformance import urns
from conformance.checks._patching import (
    ADD_RFC,
    PATCH_RFC,
    applied,
    patch_resource,
    person,
    read_back,
    unless_declined,
)
from conformance.checks._resources import create
from conformance.checks._scope import (
    emails_of,
    operation,
    resource_type_extensions,
    resources_of,
    schema_attribute,
    schema_attributes,
    text_attribute,
)
from conformance.checks.common_attributes import views
from conformance.context import CheckContext, body_of, describe
from conformance.registry import check

# Keys a client never sends back in a PUT: server-assigned or computed.
SERVER_KEYS = ("id", "meta", "groups", "password")
SIMPLE_TYPES = ("string", "boolean", "integer")


def _writable(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource as a PUT body: everything but what the server assigns."""
    return {k: v for k, v in resource.items() if k not in SERVER_KEYS}


def _in_filter(ctx: CheckContext, user: dict[str, Any], clause: str) -> bool | None:
    """Whether `userName eq <user> and <clause>` lists the user (None: the server declined)."""
    query = f'userName eq "{user["userName"]}" and {clause}'
    response = ctx.get(ctx.users_endpoint, params={"filter": query})
    if response.status_code != 200:
        return None
    return any(r.get("id") == user["id"] for r in resources_of(body_of(response)))


def _literal(value: Any) -> str:
    """A filter literal (RFC 7644 §3.4.2.2) for a JSON string, boolean or number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


@check(
    "values.null-unassigned",
    title="PUT with null and [] leaves the attributes unassigned in every view",
    rfc="RFC 7643 §2.5",
    level="MUST",
    tags={"replace", "users", "read", "search"},
    mutating=True,
)
def null_unassigned(ctx: CheckContext) -> None:
    """A User replaced with a text attribute null and emails [] shows neither in the PUT
    answer, GET, a filtered list or /.search, and "pr" on them no longer matches it. Only
    values the server stored as sent are judged (one it derives, such as a displayName made
    from name, is not the client's to unassign)."""
    single = text_attribute(ctx)
    sent = ctx.unique("was")
    _scope, user = person(ctx, "null", **{single: sent})
    before = read_back(ctx, user)
    judged = [
        key
        for key, kept in ((single, before.get(single) == sent), ("emails", emails_of(before)))
        if kept
    ]
    if not judged:
        ctx.skip(f"the server kept neither {single} as sent nor an e-mail to unassign")
    body = {**_writable(before), **{key: [] if key == "emails" else None for key in judged}}
    response = ctx.put(f"{ctx.users_endpoint}/{user['id']}", json=body)
    if not 200 <= response.status_code < 300:
        ctx.skip(f"PUT with {judged} null or [] was not accepted: {describe(response)}")
    shown = [("PUT", ctx.json(response))] if response.status_code == 200 else []
    wrong = [
        f"{label} still shows {key}={resource[key]!r}"
        for label, resource in [*shown, *views(ctx, "User", user)]
        for key in judged
        if resource.get(key) not in (None, [])
    ]
    if ctx.can("filter"):
        wrong += [
            f'filter "{key} pr" still matches the User'
            for key in judged
            if _in_filter(ctx, user, f"{key} pr")
        ]
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "patch.add.present-value-keeps-timestamp",
    title="PATCH add of values already present leaves meta.lastModified unchanged",
    rfc=ADD_RFC,
    level="MUST",
    tags={"patch", "users"},
    needs="patch",
    mutating=True,
)
def present_value_keeps_timestamp(ctx: CheckContext) -> None:
    """Re-adding a User's e-mails exactly as the server shows them, in a PATCH with no other
    operation, leaves meta.lastModified what it was (whatever else the server did)."""
    _scope, user = person(ctx, "readd")
    before = read_back(ctx, user)
    stamp = (before.get("meta") or {}).get("lastModified")
    if not stamp or not emails_of(before):
        ctx.skip("the User shows no meta.lastModified or no e-mails to add again")
    response = patch_resource(ctx, user, operation("add", "emails", emails_of(before)))
    unless_declined(ctx, response, "add of e-mails already present")
    applied(ctx, response, "add of e-mails already present")
    after = read_back(ctx, user)
    now = (after.get("meta") or {}).get("lastModified")
    changed = _writable(after) != _writable(before)
    ctx.expect(
        now == stamp,
        f"meta.lastModified went from {stamp!r} to {now!r}"
        + (f" (and the e-mails became {emails_of(after)})" if changed else ""),
    )


@check(
    "patch.schemas-then-extension",
    title="A PATCH op after one adding an extension URN to schemas sees it added",
    rfc=PATCH_RFC,
    level="MUST",
    tags={"patch", "users"},
    needs="patch",
    mutating=True,
)
def schemas_then_extension(ctx: CheckContext) -> None:
    """Adding the enterprise URN to "schemas" and then an enterprise value, in one PATCH,
    succeeds whenever each operation succeeds on its own."""
    if urns.ENTERPRISE_USER not in resource_type_extensions(ctx, ctx.users_endpoint):
        ctx.skip("the User ResourceType does not declare the enterprise extension")
    if not schema_attribute(ctx, urns.ENTERPRISE_USER, "employeeNumber"):
        ctx.skip("/Schemas lists no enterprise employeeNumber")
    _scope, user = person(ctx, "schemas")
    if urns.ENTERPRISE_USER in (user.get("schemas") or []):
        ctx.skip("the created User already holds the enterprise extension")
    number = ctx.unique("emp")
    first = operation("add", "schemas", [urns.ENTERPRISE_USER])
    second = operation("add", f"{urns.ENTERPRISE_USER}:employeeNumber", number)
    both = patch_resource(ctx, user, first, second)
    unless_declined(ctx, both, "schemas then an enterprise value")
    if both.status_code >= 400:
        alone = patch_resource(ctx, user, first)
        if alone.status_code >= 300:
            ctx.skip(f"the server does not let PATCH change schemas: {describe(alone)}")
        then = patch_resource(ctx, user, second)
        if then.status_code >= 300:
            ctx.skip(f"the server refuses that enterprise value anyway: {describe(then)}")
        ctx.fail(
            f"each operation succeeds alone, but together the second was refused: {describe(both)}"
        )
    applied(ctx, both, "schemas then an enterprise value")
    stored = read_back(ctx, user)
    extension = stored.get(urns.ENTERPRISE_USER) or {}
    ctx.expect(
        urns.ENTERPRISE_USER in (stored.get("schemas") or [])
        and extension.get("employeeNumber") == number,
        f"after the PATCH, schemas={stored.get('schemas')} and the enterprise values are "
        f"{extension}; expected employeeNumber {number!r}",
    )


def _defaulted(ctx: CheckContext, sent: dict[str, Any], shown: dict[str, Any]) -> dict[str, Any]:
    """Simple readWrite User attributes the server shows though the client never sent them."""
    found = {}
    for declared in schema_attributes(ctx, urns.USER):
        name = str(declared.get("name", ""))
        value = shown.get(name)
        if (
            name in sent
            or value is None
            or declared.get("multiValued")
            or declared.get("type") not in SIMPLE_TYPES
            or declared.get("mutability", "readWrite") != "readWrite"
        ):
            continue
        found[name] = value
    return found


@check(
    "query.filter.defaulted-value",
    title="eq and pr filters use the value the server defaulted",
    rfc="RFC 7644 §3.4.2.2",
    level="MUST",
    tags={"query", "filter", "users"},
    needs="filter",
    mutating=True,
)
def defaulted_value(ctx: CheckContext) -> None:
    """A User created without an attribute the server then shows (a default such as
    active=true) matches "<attribute> eq <shown value>" and "<attribute> pr" wherever a User
    created with that value explicitly matches them (else the filter itself is at fault)."""
    payload = ctx.user_payload(active=None)
    user = ctx.json(create(ctx, ctx.users_endpoint, payload))
    defaults = _defaulted(ctx, payload, read_back(ctx, user))
    if not defaults:
        ctx.skip("the server defaults no attribute the User was created without")
    control = ctx.new_user(**defaults)
    wrong, tried = [], 0
    for name, value in defaults.items():
        for clause in (f"{name} eq {_literal(value)}", f"{name} pr"):
            if not _in_filter(ctx, control, clause):
                continue  # declined, or not matching even a value sent: the filter's own fault
            tried += 1
            if not _in_filter(ctx, user, clause):
                wrong.append(f'filter "{clause}" (the value shown) does not match the User')
    if not tried:
        ctx.skip("no filter on the defaulted attributes matches even a User given the value")
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "replace.immutable-first-value",
    title="PUT applies a first value to an immutable attribute that had none",
    rfc="RFC 7644 §3.5.1",
    level="MUST",
    tags={"replace", "users"},
    mutating=True,
)
def immutable_first_value(ctx: CheckContext) -> None:
    """For a simple, optional User attribute /Schemas declares immutable, a PUT giving it a
    value where there was none applies the value."""
    candidates = [
        str(a.get("name"))
        for a in schema_attributes(ctx, urns.USER)
        if a.get("mutability") == "immutable"
        and a.get("type") == "string"
        and not a.get("multiValued")
        and not a.get("required")
        and not a.get("canonicalValues")
    ]
    if not candidates:
        ctx.skip("/Schemas declares no optional, single-valued immutable string attribute")
    name = candidates[0]
    user = ctx.new_user(**{name: None})
    current = read_back(ctx, user)
    if current.get(name) is not None:
        ctx.skip(f"the server gave {name} a value of its own")
    value = ctx.unique("first")
    response = ctx.put(
        f"{ctx.users_endpoint}/{user['id']}", json={**_writable(current), name: value}
    )
    ctx.expect(
        200 <= response.status_code < 300,
        f"PUT setting immutable {name} with no existing value: {describe(response)}",
    )
    shown = read_back(ctx, user).get(name)
    ctx.expect(shown == value, f"after the PUT, {name} is {shown!r}; expected {value!r}")
