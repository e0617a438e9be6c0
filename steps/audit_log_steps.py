"""Steps that read, filter, page through and export the organization's audit log, in the
browser or behind the scenes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect
from pytest_bdd import given, parsers, then, when

from steps.pages import navigation
from steps.pages.audit_log_page import AuditLogPage
from steps.people import Person, check_actor, organization_uid, owner_of, person_named
from steps.provisioning_steps import USER_SCHEMA, IdentityProvider, provision
from steps.settings_api import SettingsApi

UI_APPLICATION = "Organization Settings"
WINDOW_WIDTH = 1280


@when(parsers.parse('{who} opens the audit log of "{organization}"'))
def open_audit_log(page: Page, base_url: str, actor: Person, who: str, organization: str) -> None:
    """Go All Stacks → ORGANIZATION → Settings → Audit Log."""
    check_actor(actor, who)
    navigation.audit_log(page, base_url, organization)


@then(parsers.parse('the audit log shows these events by "{user}", newest first:'))
def audit_log_shows(page: Page, user: str, datatable: list[list[str]]) -> None:
    """The table holds exactly these rows, newest first, each by the user from an address."""
    log = AuditLogPage(page).expect_loaded()
    header, *rows = datatable
    expect(log.rows).to_have_count(len(rows))
    for index, row in enumerate(rows):
        expect(log.cell(index, "User")).to_contain_text(user)
        expect(log.cell(index, "Remote Address")).to_have_text(re.compile(r"\S"))
        for column, value in zip(header, row, strict=True):
            expect(log.cell(index, column)).to_have_text(value)


@then(parsers.parse('the audit log of "{organization}" records "{event}" by "{first_name}"'))
def audit_log_records(base_url: str, organization: str, event: str, first_name: str) -> None:
    """The organization's Owner finds the event, attributed to that person, in the audit log."""
    who = person_named(first_name, organization)
    api = SettingsApi(base_url).sign_in(owner_of(organization))
    entries = api.audit_entries(organization_uid(organization))
    matching = [e for e in entries if e["event"] == event]
    assert matching, f"no {event!r} in the audit log: {[e['event'] for e in entries]}"
    assert matching[0]["user"].startswith(who.full_name), matching[0]
    assert matching[0]["application"] == UI_APPLICATION, matching[0]


def _day(word: str) -> str:
    """'today' or 'yesterday' as the audit log's date filter takes it (UTC, as stored)."""
    today = datetime.now(UTC).date()
    days = {"today": today, "yesterday": today - timedelta(days=1)}
    if word not in days:
        raise LookupError(f"say today or yesterday, not {word!r}")
    return days[word].isoformat()


def _shown_log(page: Page) -> AuditLogPage:
    return AuditLogPage(page).expect_loaded()


@given(
    parsers.parse('the identity provider has provisioned {count:d} people into "{organization}"')
)
def provisioned_many(identity_provider: IdentityProvider, count: int, organization: str) -> None:
    """POST /Users once per person, as an identity provider's first sync does."""
    for number in range(1, count + 1):
        name, email = f"Person {number:03d}", f"person{number:03d}@acme.example"
        provision(identity_provider, name, email)


@given(
    parsers.parse('the identity provider has provisioned a person whose user name is "{user_name}"')
)
def provisioned_odd_name(identity_provider: IdentityProvider, user_name: str) -> None:
    """POST /Users with this user name and an ordinary work e-mail."""
    body = {
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "name": {"givenName": "Odd", "familyName": "Name"},
        "emails": [{"value": "odd.name@acme.example", "type": "work", "primary": True}],
    }
    response = identity_provider.call("POST", "/Users", json=body)
    assert response.status_code == 201, f"POST /Users: {response.status_code} {response.text}"


@when(parsers.parse('{who} filters the audit log by the {column} "{value}"'))
def filter_log(page: Page, actor: Person, who: str, column: str, value: str) -> None:
    """Choose the event or application, or type part of a user's name, and apply."""
    check_actor(actor, who)
    if column not in {"event", "application", "user"}:
        raise LookupError(f"the audit log filters by event, application or user, not {column}")
    _shown_log(page).filter_by(**{column: value})


@when(parsers.parse("{who} limits the audit log to the days from {since} to {until}"))
def limit_days(page: Page, actor: Person, who: str, since: str, until: str) -> None:
    """Pick the From and To dates and apply."""
    check_actor(actor, who)
    _shown_log(page).filter_by(since=_day(since), until=_day(until))


