"""The RFC sentence each check enforces, quoted exactly: its keyword decides the check's level.

MUST, SHALL and REQUIRED make a check able to ``fail``; SHOULD and RECOMMENDED a ``warn``;
anything else (MAY, OPTIONAL, a description without a keyword) at most ``info``.
``DESCRIPTIVE`` lists the checks whose rule the RFC states as plain description of what an
operation does (the PATCH operation table, "the server responds with 200"): they keep the level
the project gave them and say so, and are the first candidates for review.
"""

from __future__ import annotations

import re

from conformance.gap_requirements import GAP_REQUIREMENTS

# RFC 7644 §3.4.2.2: the sentence every filter operator and logical-operator check rests on.
FILTER_MATCHES = (
    "When specified, only those resources matching the filter expression SHALL be returned."
)
ERRORS_IN_BODY = (
    "In addition to returning an HTTP response code, implementers MUST return the errors in "
    "the body of the response in a JSON format, using the attributes described below."
)
CREATED_201 = (
    "When the service provider successfully creates the new resource, an HTTP response SHALL "
    "be returned with HTTP status code 201 (Created)."
)
LOCATION = (
    'The URI of the created resource SHALL include, in the HTTP "Location" header and the HTTP '
    'body, a JSON representation [RFC7159] with the attribute "meta.location".'
)
IDENTITY = (
    "All representations of SCIM schemas MUST include a non-empty array with value(s) of the "
    "URIs supported by that representation."
)
META_ASSIGNED = (
    'When accepted by a service provider (e.g., after a SCIM create), the attributes "id" and '
    '"meta" (and its associated sub-attributes) MUST be assigned values by the service provider.'
)
META_CREATED = (
    'created The "DateTime" that the resource was added to the service provider. This '
    "attribute MUST be a DateTime."
)
DELETED_404 = (
    "Service providers MAY choose not to permanently delete the resource but MUST return a 404 "
    "(Not Found) error code for all operations associated with the previously deleted resource."
)
DELETE_204 = (
    "In response to a successful DELETE, the server SHALL return a successful HTTP status code "
    "204 (No Content)."
)
PUT_200 = (
    "Unless otherwise specified, a successful PUT operation returns a 200 OK response code and "
    "the entire resource within the response body, enabling the client to correlate the "
    "client's and the service provider's views of the updated resource."
)
PUT_REPLACES = (
    "readWrite, writeOnly Any values provided SHALL replace the existing attribute values."
)
PUT_READ_ONLY = "readOnly Any values provided SHALL be ignored."
READ_ONLY_IGNORED = (
    'In the request body, attributes whose mutability is "readOnly" (see Sections 2.2 and 7 of '
    "[RFC7643]) SHALL be ignored."
)
PASSWORD_NEVER = (
    'The mutability of the password attribute is "writeOnly", indicating that the value MUST '
    'NOT be returned by a service provider in any form (the attribute characteristic "returned" '
    'is "never").'
)
CONFLICT_409 = (
    "If the service provider determines that the creation of the requested resource conflicts "
    'with existing resources (e.g., a "User" resource with a duplicate "userName"), the service '
    'provider MUST return HTTP status code 409 (Conflict) with a "scimType" error code of '
    '"uniqueness", as per Section 3.12.'
)
SCIM_TYPE_OPTIONAL = "scimType A SCIM detail error keyword. See Table 9. OPTIONAL."
UNKNOWN_OPERATOR = (
    "Providers MUST decline to filter results if the specified filter operation is not "
    'recognized and return an HTTP 400 error with a "scimType" error of "invalidFilter" and an '
    "appropriate human-readable response as per Section 3.12."
)
ATTRIBUTES_SUPPORTED = (
    "SCIM clients MAY use one of these two OPTIONAL parameters, which MUST be supported by SCIM "
    "service providers:"
)
RETURNED_ALWAYS = (
    'This parameter SHALL have no effect on attributes whose schema "returned" setting is '
    '"always" (see Sections 2.2 and 7 of [RFC7643]).'
)
COUNT_AT_MOST = (
    "When specified, the service provider MUST NOT return more results than specified, "
    "although it MAY return fewer results."
)
SORT_BY_TYPE = (
    '"sortOrder" MUST sort according to the attribute type; i.e., for case-insensitive '
    "attributes, sort the result using case-insensitive Unicode alphabetic sort order with no "
    "specific locale implied, and for case-exact attribute types, sort the result using "
    "case-sensitive Unicode alphabetic sort order."
)
CASE_EXACT = "The server SHALL use case sensitivity when evaluating filters."
SUB_ATTRIBUTES_SHALL = (
    "If the target location specifies a complex attribute, a set of sub-attributes SHALL be "
    'specified in the "value" parameter.'
)
PATCH_ADD_VALUE = (
    'The operation MUST contain a "value" member whose content specifies the value to be added.'
)
PATCH_OP = (
    'Each PATCH operation object MUST have exactly one "op" member, whose value indicates the '
    'operation to perform and MAY be one of "add", "remove", or "replace".'
)
PATCH_SCHEMAS = (
    'Clients MAY implicitly modify the "schemas" attribute by adding (or replacing) an '
    "attribute with its fully qualified name, including schema URN."
)
PATCH_ATOMIC = (
    "If a single operation encounters an error condition, the original SCIM resource MUST be "
    "restored, and a failure status SHALL be returned."
)
PATCH_200 = (
    'The server MUST return a 200 OK if the "attributes" parameter is specified in the request.'
)
REMOVE_UNASSIGNED = (
    "If no other values remain after removal of the selected values, the multi-valued "
    "attribute SHALL be considered unassigned."
)
NO_TARGET = (
    "If the target location is a multi-valued attribute for which a value selection filter "
    '("valuePath") has been supplied and no record match was made, the service provider SHALL '
    'indicate failure by returning HTTP status code 400 and a "scimType" error code of '
    '"noTarget".'
)
ETAG_HEADER = (
    "When supported, SCIM ETags MUST be specified as an HTTP header and SHOULD be specified "
    "within the 'version' attribute contained in the resource's 'meta' attribute."
)
IF_MATCH = (
    "An origin server MUST NOT perform the requested method if a received If-Match condition "
    "evaluates to false; instead, the origin server MUST respond with either a) the 412 "
    "(Precondition Failed) status code or b) one of the 2xx (Successful) status codes if the "
    "origin server has verified that a state change is being requested and the final state is "
    "already reflected in the current state of the target resource (i.e., the change requested "
    "by the user agent has already succeeded, but the user agent might not be aware of it, "
    "perhaps because the prior response was lost or a compatible change was made by some other "
    "user agent)."
)
IF_NONE_MATCH = (
    "An origin server MUST NOT perform the requested method if the condition evaluates to "
    "false; instead, the origin server MUST respond with either a) the 304 (Not Modified) status "
    "code if the request method is GET or HEAD or b) the 412 (Precondition Failed) status code "
    "for all other request methods."
)
BULK_413 = (
    "If either limit is exceeded, the service provider MUST return HTTP response code 413 "
    "(Payload Too Large)."
)
BULK_CONTINUE = (
    "The service provider MUST continue performing as many changes as possible and disregard "
    "partial failures."
)
BULK_ID = (
    'The service provider MUST replace the string "bulkId:qwerty" with the permanent resource '
    "id once created."
)
MEDIA_TYPE = (
    'Service providers MUST support the "Accept" header "Accept: application/scim+json" and '
    'SHOULD support the header "Accept: application/json", both of which specify JSON documents '
    "conforming to [RFC7159]."
)
SEARCH_POST = (
    'The inclusion of "/.search" on the end of a valid SCIM endpoint SHALL be used to indicate '
    "that the HTTP POST verb is intended to be a query operation."
)
LIST_RESPONSE_FORM = (
    "When returning multiple ResourceTypes or Schemas, the message form described by the "
    '"urn:ietf:params:scim:api:messages:2.0:ListResponse" (ListResponse) form SHALL be used as '
    "shown in Figure 3 and in Figure 9 below."
)

