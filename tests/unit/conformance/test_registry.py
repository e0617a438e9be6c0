"""The check registry without a server: declarations, descriptions, RFC sentences, needs."""

from __future__ import annotations

import pytest

from conformance.registry import REGISTRY, all_checks, check, validate_preconditions
from conformance.requirements import DESCRIPTIVE, levels_allowed
from tests.unit.conformance.temporary import temporary_check


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


def test_preconditions_name_registered_checks_without_cycles() -> None:
    """A check needing an unknown id, or two checks needing each other, is refused."""
    validate_preconditions(all_checks())
    ghost = temporary_check("tmp.needs-ghost", lambda ctx: None, needs="tmp.ghost")
    with ghost as spec, pytest.raises(ValueError, match=r"needs unknown check 'tmp\.ghost'"):
        validate_preconditions([spec])
    with (
        temporary_check("tmp.first", lambda ctx: None, needs="tmp.second") as first,
        temporary_check("tmp.second", lambda ctx: None, needs="tmp.first") as second,
        pytest.raises(ValueError, match="precondition cycle"),
    ):
        validate_preconditions([first, second])
    assert "tmp.first" not in REGISTRY


def test_a_needs_entry_is_a_capability_or_a_check_id() -> None:
    """Capabilities and precondition check ids are told apart by the closed capability list."""
    needs = ("patch", "groups.create.members")
    with temporary_check("tmp.both", lambda ctx: None, needs=needs) as spec:
        assert spec.capabilities == ("patch",)
        assert spec.preconditions == ("groups.create.members",)
