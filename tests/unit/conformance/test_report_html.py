"""The HTML report a vendor reads: verdict and index first, filters, small transcripts."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from rich.console import Console

from conformance.report import html as html_report
from conformance.report.console import print_report
from conformance.report.model import CUT_SHORT, NOT_RUN, Report, Result, Status
from conformance.report.transcripts import pack


class Page(HTMLParser):
    """The parts of a report page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str]] = {}
        self.links: list[str] = []
        self.inputs: list[dict[str, str]] = []
        self.labels = 0
        self.buttons: list[dict[str, str]] = []
        self.order: list[str] = []  # ids in document order
        self._script: str | None = None
        self.scripts: dict[str, str] = {}
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids[values["id"]] = {"tag": tag, **values}
            self.order.append(values["id"])
        if tag == "a" and values.get("href", "").startswith("#"):
            self.links.append(values["href"][1:])
        if tag == "input":
            self.inputs.append(values)
        if tag == "label":
            self.labels += 1
        if tag == "button":
            self.buttons.append(values)
        if tag == "script":
            self._script = values.get("id", "inline")
            self.scripts[self._script] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts[self._script] += data


def exchange(size: int, marker: str = "x") -> dict:
    """A recorded GET whose response body is a list of `size` resources."""
    resources = [{"id": f"{marker}-{i}", "userName": f"{marker}-user-{i}" * 5} for i in range(size)]
    return {
        "request": {
            "method": "GET",
            "url": "http://127.0.0.1:1/scim/v2/Users?filter=userName+eq+%22<b>%22",
            "headers": {"Accept": "application/scim+json", "Authorization": "Bearer [REDACTED]"},
            "body": None,
        },
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/scim+json", "Date": marker},
            "body": {"schemas": ["urn:x"], "totalResults": size, "Resources": resources},
        },
    }


def result(check_id: str, status: Status, rfc: str = "RFC 7644 §3.3", **extra: object) -> Result:
    """A result with a few large exchanges, unique to the check."""
    return Result(
        id=check_id,
        title=f"title of {check_id}",
        rfc=rfc,
        level=extra.pop("level", "MUST"),
        status=status,
        message=extra.pop("message", f"message of {check_id} </script><b>"),
        exchanges=[exchange(40, f"{check_id}-{n}") for n in range(4)],
        requirement="The server MUST do it. " * 10,
        **extra,
    )


def many_failures(count: int = 180) -> Report:
    """A run of `count` checks, most failing, every one with big transcripts."""
    statuses = [Status.FAIL, Status.FAIL, Status.WARN, Status.ERROR, Status.PASS, Status.INFO]
    results = [
        result(
            f"area{n % 7}.check{n:03}",
            statuses[n % len(statuses)],
            rfc=f"RFC 7644 §3.{n % 5 + 1}",
            level="SHOULD" if statuses[n % len(statuses)] == Status.WARN else "MUST",
        )
        for n in range(count)
    ]
    results.append(result("root.create", Status.FAIL))
    results += [
        result(f"root.dependent{n}", Status.SKIP, blocked_by="root.create") for n in range(3)
    ]
    return Report(
        tool="scim-conformance",
        version="1",
        target="http://127.0.0.1:1/scim/v2",
        started="2026-11-30T00:00:00+00:00",
        duration_s=1.0,
        results=sorted(results, key=lambda r: r.id),
        requests=800,
    )


def test_a_failing_run_of_every_check_stays_under_500_kb() -> None:
    """180 checks with 4 large exchanges each: the page fits, failures keep their transcripts."""
    report = many_failures()
    page_text = html_report.render(report)
    assert len(page_text.encode()) < 500_000
    raw = sum(len(json.dumps(r.exchanges)) for r in report.results)
    assert raw > 5_000_000  # what the page would carry unpacked
    packed = json.loads(Page(page_text).scripts["transcripts"])
    kept = set(packed["checks"])
    failing = {r.id for r in report.results if r.status == Status.FAIL}
    passing = {r.id for r in report.results if r.status == Status.PASS}
    assert failing <= kept  # failures are the last transcripts to be left out
    assert passing & set(packed["omitted"])
    assert "left out to keep this page small" in page_text