REQUIREMENTS: dict[str, str] = {
    "auth.error-body": ERRORS_IN_BODY,
    "auth.missing-token": (
        "Regardless of methodology, the SCIM service provider MUST be able to map the "
        "authenticated client to an access control policy in order to determine the client's "
        "authorization to retrieve and update SCIM resources."
    ),
    "auth.scheme-case-insensitive": (
        "It uses a case-insensitive token as a means to identify the authentication scheme, "
        "followed by additional information necessary for achieving authentication via that "
        "scheme."
    ),
    "auth.write-refused": (
        "Regardless of methodology, the SCIM service provider MUST be able to map the "
        "authenticated client to an access control policy in order to determine the client's "
        "authorization to retrieve and update SCIM resources."
    ),
    "auth.wrong-scheme": (
        "Regardless of methodology, the SCIM service provider MUST be able to map the "
        "authenticated client to an access control policy in order to determine the client's "
        "authorization to retrieve and update SCIM resources."
    ),
    "auth.wrong-token": (
        "Regardless of methodology, the SCIM service provider MUST be able to map the "
        "authenticated client to an access control policy in order to determine the client's "
        "authorization to retrieve and update SCIM resources."
    ),
    "auth.www-authenticate": (
        "As per Section 4.1 of [RFC7235], a SCIM service provider SHALL indicate supported HTTP "
        'authentication schemes via the "WWW-Authenticate" header.'
    ),
    "bulk.bulk-id-reference": BULK_ID,
    "bulk.continues-after-error": BULK_CONTINUE,
    "bulk.fail-on-errors": (
        "failOnErrors An integer specifying the number of errors that the service provider "
        "will accept before the operation is terminated and an error response is returned."
    ),
    "bulk.forward-reference": (
        "The service provider MUST try to resolve circular cross-references between resources "
        "in a single bulk job but MAY stop after a failed attempt and instead return HTTP "
        "status code 409 (Conflict)."
    ),
    "bulk.forward-reference.created-once": BULK_ID,
    "bulk.max-operations": BULK_413,
    "bulk.max-payload-size": BULK_413,
    "bulk.response-format": (
        "If a bulk job is processed successfully, HTTP response code 200 OK MUST be returned; "
        "otherwise, an appropriate HTTP error code MUST be returned."
    ),
    "claims.case-exact.filter": CASE_EXACT,
    "claims.case-exact.preserve": (
        "For attributes that are case exact, the server SHALL preserve case for any value "
        "submitted."
    ),
    "claims.filter.max-results": COUNT_AT_MOST,
    "claims.immutable.declared": "The attribute SHALL NOT be updated.",
    "claims.read-only.groups": READ_ONLY_IGNORED,
    "claims.returned.always": RETURNED_ALWAYS,
    "claims.returned.request": (
        "request The attribute is returned in response to any PUT, POST, or PATCH operations if "
        'specified in the "attributes" parameter.'
    ),
    "claims.uniqueness.case-insensitive": CONFLICT_409,
    "claims.uniqueness.declared": CONFLICT_409,
    "content-type.accept-json": MEDIA_TYPE,
    "content-type.default": (
        'The format defaults to "application/scim+json" if no format is specified.'
    ),
    "content-type.error-statuses": (
        'To identify this content, SCIM uses a media type of "application/scim+json" (see '
        "Section 8.1)."
    ),
    "content-type.errors": (
        'To identify this content, SCIM uses a media type of "application/scim+json" (see '
        "Section 8.1)."
    ),
    "content-type.request-json": MEDIA_TYPE,
    "content-type.scim-json": MEDIA_TYPE,
    "content-type.utf8": "UTF-8 SHALL be the default encoding format.",
    "discovery.lists.total-results": (
        "totalResults The total number of results returned by the list or query operation. "
        "[...] REQUIRED."
    ),
    "discovery.resource-types.by-id": (
        'In cases where a request is for a specific "ResourceType" or "Schema", the single JSON '
        "object is returned in the same way that a single User or Group is retrieved, as per "
        "Section 3.4.1."
    ),
    "discovery.resource-types.endpoints": (
        "endpoint The resource type's HTTP-addressable endpoint relative to the Base URL of the "
        'service provider, e.g., "Users". REQUIRED.'
    ),
    "discovery.resource-types.endpoint-relative": (
        "endpoint The resource type's HTTP-addressable endpoint relative to the Base URL of the "
        'service provider, e.g., "Users". REQUIRED.'
    ),
    "discovery.resource-types.list": LIST_RESPONSE_FORM,
    "discovery.resource-types.schema": (
        "schema The resource type's primary/base schema URI, e.g., "
        '"urn:ietf:params:scim:schemas:core:2.0:User". This MUST be equal to the "id" attribute '
        'of the associated "Schema" resource. REQUIRED.'
    ),
    "discovery.resource-types.schemas-published": (
        "schema The resource type's primary/base schema URI, e.g., "
        '"urn:ietf:params:scim:schemas:core:2.0:User". This MUST be equal to the "id" attribute '
        'of the associated "Schema" resource. REQUIRED.'
    ),
    "discovery.schemas.by-id": (
        'In cases where a request is for a specific "ResourceType" or "Schema", the single JSON '
        "object is returned in the same way that a single User or Group is retrieved, as per "
        "Section 3.4.1."
    ),
    "discovery.schemas.list": (
        'An HTTP GET to the endpoint "/Schemas" SHALL return all supported schemas in '
        "ListResponse format (see Figure 3)."
    ),
    "discovery.schemas.schema": (
        "attributes A complex type that defines service provider attributes and their "
        "qualities via the following set of sub-attributes: [...] REQUIRED."
    ),
    "discovery.spc.authentication-schemes": (
        "To enable seamless discovery of configurations, the service provider SHOULD, with the "
        "appropriate security considerations, make the authenticationSchemes attribute publicly "
        "accessible without prior authentication."
    ),
    "discovery.spc.available": (
        'This endpoint SHALL return responses with a JSON object using a "schemas" attribute of '
        '"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig".'
    ),
    "discovery.spc.filter-forbidden": (
        'If a "filter" is provided, the service provider SHOULD respond with HTTP status code '
        "403 (Forbidden) to ensure that clients cannot incorrectly assume that any matching "
        "conditions specified in a filter are true."
    ),
    "discovery.spc.schema": (
        "patch A complex type that specifies PATCH configuration options. REQUIRED."
    ),
    "discovery.unknown-id.error-body": ERRORS_IN_BODY,
    "errors.invalid-json.scim-type": SCIM_TYPE_OPTIONAL,
    "errors.invalid-json.status": ERRORS_IN_BODY,
    "errors.missing-required.scim-type": SCIM_TYPE_OPTIONAL,
    "errors.missing-required.status": "Each User MUST include a non-empty userName value.",
    "errors.not-found.body": ERRORS_IN_BODY,
    "errors.scim-type.fits-status": (
        "Implementers SHOULD handle the identified HTTP status codes as described below."
    ),
    "etag.changes-on-update": ETAG_HEADER,
    "etag.header": ETAG_HEADER,
    "etag.if-match-current": (
        "If the service provider supports versioning of resources, the client MAY supply an "
        "If-Match header (Section 3.1 of [RFC7232]) for PUT and PATCH operations to ensure that "
        "the requested operation succeeds only if the supplied ETag matches the latest service "
        'provider resource, e.g., If-Match: W/"e180ee84f0671b1"'
    ),
    "etag.if-match-mismatch": IF_MATCH,
    "etag.if-none-match": IF_NONE_MATCH,
    "etag.meta-version": ETAG_HEADER,
    "groups.create.identity": IDENTITY,
    "groups.create.location-header": LOCATION,
    "groups.create.members": (
        "Since the server is free to alter and/or ignore POSTed content, returning the full "
        "representation can be useful to the client, enabling it to correlate the client's and "
        "server's views of the new resource."
    ),
    "groups.create.meta": META_CREATED,
    "groups.create.schema-valid": IDENTITY,
    "groups.create.status": CREATED_201,
    "groups.delete.gone": DELETED_404,
    "groups.delete.members-kept": DELETED_404,
    "groups.delete.status": DELETE_204,
    "groups.members.deleted-user-removed": (
        "Service providers MAY choose not to permanently delete the resource but MUST return a "
        "404 (Not Found) error code for all operations associated with the previously deleted "
        "resource. (Membership of other resources is not named: RFC 7644 §3.6.)"
    ),
    "groups.read.by-id": LOCATION,
    "groups.replace.applied": PUT_REPLACES,
    "groups.replace.status": PUT_200,
    "patch.add.emails-appends": (
        "If the target location specifies a multi-valued attribute, a new value is added to the "
        "attribute."
    ),
    "patch.add.existing-member": (
        "If the target location already contains the value specified, no changes SHOULD be made "
        "to the resource, and a success response SHOULD be returned."
    ),
    "patch.add.members-appends": (
        "If the target location specifies a multi-valued attribute, a new value is added to the "
        "attribute."
    ),
    "patch.add.pathless": (
        'If omitted, the target location is assumed to be the resource itself. The "value" '
        "parameter contains a set of attributes to be added to the resource."
    ),
    "patch.add.single-valued": (
        "If the target location specifies a single-valued attribute, the existing value is "
        "replaced."
    ),
    "patch.atomic": PATCH_ATOMIC,
    "patch.op-case-insensitive": PATCH_OP,
    "patch.path.extension": PATCH_SCHEMAS,
    "patch.path.urn-qualified": (
        "Clients MAY omit core schema attribute URN prefixes but SHOULD fully qualify extended "
        "attributes with the associated schema extension URN to avoid naming conflicts."
    ),
    "patch.pathless.dotted-keys": PATCH_OP,
    "patch.pathless.extension-key": PATCH_SCHEMAS,
    "patch.read-only": (
        "An operation that is not compatible with an attribute's mutability or schema SHALL "
        "return the appropriate HTTP response status code and a JSON detail error response as "
        "defined in Section 3.12."
    ),
    "patch.remove.all-members": REMOVE_UNASSIGNED,
    "patch.remove.no-path": (
        'If "path" is unspecified, the operation fails with HTTP status code 400 and a '
        '"scimType" error code of "noTarget".'
    ),
    "patch.remove.required": (
        "If an attribute is removed or becomes unassigned and is defined as a required "
        "attribute or a read-only attribute, the server SHALL return an HTTP response status "
        'code and a JSON detail error response as defined in Section 3.12, with a "scimType" '
        'error code of "mutability".'
    ),
    "patch.remove.single-valued": (
        "If the target location is a single-value attribute, the attribute and its associated "
        "value is removed, and the attribute SHALL be considered unassigned."
    ),
    "patch.remove.value-filter": REMOVE_UNASSIGNED,
    "patch.replace.active": (
        "If the target location is a single-value attribute, the attributes value is replaced."
    ),
    "patch.replace.complex-merge": SUB_ATTRIBUTES_SHALL,
    "patch.replace.members": (
        "If the target location is a multi-valued attribute and no filter is specified, the "
        "attribute and all values are replaced."
    ),
    "patch.replace.pathless": (
        'If the "path" parameter is omitted, the target is assumed to be the resource itself. '
        'In this case, the "value" attribute SHALL contain a list of one or more attributes '
        "that are to be replaced."
    ),
    "patch.replace.sub-attribute": SUB_ATTRIBUTES_SHALL,
    "patch.replace.value-filter": (
        'If the target location is a multi-valued attribute and a value selection ("valuePath") '
        "filter is specified that matches one or more values of the multi-valued attribute, "
        "then all matching record values SHALL be replaced."
    ),
    "patch.replace.value-filter-no-match": NO_TARGET,
    "patch.response": (
        "On successful completion, the server either MUST return a 200 OK response code and the "
        'entire resource within the response body, subject to the "attributes" query parameter '
        "(see Section 3.9), or MAY return HTTP status code 204 (No Content) and the appropriate "
        "response headers for a successful PATCH request."
    ),
    "patch.response-attributes": PATCH_200,
    "profile.entra.capitalised-ops": PATCH_OP,
    "profile.entra.group-lookup-excluding-members": ATTRIBUTES_SUPPORTED,
    "profile.entra.group-members": PATCH_ADD_VALUE,
    "profile.entra.pathless-dotted": PATCH_OP,
    "profile.entra.user-lookup": FILTER_MATCHES,
    "profile.okta.connection-test": COUNT_AT_MOST,
    "profile.okta.deactivate-patch": PATCH_OP,
    "profile.okta.deactivate-put": PUT_REPLACES,
    "profile.okta.json-content-type": MEDIA_TYPE,
    "profile.okta.user-lookup": FILTER_MATCHES,
    "profile.onelogin.group-members-replace": (
        "If the target location is a multi-valued attribute and no filter is specified, the "
        "attribute and all values are replaced."
    ),
    "profile.onelogin.update-put": PUT_REPLACES,
    "profile.onelogin.user-lookup": FILTER_MATCHES,
    "query.attributes.exclude": ATTRIBUTES_SUPPORTED,
    "query.attributes.exclude-always": RETURNED_ALWAYS,
    "query.attributes.include": ATTRIBUTES_SUPPORTED,
    "query.attributes.password-never-listed": PASSWORD_NEVER,
    "query.filter.and": FILTER_MATCHES,
    "query.filter.boolean": FILTER_MATCHES,
    "query.filter.boolean-ordering-rejected": UNKNOWN_OPERATOR,
    "query.filter.case-insensitive-names": (
        "Attribute names and attribute operators used in filters are case insensitive."
    ),
    "query.filter.co": FILTER_MATCHES,
    "query.filter.datetime": FILTER_MATCHES,
    "query.filter.eq": FILTER_MATCHES,
    "query.filter.ew": FILTER_MATCHES,
    "query.filter.ge": FILTER_MATCHES,
    "query.filter.groups-display-name": FILTER_MATCHES,
    "query.filter.gt": FILTER_MATCHES,
    "query.filter.le": FILTER_MATCHES,
    "query.filter.lt": FILTER_MATCHES,
    "query.filter.malformed": UNKNOWN_OPERATOR,
    "query.filter.multi-valued": FILTER_MATCHES,
    "query.filter.multi-valued-absent": (
        "For filtered attributes that are not part of a particular resource type, the service "
        "provider SHALL treat the attribute as if there is no attribute value."
    ),
    "query.filter.ne": FILTER_MATCHES,
    "query.filter.no-match": (
        "A query that does not return any matches SHALL return success (HTTP status code 200) "
        'with "totalResults" set to a value of 0.'
    ),
    "query.filter.not": FILTER_MATCHES,
    "query.filter.or": FILTER_MATCHES,
    "query.filter.parentheses": FILTER_MATCHES,
    "query.filter.pr": FILTER_MATCHES,
    "query.filter.precedence": (
        "Filters MUST be evaluated using the following order of operations, in order of precedence:"
    ),
    "query.filter.sub-attribute": (
        "For complex attributes, a fully qualified sub-attribute MUST be specified using "
        "standard attribute notation (Section 3.10)."
    ),
    "query.filter.sw": FILTER_MATCHES,
    "query.filter.unknown-operator": UNKNOWN_OPERATOR,
    "query.filter.urn-qualified": FILTER_MATCHES,
    "query.filter.user-name-any-case": CASE_EXACT,
    "query.filter.value-path": FILTER_MATCHES,
    "query.paging.count-limit": COUNT_AT_MOST,
    "query.paging.count-zero": COUNT_AT_MOST,
    "query.paging.negative-count": 'A negative value SHALL be interpreted as "0".',
    "query.paging.start-index-below-one": "A value less than 1 SHALL be interpreted as 1.",
    "query.paging.walk": (
        "startIndex The 1-based index of the first result in the current set of list results. "
        "REQUIRED when partial results are returned due to pagination."
    ),
    "query.sort.ascending": SORT_BY_TYPE,
    "query.sort.attribute-name-case": (
        'Attribute names are case insensitive and are often "camel-cased" (e.g., "camelCase").'
    ),
    "query.sort.descending": SORT_BY_TYPE,
    "search.paging": SEARCH_POST,
    "search.resource-endpoint": SEARCH_POST,
    "search.root": (
        "A query against a server root indicates that all resources within the server SHALL be "
        "included, subject to filtering."
    ),
    "users.create.echoes-input": (
        "The response body SHOULD contain the service provider's representation of the newly "
        "created resource."
    ),
    "users.create.identity": IDENTITY,
    "users.create.location-header": LOCATION,
    "users.create.meta": META_CREATED,
    "users.create.password-not-returned": PASSWORD_NEVER,
    "users.create.readonly-ignored": READ_ONLY_IGNORED,
    "users.create.schema-valid": IDENTITY,
    "users.create.status": CREATED_201,
    "users.create.uniqueness": CONFLICT_409,
    "users.delete.gone": DELETED_404,
    "users.delete.status": DELETE_204,
    "users.list.list-response": (
        "Responses MUST be identified using the following URI: "
        '"urn:ietf:params:scim:api:messages:2.0:ListResponse".'
    ),
    "users.read.by-id": LOCATION,
    "users.read.not-found": ERRORS_IN_BODY,
    "users.read.password-not-returned": PASSWORD_NEVER,
    "users.replace.applied": PUT_REPLACES,
    "users.replace.meta-updated": (
        "lastModified The most recent DateTime that the details of this resource were updated "
        "at the service provider."
    ),
    "users.replace.password-not-returned": PASSWORD_NEVER,
    "users.replace.readonly-ignored": PUT_READ_ONLY,
    "users.replace.status": PUT_200,
}

