"""Schema-claim checks: what /Schemas and /ServiceProviderConfig declare is what the server does.

RFC 7643 §2.2 attribute characteristics (caseExact, uniqueness, mutability, returned) and
§5 ServiceProviderConfig limits are promises to clients. These checks read the server's own
declarations and test them on resources the check creates. Attributes a check cannot set
safely (formatted values such as locale, canonical values, references) are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conformance import urns
from conformance.checks._scope import (
    Scope,
    member_ids,
    resources_of,
    schema_attribute,
    schema_attributes,
    scim_type,
    spc_value,
)
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    from conformance.context import CheckContext

CHARACTERISTICS_RFC = "RFC 7643 §2.2"
# Free-text User attributes a check may fill with any string (userName keeps an e-mail shape).
FREE_TEXT = ("userName", "displayName", "nickName", "title", "userType", "externalId")
# Attributes whose values have a format or are handled by other checks.
NOT_GENERIC = frozenset(
    {"username", "id", "externalid", "password", "locale", "timezone", "preferredlanguage"}
)
# RFC 7643 §3.1: externalId is caseExact even where /Schemas does not list common attributes.
RFC_DEFAULT_CASE_EXACT = {"externalId": True}
# Users whose count a check may create to exercise filter.maxResults.
MAX_RESULTS_EXERCISED = 20


def _declared(ctx: CheckContext, name: str) -> dict | None:
    """The User schema's declaration of `name`, or the RFC default for externalId."""
    declared = schema_attribute(ctx, urns.USER, name)
    if declared is None and name in RFC_DEFAULT_CASE_EXACT:
        return {"name": name, "type": "string", "caseExact": RFC_DEFAULT_CASE_EXACT[name]}
    return declared


def _mixed_case(scope: Scope, name: str) -> str:
    """A value with upper and lower case letters, unique to the scope."""
    if name == "userName":
        return scope.user_name("MiXed")
    return f"{scope.token}-{name}-MiXed"


def _case_user(ctx: CheckContext, label: str) -> tuple[Scope, dict, dict[str, dict]]:
    """A user with every free-text attribute the User schema declares, in mixed case."""
    scope = Scope(ctx, label)
    attributes = {
        name: declared
        for name in FREE_TEXT
        if (declared := _declared(ctx, name)) and declared.get("type", "string") == "string"
    }
    values = {name: _mixed_case(scope, name) for name in attributes}
    user = scope.new_user("mixed", **values)
    return scope, user, attributes


def _generic_strings(ctx: CheckContext, schema_id: str, **wanted: Any) -> list[dict]:
    """Singular top-level string attributes of a schema with the wanted characteristics."""
    found = []
    for attribute in schema_attributes(ctx, schema_id):
        if (
            attribute.get("type") == "string"
            and not attribute.get("multiValued")
            and not attribute.get("canonicalValues")
            and str(attribute.get("name", "")).lower() not in NOT_GENERIC
            and all(attribute.get(key) == value for key, value in wanted.items())
        ):
            found.append(attribute)
    return found


