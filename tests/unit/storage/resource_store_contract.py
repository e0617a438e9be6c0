"""The behaviour every ``ResourceStore`` backend must have, written against the interface only.

A backend's test module subclasses ``ResourceStoreContract`` and provides two fixtures:
``store`` (an empty store) and ``orgs`` (two organization uids the store accepts), as
scim2-server's ``ScimStorageContract`` does for its backends.
"""

from __future__ import annotations

import pytest

from stub_server.scim.filter_bind import compile_filter, implicit_value, ref_for
from stub_server.scim.filter_parser import split_attr_path
from stub_server.scim.schemas import USER
from stub_server.storage import (
    ResourceNotFound,
    ResourceQuery,
    ResourceStore,
    UniquenessConflict,
    VersionConflict,
)

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
WHEN = "2026-01-01T00:00:00.000Z"


def user(resource_id: str, user_name: str, **extra: object) -> dict:
    """A User document as the domain hands it to the store."""
    meta = {"resourceType": "User", "created": WHEN, "lastModified": WHEN}
    return {"schemas": [USER_URN], "id": resource_id, "userName": user_name, **extra, "meta": meta}


def group(resource_id: str, name: str, *members: tuple[str, str]) -> dict:
    """A Group document with (id, type) members."""
    meta = {"resourceType": "Group", "created": WHEN, "lastModified": WHEN}
    doc: dict = {"schemas": [GROUP_URN], "id": resource_id, "displayName": name, "meta": meta}
    if members:
        doc["members"] = [{"value": value, "type": kind} for value, kind in members]
    return doc


def user_filter(text: str) -> object:
    """A filter bound to the User schema, as the domain passes it."""
    return compile_filter(text, USER)


def user_sort(attribute: str) -> object:
    """A sort reference on the User schema."""
    return implicit_value(ref_for(split_attr_path(attribute), USER, None), False)


