"""The SCIM HTTP endpoints under ``/scim/v2.0/organizations/{org_uid}/`` (RFC 7644 §3).

They live in their own small Flask app that shares the stub's config and storage; the
stub's WSGI entry hands it every ``/scim/`` request. So the settings UI's hooks (sessions,
CSRF, HTML error pages) never touch SCIM traffic and every SCIM response, errors included,
is ``application/scim+json``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any

from flask import Flask, Response, g, request
from flask.sessions import SessionInterface
from werkzeug.exceptions import HTTPException

from stub_server.scim import bulk, discovery, resources
from stub_server.scim.auth import authenticate
from stub_server.scim.errors import SCIM_MEDIA_TYPE, ScimError, scim_error_response
from stub_server.scim.groups import GROUPS
from stub_server.scim.projection import parse_projection
from stub_server.scim.ratelimit import RateLimiter
from stub_server.scim.resources import MAX_RESULTS, Ctx, Kind
from stub_server.scim.schemas import SEARCH_REQUEST
from stub_server.scim.users import USERS
from stub_server.storage import Storage

PREFIX = "/scim/v2.0/organizations/<org_uid>"
KINDS: dict[str, Kind] = {"Users": USERS, "Groups": GROUPS}
MAX_BULK_OPERATIONS = 1000
ACCEPTED_TYPES = ("application/scim+json", "application/json")
log = logging.getLogger(__name__)


def scim_json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A SCIM JSON response."""
    text = "" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    resp = Response(text, status=status, mimetype=SCIM_MEDIA_TYPE)
    if headers:
        resp.headers.update(headers)
    return resp


def _storage() -> Storage:
    from stub_server.app import current_storage

    return current_storage()


def _ctx() -> Ctx:
    return g.scim_ctx


def _max_payload() -> int:
    from flask import current_app

    return int(current_app.config.get("SCIM_MAX_PAYLOAD", 1_048_576))


def _reject_nan(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_body() -> Any:
    """Parse the request body (application/scim+json or application/json) or raise 400/413/415."""
    if request.mimetype and request.mimetype not in ACCEPTED_TYPES:
        raise ScimError(
            415, f"Content-Type {request.mimetype} is not supported; send application/scim+json"
        )
    raw = request.get_data(cache=False)
    if len(raw) > _max_payload():
        raise ScimError(413, f"the request body exceeds maxPayloadSize ({_max_payload()} bytes)")
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


def _origin() -> str:
    """scheme://host[:port] of the request, read straight from the WSGI environ (cheap)."""
    environ = request.environ
    host = environ.get("HTTP_HOST") or (
        f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
    )
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}"


