"""Organization Settings → Audit Log: paging newest first, filters, CSV export, who may see it."""

from __future__ import annotations

import csv
import io

import pytest

from stub_server.storage import Storage
from tests.unit.conftest import ACME, BASIC

OLIVIA = "olivia.owner@acme.example"
LOG = f"/organizations/{ACME}/settings/audit-log"
EXPORT = f"{LOG}/export.csv"


def record(
    storage: Storage,
    event: str,
    *,
    actor: str = "Olivia Owner (olivia.owner@acme.example)",
    application: str = "Organization Settings",
    at: str = "2026-03-10T12:00:00.000Z",
    details: str = "",
    org_uid: str = ACME,
) -> None:
    """Write one audit entry with a chosen time, as if it had happened then."""
    storage.connection().execute(
        "INSERT INTO audit_log (org_uid, occurred_at, actor, event, application, remote_addr, "
        "details) VALUES (?, ?, ?, ?, ?, '127.0.0.1', ?)",
        (org_uid, at, actor, event, application, details),
    )


def events_of(client, query: str = "") -> list[str]:
    """The events the JSON API lists for a query string, in its order."""
    response = client.get(f"{LOG}?{query}", json=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [entry["event"] for entry in response.get_json()["entries"]]


@pytest.fixture
def mixed_log(ui_storage: Storage) -> Storage:
    """Four entries: two applications, two people, three days; plus one of another org."""
    record(ui_storage, "SCIM enabled", at="2026-03-08T09:00:00.000Z")
    record(
        ui_storage,
        "User provisioned",
        actor="SCIM API",
        application="SCIM API",
        at="2026-03-09T10:00:00.000Z",
    )
    record(
        ui_storage,
        "SCIM settings change refused",
        actor="Max Member (max.member@acme.example)",
        at="2026-03-09T23:59:59.999Z",
    )
    record(ui_storage, "SCIM token generated", at="2026-03-10T08:00:00.000Z")
    record(ui_storage, "SCIM enabled", org_uid=BASIC, at="2026-03-10T08:00:00.000Z")
    return ui_storage


def test_pages_hold_fifty_entries_newest_first(ui_client, ui_storage):
    for number in range(120):
        record(ui_storage, f"Event {number:03d}")
    client = ui_client(OLIVIA)
    first = client.get(LOG, json=True).get_json()
    assert (first["total"], first["pages"], first["page"], first["per_page"]) == (120, 3, 1, 50)
    assert events_of(client)[:2] == ["Event 119", "Event 118"]
    assert len(events_of(client)) == 50
    assert events_of(client, "page=3") == [f"Event {n:03d}" for n in range(19, -1, -1)]
    assert events_of(client, "page=2&per_page=100") == [f"Event {n:03d}" for n in range(19, -1, -1)]


def test_the_page_links_to_older_and_newer_entries_keeping_the_filter(ui_client, ui_storage):
    for number in range(60):
        record(ui_storage, "SCIM enabled", details=str(number))
    client = ui_client(OLIVIA)
    body = client.get(f"{LOG}?event=SCIM+enabled").get_data(as_text=True)
    assert "Showing 1 to 50 of 60 entries matching the filters, newest first." in body
    assert "Page 1 of 2" in body
    assert 'href="/organizations/blt0acme000000001/settings/audit-log?page=2&amp;event=SCIM' in body
    assert "Newer entries" not in body
    second = client.get(f"{LOG}?event=SCIM+enabled&page=2").get_data(as_text=True)
    assert "Showing 51 to 60 of 60" in second
    assert "Older entries" not in second


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["SCIM token generated", "SCIM settings change refused", "User provisioned"]),
        ("event=SCIM+enabled", ["SCIM enabled"]),
        ("application=SCIM+API", ["User provisioned"]),
        ("user=max.MEMBER", ["SCIM settings change refused"]),
        ("user=%25", []),  # % is a character to look for, not a wildcard
        ("from=2026-03-09&to=2026-03-09", ["SCIM settings change refused", "User provisioned"]),
        ("from=2026-03-10", ["SCIM token generated"]),
        ("to=2026-03-08", ["SCIM enabled"]),
        ("event=SCIM+enabled&from=2026-03-09", []),
        ("user=Olivia&application=Organization+Settings", ["SCIM token generated", "SCIM enabled"]),
    ],
)
def test_filters_narrow_the_log_of_one_organization(ui_client, mixed_log, query, expected):
    events = events_of(ui_client(OLIVIA), query)
    assert events[: len(expected)] == expected
    if query:
        assert events == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=31-01-2026", "The start date must be a date like 2026-01-31"),
        ("to=2026-02-30", "The end date must be a date like 2026-01-31"),
        ("from=2026-03-10&to=2026-03-09", "The start date is after the end date"),
        ("page=0", "page must be a whole number from 1"),
        ("per_page=101", "per_page must be a whole number from 1 to 100"),
    ],
)
def test_a_bad_filter_is_explained_not_guessed(ui_client, mixed_log, query, message):
    client = ui_client(OLIVIA)
    as_json = client.get(f"{LOG}?{query}", json=True)
    assert as_json.status_code == 400
    assert message in as_json.get_json()["message"]
    page = client.get(f"{LOG}?{query}")
    assert page.status_code == 400
    body = page.get_data(as_text=True)
    assert message in body
    assert '<form class="filters"' in body  # the form stays, to correct the filter
    assert "<tbody>" not in body


