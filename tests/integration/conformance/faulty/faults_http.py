"""Faults of authentication, media types and discovery."""

from __future__ import annotations

from typing import Any

from tests.integration.conformance.faulty.core import (
    TOKEN,
    Call,
    Fault,
    Req,
    Resp,
    fault,
    is_collection,
    map_resources,
    scim_error,
)


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
        map_resources(resp, lambda rt: rt.pop("endpoint", None))
    return resp


@fault("absolute-endpoints")
def _absolute_endpoints(req: Req, call: Call) -> Resp:
    """ResourceTypes give endpoints that repeat the base path ("/v2/Users")."""
    resp = call(req)
    if req.path.rstrip("/") == "/ResourceTypes":
        map_resources(resp, lambda rt: rt.update(endpoint="/v2/" + rt["endpoint"].strip("/")))
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

        map_resources(resp, strip)
    return resp


@fault("groups-endpoint-broken")
def _groups_endpoint_broken(req: Req, call: Call) -> Resp:
    """Listing /Groups fails with 500."""
    if req.method == "GET" and is_collection(req, "Groups"):
        return scim_error(500, "internal error")
    return call(req)
