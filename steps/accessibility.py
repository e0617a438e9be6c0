"""Every page a scenario shows passes axe-core (through ``axe-playwright-python``).

After each step that drives the browser (a step given the ``page``), the page on screen is
judged (dialogs open, tokens shown: the state the person sees). The pages change only when a
step acts on them, so a step that only calls an API leaves nothing new to judge. Each distinct
page state is scanned once per run: a page whose markup has the same shape as one that already
passed (the same elements, roles, states and styling; other text, other rows, other ids or
tokens: see ``markup_key``) is not scanned again, so the run scans the twenty-odd states the
suite shows, not every step. Pages a step only passed through on its way (All Stacks on the way
to Settings) are scanned too, in a second tab of the same browser session, the first time the
run passes them; a page passed through at the address the step ends on (the SCIM tab before
Enable is confirmed) is judged in the state the step leaves it, its other states where another
scenario ends a step on them.

Rules: axe's WCAG 2.0/2.1/2.2 A and AA rules and its best practices; any violation, whatever
its impact, fails the step (the README says why). ``--no-accessibility-scan`` turns it off.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
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
MARKUP = "[document.contentType, document.documentElement.outerHTML]"
_VOID = "area base br col embed hr img input link meta source track wbr"
VOID_ELEMENTS = frozenset(_VOID.split())
REPEATS_SCANNED = 2  # siblings of one shape judged in full; the rest are left out of a scan
# Attributes whose values change what axe judges (states, roles, styling, language) ...
_JUDGED = (
    "role type class style hidden disabled open checked selected readonly required multiple "
    "tabindex lang scope rel method aria-expanded aria-hidden aria-modal aria-current aria-live "
    "aria-invalid aria-required aria-checked aria-selected aria-disabled"
)
JUDGED_VALUES = frozenset(_JUDGED.split())
# ... and those that name or link an element, which count as empty or not (an empty alt, label
# or href is judged; which words they hold is not). Any other attribute counts by its name.
_NAMING = "alt title aria-label aria-labelledby aria-describedby href for id label summary"
NAMING_ATTRIBUTES = frozenset(_NAMING.split())
_AXE = Axe()
_STATE = pytest.StashKey["ScanState"]()
_RUN = pytest.StashKey["RunScans"]()


@dataclass
class RunScans:
    """What the whole run has judged: markup keys that passed, addresses already checked."""

    passed_keys: set[str] = field(default_factory=set)
    checked_urls: set[str] = field(default_factory=set)


@dataclass
class ScanState:
    """What one scenario's browser has shown, and what of it was scanned."""

    page: Page | None = None
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


