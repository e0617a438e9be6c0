"""scimproof's reference stub: Contentstack-like organization settings plus a SCIM 2.0 service."""

from stub_server.app import create_app

__all__ = ["create_app"]
