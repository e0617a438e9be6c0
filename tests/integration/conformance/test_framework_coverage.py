"""Every registered check is shown able to fail, and quiet where nothing is wrong.

Each test_checks_*.py module names, in its CHECK_FAULTS table, the fault of
tests/integration/conformance/faulty/ each of its checks must detect, and in an optional
CLEAN_EXPECTED table what a check reports on the clean scim2-server when that is not "pass".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from conformance.registry import all_checks
from conformance.report.model import Result
from tests.integration.conformance.faulty import FAULTS


def _check_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"tests.integration.conformance.{path.stem}")
        for path in sorted(Path(__file__).parent.glob("test_checks_*.py"))
    ]


def collected_check_faults() -> dict[str, tuple[str, str]]:
    """check id -> (fault, test module) from every test_checks_*.py's CHECK_FAULTS table."""
    found: dict[str, tuple[str, str]] = {}
    for module in _check_modules():
        for check_id, fault in getattr(module, "CHECK_FAULTS", {}).items():
            assert check_id not in found, f"{check_id} is in two CHECK_FAULTS tables"
            found[check_id] = (fault, module.__name__)
    return found


def clean_expectations() -> dict[str, str]:
    """check id -> what it reports on the clean scim2-server ("pass" unless a table says)."""
    expected = dict.fromkeys(collected_check_faults(), "pass")
    for module in _check_modules():
        expected.update(getattr(module, "CLEAN_EXPECTED", {}))
    return expected


def fails_elsewhere() -> dict[str, str]:
    """check id -> "module::test" from FAILS_ELSEWHERE tables: checks the fault middleware
    cannot reach (TLS), each shown failing by a named test of its own module."""
    found = {}
    for module in _check_modules():
        for check_id, test_name in getattr(module, "FAILS_ELSEWHERE", {}).items():
            assert callable(getattr(module, test_name, None)), f"{module.__name__}: no {test_name}"
            found[check_id] = f"{module.__name__}::{test_name}"
    return found


def test_every_registered_check_has_a_fault_test() -> None:
    """No check ships without a test showing it can fail."""
    covered = {**collected_check_faults(), **fails_elsewhere()}
    missing = [spec.id for spec in all_checks() if spec.id not in covered]
    assert not missing, f"checks without a fault test (add them to a CHECK_FAULTS): {missing}"


def test_fault_tables_name_real_checks_and_faults() -> None:
    """Every table entry names a registered check and a fault that exists."""
    registered = {spec.id for spec in all_checks()}
    for check_id, (fault, module) in collected_check_faults().items():
        assert check_id in registered, f"{module}: {check_id} is not a registered check"
        assert fault in FAULTS, f"{module}: {check_id} names unknown fault {fault!r}"


@pytest.mark.parametrize(
    ("check_id", "fault"),
    sorted((check_id, fault) for check_id, (fault, _module) in collected_check_faults().items()),
)
def test_check_detects_its_fault(
    check_id: str, fault: str, faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """With the fault switched on, the check reports fail (MUST), warn (SHOULD) or info (MAY)."""
    result = run_check(check_id, faulty_server({fault}))
    expected = {"MUST": "fail", "SHOULD": "warn", "MAY": "info"}[result.level]
    assert result.status == expected, (result.status, result.message)
    assert result.message


@pytest.mark.parametrize(("check_id", "expected"), sorted(clean_expectations().items()))
def test_check_is_quiet_on_the_clean_server(
    check_id: str,
    expected: str,
    faulty_server: Callable[..., str],
    run_check: Callable[..., Result],
) -> None:
    """scim2-server with no fault on: the check passes (or reports what its table says)."""
    result = run_check(check_id, faulty_server())
    assert result.status == expected, (result.status, result.message)
