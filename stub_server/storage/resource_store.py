"""The one interface through which SCIM Users and Groups are persisted.

A backend stores each resource as a JSON document of one organization and one resource type
(``"User"`` or ``"Group"``), with an integer version it owns: 1 on create, one more on every
replace. Writers pass the version they read (``expected_version``) so a concurrent change is
refused instead of lost. Group members are part of the Group document (``members``: value and
type); a User's ``groups`` are computed from them on every read. Deleting a resource removes it
from the members of every group. ``tests/unit/storage/resource_store_contract.py`` is the
behaviour every backend must pass; ``SqliteResourceStore`` is the one the stub runs.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from stub_server.scim.filter_parser import Ref

RESOURCE_TYPES = ("User", "Group")


@dataclass(frozen=True)
class StoredResource:
    """One stored resource: its id, integer version, JSON document and linked account."""

    id: str
    version: int
    resource: dict
    account_uid: str | None = None


@dataclass(frozen=True)
class ResourceQuery:
    """Which resources to list: a bound filter, a sort attribute, and a 1-based page."""

    filter: Any = None  # a filter AST bound to the resource type's schema, or None for all
    sort_by: Ref | None = None
    descending: bool = False
    start_index: int = 1
    count: int | None = None  # None: every match


class ResourceNotFound(LookupError):
    """No resource of that type and id in the organization."""


class VersionConflict(Exception):
    """The resource changed since ``expected_version`` was read."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the stored version is {current}")
        self.current = current


class UniquenessConflict(Exception):
    """The write would give two resources of the organization the same unique value."""

    def __init__(self, attribute: str | None) -> None:
        super().__init__(f"{attribute or 'a unique value'} is already taken")
        self.attribute = attribute


class Database(Protocol):
    """What a SQLite-backed store needs from the database: this thread's connection and
    write transactions (``Storage`` provides both)."""

    def connection(self) -> sqlite3.Connection:
        """Return this thread's connection."""

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """Run a block in one write transaction."""


class ResourceStore(Protocol):
    """Persistence of SCIM resources, per organization and resource type."""

    def get(self, org_uid: str, resource_type: str, resource_id: str) -> StoredResource | None:
        """Return the resource, or None when the organization has no such resource."""

    def search(
        self, org_uid: str, resource_type: str, query: ResourceQuery
    ) -> tuple[int, list[StoredResource]]:
        """Return (how many match, the requested page of them in the requested order)."""

    def create(
        self,
        org_uid: str,
        resource_type: str,
        resource: dict,
        *,
        account_uid: str | None = None,
        password_hash: str | None = None,
    ) -> StoredResource:
        """Store a new resource (its ``id`` is in the document) at version 1."""

    def replace(
        self,
        org_uid: str,
        resource_type: str,
        resource: dict,
        *,
        expected_version: int,
        account_uid: str | None = None,
        password_hash: str | None = None,
    ) -> StoredResource:
        """Replace the resource with the document's ``id``; its version becomes one more.

        A None ``account_uid`` or ``password_hash`` keeps the stored one.
        """

    def delete(
        self, org_uid: str, resource_type: str, resource_id: str, *, expected_version: int | None
    ) -> None:
        """Delete the resource (None: whatever its version) and drop it from every group."""
