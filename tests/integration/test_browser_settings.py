"""Chromium discovery and playwright.config.toml handling."""

from __future__ import annotations

import dataclasses
import json
import stat
from pathlib import Path
from xml.etree import ElementTree

import pytest

from steps import browser, merge_reports
from steps.demo_summary import scenario_results
from steps.playwright_plugin import SettingsError, load_settings, remote_connect_options

pytest_plugins = ["pytester"]


def fake_chromium(tmp_path: Path, version: str = "Chromium 999.0 fake", code: int = 0) -> str:
    """Write a real executable that answers --version like Chromium does."""
    path = tmp_path / "chromium-fake"
    path.write_text(f"#!/bin/sh\necho '{version}'\nexit {code}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def write_config(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "playwright.config.toml"
    config.write_text(text)
    return config


def test_settings_come_from_the_file(tmp_path):
    config = write_config(
        tmp_path,
        "[browser]\nheadless = false\nslow_mo_ms = 250\n"
        "[context]\nviewport = { width = 800, height = 600 }\n"
        '[artifacts]\ntrace = "on"\n[target]\nbase_url = "http://x.test/"\n',
    )
    settings = load_settings(config, environ={})
    assert (settings.headless, settings.slow_mo_ms, settings.viewport) == (False, 250, (800, 600))
    assert (settings.trace, settings.base_url) == ("on", "http://x.test")
    assert settings.sources["headless"] == "playwright.config.toml"


def test_environment_overrides_the_file(tmp_path):
    config = write_config(
        tmp_path, "[browser]\nheadless = false\n[context]\ndefault_timeout_ms = 5000\n"
    )
    env = {
        "SCIMPROOF_HEADLESS": "1",
        "SCIMPROOF_TIMEOUT_MS": "750",
        "SCIMPROOF_VIEWPORT": "1024x768",
        "SCIMPROOF_TRACE": "off",
    }
    settings = load_settings(config, environ=env)
    assert settings.headless is True
    assert settings.default_timeout_ms == 750
    assert settings.viewport == (1024, 768)
    assert settings.trace == "off"
    assert settings.sources["default_timeout_ms"] == "SCIMPROOF_TIMEOUT_MS"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SCIMPROOF_HEADLESS": "maybe"}, "SCIMPROOF_HEADLESS must be true or false"),
        ({"SCIMPROOF_TIMEOUT_MS": "soon"}, "SCIMPROOF_TIMEOUT_MS must be a whole number"),
        ({"SCIMPROOF_VIEWPORT": "wide"}, "SCIMPROOF_VIEWPORT must look like 1280x800"),
        (
            {"SCIMPROOF_TRACE": "always"},
            "SCIMPROOF_TRACE must be one of on, off, retain-on-failure",
        ),
    ],
)
def test_bad_values_are_named(tmp_path, env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(write_config(tmp_path, ""), environ=env)


def test_invalid_toml_is_reported(tmp_path):
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(write_config(tmp_path, "[browser\n"), environ={})


def test_config_file_executable_comes_before_the_environment(tmp_path, monkeypatch):
    from_file = fake_chromium(tmp_path, "Chromium 1.0 from-file")
    config = write_config(tmp_path, f'[browser]\nexecutable_path = "{from_file}"\n')
    monkeypatch.setenv(browser.ENV_VAR, "/nonexistent/chromium")
    found = browser.find_chromium(config)
    assert (found.executable, found.version) == (from_file, "Chromium 1.0 from-file")


def test_environment_executable_is_used_when_the_file_names_none(tmp_path, monkeypatch):
    from_env = fake_chromium(tmp_path, "Chromium 2.0 from-env")
    monkeypatch.setenv(browser.ENV_VAR, from_env)
    found = browser.find_chromium(write_config(tmp_path, ""))
    assert (found.executable, found.source) == (from_env, browser.ENV_VAR)


def test_an_explicit_binary_that_does_not_run_is_an_error_not_a_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv(browser.ENV_VAR, fake_chromium(tmp_path, code=3))
    with pytest.raises(browser.ChromiumNotFound, match="does not run"):
        browser.find_chromium(write_config(tmp_path, ""))
    with pytest.raises(browser.ChromiumNotFound, match="--chromium"):
        browser.find_chromium(write_config(tmp_path, ""), explicit="/nonexistent/chromium")


def test_the_message_without_any_browser_names_both_ways_to_get_one():
    assert "apt-get install -y chromium" in browser.HOW_TO_GET_ONE
    assert "playwright install chromium" in browser.HOW_TO_GET_ONE


def test_launch_flags():
    assert browser.launch_args(is_root=True)[0] == "--no-sandbox"
    assert "--no-sandbox" not in browser.launch_args(is_root=False)
    assert {
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    } <= set(browser.launch_args(is_root=False))


def test_pytest_command_line_beats_environment(pytester, monkeypatch):
    pytester.makeconftest('pytest_plugins = ["steps.playwright_plugin"]')
    pytester.makepyfile(
        "def test_show(browser_settings, pytestconfig):\n"
        "    print('TIMEOUT', browser_settings.default_timeout_ms)\n"
        "    print('TRACING', pytestconfig.getoption('--tracing'))\n"
    )
    monkeypatch.setenv("SCIMPROOF_TIMEOUT_MS", "1234")
    monkeypatch.setenv("SCIMPROOF_TRACE", "on")
    result = pytester.runpytest_subprocess(
        "-s", "--browser-timeout-ms", "99", "-p", "no:cacheprovider"
    )
    result.stdout.fnmatch_lines(["*TIMEOUT 99*", "*TRACING on*"])
    result = pytester.runpytest_subprocess("-s", "--tracing", "off", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*TIMEOUT 1234*", "*TRACING off*"])


def test_a_bad_command_line_value_is_a_usage_error(pytester):
    pytester.makeconftest('pytest_plugins = ["steps.playwright_plugin"]')
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("--viewport", "huge", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--viewport must look like 1280x800*"])


def test_demo_summary_reads_cucumber_json(tmp_path):
    report = tmp_path / "cucumber.json"
    report.write_text(
        json.dumps(
            [
                {
                    "name": "Enable SCIM",
                    "elements": [
                        {
                            "name": "Owner enables",
                            "steps": [
                                {
                                    "keyword": "Given",
                                    "name": "a",
                                    "result": {"status": "passed", "duration": 5e8},
                                },
                                {
                                    "keyword": "Then",
                                    "name": "b",
                                    "result": {"status": "passed", "duration": 5e8},
                                },
                            ],
                        },
                        {
                            "name": "Member refused",
                            "steps": [
                                {
                                    "keyword": "When",
                                    "name": "c",
                                    "result": {"status": "failed", "duration": 1e9},
                                },
                                {"keyword": "Then", "name": "d", "result": {"status": "skipped"}},
                            ],
                        },
                    ],
                }
            ]
        )
    )
    passed, failed = scenario_results(report)
    assert (passed.status, passed.seconds) == ("passed", 1.0)
    assert (failed.status, failed.failed_step) == ("failed", "When c")


def test_a_remote_server_gets_the_launch_options_in_playwrights_own_names():
    settings = load_settings(Path("/nonexistent.toml"), {"SCIMPROOF_WS_ENDPOINT": "ws://h:3000/"})
    assert remote_connect_options(settings)["endpoint"] == "ws://h:3000/"
    chosen = dataclasses.replace(settings, executable_path="/usr/bin/chromium")
    header = remote_connect_options(chosen)["headers"]["x-playwright-launch-options"]
    launch = json.loads(header)
    assert launch["executablePath"] == "/usr/bin/chromium" and launch["headless"] is True
    assert "executable_path" not in launch  # the server would silently ignore snake_case
    assert remote_connect_options(load_settings(Path("/nonexistent.toml"), {})) is None


def test_merging_shards_keeps_every_scenario_once(tmp_path):
    shards = []
    for index, names in enumerate((["a", "b"], ["c"]), start=1):
        shard = tmp_path / f"shard-{index}"
        shard.mkdir()
        cases = "".join(f'<testcase classname="F" name="{n}" time="1"/>' for n in names)
        shard.joinpath("junit.xml").write_text(
            f'<testsuites><testsuite name="pytest" tests="{len(names)}" errors="0" '
            f'failures="0" skipped="0" time="{len(names)}">{cases}</testsuite></testsuites>'
        )
        elements = [{"name": n, "id": n} for n in names]
        shard.joinpath("cucumber.json").write_text(
            json.dumps([{"uri": "f.feature", "name": "F", "elements": elements}])
        )
        shards.append(shard)
    junit, cucumber = merge_reports.merge(tmp_path / "merged", shards)
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert [c.get("name") for c in suite.iter("testcase")] == ["a", "b", "c"]
    assert suite.get("tests") == "3" and suite.get("time") == "3.000"
    (feature,) = json.loads(cucumber.read_text())
    assert [e["name"] for e in feature["elements"]] == ["a", "b", "c"]
