"""Reading a response for a verdict: its JSON body, and a one-line description of it."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import requests


def body_of(response: requests.Response) -> Any:
    """The JSON body of a response: None when it has none or it is not JSON."""
    try:
        return json.loads(response.content or b"null")
    except ValueError:
        return None


def describe(response: requests.Response) -> str:
    """'PATCH /Users/1 answered 500 (detail: ...)' for messages."""
    request = response.request
    path = urlsplit(request.url or "").path if request is not None else "?"
    method = request.method if request is not None else "?"
    text = f"{method} {path} answered {response.status_code}"
    body = body_of(response)
    if isinstance(body, dict) and (body.get("detail") or body.get("scimType")):
        text += f" (scimType={body.get('scimType')!r}, detail={body.get('detail')!r})"
    return text


def declined(capability: str, response: requests.Response) -> str:
    """Why a check skips: the capability is not advertised and the server did not do it."""
    return (
        f"{capability} is not advertised in ServiceProviderConfig and "
        f"{describe(response)}; the check needs it"
    )
