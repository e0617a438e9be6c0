"""Create/replace payloads that satisfy the server's own schema (RFC 7643 §2.2, §6, §7).

The checker's default User and Group are built for RFC 7643's schemas. A server may require
more: an extra core attribute (``title``), or an extension schema its ResourceType marks
``required`` with required attributes of its own (enterprise ``employeeNumber``). This module
reads ``/Schemas`` and ``/ResourceTypes`` once per run into a :class:`ResourceShape` and
completes any payload with values of the declared type (``canonicalValues`` first,
``multiValued`` as a list, complex values with their required sub-attributes).

A ``--user-template`` / ``--group-template`` file is laid over the default payload key by key
(null removes a key): a JSON object whose strings may hold ``{prefix}``, replaced by a name
unique to the run and the resource.

    shapes = shapes_of(schemas, resource_types)        # once per run
    payload = complete(default, shapes.get(urns.USER), unique)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance import urns

PLACEHOLDER = "{prefix}"
# Attributes the service provider assigns (RFC 7643 §3.1): never part of a request body.
ASSIGNED = frozenset({"id", "meta", "schemas"})
# The attribute a template must name its resource with, so the run can tell it made it
# (conformance.cleanup re-reads every resource and deletes only those carrying the prefix).
NAMING = {urns.USER: "userName", urns.GROUP: "displayName"}
KINDS = {"User": urns.USER, "Group": urns.GROUP}

Unique = Callable[[str], str]  # label -> a value unique to the run ("scimproof-ab12-title-7")


class TemplateError(ValueError):
    """A --user-template / --group-template file that cannot be used (one-line message)."""


@dataclass(frozen=True)
class Attribute:
    """One attribute definition of a /Schemas entry (RFC 7643 §7), the parts payloads need."""

    name: str
    type: str = "string"
    multi_valued: bool = False
    required: bool = False
    mutability: str = "readWrite"
    canonical_values: tuple[Any, ...] = ()
    reference_types: tuple[str, ...] = ()
    sub_attributes: tuple[Attribute, ...] = ()

    @property
    def writable(self) -> bool:
        """A client may send it on create (readOnly values are ignored or refused)."""
        return self.mutability != "readOnly" and self.name not in ASSIGNED

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Attribute | None:
        """An Attribute from its JSON definition; None when it has no usable name."""
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            return None
        canonical = raw.get("canonicalValues")
        references = raw.get("referenceTypes")
        return cls(
            name=name,
            type=str(raw.get("type") or "string"),
            multi_valued=raw.get("multiValued") is True,
            required=raw.get("required") is True,
            mutability=str(raw.get("mutability") or "readWrite"),
            canonical_values=tuple(canonical) if isinstance(canonical, list) else (),
            reference_types=tuple(str(r) for r in references)
            if isinstance(references, list)
            else (),
            sub_attributes=_parse_all(raw.get("subAttributes")),
        )


@dataclass(frozen=True)
class Extension:
    """A schema extension a ResourceType lists, and whether resources of it must carry it."""

    urn: str
    required: bool
    attributes: tuple[Attribute, ...]


@dataclass(frozen=True)
class ResourceShape:
    """What a resource type's create/replace body must hold: core and extension attributes."""

    core_urn: str
    attributes: tuple[Attribute, ...] = ()
    extensions: tuple[Extension, ...] = ()


def _parse_all(raw: Any) -> tuple[Attribute, ...]:
    """Attributes of a JSON list of definitions, skipping malformed entries."""
    if not isinstance(raw, list):
        return ()
    parsed = (Attribute.parse(item) for item in raw if isinstance(item, Mapping))
    return tuple(attribute for attribute in parsed if attribute is not None)


def shapes_of(
    schemas: Iterable[Mapping[str, Any]], resource_types: Iterable[Mapping[str, Any]]
) -> dict[str, ResourceShape]:
    """Core schema URN -> ResourceShape, from /Schemas and /ResourceTypes as served.

    A schema /Schemas does not publish contributes no attributes (the payload keeps what it
    has); an extension is required only when its ResourceType says ``required: true``.
    """
    attributes = {
        str(schema.get("id")): _parse_all(schema.get("attributes"))
        for schema in schemas
        if isinstance(schema, Mapping) and schema.get("id")
    }
    shapes: dict[str, ResourceShape] = {}
    for resource_type in resource_types:
        core = resource_type.get("schema") if isinstance(resource_type, Mapping) else None
        if not isinstance(core, str) or not core:
            continue
        extensions = tuple(
            Extension(
                urn=str(entry["schema"]),
                required=entry.get("required") is True,
                attributes=attributes.get(str(entry["schema"]), ()),
            )
            for entry in resource_type.get("schemaExtensions") or []
            if isinstance(entry, Mapping) and entry.get("schema")
        )
        shapes[core] = ResourceShape(core, attributes.get(core, ()), extensions)
    for urn in (urns.USER, urns.GROUP):  # published without a ResourceType: core only
        if urn not in shapes and urn in attributes:
            shapes[urn] = ResourceShape(urn, attributes[urn])
    return shapes


