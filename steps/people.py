"""The seeded people and organizations the features talk about, looked up by name."""

from __future__ import annotations

from dataclasses import dataclass

from stub_server.seed import ORGANIZATIONS, PEOPLE, SEED_PASSWORD

PRONOUNS = frozenset({"she", "he", "they"})


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


def organization_uid(name: str) -> str:
    """Return the uid of the seeded organization with this display name."""
    for uid, _slug, org_name, *_rest in ORGANIZATIONS:
        if org_name == name:
            return uid
    known = ", ".join(org[2] for org in ORGANIZATIONS)
    raise LookupError(f"no seeded organization {name!r} (known: {known})")


def person(first_name: str, role: str, organization: str) -> Person:
    """Return the seeded person, checking the feature states their role and organization right."""
    org_names = {slug: name for _uid, slug, name, *_rest in ORGANIZATIONS}
    for email, first, last, slug, seeded_role in PEOPLE:
        if first == first_name and org_names[slug] == organization:
            if seeded_role != role:
                raise LookupError(f"{first_name} is {seeded_role} of {organization}, not {role}")
            return Person(first, last, email, organization, seeded_role)
    raise LookupError(f"no seeded person {first_name!r} in {organization!r}")


def person_named(first_name: str, organization: str) -> Person:
    """Return the seeded person with this first name in the organization, whatever their role."""
    org_names = {slug: name for _uid, slug, name, *_rest in ORGANIZATIONS}
    for email, first, last, slug, role in PEOPLE:
        if first == first_name and org_names[slug] == organization:
            return Person(first, last, email, organization, role)
    raise LookupError(f"no seeded person {first_name!r} in {organization!r}")


def owner_of(organization: str) -> Person:
    """Return the seeded Owner of an organization (used to check state behind the scenes)."""
    org_names = {slug: name for _uid, slug, name, *_rest in ORGANIZATIONS}
    for email, first, last, slug, role in PEOPLE:
        if org_names[slug] == organization and role == "Owner":
            return Person(first, last, email, organization, role)
    raise LookupError(f"no seeded Owner of {organization!r}")


def check_actor(actor: Person, who: str) -> None:
    """Fail loudly when a step names someone other than the person signed in."""
    if who.lower() not in PRONOUNS and who != actor.first_name:
        raise AssertionError(f"the step names {who}, but {actor.first_name} is signed in")
