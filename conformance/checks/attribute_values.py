"""Values as the data model defines them (RFC 7643 §2.3.8, §2.4, §3; RFC 7644 §3.5.2).

Order never matters, "primary" is true at most once after every write method, a value removed
or never set is unassigned, and PATCH replace on an absent attribute adds it.
"""

from __future__ import annotations

import base64
from typing import Any

from conformance import urns
from conformance.checks._patching import (
    applied,
    patch_resource,
    person,
    read_back,
    unless_declined,
)
from conformance.checks._scope import Scope, emails_of, operation, schema_attribute
from conformance.checks.common_attributes import views
from conformance.context import CheckContext, body_of, describe
from conformance.registry import check


@check(
    "values.attribute-order",
    title="The order of attributes in a request body does not matter",
    rfc="RFC 7643 §2.3.8",
    level="MUST",
    tags={"create", "users"},
    mutating=True,
)
def attribute_order(ctx: CheckContext) -> None:
    """A User whose keys come in reverse order ("schemas" last, sub-attributes reversed too)
    is created like any other and shows the values sent."""
    payload = ctx.user_payload()
    reverse = {
        key: (dict(reversed(value.items())) if isinstance(value, dict) else value)
        for key, value in reversed(payload.items())
    }
    response = ctx.post(ctx.users_endpoint, json=reverse)
    ctx.expect(
        response.status_code == 201,
        f"a User with its attributes in reverse order: {describe(response)}; expected 201",
    )
    created = ctx.json(response)
    ctx.expect(
        str(created.get("userName", "")).lower() == payload["userName"].lower(),
        f"userName came back {created.get('userName')!r}, sent {payload['userName']!r}",
    )


@check(
    "values.schemas-order",
    title="The order of the schemas URNs does not matter",
    rfc="RFC 7643 §3",
    level="MUST",
    tags={"create", "users"},
    mutating=True,
)
def schemas_order(ctx: CheckContext) -> None:
    """A User whose "schemas" lists an extension before the core URN is created and keeps
    the extension's values."""
    extension = next(
        (
            str(entry.get("schema"))
            for rt in ctx.resource_types
            if rt.get("schema") == urns.USER
            for entry in rt.get("schemaExtensions") or []
            if isinstance(entry, dict) and entry.get("schema")
        ),
        None,
    )
    if extension is None:
        ctx.skip("the User ResourceType declares no schema extension to list first")
    payload = ctx.user_payload()
    values = payload.get(extension) if isinstance(payload.get(extension), dict) else {}
    if not values:
        attribute = "department" if extension == urns.ENTERPRISE_USER else None
        if attribute is None:
            ctx.skip(f"no value to send for {extension}")
        values = {attribute: ctx.unique("department")}
    payload[extension] = values
    others = [s for s in payload.get("schemas") or [urns.USER] if s != extension]
    payload["schemas"] = [extension, *others]
    response = ctx.post(ctx.users_endpoint, json=payload)
    ctx.expect(
        response.status_code == 201,
        f"schemas {payload['schemas']}: {describe(response)}; expected 201",
    )
    stored = read_back(ctx, ctx.json(response))
    kept = stored.get(extension) if isinstance(stored.get(extension), dict) else {}
    lost = {k: v for k, v in values.items() if kept.get(k) != v}
    ctx.expect(not lost, f"with the extension listed first, {extension} lost {lost}")


def _primaries(resource: dict[str, Any]) -> int:
    """How many e-mails are primary."""
    return sum(1 for email in emails_of(resource) if email.get("primary") is True)


