"""Seed data: the organizations and people the README documents and the features use."""

from __future__ import annotations

from functools import lru_cache

from werkzeug.security import generate_password_hash

from stub_server import roles
from stub_server.storage import Storage

SEED_PASSWORD = "scimproof-demo"

ORGANIZATIONS = [
    # uid, slug, name, plan, plan includes SCIM
    ("blt0acme000000001", "acme", "Acme", "Enterprise", True),
    ("blt0basic00000002", "basic-co", "Basic Co", "Starter", False),
]

PEOPLE = [
    # e-mail, first name, last name, organization slug, role
    ("olivia.owner@acme.example", "Olivia", "Owner", "acme", roles.OWNER),
    ("adam.admin@acme.example", "Adam", "Admin", "acme", roles.ADMIN),
    ("sara.security@acme.example", "Sara", "Security", "acme", roles.SECURITY_MANAGER),
    ("max.member@acme.example", "Max", "Member", "acme", roles.MEMBER),
    ("paula.viewer@acme.example", "Paula", "Viewer", "acme", roles.PRODUCT_ANALYTICS_VIEWER),
    ("bob.owner@basic.example", "Bob", "Owner", "basic-co", roles.OWNER),
]

STACKS = [
    # uid, organization slug, name, environments
    ("blt0stack00000001", "acme", "Marketing Site", "Production, Staging"),
    ("blt0stack00000002", "acme", "Docs Portal", "Production, Development"),
    ("blt0stack00000003", "acme", "Mobile App", "Production"),
    ("blt0stack00000004", "basic-co", "Company Website", "Production"),
]


# Seeded demo accounts use fewer PBKDF2 rounds than werkzeug's default so that a sign-in
# per test scenario stays fast; real sign-ups would use the default. The app's
# PASSWORD_HASH_METHOD config overrides it (unit tests sign in hundreds of times).
SEED_HASH_METHOD = "pbkdf2:sha256:50000"


@lru_cache(maxsize=4)
def password_hash(password: str, method: str = SEED_HASH_METHOD) -> str:
    """The hash of a seeded (or decoy) password with ``method``, computed once per process."""
    return generate_password_hash(password, method=method)


def seed(storage: Storage, hash_method: str = SEED_HASH_METHOD) -> None:
    """Insert the seeded organizations, stacks and people unless they already exist."""
    seeded_hash = password_hash(SEED_PASSWORD, hash_method)
    slug_to_uid = {slug: uid for uid, slug, *_ in ORGANIZATIONS}
    with storage.transaction() as conn:
        for uid, slug, name, plan, includes_scim in ORGANIZATIONS:
            conn.execute(
                "INSERT OR IGNORE INTO organizations (uid, slug, name, plan, plan_includes_scim) "
                "VALUES (?, ?, ?, ?, ?)",
                (uid, slug, name, plan, int(includes_scim)),
            )
        conn.executemany(
            "INSERT OR IGNORE INTO stacks (uid, org_uid, name, environments) VALUES (?, ?, ?, ?)",
            [(uid, slug_to_uid[slug], name, envs) for uid, slug, name, envs in STACKS],
        )
        for index, (email, first, last, slug, role) in enumerate(PEOPLE, start=1):
            account_uid = f"blt0user{index:09d}"
            conn.execute(
                "INSERT OR IGNORE INTO accounts (uid, email, first_name, last_name, password_hash) "
                "VALUES (?, ?, ?, ?, ?)",
                (account_uid, email, first, last, seeded_hash),
            )
            conn.execute(
                "INSERT OR IGNORE INTO memberships (org_uid, account_uid, role, given_role) "
                "VALUES (?, ?, ?, ?)",
                (slug_to_uid[slug], account_uid, role, role),
            )
