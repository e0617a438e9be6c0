"""``scim-stub token``: mint a SCIM bearer token from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stub_server.app import create_app
from stub_server.cli import main
from stub_server.storage import Storage, storage_of
from tests.scim_helpers import ACME


def storage_at(db: Path) -> Storage:
    """Open the CLI's database the way the stub does."""
    return storage_of(create_app({"DATABASE": str(db), "SEED": False}))


def test_enable_and_json_output_give_a_working_token(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    db = tmp_path / "cli.sqlite3"
    assert main(["token", "--db", str(db), "--org", "acme", "--enable", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["org_uid"] == ACME
    assert out["scim_path"] == f"/scim/v2.0/organizations/{ACME}"
    storage = storage_at(db)
    assert storage.org_for_token(out["token"]) == ACME
    assert storage.organization(ACME)["scim_enabled"] == 1
    events = [(e["event"], e["actor"], e["application"]) for e in storage.audit_entries(ACME)]
    assert events[:2] == [
        ("SCIM token generated", "scim-stub CLI", "CLI"),
        ("SCIM enabled", "scim-stub CLI", "CLI"),
    ]
    app = create_app({"DATABASE": str(db), "SEED": False})
    resp = app.test_client().get(
        out["scim_path"] + "/Users", headers={"Authorization": f"Bearer {out['token']}"}
    )
    assert resp.status_code == 200


def test_plain_output_by_uid_and_a_new_token_revokes_the_old(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    db = tmp_path / "cli.sqlite3"
    assert main(["token", "--db", str(db), "--org", "acme", "--enable"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["token", "--db", str(db), "--org", ACME]) == 0  # already on: no --enable
    second = capsys.readouterr().out.strip()
    assert first.startswith("scimproof_") and second != first
    storage = storage_at(db)
    assert storage.org_for_token(first) is None and storage.org_for_token(second) == ACME


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--org", "acme"], "pass --enable"),
        (["--org", "basic-co", "--enable"], "does not include SCIM"),
        (["--org", "nope", "--enable"], "no organization 'nope'"),
    ],
)
def test_refusals_are_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture, argv: list[str], message: str
) -> None:
    code = main(["token", "--db", str(tmp_path / "cli.sqlite3"), *argv])
    captured = capsys.readouterr()
    assert code != 0 and captured.out == ""
    assert message in captured.err and captured.err.count("\n") == 1


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"this is not sqlite" * 100)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "stub_server.cli",
            "token",
            "--db",
            str(bogus),
            "--org",
            "acme",
            "--enable",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.startswith("scim-stub: cannot use the database")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
