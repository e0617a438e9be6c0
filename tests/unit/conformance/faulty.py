"""A deliberately non-conformant SCIM server: scim2-server behind a fault-injecting middleware.

scim2-server (PyPI) is an independent, conformant in-memory SCIM server. ``FaultyMiddleware``
wraps its WSGI app; each active *fault* rewrites the request on its way in and/or the response
on its way out, so one conformance check at a time can be shown to detect a broken server.

Adding a fault = adding one small function to ``FAULTS`` with the ``@fault`` decorator::

    @fault("drop-location")
    def _drop_location(req: Req, call: Call) -> Resp:
        '''Creation answers without a Location header.'''
        resp = call(req)                 # pass the (possibly rewritten) request on
        resp.headers.pop("Location", None)
        return resp                       # or build and return a Resp without calling

``req`` and ``resp`` are mutable (method, path below /v2, query dict, headers dict, body bytes;
``.json()``/``.set_json()`` helpers). Several faults chain in name order. A test then does
``base_url = faulty_server({"drop-location"})`` (fixture in conftest.py) and runs a check.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from stub_server.serving import serve_in_thread

TOKEN = "faulty-target-token"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


@dataclass
class Req:
    """A request as the middleware sees it (path is relative to /v2)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> Any:
        """The body decoded as JSON (None if it is not JSON)."""
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def set_json(self, value: Any) -> None:
        """Replace the body with JSON."""
        self.body = json.dumps(value).encode()

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class Resp:
    """A response the middleware returns (headers keep the inner app's names)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        """The body decoded as JSON (None if it is not JSON)."""
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def set_json(self, value: Any) -> None:
        """Replace the body with JSON."""
        self.body = json.dumps(value).encode()

    def drop_header(self, name: str) -> None:
        """Remove a header by case-insensitive name."""
        for key in [k for k in self.headers if k.lower() == name.lower()]:
            del self.headers[key]


Call = Callable[[Req], Resp]
Fault = Callable[[Req, Call], Resp]
FAULTS: dict[str, Fault] = {}


def fault(name: str) -> Callable[[Fault], Fault]:
    """Register a fault under ``name`` (names are unique)."""

    def register(func: Fault) -> Fault:
        if name in FAULTS:
            raise ValueError(f"duplicate fault {name!r}")
        FAULTS[name] = func
        return func

    return register


def scim_error(status: int, detail: str, scim_type: str | None = None) -> Resp:
    """A well-formed SCIM error response."""
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    resp = Resp(status, {"Content-Type": "application/scim+json"})
    resp.set_json(body)
    return resp


def is_collection(req: Req, name: str) -> bool:
    """True for /Users (name='Users') without an id."""
    return req.path.rstrip("/") == f"/{name}"


def is_resource(req: Req, name: str) -> bool:
    """True for /Users/{id}."""
    parts = [p for p in req.path.split("/") if p]
    return len(parts) == 2 and parts[0] == name and parts[1] != ".search"


# -- the middleware ---------------------------------------------------------------------
class FaultyMiddleware:
    """WSGI middleware applying the active faults around an inner SCIM app."""

    def __init__(self, app: Callable[..., Iterable[bytes]], prefix: str = "/v2") -> None:
        self.app = app
        self.prefix = prefix
        self.active: tuple[str, ...] = ()
        self.log: list[tuple[str, str]] = []  # (method, path) of every request received

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        req = self._read(environ)
        self.log.append((req.method, req.path))
        chain: Call = lambda r: self._call_inner(environ, r)  # noqa: E731
        for name in reversed(self.active):
            chain = _bind(FAULTS[name], chain)
        resp = chain(req)
        resp.headers["Content-Length"] = str(len(resp.body))
        phrase = "OK" if resp.status < 400 else "Error"
        start_response(f"{resp.status} {phrase}", list(resp.headers.items()))
        return [resp.body]

    def _read(self, environ: dict[str, Any]) -> Req:
        """Turn a WSGI environ into a Req."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefix):
            path = path[len(self.prefix) :] or "/"
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        return Req(environ["REQUEST_METHOD"], path, query, headers, body)

    def _call_inner(self, original: dict[str, Any], req: Req) -> Resp:
        """Call the wrapped app with a (possibly rewritten) request."""
        environ = {k: v for k, v in original.items() if not k.startswith("HTTP_")}
        environ.pop("CONTENT_TYPE", None)
        for name, value in req.headers.items():
            if name.lower() == "content-type":
                environ["CONTENT_TYPE"] = value
            elif name.lower() != "content-length":
                environ["HTTP_" + name.upper().replace("-", "_")] = value
        environ.update(
            REQUEST_METHOD=req.method,
            PATH_INFO=self.prefix + req.path,
            QUERY_STRING=urlencode(req.query),
            CONTENT_LENGTH=str(len(req.body)),
        )
        environ["wsgi.input"] = io.BytesIO(req.body)
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(headers)
            return lambda data: None

        chunks = self.app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        headers = {k: v for k, v in captured["headers"].items() if k.lower() != "content-length"}
        return Resp(captured["status"], headers, body)


def _bind(func: Fault, inner: Call) -> Call:
    """Close over one fault and the rest of the chain."""
    return lambda req: func(req, inner)


# -- scim2-server --------------------------------------------------------------------------
def scim2_server_app(token: str | None = TOKEN) -> Callable[..., Iterable[bytes]]:
    """scim2-server's WSGI app with RFC 7643 schemas, every feature on and a bearer token."""
    from scim2_models import ScimProvider
    from scim2_server.memory import InMemoryStorage
    from scim2_server.service import ScimService
    from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
    from scim2_server.utils import (
        load_default_resource_types,
        load_default_schemas,
        load_default_service_provider_config,
    )

    config = load_default_service_provider_config()
    if token:
        config.authentication_schemes = [
            *(config.authentication_schemes or []),
            BEARER_TOKEN_SCHEME,
        ]
    provider = ScimProvider.from_discovery(
        load_default_schemas().values(), load_default_resource_types().values(), config=config
    )
    service = ScimService(provider, secret=secrets.token_urlsafe(16))
    return BearerTokenApplication(
        InMemoryStorage(), provider, service=service, bearer_tokens=[token] if token else []
    )


@dataclass
class ServedApp:
    """A WSGI app served on a free 127.0.0.1 port."""

    base_url: str
    token: str | None
    middleware: FaultyMiddleware | None = None


@contextmanager
def serve(app: Callable[..., Iterable[bytes]], path: str = "/v2") -> Iterator[str]:
    """Serve a WSGI app in a thread; yield its base URL (host:port + path)."""
    with serve_in_thread(app) as server:
        yield f"http://127.0.0.1:{server.port}{path}"


@contextmanager
def faulty_scim2_server(token: str | None = TOKEN) -> Iterator[ServedApp]:
    """scim2-server wrapped in a FaultyMiddleware (no fault active), served on a free port."""
    middleware = FaultyMiddleware(scim2_server_app(token))
    with serve(middleware) as base_url:
        yield ServedApp(base_url, token, middleware)


# == the faults ==========================================================================
# Keep each fault small and named for the misbehaviour it introduces.


