"""The check registry and the verdict semantics of the check context."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from conformance.context import CheckContext
from conformance.registry import REGISTRY, CheckSpec, all_checks, check
from conformance.report.model import Report
from conformance.requirements import DESCRIPTIVE, levels_allowed


@contextmanager
def temporary_check(
    check_id: str, func: Callable[[CheckContext], None], **kw: object
) -> Iterator[CheckSpec]:
    """Register a check for one test only (the meta-test must not see it)."""
    options = {"title": "temporary", "rfc": "RFC 7644 §3", "level": "MUST", **kw}
    check(check_id, **options)(func)
    try:
        yield REGISTRY[check_id]
    finally:
        REGISTRY.pop(check_id, None)


def test_duplicate_ids_are_refused() -> None:
    """Registering an id twice raises ValueError and keeps the first registration."""
    with temporary_check("tmp.duplicate", lambda ctx: None) as spec:
        with pytest.raises(ValueError, match=r"duplicate check id 'tmp\.duplicate'"):
            check("tmp.duplicate", title="again", rfc="RFC 7644 §3", level="MUST")(lambda ctx: None)
        assert REGISTRY["tmp.duplicate"] is spec


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"level": "MUSTNT"}, "level must be one of"),
        ({"level": "MUST", "needs": "teleport"}, "unknown capability"),
    ],
)
def test_invalid_declarations_are_refused(options: dict, message: str) -> None:
    """Levels and capabilities come from closed lists."""
    with pytest.raises(ValueError, match=message):
        check("tmp.invalid", title="t", rfc="RFC 7644 §3", **options)(lambda ctx: None)
    assert "tmp.invalid" not in REGISTRY


def test_every_check_is_fully_described() -> None:
    """Stable dotted id, title, RFC section, rule (docstring or table), area tag; sorted."""
    specs = all_checks()
    assert [s.id for s in specs] == sorted(s.id for s in specs)
    assert len(specs) >= 100
    for spec in specs:
        assert spec.title and (spec.doc or spec.func.__doc__), spec.id
        assert "RFC" in spec.rfc or spec.profile, spec.id
        assert spec.area in spec.tags, spec.id
        assert spec.level in ("MUST", "SHOULD", "MAY"), spec.id


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


def test_every_check_quotes_the_sentence_its_level_rests_on() -> None:
    """fail needs MUST/SHALL/REQUIRED, warn needs SHOULD/RECOMMENDED (RFC 2119), quoted."""
    wrong = []
    for spec in all_checks():
        assert spec.requirement, f"{spec.id}: add its RFC sentence to conformance/requirements.py"
        if spec.id in DESCRIPTIVE:
            continue
        if spec.level not in levels_allowed(spec.requirement):
            wrong.append(f"{spec.id} is {spec.level} but quotes: {spec.requirement}")
    assert not wrong, "\n".join(wrong)