def scan(page: Page, leave_out: list[str] | tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now, leaving out the elements the CSS selectors in
    ``leave_out`` match; return the violations that fail the suite."""
    if page.evaluate("typeof window.axe === 'undefined'"):  # inject once per document
        page.evaluate(_AXE.axe_script)
    context = {"exclude": [[selector] for selector in leave_out]} if leave_out else None
    results = page.evaluate(
        "([context, options]) => axe.run(context ?? document, options)", [context, AXE_OPTIONS]
    )
    return [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]


def _attribute_shape(name: str, value: str | None) -> str:
    if name in JUDGED_VALUES:
        return f"{name}={value}"
    if name in NAMING_ATTRIBUTES:
        return f"{name}=*" if value and value.strip() else f"{name}="
    return name


@dataclass
class _Open:
    """An element being parsed: its shape, and what its children have shown so far."""

    tag: str
    shape: str  # parent>tag[attributes], without the text mark
    path: str  # a CSS selector for exactly this element (nth-child steps from <html>)
    text: str = ""  # "T" once it holds text
    children: int = 0
    child_kinds: list[str] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)  # subtree kind -> siblings so far


class _Shapes(HTMLParser):
    """The element shapes of a document (parent, tag, attributes, whether it has text), and
    the siblings that only repeat what two earlier siblings already show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shapes: set[str] = set()
        self.repeats: list[str] = []
        self._open: list[_Open] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self._open[-1] if self._open else None
        described = ",".join(sorted(_attribute_shape(name, value) for name, value in attrs))
        shape = f"{parent.tag if parent else ''}>{tag}[{described}]"
        if parent is None:
            path = tag
        else:
            parent.children += 1
            path = f"{parent.path} > {tag}:nth-child({parent.children})"
        self._open.append(_Open(tag, shape, path))
        if tag in VOID_ELEMENTS:
            self._close_open(tag)

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self._open[-1].text = "T"

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS:
            self._close_open(tag)

    def close(self) -> None:
        super().close()
        self._close_open(None)

    def _close_open(self, tag: str | None) -> None:
        """Record the open elements up to ``tag`` (all of them when None) as closed."""
        while self._open:
            element = self._open.pop()
            self.shapes.add(element.shape + element.text)
            kind = f"{element.shape}{element.text}({','.join(element.child_kinds)})"
            if self._open:
                parent = self._open[-1]
                parent.child_kinds.append(hashlib.sha256(kind.encode()).hexdigest()[:16])
                earlier = parent.seen.get(kind, 0)
                parent.seen[kind] = earlier + 1
                if earlier >= REPEATS_SCANNED:
                    self.repeats.append(element.path)
            if element.tag == tag:
                return


@functools.lru_cache(maxsize=16)  # a step that changed nothing shows the markup just read
def _parsed(html: str) -> _Shapes:
    parser = _Shapes()
    parser.feed(html)
    parser.close()
    return parser


def markup_key(html: str) -> str:
    """A digest of what axe judges in the page's markup: the set of its element shapes.

    Text and most attribute values are left out (see ``JUDGED_VALUES``), and a shape repeated
    (fifty audit rows, ten users) counts once, so the same page showing other data shares a
    scan while a dialog opened, a token revealed or a field disabled does not.
    """
    return _key(_parsed(html))


def _key(parsed: _Shapes) -> str:
    return hashlib.sha256("\n".join(sorted(parsed.shapes)).encode()).hexdigest()


def repeated_siblings(html: str) -> list[str]:
    """CSS selectors of the elements that repeat, whole subtree and all, what two earlier
    siblings already show (the third to fiftieth row of the same shape): the scan leaves them
    out, by the reasoning of ``markup_key``. Two of each are judged, for odd/even styling."""
    return _parsed(html).repeats


def _check(page: Page, run: RunScans) -> None:
    if page.url.startswith(SKIPPED_URLS):
        return
    content_type, html = page.evaluate(MARKUP)
    run.checked_urls.add(page.url)
    if content_type != "text/html":
        return  # a CSV or JSON the browser shows in its own viewer: none of our markup
    parsed = _parsed(html)
    key = _key(parsed)
    if key in run.passed_keys:
        return
    violations = scan(page, parsed.repeats)
    if violations:
        pytest.fail(violations_report(page.url, violations), pytrace=False)
    run.passed_keys.add(key)


def _check_passed_through(page: Page, state: ScanState, run: RunScans) -> None:
    """Scan, in a second tab with the same cookies, documents the step only passed through
    that no step of the run has checked yet."""
    pending = [url for url in dict.fromkeys(state.passed_through) if url not in run.checked_urls]
    state.passed_through.clear()
    for url in pending:
        if url.startswith(SKIPPED_URLS):
            continue
        side = page.context.new_page()
        try:
            response = side.goto(url)
            if response is not None and response.status == 405:
                continue  # a page a POST rendered (a form shown again): the step's end covers it
            _check(side, run)
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


def _drove_the_page(step_func_args: dict[str, Any]) -> bool:
    """Whether the step was given a browser page (steps reach the browser only through one)."""
    return any(isinstance(value, Page) for value in step_func_args.values())


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


@pytest.hookimpl(tryfirst=True)  # before the report records the step as passed
def pytest_bdd_after_step(
    request: pytest.FixtureRequest,
    feature: Any,
    scenario: Any,
    step: Any,
    step_func: Any,
    step_func_args: dict[str, Any],
) -> None:
    """Scan the page the step left on screen, then any page it passed through.

    A violation fails the step: it is reported through ``pytest_bdd_step_error`` as a step's
    own failure is, so the scenario reports name the step and the violations.
    """
    state = _state(request)
    if state is None or state.page is None or state.page.is_closed():
        return
    if not _drove_the_page(step_func_args) and not state.passed_through:
        return  # the page changes only when a step acts on it (no script of its own does)
    run = request.config.stash.setdefault(_RUN, RunScans())
    try:
        try:
            _check(state.page, run)
        except PlaywrightError as exc:  # the page moved on mid-scan: say so rather than hide it
            raise AssertionError(
                f"could not scan {state.page.url} for accessibility: {exc}"
            ) from exc
        _check_passed_through(state.page, state, run)
    except (Exception, pytest.fail.Exception) as failure:
        request.config.hook.pytest_bdd_step_error(
            request=request,
            feature=feature,
            scenario=scenario,
            step=step,
            step_func=step_func,
            step_func_args=step_func_args,
            exception=failure,
        )
        raise