@check(
    "values.primary-once",
    title='"primary" is true for at most one value after POST, PUT and PATCH',
    rfc="RFC 7643 §2.4; RFC 7644 §3.5.2",
    level="MUST",
    tags={"create", "replace", "patch", "users"},
    mutating=True,
)
def primary_once(ctx: CheckContext) -> None:
    """A User with two e-mails, the first primary; a PUT making the second primary; a PATCH
    adding a third primary one: every view has at most one primary e-mail."""
    scope = Scope(ctx, "primary")
    first, second, third = (scope.user_name(n) for n in ("one", "two", "three"))
    emails = [
        {"value": first, "type": "work", "primary": True},
        {"value": second, "type": "home"},
    ]
    user = scope.new_user("multi", emails=emails)
    wrong = [f"POST: {_primaries(user)} primary e-mails"] if _primaries(user) > 1 else []
    replacement = {k: v for k, v in user.items() if k not in ("id", "meta")}
    replacement["emails"] = [{**emails[0], "primary": False}, {**emails[1], "primary": True}]
    put = ctx.put(f"{ctx.users_endpoint}/{user['id']}", json=replacement)
    ctx.expect_status(put, 200)
    if ctx.can("patch"):
        added = {"value": third, "type": "other", "primary": True}
        response = patch_resource(ctx, user, operation("add", "emails", [added]))
        if response.status_code != 501:  # a declined PATCH is patch.add.*'s finding, not this one's
            applied(ctx, response, "add a primary e-mail")
    for label, shown in [("PUT", body_of(put) or {}), *views(ctx, "User", user)]:
        if _primaries(shown) > 1:
            wrong.append(f"{label}: {_primaries(shown)} primary e-mails {emails_of(shown)}")
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "values.removed-multi-valued-unassigned",
    title="Removing the last value of a multi-valued attribute leaves it unassigned",
    rfc="RFC 7644 §3.5.2.2",
    level="MUST",
    tags={"patch", "users"},
    needs="patch",
    mutating=True,
)
def removed_multi_valued_unassigned(ctx: CheckContext) -> None:
    """PATCH remove of a User's only e-mail (by value filter) leaves "emails" absent, null
    or empty: no record of it remains."""
    _, user = person(ctx, "rm-last")
    email = emails_of(user)[0]["value"] if emails_of(user) else None
    if email is None:
        ctx.error(f"the created User kept no e-mail: {user}")
    response = patch_resource(ctx, user, operation("remove", f'emails[value eq "{email}"]'))
    unless_declined(ctx, response, "remove the only e-mail by a value filter")
    applied(ctx, response, "remove the only e-mail")
    left = [(label, shown.get("emails")) for label, shown in views(ctx, "User", user)]
    wrong = [f"{label} shows emails={value!r}" for label, value in left if value not in (None, [])]
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "values.removed-sub-attribute-unassigned",
    title="Removing a sub-attribute leaves it unassigned",
    rfc="RFC 7644 §3.5.2.2",
    level="MUST",
    tags={"patch", "users"},
    needs="patch",
    mutating=True,
)
def removed_sub_attribute_unassigned(ctx: CheckContext) -> None:
    """PATCH remove of name.middleName and name.honorificPrefix leaves both absent (or null)
    while name's other sub-attributes stay."""
    _, user = person(ctx, "rm-sub")
    name = {**(user.get("name") or {}), "middleName": "Middle", "honorificPrefix": "Dr."}
    replacement = {k: v for k, v in user.items() if k not in ("id", "meta")}
    replacement["name"] = name
    ctx.expect_status(ctx.put(f"{ctx.users_endpoint}/{user['id']}", json=replacement), 200)
    kept = read_back(ctx, user).get("name") or {}
    if not (kept.get("middleName") and kept.get("honorificPrefix")):
        ctx.skip(f"the server keeps no name.middleName/honorificPrefix to remove (name={kept})")
    response = patch_resource(
        ctx,
        user,
        operation("remove", "name.middleName"),
        operation("remove", "name.honorificPrefix"),
    )
    applied(ctx, response, "remove name.middleName and name.honorificPrefix")
    stored = read_back(ctx, user).get("name") or {}
    wrong = [
        f"name.{key}={stored[key]!r}"
        for key in ("middleName", "honorificPrefix")
        if stored.get(key) is not None
    ]
    ctx.expect(not wrong, "removed sub-attributes still have values: " + "; ".join(wrong))
    ctx.expect(
        stored.get("familyName") == name.get("familyName"),
        f"name.familyName changed to {stored.get('familyName')!r}",
    )


