"""A vendor's faulty SCIM service, made on the spot: a loopback proxy in front of a real SCIM
service that answers ``application/json`` where RFC 7644 §3.8 requires
``application/scim+json``. It works in front of any deployment, so the scenario that uses it
runs wherever the features run.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

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


@contextmanager
def serve_plain_json_proxy(upstream: str) -> Iterator[str]:
    """Run the faulty proxy on a free loopback port; yield its base URL."""
    server = make_server("127.0.0.1", 0, plain_json_proxy(upstream), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="vendor-proxy", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