def _resource_kind(req: Req) -> str | None:
    """'Users' or 'Groups' when the request addresses that endpoint or one of its resources."""
    parts = [p for p in req.path.split("/") if p]
    return parts[0] if parts and parts[0] in ("Users", "Groups") else None


def _map_resources(resp: Resp, change: Callable[[dict[str, Any]], None]) -> Resp:
    """Apply ``change`` to the resource in a body, or to each resource of a ListResponse."""
    body = resp.json()
    if isinstance(body, dict):
        for resource in body.get("Resources") or [body]:
            if isinstance(resource, dict):
                change(resource)
        resp.set_json(body)
    return resp


def _with_auth(req: Req, method: str, path: str, body: Any = None) -> Req:
    """A side request carrying the original request's credentials."""
    side = Req(
        method,
        path,
        {},
        {k: v for k, v in req.headers.items() if k.lower() in ("authorization", "accept")},
    )
    if body is not None:
        side.set_json(body)
        side.headers["Content-Type"] = "application/scim+json"
    return side


# -- authentication ----------------------------------------------------------------------
@fault("anonymous-access")
def _anonymous_access(req: Req, call: Call) -> Resp:
    """Requests without an Authorization header are served as if authenticated."""
    if req.header("Authorization") is None:
        req.headers["Authorization"] = f"Bearer {TOKEN}"
    return call(req)


@fault("any-bearer-token")
def _any_bearer_token(req: Req, call: Call) -> Resp:
    """Any bearer token is accepted."""
    scheme, _, _ = (req.header("Authorization") or "").partition(" ")
    if scheme.lower() == "bearer":
        req.headers["Authorization"] = f"Bearer {TOKEN}"
    return call(req)


@fault("any-auth-scheme")
def _any_auth_scheme(req: Req, call: Call) -> Resp:
    """The token is accepted whatever scheme precedes it ('Basic <token>' works)."""
    _, _, credentials = (req.header("Authorization") or "").partition(" ")
    if credentials == TOKEN:
        req.headers["Authorization"] = f"Bearer {TOKEN}"
    return call(req)


@fault("case-sensitive-scheme")
def _case_sensitive_scheme(req: Req, call: Call) -> Resp:
    """Only the exact spelling 'Bearer' is accepted."""
    if not (req.header("Authorization") or "").startswith("Bearer "):
        return scim_error(401, "Authorization required")
    return call(req)


@fault("no-www-authenticate")
def _no_www_authenticate(req: Req, call: Call) -> Resp:
    """401 responses lack the WWW-Authenticate challenge."""
    resp = call(req)
    resp.drop_header("WWW-Authenticate")
    return resp


@fault("plain-text-401")
def _plain_text_401(req: Req, call: Call) -> Resp:
    """401 responses are plain text, not SCIM errors."""
    resp = call(req)
    if resp.status == 401:
        resp.body = b"Unauthorized"
        resp.headers["Content-Type"] = "text/plain"
    return resp


# -- media types ----------------------------------------------------------------------------
@fault("refuse-application-json")
def _refuse_application_json(req: Req, call: Call) -> Resp:
    """Accept: application/json is answered 406."""
    if req.header("Accept") == "application/json":
        return scim_error(406, "only application/scim+json is served")
    return call(req)


@fault("json-without-accept")
def _json_without_accept(req: Req, call: Call) -> Resp:
    """Without an Accept header, responses are labelled application/json."""
    resp = call(req)
    if req.header("Accept") is None:
        resp.headers["Content-Type"] = "application/json"
    return resp


@fault("errors-as-json")
def _errors_as_json(req: Req, call: Call) -> Resp:
    """Error responses are labelled application/json."""
    resp = call(req)
    if resp.status >= 400:
        resp.headers["Content-Type"] = "application/json"
    return resp


@fault("refuse-json-body")
def _refuse_json_body(req: Req, call: Call) -> Resp:
    """Request bodies labelled application/json are refused with 415."""
    if (req.header("Content-Type") or "").startswith("application/json"):
        return scim_error(415, "send application/scim+json")
    return call(req)


@fault("wrong-content-type")
def _wrong_content_type(req: Req, call: Call) -> Resp:
    """Every response is labelled text/plain."""
    resp = call(req)
    resp.headers["Content-Type"] = "text/plain"
    return resp


@fault("mangle-unicode")
def _mangle_unicode(req: Req, call: Call) -> Resp:
    """Non-ASCII characters in request bodies are stored as '?'."""
    if req.body:
        req.body = req.body.decode("utf-8", "replace").encode("ascii", "replace")
    return call(req)


# -- discovery ------------------------------------------------------------------------------
@fault("spc-missing")
def _spc_missing(req: Req, call: Call) -> Resp:
    """/ServiceProviderConfig answers 404."""
    if req.path.startswith("/ServiceProviderConfig"):
        return scim_error(404, "not found")
    return call(req)


@fault("spc-bad-types")
def _spc_bad_types(req: Req, call: Call) -> Resp:
    """ServiceProviderConfig's patch.supported is the string 'yes'."""
    resp = call(req)
    if req.path.startswith("/ServiceProviderConfig") and isinstance(resp.json(), dict):
        body = resp.json()
        body["patch"] = {"supported": "yes"}
        resp.set_json(body)
    return resp


@fault("spc-ignores-filter")
def _spc_ignores_filter(req: Req, call: Call) -> Resp:
    """A filter on /ServiceProviderConfig is silently ignored."""
    if req.path.startswith("/ServiceProviderConfig"):
        req.query.pop("filter", None)
    return call(req)


@fault("no-authentication-schemes")
def _no_authentication_schemes(req: Req, call: Call) -> Resp:
    """ServiceProviderConfig lists no authentication scheme."""
    resp = call(req)
    if req.path.startswith("/ServiceProviderConfig") and isinstance(resp.json(), dict):
        body = resp.json()
        body["authenticationSchemes"] = []
        resp.set_json(body)
    return resp


def _bare_array(name: str) -> Fault:
    """/<name> answers a bare JSON array instead of a ListResponse."""

    def rewrite(req: Req, call: Call) -> Resp:
        resp = call(req)
        if req.path.rstrip("/") == f"/{name}" and isinstance(resp.json(), dict):
            resp.set_json(resp.json().get("Resources", []))
        return resp

    return rewrite


fault("resource-types-bare-array")(_bare_array("ResourceTypes"))
fault("schemas-bare-array")(_bare_array("Schemas"))


def _no_single(name: str) -> Fault:
    """/<name>/{id} answers 404."""

    def refuse(req: Req, call: Call) -> Resp:
        if req.path.startswith(f"/{name}/"):
            return scim_error(404, "not found")
        return call(req)

    return refuse


fault("no-single-resource-type")(_no_single("ResourceTypes"))
fault("no-single-schema")(_no_single("Schemas"))


@fault("resource-type-missing-endpoint")
def _resource_type_missing_endpoint(req: Req, call: Call) -> Resp:
    """ResourceTypes in the list lack their REQUIRED endpoint."""
    resp = call(req)
    if req.path.rstrip("/") == "/ResourceTypes":
        _map_resources(resp, lambda rt: rt.pop("endpoint", None))
    return resp


