"""Reading SCIM requests and writing SCIM responses: the one JSON-body reader, list parameters,
and resources rendered as the client sees them (``meta.location``, ``$ref``, projection)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, g, request

from stub_server.domain.resources import Ctx, ResourceType
from stub_server.scim.errors import SCIM_MEDIA_TYPE, ScimError
from stub_server.scim.projection import DEFAULT, Projection, parse_projection, project
from stub_server.scim.urns import LIST_RESPONSE, SEARCH_REQUEST

ACCEPTED_TYPES = ("application/scim+json", "application/json")
LIST_PARAMETERS = {
    "filter": "filter",
    "sortby": "sortBy",
    "sortorder": "sortOrder",
    "startindex": "startIndex",
    "count": "count",
}


def caller() -> Ctx:
    """The organization and caller of the current SCIM request (set by ``authorize``)."""
    return g.scim_ctx


def max_payload() -> int:
    """The largest request body the service accepts, in bytes (maxPayloadSize)."""
    return int(current_app.config.get("SCIM_MAX_PAYLOAD", 1_048_576))


def scim_json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A SCIM JSON response (no body when ``body`` is None)."""
    text = "" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    resp = Response(text, status=status, mimetype=SCIM_MEDIA_TYPE)
    if headers:
        resp.headers.update(headers)
    return resp


def _reject_nan(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_body() -> Any:
    """Parse the request body (application/scim+json or application/json) or raise 400/413/415."""
    if request.mimetype and request.mimetype not in ACCEPTED_TYPES:
        raise ScimError(
            415, f"Content-Type {request.mimetype} is not supported; send application/scim+json"
        )
    raw = request.get_data(cache=False)
    if len(raw) > max_payload():
        raise ScimError(413, f"the request body exceeds maxPayloadSize ({max_payload()} bytes)")
    if not raw.strip():
        raise ScimError(400, "the request body is empty; send a JSON object", "invalidSyntax")
    try:
        body = json.loads(raw, parse_constant=_reject_nan)
        json.dumps(body, ensure_ascii=False).encode("utf-8")  # refuses lone surrogates
    except (ValueError, RecursionError, UnicodeError) as exc:
        raise ScimError(
            400, f"the request body is not valid JSON: {exc}"[:300], "invalidSyntax"
        ) from exc
    return body


def origin() -> str:
    """scheme://host[:port] of the request, read straight from the WSGI environ (cheap)."""
    environ = request.environ
    host = environ.get("HTTP_HOST") or (
        f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
    )
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}"


def query_params() -> dict[str, str]:
    """The query string with lower-cased names (SCIM parameter names are case-insensitive)."""
    return {k.lower(): v for k, v in request.args.items()}


def list_params(params: dict[str, Any]) -> dict[str, Any]:
    """The list parameters among lower-cased ``params``, under their RFC 7644 names."""
    return {LIST_PARAMETERS[k]: v for k, v in params.items() if k in LIST_PARAMETERS}


def search_params() -> dict[str, Any]:
    """The lower-cased parameters of a SearchRequest body (RFC 7644 §3.4.3)."""
    body = json_body()
    if not isinstance(body, dict):
        raise ScimError(400, "a SearchRequest must be a JSON object", "invalidSyntax")
    params = {k.lower(): v for k, v in body.items()}
    schemas = params.pop("schemas", None)
    if not isinstance(schemas, list) or SEARCH_REQUEST not in schemas:
        raise ScimError(400, f"a SearchRequest needs schemas [{SEARCH_REQUEST!r}]", "invalidValue")
    return params


def projection_of(params: dict[str, Any], rtype: ResourceType) -> Projection:
    """The ``attributes``/``excludedAttributes`` of lower-cased ``params`` for a type."""
    return parse_projection(
        params.get("attributes"), params.get("excludedattributes"), rtype.schema
    )


def render(resource: dict, rtype: ResourceType, ctx: Ctx, proj: Projection = DEFAULT) -> dict:
    """The client's view: computed meta.location and $ref values, then the projection."""
    out = dict(resource)
    meta = dict(out.get("meta", {}))
    meta["location"] = f"{ctx.base}{rtype.schema.endpoint}/{out['id']}"
    out["meta"] = meta
    if "groups" in out:
        out["groups"] = [{**g, "$ref": f"{ctx.base}/Groups/{g['value']}"} for g in out["groups"]]
    if "members" in out:
        out["members"] = [
            {
                "value": m["value"],
                "$ref": f"{ctx.base}/{m['type']}s/{m['value']}",
                "type": m["type"],
            }
            for m in out["members"]
        ]
    return project(out, rtype.schema, proj)


def resource_response(resource: dict, rtype: ResourceType, status: int = 200) -> Response:
    """One resource with its ETag (and Location when created), projected as asked."""
    ctx = caller()
    body = render(resource, rtype, ctx, projection_of(query_params(), rtype))
    headers = {"ETag": resource["meta"]["version"]}
    if status == 201:
        headers["Location"] = body.get("meta", {}).get(
            "location", f"{ctx.base}{rtype.schema.endpoint}/{resource['id']}"
        )
    return scim_json(body, status, headers)


def list_response(total: int, resources: list[dict], start_index: int) -> dict:
    """A ListResponse (RFC 7644 §3.4.2)."""
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }
