"""The independent checker scim2-tester (PyPI) runs against the stub on a real port."""

from __future__ import annotations

from collections import Counter
from typing import Any

import requests
from scim2_client import BaseSyncSCIMClient
from scim2_tester import Status, check_server

from tests.scim_helpers import ACME, base_path


class RequestsSCIMClient(BaseSyncSCIMClient):
    """scim2-client over ``requests`` (its own network engine needs httpx2, not installed)."""

    def __init__(self, base_url: str, token: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def _stays_under_base_url(self, endpoint: str) -> bool:
        if endpoint.startswith(("http://", "https://")):
            return endpoint.startswith(self.base_url + "/")
        return super()._stays_under_base_url(endpoint)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send one request, relative URLs under the SCIM base URL."""
        full = url if url.startswith(("http://", "https://")) else self.base_url + url
        return self.session.request(method, full, timeout=60, **kwargs)


def test_scim2_tester_finds_no_failure(scim_server: str, scim_token: str) -> None:
    client = RequestsSCIMClient(f"{scim_server}{base_path(ACME)}", scim_token)
    results = check_server(client, raise_exceptions=False)
    statuses = Counter(r.status for r in results)
    failures = [
        f"{r.status.name} {r.title} [{r.resource_type}]: {r.reason}"
        for r in results
        if r.status not in (Status.SUCCESS, Status.SKIPPED)
    ]
    assert not failures, "\n".join(failures)
    assert statuses[Status.SUCCESS] >= 100, statuses  # the whole suite really ran