@check(
    "values.replace-absent-adds",
    title="PATCH replace of an absent attribute adds it",
    rfc="RFC 7644 §3.5.2.3",
    level="MUST",
    tags={"patch", "users"},
    needs="patch",
    mutating=True,
)
def replace_absent_adds(ctx: CheckContext) -> None:
    """replace with a path to a top-level attribute and to a sub-attribute, both unassigned
    (e.g. nickName and name.middleName), sets them."""
    scope, user = person(ctx, "rep-absent")
    targets = {path: f"{scope.token}-{path.replace('.', '-')}" for path in _absent_paths(ctx, user)}
    if not targets:
        ctx.skip("/Schemas declares none of nickName, title, name.middleName as writable")
    operations = [operation("replace", path, value) for path, value in targets.items()]
    response = patch_resource(ctx, user, *operations)
    unless_declined(ctx, response, f"replace absent {sorted(targets)}")
    applied(ctx, response, f"replace absent {sorted(targets)}")
    stored = read_back(ctx, user)
    wrong = {
        path: _at(stored, path) for path, value in targets.items() if _at(stored, path) != value
    }
    ctx.expect(not wrong, f"replace on absent attributes did not add them: {wrong}")


def _absent_paths(ctx: CheckContext, user: dict[str, Any]) -> list[str]:
    """Up to one top-level and one name sub-attribute path, declared writable, unset on user."""
    paths = []
    for name in ("nickName", "title"):
        declared = schema_attribute(ctx, urns.USER, name)
        if declared and declared.get("mutability", "readWrite") == "readWrite" and name not in user:
            paths.append(name)
            break
    declared_name = schema_attribute(ctx, urns.USER, "name") or {}
    subs = {str(sub.get("name")) for sub in declared_name.get("subAttributes") or []}
    if "middleName" in subs and not (user.get("name") or {}).get("middleName"):
        paths.append("name.middleName")
    return paths


def _at(resource: dict[str, Any], path: str) -> Any:
    """The value at a simple path ("nickName", "name.middleName")."""
    head, _, tail = path.partition(".")
    value = resource.get(head)
    return (value or {}).get(tail) if tail else value


# A DER SEQUENCE header and 64 bytes: base64 of it is what a client sends (RFC 7643 §2.3.6).
CERTIFICATE = bytes.fromhex("3082010a") + bytes(range(64))


@check(
    "values.binary-base64",
    title="Binary values (x509Certificates) are base64 in every view",
    rfc="RFC 7643 §2.3.6, §4.1.2",
    level="MUST",
    tags={"create", "read", "search", "users"},
    mutating=True,
)
def binary_base64(ctx: CheckContext) -> None:
    """A User created with one certificate shows it, in every view, as base64 (RFC 4648 §4)
    decoding to the bytes sent."""
    if schema_attribute(ctx, urns.USER, "x509Certificates") is None:
        ctx.skip("/Schemas declares no User.x509Certificates")
    sent = base64.b64encode(CERTIFICATE).decode("ascii")
    user = ctx.new_user(x509Certificates=[{"value": sent}])
    wrong = []
    for label, shown in [("POST", user), *views(ctx, "User", user)]:
        for entry in shown.get("x509Certificates") or []:
            value = entry.get("value") if isinstance(entry, dict) else entry
            try:
                decoded = base64.b64decode(str(value), validate=True)
            except ValueError:
                wrong.append(f"{label}: {str(value)[:40]!r}... is not base64")
                continue
            if decoded != CERTIFICATE:
                wrong.append(f"{label}: the base64 value decodes to other bytes than sent")
    ctx.expect(not wrong, "; ".join(wrong))