def complete(
    payload: dict[str, Any], shape: ResourceShape | None, unique: Unique
) -> dict[str, Any]:
    """``payload`` with every required attribute the shape declares and it lacks, filled in.

    Required core attributes and required sub-attributes of complex values present; each
    extension the ResourceType requires (its URN in ``schemas`` and its required
    attributes), and the required attributes of an optional extension the payload carries.
    Values already present are kept as they are.
    """
    if shape is None:
        return payload
    _fill(payload, shape.attributes, unique)
    schemas = payload.setdefault("schemas", [shape.core_urn])
    for extension in shape.extensions:
        present = _key(payload, extension.urn)
        if present is None and not extension.required:
            continue
        if present is None:
            present = extension.urn
            payload[present] = {}
        if isinstance(payload[present], dict):
            _fill(payload[present], extension.attributes, unique)
        if isinstance(schemas, list) and extension.urn not in schemas:
            schemas.append(extension.urn)
    return payload


def _fill(
    target: dict[str, Any], attributes: tuple[Attribute, ...], unique: Unique, parent: str = ""
) -> None:
    """Add missing required writable attributes; complete complex values already present."""
    for attribute in attributes:
        key = _key(target, attribute.name)
        if key is None:
            if attribute.required and attribute.writable:
                target[attribute.name] = value_for(attribute, unique, parent)
            continue
        value = target[key]
        if attribute.canonical_values and not attribute.multi_valued:
            target[key] = _canonical(value, attribute.canonical_values)
        if attribute.type != "complex" or not attribute.sub_attributes:
            continue
        for element in value if isinstance(value, list) else [value]:
            if isinstance(element, dict):
                _fill(element, attribute.sub_attributes, unique, attribute.name)


def _canonical(value: Any, canonical: tuple[Any, ...]) -> Any:
    """A string among the canonical values (case-insensitively) stays; another one is swapped
    for the first canonical value (servers may refuse values outside the list)."""
    if not isinstance(value, str):
        return value
    if any(isinstance(c, str) and c.lower() == value.lower() for c in canonical):
        return value
    return canonical[0]


def _key(target: Mapping[str, Any], name: str) -> str | None:
    """The key of ``target`` naming ``name`` (attribute names are case-insensitive, §2.1)."""
    if name in target:
        return name
    lowered = name.lower()
    return next((key for key in target if key.lower() == lowered), None)


def value_for(attribute: Attribute, unique: Unique, parent: str = "") -> Any:
    """A value of the attribute's declared type (a one-element list when multi-valued)."""
    single = _single_value(attribute, unique, parent)
    return [single] if attribute.multi_valued else single


def _single_value(attribute: Attribute, unique: Unique, parent: str) -> Any:
    """One value: a canonical value when declared, else one of the declared type."""
    if attribute.canonical_values:
        return attribute.canonical_values[0]
    kind = attribute.type.lower()
    if kind == "complex":
        return _complex_value(attribute, unique)
    if kind == "boolean":
        return True
    if kind == "integer":
        return 1
    if kind == "decimal":
        return 1.5
    if kind == "datetime":
        return "2020-01-01T00:00:00Z"
    if kind == "binary":
        return "c2NpbXByb29m"  # base64 of "scimproof" (RFC 7643 §2.3.6)
    label = attribute.name if not parent else f"{parent}-{attribute.name}"
    if kind == "reference":
        if set(attribute.reference_types) & {"external", "uri"} or not attribute.reference_types:
            return f"https://example.com/{unique(label)}"
        return unique(label)
    text = unique(label)
    if "email" in (parent or attribute.name).lower():
        return f"{text}@example.com"
    return text


def _complex_value(attribute: Attribute, unique: Unique) -> dict[str, Any]:
    """Required writable sub-attributes; else ``value`` (or the first writable one)."""
    writable = [sub for sub in attribute.sub_attributes if sub.writable]
    chosen = [sub for sub in writable if sub.required]
    if not chosen:
        chosen = [sub for sub in writable if sub.name == "value"] or writable[:1]
    return {sub.name: value_for(sub, unique, attribute.name) for sub in chosen}