@when(parsers.parse("{who} turns to the older entries"))
def older_entries(page: Page, actor: Person, who: str) -> None:
    """Follow the pager to the next page of older entries."""
    check_actor(actor, who)
    _shown_log(page).turn_to_older_entries()


@when(parsers.parse("{who} exports the audit log"), target_fixture="exported_rows")
def export_log(page: Page, actor: Person, who: str) -> list[dict[str, str]]:
    """Press Export CSV and read the downloaded file."""
    check_actor(actor, who)
    return _shown_log(page).export()


@when(
    parsers.parse('{who} goes straight to the audit log export address of "{organization}"'),
    target_fixture="last_response",
)
def go_straight_to_export(
    page: Page, base_url: str, actor: Person, who: str, organization: str
) -> Response:
    """Type the CSV export's address instead of using the Export CSV button."""
    check_actor(actor, who)
    return navigation.go_straight_to(
        page, navigation.audit_log_export_address(base_url, organization)
    )


@then(parsers.parse("the audit log shows entries {first:d} to {last:d} of {total:d}, newest first"))
def shows_page_of_entries(page: Page, first: int, last: int, total: int) -> None:
    """The summary counts the page, the table holds it, and every row is older than the last."""
    log = _shown_log(page)
    expect(log.summary).to_contain_text(f"Showing {first} to {last} of {total} entries")
    expect(log.rows).to_have_count(last - first + 1)
    times = log.rows.locator("time").evaluate_all("nodes => nodes.map(n => n.dateTime)")
    assert times == sorted(times, reverse=True), f"not newest first: {times}"


@then(parsers.parse('the audit log shows {count:d} entries, each with the {column} "{value}"'))
def shows_only(page: Page, count: int, column: str, value: str) -> None:
    """Exactly this many rows, all with that value in the column."""
    log = _shown_log(page)
    expect(log.rows).to_have_count(count)
    heading = {"event": "Event", "application": "Application"}[column]
    assert set(log.column(heading)) == {value}, log.column(heading)


@then(parsers.parse('the audit log shows {count:d} entries, each by a user named "{name}"'))
def shows_only_user(page: Page, count: int, name: str) -> None:
    """Exactly this many rows, each by a user whose name contains the typed text."""
    log = _shown_log(page)
    expect(log.rows).to_have_count(count)
    assert all(name in user for user in log.column("User")), log.column("User")


@then("the audit log says that no entry matches the filters")
def nothing_matches(page: Page) -> None:
    """An empty result says so, with no table and nothing to export."""
    log = _shown_log(page)
    expect(log.summary).to_have_text("No entries match these filters.")
    expect(log.table).to_have_count(0)
    expect(log.export_link).to_have_count(0)


@then("the exported file holds exactly the entries shown, in the same order")
def export_matches_page(page: Page, exported_rows: list[dict[str, str]]) -> None:
    """Same events, applications, users and details, row for row, as the table."""
    log = _shown_log(page)
    assert exported_rows, "the export is empty"
    for column in ("User", "Event", "Application", "Details"):
        assert [row[column] for row in exported_rows] == log.column(column), column
    assert [row["Date and Time"] for row in exported_rows] == log.rows.locator("time").evaluate_all(
        "nodes => nodes.map(n => n.dateTime)"
    )


@then(parsers.parse('the exported entry about "{user_name}" is kept as text, not a formula'))
def exported_as_text(exported_rows: list[dict[str, str]], user_name: str) -> None:
    """The cell that starts with the user name gets a leading apostrophe (OWASP advice)."""
    cells = [row["Details"] for row in exported_rows if user_name in row["Details"]]
    assert cells, f"no exported entry mentions {user_name!r}: {exported_rows}"
    assert all(cell.startswith("'" + user_name) for cell in cells), cells


@then("the audit log fits the window without scrolling sideways")
def fits_window(page: Page, request: pytest.FixtureRequest) -> None:
    """At the suite's 1280 px wide window nothing overflows; a screenshot is kept to look at."""
    log = _shown_log(page)
    assert page.viewport_size and page.viewport_size["width"] == WINDOW_WIDTH, page.viewport_size
    assert log.fits_window(), "the audit log is wider than a 1280 px window"
    shots = Path(request.config.getoption("output", default=None) or "reports/artifacts")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "audit-log-1280.png", full_page=True)