@fault("absolute-endpoints")
def _absolute_endpoints(req: Req, call: Call) -> Resp:
    """ResourceTypes give endpoints that repeat the base path ("/v2/Users")."""
    resp = call(req)
    if req.path.rstrip("/") == "/ResourceTypes":
        _map_resources(resp, lambda rt: rt.update(endpoint="/v2/" + rt["endpoint"].strip("/")))
    return resp


@fault("hide-enterprise-schema")
def _hide_enterprise_schema(req: Req, call: Call) -> Resp:
    """/Schemas omits the enterprise extension the User resource type names."""
    resp = call(req)
    body = resp.json()
    if req.path.rstrip("/") == "/Schemas" and isinstance(body, dict):
        body["Resources"] = [s for s in body.get("Resources", []) if "enterprise" not in s["id"]]
        body["totalResults"] = len(body["Resources"])
        resp.set_json(body)
    return resp


@fault("schema-attribute-missing-type")
def _schema_attribute_missing_type(req: Req, call: Call) -> Resp:
    """Attribute definitions in /Schemas lack their 'type'."""
    resp = call(req)
    if req.path.rstrip("/") == "/Schemas":

        def strip(schema: dict[str, Any]) -> None:
            for attribute in schema.get("attributes", []):
                attribute.pop("type", None)

        _map_resources(resp, strip)
    return resp


@fault("groups-endpoint-broken")
def _groups_endpoint_broken(req: Req, call: Call) -> Resp:
    """Listing /Groups fails with 500."""
    if req.method == "GET" and is_collection(req, "Groups"):
        return scim_error(500, "internal error")
    return call(req)


# -- resources ------------------------------------------------------------------------------
@fault("create-200")
def _create_200(req: Req, call: Call) -> Resp:
    """Creations answer 200 instead of 201."""
    resp = call(req)
    if req.method == "POST" and resp.status == 201:
        resp.status = 200
    return resp


@fault("drop-location")
def _drop_location(req: Req, call: Call) -> Resp:
    """Creations answer without a Location header."""
    resp = call(req)
    resp.drop_header("Location")
    return resp


@fault("drop-schemas")
def _drop_schemas(req: Req, call: Call) -> Resp:
    """Users and Groups are returned without their 'schemas'."""
    resp = call(req)
    if _resource_kind(req):
        _map_resources(resp, lambda r: r.pop("schemas", None) if "id" in r else None)
    return resp


@fault("drop-meta-resource-type")
def _drop_meta_resource_type(req: Req, call: Call) -> Resp:
    """meta.resourceType is missing from Users and Groups."""
    resp = call(req)
    if _resource_kind(req):
        _map_resources(resp, lambda r: (r.get("meta") or {}).pop("resourceType", None))
    return resp


@fault("bad-attribute-types")
def _bad_attribute_types(req: Req, call: Call) -> Resp:
    """User 'active' is a string and Group 'displayName' a list."""
    resp = call(req)

    def corrupt(resource: dict[str, Any]) -> None:
        if "active" in resource:
            resource["active"] = str(resource["active"]).lower()
        if _resource_kind(req) == "Groups" and "displayName" in resource:
            resource["displayName"] = [resource["displayName"]]

    if _resource_kind(req):
        _map_resources(resp, corrupt)
    return resp


@fault("mangle-create-echo")
def _mangle_create_echo(req: Req, call: Call) -> Resp:
    """The 201 body shows another name.familyName than the one sent."""
    resp = call(req)
    if req.method == "POST" and resp.status == 201:
        _map_resources(resp, lambda r: r.setdefault("name", {}).update(familyName="Mangled"))
    return resp


@fault("return-password")
def _return_password(req: Req, call: Call) -> Resp:
    """Users come back with a password attribute."""
    resp = call(req)
    if _resource_kind(req) == "Users" and resp.status < 300:
        _map_resources(resp, lambda r: r.update(password="hunter2") if "userName" in r else None)
    return resp


_client_created: dict[str, str] = {}


@fault("keep-client-meta")
def _keep_client_meta(req: Req, call: Call) -> Resp:
    """A client-supplied meta.created (readOnly) is kept and shown from then on."""
    sent = req.json()
    resp = call(req)
    body = resp.json()
    if not isinstance(body, dict) or not _resource_kind(req):
        return resp
    sent_meta = sent.get("meta") if isinstance(sent, dict) else None
    if isinstance(sent_meta, dict) and sent_meta.get("created") and body.get("id"):
        _client_created[body["id"]] = sent_meta["created"]

    def show(resource: dict[str, Any]) -> None:
        if resource.get("id") in _client_created:
            resource.setdefault("meta", {})["created"] = _client_created[resource["id"]]

    return _map_resources(resp, show)


@fault("created-changes-on-put")
def _created_changes_on_put(req: Req, call: Call) -> Resp:
    """PUT responses carry a new meta.created."""
    resp = call(req)
    if req.method == "PUT" and resp.status == 200:
        _map_resources(
            resp, lambda r: r.setdefault("meta", {}).update(created="2099-01-01T00:00:00Z")
        )
    return resp


@fault("conflict-as-400")
def _conflict_as_400(req: Req, call: Call) -> Resp:
    """Uniqueness conflicts answer 400 invalidValue instead of 409 uniqueness."""
    resp = call(req)
    if resp.status == 409:
        return scim_error(400, "userName taken", "invalidValue")
    return resp


@fault("list-without-total")
def _list_without_total(req: Req, call: Call) -> Resp:
    """ListResponses lack totalResults."""
    resp = call(req)
    body = resp.json()
    if isinstance(body, dict) and LIST_SCHEMA in body.get("schemas", []):
        body.pop("totalResults", None)
        resp.set_json(body)
    return resp


@fault("not-found-as-400")
def _not_found_as_400(req: Req, call: Call) -> Resp:
    """Unknown ids answer 400 instead of 404."""
    resp = call(req)
    if resp.status == 404:
        return scim_error(400, "no such resource", "invalidValue")
    return resp


@fault("wrong-id-on-get")
def _wrong_id_on_get(req: Req, call: Call) -> Resp:
    """GET of one resource returns a body with another id."""
    resp = call(req)
    if req.method == "GET" and _resource_kind(req) and resp.status == 200:
        body = resp.json()
        if isinstance(body, dict) and "id" in body:
            body["id"] = "not-" + str(body["id"])
            resp.set_json(body)
    return resp


@fault("ignore-put")
def _ignore_put(req: Req, call: Call) -> Resp:
    """PUT answers 200 with the unchanged resource."""
    if req.method == "PUT" and _resource_kind(req):
        current = call(_with_auth(req, "GET", req.path))
        return current if current.status == 200 else call(req)
    return call(req)


@fault("put-204")
def _put_204(req: Req, call: Call) -> Resp:
    """PUT applies the change but answers 204 without the resource."""
    resp = call(req)
    if req.method == "PUT" and resp.status == 200:
        return Resp(204)
    return resp


@fault("delete-200")
def _delete_200(req: Req, call: Call) -> Resp:
    """DELETE answers 200 instead of 204."""
    resp = call(req)
    if req.method == "DELETE" and resp.status == 204:
        resp.status = 200
        resp.set_json({"deleted": True})
        resp.headers["Content-Type"] = "application/json"
    return resp


