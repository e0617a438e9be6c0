"""Schema definitions as data (RFC 7643 §8.7.1 User, EnterpriseUser, Group; §8.7.2 the
ServiceProviderConfig, ResourceType and Schema schemas), as /Schemas serves them.

Deviations from the §8.7.1 listing, each documented in the attribute's description:
Group ``displayName`` is required (RFC 7643 §4.2 prose says REQUIRED; Contentstack maps
groups by name), ``members.display`` is listed (§4.2 prose) as readOnly, and
``addresses.primary`` is listed (§4.1.2 prose).
"""

from __future__ import annotations

from typing import Any

from stub_server.scim.urns import (
    ENTERPRISE_SCHEMA,
    GROUP_SCHEMA,
    RESOURCE_TYPE_SCHEMA,
    SCHEMA_SCHEMA,
    SPC_SCHEMA,
    USER_SCHEMA,
)


def attr(
    name: str,
    type_: str = "string",
    *,
    multi: bool = False,
    required: bool = False,
    case_exact: bool = False,
    mutability: str = "readWrite",
    returned: str = "default",
    uniqueness: str = "none",
    description: str = "",
    sub: list[dict] | None = None,
    canonical: list[str] | None = None,
    refs: list[str] | None = None,
) -> dict:
    """Return one attribute definition in the RFC 7643 §7 representation."""
    out: dict[str, Any] = {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "description": description or name,
        "required": required,
    }
    if canonical:
        out["canonicalValues"] = canonical
    out.update(
        caseExact=case_exact, mutability=mutability, returned=returned, uniqueness=uniqueness
    )
    if sub is not None:
        out["subAttributes"] = sub
    if refs:
        out["referenceTypes"] = refs
    return out


def _multi_complex(
    name: str,
    description: str,
    types: list[str] | None,
    value_type: str = "string",
    refs: list[str] | None = None,
    primary: bool = True,
) -> dict:
    """A multi-valued attribute with the usual value/display/type/primary sub-attributes."""
    sub = [
        attr("value", value_type, description=f"The {name} value.", refs=refs),
        attr("display", description="A human-readable name, primarily used for display."),
        attr("type", description=f"A label indicating the {name} function.", canonical=types),
    ]
    if primary:
        sub.append(
            attr(
                "primary",
                "boolean",
                description="Whether this is the preferred value; 'true' at most once.",
            )
        )
    return attr(name, "complex", multi=True, description=description, sub=sub)


