"""PATCH add and replace (RFC 7644 §3.5.2.1, §3.5.2.3).

Each check patches only users and groups it created, then reads the resource back: the
verdict rests on what the server stored, not only on the status code it answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.checks._patching import (
    ADD_RFC,
    REPLACE_RFC,
    applied,
    family_name,
    given_name,
    patch_resource,
    person,
    read_back,
    rejected,
)
from conformance.checks._scope import (
    Scope,
    emails_of,
    operation,
    text_attribute,
)
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    from conformance.context import CheckContext


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
    scope, user = person(ctx, "p-sub")
    response = patch_resource(ctx, user, operation("replace", "name.givenName", "Renamed"))
    applied(ctx, response, "replace name.givenName")
    stored = read_back(ctx, user)
    ctx.expect(given_name(stored) == "Renamed", f"name.givenName is {given_name(stored)!r}")
    ctx.expect(
        family_name(stored) == f"{scope.token}-family",
        f"replacing name.givenName changed name.familyName to {family_name(stored)!r}",
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
    scope, user = person(ctx, "p-merge")
    response = patch_resource(ctx, user, operation("replace", "name", {"givenName": "Merged"}))
    applied(ctx, response, "replace name with only givenName")
    stored = read_back(ctx, user)
    ctx.expect(given_name(stored) == "Merged", f"name.givenName is {given_name(stored)!r}")
    ctx.expect(
        family_name(stored) == f"{scope.token}-family",
        f"replace name {{givenName}} dropped or changed familyName ({family_name(stored)!r})",
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
    _, user = person(ctx, "p-active", active=True)
    response = patch_resource(ctx, user, operation("replace", "active", False))
    applied(ctx, response, "replace active=false")
    stored = read_back(ctx, user)
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
    kept = {e.get("type") for e in emails_of(user)}
    if not {"work", "home"} <= kept:
        ctx.skip(f"the server kept e-mail types {sorted(map(str, kept))} of work and home")
    new_work = f"new.{scope.token}@example.com"
    response = patch_resource(
        ctx, user, operation("replace", 'emails[type eq "work"].value', new_work)
    )
    applied(ctx, response, 'replace emails[type eq "work"].value')
    values = {e.get("type"): e.get("value") for e in emails_of(read_back(ctx, user))}
    ctx.expect(values.get("work") == new_work, f"work e-mail is {values.get('work')!r}")
    ctx.expect(values.get("home") == home, f"the home e-mail changed to {values.get('home')!r}")


@check(
    "patch.replace.value-filter-no-match",
    title="replace with a value filter matching nothing fails with noTarget",
    rfc=REPLACE_RFC,
    level="MUST",
    tags=("patch", "users", "errors"),
    needs=("patch", "patch.replace.value-filter"),
    mutating=True,
)
def replace_value_filter_no_match(ctx: CheckContext) -> None:
    """A valuePath that matches no record SHALL fail with 400 and scimType noTarget."""
    scope, user = person(ctx, "p-notarget")
    path = f'emails[value eq "nobody.{scope.token}@example.com"].value'
    response = patch_resource(ctx, user, operation("replace", path, f"x.{scope.token}@example.com"))
    if response.status_code == 501:
        # Not Implemented: the server declines valuePath replaces altogether (RFC 7644 §3.12).
        ctx.skip(f"replace on a valuePath is not implemented: {describe(response)}")
    rejected(ctx, response, "replace on a valuePath matching nothing", "noTarget")


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
    scope, user = person(ctx, "p-nopath")
    text, new_text = text_attribute(ctx), f"{scope.token} Renamed"
    response = patch_resource(ctx, user, operation("replace", value={text: new_text}))
    applied(ctx, response, f"path-less replace of {text}")
    stored = read_back(ctx, user)
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
    scope, user = person(ctx, "p-addsv", **{text: f"{ctx.prefix} Before"})
    new_text = f"{scope.token} Added"
    response = patch_resource(ctx, user, operation("add", text, new_text))
    applied(ctx, response, f"add {text}")
    stored = read_back(ctx, user)
    ctx.expect(stored.get(text) == new_text, f"{text} is {stored.get(text)!r}, not {new_text!r}")


@check(
    "patch.add.emails-appends",
    title="add to emails appends a value and keeps the existing one",
    rfc=ADD_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs=("patch", "patch.add.single-valued"),
    mutating=True,
)
def add_emails_appends(ctx: CheckContext) -> None:
    """If the target is a multi-valued attribute, add adds a new value to it."""
    scope, user = person(ctx, "p-addmv")
    home = f"home.{scope.token}@example.org"
    response = patch_resource(
        ctx, user, operation("add", "emails", [{"value": home, "type": "home"}])
    )
    applied(ctx, response, "add emails")
    values = {e.get("value") for e in emails_of(read_back(ctx, user))}
    ctx.expect(home in values, f"the added e-mail is missing: {sorted(values)}")
    ctx.expect(
        scope.user_name("ant") in values,
        f"add emails replaced the existing address instead of appending: {sorted(values)}",
    )


@check(
    "patch.add.existing-member",
    title="adding a member already present succeeds without a duplicate",
    rfc=ADD_RFC,
    level="SHOULD",
    tags=("patch", "groups"),
    needs=("patch", "groups.create.members", "patch.add.single-valued"),
    mutating=True,
)
def add_existing_member(ctx: CheckContext) -> None:
    """If the target already contains the value, no change SHOULD be made and success returned."""
    scope = Scope(ctx, "p-addsame")
    first = scope.new_user("ant")
    group = scope.new_group("team", members=[first["id"]])
    response = patch_resource(
        ctx, group, operation("add", "members", [{"value": first["id"]}]), kind="Group"
    )
    applied(ctx, response, "add an existing member")
    stored = read_back(ctx, group, "Group")
    values = [m.get("value") for m in stored.get("members") or []]
    ctx.expect(values == [first["id"]], f"members after re-adding ant: {values}")


@check(
    "patch.add.pathless",
    title="add without path adds the attributes in value (multi-valued appended)",
    rfc=ADD_RFC,
    level="MUST",
    tags=("patch", "users"),
    needs=("patch", "patch.add.single-valued"),
    mutating=True,
)
def add_pathless(ctx: CheckContext) -> None:
    """Without path, value holds attributes to add: emails get a new value appended."""
    scope, user = person(ctx, "p-addnopath")
    home = f"home.{scope.token}@example.org"
    response = patch_resource(
        ctx, user, operation("add", value={"emails": [{"value": home, "type": "home"}]})
    )
    applied(ctx, response, "path-less add of emails")
    values = {e.get("value") for e in emails_of(read_back(ctx, user))}
    ctx.expect(
        home in values and scope.user_name("ant") in values,
        f"after a path-less add the e-mails are {sorted(values)}; expected both addresses",
    )
