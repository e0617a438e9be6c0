"""The conformance layers contract of `make lint` catches an upward import inside the checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.stub.test_layer_contracts import (  # one copy-and-lint helper
    add_import,
    lint_imports,
    project_copy,  # noqa: F401 (the fixture)
)


@pytest.mark.parametrize(
    ("module", "statement"),
    [
        # the transport reaching up into the runner
        ("conformance/http.py", "import conformance.runner"),
        # what a check receives reaching up into the checks
        ("conformance/context.py", "import conformance.checks.users"),
        # the runner reaching up into the command line
        ("conformance/runner.py", "import conformance.commands.terminal"),
    ],
)
def test_an_upward_import_in_the_checker_breaks_the_build(
    project_copy: Path,  # noqa: F811
    module: str,
    statement: str,
) -> None:
    add_import(project_copy / module, statement)
    done = lint_imports(project_copy)
    assert done.returncode != 0
    broken = done.stdout[done.stdout.index("Broken contracts") :]
    assert "Conformance layers" in broken, done.stdout