@fault("soft-delete")
def _soft_delete(req: Req, call: Call) -> Resp:
    """DELETE answers 204 but the resource stays readable."""
    if req.method == "DELETE" and _resource_kind(req) and is_resource(req, _resource_kind(req)):
        return Resp(204)
    return call(req)


@fault("cascade-delete-members")
def _cascade_delete_members(req: Req, call: Call) -> Resp:
    """Deleting a Group also deletes its member Users."""
    if req.method == "DELETE" and is_resource(req, "Groups"):
        group = call(_with_auth(req, "GET", req.path)).json() or {}
        for member in group.get("members") or []:
            call(_with_auth(req, "DELETE", f"/Users/{member['value']}"))
    return call(req)


@fault("keep-deleted-members")
def _keep_deleted_members(req: Req, call: Call) -> Resp:
    """Deleted Users stay listed as Group members (scim2-server 0.8 already behaves so)."""
    return call(req)


@fault("purge-deleted-members")
def _purge_deleted_members(req: Req, call: Call) -> Resp:
    """Corrective: deleting a User also removes it from every Group (conformant behaviour)."""
    resp = call(req)
    if req.method == "DELETE" and is_resource(req, "Users") and resp.status == 204:
        user_id = req.path.rstrip("/").rsplit("/", 1)[1]
        groups = call(_with_auth(req, "GET", "/Groups")).json() or {}
        for group in groups.get("Resources") or []:
            members = [m for m in group.get("members") or [] if m.get("value") != user_id]
            if len(members) != len(group.get("members") or []):
                group["members"] = members
                group.pop("meta", None)
                call(_with_auth(req, "PUT", f"/Groups/{group['id']}", group))
    return resp


@fault("ignore-members-on-create")
def _ignore_members_on_create(req: Req, call: Call) -> Resp:
    """Members sent with a new Group are dropped."""
    body = req.json()
    if req.method == "POST" and is_collection(req, "Groups") and isinstance(body, dict):
        body.pop("members", None)
        req.set_json(body)
    return call(req)


# -- errors ---------------------------------------------------------------------------------
@fault("status-as-int")
def _status_as_int(req: Req, call: Call) -> Resp:
    """Error bodies carry status as a JSON number."""
    resp = call(req)
    body = resp.json()
    if isinstance(body, dict) and ERROR_SCHEMA in body.get("schemas", []):
        body["status"] = resp.status
        resp.set_json(body)
    return resp


@fault("no-scim-type")
def _no_scim_type(req: Req, call: Call) -> Resp:
    """Error bodies never carry a scimType."""
    resp = call(req)
    body = resp.json()
    if isinstance(body, dict) and "scimType" in body:
        del body["scimType"]
        resp.set_json(body)
    return resp


@fault("wrong-scim-type")
def _wrong_scim_type(req: Req, call: Call) -> Resp:
    """404 error bodies carry scimType 'uniqueness'."""
    resp = call(req)
    body = resp.json()
    if resp.status == 404 and isinstance(body, dict):
        body["scimType"] = "uniqueness"
        resp.set_json(body)
    return resp


@fault("500-on-bad-json")
def _500_on_bad_json(req: Req, call: Call) -> Resp:
    """A request body that is not JSON crashes the server (500)."""
    if req.body and req.json() is None:
        resp = Resp(500, {"Content-Type": "text/html"})
        resp.body = b"<h1>Internal Server Error</h1>"
        return resp
    return call(req)


@fault("accept-missing-user-name")
def _accept_missing_user_name(req: Req, call: Call) -> Resp:
    """A User without userName is created with a made-up one."""
    body = req.json()
    missing = isinstance(body, dict) and "userName" not in body
    if req.method == "POST" and is_collection(req, "Users") and missing:
        body["userName"] = f"{body.get('externalId', 'x')}-{secrets.token_hex(4)}"
        req.set_json(body)
    return call(req)


# -- timing ---------------------------------------------------------------------------------
STALL_REACHED = threading.Event()  # set when a request starts stalling
STALL_RELEASE = threading.Event()  # set by a test to let stalled requests finish


@fault("stall-user-reads")
def _stall_user_reads(req: Req, call: Call) -> Resp:
    """GET /Users/{id} waits until a test sets STALL_RELEASE (at most 30 s)."""
    if req.method == "GET" and is_resource(req, "Users"):
        STALL_REACHED.set()
        STALL_RELEASE.wait(30)
    return call(req)


# -- queries and PATCH (shared with the query/PATCH/ETag checks) ----------------------------
@fault("ignore-filter")
def _ignore_filter(req: Req, call: Call) -> Resp:
    """The filter query parameter is ignored: every resource is listed."""
    req.query.pop("filter", None)
    return call(req)


@fault("ignore-excluded-attributes")
def _ignore_excluded_attributes(req: Req, call: Call) -> Resp:
    """The excludedAttributes query parameter is ignored."""
    req.query.pop("excludedAttributes", None)
    return call(req)


@fault("ignore-if-match")
def _ignore_if_match(req: Req, call: Call) -> Resp:
    """If-Match preconditions are ignored (the header is dropped)."""
    for name in [k for k in req.headers if k.lower() == "if-match"]:
        del req.headers[name]
    return call(req)


@fault("start-index-zero")
def _start_index_zero(req: Req, call: Call) -> Resp:
    """ListResponses report a 0-based startIndex."""
    resp = call(req)
    body = resp.json()
    if isinstance(body, dict) and "startIndex" in body:
        body["startIndex"] = 0
        resp.set_json(body)
    return resp


@fault("ignore-patch")
def _ignore_patch(req: Req, call: Call) -> Resp:
    """PATCH answers 204 without applying anything."""
    if req.method == "PATCH" and _resource_kind(req):
        return Resp(204)
    return call(req)


@fault("case-sensitive-patch-ops")
def _case_sensitive_patch_ops(req: Req, call: Call) -> Resp:
    """PATCH ops other than lower-case 'add'/'remove'/'replace' are refused."""
    body = req.json()
    if req.method == "PATCH" and isinstance(body, dict):
        for op in body.get("Operations") or []:
            if op.get("op") not in ("add", "remove", "replace"):
                return scim_error(400, f"unknown op {op.get('op')!r}", "invalidSyntax")
    return call(req)


@fault("reject-dotted-pathless")
def _reject_dotted_pathless(req: Req, call: Call) -> Resp:
    """Path-less PATCH values with dotted or URN-qualified keys are refused."""
    body = req.json()
    if req.method == "PATCH" and isinstance(body, dict):
        for op in body.get("Operations") or []:
            value = op.get("value")
            if (
                "path" not in op
                and isinstance(value, dict)
                and any("." in key or ":" in key for key in value)
            ):
                return scim_error(400, "dotted attribute names are not supported", "invalidPath")
    return call(req)


@fault("ignore-active-false")
def _ignore_active_false(req: Req, call: Call) -> Resp:
    """Deactivation (active=false by PUT or PATCH) is silently dropped."""
    body = req.json()
    if req.method in ("PUT", "PATCH") and isinstance(body, dict):
        if body.get("active") is False:
            del body["active"]
        operations = []
        for op in body.get("Operations") or []:
            value = op.get("value")
            if isinstance(value, dict) and value.get("active") is False:
                del value["active"]
            if str(op.get("path", "")).lower() == "active" and value is False:
                continue
            operations.append(op)
        if "Operations" in body:
            body["Operations"] = operations
        req.set_json(body)
    return call(req)


