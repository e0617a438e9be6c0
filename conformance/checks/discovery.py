"""Discovery (RFC 7644 §4, RFC 7643 §5-7): ServiceProviderConfig, ResourceTypes, Schemas."""

from __future__ import annotations

from typing import Any

from conformance import urns
from conformance.context import CheckContext, body_of, describe
from conformance.registry import check
from conformance.urls import BaseUrl


def _list(ctx: CheckContext, path: str) -> list[dict[str, Any]]:
    """GET a discovery list: 200 and a ListResponse (RFC 7644 §4); return its Resources."""
    response = ctx.get(path)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        urns.LIST_RESPONSE in (body.get("schemas") or []),
        f"GET {path} must answer a ListResponse (schemas {body.get('schemas')!r})",
    )
    resources = body.get("Resources")
    ctx.expect(isinstance(resources, list), f"GET {path}: 'Resources' is not a list")
    return [item for item in resources if isinstance(item, dict)]


@check(
    "discovery.spc.available",
    title="GET /ServiceProviderConfig answers 200 with the SPC schema URN",
    rfc="RFC 7644 §4",
    level="MUST",
    tags={"read"},
)
def spc_available(ctx: CheckContext) -> None:
    """/ServiceProviderConfig SHALL return a JSON object whose schemas holds the SPC URN."""
    response = ctx.get("/ServiceProviderConfig")
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        urns.SERVICE_PROVIDER_CONFIG in (body.get("schemas") or []),
        f"schemas is {body.get('schemas')!r}; it must contain {urns.SERVICE_PROVIDER_CONFIG}",
    )


@check(
    "discovery.spc.schema",
    title="ServiceProviderConfig is valid against RFC 7643 §5",
    rfc="RFC 7643 §5",
    level="MUST",
    tags={"read", "schema"},
)
def spc_schema(ctx: CheckContext) -> None:
    """The ServiceProviderConfig carries every REQUIRED attribute with the right types."""
    response = ctx.get("/ServiceProviderConfig")
    ctx.expect_status(response, 200)
    ctx.expect_schema("ServiceProviderConfig", ctx.json(response))


@check(
    "discovery.spc.filter-forbidden",
    title="A filter on /ServiceProviderConfig is answered 403",
    rfc="RFC 7644 §4",
    level="SHOULD",
    tags={"read"},
)
def spc_filter_forbidden(ctx: CheckContext) -> None:
    """Given a filter, a discovery endpoint SHOULD answer 403 so clients do not trust it."""
    response = ctx.get("/ServiceProviderConfig", params={"filter": 'patch.supported eq "x"'})
    ctx.expect_status(response, 403)


@check(
    "discovery.resource-types.list",
    title="GET /ResourceTypes answers a ListResponse",
    rfc="RFC 7644 §4",
    level="MUST",
    tags={"read"},
)
def resource_types_list(ctx: CheckContext) -> None:
    """Several ResourceTypes SHALL be returned in the ListResponse form."""
    resources = _list(ctx, "/ResourceTypes")
    ctx.expect(bool(resources), "GET /ResourceTypes lists no resource type")


@check(
    "discovery.resource-types.schema",
    title="Every ResourceType is valid against RFC 7643 §6",
    rfc="RFC 7643 §6",
    level="MUST",
    tags={"read", "schema"},
)
def resource_types_schema(ctx: CheckContext) -> None:
    """Each ResourceType has name, endpoint and schema, and the ResourceType schema URN."""
    problems = []
    for resource_type in _list(ctx, "/ResourceTypes"):
        label = resource_type.get("id") or resource_type.get("name") or "?"
        problems += [f"{label}: {e}" for e in ctx.schema_errors("ResourceType", resource_type)]
    ctx.expect(not problems, "invalid ResourceType: " + "; ".join(problems[:8]))


