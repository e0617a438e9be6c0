"""The scim-conformance command: exit statuses, report files, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.registry import all_checks
from tests.integration.conformance.faulty import TOKEN, ServedApp


def test_clean_target_exits_0_and_writes_every_report(
    faulty_server: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No MUST failure -> 0; --json/--junit/--html are written; summary by section printed."""
    base_url = faulty_server(set())
    paths = {kind: tmp_path / f"r.{kind}" for kind in ("json", "junit", "html")}
    status = main(
        [
            "check",
            base_url,
            "--token",
            TOKEN,
            "--tags",
            "users.create,discovery",
            "--json",
            str(paths["json"]),
            "--junit",
            str(paths["junit"]),
            "--html",
            str(paths["html"]),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    assert all(path.stat().st_size > 0 for path in paths.values())
    assert "RFC 7644 §3.3" in out and "Tenant unchanged" in out
    assert TOKEN not in out and TOKEN not in paths["json"].read_text()


def test_must_failure_exits_1(
    faulty_server: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken MUST fails the run and is printed with its id and RFC section."""
    status = main(
        [
            "check",
            faulty_server({"drop-location"}),
            "--token",
            TOKEN,
            "--tags",
            "users.create.location-header",
        ]
    )
    out = capsys.readouterr().out
    assert status == 1
    assert "users.create.location-header (RFC 7644 §3.3)" in out


def test_strict_fails_on_should_warnings(
    faulty_server: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A SHOULD warning passes normally and fails with --strict."""
    args = [
        "check",
        faulty_server({"mangle-create-echo"}),
        "--token",
        TOKEN,
        "--tags",
        "users.create.echoes-input",
    ]
    assert main(args) == 0
    assert main([*args, "--strict"]) == 1


def test_profile_results_are_reported_separately(
    faulty_server: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--profile okta adds an IdP compatibility verdict beside the RFC summary."""
    report_path = tmp_path / "okta.json"
    status = main(
        [
            "check",
            faulty_server({"ignore-active-false"}),
            "--token",
            TOKEN,
            "--profile",
            "okta",
            "--tags",
            "discovery.spc",
            "--json",
            str(report_path),
        ]
    )
    document = json.loads(report_path.read_text())
    assert status == 1
    assert document["compatibility"]["okta"]["compatible"] is False
    assert document["summary"]["fail"] == 0
    assert "profile okta: NOT compatible" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "ftp://host/scim", "--token", "t"], "must start with http://"),
        (
            ["check", "http://127.0.0.1:9/scim", "--token", "t", "--insecure", "--ca-bundle", "/x"],
            "exclude each other",
        ),
        (
            ["check", "http://127.0.0.1:9/scim", "--token", "t", "--max-rps", "0"],
            "--max-rps must be positive",
        ),
        (
            ["check", "http://127.0.0.1:9/scim", "--token", "t", "--tags", "nothing-matches"],
            "no check matches",
        ),
        (
            ["check", "http://127.0.0.1:9/scim", "--token", "t", "--baseline", "/no/such.json"],
            "cannot read baseline",
        ),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input: exit 2 and a single line saying what is wrong."""
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_unreachable_target_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing listening: exit 2 naming the target."""
    assert main(["check", "http://127.0.0.1:9/scim", "--token", "t"]) == 2
    assert "is unreachable" in capsys.readouterr().err


def test_refused_token_exits_2(
    faulty_server: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A token the server refuses cannot be evaluated: exit 2, token not echoed."""
    assert main(["check", faulty_server(set()), "--token", "wrong-token-123"]) == 2
    err = capsys.readouterr().err
    assert "refused the token" in err and "wrong-token-123" not in err


def test_token_from_environment(
    faulty_server: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """SCIM_TOKEN keeps the token out of the process list and shell history."""
    monkeypatch.setenv("SCIM_TOKEN", TOKEN)
    assert main(["check", faulty_server(set()), "--tags", "auth.missing-token"]) == 0


def test_list_shows_ids_levels_and_sections(capsys: pytest.CaptureFixture[str]) -> None:
    """list prints one line per check."""
    assert main(["list", "--tags", "auth"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("auth.missing-token") and "MUST" in line for line in lines)
    tagged = {spec.id for spec in all_checks() if "auth" in spec.tags and not spec.profile}
    assert {line.split()[0] for line in lines} == tagged


def test_console_script_runs(faulty_target: ServedApp) -> None:
    """The installed entry point works as a real process and sets the exit status."""
    faulty_target.middleware.active = ()
    script = Path(sys.executable).with_name("scim-conformance")
    done = subprocess.run(
        [str(script), "check", faulty_target.base_url, "--tags", "discovery.spc.available"],
        env={"SCIM_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 checks" in done.stdout
