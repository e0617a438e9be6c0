"""PATCH checks (RFC 7644 §3.5.2): add, replace and remove, paths, atomicity, responses.

Each check patches only users and groups it created, then reads the resource back: the
verdict rests on what the server stored, not only on the status code it answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conformance import urns
from conformance.checks._scope import (
    Scope,
    emails_of,
    member_ids,
    operation,
    patch_body,
    resource_type_extensions,
    scim_type,
    text_attribute,
)
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    import requests

    from conformance.context import CheckContext

PATCH_RFC = "RFC 7644 §3.5.2"
ADD_RFC = "RFC 7644 §3.5.2.1"
REMOVE_RFC = "RFC 7644 §3.5.2.2"
REPLACE_RFC = "RFC 7644 §3.5.2.3"


def _patch(
    ctx: CheckContext,
    resource: dict,
    *operations: dict,
    kind: str = "User",
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    """Send a PatchOp with the operations to a resource this check created."""
    endpoint = ctx.users_endpoint if kind == "User" else ctx.groups_endpoint
    return ctx.patch(
        f"{endpoint}/{resource['id']}",
        json=patch_body(*operations),
        params=params,
        headers=headers,
    )


def _applied(ctx: CheckContext, response: requests.Response, what: str) -> None:
    """A successful PATCH answers 200 (with the resource) or 204 (RFC 7644 §3.5.2)."""
    ctx.require("patch", response)
    ctx.expect(
        response.status_code in (200, 204),
        f"{what}: {describe(response)}; a successful PATCH answers 200 or 204",
    )


def _read(ctx: CheckContext, resource: dict, kind: str = "User") -> dict:
    """GET the resource back as the server stored it."""
    endpoint = ctx.users_endpoint if kind == "User" else ctx.groups_endpoint
    response = ctx.get(f"{endpoint}/{resource['id']}")
    ctx.expect_status(response, 200)
    return ctx.json(response)


def _rejected(
    ctx: CheckContext, response: requests.Response, what: str, expected_type: str
) -> None:
    """The PATCH must fail with 400 and the given scimType."""
    ctx.require("patch", response)
    ctx.expect(
        response.status_code == 400,
        f"{what}: {describe(response)}; expected 400 with scimType {expected_type!r}",
    )
    ctx.expect(
        scim_type(response) == expected_type,
        f"{what}: {describe(response)}; expected scimType {expected_type!r}",
    )


def _person(ctx: CheckContext, label: str, **attributes: Any) -> tuple[Scope, dict]:
    scope = Scope(ctx, label)
    defaults: dict[str, Any] = {
        "name": {"givenName": "Ant", "familyName": f"{scope.token}-family"},
        "emails": [{"value": scope.user_name("ant"), "type": "work", "primary": True}],
    }
    return scope, scope.new_user("ant", **{**defaults, **attributes})


def _family_name(resource: dict) -> Any:
    return (resource.get("name") or {}).get("familyName")


def _given_name(resource: dict) -> Any:
    return (resource.get("name") or {}).get("givenName")


# --- replace -------------------------------------------------------------------------------


@check(
    "patch.replace.sub-attribute",
    title="replace name.givenName changes only that sub-attribute",
    rfc=REPLACE_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def replace_sub_attribute(ctx: CheckContext) -> None:
    """replace with a sub-attribute path replaces that value and leaves its siblings alone."""
    scope, user = _person(ctx, "p-sub")
    response = _patch(ctx, user, operation("replace", "name.givenName", "Renamed"))
    _applied(ctx, response, "replace name.givenName")
    stored = _read(ctx, user)
    ctx.expect(_given_name(stored) == "Renamed", f"name.givenName is {_given_name(stored)!r}")
    ctx.expect(
        _family_name(stored) == f"{scope.token}-family",
        f"replacing name.givenName changed name.familyName to {_family_name(stored)!r}",
    )


@check(
    "patch.replace.complex-merge",
    title="replace of a complex attribute keeps unspecified sub-attributes",
    rfc=REPLACE_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def replace_complex_merge(ctx: CheckContext) -> None:
    """Sub-attributes not specified in the value of a complex replace are left unchanged."""
    scope, user = _person(ctx, "p-merge")
    response = _patch(ctx, user, operation("replace", "name", {"givenName": "Merged"}))
    _applied(ctx, response, "replace name with only givenName")
    stored = _read(ctx, user)
    ctx.expect(_given_name(stored) == "Merged", f"name.givenName is {_given_name(stored)!r}")
    ctx.expect(
        _family_name(stored) == f"{scope.token}-family",
        f"replace name {{givenName}} dropped or changed familyName ({_family_name(stored)!r})",
    )


@check(
    "patch.replace.active",
    title="replace active=false deactivates the user",
    rfc=REPLACE_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def replace_active(ctx: CheckContext) -> None:
    """replace on a single-valued attribute replaces its value (the IdP deprovisioning call)."""
    _, user = _person(ctx, "p-active", active=True)
    response = _patch(ctx, user, operation("replace", "active", False))
    _applied(ctx, response, "replace active=false")
    stored = _read(ctx, user)
    ctx.expect(stored.get("active") is False, f"active is {stored.get('active')!r}, not false")


@check(
    "patch.replace.value-filter",
    title='replace emails[type eq "work"].value changes only the work address',
    rfc=REPLACE_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def replace_value_filter(ctx: CheckContext) -> None:
    """With a valuePath and a sub-attribute, only the matching records' sub-attribute changes."""
    scope = Scope(ctx, "p-vfilter")
    work = f"work.{scope.token}@example.com"
    home = f"home.{scope.token}@example.org"
    user = scope.new_user(
        "ant",
        emails=[
            {"value": work, "type": "work", "primary": True},
            {"value": home, "type": "home"},
        ],
    )
    new_work = f"new.{scope.token}@example.com"
    response = _patch(ctx, user, operation("replace", 'emails[type eq "work"].value', new_work))
    _applied(ctx, response, 'replace emails[type eq "work"].value')
    values = {e.get("type"): e.get("value") for e in emails_of(_read(ctx, user))}
    ctx.expect(values.get("work") == new_work, f"work e-mail is {values.get('work')!r}")
    ctx.expect(values.get("home") == home, f"the home e-mail changed to {values.get('home')!r}")


