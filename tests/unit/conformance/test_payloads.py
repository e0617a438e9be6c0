"""Payloads built from a server's /Schemas and /ResourceTypes, and --user/--group templates."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from conformance import urns
from conformance.payloads import (
    Attribute,
    Payloads,
    TemplateError,
    check_template,
    complete,
    load_template,
    render,
    shapes_of,
    value_for,
)


def counter() -> Any:
    """A unique() like the run's: label -> 'run-<label>-<n>'."""
    numbers = itertools.count(1)
    return lambda label: f"run-{label}-{next(numbers)}"


def attribute(name: str, type: str = "string", **extra: Any) -> dict[str, Any]:
    """One attribute definition as /Schemas serves it."""
    return {
        "name": name,
        "type": type,
        "multiValued": False,
        "required": False,
        "mutability": "readWrite",
        **extra,
    }


def user_schema(*extra: dict[str, Any]) -> dict[str, Any]:
    """A User schema with userName required plus the given attributes."""
    return {
        "id": urns.USER,
        "attributes": [attribute("userName", required=True), attribute("title"), *extra],
    }


ENTERPRISE = {
    "id": urns.ENTERPRISE_USER,
    "attributes": [
        attribute("employeeNumber", required=True),
        attribute("costCenter"),
        attribute(
            "manager",
            "complex",
            subAttributes=[attribute("value"), attribute("displayName", mutability="readOnly")],
        ),
    ],
}


def user_type(required_extension: bool | None) -> dict[str, Any]:
    """The User ResourceType, with the enterprise extension (required or not) or without."""
    resource_type: dict[str, Any] = {"name": "User", "endpoint": "/Users", "schema": urns.USER}
    if required_extension is not None:
        resource_type["schemaExtensions"] = [
            {"schema": urns.ENTERPRISE_USER, "required": required_extension}
        ]
    return resource_type


def test_a_required_core_attribute_is_added_and_present_ones_are_kept() -> None:
    """title required: the default User gains a unique title; userName stays."""
    schema = user_schema()
    schema["attributes"][1]["required"] = True
    shapes = shapes_of([schema], [user_type(None)])
    payload = complete({"schemas": [urns.USER], "userName": "u"}, shapes[urns.USER], counter())
    assert payload == {"schemas": [urns.USER], "userName": "u", "title": "run-title-1"}


def test_attribute_names_match_case_insensitively() -> None:
    """A payload's 'TITLE' satisfies a required 'title' (RFC 7643 §2.1)."""
    schema = user_schema()
    schema["attributes"][1]["required"] = True
    shape = shapes_of([schema], [user_type(None)])[urns.USER]
    payload = complete({"userName": "u", "TITLE": "x"}, shape, counter())
    assert "title" not in payload and payload["TITLE"] == "x"


def test_a_required_extension_brings_its_urn_and_its_required_attributes() -> None:
    """schemaExtensions required=true: the URN joins schemas, employeeNumber is filled."""
    shape = shapes_of([user_schema(), ENTERPRISE], [user_type(True)])[urns.USER]
    payload = complete({"schemas": [urns.USER], "userName": "u"}, shape, counter())
    assert payload["schemas"] == [urns.USER, urns.ENTERPRISE_USER]
    assert payload[urns.ENTERPRISE_USER] == {"employeeNumber": "run-employeeNumber-1"}


def test_an_optional_extension_is_left_out_unless_the_payload_carries_it() -> None:
    """required=false: nothing added; a payload that carries it gets its required attributes."""
    shape = shapes_of([user_schema(), ENTERPRISE], [user_type(False)])[urns.USER]
    assert complete({"userName": "u"}, shape, counter()) == {
        "userName": "u",
        "schemas": [urns.USER],
    }
    carried = complete(
        {"schemas": [urns.USER], "userName": "u", urns.ENTERPRISE_USER: {"costCenter": "c"}},
        shape,
        counter(),
    )
    assert carried[urns.ENTERPRISE_USER] == {
        "costCenter": "c",
        "employeeNumber": "run-employeeNumber-1",
    }
    assert carried["schemas"] == [urns.USER, urns.ENTERPRISE_USER]


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        (attribute("active", "boolean"), True),
        (attribute("level", "integer"), 1),
        (attribute("ratio", "decimal"), 1.5),
        (attribute("hired", "dateTime"), "2020-01-01T00:00:00Z"),
        (attribute("badge", "binary"), "c2NpbXByb29m"),
        (
            attribute("site", "reference", referenceTypes=["external"]),
            "https://example.com/run-site-1",
        ),
        (attribute("userType", canonicalValues=["Employee", "Contractor"]), "Employee"),
        (attribute("nickName", multiValued=True), ["run-nickName-1"]),
        (
            attribute(
                "emails",
                "complex",
                multiValued=True,
                subAttributes=[attribute("value"), attribute("type", canonicalValues=["work"])],
            ),
            [{"value": "run-emails-value-1@example.com"}],
        ),
        (
            attribute(
                "phoneNumbers",
                "complex",
                multiValued=True,
                subAttributes=[
                    attribute("value", required=True),
                    attribute("type", required=True, canonicalValues=["mobile", "work"]),
                    attribute("display", required=True, mutability="readOnly"),
                ],
            ),
            [{"value": "run-phoneNumbers-value-1", "type": "mobile"}],
        ),
    ],
)
def test_values_follow_the_declared_type(definition: dict[str, Any], expected: Any) -> None:
    """type, canonicalValues, multiValued and required writable sub-attributes decide a value."""
    parsed = Attribute.parse(definition)
    assert parsed is not None
    assert value_for(parsed, counter()) == expected


