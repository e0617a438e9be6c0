"""Servers that require more than RFC 7643's schemas: every check still runs (issue 8 item 2).

Each variant is scim2-server serving (and enforcing) a changed /Schemas or /ResourceTypes:
the checker reads them and completes its User and Group bodies (conformance.payloads).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

import conformance
from conformance import urns
from conformance.cli import main
from tests.integration.conformance.faulty import serve
from tests.integration.conformance.faulty.core import TOKEN, scim2_server_app
from tests.integration.conformance.test_framework_targets import SCIM2_SERVER_EXPLAINED

PROFILES = ["entra", "okta", "onelogin"]


def _require(schemas: dict[str, Any], urn: str, name: str) -> None:
    """Mark one attribute of a loaded schema required."""
    for attribute in schemas[urn].attributes:
        if attribute.name == name:
            attribute.required = True
            return
    raise AssertionError(f"{urn} has no attribute {name}")


def title_required(schemas: dict[str, Any], resource_types: dict[str, Any]) -> None:
    """A core attribute beyond userName is required: User.title."""
    _require(schemas, urns.USER, "title")


def enterprise_required(schemas: dict[str, Any], resource_types: dict[str, Any]) -> None:
    """The enterprise extension is required for Users, and its employeeNumber with it."""
    _require(schemas, urns.ENTERPRISE_USER, "employeeNumber")
    for extension in resource_types["User"].schema_extensions or []:
        extension.required = True


@pytest.fixture(
    scope="module", params=[title_required, enterprise_required], ids=lambda f: f.__name__
)
def variant(request: pytest.FixtureRequest) -> Iterator[str]:
    """The base URL of scim2-server serving one schema variant."""
    with serve(scim2_server_app(TOKEN, adjust=request.param)) as base_url:
        yield base_url


@pytest.mark.slow
def test_every_check_runs_on_a_server_requiring_more(
    variant: str, request: pytest.FixtureRequest
) -> None:
    """0 errors, and the same verdict for every check as on scim2-server with RFC schemas."""
    variant_name = request.node.callspec.id
    report = conformance.run(variant, TOKEN, profiles=PROFILES)
    errors = [(r.id, r.message) for r in report.results if r.status == "error"]
    assert errors == []
    differing = {
        r.id: (r.status, r.message)
        for r in report.results
        if r.status not in ("pass", "skip") and SCIM2_SERVER_EXPLAINED.get(r.id) != r.status
    }
    assert differing == {}
    assert report.safety["unchanged"], report.safety
    if variant_name == "enterprise_required":  # the extension is carried in every view
        assert report.result("create.required-extension").status == "pass"


def test_without_the_schema_the_server_refuses_the_default_user(variant: str) -> None:
    """The variants do enforce what they declare: RFC 7643's plain User is a 400."""
    response = conformance_post(variant, {"schemas": [urns.USER], "userName": "plain-user"})
    assert response.status_code == 400, response.text


def test_a_user_template_drives_every_created_user(variant: str, tmp_path: Path) -> None:
    """--user-template: created Users carry the template's values, completed per /Schemas."""
    template = tmp_path / "user.json"
    template.write_text(
        json.dumps(
            {
                "schemas": [urns.USER],
                "userName": "{prefix}@corp.example",
                "nickName": "from-template",
                "emails": [{"value": "{prefix}@corp.example", "type": "work", "primary": True}],
            }
        )
    )
    report = conformance.run(variant, TOKEN, tags=["users.create"], user_template=str(template))
    created = [
        exchange["request"]["body"]
        for result in report.results
        for exchange in result.exchanges
        if exchange["request"]["method"] == "POST" and exchange["request"]["url"].endswith("/Users")
    ]
    assert created and all(body["nickName"] == "from-template" for body in created)
    assert all(body["userName"].endswith("@corp.example") for body in created)
    assert [r.id for r in report.results if r.status == "error"] == []


def conformance_post(base_url: str, body: dict[str, Any]) -> requests.Response:
    """POST a User body straight to the variant (no completion)."""
    return requests.post(
        f"{base_url}/Users",
        json=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"},
        timeout=10,
    )


def test_cli_template_options_drive_the_run_and_refuse_bad_files(
    variant: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--user-template/--group-template reach the run; a bad file is one line and exit 2."""
    group = tmp_path / "group.json"
    group.write_text(json.dumps({"displayName": "{prefix} staff", "externalId": None}))
    report = tmp_path / "report.json"
    argv = ["check", variant, "--token", TOKEN, "--tags", "groups.create", "--no-progress"]
    assert main([*argv, "--group-template", str(group), "--json", str(report)]) == 0
    sent = [
        exchange["request"]["body"]
        for result in json.loads(report.read_text())["results"]
        for exchange in result["exchanges"]
        if exchange["request"]["method"] == "POST"
        and exchange["request"]["url"].endswith("/Groups")
    ]
    assert sent and all(body["displayName"].endswith(" staff") for body in sent)
    assert all("externalId" not in body for body in sent)
    capsys.readouterr()
    bad = tmp_path / "bad.json"
    bad.write_text('{"userName": "always-the-same"}')
    assert main([*argv, "--user-template", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "--user-template" in err and "{prefix}" in err and "\n" not in err
