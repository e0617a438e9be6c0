"""The RFC sentences of the checks that close the gaps of the coverage inventory (issue 8).

Quoted exactly as conformance/coverage/sentences.toml holds them; conformance.requirements
merges them into REQUIREMENTS, so they decide these checks' levels like every other quote.
"""

from __future__ import annotations

SCHEMAS_ONLY_DECLARED = (
    'The "schemas" attribute for a resource MUST only contain values defined as "schema" and '
    '"schemaExtensions" for the resource\'s defined "resourceType".'
)

GAP_REQUIREMENTS = {
    "common.schemas.declared": SCHEMAS_ONLY_DECLARED,
    "common.schemas.no-duplicates": "Duplicate values MUST NOT be included.",
    "common.external-id.client-only": (
        'The value of the "externalId" attribute is always issued by the provisioning client '
        "and MUST NOT be specified by the service provider."
    ),
    "common.id.no-bulk-id": (
        'The string "bulkId" is a reserved keyword and MUST NOT be used within any unique '
        "identifier value."
    ),
    "common.meta.unmodified-equals-created": (
        "If this resource has never been modified since its initial creation, the value MUST "
        'be the same as the value of "created".'
    ),
    "common.meta.content-location": (
        'This value MUST be the same as the "Content-Location" HTTP response header (see '
        "Section 3.1.4.2 of [RFC7231])."
    ),
    "schema.attribute-names": "Attribute names MUST conform to the following ABNF rules:",
    "schema.complex-not-nested": (
        "A complex attribute MUST NOT contain sub-attributes that have sub-attributes (i.e., "
        "that are complex)."
    ),
    "discovery.schemas.no-message-urns": (
        "As SCIM protocol messages are fixed and defined by SCIM specifications and registered "
        "extensions, SCIM message schemas using the above prefix URN SHALL NOT be discoverable "
        'using the "/Schemas" endpoint.'
    ),
    "discovery.lists.query-ignored": (
        "Query parameters described in Section 3.4.2, such as filtering, sorting, and "
        "pagination, SHALL be ignored."
    ),
}