def test_required_sub_attributes_complete_complex_values_present() -> None:
    """name.familyName required: a name without it gets one; every e-mail gets a value."""
    schema = user_schema(
        attribute("name", "complex", subAttributes=[attribute("familyName", required=True)]),
        attribute(
            "emails",
            "complex",
            multiValued=True,
            subAttributes=[attribute("value", required=True), attribute("type")],
        ),
    )
    shape = shapes_of([schema], [user_type(None)])[urns.USER]
    payload = complete(
        {"userName": "u", "name": {"givenName": "A"}, "emails": [{"type": "work"}, {"value": "x"}]},
        shape,
        counter(),
    )
    assert payload["name"] == {"givenName": "A", "familyName": "run-name-familyName-1"}
    assert payload["emails"] == [
        {"type": "work", "value": "run-emails-value-2@example.com"},
        {"value": "x"},
    ]


def test_values_outside_canonical_values_are_swapped_and_read_only_ones_never_sent() -> None:
    """emails.type 'work' where only 'office'/'home' are canonical becomes 'office'."""
    schema = user_schema(
        attribute(
            "emails",
            "complex",
            multiValued=True,
            subAttributes=[
                attribute("value"),
                attribute("type", canonicalValues=["office", "home"]),
            ],
        ),
        attribute("groups", "complex", required=True, mutability="readOnly"),
    )
    payloads = Payloads(shapes_of([schema], [user_type(None)]), prefix="run")
    user = payloads.user(counter())
    assert user["emails"][0]["type"] == "office"
    assert "groups" not in user
    assert user["displayName"] == "run Tester"


def test_malformed_schemas_contribute_nothing() -> None:
    """Entries without id, attributes that are not objects, or without name are skipped."""
    shapes = shapes_of(
        [{"attributes": []}, {"id": urns.USER, "attributes": ["x", {"type": "string"}, 3]}],
        [{"schema": urns.USER, "schemaExtensions": [{"required": True}, "x"]}, "junk", {}],
    )
    assert shapes[urns.USER].attributes == () and shapes[urns.USER].extensions == ()
    assert complete({"userName": "u"}, None, counter()) == {"userName": "u"}


def test_the_default_group_and_a_group_template_with_members() -> None:
    """Members are listed by id; a template's keys replace the default's, null removes one."""
    template = {"displayName": "{prefix}", "x-tag": "t-{prefix}", "externalId": None}
    default = Payloads({}).group(counter(), ["1", "2"])
    assert default["members"] == [{"value": "1"}, {"value": "2"}]
    assert default["displayName"] == "run-group-1"
    templated = Payloads({}, {"Group": template}).group(counter(), ["9"])
    assert templated == {
        "schemas": [urns.GROUP],
        "displayName": "run-group-3",
        "x-tag": "t-run-group-3",
        "members": [{"value": "9"}],
    }


def test_a_user_template_is_rendered_and_completed(tmp_path: Path) -> None:
    """{prefix} in keys and nested strings; the schema's required attributes still added."""
    path = tmp_path / "user.json"
    path.write_text(
        json.dumps(
            {
                "schemas": [urns.USER],
                "userName": "{prefix}@corp.example",
                "emails": [{"value": "{prefix}@corp.example", "primary": True}],
            }
        )
    )
    template = load_template(path, "User")
    schema = user_schema()
    schema["attributes"][1]["required"] = True
    payloads = Payloads(shapes_of([schema], [user_type(None)]), {"User": template})
    user = payloads.user(counter())
    assert user["userName"] == "run-user-3@corp.example"
    assert user["emails"][0]["value"] == "run-user-3@corp.example"
    assert user["title"] == "run-title-4"
    assert user["name"] == {"givenName": "Scimproof", "familyName": "Tester"}  # the default
    assert template["userName"] == "{prefix}@corp.example"  # the template itself is untouched
    assert render({"{prefix}": ["{prefix}", 1, None]}, "p") == {"p": ["p", 1, None]}


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("{", "User", "not JSON"),
        ("[1]", "User", "must be a JSON object"),
        ('{"userName": "fixed"}', "User", '"userName" must hold {prefix}'),
        ('{"displayName": "All staff"}', "Group", '"displayName" must hold {prefix}'),
    ],
)
def test_unusable_templates_are_refused_with_one_line(
    tmp_path: Path, text: str, kind: str, message: str
) -> None:
    """Bad JSON, a non-object, a naming attribute without {prefix}: TemplateError naming it."""
    path = tmp_path / "template.json"
    path.write_text(text)
    with pytest.raises(TemplateError, match=message.replace("{", r"\{").replace("}", r"\}")) as exc:
        load_template(path, kind)
    assert "\n" not in str(exc.value) and f"--{kind.lower()}-template" in str(exc.value)


def test_a_missing_template_file_and_an_unknown_kind_are_refused(tmp_path: Path) -> None:
    """The OS reason is given; only User and Group have templates."""
    with pytest.raises(TemplateError, match="No such file"):
        load_template(tmp_path / "absent.json", "User")
    with pytest.raises(TemplateError, match="User or a Group"):
        check_template({}, "Device")
