"""Input validation: turn a request body into a canonical resource (RFC 7643 §2, §7).

Attribute names match case-insensitively and come out in their schema spelling; readOnly
attributes are ignored on input; ``null`` and empty values mean unassigned; types are checked
strictly (400 ``invalidValue``); unknown attributes and schemas are refused so a client learns
about a typo instead of losing data silently.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from stub_server.scim.errors import ScimError
from stub_server.scim.filter_bind import parse_datetime, resolve
from stub_server.scim.filter_parser import AttrPath, split_attr_path
from stub_server.scim.schemas import Attribute, ResourceSchema


def invalid_value(detail: str) -> ScimError:
    """A 400 invalidValue error."""
    return ScimError(400, detail, "invalidValue")


def api_message(body: Any, urn: str, what: str) -> dict[str, Any]:
    """The members of an API message (RFC 7644 §3.5.2 PatchOp, §3.7 BulkRequest) by
    lower-cased name, once the body is a JSON object whose ``schemas`` names ``urn`` in any
    case (400 invalidSyntax, then invalidValue)."""
    if not isinstance(body, dict):
        raise ScimError(400, f"the {what} body must be a JSON object", "invalidSyntax")
    lowered = {k.lower(): v for k, v in body.items()}
    schemas = lowered.get("schemas")
    if not isinstance(schemas, list) or urn.lower() not in [
        s.lower() for s in schemas if isinstance(s, str)
    ]:
        raise invalid_value(f"a {what} body needs schemas [{urn!r}]")
    return lowered


def _type_name(attr: Attribute) -> str:
    return {
        "string": "a string",
        "reference": "a string (URI)",
        "binary": "a base64 string",
        "boolean": "true or false",
        "integer": "an integer",
        "decimal": "a number",
        "dateTime": "a dateTime string",
        "complex": "an object",
    }[attr.type]


def check_single(attr: Attribute, value: Any, where: str) -> Any:
    """Validate one (non-list) value of ``attr``; return it canonical, or None when empty."""
    if value is None:
        return None
    ok = True
    if attr.type == "complex":
        if not isinstance(value, dict):
            raise invalid_value(f"{where} must be {_type_name(attr)}")
        out = {}
        for key, sub_value in value.items():
            sub = attr.sub.get(key.lower()) if isinstance(key, str) else None
            if sub is None:
                raise invalid_value(f"{where} has no sub-attribute {key!r}")
            if sub.mutability == "readOnly":
                continue
            checked = check_single(sub, sub_value, f"{where}.{sub.name}")
            if checked is not None:
                out[sub.name] = checked
        return out or None
    if attr.type == "boolean":
        ok = isinstance(value, bool)
    elif attr.type == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif attr.type == "decimal":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif not isinstance(value, str):
        ok = False
    elif attr.type == "binary":
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            ok = False
    elif attr.type == "dateTime":
        try:
            parse_datetime(value)
        except ValueError:
            ok = False
    if not ok:
        raise invalid_value(f"{where} must be {_type_name(attr)}")
    return value


def check_value(attr: Attribute, value: Any, where: str) -> Any:
    """Validate a whole attribute value (a list for multi-valued ones); None when empty."""
    if value is None:
        return None
    if not attr.multi:
        if isinstance(value, list):
            raise invalid_value(f"{where} is single-valued; send {_type_name(attr)}")
        return check_single(attr, value, where)
    if not isinstance(value, list):
        raise invalid_value(f"{where} is multi-valued; send an array")
    items = [check_single(attr, v, f"{where}[{i}]") for i, v in enumerate(value)]
    items = [v for v in items if v is not None]
    if "primary" in attr.sub and sum(1 for v in items if v.get("primary") is True) > 1:
        raise invalid_value(f"{where} has more than one primary value (RFC 7643 §2.4)")
    return items or None


def check_schemas(body: dict, rs: ResourceSchema) -> None:
    """Require ``schemas`` to list the core schema and only schemas of this resource type."""
    schemas = next(
        (v for k, v in body.items() if isinstance(k, str) and k.lower() == "schemas"), None
    )
    if not isinstance(schemas, list) or not all(isinstance(s, str) for s in schemas):
        raise invalid_value(f"schemas must be an array of URNs including {rs.core}")
    for urn in schemas:
        if rs.schema_for_urn(urn) is None:
            raise invalid_value(
                f"unknown schema {urn!r} for {rs.name}; use {rs.core}"
                + "".join(f" or {e}" for e in rs.extensions)
            )
    if not any(s.lower() == rs.core.lower() for s in schemas):
        raise invalid_value(f"schemas must include {rs.core}")


def _place(out: dict, schema: str, attr: Attribute, value: Any, rs: ResourceSchema) -> None:
    container = out if schema == rs.core else out.setdefault(schema, {})
    container[attr.name] = value


def normalize(body: Any, rs: ResourceSchema) -> dict:
    """Validate a full resource body (POST/PUT, or the result of a PATCH) and canonicalize it."""
    if not isinstance(body, dict):
        raise ScimError(400, "the request body must be a JSON object", "invalidSyntax")
    check_schemas(body, rs)
    out: dict = {}
    for key, value in body.items():
        if key.lower() == "schemas":
            continue
        ext = rs.schema_for_urn(key)
        if ext is not None and ext != rs.core:
            if value is None:
                continue
            if not isinstance(value, dict):
                raise invalid_value(f"{key} must be an object of {ext} attributes")
            for sub_key, sub_value in value.items():
                if sub_key.lower() == "schemas":  # some clients repeat it inside extensions
                    continue
                attr = rs.top(ext, sub_key)
                if attr is None:
                    raise invalid_value(f"{ext} has no attribute {sub_key!r}")
                _store(out, ext, attr, sub_value, rs)
            continue
        try:
            path = split_attr_path(key) if ":" in key else AttrPath(None, key)
            schema, attr, sub = resolve(path, rs)
        except (KeyError, ScimError) as exc:
            raise invalid_value(f"unknown attribute {key!r} for {rs.name}") from exc
        if attr is None or sub is not None:
            raise invalid_value(f"{key!r} is not a top-level attribute of {rs.name}")
        _store(out, schema, attr, value, rs)
    for schema in rs.all_schemas():
        container = out if schema == rs.core else out.get(schema, {})
        for attr in rs.attributes[schema].values():
            if attr.required and attr.mutability != "readOnly" and attr.name not in container:
                raise invalid_value(f"{attr.name} is required for {rs.name}")
    extensions = [e for e in rs.extensions if out.get(e)]
    for ext in rs.extensions:
        if not out.get(ext):
            out.pop(ext, None)
    return {"schemas": [rs.core, *extensions], **out}


def _store(out: dict, schema: str, attr: Attribute, value: Any, rs: ResourceSchema) -> None:
    if attr.mutability == "readOnly":
        return  # RFC 7643 §7: readOnly values in a request are ignored
    checked = check_value(attr, value, attr.name)
    if isinstance(checked, str) and attr.required and not checked.strip():
        raise invalid_value(f"{attr.name} must not be empty")
    if checked is not None:
        _place(out, schema, attr, checked, rs)


def check_immutable(old: dict, new: dict, rs: ResourceSchema) -> None:
    """Refuse changes to immutable attributes that already had a value (400 mutability)."""
    for schema in rs.all_schemas():
        old_c = old if schema == rs.core else old.get(schema, {})
        new_c = new if schema == rs.core else new.get(schema, {})
        for attr in rs.attributes[schema].values():
            if (
                attr.mutability == "immutable"
                and attr.name in old_c
                and new_c.get(attr.name) != old_c[attr.name]
            ):
                raise ScimError(400, f"{attr.name} is immutable", "mutability")
            if attr.type == "complex" and not attr.multi and isinstance(old_c.get(attr.name), dict):
                for sub in attr.sub.values():
                    before = old_c[attr.name].get(sub.name)
                    after = (new_c.get(attr.name) or {}).get(sub.name)
                    if sub.mutability == "immutable" and before is not None and after != before:
                        raise ScimError(400, f"{attr.name}.{sub.name} is immutable", "mutability")