class NoSessions(SessionInterface):
    """SCIM is stateless: skip the signed-cookie session work on every request."""

    def open_session(self, app: Flask, request: Any) -> Any:
        """Return the null session."""
        return self.make_null_session(app)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Store nothing."""


def _params() -> dict[str, str]:
    return {k.lower(): v for k, v in request.args.items()}


def _resource_response(resource: dict, kind: Kind, status: int = 200) -> Response:
    params = _params()
    proj = parse_projection(params.get("attributes"), params.get("excludedattributes"), kind.rs)
    body = resources.render(resource, kind, _ctx(), proj)
    headers = {"ETag": resource["meta"]["version"]}
    if status == 201:
        headers["Location"] = body.get("meta", {}).get(
            "location", f"{_ctx().base}{kind.rs.endpoint}/{resource['id']}"
        )
    return scim_json(body, status, headers)


def _list(kind: Kind, params: dict[str, Any]) -> dict:
    proj = parse_projection(params.get("attributes"), params.get("excludedattributes"), kind.rs)
    query = resources.make_query(_camel(params), proj)
    total, page = resources.search(_ctx(), kind, query)
    rendered = [resources.render(r, kind, _ctx(), proj) for r in page]
    return resources.list_response(total, rendered, query.start_index)


def _camel(params: dict[str, Any]) -> dict[str, Any]:
    names = {
        "filter": "filter",
        "sortby": "sortBy",
        "sortorder": "sortOrder",
        "startindex": "startIndex",
        "count": "count",
    }
    return {names[k]: v for k, v in params.items() if k in names}


def _search_params() -> dict[str, Any]:
    body = json_body()
    if not isinstance(body, dict):
        raise ScimError(400, "a SearchRequest must be a JSON object", "invalidSyntax")
    params = {k.lower(): v for k, v in body.items()}
    schemas = params.pop("schemas", None)
    if not isinstance(schemas, list) or SEARCH_REQUEST not in schemas:
        raise ScimError(400, f"a SearchRequest needs schemas [{SEARCH_REQUEST!r}]", "invalidValue")
    return params


def register_routes(app: Flask) -> None:
    """Add every SCIM endpoint, the auth/rate-limit hooks and the error handlers."""
    app.session_interface = NoSessions()

    def route(rule: str, methods: list[str]) -> Any:
        def decorator(view: Any) -> Any:
            app.add_url_rule(
                PREFIX + rule, view.__name__, view, methods=methods, provide_automatic_options=False
            )
            return view

        return decorator

    @app.before_request
    def authorize() -> None:
        """Authenticate the bearer token and apply the organization's rate limit."""
        if request.url_rule is None:  # 404/405: the routing error answers
            return
        org_uid = (request.view_args or {}).get("org_uid", "")
        storage = _storage()
        org, token = authenticate(storage, org_uid)
        rate = org["scim_rate_limit"] or int(app.config.get("SCIM_RATE_LIMIT") or 0)
        if rate > 0:
            limiter: RateLimiter = app.extensions["scimproof.scim_ratelimiter"]
            decision = limiter.take(org_uid, rate)
            g.scim_rate_headers = decision.headers()
            if not decision.allowed:
                raise ScimError(
                    429,
                    f"More than {rate} SCIM requests per second for this "
                    f"organization; retry after {decision.retry_after} s.",
                    headers=decision.headers(),
                )
        g.scim_ctx = Ctx(
            storage,
            org_uid,
            f"{_origin()}/scim/v2.0/organizations/{org_uid}",
            request.remote_addr or "",
            f"SCIM client (token ...{token[-4:]})",
        )

    @app.after_request
    def rate_headers(resp: Response) -> Response:
        """Add the X-RateLimit headers when limiting is on."""
        for name, value in getattr(g, "scim_rate_headers", {}).items():
            resp.headers.setdefault(name, value)
        return resp

    @app.errorhandler(ScimError)
    def scim_error(exc: ScimError) -> Response:
        """Render a ScimError."""
        return exc.response()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        """Render routing and protocol errors (404, 405, 413 ...) as SCIM errors."""
        code = exc.code or 500
        detail = {
            404: f"No SCIM endpoint at {request.path}; resources live under "
            "/scim/v2.0/organizations/{org_uid}/ (Users, Groups, Bulk, Schemas, "
            "ResourceTypes, ServiceProviderConfig).",
            405: f"{request.method} is not allowed on {request.path}.",
            413: f"The request body exceeds {app.config.get('MAX_CONTENT_LENGTH')} bytes.",
        }.get(code, exc.description or exc.name)
        resp = scim_error_response(code, detail)
        if code == 405 and getattr(exc, "valid_methods", None):
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        """Never expected: log it and answer a SCIM 500 without internals."""
        log.exception("unexpected error in the SCIM service")
        return scim_error_response(500, "Internal error in the SCIM service.")

    # -- discovery --------------------------------------------------------------------
    def no_filter() -> None:
        if "filter" in _params():
            raise ScimError(403, "discovery endpoints do not support filter (RFC 7644 §4)")

    @route("/ServiceProviderConfig", ["GET"])
    def service_provider_config(org_uid: str) -> Response:
        """The service provider configuration."""
        no_filter()
        return scim_json(
            discovery.service_provider_config(
                _ctx().base, MAX_BULK_OPERATIONS, _max_payload(), MAX_RESULTS
            )
        )

    @route("/ResourceTypes", ["GET"])
    def resource_types(org_uid: str) -> Response:
        """All resource types."""
        no_filter()
        found = list(discovery.resource_types(_ctx().base))
        return scim_json(resources.list_response(len(found), found, 1))

    @route("/ResourceTypes/<name>", ["GET"])
    def resource_type(org_uid: str, name: str) -> Response:
        """One resource type."""
        for doc in discovery.resource_types(_ctx().base):
            if doc["id"] == name:
                return scim_json(doc)
        raise ScimError(404, f"No resource type {name!r}; there are User and Group.")

    @route("/Schemas", ["GET"])
    def schemas(org_uid: str) -> Response:
        """All schemas."""
        no_filter()
        found = list(discovery.schemas(_ctx().base))
        return scim_json(resources.list_response(len(found), found, 1))

    @route("/Schemas/<urn>", ["GET"])
    def schema(org_uid: str, urn: str) -> Response:
        """One schema by URN."""
        for doc in discovery.schemas(_ctx().base):
            if doc["id"].lower() == urn.lower():
                return scim_json(doc)
        raise ScimError(404, f"No schema {urn!r}.")

    # -- resources --------------------------------------------------------------------
    def kind_of(endpoint: str) -> Kind:
        return KINDS[endpoint]

    for endpoint in KINDS:

        def make(endpoint: str = endpoint) -> None:
            kind = kind_of(endpoint)

            def collection(org_uid: str) -> Response:
                if request.method == "POST":
                    resource = resources.create(_ctx(), kind, json_body())
                    return _resource_response(resource, kind, 201)
                return scim_json(_list(kind, _params()))

            def search(org_uid: str) -> Response:
                return scim_json(_list(kind, _search_params()))

            def item(org_uid: str, resource_id: str) -> Response:
                if_match = request.headers.get("If-Match")
                if request.method == "GET":
                    resource = resources.get(_ctx(), kind, resource_id)
                    none_match = request.headers.get("If-None-Match")
                    if none_match and resources.etag_matches(
                        none_match, resource["meta"]["version"]
                    ):
                        return scim_json(None, 304, {"ETag": resource["meta"]["version"]})
                    return _resource_response(resource, kind)
                if request.method == "DELETE":
                    resources.delete(_ctx(), kind, resource_id, if_match)
                    return scim_json(None, 204)
                action = resources.replace if request.method == "PUT" else resources.patch
                return _resource_response(
                    action(_ctx(), kind, resource_id, json_body(), if_match), kind
                )

            for rule, view, methods in (
                (f"/{endpoint}", collection, ["GET", "POST"]),
                (f"/{endpoint}/.search", search, ["POST"]),
                (f"/{endpoint}/<resource_id>", item, ["GET", "PUT", "PATCH", "DELETE"]),
            ):
                view.__doc__ = f"{endpoint}: {view.__name__}."
                app.add_url_rule(
                    PREFIX + rule,
                    f"{endpoint}_{view.__name__}",
                    view,
                    methods=methods,
                    provide_automatic_options=False,
                )

        make()

    @route("/.search", ["POST"])
    def root_search(org_uid: str) -> Response:
        """Search Users then Groups (RFC 7644 §3.4.3); sortBy orders within each type."""
        params = _search_params()
        errors: list[ScimError] = []
        queries: list[tuple[Kind, resources.Query]] = []
        for kind in KINDS.values():
            try:
                proj = parse_projection(
                    params.get("attributes"), params.get("excludedattributes"), kind.rs
                )
                query = resources.make_query(_camel(params), proj)
                if query.filter:
                    resources.compile_query_filter(kind, query.filter)
                queries.append((kind, query))
            except ScimError as exc:
                errors.append(exc)
        if not queries:
            raise errors[0]
        start, wanted = queries[0][1].start_index, queries[0][1].count
        total, page = 0, []
        for kind, query in queries:
            subtotal, _ = resources.search(_ctx(), kind, replace(query, count=0))
            offset = max(0, start - 1 - total)
            if wanted - len(page) > 0 and offset < subtotal:
                _, found = resources.search(
                    _ctx(), kind, replace(query, start_index=offset + 1, count=wanted - len(page))
                )
                page += [resources.render(r, kind, _ctx(), query.projection) for r in found]
            total += subtotal
        return scim_json(resources.list_response(total, page, start))

    @route("/Bulk", ["POST"])
    def bulk_request(org_uid: str) -> Response:
        """Process a BulkRequest."""
        body = json_body()
        return scim_json(bulk.run_bulk(_ctx(), body, KINDS, MAX_BULK_OPERATIONS))

    @route("/Me", ["GET", "POST", "PUT", "PATCH", "DELETE"])
    def me(org_uid: str) -> Response:
        """/Me is not implemented: a bearer token names an organization, not a user."""
        raise ScimError(
            501,
            "/Me is not implemented: a SCIM token identifies an "
            "organization, not a user (RFC 7644 §3.11).",
        )
