"""Every page a scenario shows passes axe-core (through ``axe-playwright-python``).

After each step that drives the browser, the page on screen is scanned (dialogs open, tokens
shown: the state the person sees). Pages the step only passed through on its way (All Stacks on
the way to Settings) are scanned too, in a second tab of the same browser session, so nothing a
person visits goes unchecked. A page whose markup matches one that already passed in this run
(ignoring CSRF tokens, token secrets and digits: times, ports, counts) is not scanned again.
A page passed through at the same address the step ends on (the SCIM tab before Enable is
confirmed) is judged in the state the step leaves it; its other states are scanned where
another scenario ends a step on them.

Rules: axe's WCAG 2.0/2.1/2.2 A and AA rules and its best practices; any violation, whatever
its impact, fails the step (the README says why). ``--no-accessibility-scan`` turns it off.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = frozenset({"minor", "moderate", "serious", "critical"})
OPTION = "--no-accessibility-scan"
SKIPPED_URLS = ("about:blank",)
MARKUP = "document.documentElement.outerHTML"
# What differs between two showings of the same page without changing what axe judges.
VOLATILE = re.compile(
    r'(?<=name="csrf-token" content=")[^"]*|(?<=name="csrf_token" value=")[^"]*'
    r"|scimproof_[A-Za-z0-9_-]+|\d+"
)
_AXE = Axe()
_STATE = pytest.StashKey["ScanState"]()
_PASSED = pytest.StashKey[set[str]]()  # markup keys that passed the scan in this run


@dataclass
class ScanState:
    """What one scenario's browser has shown, and what of it was scanned."""

    page: Page | None = None
    scanned_urls: set[str] = field(default_factory=set)
    passed_through: list[str] = field(default_factory=list)  # documents loaded during a step


def pytest_addoption(parser: pytest.Parser) -> None:
    """Offer a switch to run the features without the accessibility scan."""
    parser.addoption(
        OPTION, action="store_true", help="do not scan each page with axe-core (faster runs)"
    )


def violations_report(url: str, violations: list[dict[str, Any]]) -> str:
    """One readable paragraph per violated rule: id, impact, help, the offending elements."""
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        lines.extend(f"    at {', '.join(map(str, node['target']))}" for node in violation["nodes"])
    return "\n".join(lines)


def scan(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return the violations that fail the suite."""
    if page.evaluate("typeof window.axe === 'undefined'"):  # inject once per document
        page.evaluate(_AXE.axe_script)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]


def markup_key(html: str) -> str:
    """A digest of the page's markup that ignores what changes between identical views."""
    return hashlib.sha256(VOLATILE.sub("", html).encode()).hexdigest()


def _check(page: Page, state: ScanState, passed: set[str]) -> None:
    if page.url.startswith(SKIPPED_URLS):
        return
    key = markup_key(page.evaluate(MARKUP))
    state.scanned_urls.add(page.url)
    if key in passed:
        return
    violations = scan(page)
    if violations:
        pytest.fail(violations_report(page.url, violations), pytrace=False)
    passed.add(key)


def _check_passed_through(page: Page, state: ScanState, passed: set[str]) -> None:
    """Scan, in a second tab with the same cookies, documents the step only passed through."""
    pending = [url for url in dict.fromkeys(state.passed_through) if url not in state.scanned_urls]
    state.passed_through.clear()
    for url in pending:
        if url.startswith(SKIPPED_URLS):
            continue
        side = page.context.new_page()
        try:
            response = side.goto(url)
            if response is not None and response.status == 405:
                continue  # a page a POST rendered (a form shown again): the step's end covers it
            _check(side, state, passed)
        finally:
            side.close()


def _follow(page: Page, state: ScanState) -> None:
    """Remember every document the page loads from now on."""
    if state.page is page:
        return
    state.page = page

    def loaded(frame: Frame) -> None:
        if frame == page.main_frame:
            state.passed_through.append(frame.url)

    page.on("framenavigated", loaded)


def _state(request: pytest.FixtureRequest) -> ScanState | None:
    if request.config.getoption(OPTION):
        return None
    return request.node.stash.setdefault(_STATE, ScanState())


def pytest_bdd_before_step_call(
    request: pytest.FixtureRequest, step_func_args: dict[str, Any], **_: Any
) -> None:
    """Start following the browser page as soon as a step uses it."""
    state = _state(request)
    page = step_func_args.get("page")
    if state is not None and isinstance(page, Page):
        _follow(page, state)


def pytest_bdd_after_step(
    request: pytest.FixtureRequest, step_func_args: dict[str, Any], **_: Any
) -> None:
    """Scan the page the step left on screen, then any page it passed through."""
    state = _state(request)
    if state is None or state.page is None or state.page.is_closed():
        return
    passed = request.config.stash.setdefault(_PASSED, set())
    try:
        _check(state.page, state, passed)
    except PlaywrightError as exc:  # the page moved on mid-scan: say so rather than hide it
        raise AssertionError(f"could not scan {state.page.url} for accessibility: {exc}") from exc
    _check_passed_through(state.page, state, passed)
