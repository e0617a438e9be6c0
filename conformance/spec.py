"""What a registered check is: id, RFC section, level, the sentence it enforces, its needs.

Kept apart from the registry (which imports every check module) and from the context (which
a check receives), so both can name a CheckSpec without importing each other.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["MUST", "SHOULD", "MAY"]
LEVELS: tuple[Level, ...] = ("MUST", "SHOULD", "MAY")
# Optional features a ServiceProviderConfig advertises (RFC 7643 §5).
CAPABILITIES = frozenset({"patch", "bulk", "filter", "sort", "etag", "changePassword"})


@dataclass(frozen=True)
class CheckSpec:
    """One registered check: what it verifies, where the RFC says so and how strictly.

    ``needs`` names capabilities (``patch``...) and precondition checks (by id): a capability
    the server neither advertises nor shows skips the check; a precondition check that failed
    (or was itself blocked) makes this check a ``skip`` "blocked by <id>".
    ``requirement`` quotes the RFC sentence the check enforces.
    """

    id: str
    title: str
    rfc: str
    level: Level
    tags: frozenset[str]
    needs: tuple[str, ...]
    mutating: bool
    group: str
    func: Callable[[Any], None]
    requirement: str = ""
    doc: str = ""  # the rule, for checks registered from a table (else the docstring)

    @property
    def area(self) -> str:
        """The first segment of the id (``users`` for ``users.create.location-header``)."""
        return self.id.split(".", 1)[0]

    @property
    def rule(self) -> str:
        """The rule the check enforces: its table entry's rule, or its function's docstring."""
        doc = self.doc or inspect.getdoc(self.func) or self.title
        return doc.split("\n\n", 1)[0].replace("\n", " ")

    @property
    def profile(self) -> str | None:
        """The IdP profile this check belongs to (``entra``...), None for RFC checks."""
        return self.id.split(".")[1] if self.id.startswith("profile.") else None

    @property
    def capabilities(self) -> tuple[str, ...]:
        """The ServiceProviderConfig capabilities this check needs."""
        return tuple(need for need in self.needs if need in CAPABILITIES)

    @property
    def preconditions(self) -> tuple[str, ...]:
        """Ids of the checks whose behaviour this check relies on."""
        return tuple(need for need in self.needs if need not in CAPABILITIES)


def as_needs(needs: str | Iterable[str] | None) -> tuple[str, ...]:
    """`needs=` as given to @check (one name, several, or None) as a tuple."""
    if needs is None:
        return ()
    if isinstance(needs, str):
        return (needs,)
    return tuple(needs)
