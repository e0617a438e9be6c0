"""The HTML report's script in a real Chromium: filters, transcripts on opening, index links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conformance.report import html as html_report
from tests.unit.conformance.test_report_html import many_failures


@pytest.fixture
def report_page(tmp_path: Path, browser: Browser) -> Iterator[Page]:
    """A report of 24 checks (fail, warn, error, pass, info, blocked skips) open in Chromium.

    The run's one browser (pytest-playwright's ``browser``), never a second Playwright: a sync
    Playwright started beside the features' one fails inside their event loop.
    """
    path = tmp_path / "report.html"
    html_report.write(many_failures(24), path)
    page = browser.new_page()
    page.route(
        "**/*",
        lambda route: route.abort() if route.request.url.startswith("http") else route.continue_(),
    )
    page.goto(path.as_uri())
    yield page
    page.close()


def test_filters_hide_and_show_checks_by_status_and_level(report_page: Page) -> None:
    """Passing checks start hidden; each checkbox and button changes what is shown."""
    page = report_page
    expect(page.get_by_role("status")).to_have_text("Showing 21 of 28 checks.")
    expect(page.locator('details.check[data-status="pass"]').first).to_be_hidden()
    page.get_by_role("group", name="Status").get_by_label("fail").uncheck()
    expect(page.locator('details.check[data-status="fail"]').first).to_be_hidden()
    page.get_by_role("group", name="Level").get_by_label("MUST").uncheck()
    expect(page.get_by_role("status")).to_have_text("Showing 4 of 28 checks.")  # the warnings
    page.get_by_role("button", name="Show every check").click()
    expect(page.get_by_role("status")).to_have_text("Showing 28 of 28 checks.")
    page.get_by_role("button", name="Findings only").click()
    expect(page.locator('details.check[data-status="info"]').first).to_be_hidden()


def test_a_transcript_is_rendered_when_opened(report_page: Page) -> None:
    """No transcript text exists until its summary is clicked; then request and response show."""
    page = report_page
    check = page.locator("details.check", has=page.locator("details.transcript")).first
    transcript = check.locator("details.transcript")
    expect(transcript.locator("pre")).to_have_count(0)
    transcript.locator("summary").click()
    expect(transcript.locator("pre")).to_have_count(4)
    first = transcript.locator("pre").first
    expect(first).to_contain_text("> GET http://127.0.0.1:1/scim/v2/Users")
    expect(first).to_contain_text("> Authorization: Bearer [REDACTED]")
    expect(first).to_contain_text('"totalResults": 40')  # pretty-printed on opening


def test_an_index_link_reveals_a_check_the_filters_hid(report_page: Page) -> None:
    """Following the index to a filtered-out check shows and opens it."""
    page = report_page
    page.get_by_role("group", name="Status").get_by_label("warn").uncheck()
    target = page.locator('details.check[data-status="warn"]').first
    expect(target).to_be_hidden()
    check_id = target.get_attribute("id")
    page.get_by_role("region", name="Findings by RFC section").locator(
        f'a[href="#{check_id}"]'
    ).click()
    expect(target).to_be_visible()
    expect(target).to_have_attribute("open", "")
