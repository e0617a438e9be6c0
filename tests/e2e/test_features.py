"""Binds every feature under ``features/`` (pyproject's bdd_features_base_dir), once.

Step definitions live in ``steps/`` and are loaded by the root conftest's ``pytest_plugins``.
"""

from pytest_bdd import scenarios

scenarios(".")
