"""The steps' import contract of `make lint` holds today and catches one step module importing
another, directly or through a base module (see tests/integration/stub/test_layer_contracts.py,
whose copy-and-lint helpers these tests share)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.integration.stub.test_layer_contracts import (
    ROOT,
    add_import,
    lint_imports,
    project_copy,
)

__all__ = ["project_copy"]  # the fixture, used by name below
CONTRACT = "Step modules never import each other"


def test_every_step_module_is_under_the_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = [
        c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "steps-independent"
    ]
    step_modules = {f"steps.{path.stem}" for path in (ROOT / "steps").glob("*_steps.py")}
    assert step_modules <= set(contract["modules"]), step_modules - set(contract["modules"])


@pytest.mark.parametrize(
    ("module", "statement"),
    [
        # one step module using another's helper
        ("steps/group_mapping_steps.py", "import steps.provisioning_steps"),
        # the same, hidden behind a base module both may import
        ("steps/people.py", "import steps.audit_log_steps"),
    ],
)
def test_a_step_module_importing_another_breaks_the_build(
    project_copy: Path, module: str, statement: str
) -> None:
    add_import(project_copy / module, statement)
    done = lint_imports(project_copy)
    assert done.returncode != 0
    broken = done.stdout[done.stdout.index("Broken contracts") :]
    assert CONTRACT in broken, done.stdout