def test_the_page_opens_with_the_verdict_counts_and_both_indexes() -> None:
    """Verdict, counts table, findings by RFC section and by root cause come before any check."""
    report = many_failures(30)
    page = Page(html_report.render(report))
    verdict = page.order.index("verdict")
    first_check = page.order.index(report.results[0].id)
    assert verdict < page.order.index("by-section") < page.order.index("by-root-cause")
    assert page.order.index("by-root-cause") < first_check
    assert html_report.verdict(report) == ("fail", "Not conformant: 11 MUST requirements failed.")
    for finding in report.results:
        if finding.status in (Status.FAIL, Status.ERROR, Status.WARN):
            assert finding.id in page.links, f"{finding.id} is not in the index"
    assert page.links.count("root.create") >= 2  # in its section and as a root cause
    assert "root.dependent0" in page.links


def test_filters_are_labelled_checkboxes_and_buttons_for_status_and_level() -> None:
    """Every status and level has a labelled checkbox; the checks carry what the filter reads."""
    report = many_failures(12)
    page = Page(html_report.render(report))
    assert page.ids["filters"]["tag"] == "form" and "hidden" in page.ids["filters"]
    boxes = {(i["name"], i["value"]) for i in page.inputs if i.get("type") == "checkbox"}
    assert {("status", s.value) for s in Status} <= boxes
    assert {("level", level) for level in ("MUST", "SHOULD", "MAY")} <= boxes
    assert page.labels >= len(boxes)
    assert {b.get("data-show") for b in page.buttons} == {"findings", "all"}
    assert all(b.get("type") == "button" for b in page.buttons)
    for item in report.results:
        check = page.ids[item.id]
        assert (check["data-status"], check["data-level"]) == (item.status, item.level)
    assert "role" in page.ids["shown"] and page.ids["shown"]["aria-live"] == "polite"


def test_transcripts_are_packed_json_rendered_only_when_opened() -> None:
    """Transcripts sit in one JSON script (no markup can break out) and in no <pre> up front."""
    report = many_failures(6)
    text = html_report.render(report)
    page = Page(text)
    assert "<pre" not in text  # nothing is rendered before a transcript is opened
    packed = json.loads(page.scripts["transcripts"])
    assert "</script>" not in page.scripts["transcripts"]
    row = packed["checks"][report.results[0].id][0]
    assert row[0] == "GET" and row[4] == 200
    assert packed["strings"][row[2][1]] == "Authorization: Bearer [REDACTED]"
    body = packed["strings"][row[6]]
    assert body.endswith('"... 37 more (see --json)"]}')  # long lists keep 3 resources
    assert "src=" not in text and "<link" not in text  # nothing loads from the network


def test_identical_header_lines_are_stored_once() -> None:
    """A run repeats the same headers: each distinct line is one string in the table."""
    packed = pack(many_failures(6))
    assert packed["strings"].count("Accept: application/scim+json") == 1


def interrupted(results: list[Result], ended: str) -> Report:
    """The report of a run an interruption ended (``ended``: why)."""
    return Report(
        tool="t",
        version="1",
        target="http://h/scim",
        started="now",
        duration_s=1.0,
        results=results,
        interrupted=True,
        safety={"ended": ended},
    )


def test_an_interrupted_run_says_so_in_one_line_and_not_in_the_index() -> None:
    """Checks an interruption kept from running are counted once, not listed as findings."""
    results = [result("a.done", Status.FAIL)]
    results += [result(f"b.queued{n}", Status.ERROR, message=NOT_RUN) for n in range(40)]
    results += [result("c.cut", Status.ERROR, message=CUT_SHORT)]
    report = interrupted(results, "interrupted by SIGINT")
    text = html_report.render(report)
    page = Page(text)
    assert "INTERRUPTED: 40 of 42 checks not run, 1 cut short (interrupted by SIGINT)" in text
    assert "b.queued0" not in page.links and "c.cut" not in page.links
    assert "a.done" in page.links
    assert html_report.verdict(report)[0] == "incomplete"


def test_console_and_html_print_the_same_interruption_line() -> None:
    """One function words the interruption; both reporters print exactly its line."""
    results = [result("a.done", Status.PASS), result("b.queued", Status.ERROR, message=NOT_RUN)]
    report = interrupted(results, "interrupted by SIGTERM")
    line = report.interruption_line()
    assert line == (
        "INTERRUPTED: 1 of 2 checks not run, 0 cut short (interrupted by SIGTERM); "
        "the report is partial"
    )
    console = Console(record=True, width=200)
    print_report(report, console)
    assert line in console.export_text().splitlines()
    assert f'<p class="note">{line}</p>' in html_report.render(report)
