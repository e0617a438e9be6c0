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
    "replace.no-create": (
        "Because SCIM resource identifiers are assigned by the service provider, HTTP PUT MUST "
        "NOT be used to create new resources."
    ),
    "delete.omitted-from-queries": (
        "Service providers MUST omit the resource from future query results."
    ),
    "create.required-extension": (
        "If true, a resource of this type MUST include this schema extension and also include "
        "any attributes declared as required in this schema extension."
    ),
    "etag.not-modified.etag": (
        "The server generating a 304 response MUST generate any of the following header "
        "fields that would have been sent in a 200 (OK) response to the same request: "
        "Cache-Control, Content-Location, Date, ETag, Expires, and Vary."
    ),
    "etag.preconditions-after-existence": (
        "A server MUST ignore all received preconditions if its response to the same request "
        "without those conditions would have been a status code other than a 2xx (Successful) "
        "or 412 (Precondition Failed)."
    ),
    "values.attribute-order": (
        "Servers and clients MUST NOT require or expect attributes to be in any specific order "
        "when an object is either generated or analyzed."
    ),
    "values.schemas-order": "Value order is not specified and MUST NOT impact behavior.",
    "values.primary-once": 'The primary attribute value "true" MUST appear no more than once.',
    "values.removed-multi-valued-unassigned": (
        "If no other values remain after removal of the selected values, the multi-valued "
        "attribute SHALL be considered unassigned."
    ),
    "values.removed-sub-attribute-unassigned": (
        "Sub-attributes whose values have been removed SHALL be considered unassigned."
    ),
    "values.replace-absent-adds": (
        "If the target location path specifies an attribute that does not exist, the service "
        'provider SHALL treat the operation as an "add".'
    ),
    "references.member-ref": (
        "The value MUST be the absolute or relative URI of the target resource."
    ),
    "references.user-groups": (
        'If the SCIM service provider exposes a "Group" resource, the "value" sub-attribute '
        'MUST be the "id", and the "$ref" sub-attribute must be the URI of the corresponding '
        '"Group" resources to which the user belongs.'
    ),
    "query.paging.partial-page-fields": (
        "startIndex: The 1-based index of the first result in the current set of list "
        "results. REQUIRED when partial results are returned due to pagination."
    ),
    "query.excluded-attributes.returned-always": (
        'This parameter SHALL have no effect on attributes whose schema "returned" setting is '
        '"always" (see Sections 2.2 and 7 of [RFC7643]).'
    ),
    "values.binary-base64": (
        "The attribute value MUST be base64 encoded as specified in Section 4 of [RFC4648]."
    ),
    "common.id.unique": (
        "This identifier MUST be unique across the SCIM service provider's entire set of resources."
    ),
}