USER_ATTRIBUTES = [
    attr(
        "userName",
        required=True,
        uniqueness="server",
        description="Unique identifier for the User, typically used to sign in; compared "
        "case-insensitively. Contentstack expects the user's e-mail. REQUIRED.",
    ),
    attr(
        "name",
        "complex",
        description="The components of the user's real name.",
        sub=[
            attr("formatted", description="The full name, formatted for display."),
            attr("familyName", description="The family name (last name)."),
            attr("givenName", description="The given name (first name)."),
            attr("middleName", description="The middle name(s)."),
            attr("honorificPrefix", description="The honorific prefix(es), e.g. 'Ms.'."),
            attr("honorificSuffix", description="The honorific suffix(es), e.g. 'III'."),
        ],
    ),
    attr("displayName", description="The name of the User, suitable for display."),
    attr("nickName", description="The casual way to address the user."),
    attr(
        "profileUrl",
        "reference",
        refs=["external"],
        description="A fully qualified URL pointing to the user's online profile.",
    ),
    attr("title", description="The user's title, such as 'Vice President'."),
    attr(
        "userType",
        description="Identifies the relationship between the organization and "
        "the user, e.g. 'Employee'.",
    ),
    attr("preferredLanguage", description="The preferred written or spoken language."),
    attr("locale", description="The default location for localizing, e.g. 'en-US'."),
    attr("timezone", description="The time zone in IANA format, e.g. 'America/Los_Angeles'."),
    attr(
        "active",
        "boolean",
        description="The user's administrative status; false removes "
        "the user from the Contentstack organization.",
    ),
    attr(
        "password",
        mutability="writeOnly",
        returned="never",
        description="The user's cleartext password; stored as a hash, never returned.",
    ),
    _multi_complex("emails", "E-mail addresses for the user.", ["work", "home", "other"]),
    _multi_complex(
        "phoneNumbers",
        "Phone numbers for the user.",
        ["work", "home", "mobile", "fax", "pager", "other"],
    ),
    _multi_complex(
        "ims",
        "Instant messaging addresses for the user.",
        ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"],
    ),
    _multi_complex(
        "photos",
        "URLs of images of the user.",
        ["photo", "thumbnail"],
        value_type="reference",
        refs=["external"],
    ),
    attr(
        "addresses",
        "complex",
        multi=True,
        description="A physical mailing address.",
        sub=[
            attr("formatted", description="The full mailing address, formatted for display."),
            attr("streetAddress", description="The full street address component."),
            attr("locality", description="The city or locality component."),
            attr("region", description="The state or region component."),
            attr("postalCode", description="The zip code or postal code component."),
            attr("country", description="The country name component."),
            attr(
                "type",
                description="A label indicating the address function.",
                canonical=["work", "home", "other"],
            ),
            attr("primary", "boolean", description="Whether this is the preferred address."),
        ],
    ),
    attr(
        "groups",
        "complex",
        multi=True,
        mutability="readOnly",
        description="The groups the user belongs to, maintained through Group resources.",
        sub=[
            attr("value", mutability="readOnly", description="The id of the Group."),
            attr(
                "$ref",
                "reference",
                mutability="readOnly",
                refs=["User", "Group"],
                description="The URI of the Group.",
            ),
            attr("display", mutability="readOnly", description="The Group's displayName."),
            attr(
                "type",
                mutability="readOnly",
                canonical=["direct", "indirect"],
                description="How the membership was derived.",
            ),
        ],
    ),
    _multi_complex("entitlements", "A list of entitlements for the user.", None),
    _multi_complex("roles", "A list of roles for the user.", None),
    _multi_complex(
        "x509Certificates", "A list of certificates issued to the user.", None, value_type="binary"
    ),
]

ENTERPRISE_ATTRIBUTES = [
    attr("employeeNumber", description="A string identifier assigned by the organization."),
    attr("costCenter", description="Identifies the name of a cost center."),
    attr("organization", description="Identifies the name of an organization."),
    attr("division", description="Identifies the name of a division."),
    attr("department", description="Identifies the name of a department."),
    attr(
        "manager",
        "complex",
        description="The user's manager.",
        sub=[
            attr("value", description="The id of the SCIM resource representing the manager."),
            attr("$ref", "reference", refs=["User"], description="The URI of the manager."),
            attr("displayName", mutability="readOnly", description="The manager's displayName."),
        ],
    ),
]

GROUP_ATTRIBUTES = [
    attr(
        "displayName",
        required=True,
        description="A human-readable name for the Group. REQUIRED (RFC 7643 §4.2).",
    ),
    attr(
        "members",
        "complex",
        multi=True,
        description="A list of members of the Group.",
        sub=[
            attr(
                "value",
                case_exact=True,
                mutability="immutable",
                description="The id of the member (a User or a Group).",
            ),
            attr(
                "$ref",
                "reference",
                mutability="immutable",
                refs=["User", "Group"],
                description="The URI of the member.",
            ),
            attr(
                "type",
                mutability="immutable",
                canonical=["User", "Group"],
                description="The type of the member.",
            ),
            attr(
                "display",
                mutability="readOnly",
                description="The member's displayName (or userName), filled in by the server.",
            ),
        ],
    ),
]

# RFC 7643 §3.1 common attributes: not listed in /Schemas, but enforced like the others.
COMMON_ATTRIBUTES = [
    attr("id", case_exact=True, mutability="readOnly", returned="always", uniqueness="server"),
    attr("externalId", case_exact=True),
    attr(
        "meta",
        "complex",
        mutability="readOnly",
        sub=[
            attr("resourceType", case_exact=True, mutability="readOnly"),
            attr("created", "dateTime", mutability="readOnly"),
            attr("lastModified", "dateTime", mutability="readOnly"),
            attr("location", "reference", case_exact=True, mutability="readOnly", refs=["uri"]),
            attr("version", case_exact=True, mutability="readOnly"),
        ],
    ),
]


