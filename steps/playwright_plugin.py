"""pytest plugin applying ``playwright.config.toml`` to pytest-playwright's fixtures.

Precedence for every setting: pytest command-line option > ``SCIMPROOF_*`` environment
variable > the config file (the Chromium binary follows ``steps.browser``'s documented order).
Only fixtures pytest-playwright invites us to extend are overridden; ``browser`` and ``page``
stay theirs so traces and screenshots on failure keep working.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from steps.browser import CONFIG_FILE, ChromiumNotFound, find_chromium, launch_args

TRACE_CHOICES = ("on", "off", "retain-on-failure")
SCREENSHOT_CHOICES = ("on", "off", "only-on-failure")
VIDEO_CHOICES = ("on", "off", "retain-on-failure")


@dataclass(frozen=True)
class BrowserSettings:
    """Every browser setting the feature suite uses, after all overrides."""

    executable_path: str = ""
    headless: bool = True
    slow_mo_ms: int = 0
    args: tuple[str, ...] = ()
    ws_endpoint: str = ""
    viewport: tuple[int, int] = (1280, 800)
    locale: str = "en-US"
    timezone_id: str = "UTC"
    default_timeout_ms: int = 5000
    navigation_timeout_ms: int = 10000
    output_dir: str = "reports/artifacts"
    trace: str = "retain-on-failure"
    trace_screenshots: bool = False
    screenshot: str = "only-on-failure"
    video: str = "off"
    base_url: str = ""
    sources: dict[str, str] = field(default_factory=dict, compare=False)


class SettingsError(ValueError):
    """A browser setting has a value that cannot be used."""


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {value!r}")


def _int(name: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise SettingsError(f"{name} must not be negative, not {number}")
    return number


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def _viewport(name: str, value: Any) -> tuple[int, int]:
    if isinstance(value, Mapping):
        width, height = value.get("width"), value.get("height")
        return _int(f"{name}.width", width), _int(f"{name}.height", height)
    width, sep, height = str(value).lower().partition("x")
    if not sep:
        raise SettingsError(f"{name} must look like 1280x800, not {value!r}")
    return _int(f"{name} width", width), _int(f"{name} height", height)


# setting → (config section, key, env var, parser)
_FIELDS: dict[str, tuple[str, str, str | None, Any]] = {
    "executable_path": ("browser", "executable_path", None, lambda n, v: str(v)),
    "headless": ("browser", "headless", "SCIMPROOF_HEADLESS", _bool),
    "slow_mo_ms": ("browser", "slow_mo_ms", "SCIMPROOF_SLOW_MO_MS", _int),
    "args": ("browser", "args", None, lambda n, v: tuple(str(a) for a in v)),
    "ws_endpoint": ("browser", "ws_endpoint", "SCIMPROOF_WS_ENDPOINT", lambda n, v: str(v)),
    "viewport": ("context", "viewport", "SCIMPROOF_VIEWPORT", _viewport),
    "locale": ("context", "locale", None, lambda n, v: str(v)),
    "timezone_id": ("context", "timezone_id", None, lambda n, v: str(v)),
    "default_timeout_ms": ("context", "default_timeout_ms", "SCIMPROOF_TIMEOUT_MS", _int),
    "navigation_timeout_ms": (
        "context",
        "navigation_timeout_ms",
        "SCIMPROOF_NAVIGATION_TIMEOUT_MS",
        _int,
    ),
    "output_dir": ("artifacts", "output_dir", "SCIMPROOF_OUTPUT_DIR", lambda n, v: str(v)),
    "trace": ("artifacts", "trace", "SCIMPROOF_TRACE", lambda n, v: _choice(n, v, TRACE_CHOICES)),
    "trace_screenshots": (
        "artifacts",
        "trace_screenshots",
        "SCIMPROOF_TRACE_SCREENSHOTS",
        _bool,
    ),
    "screenshot": (
        "artifacts",
        "screenshot",
        "SCIMPROOF_SCREENSHOT",
        lambda n, v: _choice(n, v, SCREENSHOT_CHOICES),
    ),
    "video": ("artifacts", "video", "SCIMPROOF_VIDEO", lambda n, v: _choice(n, v, VIDEO_CHOICES)),
    "base_url": ("target", "base_url", "SCIMPROOF_BASE_URL", lambda n, v: str(v).rstrip("/")),
}


def load_settings(
    config_file: Path = CONFIG_FILE, environ: Mapping[str, str] | None = None
) -> BrowserSettings:
    """Read the config file, then apply ``SCIMPROOF_*`` environment overrides."""
    environ = os.environ if environ is None else environ
    document: dict[str, Any] = {}
    if config_file.exists():
        try:
            with config_file.open("rb") as handle:
                document = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{config_file.name} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, (section, key, env_var, parse) in _FIELDS.items():
        if env_var and environ.get(env_var, "") != "":
            values[name] = parse(env_var, environ[env_var])
            sources[name] = env_var
        elif key in document.get(section, {}):
            values[name] = parse(f"[{section}].{key}", document[section][key])
            sources[name] = config_file.name
    return BrowserSettings(**values, sources=sources)


# pytest-playwright option → (settings field, how the setting maps onto the option)
_PYTEST_OPTIONS = {
    "--headed": ("headed", lambda s: not s.headless),
    "--slowmo": ("slowmo", lambda s: s.slow_mo_ms),
    "--tracing": ("tracing", lambda s: s.trace),
    "--screenshot": ("screenshot", lambda s: s.screenshot),
    "--video": ("video", lambda s: s.video),
    "--output": ("output", lambda s: s.output_dir),
    "--base-url": ("base_url", lambda s: s.base_url or None),
}

_SETTINGS_KEY = pytest.StashKey[BrowserSettings]()


def _given_on_command_line(config: pytest.Config, flag: str) -> bool:
    return any(arg == flag or arg.startswith(flag + "=") for arg in config.invocation_params.args)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Options for the settings pytest-playwright has no flag for."""
    group = parser.getgroup("scimproof", "scimproof browser settings (playwright.config.toml)")
    group.addoption(
        "--chromium",
        metavar="PATH",
        default=None,
        help="Chromium binary to launch (overrides discovery).",
    )
    group.addoption(
        "--browser-timeout-ms",
        type=int,
        default=None,
        metavar="MS",
        help="default timeout for actions and expect() assertions.",
    )
    group.addoption("--viewport", default=None, metavar="WxH", help="browser viewport size.")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Merge file, environment and command line; hand the result to pytest-playwright."""
    try:
        settings = load_settings()
        overrides: dict[str, Any] = {}
        if config.getoption("chromium", default=None):
            overrides["executable_path"] = config.getoption("chromium")
        if config.getoption("browser_timeout_ms", default=None) is not None:
            overrides["default_timeout_ms"] = _int(
                "--browser-timeout-ms", config.getoption("browser_timeout_ms")
            )
        if config.getoption("viewport", default=None):
            overrides["viewport"] = _viewport("--viewport", config.getoption("viewport"))
    except SettingsError as exc:
        raise pytest.UsageError(f"scimproof browser settings: {exc}") from None
    settings = replace(settings, **overrides)
    for flag, (dest, value_of) in _PYTEST_OPTIONS.items():
        if hasattr(config.option, dest) and not _given_on_command_line(config, flag):
            setattr(config.option, dest, value_of(settings))
    config.stash[_SETTINGS_KEY] = settings


@pytest.fixture(scope="session")
def browser_settings(pytestconfig: pytest.Config) -> BrowserSettings:
    """The merged browser settings of this run."""
    return pytestconfig.stash[_SETTINGS_KEY]


def remote_connect_options(settings: BrowserSettings) -> dict[str, Any] | None:
    """``BrowserType.connect`` keywords for ``ws_endpoint``; None to launch locally.

    The server launches the browser from the ``x-playwright-launch-options`` header, which it
    reads in Playwright's own (camelCase) names; pytest-playwright's snake_case copy of the
    launch arguments would lose the binary, so this header replaces it. A server started with
    ``--unsafe`` honours ``executablePath`` and ``args`` (a local ``playwright run-server``
    launching the system Chromium); a browser grid ignores them and uses its own browser.
    """
    if not settings.ws_endpoint:
        return None
    launch: dict[str, Any] = {
        "headless": settings.headless,
        "args": [*launch_args(), *(a for a in settings.args if a not in launch_args())],
    }
    if settings.executable_path:
        launch["executablePath"] = settings.executable_path
    return {
        "endpoint": settings.ws_endpoint,
        "headers": {"x-playwright-launch-options": json.dumps(launch)},
    }


@pytest.fixture(scope="session")
def connect_options(browser_settings: BrowserSettings) -> dict | None:
    """Connect to a Playwright server when ``ws_endpoint`` is set, else launch locally."""
    return remote_connect_options(browser_settings)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict, browser_settings: BrowserSettings, connect_options: dict | None
) -> dict:
    """pytest-playwright's launch arguments plus our Chromium and flags."""
    args = {
        **browser_type_launch_args,
        "args": [*launch_args(), *(a for a in browser_settings.args if a not in launch_args())],
    }
    if connect_options:
        return args  # the Playwright server launches the browser (see connect_options)
    try:
        chromium = find_chromium(
            explicit=browser_settings.executable_path, headless=args.get("headless", True)
        )
    except ChromiumNotFound as exc:
        pytest.exit(f"scimproof: {exc}", returncode=4)
    if chromium.executable:
        args["executable_path"] = chromium.executable
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, browser_settings: BrowserSettings) -> dict:
    """pytest-playwright's context arguments plus viewport, locale and time zone."""
    width, height = browser_settings.viewport
    return {
        **browser_context_args,
        "viewport": {"width": width, "height": height},
        "locale": browser_settings.locale,
        "timezone_id": browser_settings.timezone_id,
    }