# -- the payloads of a run -------------------------------------------------------------
class Payloads:
    """The run's User and Group bodies: the default (or the template), completed per schema."""

    def __init__(
        self,
        shapes: Mapping[str, ResourceShape],
        templates: Mapping[str, Any] | None = None,
        prefix: str = "scimproof",
    ) -> None:
        self.shapes = shapes
        self.templates = dict(templates or {})
        self.prefix = prefix  # the run's prefix

    @classmethod
    def discover(
        cls,
        schemas: Iterable[Mapping[str, Any]],
        resource_types: Iterable[Mapping[str, Any]],
        templates: Mapping[str, Any] | None = None,
        prefix: str = "scimproof",
    ) -> Payloads:
        """Payloads for the schemas and resource types a server serves."""
        return cls(shapes_of(schemas, resource_types), templates, prefix)

    def user(self, unique: Unique) -> dict[str, Any]:
        """A new User: prefixed e-mail userName, name, work e-mail; the template on top."""
        user_name = f"{unique('user')}@example.com"
        payload = {
            "schemas": [urns.USER],
            "userName": user_name,
            "externalId": unique("ext"),
            "name": {"givenName": "Scimproof", "familyName": "Tester"},
            "displayName": f"{self.prefix} Tester",
            "emails": [{"value": user_name, "type": "work", "primary": True}],
            "active": True,
        }
        return self._finish(payload, "User", unique)

    def group(self, unique: Unique, members: Iterable[str] = ()) -> dict[str, Any]:
        """A new Group: a prefixed displayName and these member ids; the template on top."""
        payload = {
            "schemas": [urns.GROUP],
            "displayName": unique("group"),
            "externalId": unique("ext"),
            "members": [],
        }
        payload = self._finish(payload, "Group", unique)
        if members or "members" not in payload:
            payload["members"] = [{"value": member} for member in members]
        return payload

    def _finish(self, payload: dict[str, Any], kind: str, unique: Unique) -> dict[str, Any]:
        """Lay the kind's template over the default (a null removes a key), then complete it."""
        if kind in self.templates:
            template = render(self.templates[kind], unique(kind.lower()))
            for key, value in template.items():
                if value is None:
                    payload.pop(key, None)
                else:
                    payload[key] = value
        return complete(payload, self.shapes.get(KINDS[kind]), unique)


# -- templates ------------------------------------------------------------------------
def load_templates(user: Any = None, group: Any = None) -> dict[str, Any]:
    """{"User": ..., "Group": ...} from template files or dicts (None: the default payload)."""
    templates = {}
    for kind, given in (("User", user), ("Group", group)):
        if isinstance(given, dict):
            check_template(given, kind, f"{kind.lower()}_template")
            templates[kind] = given
        elif given:
            templates[kind] = load_template(given, kind)
    return templates


def load_template(path: str | Path, kind: str) -> dict[str, Any]:
    """Read a --user-template / --group-template file; TemplateError says what is wrong.

    The file is a JSON object laid over the default body key by key (null removes a key).
    Its naming attribute (``userName`` for a User, ``displayName`` for a Group), when given,
    holds ``{prefix}``: the run deletes only what carries its prefix.
    """
    option = f"--{kind.lower()}-template"
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(f"{option} {path}: {exc.strerror or exc}") from exc
    try:
        template = json.loads(text)
    except ValueError as exc:
        raise TemplateError(f"{option} {path}: not JSON ({exc})") from exc
    check_template(template, kind, f"{option} {path}")
    return template


def check_template(template: Any, kind: str, where: str = "template") -> None:
    """Raise TemplateError unless ``template`` is usable for ``kind`` ('User' or 'Group')."""
    if kind not in KINDS:
        raise TemplateError(f"{where}: a template is for a User or a Group, not {kind!r}")
    if not isinstance(template, dict):
        raise TemplateError(f"{where}: must be a JSON object, not {type(template).__name__}")
    naming = NAMING[KINDS[kind]]
    value = template.get(naming, PLACEHOLDER)
    if not isinstance(value, str) or PLACEHOLDER not in value:
        raise TemplateError(
            f'{where}: "{naming}" must hold {PLACEHOLDER} (e.g. "{PLACEHOLDER}@example.com"), '
            "so every resource the run creates is unique and recognisably its own"
        )


def render(template: Any, prefix: str) -> Any:
    """A deep copy of ``template`` with ``{prefix}`` replaced in every string (keys too)."""
    if isinstance(template, dict):
        return {render(key, prefix): render(value, prefix) for key, value in template.items()}
    if isinstance(template, list):
        return [render(item, prefix) for item in template]
    if isinstance(template, str):
        return template.replace(PLACEHOLDER, prefix)
    return template
