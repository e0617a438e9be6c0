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
from steps.people import organization_uid, owner_of, person_named, unique_suffix
from steps.scim_client import IdentityProvider, scim_body, user_resource
from steps.sessions import Sessions

UI_APPLICATION = "Organization Settings"
WINDOW_WIDTH = 1280
FILTER_COLUMNS = {"event": "Event", "application": "Application", "user": "User"}


@when(parsers.parse('{who} opens the audit log of "{organization}"'))
def open_audit_log(page: Page, base_url: str, who: str, organization: str) -> None:
    """Go All Stacks → ORGANIZATION → Settings → Audit Log."""
    navigation.audit_log(page, base_url, organization)


@then(parsers.parse('the newest audit log entries are these events by "{user}":'))
def audit_log_shows(page: Page, user: str, datatable: list[list[str]]) -> None:
    """The table's newest rows are exactly these, newest first, each by the user from an address.

    Older rows may exist (the deployment's history); only the newest ones belong to the scenario.
    """
    log = AuditLogPage(page).expect_loaded()
    header, *rows = datatable
    expect(log.rows.nth(len(rows) - 1)).to_be_visible()
    for index, row in enumerate(rows):
        expect(log.cell(index, "User")).to_contain_text(user)
        expect(log.cell(index, "Remote Address")).to_have_text(re.compile(r"\S"))
        for column, value in zip(header, row, strict=True):
            expect(log.cell(index, column)).to_have_text(value)


@then(parsers.parse('the audit log of "{organization}" records "{event}" by "{first_name}"'))
def audit_log_records(sessions: Sessions, organization: str, event: str, first_name: str) -> None:
    """The organization's Owner finds the event, attributed to that person, in the audit log."""
    who = person_named(first_name, organization)
    entries = sessions.client(owner_of(organization)).audit_entries(organization_uid(organization))
    matching = [e for e in entries if e["event"] == event]
    assert matching, f"no {event!r} in the audit log: {[e['event'] for e in entries][:20]}"
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


def _times(log: AuditLogPage) -> list[str]:
    return log.rows.locator("time").evaluate_all("nodes => nodes.map(n => n.dateTime)")


def _create_person(
    identity_provider: IdentityProvider,
    people_created: list[tuple[IdentityProvider, str]],
    user_name: str,
    given_name: str,
) -> None:
    """POST /Users as an identity provider's sync does; the scenario deletes the person again."""
    email = f"{given_name.lower()}-{unique_suffix()}@acme.example"
    body = user_resource(user_name, given_name, f"Audit-{unique_suffix()}", email)
    created = scim_body(identity_provider.call("POST", "/Users", json=body), 201, "POST /Users")
    people_created.append((identity_provider, created["id"]))


@given(
    parsers.parse('the identity provider has provisioned {count:d} people into "{organization}"')
)
def provisioned_many(
    identity_provider: IdentityProvider,
    people_created: list[tuple[IdentityProvider, str]],
    count: int,
    organization: str,
) -> None:
    """POST /Users once per person, as an identity provider's first sync does."""
    batch = unique_suffix()
    for number in range(1, count + 1):
        _create_person(
            identity_provider, people_created, f"p{number:03d}-{batch}@acme.example", "Person"
        )


@given(
    "the identity provider has provisioned a person whose user name is a spreadsheet formula",
    target_fixture="formula_user_name",
)
def provisioned_formula_name(
    identity_provider: IdentityProvider, people_created: list[tuple[IdentityProvider, str]]
) -> str:
    """POST /Users with a user name a spreadsheet would run, quotes and comma included."""
    user_name = f'=HYPERLINK("https://evil.example/{unique_suffix()}","Open")'
    _create_person(identity_provider, people_created, user_name, "Formula")
    return user_name


@when(
    parsers.parse(
        '{who} looks up the identity provider\'s entries in the audit log of "{organization}"'
    )
)
def look_up_identity_provider(
    page: Page,
    base_url: str,
    who: str,
    organization: str,
    identity_provider: IdentityProvider,
) -> None:
    """Open the audit log filtered by the user the identity provider's requests appear as (its
    bookmarked address: the filter form itself is what the filtering scenarios show)."""
    navigation.audit_log(page, base_url, organization, user=identity_provider.client_label)