@check(
    "claims.case-exact.filter",
    title="eq filters follow each attribute's declared caseExact",
    rfc="RFC 7644 §3.4.2.2; RFC 7643 §2.2",
    level="MUST",
    tags=("claims", "filter", "query"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def case_exact_filter(ctx: CheckContext) -> None:
    """String comparisons SHALL use the attribute's caseExact: a differently cased eq operand
    matches a caseExact=false attribute and does not match a caseExact=true one."""
    scope, user, attributes = _case_user(ctx, "cl-case")
    scope.new_user("plain")  # a decoy: a filter clause the server ignores would return it too
    tested: list[str] = []
    declined: list[str] = []
    unfiltered: list[str] = []
    for name, declared in attributes.items():
        stored = user.get(name)
        if not isinstance(stored, str) or stored.swapcase() == stored:
            continue  # the server did not keep a cased value for this attribute
        exact = declared.get("caseExact") is True
        # Every value holds the scope token, so an eq on it may be sent on its own.
        same = scope.select(f'{name} eq "{stored}"', selective=True)
        other = scope.select(f'{name} eq "{stored.swapcase()}"', selective=True)
        if same.declined is not None or other.declined is not None:
            declined.append(f"{name} ({describe(same.declined or other.declined)})")
            continue
        if same.matched != {"mixed"}:
            # The filter misses the stored value or ignores the clause: a filtering fault (the
            # filter checks report it), which says nothing about case.
            found = ", ".join(sorted(same.matched)) or "nothing"
            unfiltered.append(f"{name} eq its stored value {stored!r} found {found}")
            continue
        ctx.expect(
            (other.matched == set()) if exact else (other.matched == {"mixed"}),
            f"{name} is declared caseExact={exact}, yet {name} eq {stored.swapcase()!r} "
            f"{'matched' if other.matched else 'did not match'} {stored!r}",
        )
        tested.append(name)
    if not tested:
        reason = f"; filtering was declined on {', '.join(declined)}" if declined else ""
        reason += f"; {'; '.join(unfiltered)}" if unfiltered else ""
        ctx.skip(f"the server kept no mixed-case free-text attribute to compare{reason}")


@check(
    "claims.case-exact.preserve",
    title="caseExact attributes keep the case the client sent",
    rfc=CHARACTERISTICS_RFC,
    level="MUST",
    tags=("claims", "users"),
    mutating=True,
)
def case_exact_preserve(ctx: CheckContext) -> None:
    """For attributes that are case exact, the server SHALL preserve case for any value."""
    scope, user, attributes = _case_user(ctx, "cl-preserve")
    exact = [name for name, declared in attributes.items() if declared.get("caseExact") is True]
    if not exact:
        ctx.skip("no free-text User attribute is declared caseExact")
    stored = ctx.json(ctx.get(f"{ctx.users_endpoint}/{user['id']}"))
    altered = {
        name: stored.get(name)
        for name in exact
        if stored.get(name) is not None and stored.get(name) != _mixed_case(scope, name)
    }
    ctx.expect(not altered, f"caseExact attributes came back altered: {altered}")


@check(
    "claims.uniqueness.case-insensitive",
    title="userName uniqueness ignores case when userName is not caseExact",
    rfc="RFC 7643 §2.2, §4.1.1; RFC 7644 §3.3",
    level="SHOULD",
    tags=("claims", "users", "uniqueness"),
    mutating=True,
)
def uniqueness_case_insensitive(ctx: CheckContext) -> None:
    """A userName differing only in case is the same case-insensitive value: 409 uniqueness."""
    declared = _declared(ctx, "userName") or {}
    if declared.get("caseExact") is True:
        ctx.skip("userName is declared caseExact, so other-case values are distinct")
    if declared and declared.get("uniqueness", "server") == "none":
        ctx.skip("userName is declared with uniqueness none")
    scope = Scope(ctx, "cl-uniq")
    user = scope.new_user("ant")
    duplicate = ctx.user_payload(userName=str(user["userName"]).upper())
    response = ctx.post(ctx.users_endpoint, json=duplicate)
    ctx.expect(
        response.status_code == 409 and scim_type(response) == "uniqueness",
        f"creating {duplicate['userName']!r} beside {user['userName']!r}: "
        f"{describe(response)}; expected 409 uniqueness",
    )


@check(
    "claims.uniqueness.declared",
    title="other attributes declared unique are enforced with 409",
    rfc="RFC 7643 §2.2; RFC 7644 §3.3",
    level="MUST",
    tags=("claims", "users", "uniqueness"),
    mutating=True,
)
def uniqueness_declared(ctx: CheckContext) -> None:
    """A creation conflicting on a uniqueness=server/global attribute MUST answer 409."""
    unique = [
        a
        for a in _generic_strings(ctx, urns.USER)
        if a.get("uniqueness") in ("server", "global") and a.get("mutability") != "readOnly"
    ]
    if not unique:
        ctx.skip("no free-text User attribute besides userName is declared unique")
    scope = Scope(ctx, "cl-uniqd")
    for attribute in unique:
        name = attribute["name"]
        value = f"{scope.token}-{name}"
        scope.new_user(f"first-{name.lower()}", **{name: value})
        duplicate = ctx.user_payload(userName=scope.user_name(f"second-{name.lower()}"))
        duplicate[name] = value
        response = ctx.post(ctx.users_endpoint, json=duplicate)
        ctx.expect(
            response.status_code == 409 and scim_type(response) == "uniqueness",
            f"a second user with {name}={value!r} (declared uniqueness "
            f"{attribute.get('uniqueness')}): {describe(response)}; expected 409 uniqueness",
        )


@check(
    "claims.read-only.groups",
    title="the readOnly User.groups sent on creation is not applied",
    rfc="RFC 7644 §3.3; RFC 7643 §4.1.2",
    level="MUST",
    tags=("claims", "users", "groups", "mutability"),
    mutating=True,
)
def read_only_groups(ctx: CheckContext) -> None:
    """readOnly attributes in a POST body SHALL be ignored: groups does not add membership."""
    declared = schema_attribute(ctx, urns.USER, "groups")
    if declared is None or declared.get("mutability") != "readOnly":
        ctx.skip("the User schema does not declare a readOnly groups attribute")
    scope = Scope(ctx, "cl-rogrp")
    group = scope.new_group("team")
    payload = ctx.user_payload(
        userName=scope.user_name("ant"), groups=[{"value": group["id"], "type": "direct"}]
    )
    response = ctx.post(ctx.users_endpoint, json=payload)
    if response.status_code == 400:
        return  # refusing readOnly input outright also leaves it unapplied
    ctx.expect_status(response, 201)
    user = ctx.json(response)
    read = ctx.get(f"{ctx.groups_endpoint}/{group['id']}")
    ctx.expect_status(read, 200)
    ctx.expect(
        user.get("id") not in member_ids(ctx.json(read)),
        "the user sent with groups=[team] became a member of team",
    )


@check(
    "claims.immutable.declared",
    title="attributes declared immutable cannot be changed by PUT",
    rfc="RFC 7643 §2.2; RFC 7644 §3.5.1",
    level="MUST",
    tags=("claims", "users", "mutability"),
    mutating=True,
)
def immutable_declared(ctx: CheckContext) -> None:
    """An immutable value SHALL NOT be updated; PUT with another value SHOULD get 400 mutability."""
    immutable = _generic_strings(ctx, urns.USER, mutability="immutable")
    if not immutable:
        ctx.skip("the User schema declares no free-text immutable attribute")
    scope = Scope(ctx, "cl-immut")
    values = {a["name"]: f"{scope.token}-{a['name']}-1" for a in immutable}
    user = scope.new_user("ant", **values)
    replacement = ctx.user_payload(
        userName=user["userName"], **{n: v[:-1] + "2" for n, v in values.items()}
    )
    url = f"{ctx.users_endpoint}/{user['id']}"
    response = ctx.put(url, json=replacement)
    stored = ctx.json(ctx.get(url))
    changed = sorted(n for n, v in values.items() if stored.get(n) not in (v, None))
    ctx.expect(not changed, f"PUT changed the immutable attributes {changed}")
    if response.status_code != 400 or scim_type(response) != "mutability":
        ctx.warn(
            f"PUT changing immutable {sorted(values)}: {describe(response)}; "
            "RFC 7644 §3.5.1 says 400 with scimType mutability SHOULD be returned"
        )


@check(
    "claims.returned.always",
    title="attributes declared returned=always survive attributes/excludedAttributes",
    rfc="RFC 7643 §2.2; RFC 7644 §3.9",
    level="MUST",
    tags=("claims", "users", "attributes"),
    mutating=True,
)
def returned_always(ctx: CheckContext) -> None:
    """returned=always attributes are in every response, even when excluded or not asked for."""
    always = [
        a["name"]
        for a in schema_attributes(ctx, urns.USER)
        if a.get("returned") == "always" and a.get("name")
    ]
    if not always:
        ctx.skip("the User schema declares no returned=always attribute")
    scope = Scope(ctx, "cl-always")
    user = scope.new_user("ant")
    present = [name for name in always if name in user]
    if not present:
        ctx.skip(f"none of the returned=always attributes {always} is set on a new user")
    url = f"{ctx.users_endpoint}/{user['id']}"
    for params in ({"excludedAttributes": ",".join(present)}, {"attributes": "id"}):
        response = ctx.get(url, params=params)
        ctx.expect_status(response, 200)
        missing = [name for name in present if name not in ctx.json(response)]
        ctx.expect(not missing, f"GET with {params} dropped returned=always {missing}")


@check(
    "claims.returned.request",
    title="attributes declared returned=request appear only when asked for",
    rfc="RFC 7643 §2.2; RFC 7644 §3.9",
    level="MUST",
    tags=("claims", "users", "attributes"),
    mutating=True,
)
def returned_request(ctx: CheckContext) -> None:
    """returned=request attributes are absent by default and present in attributes=<name>."""
    on_request = _generic_strings(ctx, urns.USER, returned="request")
    on_request = [a for a in on_request if a.get("mutability") in (None, "readWrite", "immutable")]
    if not on_request:
        ctx.skip("the User schema declares no free-text returned=request attribute")
    scope = Scope(ctx, "cl-request")
    names = [a["name"] for a in on_request]
    user = scope.new_user("ant", **{n: f"{scope.token}-{n}" for n in names})
    url = f"{ctx.users_endpoint}/{user['id']}"
    default = ctx.json(ctx.get(url))
    shown = [n for n in names if n in default]
    ctx.expect(not shown, f"returned=request attributes {shown} are in a default GET")
    asked = ctx.json(ctx.get(url, params={"attributes": ",".join(names)}))
    absent = [n for n in names if n not in asked]
    ctx.expect(not absent, f"returned=request attributes {absent} missing when asked for")


@check(
    "claims.filter.max-results",
    title="a count above filter.maxResults returns at most maxResults",
    rfc="RFC 7643 §5; RFC 7644 §3.4.2.4",
    level="MUST",
    tags=("claims", "query", "paging"),
    needs="filter",
    mutating=True,
)
def filter_max_results(ctx: CheckContext) -> None:
    """filter.maxResults is the most resources a response holds; asking for more gets no more
    (or 400 tooMany)."""
    limit = spc_value(ctx, "filter", "maxResults")
    if not isinstance(limit, int) or limit < 1:
        ctx.fail(f"ServiceProviderConfig filter.maxResults is {limit!r}; it is REQUIRED")
    params: dict[str, Any] = {"count": limit + 1}
    if limit <= MAX_RESULTS_EXERCISED:
        scope = Scope(ctx, "cl-max")
        for index in range(limit + 1):
            scope.new_user(f"m{index}")
        params["filter"] = scope.every_or_skip(purpose="exercising maxResults")
    response = ctx.get(ctx.users_endpoint, params=params)
    if response.status_code == 400 and scim_type(response) == "tooMany":
        return
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    page = resources_of(body)
    if "filter" not in params and (body.get("totalResults") or 0) <= limit:
        ctx.skip(
            f"only {body.get('totalResults')} users exist and maxResults={limit} is too large "
            "to create more: the limit cannot be exercised"
        )
    ctx.expect(len(page) <= limit, f"count={limit + 1} returned {len(page)} > maxResults={limit}")
