"""Filter checks (RFC 7644 §3.4.2.2) beyond the operator table of filter_cases.py: DateTime and
Boolean comparisons, value paths, multi-valued attributes, Groups, no match, invalid filters.
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone
from typing import TYPE_CHECKING

from conformance import urns
from conformance.checks._filtering import FILTER_RFC, expect_selected, people
from conformance.checks._resources import parse_time
from conformance.checks._scope import Scope, resources_of, schema_attribute, scim_type
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    from conformance.context import CheckContext


@check(
    "query.filter.datetime",
    title="filter gt on a DateTime compares chronologically",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_datetime(ctx: CheckContext) -> None:
    """For DateTime attributes gt/lt are chronological comparisons, whatever the UTC offset.

    The operand is one hour before meta.created but written with a +10:00 offset, so a
    server comparing the strings (not the instants) wrongly excludes the user.
    """
    scope = people(ctx, "f-dt", ("ant",))
    created = parse_time((scope.users["ant"].get("meta") or {}).get("created"))
    if created is None:
        ctx.error("the created user has no parseable meta.created; cannot test DateTime filters")
    plus_ten = timezone(timedelta(hours=10))
    before = (created - timedelta(hours=1)).astimezone(plus_ten).isoformat(timespec="seconds")
    expect_selected(ctx, scope, f'meta.created gt "{before}"', {"ant"})
    after = (created + timedelta(days=1)).astimezone(UTC)
    after_text = after.strftime("%Y-%m-%dT%H:%M:%SZ")
    expect_selected(ctx, scope, f'meta.created gt "{after_text}"', set())


@check(
    "query.filter.boolean",
    title="filter eq on a Boolean matches by truth value",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_boolean(ctx: CheckContext) -> None:
    """eq false on a Boolean attribute (active) matches only the inactive user."""
    scope = people(ctx, "f-bool", ("ant", "bee"), extra={"bee": {"active": False}})
    if scope.users["bee"].get("active") is not False:
        ctx.skip("the server does not create inactive users (active=false was not kept)")
    expect_selected(ctx, scope, "active eq false", {"bee"})


@check(
    "query.filter.boolean-ordering-rejected",
    title="gt on a Boolean attribute is rejected with invalidFilter",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter", "errors"),
    needs="filter",
)
def filter_boolean_ordering(ctx: CheckContext) -> None:
    """gt/ge/lt/le on Boolean attributes SHALL fail with 400 and scimType invalidFilter."""
    if schema_attribute(ctx, urns.USER, "active") is None and ctx.schemas:
        ctx.skip("the server's User schema has no Boolean 'active' attribute")
    response = ctx.get(ctx.users_endpoint, params={"filter": "active gt true"})
    ctx.expect_status(response, 400)
    ctx.expect(
        scim_type(response) == "invalidFilter",
        f"'active gt true': {describe(response)}; expected scimType invalidFilter",
    )


# --- attribute paths ---------------------------------------------------------------------


def _two_mailboxes(scope_token: str, name: str, work_domain: str, home_domain: str) -> dict:
    return {
        "emails": [
            {"value": f"{name}.{scope_token}@{work_domain}", "type": "work", "primary": True},
            {"value": f"{name}.{scope_token}@{home_domain}", "type": "home"},
        ]
    }


@check(
    "query.filter.value-path",
    title='complex filter emails[type eq "work" and ...] applies to one value',
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_value_path(ctx: CheckContext) -> None:
    """Inside [ ] every expression MUST apply to the same value of the multi-valued attribute.

    ant has a work address at example.com and a home one at example.org; bee a work one at
    example.org. Only bee has a *work* address ending in example.org. Complex filters are
    optional (MAY): a 400 invalidFilter decline is a skip.
    """
    scope = Scope(ctx, "f-vpath")
    scope.new_user("ant", **_two_mailboxes(scope.token, "ant", "example.com", "example.org"))
    bee_work = {"value": f"bee.{scope.token}@example.org", "type": "work", "primary": True}
    scope.new_user("bee", emails=[bee_work])
    expect_selected(
        ctx,
        scope,
        'emails[type eq "work" and value ew "example.org"]',
        {"bee"},
        optional_feature="complex attribute filter grouping",
    )


@check(
    "query.filter.multi-valued",
    title="a filter on a multi-valued attribute matches if any value matches",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_multi_valued(ctx: CheckContext) -> None:
    """emails.value eq X matches a user if any of its e-mail values is X."""
    scope = Scope(ctx, "f-multi")
    ant = scope.new_user("ant", **_two_mailboxes(scope.token, "ant", "example.com", "example.org"))
    scope.new_user("bee", **_two_mailboxes(scope.token, "bee", "example.com", "example.org"))
    if len(ant.get("emails") or []) < 2:
        ctx.skip("the server kept one of the two e-mail addresses the check created")
    predicate = f'emails.value eq "ant.{scope.token}@example.org"'
    expect_selected(ctx, scope, predicate, {"ant"}, selective=True)


@check(
    "query.filter.groups-display-name",
    title="Groups can be filtered by displayName",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter", "groups"),
    needs="filter",
    mutating=True,
)
def filter_groups_display_name(ctx: CheckContext) -> None:
    """displayName eq on /Groups returns exactly the named group."""
    scope = Scope(ctx, "f-grp")
    scope.new_group("red")
    scope.new_group("blue")
    expect_selected(
        ctx,
        scope,
        f'displayName eq "{scope.display_name("blue")}"',
        {"blue"},
        kind="Group",
        selective=True,
    )


@check(
    "query.filter.no-match",
    title="a filter matching nothing returns 200 with totalResults 0",
    rfc="RFC 7644 §3.4.2",
    level="MUST",
    tags=("query", "filter"),
    needs="filter",
)
def filter_no_match(ctx: CheckContext) -> None:
    """A query that does not return any matches SHALL return 200 with totalResults 0."""
    nobody = f"{ctx.unique('nobody')}@example.com"
    response = ctx.get(ctx.users_endpoint, params={"filter": f'userName eq "{nobody}"'})
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        body.get("totalResults") == 0 and not resources_of(body),
        f"filter for a userName nobody has returned totalResults={body.get('totalResults')!r} "
        f"and {len(resources_of(body))} resources; expected 0 and none",
    )


# --- invalid filters -----------------------------------------------------------------------


@check(
    "query.filter.unknown-operator",
    title="an unknown filter operator is rejected with 400 invalidFilter",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter", "errors"),
    needs="filter",
)
def filter_unknown_operator(ctx: CheckContext) -> None:
    """Providers MUST decline an unrecognised operator with 400 and scimType invalidFilter."""
    response = ctx.get(ctx.users_endpoint, params={"filter": 'userName regex "a.*"'})
    ctx.expect_status(response, 400)
    ctx.expect(
        scim_type(response) == "invalidFilter",
        f"'userName regex ...': {describe(response)}; expected scimType invalidFilter",
    )


MALFORMED_FILTERS = ('userName eq "unterminated', '(userName eq "x"', 'userName eq "x" and', "eq")


@check(
    "query.filter.malformed",
    title="a syntactically invalid filter is rejected with 400 invalidFilter",
    rfc="RFC 7644 §3.4.2.2, §3.12",
    level="MUST",
    tags=("query", "filter", "errors"),
    needs="filter",
)
def filter_malformed(ctx: CheckContext) -> None:
    """Filters violating the ABNF get 400 with scimType invalidFilter, never 200 or 500."""
    for text in MALFORMED_FILTERS:
        response = ctx.get(ctx.users_endpoint, params={"filter": text})
        ctx.expect(
            response.status_code == 400,
            f"malformed filter {text!r}: {describe(response)}; expected 400",
        )
        ctx.expect(
            scim_type(response) in (None, "invalidFilter"),
            f"malformed filter {text!r}: {describe(response)}; "
            "expected scimType invalidFilter (Table 9)",
        )
