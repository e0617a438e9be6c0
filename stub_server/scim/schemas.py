"""The run-time index of the schema definitions (``schema_definitions``): every attribute's
characteristics, looked up by resource type, schema URN and name, so the service enforces
them on every request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stub_server.scim.schema_definitions import (
    COMMON_ATTRIBUTES,
    ENTERPRISE_ATTRIBUTES,
    GROUP_ATTRIBUTES,
    USER_ATTRIBUTES,
)
from stub_server.scim.urns import ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA


@dataclass(frozen=True)
class Attribute:
    """An attribute definition with its characteristics, ready for run-time checks."""

    name: str
    type: str
    multi: bool
    required: bool
    case_exact: bool
    mutability: str
    returned: str
    uniqueness: str
    schema: str
    parent: Attribute | None = None
    sub: dict[str, Attribute] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The dotted path (without URN), e.g. ``name.givenName``."""
        return f"{self.parent.name}.{self.name}" if self.parent else self.name


def _compile(defn: dict, schema: str, parent: Attribute | None = None) -> Attribute:
    node = Attribute(
        defn["name"],
        defn["type"],
        defn["multiValued"],
        defn["required"],
        defn["caseExact"],
        defn["mutability"],
        defn["returned"],
        defn["uniqueness"],
        schema,
        parent,
    )
    for sub in defn.get("subAttributes", []):
        node.sub[sub["name"].lower()] = _compile(sub, schema, node)
    return node


@dataclass(frozen=True)
class ResourceSchema:
    """A resource type's core schema, its extensions and the attribute lookup tables."""

    name: str
    endpoint: str
    core: str
    extensions: tuple[str, ...]
    attributes: dict[str, dict[str, Attribute]]  # schema URN -> lower name -> Attribute

    def all_schemas(self) -> tuple[str, ...]:
        """The core schema URN followed by the extension URNs."""
        return (self.core, *self.extensions)

    def top(self, schema: str, name: str) -> Attribute | None:
        """Return the top-level attribute ``name`` of ``schema`` (case-insensitive)."""
        return self.attributes.get(schema, {}).get(name.lower())

    def schema_for_urn(self, urn: str) -> str | None:
        """Return the canonical spelling of a schema URN this resource type uses."""
        low = urn.lower()
        return next((s for s in self.all_schemas() if s.lower() == low), None)


def _resource_schema(
    name: str, endpoint: str, core: str, core_attrs: list[dict], extensions: dict[str, list[dict]]
) -> ResourceSchema:
    tables: dict[str, dict[str, Attribute]] = {core: {}}
    for defn in [*COMMON_ATTRIBUTES, *core_attrs]:
        tables[core][defn["name"].lower()] = _compile(defn, core)
    for urn, attrs in extensions.items():
        tables[urn] = {d["name"].lower(): _compile(d, urn) for d in attrs}
    return ResourceSchema(name, endpoint, core, tuple(extensions), tables)


USER = _resource_schema(
    "User", "/Users", USER_SCHEMA, USER_ATTRIBUTES, {ENTERPRISE_SCHEMA: ENTERPRISE_ATTRIBUTES}
)
GROUP = _resource_schema("Group", "/Groups", GROUP_SCHEMA, GROUP_ATTRIBUTES, {})
RESOURCE_SCHEMAS = {"User": USER, "Group": GROUP}