# -- C3: filters, sorting, paging, attributes, /.search, PATCH, ETag, Bulk, schema claims --
def _filter_rewrite(name: str, pattern: str, replacement: str, doc: str) -> None:
    """Register a fault rewriting the filter of list queries with a regular expression."""

    def rewrite(req: Req, call: Call) -> Resp:
        if req.method == "GET" and "filter" in req.query:
            req.query["filter"] = re.sub(pattern, replacement, req.query["filter"])
        return call(req)

    rewrite.__doc__ = doc
    fault(name)(rewrite)


_filter_rewrite("filter-ne-as-eq", r" ne ", " eq ", "ne is evaluated as eq.")
_filter_rewrite("filter-co-as-sw", r" co ", " sw ", "co only matches at the start (as sw).")
_filter_rewrite("filter-ew-as-sw", r" ew ", " sw ", "ew matches at the start (as sw).")
_filter_rewrite("filter-gt-as-ge", r" gt ", " ge ", "gt includes the equal value.")
_filter_rewrite("filter-ge-as-gt", r" ge ", " gt ", "ge excludes the equal value.")
_filter_rewrite("filter-lt-as-le", r" lt ", " le ", "lt includes the equal value.")
_filter_rewrite("filter-le-as-lt", r" le ", " lt ", "le excludes the equal value.")
_filter_rewrite("filter-or-as-and", r" or ", " and ", "or is evaluated as and.")
_filter_rewrite("filter-and-as-or", r" and ", " or ", "and is evaluated as or.")
_filter_rewrite("filter-not-ignored", r"\bnot \(", "(", "not (...) is ignored.")
_filter_rewrite("filter-pr-always-true", r"\b[\w.]+ pr\b", "id pr", "pr matches every resource.")
_filter_rewrite("filter-bool-inverted", r" eq false\b", " eq true", "eq false matches true.")
_filter_rewrite(
    "filter-sub-attribute-ignored",
    r"name\.familyName",
    "name.givenName",
    "Sub-attribute paths resolve to the wrong sub-attribute.",
)
_filter_rewrite(
    "filter-names-case-sensitive",
    r"\b(?!userName\b)(?i:username)\b",
    "nickName",
    "Attribute names only resolve in their canonical case.",
)
_filter_rewrite(
    "filter-urn-unknown",
    r"urn:ietf:params:scim:schemas:core:2\.0:User:userName",
    "nickName",
    "URN-qualified attribute names match nothing.",
)
_filter_rewrite(
    "filter-left-to-right",
    r"\(([^()]*?) or ([^()]*?) and ([^()]*?)\)",
    r"((\1 or \2) and \3)",
    "'a or b and c' is evaluated left to right, as '(a or b) and c'.",
)
_filter_rewrite(
    "filter-parentheses-dropped",
    r"\(\(([^()]*)\) and",
    r"(\1 and",
    "Inner parentheses are dropped, so 'and' binds first.",
)
_filter_rewrite(
    "filter-value-path-flattened",
    r'(\w+)\[(\w+) (\w+) ("[^"]*") and (\w+) (\w+) ("[^"]*")\]',
    r"\1.\2 \3 \4 and \1.\5 \6 \7",
    "emails[a and b] is evaluated as emails.a and emails.b (on any values).",
)
_filter_rewrite(
    "filter-multi-valued-primary-only",
    r'emails\.value eq ("[^"]*")',
    r"emails[primary eq true and value eq \1]",
    "A filter on emails.value only looks at the primary e-mail.",
)
_filter_rewrite(
    "filter-sw-as-eq",
    r'userName sw ("[^"]*-an")',
    r"userName eq \1",
    "sw on a partial userName requires the whole value (as eq).",
)


@fault("filter-datetime-as-string")
def _filter_datetime_as_string(req: Req, call: Call) -> Resp:
    """DateTime operands are compared as text: the UTC offset is ignored."""
    if req.method == "GET" and "filter" in req.query:
        req.query["filter"] = re.sub(
            r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)[+-]\d\d:\d\d"', r'"\1Z"', req.query["filter"]
        )
    return call(req)


@fault("filter-bool-ordering-accepted")
def _filter_bool_ordering_accepted(req: Req, call: Call) -> Resp:
    """gt/ge/lt/le on Boolean attributes are accepted (evaluated as eq)."""
    if req.method == "GET" and "filter" in req.query:
        req.query["filter"] = re.sub(r"active (gt|ge|lt|le) ", "active eq ", req.query["filter"])
    return call(req)


@fault("filter-case-sensitive")
def _filter_case_sensitive(req: Req, call: Call) -> Resp:
    """eq compares every string attribute case-sensitively."""
    resp = call(req)
    match = re.search(r'(\w+) eq "([^"]*)"\)?$', req.query.get("filter", ""))
    body = resp.json()
    if req.method == "GET" and match and isinstance(body, dict) and "Resources" in body:
        attribute, operand = match.groups()
        kept = [r for r in body["Resources"] if r.get(attribute) == operand]
        body.update(Resources=kept, totalResults=len(kept), itemsPerPage=len(kept))
        resp.set_json(body)
    return resp


@fault("no-match-404")
def _no_match_404(req: Req, call: Call) -> Resp:
    """A query matching nothing answers 404 instead of an empty ListResponse."""
    resp = call(req)
    body = resp.json()
    if req.method == "GET" and isinstance(body, dict) and body.get("totalResults") == 0:
        return scim_error(404, "no resource matches")
    return resp


@fault("filter-unknown-operator-500")
def _filter_unknown_operator_500(req: Req, call: Call) -> Resp:
    """An unknown filter operator crashes the server."""
    if re.search(r" regex ", req.query.get("filter", "")):
        return scim_error(500, "internal error")
    return call(req)


@fault("filter-errors-ignored")
def _filter_errors_ignored(req: Req, call: Call) -> Resp:
    """A filter the server cannot parse is dropped and everything is listed."""
    resp = call(req)
    if req.method == "GET" and resp.status == 400 and "filter" in req.query:
        req.query.pop("filter")
        return call(req)
    return resp


@fault("sort-case-sensitive")
def _sort_case_sensitive(req: Req, call: Call) -> Resp:
    """sortBy=userName sorts by code point (upper case first), not case-insensitively."""
    resp = call(req)
    body = resp.json()
    if req.query.get("sortBy") == "userName" and isinstance(body, dict) and "Resources" in body:
        reverse = req.query.get("sortOrder") == "descending"
        body["Resources"].sort(key=lambda r: str(r.get("userName")), reverse=reverse)
        resp.set_json(body)
    return resp


@fault("sort-order-ignored")
def _sort_order_ignored(req: Req, call: Call) -> Resp:
    """sortOrder is ignored: results are always ascending."""
    req.query.pop("sortOrder", None)
    return call(req)


