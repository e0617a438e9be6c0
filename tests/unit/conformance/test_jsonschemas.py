"""Tests for conformance.jsonschemas: the RFC 7643/7644 JSON Schemas and the validation API.

RFC example payloads live in tests/fixtures/ named by section. Each schema must accept what
the RFC permits and reject what it forbids; scim2-server's real responses must validate.
"""

from __future__ import annotations

import copy
import importlib.resources
import json
import random
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conformance import jsonschemas
from conformance.jsonschema_files import registry
from conformance.jsonschemas import (
    Violation,
    validate,
    validate_resource,
    validator_for_server_schema,
)
from conformance.urns import ENTERPRISE_USER as ENTERPRISE_USER_URN
from conformance.urns import GROUP as GROUP_URN
from conformance.urns import USER as USER_URN

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ROOT = Path(__file__).resolve().parents[3]
ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
CUSTOM_EXTENSION = "urn:example:params:scim:schemas:extension:badge:2.0:User"


def fixture(name: str):
    """Load a fresh copy of an RFC example payload."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def paths(violations: list[Violation]) -> list[str]:
    """The JSON paths of a list of violations."""
    return [v.path for v in violations]


# ----------------------------------------------------------------------------- schema files


def test_schema_names_follow_the_contract():
    assert jsonschemas.SCHEMA_NAMES == (
        "User",
        "EnterpriseUser",
        "Group",
        "ServiceProviderConfig",
        "ResourceType",
        "Schema",
        "ListResponse",
        "PatchOp",
        "SearchRequest",
        "BulkRequest",
        "BulkResponse",
        "Error",
    )


@pytest.mark.parametrize(
    "filename", sorted(p.name for p in (ROOT / "conformance" / "schemas").glob("*.json"))
)
def test_every_schema_file_is_a_draft_2020_12_schema_named_after_its_rfc_section(filename):
    document = json.loads((ROOT / "conformance" / "schemas" / filename).read_text())
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"] == jsonschemas.SCHEMA_BASE_URI + filename
    assert filename.startswith(("rfc7643-", "rfc7644-"))


def test_schema_files_ship_as_package_data():
    shipped = {p.name for p in (importlib.resources.files("conformance") / "schemas").iterdir()}
    assert {jsonschemas.COMMON_FILE, *jsonschemas.SCHEMA_FILES.values()} <= shipped
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "schemas/*.json" in pyproject["tool"]["setuptools"]["package-data"]["conformance"]


def test_registry_and_validators_are_built_once():
    assert registry() is registry()
    assert jsonschemas._static_validator("User") is jsonschemas._static_validator("User")
    schema = fixture("rfc7643-8.7.1-schemas.json")[0]
    assert validator_for_server_schema(schema) is validator_for_server_schema(copy.deepcopy(schema))


def test_unknown_schema_name_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown schema 'Users'.*User, EnterpriseUser"):
        validate("Users", {})


# ------------------------------------------------------------------------ RFC examples pass


def rfc_examples() -> Iterator:
    """(schema name, fixture label, payload) for every RFC example payload."""
    singles = {
        "rfc7643-8.1-minimal-user.json": ["User"],
        "rfc7643-8.2-full-user.json": ["User"],
        "rfc7643-8.3-enterprise-user.json": ["User", "EnterpriseUser"],
        "rfc7643-8.4-group.json": ["Group"],
        "rfc7643-8.5-service-provider-config.json": ["ServiceProviderConfig"],
        "rfc7644-3.4.2-list-response.json": ["ListResponse"],
        "rfc7644-3.4.3-search-request.json": ["SearchRequest"],
        "rfc7644-3.7.1-bulk-request-circular.json": ["BulkRequest"],
        "rfc7644-3.7.3-bulk-request.json": ["BulkRequest"],
        "rfc7644-3.7.3-bulk-response.json": ["BulkResponse"],
        "rfc7644-3.7.3-bulk-response-errors.json": ["BulkResponse"],
    }
    for filename, names in singles.items():
        for name in names:
            yield pytest.param(name, fixture(filename), id=f"{name}-{filename}")
    for index, item in enumerate(fixture("rfc7643-8.6-resource-types.json")):
        yield pytest.param("ResourceType", item, id=f"ResourceType-8.6[{index}]")
    for index, item in enumerate(fixture("rfc7643-8.7.1-schemas.json")):
        yield pytest.param("Schema", item, id=f"Schema-8.7.1[{index}]")
    for label, item in fixture("rfc7644-3.5.2-patch-ops.json").items():
        yield pytest.param("PatchOp", item, id=label)
    for label, item in fixture("rfc7644-3.12-errors.json").items():
        yield pytest.param("Error", item, id=label)


@pytest.mark.parametrize(("schema_name", "payload"), list(rfc_examples()))
def test_rfc_example_payloads_validate(schema_name, payload):
    assert validate(schema_name, payload) == []


def test_validate_does_not_modify_the_instance():
    user = fixture("rfc7643-8.2-full-user.json")
    mangled = {key.upper(): value for key, value in user.items()}
    before = copy.deepcopy(mangled)
    assert validate("User", mangled) == []
    assert mangled == before


# ------------------------------------------------------------- what the RFCs forbid is rejected


def _set(path: str, value) -> Callable[[dict], None]:
    """A mutation assigning value at a slash path ("meta/created", "emails/0/value")."""

    def mutate(doc: dict) -> None:
        *parents, last = path.split("/")
        target = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def _drop(path: str) -> Callable[[dict], None]:
    """A mutation deleting the key at a slash path."""

    def mutate(doc: dict) -> None:
        *parents, last = path.split("/")
        target = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return mutate


FULL_USER = "rfc7643-8.2-full-user.json"
ENTERPRISE_USER = "rfc7643-8.3-enterprise-user.json"
GROUP = "rfc7643-8.4-group.json"
SPC = "rfc7643-8.5-service-provider-config.json"
LIST = "rfc7644-3.4.2-list-response.json"
SEARCH = "rfc7644-3.4.3-search-request.json"
BULK_REQUEST = "rfc7644-3.7.3-bulk-request.json"
BULK_RESPONSE = "rfc7644-3.7.3-bulk-response.json"
BULK_ERRORS = "rfc7644-3.7.3-bulk-response-errors.json"
ERROR = {"schemas": [ERROR_URN], "detail": "Resource not found", "status": "404"}


def _patch(*operations) -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [*operations],
    }


def _first(name: str) -> dict:
    """The first item of a list fixture (8.6 resource types, 8.7.1 schemas)."""
    return fixture(name)[0]


FORBIDDEN = [
    # (id, schema, source fixture or payload, mutation, expected path, message fragment)
    ("error-status-integer", "Error", ERROR, _set("status", 404), "$.status", "JSON string"),
    ("error-status-missing", "Error", ERROR, _drop("status"), "$", "'status' is a required"),
    ("error-unknown-scimType", "Error", ERROR, _set("scimType", "oops"), "$.scimType", "Table 9"),
    ("error-wrong-schema", "Error", ERROR, _set("schemas", [USER_URN]), "$.schemas", ERROR_URN),
    ("user-schemas-missing", "User", FULL_USER, _drop("schemas"), "$", "'schemas' is a required"),
    ("user-schemas-empty", "User", FULL_USER, _set("schemas", []), "$.schemas", "not be empty"),
    ("user-schemas-string", "User", FULL_USER, _set("schemas", USER_URN), "$.schemas", "array"),
    (
        "user-schemas-duplicate",
        "User",
        FULL_USER,
        _set("schemas", [USER_URN, USER_URN]),
        "$.schemas",
        "duplicate",
    ),
    (
        "user-schemas-without-core",
        "User",
        FULL_USER,
        _set("schemas", [GROUP_URN]),
        "$.schemas",
        USER_URN,
    ),
    ("user-id-missing", "User", FULL_USER, _drop("id"), "$", "'id' is a required"),
    ("user-id-empty", "User", FULL_USER, _set("id", ""), "$.id", "not be empty"),
    ("user-id-bulkId", "User", FULL_USER, _set("id", "bulkId"), "$.id", "reserved"),
    ("user-id-number", "User", FULL_USER, _set("id", 7), "$.id", "must be a string"),
    (
        "user-userName-missing",
        "User",
        FULL_USER,
        _drop("userName"),
        "$",
        "'userName' is a required",
    ),
    ("user-userName-null", "User", FULL_USER, _set("userName", None), "$.userName", "string"),
    ("user-userName-empty", "User", FULL_USER, _set("userName", ""), "$.userName", "not be empty"),
    ("user-active-string", "User", FULL_USER, _set("active", "true"), "$.active", "boolean"),
    ("user-name-string", "User", FULL_USER, _set("name", "Babs"), "$.name", "object"),
    (
        "user-emails-object",
        "User",
        FULL_USER,
        _set("emails", {"value": "a@b.c"}),
        "$.emails",
        "array",
    ),
    (
        "user-email-value-number",
        "User",
        FULL_USER,
        _set("emails/0/value", 5),
        "$.emails[0].value",
        "string",
    ),
    (
        "user-two-primaries",
        "User",
        FULL_USER,
        _set("emails/1/primary", True),
        "$.emails",
        "no more than once",
    ),
    (
        "user-x509-not-base64",
        "User",
        FULL_USER,
        _set("x509Certificates/0/value", "MII DQz!"),
        "$.x509Certificates[0].value",
        "base64",
    ),
    (
        "user-meta-resourceType",
        "User",
        FULL_USER,
        _set("meta/resourceType", "Group"),
        "$.meta.resourceType",
        'must be "User"',
    ),
    (
        "user-meta-created-not-datetime",
        "User",
        FULL_USER,
        _set("meta/created", "2010-01-23"),
        "$.meta.created",
        "xsd:dateTime",
    ),
    (
        "user-meta-version-number",
        "User",
        FULL_USER,
        _set("meta/version", 3),
        "$.meta.version",
        "string",
    ),
    (
        "user-extension-not-declared",
        "User",
        ENTERPRISE_USER,
        _set("schemas", [USER_URN]),
        f"$['{ENTERPRISE_USER_URN}']",
        "not listed",
    ),
    (
        "user-extension-not-object",
        "User",
        ENTERPRISE_USER,
        _set(ENTERPRISE_USER_URN, "701984"),
        f"$['{ENTERPRISE_USER_URN}']",
        "JSON object",
    ),
    (
        "user-manager-number",
        "User",
        ENTERPRISE_USER,
        _set(f"{ENTERPRISE_USER_URN}/manager", 26118915),
        f"$['{ENTERPRISE_USER_URN}'].manager",
        "object",
    ),
    (
        "enterprise-urn-not-in-schemas",
        "EnterpriseUser",
        FULL_USER,
        lambda doc: None,
        "$.schemas",
        ENTERPRISE_USER_URN,
    ),
    (
        "group-displayName-missing",
        "Group",
        GROUP,
        _drop("displayName"),
        "$",
        "'displayName' is a required",
    ),
    ("group-members-object", "Group", GROUP, _set("members", {"value": "x"}), "$.members", "array"),
    (
        "group-meta-resourceType",
        "Group",
        GROUP,
        _set("meta/resourceType", "User"),
        "$.meta.resourceType",
        'must be "Group"',
    ),
    ("group-schemas-user", "Group", GROUP, _set("schemas", [USER_URN]), "$.schemas", GROUP_URN),
    (
        "spc-authenticationSchemes-missing",
        "ServiceProviderConfig",
        SPC,
        _drop("authenticationSchemes"),
        "$",
        "'authenticationSchemes' is a required",
    ),
    (
        "spc-patch-supported-string",
        "ServiceProviderConfig",
        SPC,
        _set("patch/supported", "true"),
        "$.patch.supported",
        "boolean",
    ),
    (
        "spc-bulk-maxOperations-missing",
        "ServiceProviderConfig",
        SPC,
        _drop("bulk/maxOperations"),
        "$.bulk",
        "'maxOperations' is a required",
    ),
    (
        "spc-filter-missing",
        "ServiceProviderConfig",
        SPC,
        _drop("filter"),
        "$",
        "'filter' is a required",
    ),
    (
        "spc-scheme-name-missing",
        "ServiceProviderConfig",
        SPC,
        _drop("authenticationSchemes/0/name"),
        "$.authenticationSchemes[0]",
        "'name' is a required",
    ),
    (
        "resource-type-endpoint-missing",
        "ResourceType",
        _first("rfc7643-8.6-resource-types.json"),
        _drop("endpoint"),
        "$",
        "'endpoint' is a required",
    ),
    (
        "resource-type-extension-required-missing",
        "ResourceType",
        _first("rfc7643-8.6-resource-types.json"),
        _drop("schemaExtensions/0/required"),
        "$.schemaExtensions[0]",
        "'required' is a required",
    ),
    (
        "schema-attributes-missing",
        "Schema",
        _first("rfc7643-8.7.1-schemas.json"),
        _drop("attributes"),
        "$",
        "'attributes' is a required",
    ),
    (
        "schema-attribute-type-unknown",
        "Schema",
        _first("rfc7643-8.7.1-schemas.json"),
        _set("attributes/0/type", "text"),
        "$.attributes[0].type",
        "not one of",
    ),
    (
        "schema-returned-unknown",
        "Schema",
        _first("rfc7643-8.7.1-schemas.json"),
        _set("attributes/0/returned", "sometimes"),
        "$.attributes[0].returned",
        "not one of",
    ),
    (
        "schema-meta-resourceType",
        "Schema",
        _first("rfc7643-8.7.1-schemas.json"),
        _set("meta/resourceType", "User"),
        "$.meta.resourceType",
        'must be "Schema"',
    ),
    (
        "list-totalResults-string",
        "ListResponse",
        LIST,
        _set("totalResults", "2"),
        "$.totalResults",
        "integer",
    ),
    (
        "list-totalResults-missing",
        "ListResponse",
        LIST,
        _drop("totalResults"),
        "$",
        "'totalResults' is a required",
    ),
    (
        "list-itemsPerPage-mismatch",
        "ListResponse",
        LIST,
        _set("itemsPerPage", 10),
        "$.itemsPerPage",
        "number of resources",
    ),
    (
        "list-more-resources-than-total",
        "ListResponse",
        LIST,
        _set("totalResults", 1),
        "$.Resources",
        "totalResults",
    ),
    (
        "list-startIndex-zero",
        "ListResponse",
        LIST,
        _set("startIndex", 0),
        "$.startIndex",
        "1-based",
    ),
    (
        "list-resource-not-object",
        "ListResponse",
        LIST,
        _set("Resources/0", "bjensen"),
        "$.Resources[0]",
        "object",
    ),
    (
        "search-sortOrder",
        "SearchRequest",
        SEARCH,
        _set("sortOrder", "up"),
        "$.sortOrder",
        "ascending",
    ),
    ("search-count-string", "SearchRequest", SEARCH, _set("count", "10"), "$.count", "integer"),
    (
        "search-attributes-string",
        "SearchRequest",
        SEARCH,
        _set("attributes", "userName"),
        "$.attributes",
        "array",
    ),
    ("patch-no-operations", "PatchOp", _patch(), lambda doc: None, "$.Operations", "one or more"),
    (
        "patch-op-capitalised",
        "PatchOp",
        _patch({"op": "Replace", "path": "active", "value": False}),
        lambda doc: None,
        "$.Operations[0].op",
        "not one of",
    ),
    (
        "patch-remove-without-path",
        "PatchOp",
        _patch({"op": "remove"}),
        lambda doc: None,
        "$.Operations[0]",
        'needs a "path"',
    ),
    (
        "patch-add-without-value",
        "PatchOp",
        _patch({"op": "add", "path": "nickName"}),
        lambda doc: None,
        "$.Operations[0]",
        'need a "value"',
    ),
    (
        "patch-replace-scalar-without-path",
        "PatchOp",
        _patch({"op": "replace", "value": "Babs"}),
        lambda doc: None,
        "$.Operations[0].value",
        "object of attributes",
    ),
    (
        "bulk-post-without-bulkId",
        "BulkRequest",
        BULK_REQUEST,
        _drop("Operations/0/bulkId"),
        "$.Operations[0]",
        "bulkId",
    ),
    (
        "bulk-put-without-data",
        "BulkRequest",
        BULK_REQUEST,
        _drop("Operations/1/data"),
        "$.Operations[1]",
        '"data"',
    ),
    (
        "bulk-patch-data-not-patchop",
        "BulkRequest",
        BULK_REQUEST,
        _set("Operations/2/data", {"schemas": [USER_URN], "userName": "Dave"}),
        "$.Operations[2].data",
        "'Operations' is a required",
    ),
    (
        "bulk-method-get",
        "BulkRequest",
        BULK_REQUEST,
        _set("Operations/3/method", "GET"),
        "$.Operations[3].method",
        "not one of",
    ),
    (
        "bulk-response-put-without-location",
        "BulkResponse",
        BULK_RESPONSE,
        _drop("Operations/1/location"),
        "$.Operations[1]",
        "location",
    ),
    (
        "bulk-response-created-without-location",
        "BulkResponse",
        BULK_RESPONSE,
        _drop("Operations/0/location"),
        "$.Operations[0]",
        "location",
    ),
    (
        "bulk-response-status-word",
        "BulkResponse",
        BULK_RESPONSE,
        _set("Operations/0/status", "OK"),
        "$.Operations[0].status",
        "HTTP status",
    ),
    (
        "bulk-response-error-without-response",
        "BulkResponse",
        BULK_ERRORS,
        _drop("Operations/3/response"),
        "$.Operations[3]",
        "response",
    ),
    (
        "bulk-response-error-status-integer",
        "BulkResponse",
        BULK_ERRORS,
        _set("Operations/3/response/status", 404),
        "$.Operations[3].response.status",
        "JSON string",
    ),
]


@pytest.mark.parametrize(
    ("schema_name", "source", "mutate", "path", "fragment"),
    [pytest.param(*case[1:], id=case[0]) for case in FORBIDDEN],
)
def test_schemas_reject_what_the_rfc_forbids(schema_name, source, mutate, path, fragment):
    payload = fixture(source) if isinstance(source, str) else copy.deepcopy(source)
    mutate(payload)
    violations = validate(schema_name, payload)
    assert any(v.path == path and fragment in v.message for v in violations), violations


# -------------------------------------------------------------- what the RFCs permit is accepted


def _with(source: str, **changes) -> dict:
    payload = fixture(source)
    payload.update(changes)
    return payload


PERMITTED = [
    ("password-absent (returned never)", "User", fixture("rfc7643-8.1-minimal-user.json")),
    (
        "optional-attributes-null (RFC 7643 §2.5)",
        "User",
        _with(FULL_USER, displayName=None, emails=None, name=None, active=None),
    ),
    ("multi-valued-empty", "User", _with(FULL_USER, emails=[], groups=[])),
    ("unknown-core-attribute", "User", _with(FULL_USER, badgeColour="blue")),
    (
        "unknown-declared-extension",
        "User",
        _with(FULL_USER, schemas=[USER_URN, CUSTOM_EXTENSION], **{CUSTOM_EXTENSION: {"x": 1}}),
    ),
    (
        "unknown-enterprise-attribute",
        "EnterpriseUser",
        _with(ENTERPRISE_USER, **{ENTERPRISE_USER_URN: {"employeeNumber": "1", "badge": "x"}}),
    ),
    (
        "enterprise-declared-without-attributes",
        "EnterpriseUser",
        _with(FULL_USER, schemas=[USER_URN, ENTERPRISE_USER_URN]),
    ),
    (
        "canonical-values-not-enforced",
        "User",
        _with(FULL_USER, emails=[{"value": "a@b.c", "type": "custom"}]),
    ),
    (
        "datetime-with-offset-and-fraction",
        "User",
        _with(FULL_USER, meta={"resourceType": "User", "created": "2010-01-23T04:56:22.123+02:00"}),
    ),
    (
        "datetime-without-zone (xsd:dateTime)",
        "User",
        _with(FULL_USER, meta={"resourceType": "User", "lastModified": "2011-05-13T04:42:34"}),
    ),
    (
        "relative-reference",
        "Group",
        _with(GROUP, members=[{"value": "1", "$ref": "../Users/1", "type": "User"}]),
    ),
    ("meta-absent", "Group", {k: v for k, v in fixture(GROUP).items() if k != "meta"}),
    (
        "spc-without-id-or-meta",
        "ServiceProviderConfig",
        {k: v for k, v in fixture(SPC).items() if k != "meta"},
    ),
    (
        "spc-bulk-unsupported",
        "ServiceProviderConfig",
        _with(SPC, bulk={"supported": False, "maxOperations": 0, "maxPayloadSize": 0}),
    ),
    (
        "resource-type-without-id",
        "ResourceType",
        {k: v for k, v in _first("rfc7643-8.6-resource-types.json").items() if k != "id"},
    ),
    (
        "schema-with-schemas-attribute",
        "Schema",
        {
            **_first("rfc7643-8.7.1-schemas.json"),
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        },
    ),
    (
        "list-count-zero (RFC 7644 §3.4.2.4)",
        "ListResponse",
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 5},
    ),
    ("list-paged", "ListResponse", _with(LIST, totalResults=100, startIndex=11, itemsPerPage=2)),
    ("search-negative-count (read as 0)", "SearchRequest", _with(SEARCH, count=-1, startIndex=0)),
    (
        "patch-remove-with-value",
        "PatchOp",
        _patch({"op": "remove", "path": "members", "value": [{"value": "1"}]}),
    ),
    ("patch-add-null-value", "PatchOp", _patch({"op": "add", "path": "nickName", "value": None})),
    (
        "bulk-status-integer",
        "BulkResponse",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"],
            "Operations": [{"method": "DELETE", "location": "/Users/1", "status": 204}],
        },
    ),
    ("bulk-failed-post-without-location", "BulkResponse", fixture(BULK_ERRORS)),
    ("error-with-3xx-status", "Error", {**ERROR, "status": "307"}),
]


@pytest.mark.parametrize(
    ("schema_name", "payload"), [pytest.param(*case[1:], id=case[0]) for case in PERMITTED]
)
def test_schemas_accept_what_the_rfc_permits(schema_name, payload):
    assert validate(schema_name, payload) == []


# -------------------------------------------------------------------- case-insensitive names


def test_attribute_names_are_matched_case_insensitively():
    user = fixture(ENTERPRISE_USER)
    user["USERNAME"] = user.pop("userName")
    del user["emails"]
    user["Emails"] = [{"VALUE": "babs@example.com", "Primary": True}]
    user[ENTERPRISE_USER_URN.upper()] = user.pop(ENTERPRISE_USER_URN)
    extension = user[ENTERPRISE_USER_URN.upper()]
    del extension["manager"]
    extension["MANAGER"] = {"VALUE": "1", "DisplayName": "John"}
    user["schemas"] = [USER_URN, ENTERPRISE_USER_URN]
    assert validate("EnterpriseUser", user) == []
    listing = {
        "SCHEMAS": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalresults": 1,
        "resources": [{}],
        "ITEMSPERPAGE": 1,
    }
    assert validate("ListResponse", listing) == []
    assert (
        validate(
            "PatchOp",
            {
                "Schemas": [_patch()["schemas"][0]],
                "operations": [{"OP": "remove", "PATH": "members"}],
            },
        )
        == []
    )


def test_case_normalised_keys_are_still_type_checked_under_their_canonical_path():
    user = fixture(FULL_USER)
    user["EMAILS"] = [{"VALUE": 5}]
    del user["emails"]
    assert paths(validate("User", user)) == ["$.emails[0].value"]


def test_keys_differing_only_in_case_are_reported():
    user = fixture(FULL_USER)
    user["UserName"] = "someone-else"
    violations = validate("User", user)
    assert paths(violations) == ["$.userName"]
    assert "case-insensitive" in violations[0].message


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_any_casing_of_the_rfc_enterprise_user_validates(seed):
    rnd = random.Random(seed)

    def mangle(value):
        if isinstance(value, dict):
            return {
                "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in key): mangle(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [mangle(item) for item in value]
        return value

    assert validate("EnterpriseUser", mangle(fixture(ENTERPRISE_USER))) == []


def test_violation_paths_are_json_paths():
    user = fixture(ENTERPRISE_USER)
    user["emails"][1]["value"] = 7
    user[ENTERPRISE_USER_URN]["manager"]["displayName"] = 7
    assert paths(validate("User", user)) == [
        "$.emails[1].value",
        f"$['{ENTERPRISE_USER_URN}'].manager.displayName",
    ]
    assert str(Violation("$.a", "b")) == "$.a: b"


# ------------------------------------------------------------------ server-published schemas


RFC_SCHEMAS = fixture("rfc7643-8.7.1-schemas.json")
RFC_USER_SCHEMA, RFC_GROUP_SCHEMA, RFC_ENTERPRISE_SCHEMA = RFC_SCHEMAS


def typed_schema(**extra_attribute) -> dict:
    """A custom /Schemas resource with one attribute of every SCIM type."""
    attributes = [
        {"name": "label", "type": "string", "multiValued": False, "required": True},
        {"name": "enabled", "type": "boolean", "multiValued": False},
        {"name": "ratio", "type": "decimal", "multiValued": False},
        {"name": "count", "type": "integer", "multiValued": False},
        {"name": "since", "type": "dateTime", "multiValued": False},
        {"name": "photo", "type": "binary", "multiValued": False},
        {"name": "homepage", "type": "reference", "multiValued": False},
        {"name": "tags", "type": "string", "multiValued": True, "canonicalValues": ["a", "b"]},
        {
            "name": "secret",
            "type": "string",
            "multiValued": False,
            "required": True,
            "returned": "never",
            "mutability": "writeOnly",
        },
        {
            "name": "badges",
            "type": "complex",
            "multiValued": True,
            "subAttributes": [
                {"name": "value", "type": "string", "multiValued": False, "required": True},
                {"name": "level", "type": "integer", "multiValued": False},
            ],
        },
        {
            "name": "address",
            "type": "complex",
            "multiValued": False,
            "subAttributes": [
                {"name": "city", "type": "string", "multiValued": False},
            ],
        },
    ]
    if extra_attribute:
        attributes.append(extra_attribute)
    return {
        "id": "urn:example:params:scim:schemas:core:2.0:Device",
        "name": "Device",
        "attributes": attributes,
    }


GOOD_DEVICE = {
    "schemas": ["urn:example:params:scim:schemas:core:2.0:Device"],
    "id": "d1",
    "label": "printer",
    "enabled": True,
    "ratio": 0.5,
    "count": 3,
    "since": "2024-02-29T12:00:00Z",
    "photo": "TWFu",
    "homepage": "https://example.com/d1",
    "tags": ["z"],
    "badges": [{"value": "gold", "level": 1, "primary": True, "display": "Gold"}],
    "address": {"city": "Oslo"},
}


def test_server_schema_validator_accepts_a_conforming_resource():
    assert validator_for_server_schema(typed_schema())(GOOD_DEVICE) == []


@pytest.mark.parametrize(
    ("attribute", "bad_value", "path"),
    [
        ("label", 5, "$.label"),
        ("enabled", "yes", "$.enabled"),
        ("ratio", "half", "$.ratio"),
        ("count", 1.5, "$.count"),
        ("since", "29/02/2024", "$.since"),
        ("photo", "not base64!", "$.photo"),
        ("homepage", 42, "$.homepage"),
        ("tags", "z", "$.tags"),
        ("badges", [{"level": 1}], "$.badges[0]"),
        ("badges", [{"value": "a", "level": "high"}], "$.badges[0].level"),
        ("badges", [{"value": "a", "primary": True}, {"value": "b", "primary": True}], "$.badges"),
        ("address", [{"city": "Oslo"}], "$.address"),
        ("address", {"city": "Oslo", "zip": "0150"}, "$.address.zip"),
        ("label", None, "$.label"),
    ],
)
def test_server_schema_validator_enforces_types_plurality_and_required(attribute, bad_value, path):
    resource = {**GOOD_DEVICE, attribute: bad_value}
    assert path in paths(validator_for_server_schema(typed_schema())(resource))


def test_server_schema_validator_rules_the_rfc_leaves_open():
    validator = validator_for_server_schema(typed_schema())
    # canonicalValues are suggestions (RFC 7643 §2.3.1, §7), "z" is not among them.
    assert validator({**GOOD_DEVICE, "tags": ["z", "a"]}) == []
    # "secret" is required but returned "never", so a response legitimately lacks it,
    # while "label" (required, returned by default) may not be missing.
    assert "secret" not in GOOD_DEVICE
    without_label = {k: v for k, v in GOOD_DEVICE.items() if k != "label"}
    assert [str(v) for v in validator(without_label)] == [
        "$: 'label' is a required property "
        "(as urn:example:params:scim:schemas:core:2.0:Device defines it)"
    ]
    # Optional attributes may be null (RFC 7643 §2.5); names are case-insensitive (§2.1).
    renamed = {k.upper(): v for k, v in GOOD_DEVICE.items() if k != "ratio"}
    assert validator({**renamed, "Ratio": None}) == []
    assert paths(validator({**GOOD_DEVICE, "LABEL": "x"})) == ["$.label"]


def test_server_schema_validator_rejects_attributes_the_schema_does_not_define():
    violations = validator_for_server_schema(typed_schema())({**GOOD_DEVICE, "colour": "red"})
    assert paths(violations) == ["$.colour"]
    assert "not defined by urn:example:params:scim:schemas:core:2.0:Device" in violations[0].message


def test_server_schema_validator_is_robust_to_malformed_definitions():
    with pytest.raises(TypeError):
        validator_for_server_schema(["not", "a", "schema"])
    validator = validator_for_server_schema({"id": "urn:x", "attributes": [{"type": "string"}]})
    assert validator({"schemas": ["urn:x"], "id": "1"}) == []
    odd_type = {"id": "urn:y", "attributes": [{"name": "a", "type": "whatever"}]}
    assert validator_for_server_schema(odd_type)({"a": [1, {"b": 2}]}) == []


def test_rfc_schema_definitions_validate_the_rfc_examples():
    user_validator = validator_for_server_schema(RFC_USER_SCHEMA)
    assert user_validator(fixture(FULL_USER)) == []
    assert user_validator(fixture("rfc7643-8.1-minimal-user.json")) == []
    # §8.7.1 lists no "display" for members, yet §8.4 uses it: §2.4 allows it on any
    # multi-valued attribute.
    assert validator_for_server_schema(RFC_GROUP_SCHEMA)(fixture(GROUP)) == []


def test_validate_resource_checks_core_and_every_extension():
    assert validate_resource(fixture(ENTERPRISE_USER), RFC_SCHEMAS) == []
    assert validate_resource(fixture(GROUP), RFC_SCHEMAS) == []
    user = fixture(ENTERPRISE_USER)
    del user[ENTERPRISE_USER_URN]["manager"]["value"]  # required by the §8.7.1 definition
    user[ENTERPRISE_USER_URN]["costCentre"] = "4130"
    user["nickName"] = ["Babs"]
    assert paths(validate_resource(user, RFC_SCHEMAS)) == [
        "$.nickName",
        f"$['{ENTERPRISE_USER_URN}'].costCentre",
        f"$['{ENTERPRISE_USER_URN}'].manager",
    ]


def test_validate_resource_reports_schema_claims_it_cannot_honour():
    user = fixture(ENTERPRISE_USER)
    user["schemas"] = [USER_URN, CUSTOM_EXTENSION]
    user[CUSTOM_EXTENSION] = {"badge": "x"}
    messages = [str(v) for v in validate_resource(user, RFC_SCHEMAS)]
    assert any(ENTERPRISE_USER_URN in m and "not listed" in m for m in messages)
    assert any(CUSTOM_EXTENSION in m and "not published at /Schemas" in m for m in messages)


def test_validate_resource_requires_id_and_schemas():
    user = fixture(FULL_USER)
    del user["id"]
    assert "$" in paths(validate_resource(user, RFC_SCHEMAS))
    assert paths(validate_resource({"userName": "x"}, RFC_SCHEMAS)) == ["$.schemas"]
    assert paths(validate_resource("x", RFC_SCHEMAS)) == ["$"]


def test_validate_resource_uses_resource_types_to_find_the_core_schema():
    # An extension declared without attributes looks like a second core candidate.
    user = fixture("rfc7643-8.1-minimal-user.json")
    user["schemas"] = [ENTERPRISE_USER_URN, USER_URN]
    resource_types = fixture("rfc7643-8.6-resource-types.json")
    assert validate_resource(user, RFC_SCHEMAS, resource_types) == []
    assert validate_resource(user, RFC_SCHEMAS) == []


def test_custom_extension_with_published_schema_is_validated():
    badge_schema = {
        "id": CUSTOM_EXTENSION,
        "name": "Badge",
        "attributes": [
            {"name": "colour", "type": "string", "multiValued": False, "required": True}
        ],
    }
    user = fixture(FULL_USER)
    user["schemas"] = [USER_URN, CUSTOM_EXTENSION]
    user[CUSTOM_EXTENSION] = {"COLOUR": "blue"}
    assert validate_resource(user, [*RFC_SCHEMAS, badge_schema]) == []
    user[CUSTOM_EXTENSION] = {"id": "nested"}
    assert paths(validate_resource(user, [*RFC_SCHEMAS, badge_schema])) == [
        f"$['{CUSTOM_EXTENSION}']",
        f"$['{CUSTOM_EXTENSION}'].id",
    ]