@check(
    "patch.replace.value-filter-no-match",
    title="replace with a value filter matching nothing fails with noTarget",
    rfc=REPLACE_RFC,
    level="MUST",
    tags=("patch", "users", "errors"),
    needs="patch",
    mutating=True,
)
def replace_value_filter_no_match(ctx: CheckContext) -> None:
    """A valuePath that matches no record SHALL fail with 400 and scimType noTarget."""
    scope, user = _person(ctx, "p-notarget")
    path = f'emails[value eq "nobody.{scope.token}@example.com"].value'
    response = _patch(ctx, user, operation("replace", path, f"x.{scope.token}@example.com"))
    _rejected(ctx, response, "replace on a valuePath matching nothing", "noTarget")


@check(
    "patch.replace.members",
    title="replace members sets the whole member list",
    rfc=REPLACE_RFC,
    level="MUST",
    tags=("patch", "groups"),
    needs=("patch", "groups.create.members"),
    mutating=True,
)
def replace_members(ctx: CheckContext) -> None:
    """replace on a multi-valued attribute without filter replaces all its values."""
    scope = Scope(ctx, "p-repmem")
    first, second = scope.new_user("ant"), scope.new_user("bee")
    group = scope.new_group("team", members=[first["id"]])
    response = _patch(
        ctx, group, operation("replace", "members", [{"value": second["id"]}]), kind="Group"
    )
    _applied(ctx, response, "replace members")
    members = member_ids(_read(ctx, group, "Group"))
    ctx.expect(members == {second["id"]}, f"members are {sorted(members)}; expected only bee")


