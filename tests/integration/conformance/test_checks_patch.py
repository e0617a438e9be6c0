"""Each PATCH check detects its fault, passes on scim2-server and skips when PATCH is declined."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.report.model import Report, Result

# check id -> the fault (tests/integration/conformance/faulty/) that check must detect.
CHECK_FAULTS: dict[str, str] = {
    "patch.add.emails-appends": "patch-add-replaces",
    "patch.add.existing-member": "patch-add-existing-member-409",
    "patch.add.members-appends": "patch-add-replaces",
    "patch.add.pathless": "patch-add-replaces",
    "patch.add.single-valued": "ignore-patch",
    "patch.atomic": "patch-not-atomic",
    "patch.op-case-insensitive": "case-sensitive-patch-ops",
    "patch.path.extension": "patch-extension-ignored",
    "patch.path.urn-qualified": "patch-urn-path-rejected",
    "patch.pathless.dotted-keys": "reject-dotted-pathless",
    "patch.pathless.extension-key": "patch-extension-ignored",
    "patch.read-only": "patch-errors-swallowed",
    "patch.remove.all-members": "ignore-patch",
    "patch.remove.no-path": "patch-errors-swallowed",
    "patch.remove.required": "patch-errors-swallowed",
    "patch.remove.single-valued": "ignore-patch",
    "patch.remove.value-filter": "patch-remove-filter-removes-all",
    "patch.replace.active": "ignore-patch",
    "patch.replace.complex-merge": "patch-sub-attribute-clears-parent",
    "patch.replace.members": "patch-replace-appends",
    "patch.replace.pathless": "patch-pathless-ignored",
    "patch.replace.sub-attribute": "patch-sub-attribute-clears-parent",
    "patch.replace.value-filter": "patch-value-filter-ignored",
    "patch.replace.value-filter-no-match": "patch-errors-swallowed",
    "patch.response": "patch-200-without-body",
    "patch.response-attributes": "patch-always-204",
}


@pytest.mark.parametrize("check_id", ["patch.replace.active", "patch.atomic"])
def test_check_skips_when_patch_is_declined(
    check_id: str, faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """PATCH not advertised and answered 501: the checks skip instead of failing."""
    result = run_check(check_id, faulty_server({"patch-unadvertised-501"}))
    assert result.status == "skip", result.message


@pytest.mark.parametrize(
    "check_id",
    [
        "patch.replace.pathless",
        "patch.add.single-valued",
        "patch.response",
        "patch.path.urn-qualified",
    ],
)
def test_checks_use_a_declared_attribute(
    check_id: str, faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """A server without the optional displayName is judged on another free-text attribute."""
    result = run_check(check_id, faulty_server({"no-display-name"}))
    assert result.status == "pass", result.message


def test_an_operation_the_server_does_not_implement_is_one_root_cause(
    faulty_server: Callable[..., str], run_checks: Callable[..., Report]
) -> None:
    """PATCH advertised but "add" answers 501: patch.add.single-valued fails, the other add
    checks are blocked by it instead of failing with the same 501."""
    dependents = ["patch.add.emails-appends", "patch.add.members-appends", "patch.add.pathless"]
    report = run_checks(
        ["patch.add.single-valued", *dependents], faulty_server({"patch-add-not-implemented"})
    )
    assert report.result("patch.add.single-valued").status == "fail"
    for check_id in dependents:
        result = report.result(check_id)
        assert (result.status, result.blocked_by) == ("skip", "patch.add.single-valued"), (
            check_id,
            result.message,
        )


def test_a_value_path_the_server_does_not_implement_is_a_skip(
    faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """501 to a valuePath replace: noTarget cannot be expected from it, the check skips."""
    result = run_check(
        "patch.replace.value-filter-no-match", faulty_server({"patch-value-path-not-implemented"})
    )
    assert result.status == "skip", result.message
    assert "not implemented" in result.message