def keeps_artifacts_of_passing_tests(config: pytest.Config) -> bool:
    """Whether a passing scenario's trace or screenshot is kept (``on``), so must be written."""
    return config.getoption("--tracing") == "on" or config.getoption("--screenshot") == "on"


def _trace_without_frames(request: pytest.FixtureRequest) -> None:
    """Start each context's trace without its film strip unless ``trace_screenshots`` is on.

    pytest-playwright traces with screenshots (a JPEG frame for every repaint) besides the DOM
    snapshots of every action; the snapshots already show each step in the trace viewer, and a
    failed scenario still gets its screenshot. The frames cost about 30 ms a scenario.
    """
    if request.config.stash[_SETTINGS_KEY].trace_screenshots:
        return
    recorder = request.getfixturevalue("_artifacts_recorder")
    start_recording = recorder.on_did_create_browser_context

    def on_did_create(context: Any) -> None:
        tracing = context.tracing
        start = tracing.start
        tracing.start = lambda **options: start(**{**options, "screenshots": False})
        try:
            start_recording(context)
        finally:
            del tracing.start

    recorder.on_did_create_browser_context = on_did_create


def _discard_recording_when_passed(request: pytest.FixtureRequest) -> None:
    """Write the trace and take the screenshot only when the scenario failed.

    pytest-playwright records every context and, on closing it, writes the trace file and
    takes a screenshot of every page, then deletes both when the test passed: with
    ``retain-on-failure`` that is most of a passing scenario's tear-down. Here a context of a
    scenario whose steps passed stops its trace without writing it; a failed (or unfinished)
    one keeps both, exactly as before.
    """
    if keeps_artifacts_of_passing_tests(request.config):
        return
    recorder = request.getfixturevalue("_artifacts_recorder")
    write_and_shoot = recorder.on_will_close_browser_context

    def on_will_close(context: Any) -> None:
        call = getattr(request.node, "rep_call", None)  # set by pytest-playwright's report hook
        if call is not None and call.passed:
            context.tracing.stop()  # nothing of a passing scenario is kept: no file written
        else:
            write_and_shoot(context)

    recorder.on_will_close_browser_context = on_will_close


@pytest.fixture
def context(
    new_context: Any, browser_settings: BrowserSettings, request: pytest.FixtureRequest
) -> Any:
    """A fresh browser context per test (pytest-playwright's) with our timeouts applied; its
    trace and screenshot are written only when the test fails."""
    from playwright.sync_api import expect

    _trace_without_frames(request)
    _discard_recording_when_passed(request)
    fresh = new_context()
    fresh.set_default_timeout(browser_settings.default_timeout_ms)
    fresh.set_default_navigation_timeout(browser_settings.navigation_timeout_ms)
    expect.set_options(timeout=browser_settings.default_timeout_ms)
    return fresh