@fault("count-zero-ignored")
def _count_zero_ignored(req: Req, call: Call) -> Resp:
    """count=0 (or a negative count) is treated as 'no limit'."""
    if req.query.get("count", "").lstrip("-") != req.query.get("count", "") or (
        req.query.get("count") == "0"
    ):
        req.query.pop("count")
    return call(req)


@fault("negative-count-400")
def _negative_count_400(req: Req, call: Call) -> Resp:
    """A negative count is refused instead of being read as 0."""
    if req.query.get("count", "").startswith("-"):
        return scim_error(400, "count must not be negative", "invalidValue")
    return call(req)


@fault("start-index-below-one-400")
def _start_index_below_one_400(req: Req, call: Call) -> Resp:
    """A startIndex below 1 is refused instead of being read as 1."""
    start = req.query.get("startIndex", "1")
    if start.lstrip("-").isdigit() and int(start) < 1:
        return scim_error(400, "startIndex must be at least 1", "invalidValue")
    return call(req)


@fault("count-ignored")
def _count_ignored(req: Req, call: Call) -> Resp:
    """The count parameter is ignored: every match comes in one page."""
    if req.method == "GET":
        req.query.pop("count", None)
    return call(req)


@fault("start-index-off-by-one")
def _start_index_off_by_one(req: Req, call: Call) -> Resp:
    """startIndex is read as 0-based: each page skips one resource."""
    if req.query.get("startIndex", "").isdigit():
        requested = req.query["startIndex"]
        req.query["startIndex"] = str(int(requested) + 1)
        resp = call(req)
        body = resp.json()
        if isinstance(body, dict) and "startIndex" in body:
            body["startIndex"] = int(requested)
            resp.set_json(body)
        return resp
    return call(req)


@fault("ignore-attributes")
def _ignore_attributes(req: Req, call: Call) -> Resp:
    """The attributes query parameter is ignored."""
    req.query.pop("attributes", None)
    return call(req)


@fault("excluded-attributes-remove-id")
def _excluded_attributes_remove_id(req: Req, call: Call) -> Resp:
    """excludedAttributes=id removes id, though id is returned 'always'."""
    resp = call(req)
    if "id" in req.query.get("excludedAttributes", "").split(","):
        _map_resources(resp, lambda resource: resource.pop("id", None))
    return resp


@fault("password-in-lists")
def _password_in_lists(req: Req, call: Call) -> Resp:
    """List responses carry each user's password hash."""
    resp = call(req)
    body = resp.json()
    if req.method == "GET" and _resource_kind(req) == "Users" and isinstance(body, dict):
        for resource in body.get("Resources") or []:
            resource["password"] = "$2b$12$hash"
        resp.set_json(body)
    return resp


# -- /.search
@fault("search-filter-ignored")
def _search_filter_ignored(req: Req, call: Call) -> Resp:
    """The filter of a POST /.search body is ignored."""
    body = req.json()
    if req.method == "POST" and req.path.endswith("/.search") and isinstance(body, dict):
        body.pop("filter", None)
        req.set_json(body)
    return call(req)


@fault("search-count-ignored")
def _search_count_ignored(req: Req, call: Call) -> Resp:
    """count and startIndex of a POST /.search body are ignored."""
    body = req.json()
    if req.method == "POST" and req.path.endswith("/.search") and isinstance(body, dict):
        body.pop("count", None)
        body.pop("startIndex", None)
        req.set_json(body)
    return call(req)


@fault("search-attributes-ignored")
def _search_attributes_ignored(req: Req, call: Call) -> Resp:
    """attributes of a POST /.search body are ignored."""
    body = req.json()
    if req.method == "POST" and req.path.endswith("/.search") and isinstance(body, dict):
        body.pop("attributes", None)
        req.set_json(body)
    return call(req)


# -- PATCH
def _patch_operations(req: Req) -> list[dict[str, Any]] | None:
    """The operations of a PATCH request body (None for other requests)."""
    body = req.json()
    if req.method != "PATCH" or not isinstance(body, dict):
        return None
    return [op for op in body.get("Operations") or [] if isinstance(op, dict)]


def _set_operations(req: Req, operations: list[dict[str, Any]]) -> None:
    body = req.json()
    body["Operations"] = operations
    req.set_json(body)


@fault("patch-sub-attribute-clears-parent")
def _patch_sub_attribute_clears_parent(req: Req, call: Call) -> Resp:
    """replace name.givenName rewrites the whole name, dropping its other sub-attributes."""
    operations = _patch_operations(req)
    if operations:
        rewritten: list[dict[str, Any]] = []
        for op in operations:
            path = str(op.get("path", ""))
            if op.get("op") == "replace" and path.startswith("name."):
                sub = path.split(".", 1)[1]
                rewritten += [
                    {"op": "remove", "path": "name"},
                    {"op": "add", "path": "name", "value": {sub: op.get("value")}},
                ]
            elif op.get("op") == "replace" and path == "name" and isinstance(op.get("value"), dict):
                rewritten += [{"op": "remove", "path": "name"}, {**op, "op": "add"}]
            else:
                rewritten.append(op)
        _set_operations(req, rewritten)
    return call(req)


@fault("patch-value-filter-ignored")
def _patch_value_filter_ignored(req: Req, call: Call) -> Resp:
    """A valuePath filter is ignored: every value of the attribute is targeted."""
    operations = _patch_operations(req)
    if operations:
        for op in operations:
            if "[" in str(op.get("path", "")):
                op["path"] = re.sub(r"\[[^\]]*\]", "", op["path"])
                if op.get("op") == "replace" and "." in op["path"]:
                    attribute, sub = op["path"].split(".", 1)
                    op.update(op="add", path=attribute, value=[{sub: op["value"]}])
        _set_operations(req, operations)
    return call(req)


@fault("patch-errors-swallowed")
def _patch_errors_swallowed(req: Req, call: Call) -> Resp:
    """A PATCH the server refuses still answers 204 (the refusal is hidden)."""
    resp = call(req)
    if req.method == "PATCH" and 400 <= resp.status < 500:
        return Resp(204)
    return resp


@fault("patch-replace-appends")
def _patch_replace_appends(req: Req, call: Call) -> Resp:
    """replace on members adds the new members instead of replacing the list."""
    operations = _patch_operations(req)
    if operations:
        for op in operations:
            if op.get("op") == "replace" and op.get("path") == "members":
                op["op"] = "add"
        _set_operations(req, operations)
    return call(req)


@fault("patch-add-replaces")
def _patch_add_replaces(req: Req, call: Call) -> Resp:
    """add to a multi-valued attribute replaces its values."""
    operations = _patch_operations(req)
    if operations:
        for op in operations:
            value = op.get("value")
            pathless = "path" not in op and isinstance(value, dict)
            if op.get("op") == "add" and (isinstance(value, list) or pathless):
                op["op"] = "replace"
        _set_operations(req, operations)
    return call(req)


@fault("patch-add-existing-member-409")
def _patch_add_existing_member_409(req: Req, call: Call) -> Resp:
    """Adding a member who is already in the group answers 409."""
    operations = _patch_operations(req)
    if operations and _resource_kind(req) == "Groups":
        current = call(_with_auth(req, "GET", req.path)).json() or {}
        present = {m.get("value") for m in current.get("members") or []}
        for op in operations:
            added = {m.get("value") for m in op.get("value") or [] if isinstance(m, dict)}
            if op.get("op") == "add" and added & present:
                return scim_error(409, "already a member", "uniqueness")
    return call(req)


