"""The RFC sentences the checker rests on, read from one file: conformance/coverage/sentences.toml.

It holds every normative sentence of RFC 7643 and RFC 7644 (and the RFC 7232 rules SCIM adopts),
each with an id such as ``rfc7644-3.5.2-4``, plus the few non-normative passages (MAY, OPTIONAL,
plain description) some checks quote, with ids such as ``rfc7644-3.5.2.1-q1``. Each check names
the id of the sentence it quotes (conformance.requirements); its level follows the keyword.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

INVENTORY = Path(__file__).resolve().parent / "coverage" / "sentences.toml"
LEVELS = ("MUST", "SHOULD")
_ID = re.compile(r"^rfc(?P<rfc>\d{4})-(?P<section>\d+(?:\.\d+)*)-(?P<n>\d+)$")
_QUOTE_ID = re.compile(r"^rfc\d{4}-\d+(?:\.\d+)*-q\d+$")


class InventoryError(ValueError):
    """The sentence inventory is malformed (bad id, unknown reason, checks and reason both...)."""


@dataclass(frozen=True)
class Sentence:
    """One normative sentence and how it is covered."""

    id: str
    level: str
    text: str
    checks: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def rfc(self) -> str:
        """The RFC number ('7644')."""
        return _ID.match(self.id)["rfc"]

    @property
    def section(self) -> str:
        """The section number ('3.5.2')."""
        return _ID.match(self.id)["section"]

    @property
    def status(self) -> str:
        """'checked', 'reason' or 'uncovered'."""
        if self.checks:
            return "checked"  # a check quoting a sentence with a reason enforces it anyway
        return "reason" if self.reason else "uncovered"


@dataclass(frozen=True)
class Inventory:
    """Every normative sentence, in RFC order, the reasons they may cite, and other quotes."""

    sentences: tuple[Sentence, ...]
    reasons: dict[str, str]
    quotes: dict[str, str]

    def text(self, sentence_id: str) -> str:
        """The words of a sentence or quote; KeyError names an unknown id."""
        if sentence_id in self.quotes:
            return self.quotes[sentence_id]
        for sentence in self.sentences:
            if sentence.id == sentence_id:
                return sentence.text
        raise KeyError(f"no sentence {sentence_id!r} in {INVENTORY.name}")

    def count(self, status: str | None = None, level: str | None = None) -> int:
        """How many sentences have this status and level (None: any)."""
        return sum(
            1
            for s in self.sentences
            if (status is None or s.status == status) and (level is None or s.level == level)
        )

    def uncovered(self, level: str | None = None) -> list[Sentence]:
        """Sentences with neither a check nor a reason."""
        return [
            s
            for s in self.sentences
            if s.status == "uncovered" and (level is None or s.level == level)
        ]

    def unknown_checks(self, known: Iterable[str]) -> dict[str, list[str]]:
        """Check ids cited by a sentence but absent from the registry: {sentence id: [ids]}."""
        registered = set(known)
        missing = {s.id: [c for c in s.checks if c not in registered] for s in self.sentences}
        return {sentence: ids for sentence, ids in missing.items() if ids}

    def with_checks(self, quoted_by: Mapping[str, Iterable[str]]) -> Inventory:
        """The inventory with each sentence's quoting checks ({sentence id: check ids}) first."""
        sentences = []
        for s in self.sentences:
            quoting = tuple(quoted_by.get(s.id, ()))
            extra = tuple(c for c in s.checks if c not in quoting)
            sentences.append(replace(s, checks=quoting + extra))
        return replace(self, sentences=tuple(sentences))


def load(path: Path = INVENTORY) -> Inventory:
    """Read and validate the inventory; InventoryError names the first problem."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    reasons = data.get("reasons", {})
    sentences = []
    seen: set[str] = set()
    for entry in data.get("sentence", []):
        sentence = _sentence(entry, reasons)
        if sentence.id in seen:
            raise InventoryError(f"{sentence.id}: duplicate id")
        seen.add(sentence.id)
        sentences.append(sentence)
    quotes: dict[str, str] = {}
    for entry in data.get("quote", []):
        quote_id, text = str(entry.get("id", "")), str(entry.get("text", ""))
        if not _QUOTE_ID.match(quote_id) or set(entry) != {"id", "text"} or not text.strip():
            raise InventoryError(f"quote {quote_id!r}: needs an id like rfc7644-3.5-q1 and a text")
        if quote_id in quotes:
            raise InventoryError(f"{quote_id}: duplicate id")
        quotes[quote_id] = text
    return Inventory(tuple(sentences), dict(reasons), quotes)


def _sentence(entry: dict, reasons: dict[str, str]) -> Sentence:
    """One [[sentence]] table as a Sentence, validated."""
    sentence_id = str(entry.get("id", ""))
    if not _ID.match(sentence_id):
        raise InventoryError(f"{sentence_id!r}: id must look like rfc7644-3.5.2-4")
    unknown = set(entry) - {"id", "level", "text", "checks", "reason"}
    if unknown:
        raise InventoryError(f"{sentence_id}: unknown keys {sorted(unknown)}")
    if entry.get("level") not in LEVELS:
        raise InventoryError(f"{sentence_id}: level must be one of {LEVELS}")
    if not str(entry.get("text", "")).strip():
        raise InventoryError(f"{sentence_id}: text is empty")
    checks = tuple(entry.get("checks", ()))
    reason = entry.get("reason")
    if checks and reason:
        raise InventoryError(f"{sentence_id}: give checks or a reason, not both")
    if reason is not None and reason not in reasons:
        raise InventoryError(f"{sentence_id}: reason {reason!r} is not a key of [reasons]")
    return Sentence(sentence_id, entry["level"], entry["text"], checks, reason)
