"""Helpers of the filter checks: a scope of users, and the verdict on what a filter selected."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conformance.checks._scope import Scope
from conformance.context import describe

if TYPE_CHECKING:
    from conformance.context import CheckContext

FILTER_RFC = "RFC 7644 §3.4.2.2"
DECLINE_NOTE = (
    "RFC 7644 §3.4.2.2 lets a provider decline a filter it does not support with "
    "400 invalidFilter; identity providers that send it will not work"
)


def people(
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


def expect_selected(
    ctx: CheckContext,
    scope: Scope,
    predicate: str,
    expected: set[str],
    *,
    kind: str = "User",
    optional_feature: str | None = None,
    selective: bool = False,
    plain: str | None = None,
) -> None:
    """Fail unless filter `predicate` selects exactly `expected` among the scope's resources.

    A 400 invalidFilter decline is a skip: the RFC lets a server decline what it does not
    support. `selective` marks an eq on one unique value, which may also be sent on its own.
    """
    outcome = scope.select(predicate, kind, selective=selective)
    plain_taken = (
        outcome.declined is not None
        and plain is not None
        and scope.select(plain, kind, selective=selective).declined is None
    )
    if plain_taken:
        ctx.fail(
            f"the server declined filter {predicate!r} ({describe(outcome.declined)}) but "
            f"takes {plain!r}: the same filter, only spelled differently"
        )
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


def user_name(scope: Scope, name: str) -> str:
    """The userName the server stored for user `name` of the scope."""
    return scope.users[name]["userName"]