def _ro(name: str, type_: str = "string", **kw: Any) -> dict:
    """A readOnly attribute of the discovery schemas (RFC 7643 §8.7.2)."""
    return attr(name, type_, mutability="readOnly", **kw)


def _supported(name: str, extra: list[dict] | None = None) -> dict:
    return _ro(
        name,
        "complex",
        required=True,
        sub=[_ro("supported", "boolean", required=True), *(extra or [])],
    )


SPC_ATTRIBUTES = [
    _ro("documentationUri", "reference", refs=["external"]),
    _supported("patch"),
    _supported(
        "bulk",
        [
            _ro("maxOperations", "integer", required=True),
            _ro("maxPayloadSize", "integer", required=True),
        ],
    ),
    _supported("filter", [_ro("maxResults", "integer", required=True)]),
    _supported("changePassword"),
    _supported("sort"),
    _supported("etag"),
    _ro(
        "authenticationSchemes",
        "complex",
        multi=True,
        required=True,
        sub=[
            _ro("type", required=True),
            _ro("name", required=True),
            _ro("description", required=True),
            _ro("specUri", "reference", refs=["external"]),
            _ro("documentationUri", "reference", refs=["external"]),
            _ro("primary", "boolean"),
        ],
    ),
]

RESOURCE_TYPE_ATTRIBUTES = [
    _ro("id"),
    _ro("name", required=True),
    _ro("description"),
    _ro("endpoint", "reference", required=True, refs=["uri"]),
    _ro("schema", "reference", required=True, case_exact=True, refs=["uri"]),
    _ro(
        "schemaExtensions",
        "complex",
        multi=True,
        sub=[
            _ro("schema", "reference", required=True, case_exact=True, refs=["uri"]),
            _ro("required", "boolean", required=True),
        ],
    ),
]


def _attribute_definition_attributes(depth: int) -> list[dict]:
    """The attributes of an attribute definition (RFC 7643 §8.7.2), nesting subAttributes once."""
    attrs = [
        _ro("name", required=True, case_exact=True),
        _ro("type", required=True),
        _ro("multiValued", "boolean", required=True),
        _ro("description"),
        _ro("required", "boolean"),
        _ro("canonicalValues", multi=True, case_exact=True),
        _ro("caseExact", "boolean"),
        _ro("mutability", case_exact=True),
        _ro("returned", case_exact=True),
        _ro("uniqueness", case_exact=True),
        _ro("referenceTypes", multi=True, case_exact=True),
    ]
    if depth > 0:
        attrs.append(
            _ro(
                "subAttributes",
                "complex",
                multi=True,
                sub=_attribute_definition_attributes(depth - 1),
            )
        )
    return attrs


SCHEMA_ATTRIBUTES = [
    _ro("id", required=True),
    _ro("name"),
    _ro("description"),
    _ro(
        "attributes", "complex", multi=True, required=True, sub=_attribute_definition_attributes(1)
    ),
]

SCHEMA_DOCUMENTS = [
    (USER_SCHEMA, "User", "User Account", USER_ATTRIBUTES),
    (ENTERPRISE_SCHEMA, "EnterpriseUser", "Enterprise User", ENTERPRISE_ATTRIBUTES),
    (GROUP_SCHEMA, "Group", "Group", GROUP_ATTRIBUTES),
    (
        SPC_SCHEMA,
        "ServiceProviderConfig",
        "Schema for representing the service provider's configuration",
        SPC_ATTRIBUTES,
    ),
    (
        RESOURCE_TYPE_SCHEMA,
        "ResourceType",
        "Specifies the schema that describes a SCIM resource type",
        RESOURCE_TYPE_ATTRIBUTES,
    ),
    (
        SCHEMA_SCHEMA,
        "Schema",
        "Specifies the schema attributes of a SCIM resource",
        SCHEMA_ATTRIBUTES,
    ),
]