@when(parsers.parse('{who} filters the audit log by the {column} "{value}"'))
def filter_log(page: Page, who: str, column: str, value: str) -> None:
    """Choose the event or application, or type part of a user's name, and apply."""
    if column not in FILTER_COLUMNS:
        raise LookupError(f"the audit log filters by {', '.join(FILTER_COLUMNS)}, not {column}")
    _shown_log(page).filter_by(**{column: value})


@when(parsers.parse("{who} limits the audit log to the days from {since} to {until}"))
def limit_days(page: Page, who: str, since: str, until: str) -> None:
    """Pick the From and To dates and apply (the other filters stay)."""
    _shown_log(page).filter_by(since=_day(since), until=_day(until))


@when(parsers.parse("{who} turns to the older entries"))
def older_entries(page: Page, who: str) -> None:
    """Follow the pager to the next page of older entries."""
    _shown_log(page).turn_to_older_entries()


@when(parsers.parse("{who} exports the audit log"), target_fixture="exported_rows")
def export_log(page: Page, who: str) -> list[dict[str, str]]:
    """Press Export CSV and read the downloaded file."""
    return _shown_log(page).export()


@when(
    parsers.parse('{who} goes straight to the audit log export address of "{organization}"'),
    target_fixture="last_response",
)
def go_straight_to_export(page: Page, base_url: str, who: str, organization: str) -> Response:
    """Type the CSV export's address instead of using the Export CSV button."""
    return navigation.go_straight_to(
        page, navigation.audit_log_export_address(base_url, organization)
    )


@then(parsers.parse("the audit log shows entries {first:d} to {last:d} of {total:d}, newest first"))
def shows_page_of_entries(page: Page, first: int, last: int, total: int) -> None:
    """The summary counts the page, the table holds it, and every row is older than the last."""
    log = _shown_log(page)
    expect(log.summary).to_contain_text(f"Showing {first} to {last} of {total} entries")
    expect(log.rows).to_have_count(last - first + 1)
    times = _times(log)
    assert times == sorted(times, reverse=True), f"not newest first: {times}"


@then(parsers.parse('every entry the audit log shows has the {column} "{value}"'))
def shows_only(page: Page, column: str, value: str) -> None:
    """At least one row, and each has that event or application, or is by that user."""
    log = _shown_log(page)
    expect(log.rows.first).to_be_visible()
    shown = log.column(FILTER_COLUMNS[column])
    assert all(value in cell if column == "user" else cell == value for cell in shown), shown


@then(parsers.parse("the audit log shows {count:d} entries of the identity provider"))
def shows_identity_provider_entries(
    page: Page, count: int, identity_provider: IdentityProvider
) -> None:
    """Exactly this many rows, all by the identity provider; none says that nothing matches."""
    log = _shown_log(page)
    if count == 0:
        expect(log.summary).to_have_text("No entries match these filters.")
        expect(log.table).to_have_count(0)
        expect(log.export_link).to_have_count(0)
        return
    expect(log.rows).to_have_count(count)
    assert set(log.column("User")) == {identity_provider.client_label}, log.column("User")


@then("the exported file holds exactly the entries shown, in the same order")
def export_matches_page(page: Page, exported_rows: list[dict[str, str]]) -> None:
    """Same times, users, events, applications and details, row for row, as the table."""
    log = _shown_log(page)
    assert exported_rows, "the export is empty"
    for column in ("User", "Event", "Application", "Details"):
        assert [row[column] for row in exported_rows] == log.column(column), column
    assert [row["Date and Time"] for row in exported_rows] == _times(log)


@then("the exported entry about that person keeps the formula as text")
def exported_as_text(exported_rows: list[dict[str, str]], formula_user_name: str) -> None:
    """The cell starting with the user name gets a leading apostrophe (OWASP's advice)."""
    cells = [row["Details"] for row in exported_rows if formula_user_name in row["Details"]]
    assert cells, f"no exported entry mentions {formula_user_name!r}: {exported_rows}"
    assert all(cell.startswith("'" + formula_user_name) for cell in cells), cells


@then("the audit log fits the window without scrolling sideways")
def fits_window(page: Page, request: pytest.FixtureRequest) -> None:
    """At the suite's 1280 px wide window nothing overflows; a screenshot of the window (the
    table's columns as a person first sees them) is kept to look at."""
    log = _shown_log(page)
    assert page.viewport_size and page.viewport_size["width"] == WINDOW_WIDTH, page.viewport_size
    assert log.fits_window(), "the audit log is wider than a 1280 px window"
    shots = Path(request.config.getoption("output", default=None) or "reports/artifacts")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "audit-log-1280.png")
