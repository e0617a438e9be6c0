"""The accuracy corpus's comparison (verdicts + triage -> score) and the checked-in triage file."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import accuracy  # noqa: E402  (a script in benchmarks/, not a package)

KEYWORD = {"MUST": r"\b(MUST|SHALL|REQUIRED)\b", "SHOULD": r"\b(SHOULD|RECOMMENDED)\b"}


def verdict(check: str, status: str, correct: bool, level: str = "MUST") -> dict:
    """A triage entry as the TOML file spells it."""
    entry = {"check": check, "status": status, "correct": correct, "rfc": "RFC 7644 §3"}
    entry |= {"level": level, "sentence": "…", "why": f"why {check}"}
    return entry


def result(check: str, status: str, message: str = "") -> dict:
    """One result of a run, as benchmarks/accuracy.py reads it from the JSON report."""
    return {"id": check, "status": status, "message": message}


def test_each_flagged_verdict_is_true_false_or_untriaged() -> None:
    triage = {"verdict": [verdict("a.real", "fail", True), verdict("a.wrong", "warn", False)]}
    results = [
        result("a.real", "fail"),
        result("a.wrong", "warn"),
        result("a.new", "warn", "first line\nsecond"),
        result("a.fine", "pass"),
    ]
    score = accuracy.compare("srv", results, triage)
    assert score.true_positives == ["a.real"]
    assert score.false_positives == [{"check": "a.wrong", "status": "warn", "why": "why a.wrong"}]
    assert score.untriaged == [{"check": "a.new", "status": "warn", "message": "first line"}]
    assert score.counts == {"pass": 1, "fail": 1, "warn": 2, "info": 0, "skip": 0, "error": 0}


def test_a_verdict_that_changed_status_needs_a_new_triage() -> None:
    triage = {"verdict": [verdict("a.check", "fail", False)]}
    score = accuracy.compare("srv", [result("a.check", "warn")], triage)
    assert score.false_positives == []
    assert [u["check"] for u in score.untriaged] == ["a.check"]


def test_an_entry_with_a_message_fits_only_verdicts_that_say_it() -> None:
    cascade = verdict("errors.not-found.body", "fail", False) | {"message": "/v2/a/b/scim/v2/"}
    real = verdict("errors.not-found.body", "fail", True) | {"message": "JSON string"}
    triage = {"verdict": [cascade, real]}
    doubled = result("errors.not-found.body", "fail", "GET /a/b/scim/v2/a/b/scim/v2/Users/x: 404")
    number = result("errors.not-found.body", "fail", '"status" must be a JSON string, got 404')
    assert accuracy.compare("srv", [doubled], triage).false_positives[0]["why"] == (
        "why errors.not-found.body"
    )
    assert accuracy.compare("srv", [number], triage).true_positives == ["errors.not-found.body"]
    other = accuracy.compare("srv", [result("errors.not-found.body", "fail", "HTML")], triage)
    assert [u["check"] for u in other.untriaged] == ["errors.not-found.body"]


def test_a_fail_for_a_should_sentence_is_a_false_positive() -> None:
    triage = {"verdict": [verdict("a.should", "fail", True, level="SHOULD")]}
    score = accuracy.compare("srv", [result("a.should", "fail")], triage)
    assert score.true_positives == []
    assert "SHOULD" in score.false_positives[0]["why"]


def test_known_violations_are_caught_only_by_credible_verdicts() -> None:
    triage = {
        "verdict": [verdict("x.true", "fail", True), verdict("etag.header", "warn", False)],
        "violation": [
            {"what": "ignores If-Match", "checks": ["etag.*"]},
            {"what": "bulk twice", "checks": ["bulk.forward-reference*"]},
        ],
    }
    results = [
        result("x.true", "pass"),  # was a real violation, now missed
        result("etag.header", "warn"),  # flagged, but triaged false: catches nothing
        result("bulk.forward-reference.count", "fail"),
    ]
    score = accuracy.compare("srv", results, triage)
    assert score.caught == ["bulk twice"]
    assert {m["what"]: m["checks"] for m in score.missed} == {
        "x.true": {"x.true": "pass"},
        "ignores If-Match": {"etag.header": "warn"},
    }
    assert score.known == 3


def test_a_violation_may_be_caught_by_another_check_or_at_info() -> None:
    real = verdict("q.multi", "fail", True) | {"also": ["q.multi-absent"]}
    interop = {"what": "absolute endpoints", "checks": ["d.rel*"], "statuses": ["warn", "info"]}
    triage = {"verdict": [real], "violation": [interop]}
    results = [result("q.multi", "skip"), result("q.multi-absent", "fail")]
    results.append(result("d.relative", "info"))
    assert accuracy.compare("srv", results, triage).caught == ["q.multi", "absolute endpoints"]
    results[-1] = result("d.relative", "pass")
    assert accuracy.compare("srv", results, triage).caught == ["q.multi"]


def test_errors_are_listed_with_their_message() -> None:
    score = accuracy.compare("srv", [result("w.x", "error", "safety: refusing POST")], {})
    assert score.errors == [{"check": "w.x", "message": "safety: refusing POST"}]
    assert "| srv | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0/0 |" in accuracy.table([score])


TRIAGE = tomllib.loads(accuracy.TRIAGE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("server", sorted(TRIAGE))
def test_the_checked_in_triage_is_complete_and_quotes_its_level(server: str) -> None:
    assert server in accuracy.CORPUS_SERVERS
    seen = set()
    for entry in TRIAGE[server].get("verdict", []):
        key = (entry["check"], entry["status"], entry.get("message", ""))
        assert key not in seen, f"{server}: {key} triaged twice"
        seen.add(key)
        assert entry["status"] in ("fail", "warn")
        assert entry["rfc"].startswith("RFC ") and entry["sentence"] and entry["why"]
        if entry["correct"]:
            level = entry["level"]
            assert level in ("MUST", "SHOULD", "NORMATIVE")
            if level in KEYWORD:
                assert re.search(KEYWORD[level], entry["sentence"]), (server, key)
    for violation in TRIAGE[server].get("violation", []):
        assert violation["what"] and violation["checks"] and violation["sentence"]
