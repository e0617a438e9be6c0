"""The one place that checks who acts: every step whose text names its subject as ``{who}``.

A step such as ``{who} enables SCIM 2.0 for "{organization}"`` names the person signed in
(``actor``) by first name or pronoun. Rather than each step checking that, this pytest-bdd hook
checks every step that has a ``who`` parameter before it runs.
"""

from __future__ import annotations

from typing import Any

import pytest

from steps.people import names_the_actor


def pytest_bdd_before_step_call(
    request: pytest.FixtureRequest,
    feature: Any,
    scenario: Any,
    step: Any,
    step_func: Any,
    step_func_args: dict[str, Any],
) -> None:
    """Fail loudly when a step names someone other than the person signed in."""
    who = step_func_args.get("who")
    if who is None:
        return
    actor = request.getfixturevalue("actor")
    if not names_the_actor(who, actor):
        raise AssertionError(f"the step names {who}, but {actor.first_name} is signed in")
