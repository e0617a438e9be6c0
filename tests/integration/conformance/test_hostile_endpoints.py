"""Endpoints as RFC 7643 §6 and RFC 3986 resolve them, under a base path of any depth.

Replay of issue 7's finding: on a server mounted at a multi-segment base path whose ResourceTypes
give absolute endpoints, the checker requested the base path twice and its write guard refused
every POST (74 errors on main). Here the stub is mounted under /a/b (its base URL becomes
/a/b/scim/v2.0/organizations/<uid>, six segments) and serves ResourceTypes whose endpoints repeat
that whole path, or are full URLs: the run must show no error and no failure, as on the plain stub.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from conformance.registry import all_checks
from conformance.runner import RunOptions, run
from tests.integration.conformance.hostile import served

MOUNT = "/a/b"
ORG = "blt0acme000000001"
SCIM_PATH = f"{MOUNT}/scim/v2.0/organizations/{ORG}"


class AbsoluteEndpoints:
    """Rewrites each ResourceType's endpoint into an absolute path or a full URL."""

    def __init__(self, app: Callable[..., Iterable[bytes]], style: str) -> None:
        self.app = app
        self.style = style

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if "/ResourceTypes" not in environ.get("PATH_INFO", ""):
            return self.app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured.update(status=status, headers=headers)

        body = b"".join(self.app(environ, capture))
        document = json.loads(body)
        origin = f"http://{environ['HTTP_HOST']}"
        for resource_type in document.get("Resources") or [document]:
            if isinstance(resource_type, dict) and "endpoint" in resource_type:
                path = SCIM_PATH + "/" + resource_type["endpoint"].strip("/")
                resource_type["endpoint"] = origin + path if self.style == "url" else path
        body = json.dumps(document).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]


@pytest.fixture(params=["path", "url"])
def mounted_stub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The stub under /a/b with absolute endpoints (as paths or full URLs); (base URL, token)."""
    from stub_server import create_app
    from stub_server.app import storage_of

    app = create_app({"DATABASE": str(tmp_path / "stub.sqlite3"), "SECRET_KEY": "mounted"})
    storage = storage_of(app)
    storage.set_scim_enabled(ORG, True)
    token = storage.issue_token(ORG, "mounted")
    mounted = AbsoluteEndpoints(DispatcherMiddleware(NotFound(), {MOUNT: app}), request.param)
    with served(mounted) as origin:
        yield f"{origin}{SCIM_PATH}", token


def test_absolute_endpoints_under_a_deep_base_path_resolve(mounted_stub: tuple[str, str]) -> None:
    """No error, no failure; the only remark is the interop warning naming the endpoints."""
    base_url, token = mounted_stub
    report = run(base_url, token, RunOptions(workers=4), checks=all_checks())
    bad = [
        f"{r.id}: {r.status}: {r.message}" for r in report.results if r.status in ("fail", "error")
    ]
    assert bad == []
    remark = report.result("discovery.resource-types.endpoint-relative")
    assert remark is not None and remark.status == "info"
    assert SCIM_PATH in remark.message
    created = [r for r in report.results if "create" in r.tags and r.status == "pass"]
    assert created, "the write guard let no creation through"
    assert report.safety["unchanged"] is True
