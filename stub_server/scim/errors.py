"""SCIM error responses (RFC 7644 §3.12) and the exception the service raises for them."""

from __future__ import annotations

import json

from flask import Response

SCIM_MEDIA_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_PATH_PREFIX = "/scim/"


class ScimError(Exception):
    """A failure that becomes a SCIM error response with this status and scimType."""

    def __init__(
        self,
        status: int,
        detail: str,
        scim_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type
        self.headers = headers or {}

    def body(self) -> dict:
        """Return the RFC 7644 §3.12 error body."""
        return error_body(self.status, self.detail, self.scim_type)

    def response(self) -> Response:
        """Return the error as a Flask response."""
        resp = scim_error_response(self.status, self.detail, self.scim_type)
        resp.headers.update(self.headers)
        return resp


def error_body(status: int, detail: str, scim_type: str | None = None) -> dict:
    """Build an error body; ``status`` is a string as RFC 7644 §3.12 shows it."""
    body: dict = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body


def scim_error_response(status: int, detail: str, scim_type: str | None = None) -> Response:
    """Return an ``application/scim+json`` error response with an RFC 7644 §3.12 body."""
    resp = Response(
        json.dumps(error_body(status, detail, scim_type)), status=status, mimetype=SCIM_MEDIA_TYPE
    )
    if status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return resp