@check(
    "discovery.schemas.list",
    title="GET /Schemas answers a ListResponse",
    rfc="RFC 7644 §4",
    level="MUST",
    tags={"read"},
)
def schemas_list(ctx: CheckContext) -> None:
    """Several Schemas SHALL be returned in the ListResponse form."""
    resources = _list(ctx, "/Schemas")
    ctx.expect(bool(resources), "GET /Schemas lists no schema")


@check(
    "discovery.schemas.schema",
    title="Every Schema is valid against RFC 7643 §7",
    rfc="RFC 7643 §7",
    level="MUST",
    tags={"read", "schema"},
)
def schemas_schema(ctx: CheckContext) -> None:
    """Each Schema has an id and attribute definitions with the §7 characteristics."""
    problems = []
    for schema in _list(ctx, "/Schemas"):
        label = schema.get("id") or "?"
        problems += [f"{label}: {e}" for e in ctx.schema_errors("Schema", schema)]
    ctx.expect(not problems, "invalid Schema: " + "; ".join(problems[:8]))


@check(
    "discovery.resource-types.schemas-published",
    title="Every schema a ResourceType names is published at /Schemas",
    rfc="RFC 7643 §6",
    level="MUST",
    tags={"read", "consistency"},
)
def resource_types_schemas_published(ctx: CheckContext) -> None:
    """A ResourceType's schema and schemaExtensions are URIs of schemas /Schemas publishes."""
    published = {schema.get("id") for schema in _list(ctx, "/Schemas")}
    missing = []
    for resource_type in _list(ctx, "/ResourceTypes"):
        named = [resource_type.get("schema")] + [
            ext.get("schema")
            for ext in resource_type.get("schemaExtensions") or []
            if isinstance(ext, dict)
        ]
        missing += [f"{resource_type.get('name')}: {urn}" for urn in named if urn not in published]
    ctx.expect(not missing, "not published at /Schemas: " + ", ".join(missing))


@check(
    "discovery.resource-types.endpoints",
    title="Every ResourceType endpoint answers a ListResponse",
    rfc="RFC 7644 §3.4.2",
    level="MUST",
    tags={"read", "consistency"},
)
def resource_type_endpoints(ctx: CheckContext) -> None:
    """GET on each advertised endpoint lists its resources (count=1 keeps it small)."""
    broken = []
    for resource_type in _list(ctx, "/ResourceTypes"):
        endpoint = resource_type.get("endpoint")
        if not isinstance(endpoint, str) or not endpoint:
            continue
        resolved = BaseUrl(ctx.base_url).endpoint(endpoint)  # RFC 7643 §6, RFC 3986 §5.2
        if resolved is None:
            broken.append(f"{endpoint}: outside the base URL {ctx.base_url}")
            continue
        response = ctx.get(resolved, params={"count": 1})
        body = body_of(response) if response.status_code == 200 else None
        if not isinstance(body, dict) or urns.LIST_RESPONSE not in (body.get("schemas") or []):
            broken.append(f"{endpoint}: {describe(response)}")
    ctx.expect(not broken, "endpoints that do not list: " + "; ".join(broken))


@check(
    "discovery.resource-types.by-id",
    title="A single ResourceType is retrievable at /ResourceTypes/{id}",
    rfc="RFC 7644 §4",
    level="MAY",
    tags={"read"},
)
def resource_type_by_id(ctx: CheckContext) -> None:
    """A request for one ResourceType returns that single object like a single User."""
    resource_types = _list(ctx, "/ResourceTypes")
    ctx.expect(bool(resource_types), "GET /ResourceTypes lists no resource type")
    wanted = resource_types[0]
    key = wanted.get("id") or wanted.get("name")
    response = ctx.get(f"/ResourceTypes/{key}")
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        body.get("name") == wanted.get("name"),
        f"/ResourceTypes/{key} returned {body.get('name')!r}, not {wanted.get('name')!r}",
    )


