"""The RFC coverage table: current, citing only registered checks, and a validated inventory."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.coverage import TABLE, InventoryError, load, render
from conformance.coverage.__main__ import main
from conformance.registry import all_checks
from conformance.requirements import QUOTES, REQUIREMENTS

VALID = """
[reasons]
client = "A rule for the client."

[[sentence]]
id = "rfc7644-3.3-1"
level = "MUST"
text = "When the service provider successfully creates the new resource ... 201 (Created)."
checks = ["users.create.status"]
"""


def test_committed_table_is_the_generated_one() -> None:
    """conformance/COVERAGE.md is what `python -m conformance.coverage` writes today."""
    assert TABLE.read_text(encoding="utf-8") == render(load()) + "\n", (
        "conformance/COVERAGE.md is stale: run python -m conformance.coverage"
    )


def test_every_cited_check_is_registered() -> None:
    """A renamed or removed check cannot leave a sentence pointing at nothing."""
    assert load().unknown_checks(spec.id for spec in all_checks()) == {}


def test_counts_add_up_and_uncovered_must_sentences_are_listed() -> None:
    """checked + reason + uncovered = all, and the table names every uncovered MUST sentence."""
    inventory = load()
    statuses = ("checked", "reason", "uncovered")
    assert sum(inventory.count(status) for status in statuses) == inventory.count()
    table = render(inventory)
    for sentence in inventory.uncovered("MUST"):
        assert f"- {sentence.id}: " in table


def test_ids_are_unique_and_in_section_order() -> None:
    """Within a section, sentence numbers run 1, 2, 3... in the order the RFC states them."""
    inventory = load()
    numbers: dict[tuple[str, str], list[int]] = {}
    for sentence in inventory.sentences:
        key = (sentence.rfc, sentence.section)
        numbers.setdefault(key, []).append(int(sentence.id.rsplit("-", 1)[1]))
    for key, found in numbers.items():
        assert found == sorted(found), f"RFC {key[0]} §{key[1]}: ids out of order {found}"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('checks = ["users.create.status"]', 'checks = ["x"]\nreason = "client"'), "not both"),
        (('checks = ["users.create.status"]', 'reason = "unknown"'), "not a key of"),
        (('level = "MUST"', 'level = "MAY"'), "level must be"),
        (('id = "rfc7644-3.3-1"', 'id = "7644 §3.3"'), "id must look like"),
        (("[[sentence]]", '[[sentence]]\nlink = "x"'), "unknown keys"),
    ],
)
def test_malformed_inventories_are_refused(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    """A sentence citing checks and a reason, an unknown reason, level or key is an error."""
    path = tmp_path / "sentences.toml"
    path.write_text(VALID.replace(*change), encoding="utf-8")
    with pytest.raises(InventoryError, match=message):
        load(path)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    """Two sentences cannot share an id."""
    path = tmp_path / "sentences.toml"
    path.write_text(VALID + VALID.split("\n", 4)[-1], encoding="utf-8")
    with pytest.raises(InventoryError, match="duplicate id"):
        load(path)


def test_check_mode_reports_a_current_table(capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m conformance.coverage --check` exits 0 and prints the counts."""
    assert main(["--check"]) == 0
    assert "normative sentences" in capsys.readouterr().out


def test_every_quote_names_a_registered_check_and_a_known_sentence() -> None:
    """QUOTES (check id -> sentence id) is the one link from checks to the RFC words."""
    registered = {spec.id for spec in all_checks()}
    inventory = load()
    assert set(QUOTES) == registered, sorted(set(QUOTES) ^ registered)
    for check_id, sentence_id in QUOTES.items():
        assert REQUIREMENTS[check_id] == inventory.text(sentence_id), check_id
