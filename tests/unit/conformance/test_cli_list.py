"""scim-conformance list: what check would run, IdP profile checks marked, bad tags exit 2."""

from __future__ import annotations

import pytest

from conformance.cli import main
from conformance.registry import all_checks


def listed(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str], str]:
    """(exit status, check lines, stderr) of a list command."""
    status = main(["list", *arguments])
    captured = capsys.readouterr()
    return status, captured.out.splitlines()[:-1], captured.err


def test_plain_list_shows_every_check_with_profile_checks_marked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every registered check is listed once; each profile check names the option it needs."""
    status, lines, _ = listed(capsys)
    assert status == 0
    assert [line.split()[0] for line in lines] == [spec.id for spec in all_checks()]
    for spec in all_checks():
        line = next(line for line in lines if line.split()[0] == spec.id)
        assert line.endswith(f"[--profile {spec.profile}]") == bool(spec.profile), line


def test_profile_option_narrows_the_profile_checks(capsys: pytest.CaptureFixture[str]) -> None:
    """--profile okta lists the RFC checks and only Okta's profile checks."""
    status, lines, _ = listed(capsys, "--profile", "okta")
    profiles = {line.split()[0].split(".")[1] for line in lines if "[--profile" in line}
    assert status == 0 and profiles == {"okta"}


@pytest.mark.parametrize("tags", ["nonexistent", "users,nonexistent"])
def test_a_tag_matching_no_check_exits_2_as_check_does(
    tags: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """list and check refuse the same --tags with the same one-line message."""
    status, lines, err = listed(capsys, "--tags", tags)
    assert status == 2 and lines == []
    assert err.strip() == (
        "scim-conformance: no check matches --tags nonexistent; "
        "see scim-conformance list for the ids and tags"
    )
    assert main(["check", "http://127.0.0.1:9/scim", "--tags", tags, "--token", "t"]) == 2
    assert capsys.readouterr().err == err