@check(
    "patch.replace.pathless",
    title="replace without path replaces the attributes named in value",
    rfc=REPLACE_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def replace_pathless(ctx: CheckContext) -> None:
    """Without path the target is the resource: each attribute in value is replaced."""
    scope, user = _person(ctx, "p-nopath")
    text, new_text = text_attribute(ctx), f"{scope.token} Renamed"
    response = _patch(ctx, user, operation("replace", value={text: new_text}))
    _applied(ctx, response, f"path-less replace of {text}")
    stored = _read(ctx, user)
    ctx.expect(
        stored.get(text) == new_text, f"{text} is {stored.get(text)!r}, expected {new_text!r}"
    )
    ctx.expect(stored.get("userName") == user.get("userName"), "userName changed as well")


# --- add -----------------------------------------------------------------------------------


@check(
    "patch.add.single-valued",
    title="add on a single-valued attribute replaces the existing value",
    rfc=ADD_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def add_single_valued(ctx: CheckContext) -> None:
    """If the target is a single-valued attribute, add replaces the existing value."""
    text = text_attribute(ctx)
    scope, user = _person(ctx, "p-addsv", **{text: f"{ctx.prefix} Before"})
    new_text = f"{scope.token} Added"
    response = _patch(ctx, user, operation("add", text, new_text))
    _applied(ctx, response, f"add {text}")
    stored = _read(ctx, user)
    ctx.expect(stored.get(text) == new_text, f"{text} is {stored.get(text)!r}, not {new_text!r}")


@check(
    "patch.add.emails-appends",
    title="add to emails appends a value and keeps the existing one",
    rfc=ADD_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def add_emails_appends(ctx: CheckContext) -> None:
    """If the target is a multi-valued attribute, add adds a new value to it."""
    scope, user = _person(ctx, "p-addmv")
    home = f"home.{scope.token}@example.org"
    response = _patch(ctx, user, operation("add", "emails", [{"value": home, "type": "home"}]))
    _applied(ctx, response, "add emails")
    values = {e.get("value") for e in emails_of(_read(ctx, user))}
    ctx.expect(home in values, f"the added e-mail is missing: {sorted(values)}")
    ctx.expect(
        scope.user_name("ant") in values,
        f"add emails replaced the existing address instead of appending: {sorted(values)}",
    )


@check(
    "patch.add.members-appends",
    title="add members appends to the group's members",
    rfc=ADD_RFC,
    level="MUST",
    tags=("patch", "groups"),
    needs=("patch", "groups.create.members"),
    mutating=True,
)
def add_members_appends(ctx: CheckContext) -> None:
    """add on members adds the new member and keeps the existing ones."""
    scope = Scope(ctx, "p-addmem")
    first, second = scope.new_user("ant"), scope.new_user("bee")
    group = scope.new_group("team", members=[first["id"]])
    response = _patch(
        ctx, group, operation("add", "members", [{"value": second["id"]}]), kind="Group"
    )
    _applied(ctx, response, "add members")
    members = member_ids(_read(ctx, group, "Group"))
    ctx.expect(
        members == {first["id"], second["id"]},
        f"members are {sorted(members)}; expected both ant and bee",
    )


@check(
    "patch.add.existing-member",
    title="adding a member already present succeeds without a duplicate",
    rfc=ADD_RFC,
    level="SHOULD",
    tags=("patch", "groups"),
    needs=("patch", "groups.create.members"),
    mutating=True,
)
def add_existing_member(ctx: CheckContext) -> None:
    """If the target already contains the value, no change SHOULD be made and success returned."""
    scope = Scope(ctx, "p-addsame")
    first = scope.new_user("ant")
    group = scope.new_group("team", members=[first["id"]])
    response = _patch(
        ctx, group, operation("add", "members", [{"value": first["id"]}]), kind="Group"
    )
    _applied(ctx, response, "add an existing member")
    stored = _read(ctx, group, "Group")
    values = [m.get("value") for m in stored.get("members") or []]
    ctx.expect(values == [first["id"]], f"members after re-adding ant: {values}")


@check(
    "patch.add.pathless",
    title="add without path adds the attributes in value (multi-valued appended)",
    rfc=ADD_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def add_pathless(ctx: CheckContext) -> None:
    """Without path, value holds attributes to add: emails get a new value appended."""
    scope, user = _person(ctx, "p-addnopath")
    home = f"home.{scope.token}@example.org"
    response = _patch(
        ctx, user, operation("add", value={"emails": [{"value": home, "type": "home"}]})
    )
    _applied(ctx, response, "path-less add of emails")
    values = {e.get("value") for e in emails_of(_read(ctx, user))}
    ctx.expect(
        home in values and scope.user_name("ant") in values,
        f"after a path-less add the e-mails are {sorted(values)}; expected both addresses",
    )


# --- remove --------------------------------------------------------------------------------


@check(
    "patch.remove.value-filter",
    title='remove members[value eq "id"] removes exactly that member',
    rfc=REMOVE_RFC,
    level="MUST",
    tags=("patch", "groups"),
    needs=("patch", "groups.create.members"),
    mutating=True,
)
def remove_value_filter(ctx: CheckContext) -> None:
    """A remove with a value filter removes the matching values and keeps the others."""
    scope = Scope(ctx, "p-remmem")
    first, second = scope.new_user("ant"), scope.new_user("bee")
    group = scope.new_group("team", members=[first["id"], second["id"]])
    path = f'members[value eq "{first["id"]}"]'
    response = _patch(ctx, group, operation("remove", path), kind="Group")
    _applied(ctx, response, f"remove {path}")
    members = member_ids(_read(ctx, group, "Group"))
    ctx.expect(members == {second["id"]}, f"members are {sorted(members)}; expected only bee")


@check(
    "patch.remove.all-members",
    title="remove members without filter empties the group",
    rfc=REMOVE_RFC,
    level="MUST",
    tags=("patch", "groups"),
    needs=("patch", "groups.create.members"),
    mutating=True,
)
def remove_all_members(ctx: CheckContext) -> None:
    """remove on a multi-valued attribute without filter removes all its values."""
    scope = Scope(ctx, "p-remall")
    first, second = scope.new_user("ant"), scope.new_user("bee")
    group = scope.new_group("team", members=[first["id"], second["id"]])
    response = _patch(ctx, group, operation("remove", "members"), kind="Group")
    _applied(ctx, response, "remove members")
    members = member_ids(_read(ctx, group, "Group"))
    ctx.expect(not members, f"members left after removing all: {sorted(members)}")


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
    response = _patch(ctx, user, operation("remove", "externalId"))
    _applied(ctx, response, "remove externalId")
    stored = _read(ctx, user)
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
    _, user = _person(ctx, "p-rem-nopath")
    _rejected(ctx, _patch(ctx, user, operation("remove")), "remove without path", "noTarget")
    ctx.expect(_read(ctx, user).get("userName") == user["userName"], "the user was altered")


@check(
    "patch.remove.required",
    title="removing the required userName fails with 400 mutability",
    rfc=REMOVE_RFC,
    level="MUST",
    tags=("patch", "users", "errors"),
    needs="patch",
    mutating=True,
)
def remove_required(ctx: CheckContext) -> None:
    """Removing a required attribute SHALL fail with scimType mutability; userName stays."""
    _, user = _person(ctx, "p-rem-req")
    response = _patch(ctx, user, operation("remove", "userName"))
    stored = _read(ctx, user)
    ctx.expect(
        stored.get("userName") == user["userName"],
        f"removing userName was applied (userName is now {stored.get('userName')!r})",
    )
    _rejected(ctx, response, "remove userName", "mutability")


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
    _, user = _person(ctx, "p-readonly")
    created = (user.get("meta") or {}).get("created")
    response = _patch(ctx, user, operation("replace", "meta.created", "2001-01-01T00:00:00Z"))
    stored = _read(ctx, user)
    ctx.expect(
        (stored.get("meta") or {}).get("created") == created,
        f"replace meta.created was applied (now {(stored.get('meta') or {}).get('created')!r})",
    )
    ctx.require("patch", response)
    ctx.expect(
        response.status_code == 400,
        f"replace of the readOnly meta.created: {describe(response)}; expected 400",
    )
    if scim_type(response) != "mutability":
        # §3.5.2 asks for "the appropriate" error; Table 9 names mutability for this case.
        ctx.warn(
            f"replace of the readOnly meta.created: {describe(response)}; "
            "scimType 'mutability' is the fitting code (RFC 7644 §3.12, Table 9)"
        )


@check(
    "patch.atomic",
    title="a PATCH with one invalid operation changes nothing",
    rfc=PATCH_RFC,
    level="MUST",
    tags=("patch", "users", "errors"),
    needs="patch",
    mutating=True,
)
def atomic(ctx: CheckContext) -> None:
    """A PATCH request SHALL be atomic: if one operation fails, the resource is restored."""
    _, user = _person(ctx, "p-atomic")
    response = _patch(
        ctx,
        user,
        operation("replace", "name.givenName", "Partial"),
        operation("remove"),  # no path: always invalid (noTarget)
    )
    ctx.require("patch", response)
    ctx.expect(
        400 <= response.status_code < 500,
        f"a PATCH whose second operation has no path: {describe(response)}; expected a 4xx",
    )
    stored = _read(ctx, user)
    ctx.expect(
        _given_name(stored) == "Ant",
        f"the first operation was applied although the request failed "
        f"(name.givenName is {_given_name(stored)!r})",
    )


@check(
    "patch.response",
    title="a successful PATCH answers 200 with the resource or 204 without body",
    rfc=PATCH_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def response_shape(ctx: CheckContext) -> None:
    """200 carries the entire updated resource; 204 carries no body; both are allowed."""
    scope, user = _person(ctx, "p-resp")
    text, new_text = text_attribute(ctx), f"{scope.token} Response"
    response = _patch(ctx, user, operation("replace", text, new_text))
    _applied(ctx, response, f"replace {text}")
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
    needs="patch",
    mutating=True,
)
def response_with_attributes(ctx: CheckContext) -> None:
    """The server MUST return 200 OK (not 204) if the attributes parameter is specified."""
    scope, user = _person(ctx, "p-respattr")
    response = _patch(
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


# --- fully qualified paths -------------------------------------------------------------------


@check(
    "patch.path.urn-qualified",
    title="a path with the core schema URN targets the same attribute",
    rfc="RFC 7644 §3.5.2, §3.10",
    level="MUST",
    tags=("patch", "users"),
    needs="patch",
    mutating=True,
)
def path_urn_qualified(ctx: CheckContext) -> None:
    """PATH = attrPath, which may carry the schema URN (urn:...:core:2.0:User:displayName).

    A server MAY leave displayName out; then another declared free-text attribute is used.
    """
    scope, user = _person(ctx, "p-urn")
    text, new_text = text_attribute(ctx), f"{scope.token} Urn"
    path = f"{urns.USER}:{text}"
    _applied(ctx, _patch(ctx, user, operation("replace", path, new_text)), f"replace {path}")
    stored = _read(ctx, user)
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
    scope, user = _person(ctx, "p-ext")
    department = f"{scope.token}-dept"
    path = f"{urns.ENTERPRISE_USER}:department"
    _applied(ctx, _patch(ctx, user, operation("add", path, department)), f"add {path}")
    stored = _read(ctx, user)
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
    scope, user = _person(ctx, "p-extkey")
    department = f"{scope.token}-dept2"
    value = {urns.ENTERPRISE_USER: {"department": department}}
    _applied(ctx, _patch(ctx, user, operation("replace", value=value)), "path-less replace")
    extension = _read(ctx, user).get(urns.ENTERPRISE_USER) or {}
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
    scope, user = _person(ctx, "p-opcase", active=True)
    response = _patch(ctx, user, operation("Replace", "active", False))
    _applied(ctx, response, 'op "Replace"')
    ctx.expect(_read(ctx, user).get("active") is False, '"Replace" active=false was not applied')
    response = _patch(ctx, user, operation("Add", text_attribute(ctx), f"{scope.token} Cap"))
    _applied(ctx, response, 'op "Add"')


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
    scope, user = _person(ctx, "p-dotted")
    response = _patch(ctx, user, operation("replace", value={"name.givenName": "Dotted"}))
    _applied(ctx, response, "path-less replace with key name.givenName")
    stored = _read(ctx, user)
    ctx.expect(
        _given_name(stored) == "Dotted",
        f"name.givenName is {_given_name(stored)!r} after a dotted-key replace",
    )
    ctx.expect(
        _family_name(stored) == f"{scope.token}-family",
        "a dotted-key replace of name.givenName dropped name.familyName",
    )
