"""Fixtures for the SCIM service unit tests (in-process test clients; see tests.scim_helpers)."""

from tests.scim_helpers import (
    other_scim,
    reusable_scim_stub,
    scim,
    scim_app,
    scim_storage,
    scim_token,
)

__all__ = [
    "other_scim",
    "reusable_scim_stub",
    "scim",
    "scim_app",
    "scim_storage",
    "scim_token",
]