# Rules the RFC states as a description of the operation rather than with a keyword: they keep
# the project's level (the behaviour is what the operation *is*), and are listed for review.
DESCRIPTIVE = frozenset(
    {
        "bulk.fail-on-errors",
        "groups.replace.status",
        "patch.add.emails-appends",
        "patch.add.members-appends",
        "patch.add.pathless",
        "patch.add.single-valued",
        "patch.replace.active",
        "patch.replace.members",
        "profile.onelogin.group-members-replace",
        "query.sort.attribute-name-case",
        "users.replace.meta-updated",
        "users.replace.status",
        "auth.scheme-case-insensitive",
        "bulk.forward-reference",
        "claims.returned.request",
        "claims.uniqueness.case-insensitive",
        "patch.path.extension",
        "patch.path.urn-qualified",
        "patch.pathless.extension-key",
        "patch.remove.no-path",
        "query.filter.case-insensitive-names",
        "content-type.default",
        "content-type.error-statuses",
        "content-type.errors",
    }
)

STRONG = re.compile(r"\b(MUST|SHALL|REQUIRED)\b")
ADVISORY = re.compile(r"\b(SHOULD|RECOMMENDED)\b")


def levels_allowed(sentence: str) -> set[str]:
    """The check levels a sentence supports: MUST/SHALL/REQUIRED -> MUST, SHOULD -> SHOULD.

    A sentence holding both (e.g. "MUST ... and SHOULD ...") supports either; any sentence
    supports MAY (info).
    """
    allowed = {"MAY"}
    if STRONG.search(sentence):
        allowed.add("MUST")
    if ADVISORY.search(sentence):
        allowed.add("SHOULD")
    return allowed


REQUIREMENTS.update(GAP_REQUIREMENTS)  # the checks closing coverage gaps (issue 8)