@fault("patch-pathless-ignored")
def _patch_pathless_ignored(req: Req, call: Call) -> Resp:
    """Operations without a path are silently skipped."""
    operations = _patch_operations(req)
    if operations is not None and any("path" not in op for op in operations):
        kept = [op for op in operations if "path" in op]
        if not kept:
            return Resp(204)
        _set_operations(req, kept)
    return call(req)


@fault("patch-remove-filter-removes-all")
def _patch_remove_filter_removes_all(req: Req, call: Call) -> Resp:
    """remove members[value eq "x"] removes every member."""
    operations = _patch_operations(req)
    if operations:
        for op in operations:
            if op.get("op") == "remove" and str(op.get("path", "")).startswith("members["):
                op["path"] = "members"
        _set_operations(req, operations)
    return call(req)


@fault("patch-not-atomic")
def _patch_not_atomic(req: Req, call: Call) -> Resp:
    """PATCH operations are applied one by one; a failing one leaves earlier ones applied."""
    operations = _patch_operations(req)
    if not operations or len(operations) < 2:
        return call(req)
    resp = Resp(204)
    for op in operations:
        single = Req(req.method, req.path, dict(req.query), dict(req.headers), b"")
        single.set_json({"schemas": req.json().get("schemas"), "Operations": [op]})
        resp = call(single)
        if resp.status >= 400:
            return resp
    return resp


@fault("patch-200-without-body")
def _patch_200_without_body(req: Req, call: Call) -> Resp:
    """A successful PATCH answers 200 with an empty body."""
    resp = call(req)
    if req.method == "PATCH" and resp.status in (200, 204):
        return Resp(200, {"Content-Type": "application/scim+json"}, b"")
    return resp


@fault("patch-always-204")
def _patch_always_204(req: Req, call: Call) -> Resp:
    """A successful PATCH answers 204 even when attributes= was requested."""
    resp = call(req)
    if req.method == "PATCH" and resp.status == 200:
        return Resp(204)
    return resp


@fault("patch-urn-path-rejected")
def _patch_urn_path_rejected(req: Req, call: Call) -> Resp:
    """PATCH paths qualified with a schema URN are refused."""
    for op in _patch_operations(req) or []:
        if str(op.get("path", "")).startswith("urn:"):
            return scim_error(400, "unknown attribute path", "invalidPath")
    return call(req)


@fault("patch-extension-ignored")
def _patch_extension_ignored(req: Req, call: Call) -> Resp:
    """PATCH operations on the enterprise extension are acknowledged but not applied."""
    operations = _patch_operations(req)
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    if operations:
        kept = []
        for op in operations:
            value = op.get("value")
            if str(op.get("path", "")).startswith(enterprise):
                continue
            if isinstance(value, dict):
                value.pop(enterprise, None)
                if not value:
                    continue
            kept.append(op)
        if not kept:
            return Resp(204)
        _set_operations(req, kept)
    return call(req)


# -- ETag
@fault("etag-header-dropped")
def _etag_header_dropped(req: Req, call: Call) -> Resp:
    """Responses carry no ETag header (meta.version is still there)."""
    resp = call(req)
    resp.drop_header("ETag")
    return resp


@fault("etag-meta-version-differs")
def _etag_meta_version_differs(req: Req, call: Call) -> Resp:
    """meta.version holds a different value than the ETag header."""
    resp = call(req)

    def change(resource: dict[str, Any]) -> None:
        if isinstance(resource.get("meta"), dict) and "version" in resource["meta"]:
            resource["meta"]["version"] = 'W/"meta-version"'

    return _map_resources(resp, change)


@fault("etag-constant")
def _etag_constant(req: Req, call: Call) -> Resp:
    """Every resource always has the same ETag, whatever its state."""
    resp = call(req)
    if any(k.lower() == "etag" for k in resp.headers):
        resp.drop_header("ETag")
        resp.headers["ETag"] = 'W/"constant"'
    return resp


@fault("ignore-if-none-match")
def _ignore_if_none_match(req: Req, call: Call) -> Resp:
    """If-None-Match is ignored: GET always answers 200."""
    for name in [k for k in req.headers if k.lower() == "if-none-match"]:
        del req.headers[name]
    return call(req)


@fault("if-match-always-412")
def _if_match_always_412(req: Req, call: Call) -> Resp:
    """Any If-Match header fails the precondition, even the current version."""
    if req.header("If-Match") is not None:
        return scim_error(412, "precondition failed")
    return call(req)


# -- Bulk
def _bulk_body(req: Req) -> dict[str, Any] | None:
    body = req.json()
    if req.method == "POST" and req.path.rstrip("/") == "/Bulk" and isinstance(body, dict):
        return body
    return None


@fault("bulk-id-unresolved")
def _bulk_id_unresolved(req: Req, call: Call) -> Resp:
    """Members given as "bulkId:x" are dropped instead of resolved."""
    body = _bulk_body(req)
    if body:
        for operation in body.get("Operations") or []:
            data = operation.get("data")
            if isinstance(data, dict) and isinstance(data.get("members"), list):
                data["members"] = [
                    m for m in data["members"] if not str(m.get("value", "")).startswith("bulkId:")
                ]
        req.set_json(body)
    return call(req)


@fault("bulk-no-forward-references")
def _bulk_no_forward_references(req: Req, call: Call) -> Resp:
    """A bulkId referenced before its defining operation is dropped."""
    body = _bulk_body(req)
    if body:
        defined: set[str] = set()
        for operation in body.get("Operations") or []:
            data = operation.get("data")
            if isinstance(data, dict) and isinstance(data.get("members"), list):
                data["members"] = [
                    m
                    for m in data["members"]
                    if not str(m.get("value", "")).startswith("bulkId:")
                    or str(m["value"])[len("bulkId:") :] in defined
                ]
            if operation.get("bulkId"):
                defined.add(operation["bulkId"])
        req.set_json(body)
    return call(req)


@fault("bulk-results-without-location")
def _bulk_results_without_location(req: Req, call: Call) -> Resp:
    """Bulk operation results carry no location."""
    resp = call(req)
    body = resp.json()
    if _bulk_body(req) is not None and isinstance(body, dict):
        for result in body.get("Operations") or []:
            result.pop("location", None)
        resp.set_json(body)
    return resp


@fault("bulk-stops-at-first-error")
def _bulk_stops_at_first_error(req: Req, call: Call) -> Resp:
    """Bulk processing stops at the first error even without failOnErrors."""
    body = _bulk_body(req)
    if body:
        body.setdefault("failOnErrors", 1)
        req.set_json(body)
    return call(req)


@fault("bulk-fail-on-errors-ignored")
def _bulk_fail_on_errors_ignored(req: Req, call: Call) -> Resp:
    """failOnErrors is ignored: every operation is processed."""
    body = _bulk_body(req)
    if body:
        body.pop("failOnErrors", None)
        req.set_json(body)
    return call(req)


