"""Every table of the stub's database, applied once by ``Storage.migrate`` (an explicit step).

The core tables hold organizations, accounts, memberships, SCIM tokens and the audit log; the
resource tables hold SCIM Users and Groups for ``SqliteResourceStore``. Every statement is
idempotent (``IF NOT EXISTS``) so a database created by an older stub gains what it lacks.
"""

from __future__ import annotations

CORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    uid TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    plan TEXT NOT NULL,
    plan_includes_scim INTEGER NOT NULL,
    scim_enabled INTEGER NOT NULL DEFAULT 0,
    scim_enabled_at TEXT,
    scim_rate_limit INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS accounts (
    uid TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT
);
CREATE TABLE IF NOT EXISTS memberships (
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    account_uid TEXT NOT NULL REFERENCES accounts(uid) ON DELETE CASCADE,
    role TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'invite',
    PRIMARY KEY (org_uid, account_uid)
);
CREATE TABLE IF NOT EXISTS scim_tokens (
    id INTEGER PRIMARY KEY,
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS scim_tokens_org ON scim_tokens(org_uid, revoked_at);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    org_uid TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    event TEXT NOT NULL,
    application TEXT NOT NULL,
    remote_addr TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_log_org ON audit_log(org_uid, id);
"""

RESOURCE_SCHEMA = """
CREATE TABLE IF NOT EXISTS scim_users (
    seq INTEGER PRIMARY KEY,
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    user_name_key TEXT NOT NULL,
    external_id TEXT,
    display_name TEXT,
    display_name_key TEXT,
    active INTEGER,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    version INTEGER NOT NULL,
    password_hash TEXT,
    account_uid TEXT,
    resource TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS scim_users_id ON scim_users(org_uid, id);
CREATE UNIQUE INDEX IF NOT EXISTS scim_users_user_name ON scim_users(org_uid, user_name_key);
CREATE INDEX IF NOT EXISTS scim_users_org ON scim_users(org_uid);
CREATE INDEX IF NOT EXISTS scim_users_external_id ON scim_users(org_uid, external_id);
CREATE INDEX IF NOT EXISTS scim_users_display_name ON scim_users(org_uid, display_name_key);
CREATE INDEX IF NOT EXISTS scim_users_active ON scim_users(org_uid, active);
CREATE INDEX IF NOT EXISTS scim_users_created ON scim_users(org_uid, created);
CREATE INDEX IF NOT EXISTS scim_users_modified ON scim_users(org_uid, last_modified);
CREATE TABLE IF NOT EXISTS scim_user_emails (
    user_seq INTEGER NOT NULL REFERENCES scim_users(seq) ON DELETE CASCADE,
    org_uid TEXT NOT NULL,
    value_key TEXT,
    type_key TEXT,
    is_primary INTEGER
);
CREATE INDEX IF NOT EXISTS scim_user_emails_value ON scim_user_emails(org_uid, value_key);
CREATE INDEX IF NOT EXISTS scim_user_emails_user ON scim_user_emails(user_seq);
CREATE TABLE IF NOT EXISTS scim_groups (
    seq INTEGER PRIMARY KEY,
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    display_name_key TEXT NOT NULL,
    external_id TEXT,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    version INTEGER NOT NULL,
    resource TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS scim_groups_id ON scim_groups(org_uid, id);
CREATE INDEX IF NOT EXISTS scim_groups_org ON scim_groups(org_uid);
CREATE INDEX IF NOT EXISTS scim_groups_display_name ON scim_groups(org_uid, display_name_key);
CREATE INDEX IF NOT EXISTS scim_groups_external_id ON scim_groups(org_uid, external_id);
CREATE INDEX IF NOT EXISTS scim_groups_created ON scim_groups(org_uid, created);
CREATE INDEX IF NOT EXISTS scim_groups_modified ON scim_groups(org_uid, last_modified);
CREATE TABLE IF NOT EXISTS scim_group_members (
    group_seq INTEGER NOT NULL REFERENCES scim_groups(seq) ON DELETE CASCADE,
    org_uid TEXT NOT NULL,
    member_id TEXT NOT NULL,
    member_type TEXT NOT NULL,
    UNIQUE (group_seq, member_id)
);
CREATE INDEX IF NOT EXISTS scim_group_members_member ON scim_group_members(org_uid, member_id);
CREATE TABLE IF NOT EXISTS scim_counts (
    org_uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_uid, kind)
);
CREATE TABLE IF NOT EXISTS scim_seq_buckets (
    org_uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_uid, kind, bucket)
);
"""

# Rows per bucket of ``seq`` values (a power of two: bucket = seq >> BUCKET_BITS).
BUCKET_BITS = 10

# Unfiltered lists need totalResults; counting 100k index entries per page costs
# milliseconds, so triggers keep a per-organization count in the same transaction.
_COUNT_TRIGGERS = "".join(
    f"""
CREATE TRIGGER IF NOT EXISTS {table}_count_insert AFTER INSERT ON {table} BEGIN
    INSERT INTO scim_counts (org_uid, kind, n) VALUES (NEW.org_uid, '{resource_type}', 1)
    ON CONFLICT (org_uid, kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS {table}_count_delete AFTER DELETE ON {table} BEGIN
    UPDATE scim_counts SET n = n - 1 WHERE org_uid = OLD.org_uid AND kind = '{resource_type}';
END;
"""
    for table, resource_type in (("scim_users", "User"), ("scim_groups", "Group"))
)

# A deep page in the default order (by seq) would make OFFSET walk every index entry before
# it; per-bucket counts let fetch_many jump to the right bucket and skip at most one bucket.
_BUCKET_TRIGGERS = "".join(
    f"""
CREATE TRIGGER IF NOT EXISTS {table}_bucket_insert AFTER INSERT ON {table} BEGIN
    INSERT INTO scim_seq_buckets (org_uid, kind, bucket, n)
    VALUES (NEW.org_uid, '{resource_type}', NEW.seq >> {BUCKET_BITS}, 1)
    ON CONFLICT (org_uid, kind, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS {table}_bucket_delete AFTER DELETE ON {table} BEGIN
    UPDATE scim_seq_buckets SET n = n - 1
    WHERE org_uid = OLD.org_uid AND kind = '{resource_type}' AND bucket = OLD.seq >> {BUCKET_BITS};
END;
"""
    for table, resource_type in (("scim_users", "User"), ("scim_groups", "Group"))
)

RESOURCE_SCHEMA += _COUNT_TRIGGERS + _BUCKET_TRIGGERS

# Stacks, the roles SCIM group mappings grant, and who holds which stack role through which
# group. A membership's ``given_role`` is the role without any group (given by hand, or Member
# for SCIM); ``via_group_id`` names the mapped group that raised ``role`` above it.
ACCESS_SCHEMA = """
CREATE TABLE IF NOT EXISTS stacks (
    uid TEXT PRIMARY KEY,
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    name TEXT NOT NULL,
    environments TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS stacks_org ON stacks(org_uid, name);
CREATE TABLE IF NOT EXISTS group_mappings (
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    group_id TEXT NOT NULL,
    org_role TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (org_uid, group_id)
);
CREATE TABLE IF NOT EXISTS group_mapping_stack_roles (
    org_uid TEXT NOT NULL,
    group_id TEXT NOT NULL,
    stack_uid TEXT NOT NULL REFERENCES stacks(uid) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (org_uid, group_id, stack_uid),
    FOREIGN KEY (org_uid, group_id) REFERENCES group_mappings(org_uid, group_id)
        ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS stack_role_grants (
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    account_uid TEXT NOT NULL REFERENCES accounts(uid) ON DELETE CASCADE,
    stack_uid TEXT NOT NULL REFERENCES stacks(uid) ON DELETE CASCADE,
    role TEXT NOT NULL,
    via_group_id TEXT,
    PRIMARY KEY (org_uid, account_uid, stack_uid)
);
"""

# Server-side sign-in sessions and sign-in throttling (``stub_server.sessions``).
SESSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS ui_sessions (
    id_hash TEXT PRIMARY KEY,
    account_uid TEXT,
    created_at REAL NOT NULL,
    last_seen REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ui_sessions_last_seen ON ui_sessions(last_seen);
CREATE INDEX IF NOT EXISTS ui_sessions_account ON ui_sessions(account_uid);
CREATE TABLE IF NOT EXISTS sign_in_failures (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure REAL NOT NULL,
    refused_until REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, key)
);
"""

# Columns added after a table first shipped: (table, column, definition), added when missing.
ADDED_COLUMNS = (
    ("memberships", "given_role", "TEXT"),
    ("memberships", "via_group_id", "TEXT"),
)

MIGRATIONS = (CORE_SCHEMA, RESOURCE_SCHEMA, ACCESS_SCHEMA, SESSIONS_SCHEMA)
