"""Persistence: the SQLite database (``Storage``) and the store of SCIM Users and Groups.

The bottom layer of the stub: it imports only the SCIM protocol library (filters to SQL), never
the domain, the UI or the SCIM service. Views reach the database through ``get_storage()``.
"""

from stub_server.storage.database import (
    TOKEN_PREFIX,
    AuditFilter,
    Storage,
    get_storage,
    hash_token,
    init_app,
    storage_of,
    utc_now,
)
from stub_server.storage.resource_store import (
    ResourceNotFound,
    ResourceQuery,
    ResourceStore,
    StoredResource,
    UniquenessConflict,
    VersionConflict,
)
from stub_server.storage.role_grants import Grant, GroupMapping, Membership

__all__ = [
    "TOKEN_PREFIX",
    "AuditFilter",
    "Grant",
    "GroupMapping",
    "Membership",
    "ResourceNotFound",
    "ResourceQuery",
    "ResourceStore",
    "Storage",
    "StoredResource",
    "UniquenessConflict",
    "VersionConflict",
    "get_storage",
    "hash_token",
    "init_app",
    "storage_of",
    "utc_now",
]
