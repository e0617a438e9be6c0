"""``attributes``/``excludedAttributes`` and the ``returned`` characteristic (RFC 7644
§3.4.2.5, RFC 7643 §7): ``never`` is never sent, ``always`` always, ``request`` only when
asked for, ``default`` unless excluded. Unknown names in either list are ignored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stub_server.scim.errors import ScimError
from stub_server.scim.filter_bind import resolve
from stub_server.scim.filter_parser import split_attr_path
from stub_server.scim.limits import check_attribute_names
from stub_server.scim.schemas import Attribute, ResourceSchema

Key = tuple[str, str | None, str | None]  # (schema URN, attribute name, sub-attribute name)


@dataclass(frozen=True)
class Projection:
    """Which attributes a response carries."""

    include: frozenset[Key] | None = None
    exclude: frozenset[Key] = frozenset()


DEFAULT = Projection()


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return check_attribute_names([n.strip() for n in value.split(",") if n.strip()])
    if isinstance(value, list) and all(isinstance(n, str) for n in value):
        return check_attribute_names([n.strip() for n in value if n.strip()])
    raise ScimError(
        400, "attributes and excludedAttributes are lists of attribute names", "invalidValue"
    )


def _keys(names: list[str], rs: ResourceSchema) -> frozenset[Key]:
    keys = set()
    for name in names:
        try:
            schema, attr, sub = resolve(split_attr_path(name), rs)
        except (KeyError, ScimError):
            continue
        if attr is None:
            keys.add((schema, None, None))
            continue
        sub_attr = attr.sub.get(sub.lower()) if sub else None
        if sub and sub_attr is None:
            continue
        keys.add((schema, attr.name, sub_attr.name if sub_attr else None))
    return frozenset(keys)


def parse_projection(attributes: Any, excluded: Any, rs: ResourceSchema) -> Projection:
    """Build a Projection from the two request parameters (comma-separated or lists)."""
    include, exclude = _names(attributes), _names(excluded)
    if not include and not exclude:
        return DEFAULT
    return Projection(_keys(include, rs) if include else None, _keys(exclude, rs))


def _pick_subs(attr: Attribute, value: Any, keep: set[str] | None, drop: set[str]) -> Any:
    def one(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        out = {}
        for name, sub_value in item.items():
            sub = attr.sub.get(name.lower())
            if sub is None or sub.returned == "never":
                continue
            if sub.returned != "always" and (
                (keep is not None and name not in keep) or name in drop
            ):
                continue
            out[name] = sub_value
        return out or None

    if isinstance(value, list):
        items = [v for v in (one(i) for i in value) if v is not None]
        return items or None
    return one(value)


def _project_attr(schema: str, attr: Attribute, value: Any, proj: Projection) -> Any:
    if attr.returned == "never":
        return None
    if attr.returned == "always":
        return value
    if proj.include is not None:
        if (schema, None, None) in proj.include or (schema, attr.name, None) in proj.include:
            return _pick_subs(attr, value, None, set()) if attr.type == "complex" else value
        subs = {s for (sc, a, s) in proj.include if sc == schema and a == attr.name and s}
        return _pick_subs(attr, value, subs, set()) if subs else None
    if attr.returned == "request":
        return None
    if (schema, None, None) in proj.exclude or (schema, attr.name, None) in proj.exclude:
        return None
    if attr.type != "complex":
        return value
    drop = {s for (sc, a, s) in proj.exclude if sc == schema and a == attr.name and s}
    return _pick_subs(attr, value, None, drop)


def project(resource: dict, rs: ResourceSchema, proj: Projection) -> dict:
    """Return the representation of ``resource`` the client asked for."""
    if proj is DEFAULT:  # stored resources never hold returned=never values (the password)
        return resource
    out: dict = {}
    for key, value in resource.items():
        if key == "schemas":
            continue
        if key in rs.attributes and key != rs.core:  # an extension object
            inner = {}
            for name, sub_value in value.items():
                attr = rs.top(key, name)
                if attr is not None:
                    projected = _project_attr(key, attr, sub_value, proj)
                    if projected is not None:
                        inner[name] = projected
            if inner:
                out[key] = inner
            continue
        attr = rs.top(rs.core, key)
        if attr is not None:
            projected = _project_attr(rs.core, attr, value, proj)
            if projected is not None:
                out[key] = projected
    schemas = [s for s in resource.get("schemas", [rs.core]) if s == rs.core or s in out]
    return {"schemas": schemas, **out}
