"""Media types and encoding (RFC 7644 §3.1, §3.8, §8.1): application/scim+json, UTF-8."""

from __future__ import annotations

import requests

from conformance.context import CheckContext, describe
from conformance.registry import check

SCIM_JSON = "application/scim+json"


def media_type(response: requests.Response) -> str:
    """The media type of a response without parameters, lower-cased."""
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def charset(response: requests.Response) -> str | None:
    """The charset parameter of the Content-Type, if any."""
    for parameter in response.headers.get("Content-Type", "").split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


@check(
    "content-type.scim-json",
    title="Responses to Accept: application/scim+json are application/scim+json",
    rfc="RFC 7644 §3.8, §8.1",
    level="MUST",
    tags={"read", "content-type"},
)
def scim_json(ctx: CheckContext) -> None:
    """Service providers MUST support Accept: application/scim+json and answer in it."""
    wrong = []
    for path, params in ((ctx.users_endpoint, {"count": 1}), ("/ServiceProviderConfig", None)):
        response = ctx.get(path, params=params, headers={"Accept": SCIM_JSON})
        ctx.expect_status(response, 200)
        if media_type(response) != SCIM_JSON:
            wrong.append(f"{path}: {response.headers.get('Content-Type')!r}")
    ctx.expect(not wrong, "Content-Type is not application/scim+json: " + ", ".join(wrong))


@check(
    "content-type.default",
    title="Without an Accept header the response is application/scim+json",
    rfc="RFC 7644 §3.8",
    level="SHOULD",
    tags={"read", "content-type"},
)
def default_format(ctx: CheckContext) -> None:
    """The format defaults to application/scim+json if no format is specified."""
    response = ctx.get(ctx.users_endpoint, params={"count": 1}, headers={"Accept": None})
    ctx.expect_status(response, 200)
    ctx.expect(
        media_type(response) == SCIM_JSON,
        f"Content-Type is {response.headers.get('Content-Type')!r}",
    )


@check(
    "content-type.accept-json",
    title="Accept: application/json is served",
    rfc="RFC 7644 §3.8",
    level="SHOULD",
    tags={"read", "content-type"},
)
def accept_json(ctx: CheckContext) -> None:
    """Service providers SHOULD support Accept: application/json."""
    response = ctx.get(
        ctx.users_endpoint, params={"count": 1}, headers={"Accept": "application/json"}
    )
    ctx.expect_status(response, 200)
    ctx.expect(
        media_type(response) in ("application/json", SCIM_JSON),
        f"Content-Type is {response.headers.get('Content-Type')!r}",
    )
    ctx.json(response)


@check(
    "content-type.errors",
    title="Error responses are application/scim+json too",
    rfc="RFC 7644 §3.8, §3.12",
    level="SHOULD",
    tags={"read", "content-type", "errors"},
)
def errors_scim_json(ctx: CheckContext) -> None:
    """A SCIM error is a SCIM JSON document and is labelled as one."""
    response = ctx.get(f"{ctx.users_endpoint}/{ctx.unique('missing')}")
    if response.status_code != 404:
        ctx.error(f"no 404 to inspect: {describe(response)}")
    ctx.expect(
        media_type(response) == SCIM_JSON,
        f"the 404 Content-Type is {response.headers.get('Content-Type')!r}",
    )


@check(
    "content-type.error-statuses",
    title="400 and 409 errors are application/scim+json, like 404s",
    rfc="RFC 7644 §3.1, §3.12",
    level="SHOULD",
    tags={"create", "content-type", "errors"},
    mutating=True,
)
def error_statuses_scim_json(ctx: CheckContext) -> None:
    """Every SCIM error, not only 404, is labelled application/scim+json: the answers to a
    body that is not JSON (400) and to a duplicate userName (409)."""
    user = ctx.new_user()
    answers = [
        ctx.post(ctx.users_endpoint, data='{"schemas": ['),
        ctx.post(ctx.users_endpoint, json=ctx.user_payload(userName=user["userName"])),
    ]
    wrong = [
        f"{describe(response)} with Content-Type {response.headers.get('Content-Type')!r}"
        for response in answers
        if response.status_code >= 400 and media_type(response) != SCIM_JSON
    ]
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "content-type.utf8",
    title="Non-ASCII values round-trip as UTF-8",
    rfc="RFC 7644 §3.8",
    level="MUST",
    tags={"create", "content-type"},
    mutating=True,
)
def utf8(ctx: CheckContext) -> None:
    """UTF-8 SHALL be the default encoding: 'Zoë Ñandú 测试' comes back unchanged."""
    family = "Zoë Ñandú 测试"
    user = ctx.new_user(name={"givenName": "Ünïcode", "familyName": family})
    response = ctx.get(f"{ctx.users_endpoint}/{user['id']}")
    ctx.expect_status(response, 200)
    declared = charset(response)
    ctx.expect(declared in (None, "utf-8", "utf8"), f"the response declares charset {declared}")
    got = (ctx.json(response).get("name") or {}).get("familyName")
    ctx.expect(got == family, f"name.familyName came back as {got!r}")


@check(
    "content-type.request-json",
    title="A request body labelled application/json is accepted",
    rfc="RFC 7644 §3.8",
    level="SHOULD",
    tags={"create", "content-type"},
    mutating=True,
)
def request_json(ctx: CheckContext) -> None:
    """JSON bodies labelled application/json are JSON documents per RFC 7159 and accepted."""
    response = ctx.post(
        ctx.users_endpoint,
        json=ctx.user_payload(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    ctx.expect_status(response, 201)