def test_the_filter_form_offers_the_logged_events_and_keeps_the_choice(ui_client, mixed_log):
    body = ui_client(OLIVIA).get(f"{LOG}?application=SCIM+API&user=max").get_data(as_text=True)
    assert '<option value="User provisioned" >User provisioned</option>' in body
    assert '<option value="SCIM API" selected>SCIM API</option>' in body
    assert 'name="user" type="search" value="max"' in body
    assert "No entries match these filters." in body
    assert "Export CSV" not in body  # nothing to export


def test_the_export_holds_exactly_the_filtered_rows(ui_client, mixed_log):
    client = ui_client(OLIVIA)
    response = client.get(f"{EXPORT}?from=2026-03-09&to=2026-03-09")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="audit-log-acme-'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [
        ["Date and Time", "User", "Event", "Application", "Remote Address", "Details"],
        [
            "2026-03-09T23:59:59.999Z",
            "Max Member (max.member@acme.example)",
            "SCIM settings change refused",
            "Organization Settings",
            "127.0.0.1",
            "",
        ],
        ["2026-03-09T10:00:00.000Z", "SCIM API", "User provisioned", "SCIM API", "127.0.0.1", ""],
    ]


def test_the_export_is_audited_with_its_filter(ui_client, ui_storage, mixed_log):
    ui_client(OLIVIA).get(f"{EXPORT}?application=SCIM+API")
    newest = ui_storage.audit_entries(ACME)[0]
    assert newest["event"] == "Audit log exported"
    assert newest["actor"] == "Olivia Owner (olivia.owner@acme.example)"
    assert newest["details"] == "1 entries; application=SCIM API"


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\tTabbed",
        "\r=Carriage",
    ],
)
def test_the_export_keeps_formulas_as_text(ui_client, ui_storage, hostile):
    record(ui_storage, "User provisioned", actor=hostile, details=f'say "{hostile}", twice')
    body = ui_client(OLIVIA).get(EXPORT).get_data(as_text=True)
    [_header, row] = list(csv.reader(io.StringIO(body, newline="")))
    assert row[1] == "'" + hostile  # a leading quote: spreadsheets show it as text
    assert row[5] == f'say "{hostile}", twice'  # quotes and commas survive the round trip
    assert body.splitlines()[1].startswith('"2026-03-10T12:00:00.000Z","\'')  # every field quoted


@pytest.mark.parametrize(
    "email", ["max.member@acme.example", "paula.viewer@acme.example", "bob.owner@basic.example"]
)
def test_only_settings_roles_of_the_organization_see_or_export_it(ui_client, mixed_log, email):
    client = ui_client(email)
    expected = 404 if email.startswith("bob") else 403  # another tenant's log stays invisible
    assert client.get(LOG).status_code == expected
    assert client.get(LOG, json=True).status_code == expected
    export = client.get(EXPORT)
    assert export.status_code == expected
    assert "SCIM token generated" not in export.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(ui_client):
    response = ui_client(None).get(EXPORT)
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=")


@pytest.mark.parametrize("email", ["adam.admin@acme.example", "sara.security@acme.example"])
def test_admins_and_security_managers_export_too(ui_client, mixed_log, email):
    assert ui_client(email).get(EXPORT).status_code == 200
