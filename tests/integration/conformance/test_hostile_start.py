"""Clear failure to start (issue 7 item 7): one sentence saying what BASE_URL answered, exit 2.

Replay: on main an HTML answer ended with "Expecting value: line 1 column 1 (char 0)" and a
redirect or JSON that is not SCIM started a run of errors. Reports are still written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conformance.hostile import hostile_server
from tests.integration.conformance.hostile_run import (
    assert_nothing_leaked,
    assert_reports_parse,
    assert_stayed_in_base_path,
    run_cli,
)

SENTENCES = {
    "html-everywhere": "an HTML login page",
    "redirect-everywhere": "a redirect (302) to http://127.0.0.1:",
    "json-everywhere": "JSON object that is not SCIM",
}


@pytest.mark.parametrize("mode", sorted(SENTENCES))
def test_a_base_url_that_is_not_scim_ends_in_one_sentence(mode: str, tmp_path: Path) -> None:
    """Exit 2, one line on stderr naming what was found and what to check, reports written."""
    with hostile_server(mode) as server:
        outcome = run_cli(server, tmp_path)
        assert_stayed_in_base_path(server)
    assert outcome.status == 2
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    assert SENTENCES[mode] in lines[0]
    assert "check" in lines[0] or "use the URL" in lines[0]
    assert_reports_parse(outcome)
    assert outcome.report()["results"] == []
    assert_nothing_leaked(outcome, server.token)


def test_square_brackets_in_a_start_failure_are_printed(tmp_path: Path) -> None:
    """The console escapes rich markup: '[scim-login]' in a Location header stays visible."""
    with hostile_server("redirect-everywhere") as server:
        outcome = run_cli(server, tmp_path)
    assert "?from=[scim-login]" in outcome.stderr
