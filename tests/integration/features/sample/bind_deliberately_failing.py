"""Binds the deliberately failing feature. Not named test_*: only the report tests run it."""

from pathlib import Path

from pytest_bdd import scenarios

scenarios(str(Path(__file__).with_name("deliberately-failing.feature")))
