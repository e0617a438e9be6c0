"""The layer contracts of `make lint` (import-linter) hold today and catch an upward import.

Each test copies the three root packages and pyproject.toml to a temporary directory, edits
the copy, and runs ``lint-imports`` there (a subprocess: its own import path).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("stub_server", "conformance", "steps")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The packages and the import-linter configuration, copied without caches."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on a copy, importing the copy's packages rather than the repo's."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def add_import(module: Path, statement: str) -> None:
    """Append a module-level import to a copied module."""
    module.write_text(module.read_text() + f"\n{statement}  # noqa\n")


def test_the_contracts_hold_on_the_tree(project_copy: Path) -> None:
    done = lint_imports(project_copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "statement", "contract"),
    [
        # storage reaching up into the domain
        ("stub_server/storage/database.py", "import stub_server.domain.users", "Stub layers"),
        # the domain reaching up into the settings UI
        ("stub_server/domain/groups.py", "import stub_server.ui.errors", "Stub layers"),
        # the SCIM service and the settings UI are independent of each other
        ("stub_server/scim_api/bulk.py", "import stub_server.ui.csrf", "Stub layers"),
        # the conformance checker must stay usable without the stub
        ("conformance/report/model.py", "import stub_server.storage", "conformance checker"),
        # steps reaching past the stub's public API
        ("steps/people.py", "import stub_server.domain.resources", "public API"),
    ],
)
def test_an_upward_import_breaks_the_build(
    project_copy: Path, module: str, statement: str, contract: str
) -> None:
    add_import(project_copy / module, statement)
    done = lint_imports(project_copy)
    assert done.returncode != 0
    broken = done.stdout[done.stdout.index("Broken contracts") :]
    assert contract in broken, done.stdout
