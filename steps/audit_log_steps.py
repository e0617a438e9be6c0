"""Steps that read the organization's audit log, in the browser or behind the scenes."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from pytest_bdd import parsers, then, when

from steps.pages import navigation
from steps.pages.audit_log_page import AuditLogPage
from steps.people import organization_uid, owner_of, person_named
from steps.sessions import Sessions

UI_APPLICATION = "Organization Settings"


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
