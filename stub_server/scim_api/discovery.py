"""Discovery documents (RFC 7644 §4, RFC 7643 §5-§7), built once per base URL and cached."""

from __future__ import annotations

from functools import lru_cache

from stub_server.scim import urns
from stub_server.scim.schema_definitions import SCHEMA_DOCUMENTS

DOCS_URI = "https://www.contentstack.com/docs/developers/scim"


def service_provider_config(
    base: str, max_operations: int, max_payload: int, max_results: int
) -> dict:
    """What the service implements, truthfully (RFC 7643 §5)."""
    return {
        "schemas": [urns.SPC_SCHEMA],
        "documentationUri": DOCS_URI,
        "patch": {"supported": True},
        "bulk": {"supported": True, "maxOperations": max_operations, "maxPayloadSize": max_payload},
        "filter": {"supported": True, "maxResults": max_results},
        "changePassword": {"supported": True},
        "sort": {"supported": True},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "A bearer token generated in Organization Settings > SCIM 2.0.",
                "specUri": "https://www.rfc-editor.org/info/rfc6750",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }


@lru_cache(maxsize=64)
def resource_types(base: str) -> tuple[dict, ...]:
    """The User and Group resource types (RFC 7643 §6)."""
    return (
        {
            "schemas": [urns.RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "User Account",
            "schema": urns.USER_SCHEMA,
            "schemaExtensions": [{"schema": urns.ENTERPRISE_SCHEMA, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"},
        },
        {
            "schemas": [urns.RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Group",
            "schema": urns.GROUP_SCHEMA,
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/Group"},
        },
    )


@lru_cache(maxsize=64)
def schemas(base: str) -> tuple[dict, ...]:
    """Every schema definition (RFC 7643 §7, §8.7)."""
    return tuple(
        {
            "schemas": [urns.SCHEMA_SCHEMA],
            "id": urn,
            "name": name,
            "description": description,
            "attributes": attributes,
            "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{urn}"},
        }
        for urn, name, description, attributes in SCHEMA_DOCUMENTS
    )
