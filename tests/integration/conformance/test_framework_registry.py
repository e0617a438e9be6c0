"""The verdict semantics of the check context and the runner's capability gate, on a server."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.context import CheckContext
from conformance.report.model import Report
from tests.unit.conformance.temporary import temporary_check


@pytest.mark.parametrize(
    ("level", "verdict", "expected"),
    [
        ("MUST", "fail", "fail"),
        ("SHOULD", "fail", "warn"),
        ("MAY", "fail", "info"),
        ("MUST", "warn", "warn"),
        ("MAY", "warn", "info"),
        ("MUST", "info", "info"),
        ("MUST", "skip", "skip"),
        ("MUST", "error", "error"),
        ("MUST", "crash", "error"),
        ("MUST", "return", "pass"),
    ],
)
def test_verdicts_map_to_statuses(
    level: str,
    verdict: str,
    expected: str,
    run_checks: Callable[..., Report],
    faulty_server: Callable[..., str],
) -> None:
    """fail is 'fail' only at MUST level, 'warn' at SHOULD, 'info' at MAY; exceptions are
    'error'; returning is 'pass'."""

    def verdict_check(ctx: CheckContext) -> None:
        if verdict == "crash":
            raise RuntimeError("boom")
        if verdict != "return":
            getattr(ctx, verdict)(f"{verdict} said so")

    with temporary_check("tmp.verdict", verdict_check, level=level):
        report = run_checks(["tmp.verdict"], faulty_server(set()))
    result = report.result("tmp.verdict")
    assert result.status == expected
    if verdict == "crash":
        assert result.message == "RuntimeError: boom"


def test_require_skips_an_unadvertised_capability_the_server_declines(
    run_checks: Callable[..., Report], faulty_server: Callable[..., str]
) -> None:
    """SPC says bulk unsupported and /Bulk answers 501 -> skip, not fail."""

    def needs_bulk(ctx: CheckContext) -> None:
        ctx.run.spc = {**ctx.spc, "bulk": {"supported": False}}
        ctx.require("bulk")
        ctx.fail("require() should have ended the check")

    with temporary_check("tmp.require", needs_bulk, needs="bulk"):
        report = run_checks(["tmp.require"], faulty_server({"bulk-unadvertised-501"}))
    result = report.result("tmp.require")
    assert result.status == "skip", result.message
    assert "answered 501" in result.message


def test_doing_more_than_advertised_is_no_finding(
    run_checks: Callable[..., Report], faulty_server: Callable[..., str]
) -> None:
    """SPC says patch unsupported but PATCH works -> the check goes on and passes."""

    def needs_patch(ctx: CheckContext) -> None:
        ctx.run.spc = {**ctx.spc, "patch": {"supported": False}}
        ctx.require("patch")

    with temporary_check("tmp.require-patch", needs_patch, needs="patch", mutating=True):
        report = run_checks(["tmp.require-patch"], faulty_server(set()))
    result = report.result("tmp.require-patch")
    assert result.status == "pass", result.message
