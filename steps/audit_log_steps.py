"""Steps that read the organization's audit log, in the browser or behind the scenes."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from pytest_bdd import parsers, then, when

from steps.pages import navigation
from steps.pages.audit_log_page import AuditLogPage
from steps.people import Person, check_actor, organization_uid, owner_of, person_named
from steps.settings_api import SettingsApi

UI_APPLICATION = "Organization Settings"


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