@check(
    "discovery.schemas.by-id",
    title="A single Schema is retrievable at /Schemas/{urn}",
    rfc="RFC 7644 §4",
    level="MAY",
    tags={"read"},
)
def schema_by_id(ctx: CheckContext) -> None:
    """A request for one Schema by its URN returns that single schema object."""
    schemas = _list(ctx, "/Schemas")
    ctx.expect(bool(schemas), "GET /Schemas lists no schema")
    urn = schemas[0].get("id")
    response = ctx.get(f"/Schemas/{urn}")
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(body.get("id") == urn, f"/Schemas/{urn} returned id {body.get('id')!r}")


@check(
    "discovery.spc.authentication-schemes",
    title="ServiceProviderConfig lists at least one authentication scheme",
    rfc="RFC 7643 §5",
    level="SHOULD",
    tags={"read", "auth"},
)
def spc_authentication_schemes(ctx: CheckContext) -> None:
    """authenticationSchemes tells clients how to authenticate; an empty list tells nothing."""
    response = ctx.get("/ServiceProviderConfig")
    ctx.expect_status(response, 200)
    schemes = ctx.json(response).get("authenticationSchemes")
    ctx.expect(
        isinstance(schemes, list) and len(schemes) > 0,
        f"authenticationSchemes is {schemes!r}",
    )


@check(
    "discovery.lists.total-results",
    title="/Schemas and /ResourceTypes lists carry totalResults",
    rfc="RFC 7644 §3.4.2, §4",
    level="MUST",
    tags={"read"},
)
def lists_total_results(ctx: CheckContext) -> None:
    """A discovery ListResponse holds totalResults, the number of resources it lists."""
    missing = []
    for path in ("/Schemas", "/ResourceTypes"):
        response = ctx.get(path)
        ctx.expect_status(response, 200)
        body = ctx.json(response)
        total = body.get("totalResults")
        if not isinstance(total, int) or isinstance(total, bool):
            missing.append(f"GET {path} answered totalResults={total!r}")
    ctx.expect(not missing, "; ".join(missing))


@check(
    "discovery.unknown-id.error-body",
    title="/Schemas/{unknown} and /ResourceTypes/{unknown} answer 404 with a SCIM error",
    rfc="RFC 7644 §3.12, §4",
    level="MUST",
    tags={"read", "errors"},
)
def unknown_id_error_body(ctx: CheckContext) -> None:
    """An unknown Schema or ResourceType is a 404 whose body is a SCIM Error with status."""
    unknown = ctx.unique("unknown")
    wrong = []
    for path in (f"/Schemas/urn:example:{unknown}", f"/ResourceTypes/{unknown}"):
        response = ctx.get(path)
        ctx.expect_status(response, 404)
        body = body_of(response)
        if not isinstance(body, dict) or urns.ERROR not in (body.get("schemas") or []):
            wrong.append(f"{describe(response)} with body {response.text[:120]!r}")
        elif body.get("status") != "404":
            wrong.append(f"{describe(response)} with status {body.get('status')!r}, not '404'")
    ctx.expect(not wrong, "not a SCIM error: " + "; ".join(wrong))


@check(
    "discovery.resource-types.endpoint-relative",
    title="ResourceType endpoints are relative to the base URL",
    rfc="RFC 7643 §6",
    level="MAY",
    tags={"read", "interop"},
)
def resource_type_endpoint_relative(ctx: CheckContext) -> None:
    """'endpoint: The resource type's HTTP-addressable endpoint relative to the Base URL, e.g.,
    "/Users".' An absolute path repeating the base path still resolves (RFC 3986 §5.2), so it
    is an interop warning, not a failure."""
    base = BaseUrl(ctx.base_url)
    absolute = [
        f"{rt.get('name') or rt.get('id') or '?'}: {rt['endpoint']!r}"
        for rt in _list(ctx, "/ResourceTypes")
        if isinstance(rt.get("endpoint"), str) and base.is_absolute_endpoint(rt["endpoint"])
    ]
    if absolute:
        ctx.warn(
            "RFC 7643 §6 makes 'endpoint' relative to the base URL (e.g. \"/Users\"); these "
            f"repeat the base path or are full URLs (resolved per RFC 3986 §5.2 against "
            f"{ctx.base_url}): {'; '.join(absolute)}"
        )
