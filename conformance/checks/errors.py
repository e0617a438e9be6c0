"""Error responses (RFC 7644 §3.12): the Error schema, status as a string, fitting scimType."""

from __future__ import annotations

import requests

from conformance import urns
from conformance.context import CheckContext, body_of, describe
from conformance.registry import check

# RFC 7644 §3.12 Table 9: scimType keywords and the status each is used with.
SCIM_TYPE_STATUS = {
    "invalidFilter": 400,
    "tooMany": 400,
    "uniqueness": 409,
    "mutability": 400,
    "invalidSyntax": 400,
    "invalidPath": 400,
    "noTarget": 400,
    "invalidValue": 400,
    "invalidVers": 400,
    "sensitive": 403,
}


def _not_found(ctx: CheckContext) -> requests.Response:
    """GET of a User id that cannot exist."""
    return ctx.get(f"{ctx.users_endpoint}/{ctx.unique('missing')}")


def _malformed_post(ctx: CheckContext) -> requests.Response:
    """POST /Users with a body that is not JSON."""
    return ctx.post(ctx.users_endpoint, data='{"schemas": ["urn:ietf:params:scim:schemas')


def _missing_user_name(ctx: CheckContext) -> requests.Response:
    """POST /Users without the REQUIRED userName."""
    return ctx.post(ctx.users_endpoint, json=ctx.user_payload(userName=None))


def _expect_error_body(ctx: CheckContext, response: requests.Response) -> dict:
    """The body is a SCIM Error whose status is the HTTP status as a string."""
    body = ctx.json(response)
    ctx.expect_schema("Error", body)
    ctx.expect(urns.ERROR in (body.get("schemas") or []), f"schemas is {body.get('schemas')!r}")
    ctx.expect(
        body.get("status") == str(response.status_code),
        f"status must be the string {str(response.status_code)!r}, got {body.get('status')!r}",
    )
    return body


def _expect_400_scim_type(ctx: CheckContext, response: requests.Response, expected: str) -> None:
    """A scimType on the 400 answer, if any, is ``expected`` (scimType itself is OPTIONAL)."""
    if response.status_code != 400:
        ctx.error(f"no 400 to inspect: {describe(response)}")
    scim_type = ctx.json(response).get("scimType")
    if scim_type is None:
        return  # OPTIONAL (RFC 7644 §3.12): leaving it out is no finding
    ctx.expect(
        scim_type == expected,
        f"{describe(response)}: scimType is {scim_type!r}; Table 9 names {expected!r} for this",
    )


@check(
    "errors.not-found.body",
    title="404 answers carry a SCIM Error body with status '404'",
    rfc="RFC 7644 §3.12",
    level="MUST",
    tags={"read"},
)
def not_found_body(ctx: CheckContext) -> None:
    """Errors are returned as JSON with the Error schema URN and status as a JSON string."""
    response = _not_found(ctx)
    ctx.expect_status(response, 404)
    _expect_error_body(ctx, response)


@check(
    "errors.invalid-json.status",
    title="A body that is not JSON answers 400 with a SCIM Error",
    rfc="RFC 7644 §3.12",
    level="MUST",
    tags={"create"},
    mutating=True,  # a POST, even a broken one, is a write attempt on the target
)
def invalid_json_status(ctx: CheckContext) -> None:
    """An unparsable request is a 400 Bad Request, never a 5xx."""
    response = _malformed_post(ctx)
    ctx.expect_status(response, 400)
    _expect_error_body(ctx, response)


@check(
    "errors.invalid-json.scim-type",
    title="A body that is not JSON answers scimType invalidSyntax",
    rfc="RFC 7644 §3.12 Table 9",
    level="MAY",
    tags={"create"},
    mutating=True,
    needs="errors.invalid-json.status",
)
def invalid_json_scim_type(ctx: CheckContext) -> None:
    """invalidSyntax names a request body that could not be parsed."""
    _expect_400_scim_type(ctx, _malformed_post(ctx), "invalidSyntax")


@check(
    "errors.missing-required.status",
    title="A User without userName answers 400 with a SCIM Error",
    rfc="RFC 7643 §4.1.1; RFC 7644 §3.12",
    level="MUST",
    tags={"create"},
    mutating=True,
)
def missing_required_status(ctx: CheckContext) -> None:
    """userName is REQUIRED; a creation without it is refused with 400."""
    response = _missing_user_name(ctx)
    ctx.expect_status(response, 400)
    _expect_error_body(ctx, response)


@check(
    "errors.missing-required.scim-type",
    title="A missing required attribute answers scimType invalidValue",
    rfc="RFC 7644 §3.12 Table 9",
    level="MAY",
    tags={"create"},
    mutating=True,
    needs="errors.missing-required.status",
)
def missing_required_scim_type(ctx: CheckContext) -> None:
    """invalidValue names a required value that was missing."""
    _expect_400_scim_type(ctx, _missing_user_name(ctx), "invalidValue")


@check(
    "errors.scim-type.fits-status",
    title="Every scimType is a Table 9 keyword used with its status",
    rfc="RFC 7644 §3.12 Table 9",
    level="SHOULD",
    tags={"read", "create"},
    mutating=True,
)
def scim_type_fits_status(ctx: CheckContext) -> None:
    """404s carry no scimType; others use the Table 9 keyword belonging to their status."""
    user = ctx.new_user()
    answers = [
        _not_found(ctx),
        _malformed_post(ctx),
        ctx.post(ctx.users_endpoint, json=ctx.user_payload(userName=user["userName"])),
    ]
    wrong = []
    for response in answers:
        scim_type = (_body(response) or {}).get("scimType")
        if scim_type is None:
            continue
        expected = SCIM_TYPE_STATUS.get(scim_type)
        if expected != response.status_code:
            wrong.append(f"{describe(response)}: scimType {scim_type!r} is not for this status")
    ctx.expect(not wrong, "; ".join(wrong))


def _body(response: requests.Response) -> dict | None:
    """A JSON object body or None."""
    value = body_of(response)
    return value if isinstance(value, dict) else None
