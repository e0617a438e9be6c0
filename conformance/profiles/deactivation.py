"""How each IdP deactivates a user, as a table of request shapes registered by one function.

Entra sends a capitalised ``Replace`` on the ``active`` path, Okta a path-less ``replace`` or
a PUT of the whole user; each must leave the user readable with ``active`` false.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conformance.context import CheckContext, describe
from conformance.profiles._common import ENTRA_DOC, OKTA_DOC, expect_patched, fetch, patch_ops
from conformance.registry import check


@dataclass(frozen=True)
class Deactivation:
    """One IdP's deactivation request: method and body built from the created user."""

    id: str
    title: str
    rfc: str
    rule: str
    method: str
    body: Callable[[dict[str, Any]], dict[str, Any]]
    tag: str


def _whole_user_inactive(user: dict[str, Any]) -> dict[str, Any]:
    """The user as read, without meta, with active false (Okta's PUT)."""
    return {**{key: value for key, value in user.items() if key != "meta"}, "active": False}


CASES = (
    Deactivation(
        "profile.entra.capitalised-ops",
        "Entra's capitalised PATCH ops ('Replace', 'Add') are accepted",
        f"{ENTRA_DOC}; RFC 7644 §3.5.2",
        '{"op": "Replace", "path": "active", "value": false} deactivates the user.',
        "PATCH",
        lambda user: patch_ops({"op": "Replace", "path": "active", "value": False}),
        "patch",
    ),
    Deactivation(
        "profile.okta.deactivate-patch",
        "Okta deactivates a user with a path-less PATCH",
        f"{OKTA_DOC}; RFC 7644 §3.5.2.3",
        '{"op": "replace", "value": {"active": false}} deactivates the user.',
        "PATCH",
        lambda user: patch_ops({"op": "replace", "value": {"active": False}}),
        "patch",
    ),
    Deactivation(
        "profile.okta.deactivate-put",
        "Okta deactivates a user with PUT active=false",
        f"{OKTA_DOC}; RFC 7644 §3.5.1",
        "PUT of the whole user with active false answers 200 and the user reads inactive.",
        "PUT",
        _whole_user_inactive,
        "replace",
    ),
)


def register_deactivation(case: Deactivation) -> None:
    """Register one IdP's deactivation: create a user, send the IdP's request, read it back."""

    def run(ctx: CheckContext) -> None:
        user = ctx.new_user()
        url = f"{ctx.users_endpoint}/{user['id']}"
        response = ctx.request(case.method, url, json=case.body(user))
        if case.method == "PATCH":
            expect_patched(ctx, response)
        else:
            ctx.expect_status(response, 200)
        ctx.expect(
            fetch(ctx, url).get("active") is False,
            f"active is not false after {describe(response)}",
        )

    check(
        case.id,
        title=case.title,
        rfc=case.rfc,
        level="MUST",
        tags={case.tag},
        mutating=True,
        rule=case.rule,
    )(run)


for deactivation in CASES:
    register_deactivation(deactivation)
