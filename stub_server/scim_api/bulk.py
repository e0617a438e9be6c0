"""Bulk operations (RFC 7644 §3.7).

Operations run in dependency order: one that refers to ``bulkId:x`` (in its path or data)
runs after the POST that defines ``x``, even when that POST comes later in the request
(forward reference). References that can never resolve form a cycle and fail with 409
(§3.7.1 lets a provider give up on circular references); a reference to a failed operation
fails with 409 too, and an unknown bulkId with 400 ``invalidValue``. Each operation is its
own transaction; ``failOnErrors`` stops processing after that many errors. Results are
listed in request order.
"""

from __future__ import annotations

import re
from typing import Any

from stub_server.domain import resources
from stub_server.domain.resources import Ctx, ResourceType
from stub_server.scim.errors import ScimError, error_body
from stub_server.scim.urns import BULK_REQUEST, BULK_RESPONSE
from stub_server.scim.validate import api_message

_BULK_REF = re.compile(r"^bulkId:(.+)$")


def _path_references(path: Any) -> set[str]:
    if not isinstance(path, str):
        return set()
    return set().union(*(_references(part) for part in path.split("/")))


def _substitute_path(path: Any, ids: dict[str, str]) -> Any:
    if not isinstance(path, str):
        return path
    return "/".join(_substitute(part, ids) for part in path.split("/"))


def _references(value: Any) -> set[str]:
    if isinstance(value, str):
        match = _BULK_REF.match(value)
        return {match.group(1)} if match else set()
    if isinstance(value, list):
        return set().union(*(_references(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return set().union(*(_references(v) for v in value.values())) if value else set()
    return set()


def _substitute(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        match = _BULK_REF.match(value)
        return ids.get(match.group(1), value) if match else value
    if isinstance(value, list):
        return [_substitute(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, ids) for k, v in value.items()}
    return value


def _parse(body: Any, max_operations: int) -> tuple[list[dict], int | None]:
    lowered = api_message(body, BULK_REQUEST, "Bulk")
    ops = lowered.get("operations")
    if not isinstance(ops, list) or not all(isinstance(op, dict) for op in ops):
        raise ScimError(400, "Operations must be an array of objects", "invalidValue")
    if len(ops) > max_operations:
        raise ScimError(413, f"{len(ops)} operations exceed maxOperations ({max_operations})")
    fail_on_errors = lowered.get("failonerrors")
    if fail_on_errors is not None and (
        isinstance(fail_on_errors, bool)
        or not isinstance(fail_on_errors, int)
        or fail_on_errors < 1
    ):
        raise ScimError(400, "failOnErrors must be a positive integer", "invalidValue")
    return [{k.lower(): v for k, v in op.items()} for op in ops], fail_on_errors


def _target(path: Any, rtypes: dict[str, ResourceType]) -> tuple[ResourceType, str | None]:
    if not isinstance(path, str):
        raise ScimError(
            400, "each operation needs a path such as /Users or /Users/{id}", "invalidPath"
        )
    parts = path.strip("/").split("/")
    rtype = rtypes.get(parts[0])
    if rtype is None or len(parts) > 2:
        raise ScimError(400, f"unknown bulk path {path!r}; use /Users or /Groups", "invalidPath")
    return rtype, parts[1] if len(parts) == 2 else None


def _execute(ctx: Ctx, op: dict, rtypes: dict[str, ResourceType]) -> tuple[str, dict]:
    method = op.get("method")
    if not isinstance(method, str) or method.upper() not in ("POST", "PUT", "PATCH", "DELETE"):
        raise ScimError(400, "method must be POST, PUT, PATCH or DELETE", "invalidValue")
    method = method.upper()
    rtype, resource_id = _target(op.get("path"), rtypes)
    version = op.get("version") if isinstance(op.get("version"), str) else None
    if method == "POST":
        if resource_id is not None:
            raise ScimError(400, "POST goes to /Users or /Groups", "invalidPath")
        resource = resources.create(ctx, rtype, op.get("data"))
        status = "201"
    else:
        if resource_id is None:
            raise ScimError(
                400, f"{method} needs a path /{rtype.schema.endpoint[1:]}/{{id}}", "invalidPath"
            )
        if method == "DELETE":
            resources.delete(ctx, rtype, resource_id, version)
            return "204", {"location": f"{ctx.base}{rtype.schema.endpoint}/{resource_id}"}
        action = resources.replace if method == "PUT" else resources.patch
        resource = action(ctx, rtype, resource_id, op.get("data"), version)
        status = "200"
    location = f"{ctx.base}{rtype.schema.endpoint}/{resource['id']}"
    return status, {
        "location": location,
        "version": resource["meta"]["version"],
        "id": resource["id"],
    }


def run_bulk(ctx: Ctx, body: Any, rtypes: dict[str, ResourceType], max_operations: int) -> dict:
    """Process a BulkRequest and return the BulkResponse."""
    ops, fail_on_errors = _parse(body, max_operations)
    defined: dict[str, int] = {}
    for index, op in enumerate(ops):
        bulk_id = op.get("bulkid")
        if isinstance(bulk_id, str) and bulk_id:
            defined.setdefault(bulk_id, index)
    needs = [_path_references(op.get("path")) | _references(op.get("data")) for op in ops]
    results: dict[int, dict] = {}
    ids: dict[str, str] = {}
    failed: set[str] = set()
    errors = 0
    pending = list(range(len(ops)))
    while pending and not (fail_on_errors and errors >= fail_on_errors):
        ready = next(
            (
                i
                for i in pending
                if all(ref in ids or ref in failed or ref not in defined for ref in needs[i])
            ),
            None,
        )
        cycle = ready is None
        index = pending[0] if cycle else ready
        pending.remove(index)
        op = ops[index]
        entry: dict = {"method": op.get("method")}
        bulk_id = op.get("bulkid")
        if bulk_id is not None:
            entry["bulkId"] = bulk_id
        try:
            if (
                entry["method"]
                and str(entry["method"]).upper() == "POST"
                and not (isinstance(bulk_id, str) and bulk_id)
            ):
                raise ScimError(400, "a bulk POST needs a bulkId", "invalidValue")
            unknown = sorted(r for r in needs[index] if r not in defined)
            if unknown:
                raise ScimError(400, f"unknown bulkId {unknown[0]!r}", "invalidValue")
            if cycle:
                raise ScimError(409, "circular bulkId references could not be resolved")
            broken = sorted(r for r in needs[index] if r in failed)
            if broken:
                raise ScimError(
                    409, f"operation bulkId {broken[0]!r} failed, so this one could not run"
                )
            resolved = {
                **op,
                "path": _substitute_path(op.get("path"), ids),
                "data": _substitute(op.get("data"), ids),
            }
            status, outcome = _execute(ctx, resolved, rtypes)
            entry["status"] = status
            entry["location"] = outcome["location"]
            if "version" in outcome:
                entry["version"] = outcome["version"]
            if isinstance(bulk_id, str) and "id" in outcome:
                ids[bulk_id] = outcome["id"]
        except ScimError as exc:
            errors += 1
            if isinstance(bulk_id, str):
                failed.add(bulk_id)
            entry["status"] = str(exc.status)
            entry["response"] = error_body(exc.status, exc.detail, exc.scim_type)
        results[index] = entry
    return {"schemas": [BULK_RESPONSE], "Operations": [results[i] for i in sorted(results)]}
