"""Query checks (RFC 7644 §3.4.2): filtering, sorting, pagination and attribute projection.

Every filter check creates its own users inside a `Scope` and asks for
`userName sw "<scope>-" and (<predicate>)`, so it proves both that the matching users are
returned and that the others are excluded: a server that ignores `filter` fails.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from conformance import urns
from conformance.checks._scope import (
    Scope,
    list_all,
    resources_of,
    schema_attribute,
    scim_type,
)
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    from conformance.context import CheckContext

FILTER_RFC = "RFC 7644 §3.4.2.2"
PAGING_RFC = "RFC 7644 §3.4.2.4"
SORT_RFC = "RFC 7644 §3.4.2.3"
ATTRIBUTES_RFC = "RFC 7644 §3.4.2.5, §3.9"
DECLINE_NOTE = (
    "RFC 7644 §3.4.2.2 lets a provider decline a filter it does not support with "
    "400 invalidFilter; identity providers that send it will not work"
)


def _people(
    ctx: CheckContext,
    label: str,
    names: tuple[str, ...] = ("ant", "bee", "cat"),
    *,
    external: tuple[str, ...] = (),
    extra: dict[str, dict[str, Any]] | None = None,
) -> Scope:
    """Create one user per name in a fresh scope; `external` users get an externalId."""
    scope = Scope(ctx, label)
    for name in names:
        attributes: dict[str, Any] = {
            "name": {"givenName": name.title(), "familyName": f"{scope.token}-{name}"},
            "emails": [{"value": scope.user_name(name), "type": "work", "primary": True}],
        }
        # The default fixture has an externalId; only `external` users keep one here.
        attributes["externalId"] = f"{scope.token}-ext-{name}" if name in external else None
        attributes.update((extra or {}).get(name, {}))
        scope.new_user(name, **attributes)
    return scope


def _expect_selected(
    ctx: CheckContext,
    scope: Scope,
    predicate: str,
    expected: set[str],
    *,
    kind: str = "User",
    optional_feature: str | None = None,
    selective: bool = False,
) -> None:
    """Fail unless filter `predicate` selects exactly `expected` among the scope's resources.

    A 400 invalidFilter decline is a skip: the RFC lets a server decline what it does not
    support. `selective` marks an eq on one unique value, which may also be sent on its own.
    """
    outcome = scope.select(predicate, kind, selective=selective)
    if outcome.declined is not None:
        declined = f"the server declined filter {predicate!r}: {describe(outcome.declined)}"
        if optional_feature:
            ctx.skip(f"{declined}; {optional_feature} is optional (MAY)")
        ctx.skip(f"{declined}; {DECLINE_NOTE}")
    missing = expected - outcome.matched
    unexpected = outcome.matched - expected
    created = scope.created(kind)
    attribute = "userName" if kind == "User" else "displayName"

    def label(names: set[str]) -> str:
        return ", ".join(sorted(created[n][attribute] for n in names)) or "none"

    ctx.expect(
        not missing and not unexpected,
        f"filter {outcome.filters[-1]!r} returned [{label(outcome.matched)}] of this check's "
        f"{kind}s; expected exactly [{label(expected)}]"
        + (f"; missing [{label(missing)}]" if missing else "")
        + (f"; should have excluded [{label(unexpected)}]" if unexpected else ""),
    )


def _user_name(scope: Scope, name: str) -> str:
    return scope.users[name]["userName"]


# --- attribute operators (Table 3) -------------------------------------------------------


@check(
    "query.filter.eq",
    title="filter eq returns exactly the equal resources",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs="filter",
    mutating=True,
)
def filter_eq(ctx: CheckContext) -> None:
    """Only resources matching the filter SHALL be returned; eq needs identical values."""
    scope = _people(ctx, "f-eq", ("ant", "bee"))
    predicate = f'userName eq "{_user_name(scope, "ant")}"'
    _expect_selected(ctx, scope, predicate, {"ant"}, selective=True)


@check(
    "query.filter.ne",
    title="filter ne excludes the equal resource",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_ne(ctx: CheckContext) -> None:
    """ne matches resources whose value is not identical to the operand."""
    scope = _people(ctx, "f-ne", ("ant", "bee"))
    _expect_selected(ctx, scope, f'userName ne "{_user_name(scope, "ant")}"', {"bee"})


@check(
    "query.filter.co",
    title="filter co matches a substring",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_co(ctx: CheckContext) -> None:
    """co matches when the entire operand is a substring of the attribute value."""
    scope = _people(ctx, "f-co", ("ant", "bee"))
    _expect_selected(ctx, scope, 'userName co "-ant@"', {"ant"})


@check(
    "query.filter.sw",
    title="filter sw matches a prefix",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_sw(ctx: CheckContext) -> None:
    """sw matches when the operand is a substring at the start of the attribute value."""
    scope = _people(ctx, "f-sw", ("ant", "bee"))
    _expect_selected(ctx, scope, f'userName sw "{scope.token}-an"', {"ant"})


@check(
    "query.filter.ew",
    title="filter ew matches a suffix",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_ew(ctx: CheckContext) -> None:
    """ew matches when the operand is a substring at the end of the attribute value."""
    scope = _people(ctx, "f-ew", ("ant", "bee"))
    _expect_selected(ctx, scope, 'userName ew "ant@example.com"', {"ant"})


@check(
    "query.filter.pr",
    title="filter pr matches only resources that have a value",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_pr(ctx: CheckContext) -> None:
    """pr matches when the attribute has a non-empty, non-null value."""
    scope = _people(ctx, "f-pr", ("ant", "bee"), external=("ant",))
    _expect_selected(ctx, scope, "externalId pr", {"ant"})


def _ordering_check(ctx: CheckContext, operator: str, expected: set[str]) -> None:
    scope = _people(ctx, f"f-{operator}", ("ant", "bee", "cat"))
    pivot = _user_name(scope, "bee")
    _expect_selected(ctx, scope, f'userName {operator} "{pivot}"', expected)


@check(
    "query.filter.gt",
    title="filter gt compares strings lexicographically",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_gt(ctx: CheckContext) -> None:
    """gt matches values greater than the operand (lexicographic for strings)."""
    _ordering_check(ctx, "gt", {"cat"})


@check(
    "query.filter.ge",
    title="filter ge includes the equal value",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_ge(ctx: CheckContext) -> None:
    """ge matches values greater than or equal to the operand."""
    _ordering_check(ctx, "ge", {"bee", "cat"})


@check(
    "query.filter.lt",
    title="filter lt compares strings lexicographically",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_lt(ctx: CheckContext) -> None:
    """lt matches values less than the operand."""
    _ordering_check(ctx, "lt", {"ant"})


@check(
    "query.filter.le",
    title="filter le includes the equal value",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_le(ctx: CheckContext) -> None:
    """le matches values less than or equal to the operand."""
    _ordering_check(ctx, "le", {"ant", "bee"})


def _parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


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
    scope = _people(ctx, "f-dt", ("ant",))
    created = _parse_datetime((scope.users["ant"].get("meta") or {}).get("created"))
    if created is None:
        ctx.error("the created user has no parseable meta.created; cannot test DateTime filters")
    plus_ten = timezone(timedelta(hours=10))
    before = (created - timedelta(hours=1)).astimezone(plus_ten).isoformat(timespec="seconds")
    _expect_selected(ctx, scope, f'meta.created gt "{before}"', {"ant"})
    after = (created + timedelta(days=1)).astimezone(UTC)
    after_text = after.strftime("%Y-%m-%dT%H:%M:%SZ")
    _expect_selected(ctx, scope, f'meta.created gt "{after_text}"', set())


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
    scope = _people(ctx, "f-bool", ("ant", "bee"), extra={"bee": {"active": False}})
    if scope.users["bee"].get("active") is not False:
        ctx.skip("the server does not create inactive users (active=false was not kept)")
    _expect_selected(ctx, scope, "active eq false", {"bee"})


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


# --- logical operators, precedence, grouping ---------------------------------------------


@check(
    "query.filter.and",
    title="filter and requires both expressions",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_and(ctx: CheckContext) -> None:
    """'and' matches only when both expressions are true."""
    scope = _people(ctx, "f-and", external=("ant", "bee"))
    bee = _user_name(scope, "bee")
    _expect_selected(ctx, scope, f'externalId pr and userName ne "{bee}"', {"ant"})


@check(
    "query.filter.or",
    title="filter or accepts either expression",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_or(ctx: CheckContext) -> None:
    """'or' matches when either expression is true."""
    scope = _people(ctx, "f-or")
    ant, cat = _user_name(scope, "ant"), _user_name(scope, "cat")
    _expect_selected(ctx, scope, f'userName eq "{ant}" or userName eq "{cat}"', {"ant", "cat"})


@check(
    "query.filter.not",
    title="filter not negates its expression",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_not(ctx: CheckContext) -> None:
    """'not (expr)' matches when the expression evaluates to false."""
    scope = _people(ctx, "f-not")
    _expect_selected(ctx, scope, f'not (userName eq "{_user_name(scope, "ant")}")', {"bee", "cat"})


@check(
    "query.filter.precedence",
    title="'and' binds tighter than 'or'",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_precedence(ctx: CheckContext) -> None:
    """Filters MUST be evaluated with 'not' over 'and' over 'or'.

    `a or b and c` is `a or (b and c)` = {a}; left-to-right evaluation gives nothing.
    """
    scope = _people(ctx, "f-prec")
    ant, bee, cat = (_user_name(scope, n) for n in ("ant", "bee", "cat"))
    predicate = f'userName eq "{ant}" or userName eq "{bee}" and userName eq "{cat}"'
    _expect_selected(ctx, scope, predicate, {"ant"})


@check(
    "query.filter.parentheses",
    title="parentheses override the default precedence",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_parentheses(ctx: CheckContext) -> None:
    """Grouping operators are evaluated first: `(b or c) and pr` differs from `b or (c and pr)`."""
    scope = _people(ctx, "f-paren", external=("ant", "cat"))
    bee, cat = _user_name(scope, "bee"), _user_name(scope, "cat")
    predicate = f'(userName eq "{bee}" or userName eq "{cat}") and externalId pr'
    _expect_selected(ctx, scope, predicate, {"cat"})


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
    _expect_selected(
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
    scope.new_user("ant", **_two_mailboxes(scope.token, "ant", "example.com", "example.org"))
    scope.new_user("bee", **_two_mailboxes(scope.token, "bee", "example.com", "example.org"))
    predicate = f'emails.value eq "ant.{scope.token}@example.org"'
    _expect_selected(ctx, scope, predicate, {"ant"}, selective=True)


@check(
    "query.filter.sub-attribute",
    title="a filter on name.familyName uses the sub-attribute",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_sub_attribute(ctx: CheckContext) -> None:
    """Complex attributes are filtered by a fully qualified sub-attribute (name.familyName)."""
    scope = _people(ctx, "f-sub", ("ant", "bee"))
    predicate = f'name.familyName eq "{scope.token}-bee"'
    _expect_selected(ctx, scope, predicate, {"bee"}, selective=True)


@check(
    "query.filter.case-insensitive-names",
    title="attribute names and operators in filters are case-insensitive",
    rfc=FILTER_RFC,
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_case_insensitive_names(ctx: CheckContext) -> None:
    """`USERNAME EQ "x"` and `userName Eq "x"` evaluate like `userName eq "x"`."""
    scope = _people(ctx, "f-case", ("ant", "bee"))
    ant = _user_name(scope, "ant")
    _expect_selected(ctx, scope, f'USERNAME EQ "{ant}"', {"ant"}, selective=True)
    _expect_selected(ctx, scope, f'username Eq "{ant}"', {"ant"}, selective=True)


@check(
    "query.filter.user-name-any-case",
    title="userName eq matches regardless of case (caseExact false)",
    rfc="RFC 7644 §3.4.2.2; RFC 7643 §4.1.1",
    level="MUST",
    tags=("query", "filter", "claims"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_user_name_any_case(ctx: CheckContext) -> None:
    """userName is case-insensitive, so eq with the upper-cased value still matches."""
    scope = _people(ctx, "f-ucase", ("ant", "bee"))
    predicate = f'userName eq "{_user_name(scope, "ant").upper()}"'
    _expect_selected(ctx, scope, predicate, {"ant"}, selective=True)


@check(
    "query.filter.urn-qualified",
    title="a URN-qualified attribute name filters like the short name",
    rfc="RFC 7644 §3.4.2.2, §3.10",
    level="MUST",
    tags=("query", "filter"),
    needs=("filter", "query.filter.eq"),
    mutating=True,
)
def filter_urn_qualified(ctx: CheckContext) -> None:
    """attrPath may carry the schema URN: `urn:...:core:2.0:User:userName eq "x"`."""
    scope = _people(ctx, "f-urn", ("ant", "bee"))
    predicate = f'{urns.USER}:userName eq "{_user_name(scope, "ant")}"'
    _expect_selected(ctx, scope, predicate, {"ant"}, selective=True)


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
    _expect_selected(
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
            scim_type(response) == "invalidFilter",
            f"malformed filter {text!r}: {describe(response)}; "
            "expected scimType invalidFilter (Table 9)",
        )


# --- sorting -------------------------------------------------------------------------------


def _sorted_names(ctx: CheckContext, scope: Scope, params: dict[str, Any]) -> list[str]:
    selected = scope.every_or_skip(purpose="sorting this check's users")
    response, found = list_all(ctx, ctx.users_endpoint, {"filter": selected, **params})
    ctx.expect_status(response, 200)
    return [r.get("userName") for r in found if scope.owns(r)]


def _sort_key(ctx: CheckContext) -> Any:
    """How userName values compare: case-insensitively unless /Schemas says caseExact."""
    declared = schema_attribute(ctx, urns.USER, "userName") or {}
    return str if declared.get("caseExact") is True else str.casefold


def _sort_people(ctx: CheckContext, label: str) -> Scope:
    """Users created out of order, one with an upper-case initial (case-insensitive sort)."""
    scope = Scope(ctx, label)
    for name in ("cat", "Bee", "ant"):
        scope.new_user(name.lower(), userName=scope.user_name(name))
    return scope


@check(
    "query.sort.ascending",
    title="sortBy=userName without sortOrder sorts ascending, case-insensitively",
    rfc=SORT_RFC,
    level="MUST",
    tags=("query", "sort"),
    needs="sort",
    mutating=True,
)
def sort_ascending(ctx: CheckContext) -> None:
    """sortOrder SHALL default to ascending, and MUST follow the attribute type: userName
    (caseExact false) sorts case-insensitively."""
    if not ctx.can("filter"):
        ctx.skip("sorting is checked on this check's own users, which needs filter support")
    scope = _sort_people(ctx, "sort-asc")
    names = _sorted_names(ctx, scope, {"sortBy": "userName"})
    expected = sorted(names, key=_sort_key(ctx))
    ctx.expect(len(names) == 3, f"expected this check's 3 users, got {names}")
    ctx.expect(names == expected, f"sortBy=userName returned {names}; expected {expected}")


@check(
    "query.sort.descending",
    title="sortOrder=descending reverses the order",
    rfc=SORT_RFC,
    level="MUST",
    tags=("query", "sort"),
    needs="sort",
    mutating=True,
)
def sort_descending(ctx: CheckContext) -> None:
    """sortOrder=descending orders by the sortBy attribute from highest to lowest."""
    if not ctx.can("filter"):
        ctx.skip("sorting is checked on this check's own users, which needs filter support")
    scope = _sort_people(ctx, "sort-desc")
    names = _sorted_names(ctx, scope, {"sortBy": "userName", "sortOrder": "descending"})
    expected = sorted(names, key=_sort_key(ctx), reverse=True)
    ctx.expect(len(names) == 3, f"expected this check's 3 users, got {names}")
    ctx.expect(names == expected, f"sortOrder=descending returned {names}; expected {expected}")


# --- pagination ----------------------------------------------------------------------------


def _paging_people(ctx: CheckContext, label: str, count: int) -> tuple[Scope, dict[str, Any]]:
    """`count` users plus the query parameters that select exactly them (when filtering works)."""
    scope = Scope(ctx, label)
    for index in range(count):
        scope.new_user(f"p{index}")
    params: dict[str, Any] = {}
    selected = scope.every() if ctx.can("filter") else None
    if selected is not None:
        params["filter"] = selected
    return scope, params


def _page(ctx: CheckContext, params: dict[str, Any]) -> dict:
    response = ctx.get(ctx.users_endpoint, params=params)
    ctx.expect_status(response, 200)
    return ctx.json(response)


@check(
    "query.paging.count-zero",
    title="count=0 returns totalResults and no resources",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    mutating=True,
)
def paging_count_zero(ctx: CheckContext) -> None:
    """count=0 indicates that no resources are returned, only totalResults."""
    _, params = _paging_people(ctx, "pg-zero", 2)
    body = _page(ctx, {**params, "count": 0})
    ctx.expect(not resources_of(body), f"count=0 returned {len(resources_of(body))} resources")
    total = body.get("totalResults")
    ctx.expect(isinstance(total, int), f"count=0 response has no totalResults: {body}")
    if "filter" in params:
        ctx.expect(total == 2, f"count=0 on this check's 2 users gave totalResults={total}")


@check(
    "query.paging.negative-count",
    title="a negative count is interpreted as 0",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    mutating=True,
)
def paging_negative_count(ctx: CheckContext) -> None:
    """A negative count SHALL be interpreted as 0: totalResults only, not an error."""
    _, params = _paging_people(ctx, "pg-neg", 2)
    response = ctx.get(ctx.users_endpoint, params={**params, "count": -3})
    ctx.expect(
        response.status_code == 200,
        f"count=-3: {describe(response)}; RFC 7644 §3.4.2.4 says a negative count "
        "SHALL be interpreted as 0",
    )
    body = ctx.json(response)
    ctx.expect(not resources_of(body), f"count=-3 returned {len(resources_of(body))} resources")
    if "filter" in params:
        total = body.get("totalResults")
        ctx.expect(total == 2, f"count=-3 on this check's 2 users gave totalResults={total}")


@check(
    "query.paging.start-index-below-one",
    title="a startIndex below 1 is interpreted as 1",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    mutating=True,
)
def paging_start_index_below_one(ctx: CheckContext) -> None:
    """startIndex values less than 1 SHALL be interpreted as 1."""
    scope, params = _paging_people(ctx, "pg-start", 2)
    for start in (0, -4):
        response = ctx.get(ctx.users_endpoint, params={**params, "startIndex": start})
        ctx.expect(
            response.status_code == 200,
            f"startIndex={start}: {describe(response)}; it SHALL be interpreted as 1",
        )
        body = ctx.json(response)
        echoed = body.get("startIndex", 1)
        ctx.expect(echoed == 1, f"startIndex={start} came back as startIndex={echoed}, not 1")
        if "filter" in params:
            ids = {r.get("id") for r in resources_of(body)}
            expected = {u["id"] for u in scope.users.values()}
            ctx.expect(
                ids == expected,
                f"startIndex={start} returned {len(ids)} of this check's 2 users; "
                "expected both (the first page)",
            )


@check(
    "query.paging.count-limit",
    title="count caps the page and itemsPerPage/totalResults are consistent",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    mutating=True,
)
def paging_count_limit(ctx: CheckContext) -> None:
    """With count=n the provider MUST NOT return more than n; itemsPerPage is the page size."""
    _, params = _paging_people(ctx, "pg-count", 3)
    body = _page(ctx, {**params, "count": 1, "startIndex": 1})
    page = resources_of(body)
    ctx.expect(len(page) <= 1, f"count=1 returned {len(page)} resources")
    items = body.get("itemsPerPage")
    if items is not None:
        ctx.expect(items == len(page), f"itemsPerPage={items} but the page has {len(page)}")
    if "filter" in params:
        total = body.get("totalResults")
        ctx.expect(total == 3, f"count=1 on this check's 3 users gave totalResults={total}")
        ctx.expect(len(page) == 1, "count=1 over 3 matching users returned no resource")
        ctx.expect(items == 1, f"a partial page must carry itemsPerPage (got {items!r})")
        ctx.expect(
            body.get("startIndex") == 1,
            f"a partial page must carry startIndex 1 (got {body.get('startIndex')!r})",
        )


@check(
    "query.paging.walk",
    title="walking every page sees each resource exactly once",
    rfc=PAGING_RFC,
    level="MUST",
    tags=("query", "paging"),
    needs="filter",
    mutating=True,
)
def paging_walk(ctx: CheckContext) -> None:
    """startIndex is the 1-based index of the first result: pages of 2 cover 5 users once each."""
    scope, params = _paging_people(ctx, "pg-walk", 5)
    if "filter" not in params:
        scope.every_or_skip(purpose="walking the pages of this check's users")
    if ctx.supports("sort"):
        params["sortBy"] = "userName"
    seen: list[str] = []
    start = 1
    while start <= 5:
        body = _page(ctx, {**params, "startIndex": start, "count": 2})
        page = resources_of(body)
        ctx.expect(
            body.get("totalResults") == 5,
            f"page at startIndex={start} gave totalResults={body.get('totalResults')!r}; "
            "expected 5 (this check's users)",
        )
        ctx.expect(
            body.get("startIndex") == start,
            f"page requested at startIndex={start} came back as {body.get('startIndex')!r}",
        )
        ctx.expect(
            body.get("itemsPerPage") == len(page),
            f"page at startIndex={start}: itemsPerPage={body.get('itemsPerPage')!r} "
            f"but {len(page)} resources",
        )
        ctx.expect(len(page) <= 2, f"count=2 returned {len(page)} resources")
        if not page:
            break
        seen.extend(r.get("id") for r in page)
        start += len(page)
    expected = sorted(u["id"] for u in scope.users.values())
    duplicates = sorted({i for i in seen if seen.count(i) > 1})
    ctx.expect(not duplicates, f"pages returned {duplicates} more than once")
    ctx.expect(
        sorted(seen) == expected,
        f"walking the pages saw {len(set(seen))} of this check's 5 users",
    )


# --- attributes / excludedAttributes -------------------------------------------------------


def _projection_user(ctx: CheckContext, label: str) -> tuple[Scope, dict]:
    scope = Scope(ctx, label)
    user = scope.new_user(
        "ant",
        name={"givenName": "Ant", "familyName": f"{scope.token}-ant"},
        emails=[{"value": scope.user_name("ant"), "type": "work", "primary": True}],
    )
    return scope, user


def _warn_without_schemas(ctx: CheckContext, resource: dict, what: str) -> None:
    if "schemas" not in resource:
        ctx.warn(f"{what} has no 'schemas'; RFC 7643 §3 makes it REQUIRED on every resource")


@check(
    "query.attributes.include",
    title="attributes= returns the requested attributes plus id",
    rfc=ATTRIBUTES_RFC,
    level="MUST",
    tags=("query", "attributes"),
    mutating=True,
)
def attributes_include(ctx: CheckContext) -> None:
    """With attributes=userName each resource has id (returned always) and userName only."""
    scope, user = _projection_user(ctx, "attr-inc")
    response = ctx.get(f"{ctx.users_endpoint}/{user['id']}", params={"attributes": "userName"})
    ctx.expect_status(response, 200)
    resource = ctx.json(response)
    ctx.expect(resource.get("id") == user["id"], f"attributes=userName dropped id: {resource}")
    ctx.expect("userName" in resource, f"attributes=userName dropped userName: {resource}")
    leaked = sorted(k for k in ("name", "emails") if k in resource)
    ctx.expect(not leaked, f"attributes=userName still returned {leaked}")
    listing = ctx.get(
        ctx.users_endpoint, params={"attributes": "userName", "filter": scope.clause()}
    )
    if listing.status_code == 200:
        for item in resources_of(ctx.json(listing)):
            ctx.expect("id" in item, f"list with attributes=userName dropped id: {item}")
            extra = sorted(k for k in ("name", "emails") if k in item)
            ctx.expect(not extra, f"list with attributes=userName still returned {extra}")
    _warn_without_schemas(ctx, resource, "a resource returned with attributes=userName")


@check(
    "query.attributes.exclude",
    title="excludedAttributes= removes the listed attributes",
    rfc=ATTRIBUTES_RFC,
    level="MUST",
    tags=("query", "attributes"),
    mutating=True,
)
def attributes_exclude(ctx: CheckContext) -> None:
    """excludedAttributes=emails returns the default set minus emails."""
    _, user = _projection_user(ctx, "attr-exc")
    response = ctx.get(
        f"{ctx.users_endpoint}/{user['id']}", params={"excludedAttributes": "emails"}
    )
    ctx.expect_status(response, 200)
    resource = ctx.json(response)
    ctx.expect("emails" not in resource, "excludedAttributes=emails still returned emails")
    ctx.expect(
        resource.get("userName") == user.get("userName"),
        "excludedAttributes=emails also dropped userName",
    )


@check(
    "query.attributes.exclude-always",
    title="excludedAttributes cannot remove id (returned always)",
    rfc=ATTRIBUTES_RFC,
    level="MUST",
    tags=("query", "attributes"),
    mutating=True,
)
def attributes_exclude_always(ctx: CheckContext) -> None:
    """excludedAttributes SHALL have no effect on attributes whose returned is 'always'."""
    scope, user = _projection_user(ctx, "attr-alw")
    response = ctx.get(
        f"{ctx.users_endpoint}/{user['id']}", params={"excludedAttributes": "id,schemas"}
    )
    ctx.expect_status(response, 200)
    resource = ctx.json(response)
    ctx.expect(resource.get("id") == user["id"], "excludedAttributes=id removed id")
    listing = ctx.get(
        ctx.users_endpoint, params={"excludedAttributes": "id", "filter": scope.clause()}
    )
    if listing.status_code == 200:
        for item in resources_of(ctx.json(listing)):
            ctx.expect("id" in item, "a listed resource lost id under excludedAttributes=id")
    _warn_without_schemas(ctx, resource, "a resource returned with excludedAttributes=schemas")


@check(
    "query.attributes.password-never-listed",
    title="password (returned never) is absent from list responses, even when asked for",
    rfc="RFC 7643 §2.2, §4.1.1",
    level="MUST",
    tags=("query", "attributes", "password"),
    mutating=True,
)
def password_never_listed(ctx: CheckContext) -> None:
    """password has returned=never: a list, even with attributes=password, never holds it."""
    declared = schema_attribute(ctx, urns.USER, "password")
    if ctx.schemas and declared is None:
        ctx.skip("the server's User schema has no password attribute")
    scope = Scope(ctx, "pw-list")
    scope.new_user("ant", password=f"Sc1m-{scope.token}-Pw!")
    leaked = []
    for params in ({}, {"attributes": "password,userName"}):
        selected = scope.every_or_skip(purpose="listing this check's user")
        listing = ctx.get(ctx.users_endpoint, params={"filter": selected, **params})
        ctx.expect_status(listing, 200)
        if any("password" in item for item in resources_of(ctx.json(listing))):
            leaked.append(f"GET {ctx.users_endpoint}?{'&'.join(params) or 'filter=...'}")
    ctx.expect(not leaked, f"a list response returned password: {', '.join(leaked)}")
