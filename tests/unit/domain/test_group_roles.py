"""The group role rules (issue 10 item 3) as a table of group sets -> expected roles, then every
subset of four mapped groups for every role a person can be given, against a plain oracle."""

from __future__ import annotations

from itertools import chain, combinations

import pytest

from stub_server import roles
from stub_server.domain.group_roles import resolve_roles
from stub_server.storage import Grant, GroupMapping

MARKETING, DOCS, MOBILE = "stack-marketing", "stack-docs", "stack-mobile"
ENGINEERS = GroupMapping("g-eng", roles.ADMIN, {DOCS: roles.DEVELOPER})
WRITERS = GroupMapping("g-writers", roles.MEMBER, {DOCS: roles.CONTENT_MANAGER})
MARKETERS = GroupMapping(
    "g-mkt", roles.MEMBER, {MARKETING: roles.STACK_ADMIN, DOCS: roles.CONTENT_MANAGER}
)
LEADS = GroupMapping("g-leads", roles.ADMIN, {MARKETING: roles.DEVELOPER})
NAMES = {"g-eng": "Engineers", "g-writers": "Writers", "g-mkt": "Marketers", "g-leads": "Leads"}
GROUPS = (ENGINEERS, WRITERS, MARKETERS, LEADS)

# (what the case shows, role given without groups, groups, expected org role, its group,
#  expected stack roles as stack -> (role, group))
CASES = [
    ("provisioned, no group: Member", roles.MEMBER, [], roles.MEMBER, None, {}),
    (
        "an Admin group raises Member to Admin",
        roles.MEMBER,
        [ENGINEERS],
        roles.ADMIN,
        ENGINEERS,
        {DOCS: (roles.DEVELOPER, ENGINEERS)},
    ),
    (
        "a Member group grants only its stack roles",
        roles.MEMBER,
        [WRITERS],
        roles.MEMBER,
        None,
        {DOCS: (roles.CONTENT_MANAGER, WRITERS)},
    ),
    (
        "two groups: the higher org role, both stacks' roles",
        roles.MEMBER,
        [WRITERS, LEADS],
        roles.ADMIN,
        LEADS,
        {DOCS: (roles.CONTENT_MANAGER, WRITERS), MARKETING: (roles.DEVELOPER, LEADS)},
    ),
    (
        "per stack the highest stack role",
        roles.MEMBER,
        [WRITERS, ENGINEERS, MARKETERS],
        roles.ADMIN,
        ENGINEERS,
        {DOCS: (roles.DEVELOPER, ENGINEERS), MARKETING: (roles.STACK_ADMIN, MARKETERS)},
    ),
    (
        "equal org roles: the first group by name names it",
        roles.MEMBER,
        [LEADS, ENGINEERS],
        roles.ADMIN,
        ENGINEERS,
        {DOCS: (roles.DEVELOPER, ENGINEERS), MARKETING: (roles.DEVELOPER, LEADS)},
    ),
    (
        "the Owner in a Member group stays Owner",
        roles.OWNER,
        [WRITERS],
        roles.OWNER,
        None,
        {DOCS: (roles.CONTENT_MANAGER, WRITERS)},
    ),
    (
        "the Owner in an Admin group stays Owner",
        roles.OWNER,
        [ENGINEERS],
        roles.OWNER,
        None,
        {DOCS: (roles.DEVELOPER, ENGINEERS)},
    ),
    (
        "a hand-made Security Manager keeps the role in a Member group",
        roles.SECURITY_MANAGER,
        [WRITERS],
        roles.SECURITY_MANAGER,
        None,
        {DOCS: (roles.CONTENT_MANAGER, WRITERS)},
    ),
    (
        "an Admin group raises a hand-made Security Manager",
        roles.SECURITY_MANAGER,
        [ENGINEERS],
        roles.ADMIN,
        ENGINEERS,
        {DOCS: (roles.DEVELOPER, ENGINEERS)},
    ),
    (
        "a hand-made Admin stays Admin (not via the group)",
        roles.ADMIN,
        [LEADS],
        roles.ADMIN,
        None,
        {MARKETING: (roles.DEVELOPER, LEADS)},
    ),
    (
        "a Member group raises a Product Analytics Viewer",
        roles.PRODUCT_ANALYTICS_VIEWER,
        [MARKETERS],
        roles.MEMBER,
        MARKETERS,
        {MARKETING: (roles.STACK_ADMIN, MARKETERS), DOCS: (roles.CONTENT_MANAGER, MARKETERS)},
    ),
]


@pytest.mark.parametrize(
    ("given", "groups", "org_role", "via", "stacks"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_role_rules_table(given, groups, org_role, via, stacks) -> None:
    resolved = resolve_roles(given, groups, NAMES)
    assert resolved.org_role == Grant(org_role, via.group_id if via else None)
    assert resolved.stack_roles == {
        stack: Grant(role, group.group_id) for stack, (role, group) in stacks.items()
    }


def expected_org_role(given: str, groups: tuple[GroupMapping, ...]) -> str:
    """The oracle: the Owner stays Owner, else the highest of the given and mapped roles."""
    if given == roles.OWNER:
        return roles.OWNER
    return max([given, *(g.org_role for g in groups)], key=roles.ORG_ROLE_RANK.__getitem__)


def expected_stack_roles(groups: tuple[GroupMapping, ...]) -> dict[str, str]:
    """The oracle: per stack, the highest role any of the groups maps it to."""
    out: dict[str, str] = {}
    for group in groups:
        for stack, role in group.stack_roles.items():
            out[stack] = max(out.get(stack, role), role, key=roles.STACK_ROLE_RANK.__getitem__)
    return out


SUBSETS = list(chain.from_iterable(combinations(GROUPS, n) for n in range(len(GROUPS) + 1)))


@pytest.mark.parametrize("given", roles.ALL_ROLES)
def test_every_group_set_for_every_given_role(given: str) -> None:
    for groups in SUBSETS:
        resolved = resolve_roles(given, groups, NAMES)
        assert resolved.org_role.role == expected_org_role(given, groups), groups
        assert {s: g.role for s, g in resolved.stack_roles.items()} == expected_stack_roles(groups)
        via = resolved.org_role.via_group_id
        # A group is named only when it raised the role above what was given.
        assert (via is not None) == (resolved.org_role.role != given)
        for stack, grant in resolved.stack_roles.items():
            granting = next(g for g in groups if g.group_id == grant.via_group_id)
            assert granting.stack_roles[stack] == grant.role


@pytest.mark.parametrize("given", roles.ALL_ROLES)
def test_leaving_a_group_takes_back_only_what_it_alone_granted(given: str) -> None:
    for groups in SUBSETS:
        for leaving in groups:
            rest = tuple(g for g in groups if g is not leaving)
            after = resolve_roles(given, rest, NAMES)
            assert after.org_role.role == expected_org_role(given, rest)
            if any(g.org_role == leaving.org_role for g in rest) or given == roles.OWNER:
                assert after.org_role.role == resolve_roles(given, groups, NAMES).org_role.role
            for stack, role in leaving.stack_roles.items():
                others = [g.stack_roles[stack] for g in rest if stack in g.stack_roles]
                kept = after.stack_roles.get(stack)
                assert (kept is None) == (not others), (stack, role)


def test_the_order_groups_arrive_in_does_not_matter() -> None:
    for groups in SUBSETS:
        backwards = resolve_roles(roles.MEMBER, groups[::-1], NAMES)
        assert resolve_roles(roles.MEMBER, groups, NAMES) == backwards
