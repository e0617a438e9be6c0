"""Results and reports without a server: statuses, root causes, baseline marks, round trips."""

from __future__ import annotations

from pathlib import Path

from conformance.baseline import load as load_baseline
from conformance.report.model import STATUSES, Report, Result, Status


def _report(*results: Result) -> Report:
    return Report("scim-conformance", "0", "http://127.0.0.1/scim", "now", 0.0, list(results))


def _result(check_id: str, status: str, **extra: object) -> Result:
    return Result(id=check_id, title="t", rfc="RFC 7644 §3", level="MUST", status=status, **extra)


def test_status_is_an_enum_that_reads_as_its_word() -> None:
    """Statuses compare equal to their JSON words, and info sits between warn and skip."""
    assert _result("a.b", "info").status is Status.INFO
    assert Status.FAIL == "fail"
    assert [str(s) for s in STATUSES] == ["pass", "fail", "warn", "info", "skip", "error"]


def test_blocked_checks_are_grouped_under_their_root_cause() -> None:
    """root_causes maps each blocking check to the checks it blocked, and survives JSON."""
    report = _report(
        _result("groups.create.members", "fail"),
        _result("patch.replace.members", "skip", blocked_by="groups.create.members"),
        _result("bulk.bulk-id-reference", "skip", blocked_by="groups.create.members"),
        _result("users.create.status", "pass"),
    )
    expected = {"groups.create.members": ["bulk.bulk-id-reference", "patch.replace.members"]}
    assert report.root_causes() == expected
    again = Report.from_dict(report.to_dict())
    assert again.root_causes() == expected
    assert again.to_dict()["root_causes"] == expected


def test_a_baseline_marks_findings_and_names_stale_waivers(tmp_path: Path) -> None:
    """Waived and new findings are marked; passes are not; unmatched waivers are stale."""
    report = _report(
        _result("users.create.status", "fail"),
        _result("users.create.meta", "warn"),
        _result("users.read.by-id", "pass"),
    )
    waivers = tmp_path / "waivers.txt"
    waivers.write_text("users.create.meta  # known\nquery.sort.*\n")
    baseline = load_baseline(waivers)
    baseline.apply(report)
    assert [r.baseline for r in report.results] == ["new", "waived", None]
    assert report.stale_waivers == ["query.sort.*"]
    assert [r.id for r in baseline.new_failures(report.failures(strict=True))] == [
        "users.create.status"
    ]
