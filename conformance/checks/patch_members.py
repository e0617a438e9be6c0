"""PATCH on Group.members as a table of cases (RFC 7644 §3.5.2.1-3), registered by one function.

Each case starts from a group of this check's users ant and bee (some of them members), sends
one operation on ``members`` and expects exactly the named members when the group is read back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conformance.checks._patching import (
    ADD_RFC,
    REMOVE_RFC,
    REPLACE_RFC,
    applied,
    patch_resource,
    read_back,
)
from conformance.checks._scope import Scope, member_ids, operation
from conformance.context import CheckContext
from conformance.registry import check


@dataclass(frozen=True)
class MembersCase:
    """One members operation: who starts in the group, the operation, who must be left."""

    id: str
    title: str
    rfc: str
    rule: str
    label: str
    initial: tuple[str, ...]
    operation: Callable[[dict[str, str]], dict[str, Any]]  # ids by name -> PATCH operation
    expected: frozenset[str]
    root: str | None  # the check of the same op on a simple attribute, when there is one


CASES = (
    MembersCase(
        "patch.replace.members",
        "replace members sets the whole member list",
        REPLACE_RFC,
        "replace on a multi-valued attribute without filter replaces all its values.",
        "p-repmem",
        ("ant",),
        lambda ids: operation("replace", "members", [{"value": ids["bee"]}]),
        frozenset({"bee"}),
        None,
    ),
    MembersCase(
        "patch.add.members-appends",
        "add members appends to the group's members",
        ADD_RFC,
        "add on members adds the new member and keeps the existing ones.",
        "p-addmem",
        ("ant",),
        lambda ids: operation("add", "members", [{"value": ids["bee"]}]),
        frozenset({"ant", "bee"}),
        "patch.add.single-valued",
    ),
    MembersCase(
        "patch.remove.value-filter",
        'remove members[value eq "id"] removes exactly that member',
        REMOVE_RFC,
        "A remove with a value filter removes the matching values and keeps the others.",
        "p-remmem",
        ("ant", "bee"),
        lambda ids: operation("remove", f'members[value eq "{ids["ant"]}"]'),
        frozenset({"bee"}),
        "patch.remove.single-valued",
    ),
    MembersCase(
        "patch.remove.all-members",
        "remove members without filter empties the group",
        REMOVE_RFC,
        "remove on a multi-valued attribute without filter removes all its values.",
        "p-remall",
        ("ant", "bee"),
        lambda ids: operation("remove", "members"),
        frozenset(),
        "patch.remove.single-valued",
    ),
)


def register_members_case(case: MembersCase) -> None:
    """Register one members case: build the group, send the operation, read the members."""

    def run(ctx: CheckContext) -> None:
        scope = Scope(ctx, case.label)
        ids = {name: scope.new_user(name)["id"] for name in ("ant", "bee")}
        group = scope.new_group("team", members=[ids[name] for name in case.initial])
        sent = case.operation(ids)
        what = f"{sent['op']} {sent['path']}"
        applied(ctx, patch_resource(ctx, group, sent, kind="Group"), what)
        names = {value: name for name, value in ids.items()}
        left = sorted(names.get(m, m) for m in member_ids(read_back(ctx, group, "Group")))
        ctx.expect(
            set(left) == case.expected,
            f"after {what} the members are {left or 'none'}; expected "
            f"{sorted(case.expected) or 'none'}",
        )

    needs = ("patch", "groups.create.members", *((case.root,) if case.root else ()))
    check(
        case.id,
        title=case.title,
        rfc=case.rfc,
        level="MUST",
        tags=("patch", "groups"),
        needs=needs,
        mutating=True,
        rule=case.rule,
    )(run)


for members_case in CASES:
    register_members_case(members_case)