class ResourceStoreContract:
    """Subclass with ``store`` and ``orgs`` fixtures to check a backend."""

    def test_create_then_get_returns_the_document_at_version_1(
        self, store: ResourceStore, orgs: tuple[str, str]
    ) -> None:
        acme, _ = orgs
        created = store.create(acme, "User", user("u1", "ada@example.com", active=True))
        assert (created.id, created.version) == ("u1", 1)
        got = store.get(acme, "User", "u1")
        assert got is not None and got.version == 1
        assert got.resource["userName"] == "ada@example.com" and got.resource["active"] is True

    def test_get_is_none_for_unknown_ids_and_other_organizations(
        self, store: ResourceStore, orgs: tuple[str, str]
    ) -> None:
        acme, other = orgs
        store.create(acme, "User", user("u1", "ada@example.com"))
        assert store.get(acme, "User", "nope") is None
        assert store.get(other, "User", "u1") is None
        assert store.get(acme, "Group", "u1") is None

    def test_replace_checks_the_expected_version_and_counts_up(
        self, store: ResourceStore, orgs: tuple[str, str]
    ) -> None:
        acme, _ = orgs
        store.create(acme, "User", user("u1", "ada@example.com"))
        replaced = store.replace(
            acme, "User", user("u1", "ada@example.com", displayName="Ada"), expected_version=1
        )
        assert replaced.version == 2 and replaced.resource["displayName"] == "Ada"
        with pytest.raises(VersionConflict) as stale:
            store.replace(acme, "User", user("u1", "x@example.com"), expected_version=1)
        assert stale.value.current == 2
        assert store.get(acme, "User", "u1").resource["userName"] == "ada@example.com"
        with pytest.raises(ResourceNotFound):
            store.replace(acme, "User", user("nope", "n@example.com"), expected_version=1)

    def test_delete_checks_the_expected_version(
        self, store: ResourceStore, orgs: tuple[str, str]
    ) -> None:
        acme, _ = orgs
        store.create(acme, "User", user("u1", "ada@example.com"))
        store.create(acme, "User", user("u2", "bob@example.com"))
        with pytest.raises(VersionConflict):
            store.delete(acme, "User", "u1", expected_version=7)
        store.delete(acme, "User", "u1", expected_version=1)
        store.delete(acme, "User", "u2", expected_version=None)
        assert store.get(acme, "User", "u1") is None and store.get(acme, "User", "u2") is None
        with pytest.raises(ResourceNotFound):
            store.delete(acme, "User", "u1", expected_version=None)

    def test_user_names_are_unique_per_organization_ignoring_case(
        self, store: ResourceStore, orgs: tuple[str, str]
    ) -> None:
        acme, other = orgs
        store.create(acme, "User", user("u1", "ada@example.com"))
        with pytest.raises(UniquenessConflict) as taken:
            store.create(acme, "User", user("u2", "ADA@example.com"))
        assert taken.value.attribute == "userName"
        store.create(other, "User", user("u3", "ada@example.com"))  # another tenant: fine

    def test_group_members_and_computed_user_groups(
        self, store: ResourceStore, orgs: tuple[str, str]
    ) -> None:
        acme, _ = orgs
        store.create(acme, "User", user("u1", "ada@example.com"))
        store.create(acme, "User", user("u2", "bob@example.com"))
        store.create(acme, "Group", group("g1", "Editors", ("u1", "User"), ("u2", "User")))
        members = store.get(acme, "Group", "g1").resource["members"]
        assert members == [{"value": "u1", "type": "User"}, {"value": "u2", "type": "User"}]
        groups = store.get(acme, "User", "u1").resource["groups"]
        assert groups == [{"value": "g1", "display": "Editors", "type": "direct"}]
        store.replace(acme, "Group", group("g1", "Editors", ("u2", "User")), expected_version=1)
        assert "groups" not in store.get(acme, "User", "u1").resource
        store.delete(acme, "User", "u2", expected_version=None)
        assert "members" not in store.get(acme, "Group", "g1").resource

    def test_account_and_password_are_kept_unless_given(
        self, store: ResourceStore, orgs: tuple[str, str]
    ) -> None:
        acme, _ = orgs
        store.create(acme, "User", user("u1", "ada@example.com"), account_uid="acct-1")
        kept = store.replace(acme, "User", user("u1", "ada@example.com"), expected_version=1)
        assert kept.account_uid == "acct-1"

    def test_search_filters_sorts_and_pages(
        self, store: ResourceStore, orgs: tuple[str, str]
    ) -> None:
        acme, other = orgs
        for n, name in enumerate(["carol", "alice", "dave", "bob"]):
            store.create(acme, "User", user(f"u{n}", f"{name}@example.com", active=n % 2 == 0))
        store.create(other, "User", user("x", "alice@other.example"))
        total, page = store.search(acme, "User", ResourceQuery())
        assert total == 4 and [s.id for s in page] == ["u0", "u1", "u2", "u3"]
        total, page = store.search(
            acme, "User", ResourceQuery(filter=user_filter("active eq true"))
        )
        assert total == 2 and {s.id for s in page} == {"u0", "u2"}
        by_name = ResourceQuery(sort_by=user_sort("userName"), start_index=2, count=2)
        total, page = store.search(acme, "User", by_name)
        assert total == 4 and [s.resource["userName"][:3] for s in page] == ["bob", "car"]
        total, page = store.search(acme, "User", ResourceQuery(count=0))
        assert (total, page) == (4, [])

    def test_filters_outside_the_indexed_attributes_give_the_same_answer(
        self, store: ResourceStore, orgs: tuple[str, str]
    ) -> None:
        acme, _ = orgs
        store.create(acme, "User", user("u1", "ada@example.com", title="Engineer"))
        store.create(acme, "User", user("u2", "bob@example.com", title="Designer"))
        query = ResourceQuery(filter=user_filter('title eq "engineer" or userName sw "B"'))
        total, page = store.search(acme, "User", query)
        assert total == 2 and {s.id for s in page} == {"u1", "u2"}
        exact = ResourceQuery(filter=user_filter('title eq "Engineer"'))
        assert [s.id for s in store.search(acme, "User", exact)[1]] == ["u1"]
