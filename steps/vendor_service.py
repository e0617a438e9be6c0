"""A vendor's faulty SCIM service, made on the spot: a loopback proxy in front of a real SCIM
service that answers ``application/json`` where RFC 7644 §3.8 requires
``application/scim+json``. It works in front of any deployment, so the scenario that uses it
runs wherever the features run.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import requests
from werkzeug.wrappers import Request, Response

from steps.loopback import served_on_loopback

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"}
TIMEOUT = 10


def plain_json_proxy(upstream: str) -> Any:
    """A WSGI app forwarding every request to ``upstream`` and relabelling SCIM JSON as JSON."""
    upstream = upstream.rstrip("/")

    @Request.application
    def app(request: Request) -> Response:
        answer = requests.request(
            request.method,
            upstream + request.full_path.rstrip("?").removeprefix(request.script_root),
            headers={k: v for k, v in request.headers if k.lower() != "host"},
            data=request.get_data(),
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP]
        headers = [
            (k, v.replace("application/scim+json", "application/json"))
            if k.lower() == "content-type"
            else (k, v)
            for k, v in headers
        ]
        return Response(answer.content, status=answer.status_code, headers=headers)

    return app


def serve_plain_json_proxy(upstream: str) -> AbstractContextManager[str]:
    """Run the faulty proxy on a free loopback port; the block gets its base URL."""
    return served_on_loopback(plain_json_proxy(upstream), "vendor-proxy")