def _spc_rewrite(name: str, section: str, key: str, value: int, doc: str) -> None:
    """Register a fault announcing a different limit than the one the server enforces."""

    def rewrite(req: Req, call: Call) -> Resp:
        resp = call(req)
        body = resp.json()
        if req.path.startswith("/ServiceProviderConfig") and isinstance(body, dict):
            body.setdefault(section, {})[key] = value
            resp.set_json(body)
        return resp

    rewrite.__doc__ = doc
    fault(name)(rewrite)


_spc_rewrite(
    "bulk-max-operations-unenforced",
    "bulk",
    "maxOperations",
    5,
    "bulk.maxOperations says 5, but larger bulk requests are processed.",
)
_spc_rewrite(
    "bulk-max-payload-unenforced",
    "bulk",
    "maxPayloadSize",
    4096,
    "bulk.maxPayloadSize says 4096 bytes, but larger bulk requests are processed.",
)
_spc_rewrite(
    "max-results-unenforced",
    "filter",
    "maxResults",
    3,
    "filter.maxResults says 3, but a larger count returns more.",
)


# -- schema claims
@fault("lowercase-external-id")
def _lowercase_external_id(req: Req, call: Call) -> Resp:
    """externalId (caseExact) is stored lower-cased."""
    body = req.json()
    if req.method in ("POST", "PUT") and isinstance(body, dict) and "externalId" in body:
        body["externalId"] = str(body["externalId"]).lower()
        req.set_json(body)
    return call(req)


@fault("uniqueness-case-sensitive")
def _uniqueness_case_sensitive(req: Req, call: Call) -> Resp:
    """A userName differing only in case from an existing one is accepted (stored renamed)."""
    body = req.json()
    if req.method == "POST" and is_collection(req, "Users") and isinstance(body, dict):
        resp = call(req)
        if (
            resp.status == 409
            and str(body.get("userName", "")) != str(body.get("userName", "")).lower()
        ):
            body["userName"] = "renamed-" + str(body["userName"]).lower()
            req.set_json(body)
            return call(req)
        return resp
    return call(req)


@fault("read-only-groups-applied")
def _read_only_groups_applied(req: Req, call: Call) -> Resp:
    """groups sent on user creation are applied: the user joins those groups."""
    body = req.json()
    resp = call(req)
    created = resp.json()
    if (
        req.method == "POST"
        and is_collection(req, "Users")
        and resp.status == 201
        and isinstance(body, dict)
        and isinstance(created, dict)
    ):
        for group in body.get("groups") or []:
            add = {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [
                    {"op": "add", "path": "members", "value": [{"value": created["id"]}]}
                ],
            }
            call(_with_auth(req, "PATCH", f"/Groups/{group.get('value')}", add))
    return resp


def _schema_claim(name: str, attribute: str, key: str, value: Any, doc: str) -> None:
    """Register a fault making /Schemas declare a characteristic the server does not honour."""

    def rewrite(req: Req, call: Call) -> Resp:
        resp = call(req)
        body = resp.json()
        if req.method == "GET" and req.path.startswith("/Schemas") and isinstance(body, dict):
            for schema in body.get("Resources") or [body]:
                if schema.get("id") == "urn:ietf:params:scim:schemas:core:2.0:User":
                    for declared in schema.get("attributes") or []:
                        if declared.get("name") == attribute:
                            declared[key] = value
            resp.set_json(body)
        return resp

    rewrite.__doc__ = doc
    fault(name)(rewrite)


_schema_claim(
    "claims-nickname-unique",
    "nickName",
    "uniqueness",
    "server",
    "/Schemas declares nickName unique, but duplicates are accepted.",
)
_schema_claim(
    "claims-title-immutable",
    "title",
    "mutability",
    "immutable",
    "/Schemas declares title immutable, but PUT changes it.",
)
_schema_claim(
    "claims-display-name-always",
    "displayName",
    "returned",
    "always",
    "/Schemas declares displayName returned=always, but excludedAttributes removes it.",
)
_schema_claim(
    "claims-title-on-request",
    "title",
    "returned",
    "request",
    "/Schemas declares title returned=request, but it is returned by default.",
)


def _not_implemented(name: str, capability: str, path_prefix: str, method: str) -> None:
    """Register a fault: the SPC says `capability` is unsupported and the server answers 501."""

    def decline(req: Req, call: Call) -> Resp:
        if req.method == method and req.path.startswith(path_prefix):
            return scim_error(501, f"{capability} is not implemented")
        resp = call(req)
        body = resp.json()
        if req.path.startswith("/ServiceProviderConfig") and isinstance(body, dict):
            body[capability] = {**(body.get(capability) or {}), "supported": False}
            resp.set_json(body)
        return resp

    decline.__doc__ = f"{capability} is not advertised and declined with 501."
    fault(name)(decline)


_not_implemented("patch-unadvertised-501", "patch", "/", "PATCH")
_not_implemented("bulk-unadvertised-501", "bulk", "/Bulk", "POST")
_not_implemented("etag-unadvertised", "etag", "/nowhere", "GET")


@fault("search-not-implemented")
def _search_not_implemented(req: Req, call: Call) -> Resp:
    """POST /.search is declined with 501 Not Implemented."""
    if req.method == "POST" and req.path.endswith("/.search"):
        return scim_error(501, "searching with POST is not implemented")
    return call(req)


@fault("search-not-found")
def _search_not_found(req: Req, call: Call) -> Resp:
    """POST /.search answers 404, as if the route did not exist."""
    if req.method == "POST" and req.path.endswith("/.search"):
        return scim_error(404, "not found")
    return call(req)


@fault("filter-sw-unsupported")
def _filter_sw_unsupported(req: Req, call: Call) -> Resp:
    """The sw operator is declined with 400 invalidFilter (every other operator works)."""
    if req.method == "GET" and " sw " in req.query.get("filter", ""):
        return scim_error(400, "the operator 'sw' is not supported", "invalidFilter")
    return call(req)


@fault("filter-single-expression-only")
def _filter_single_expression_only(req: Req, call: Call) -> Resp:
    """Only single attribute expressions are supported: and/or/not are declined."""
    if req.method == "GET" and re.search(r"\b(and|or|not)\b", req.query.get("filter", "")):
        return scim_error(400, "logical operators are not supported", "invalidFilter")
    return call(req)


@fault("no-display-name")
def _no_display_name(req: Req, call: Call) -> Resp:
    """A server without User.displayName (an optional attribute): not declared, not kept."""
    body = req.json()
    if isinstance(body, dict) and _resource_kind(req) == "Users":
        body.pop("displayName", None)
        for op in body.get("Operations") or []:
            if isinstance(op.get("value"), dict):
                op["value"].pop("displayName", None)
        req.set_json(body)
    resp = call(req)
    answer = resp.json()
    if req.path.startswith("/Schemas") and isinstance(answer, dict):
        for schema in answer.get("Resources") or [answer]:
            if schema.get("id") == "urn:ietf:params:scim:schemas:core:2.0:User":
                schema["attributes"] = [
                    a for a in schema.get("attributes") or [] if a.get("name") != "displayName"
                ]
        resp.set_json(answer)
    elif _resource_kind(req) == "Users":
        _map_resources(resp, lambda resource: resource.pop("displayName", None))
    return resp
