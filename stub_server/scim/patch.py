"""PATCH operations (RFC 7644 §3.5.2) applied to a copy of a canonical resource.

Supports add/replace/remove (op names case-insensitive, as Entra sends "Replace"), attribute
paths, sub-attributes, value-filter paths (``emails[type eq "work"].value``,
``members[value eq "…"]``), path-less add/replace whose keys are names, dotted paths, URNs or
value paths, and ``remove`` with a ``value`` list (Entra's way to drop group members).
Choices where the RFC is silent: ``add`` through a value filter that matches nothing creates
the element from the filter's ``eq`` terms; ``remove`` through a filter that matches nothing
is a no-op; ``replace`` with a null value removes. The caller validates the result as a
whole, so the request is all-or-nothing.
"""

from __future__ import annotations

import copy
from typing import Any

from stub_server.scim.errors import ScimError
from stub_server.scim.filter_bind import bind, resolve
from stub_server.scim.filter_eval import matches
from stub_server.scim.filter_parser import And, Compare, PatchPath, parse_patch_path
from stub_server.scim.schemas import Attribute, ResourceSchema
from stub_server.scim.urns import PATCH_OP
from stub_server.scim.validate import api_message, check_single, check_value, invalid_value

MAX_OPERATIONS = 1000


def _no_target(detail: str) -> ScimError:
    return ScimError(400, detail, "noTarget")


def _operations(body: Any) -> list[dict]:
    ops = api_message(body, PATCH_OP, "PATCH").get("operations")
    if not isinstance(ops, list) or not ops:
        raise invalid_value("a PATCH body needs a non-empty Operations array")
    if len(ops) > MAX_OPERATIONS:
        raise invalid_value(f"at most {MAX_OPERATIONS} operations per PATCH")
    if not all(isinstance(op, dict) for op in ops):
        raise invalid_value("each PATCH operation must be an object")
    return ops


class _Target:
    """A resolved PATCH target: container, attribute, optional sub-attribute and filter."""

    def __init__(self, resource: dict, rs: ResourceSchema, parsed: PatchPath) -> None:
        try:
            schema, attr, sub_name = resolve(parsed.path, rs)
        except KeyError as exc:
            raise ScimError(400, f"{exc.args[0]}", "invalidPath") from exc
        self.schema = schema
        self.attr = attr
        self.resource = resource
        self.rs = rs
        self.sub: Attribute | None = None
        sub_name = sub_name or parsed.sub
        if attr is not None and sub_name is not None:
            self.sub = attr.sub.get(sub_name.lower())
            if self.sub is None:
                raise ScimError(
                    400, f"{attr.name} has no sub-attribute {sub_name!r}", "invalidPath"
                )
        self.filter = None
        if parsed.filter is not None:
            if attr is None or attr.type != "complex":
                raise ScimError(400, "a value filter needs a complex attribute", "invalidPath")
            try:
                self.filter = bind(parsed.filter, rs, attr)
            except ScimError as exc:
                raise ScimError(400, exc.detail, "invalidPath") from exc
            self.raw_filter = parsed.filter

    @property
    def container(self) -> dict:
        if self.schema == self.rs.core:
            return self.resource
        return self.resource.setdefault(self.schema, {})

    def read_only(self) -> bool:
        assert self.attr is not None
        return self.attr.mutability == "readOnly" or (
            self.sub is not None and self.sub.mutability == "readOnly"
        )

    def elements(self) -> list[dict]:
        assert self.attr is not None
        value = self.container.get(self.attr.name)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def matching(self) -> list[dict]:
        return [e for e in self.elements() if isinstance(e, dict) and matches(self.filter, e)]


def _eq_terms(node: Any, attr: Attribute) -> dict | None:
    """The ``sub eq value`` terms of a conjunction, to build an element ``add`` can create."""
    if isinstance(node, Compare) and node.op == "eq" and node.value is not None:
        return {node.ref.leaf.name: node.value}
    if isinstance(node, And):
        left, right = _eq_terms(node.left, attr), _eq_terms(node.right, attr)
        return {**left, **right} if left is not None and right is not None else None
    return None


def _single_primary(items: list, winners: list) -> None:
    """Keep ``primary: true`` only on the newest primary element (RFC 7643 §2.4)."""
    chosen = next(
        (w for w in reversed(winners) if isinstance(w, dict) and w.get("primary") is True), None
    )
    if chosen is None:
        return
    for item in items:
        if item is not chosen and isinstance(item, dict) and item.get("primary") is True:
            item["primary"] = False


def _already_holds(current: Any, item: Any, name: str) -> bool:
    """An element already holds an added one: equal, or every given sub-attribute the same
    (members by value), so re-adding it changes nothing (RFC 7644 §3.5.2.1)."""
    if current == item:
        return True
    if not isinstance(current, dict) or not isinstance(item, dict) or "value" not in item:
        return False
    if name == "members":
        return current.get("value") == item["value"]
    given = {k: v for k, v in item.items() if not (k == "primary" and v is False)}
    return all(current.get(k) == v for k, v in given.items())


def _set_whole(t: _Target, op: str, value: Any) -> None:
    attr = t.attr
    assert attr is not None
    where = attr.name
    if attr.multi:
        values = value if isinstance(value, list) else [value]
        new = [v for v in (check_single(attr, v, where) for v in values) if v is not None]
        if op == "replace":
            t.container[attr.name] = new
            winners = new
        else:
            current, winners = t.elements(), []
            for item in new:
                same = [c for c in current if _already_holds(c, item, attr.name)]
                if not same:
                    current.append(item)
                winners.append(same[0] if same else item)
            t.container[attr.name] = current
        _single_primary(t.container[attr.name], winners)
    elif attr.type == "complex":
        checked = check_single(attr, value, where)
        merged = dict(t.container.get(attr.name) or {})
        merged.update(checked or {})
        t.container[attr.name] = merged
    else:
        t.container[attr.name] = check_value(attr, value, where)


