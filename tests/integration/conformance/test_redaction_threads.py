"""The redactor stays whole while another thread teaches it new secrets (OAuth renewals)."""

from __future__ import annotations

import secrets
import threading

from conformance.redaction import REDACTED, Redactor


def test_redaction_while_secrets_are_added_from_another_thread() -> None:
    """Every redaction succeeds and hides the known secret while 300 new ones arrive."""
    known = secrets.token_urlsafe(24)
    redactor = Redactor([known])
    text = f"Authorization: Bearer {known} and more words around it " * 4
    done = threading.Event()

    def learn() -> None:
        for _ in range(300):
            redactor.add(secrets.token_urlsafe(24))
        done.set()

    learner = threading.Thread(target=learn)
    learner.start()
    rounds = 0
    while not done.is_set() or rounds < 200:
        redacted = redactor.redact(text)
        assert known not in redacted and REDACTED in redacted
        assert redactor.redact_json({"detail": text})["detail"] == redacted
        rounds += 1
    learner.join(timeout=60)
    assert not learner.is_alive()
