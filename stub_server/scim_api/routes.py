"""The SCIM HTTP endpoints under ``/scim/v2.0/organizations/{org_uid}/`` (RFC 7644 §3), as a
table of (methods, rule, handler) rows.

They live in their own small Flask app that shares the stub's config and storage; the
stub's WSGI entry hands it every ``/scim/`` request. So the settings UI's hooks (sessions,
CSRF, HTML error pages) never touch SCIM traffic and every SCIM response, errors included,
is ``application/scim+json``. Users and Groups share their handlers: the resource endpoint
comes to the handler as ``endpoint`` from the route's defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from flask import Flask, Response, request

from stub_server.domain import resources
from stub_server.domain.groups import GROUPS
from stub_server.domain.resources import MAX_RESULTS, ResourceType
from stub_server.domain.users import USERS
from stub_server.scim.errors import ScimError
from stub_server.scim_api import bulk, discovery
from stub_server.scim_api.hooks import install_hooks
from stub_server.scim_api.http import (
    caller,
    json_body,
    list_params,
    list_response,
    max_payload,
    projection_of,
    query_params,
    render,
    resource_response,
    scim_json,
    search_params,
)

PREFIX = "/scim/v2.0/organizations/<org_uid>"
RESOURCE_TYPES: dict[str, ResourceType] = {"Users": USERS, "Groups": GROUPS}
MAX_BULK_OPERATIONS = 1000


def _no_filter() -> None:
    if "filter" in query_params():
        raise ScimError(403, "discovery endpoints do not support filter (RFC 7644 §4)")


def _list(rtype: ResourceType, params: dict) -> Response:
    query = resources.make_query(list_params(params), projection_of(params, rtype))
    total, page = resources.search(caller(), rtype, query)
    rendered = [render(r, rtype, caller(), query.projection) for r in page]
    return scim_json(list_response(total, rendered, query.start_index))


# -- discovery (RFC 7644 §4) ---------------------------------------------------------------
def service_provider_config(org_uid: str) -> Response:
    """The service provider configuration."""
    _no_filter()
    return scim_json(
        discovery.service_provider_config(
            caller().base, MAX_BULK_OPERATIONS, max_payload(), MAX_RESULTS
        )
    )


def _all_of(documents: Iterable[dict]) -> Response:
    """A ListResponse of every discovery document of a kind (no filter: RFC 7644 §4)."""
    _no_filter()
    found = list(documents)
    return scim_json(list_response(len(found), found, 1))


def _one_of(documents: Iterable[dict], wanted: Callable[[str], bool], missing: str) -> Response:
    """The discovery document whose id is ``wanted``, or 404 with ``missing``."""
    for doc in documents:
        if wanted(doc["id"]):
            return scim_json(doc)
    raise ScimError(404, missing)


def list_resource_types(org_uid: str) -> Response:
    """All resource types."""
    return _all_of(discovery.resource_types(caller().base))


def get_resource_type(org_uid: str, name: str) -> Response:
    """One resource type by name."""
    return _one_of(
        discovery.resource_types(caller().base),
        lambda found: found == name,
        f"No resource type {name!r}; there are User and Group.",
    )


def list_schemas(org_uid: str) -> Response:
    """All schemas."""
    return _all_of(discovery.schemas(caller().base))


def get_schema(org_uid: str, urn: str) -> Response:
    """One schema by URN (in any case)."""
    return _one_of(
        discovery.schemas(caller().base),
        lambda found: found.lower() == urn.lower(),
        f"No schema {urn!r}.",
    )


# -- Users and Groups (RFC 7644 §3.3-§3.6) -------------------------------------------------
def list_resources(org_uid: str, endpoint: str) -> Response:
    """List one resource type, filtered, sorted and paged by the query string."""
    return _list(RESOURCE_TYPES[endpoint], query_params())


def create_resource(org_uid: str, endpoint: str) -> Response:
    """Create a resource from the JSON body (201 with Location and ETag)."""
    rtype = RESOURCE_TYPES[endpoint]
    return resource_response(resources.create(caller(), rtype, json_body()), rtype, 201)


def search_resources(org_uid: str, endpoint: str) -> Response:
    """List one resource type by a SearchRequest body (POST .search)."""
    return _list(RESOURCE_TYPES[endpoint], search_params())


def get_resource(org_uid: str, endpoint: str, resource_id: str) -> Response:
    """One resource; 304 when If-None-Match names its current version."""
    rtype = RESOURCE_TYPES[endpoint]
    resource = resources.get(caller(), rtype, resource_id)
    none_match = request.headers.get("If-None-Match")
    if none_match and resources.etag_matches(none_match, resource["meta"]["version"]):
        return scim_json(None, 304, {"ETag": resource["meta"]["version"]})
    return resource_response(resource, rtype)


def replace_resource(org_uid: str, endpoint: str, resource_id: str) -> Response:
    """Replace a resource with the JSON body (If-Match honoured)."""
    rtype = RESOURCE_TYPES[endpoint]
    if_match = request.headers.get("If-Match")
    return resource_response(
        resources.replace(caller(), rtype, resource_id, json_body(), if_match), rtype
    )


def patch_resource(org_uid: str, endpoint: str, resource_id: str) -> Response:
    """Apply a PatchOp body to a resource (If-Match honoured)."""
    rtype = RESOURCE_TYPES[endpoint]
    if_match = request.headers.get("If-Match")
    return resource_response(
        resources.patch(caller(), rtype, resource_id, json_body(), if_match), rtype
    )


def delete_resource(org_uid: str, endpoint: str, resource_id: str) -> Response:
    """Delete a resource (204; If-Match honoured)."""
    resources.delete(
        caller(), RESOURCE_TYPES[endpoint], resource_id, request.headers.get("If-Match")
    )
    return scim_json(None, 204)


def search_all(org_uid: str) -> Response:
    """Search Users then Groups (RFC 7644 §3.4.3); sortBy orders within each type."""
    params = search_params()
    errors: list[ScimError] = []
    queries: list[tuple[ResourceType, resources.Query]] = []
    for rtype in RESOURCE_TYPES.values():
        try:
            query = resources.make_query(list_params(params), projection_of(params, rtype))
            if query.filter:
                resources.compile_query_filter(rtype, query.filter)
            queries.append((rtype, query))
        except ScimError as exc:
            errors.append(exc)
    if not queries:
        raise errors[0]
    start, wanted = queries[0][1].start_index, queries[0][1].count
    total, page = 0, []
    for rtype, query in queries:
        subtotal, _ = resources.search(caller(), rtype, replace(query, count=0))
        offset = max(0, start - 1 - total)
        if wanted - len(page) > 0 and offset < subtotal:
            _, found = resources.search(
                caller(), rtype, replace(query, start_index=offset + 1, count=wanted - len(page))
            )
            page += [render(r, rtype, caller(), query.projection) for r in found]
        total += subtotal
    return scim_json(list_response(total, page, start))


def bulk_request(org_uid: str) -> Response:
    """Process a BulkRequest (RFC 7644 §3.7)."""
    return scim_json(bulk.run_bulk(caller(), json_body(), RESOURCE_TYPES, MAX_BULK_OPERATIONS))


def me(org_uid: str) -> Response:
    """/Me is not implemented: a bearer token names an organization, not a user."""
    raise ScimError(
        501,
        "/Me is not implemented: a SCIM token identifies an "
        "organization, not a user (RFC 7644 §3.11).",
    )


Handler = Callable[..., Response]
RESOURCE_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/{endpoint}", list_resources),
    ("POST", "/{endpoint}", create_resource),
    ("POST", "/{endpoint}/.search", search_resources),
    ("GET", "/{endpoint}/<resource_id>", get_resource),
    ("PUT", "/{endpoint}/<resource_id>", replace_resource),
    ("PATCH", "/{endpoint}/<resource_id>", patch_resource),
    ("DELETE", "/{endpoint}/<resource_id>", delete_resource),
]
ROUTES: list[tuple[tuple[str, ...], str, Handler, dict[str, str]]] = [
    (("GET",), "/ServiceProviderConfig", service_provider_config, {}),
    (("GET",), "/ResourceTypes", list_resource_types, {}),
    (("GET",), "/ResourceTypes/<name>", get_resource_type, {}),
    (("GET",), "/Schemas", list_schemas, {}),
    (("GET",), "/Schemas/<urn>", get_schema, {}),
    *(
        ((method,), rule.format(endpoint=endpoint), handler, {"endpoint": endpoint})
        for endpoint in RESOURCE_TYPES
        for method, rule, handler in RESOURCE_ROUTES
    ),
    (("POST",), "/.search", search_all, {}),
    (("POST",), "/Bulk", bulk_request, {}),
    (("GET", "POST", "PUT", "PATCH", "DELETE"), "/Me", me, {}),
]


def register_routes(app: Flask) -> None:
    """Add every SCIM endpoint of the table, and the hooks and error handlers around them."""
    install_hooks(app)
    for methods, rule, handler, defaults in ROUTES:
        name = "_".join([handler.__name__, *defaults.values()])
        app.add_url_rule(
            PREFIX + rule,
            name,
            handler,
            methods=list(methods),
            defaults=defaults or None,
            provide_automatic_options=False,
        )