def _apply_value(t: _Target, op: str, value: Any) -> None:
    attr = t.attr
    assert attr is not None
    if t.filter is None and t.sub is None:
        _set_whole(t, op, value)
        return
    if t.filter is None:  # name.givenName, or emails.value on every element
        assert t.sub is not None
        checked = check_value(t.sub, value, f"{attr.name}.{t.sub.name}")
        if not attr.multi:
            holder = dict(t.container.get(attr.name) or {})
            holder[t.sub.name] = checked
            t.container[attr.name] = holder
            return
        elements = t.elements() or [{}]
        for element in elements:
            element[t.sub.name] = checked
        t.container[attr.name] = elements
        return
    targets = t.matching()
    if not targets:
        if op == "replace":
            raise _no_target(f"no {attr.name} value matches the path filter")
        seed = _eq_terms(t.filter, attr)
        if seed is None:
            raise _no_target(
                f"no {attr.name} value matches the filter and it has no eq terms to create one from"
            )
        created = check_single(attr, seed, attr.name) or {}
        elements = t.elements()
        elements.append(created)
        t.container[attr.name] = elements
        targets = [created]
    for element in targets:
        if t.sub is not None:
            element[t.sub.name] = check_value(t.sub, value, f"{attr.name}.{t.sub.name}")
        else:
            checked = check_single(attr, value, attr.name) or {}
            if op == "replace":
                element.clear()
            element.update(checked)
    if attr.multi:
        _single_primary(t.elements(), targets)


def _remove(t: _Target, value: Any) -> None:
    attr = t.attr
    assert attr is not None
    container = t.container
    if t.filter is None and t.sub is None:
        if attr.multi and isinstance(value, list) and value:
            drop = {v.get("value") for v in value if isinstance(v, dict)}
            container[attr.name] = [
                e for e in t.elements() if not (isinstance(e, dict) and e.get("value") in drop)
            ]
        else:
            container.pop(attr.name, None)
        return
    if t.filter is None:
        assert t.sub is not None
        for element in t.elements():
            if isinstance(element, dict):
                element.pop(t.sub.name, None)
        return
    targets = t.matching()
    if t.sub is None:
        container[attr.name] = [e for e in t.elements() if not any(e is m for m in targets)]
    else:
        for element in targets:
            element.pop(t.sub.name, None)


def _apply(
    resource: dict, rs: ResourceSchema, op: str, path: str | None, value: Any, explicit: bool
) -> None:
    parsed = parse_patch_path(path) if path is not None else None
    if parsed is None:
        if op == "remove":
            raise _no_target("remove needs a path")
        if not isinstance(value, dict):
            raise invalid_value(f"{op} without a path needs an object value")
        for key, sub_value in value.items():
            if key.lower() == "schemas":
                continue
            ext = rs.schema_for_urn(key)
            if ext is not None and ext != rs.core:
                if not isinstance(sub_value, dict):
                    raise invalid_value(f"{key} must be an object")
                for name, inner in sub_value.items():
                    if name.lower() == "schemas":  # scim2-models sends it inside extensions
                        continue
                    _apply(resource, rs, op, f"{ext}:{name}", inner, explicit=False)
                continue
            _apply(resource, rs, op, key, sub_value, explicit=False)
        return
    target = _Target(resource, rs, parsed)
    if target.attr is None:  # a bare extension URN: its value holds the attributes
        if op == "remove":
            resource.pop(target.schema, None)
            return
        _apply(resource, rs, op, None, {target.schema: value}, explicit)
        return
    if target.read_only():
        if explicit:
            raise ScimError(400, f"{target.attr.name} is readOnly", "mutability")
        return
    if op == "remove" and target.attr.required and target.sub is None and target.filter is None:
        raise ScimError(400, f"{target.attr.name} is required and can not be removed", "mutability")
    if op == "remove":
        _remove(target, value)
    elif value is None:
        if op == "add":
            raise invalid_value("add needs a value")
        _remove(target, None)
    else:
        _apply_value(target, op, value)
    if target.schema != rs.core and not resource.get(target.schema):
        resource.pop(target.schema, None)
    elif target.attr.name in target.container and target.container[target.attr.name] in (
        [],
        {},
        None,
    ):
        del target.container[target.attr.name]


def apply_patch(resource: dict, body: Any, rs: ResourceSchema) -> dict:
    """Return a patched deep copy of ``resource``; raise ScimError on the first bad op."""
    patched = copy.deepcopy(resource)
    for index, operation in enumerate(_operations(body)):
        lowered = {k.lower(): v for k, v in operation.items()}
        op = lowered.get("op")
        if not isinstance(op, str) or op.lower() not in ("add", "replace", "remove"):
            raise invalid_value(f"Operations[{index}].op must be add, replace or remove")
        path = lowered.get("path")
        if path is not None and (not isinstance(path, str) or not path.strip()):
            raise ScimError(
                400, f"Operations[{index}].path must be a non-empty string", "invalidPath"
            )
        if op.lower() != "remove" and "value" not in lowered:
            raise invalid_value(f"Operations[{index}] ({op}) needs a value")
        _apply(
            patched,
            rs,
            op.lower(),
            path.strip() if path else None,
            lowered.get("value"),
            explicit=True,
        )
    return patched
