"""The one table of people and organizations the features talk about, looked up by name.

The seeded people come from the stub's seed data (the README documents them); a deployment
under test is expected to hold the same demo accounts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from stub_server.seed import ORGANIZATIONS, PEOPLE, SEED_PASSWORD

PRONOUNS = frozenset({"she", "he", "they"})
_ORG_NAMES = {slug: name for _uid, slug, name, *_rest in ORGANIZATIONS}


@dataclass(frozen=True)
class Person:
    """A seeded person: who they are and which organization role they hold."""

    first_name: str
    last_name: str
    email: str
    organization: str
    role: str
    password: str = SEED_PASSWORD

    @property
    def full_name(self) -> str:
        """'First Last', as the audit log shows them."""
        return f"{self.first_name} {self.last_name}"


TABLE: tuple[Person, ...] = tuple(
    Person(first, last, email, _ORG_NAMES[slug], role) for email, first, last, slug, role in PEOPLE
)


def organization_uid(name: str) -> str:
    """Return the uid of the seeded organization with this display name."""
    for uid, _slug, org_name, *_rest in ORGANIZATIONS:
        if org_name == name:
            return uid
    known = ", ".join(org[2] for org in ORGANIZATIONS)
    raise LookupError(f"no seeded organization {name!r} (known: {known})")


def person_named(first_name: str, organization: str) -> Person:
    """Return the seeded person with this first name in the organization, whatever their role."""
    for someone in TABLE:
        if someone.first_name == first_name and someone.organization == organization:
            return someone
    raise LookupError(f"no seeded person {first_name!r} in {organization!r}")


def person(first_name: str, role: str, organization: str) -> Person:
    """Return the seeded person, checking the feature states their role and organization right."""
    someone = person_named(first_name, organization)
    if someone.role != role:
        raise LookupError(f"{first_name} is {someone.role} of {organization}, not {role}")
    return someone


def owner_of(organization: str) -> Person:
    """Return the seeded Owner of an organization (who checks state behind the scenes)."""
    for someone in TABLE:
        if someone.organization == organization and someone.role == "Owner":
            return someone
    raise LookupError(f"no seeded Owner of {organization!r}")


def names_the_actor(who: str, actor: Person) -> bool:
    """True when a step's subject ("Olivia", "she") can only mean the person acting."""
    return who.lower() in PRONOUNS or who == actor.first_name


def unique_suffix() -> str:
    """A short suffix that makes a created person's name unique on any deployment.

    uuid, not ``random``: pytest-randomly reseeds ``random`` identically for every test.
    """
    return uuid.uuid4().hex[:8]
