"""Find a usable Chromium for Playwright, installing Debian's package where we can.

Order: ``playwright.config.toml`` → ``SCIMPROOF_CHROMIUM`` → Playwright's own downloaded
browser → the system's ``chromium``. ``python -m steps.browser ensure`` is what ``make`` runs;
as root on Debian/Ubuntu it installs ``chromium`` with apt-get when nothing else is found.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "playwright.config.toml"
ENV_VAR = "SCIMPROOF_CHROMIUM"
# Debian's old headless shell: the same engine without the desktop browser around it. A fresh
# browser context opens its first page two to three times faster in it, so headless runs
# prefer it (it cannot show a window: headed runs skip it).
HEADLESS_SHELL_CANDIDATES = ("/usr/bin/chromium-headless-shell", "chromium-headless-shell")
SYSTEM_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "chromium",
    "chromium-browser",
)

HOW_TO_GET_ONE = (
    "No usable Chromium found. Either install Debian's package as root "
    "(`apt-get update && apt-get install -y chromium`), or let Playwright download its own "
    "(`.venv/bin/playwright install chromium`, needs internet); an existing binary can be named "
    f"with {ENV_VAR}=/path/to/chromium or `executable_path` in playwright.config.toml."
)


class ChromiumNotFound(RuntimeError):
    """No usable Chromium could be found or installed."""


@dataclass(frozen=True)
class Chromium:
    """A Chromium Playwright can launch; ``executable`` None means Playwright's own build."""

    executable: str | None
    source: str
    version: str


def configured_executable(config_file: Path = CONFIG_FILE) -> str:
    """Return ``[browser].executable_path`` from the config file ('' when unset)."""
    if not config_file.exists():
        return ""
    with config_file.open("rb") as handle:
        return str(tomllib.load(handle).get("browser", {}).get("executable_path", "") or "")


def probe(executable: str) -> str | None:
    """Return the browser's version line if the binary runs, else None."""
    path = shutil.which(executable) or executable
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        return None
    try:
        done = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    version = done.stdout.strip().splitlines()[-1:] if done.stdout.strip() else []
    return version[0] if done.returncode == 0 and version else None


def playwright_bundled() -> str | None:
    """Return the path of Playwright's own downloaded Chromium if it is on disk."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # the driver itself may be unusable; then there is no bundled browser
        return None
    return path if path and os.path.isfile(path) else None


def find_chromium(
    config_file: Path = CONFIG_FILE, explicit: str = "", *, headless: bool = True
) -> Chromium:
    """Return the first usable Chromium in the documented order, or raise ChromiumNotFound.

    ``explicit`` (``pytest --chromium``) comes first, then the config file's executable_path.
    Among the system's browsers a headless run takes Debian's headless shell when installed.
    """
    configured = explicit or configured_executable(config_file)
    if configured:
        origin = "--chromium" if explicit else f"executable_path in {config_file.name}"
        version = probe(configured)
        if version is None:
            raise ChromiumNotFound(f"{origin} {configured!r} does not run. Fix or empty it.")
        return Chromium(configured, origin, version)
    from_env = os.environ.get(ENV_VAR, "")
    if from_env:
        version = probe(from_env)
        if version is None:
            raise ChromiumNotFound(f"{ENV_VAR}={from_env!r} does not run. Fix or unset it.")
        return Chromium(from_env, ENV_VAR, version)
    bundled = playwright_bundled()
    if bundled and (version := probe(bundled)):
        return Chromium(None, "Playwright's own browser", version)
    shells = HEADLESS_SHELL_CANDIDATES if headless else ()
    for candidate in (*shells, *SYSTEM_CANDIDATES):
        version = probe(candidate)
        if version:
            source = "system package (headless shell)" if candidate in shells else "system package"
            return Chromium(shutil.which(candidate) or candidate, source, version)
    raise ChromiumNotFound(HOW_TO_GET_ONE)


def install_system_chromium() -> bool:
    """Install Debian's chromium with apt-get when running as root; return True on success.

    Its headless shell (``chromium-headless-shell``, faster for the features) is installed too
    where the distribution has it; without it the full browser runs headless.
    """
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("scimproof: installing Chromium (apt-get install -y chromium) ...", flush=True)
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends"]
    for command in (["apt-get", "update", "-qq"], [*install, "chromium"]):
        if subprocess.run(command, env=env, check=False).returncode != 0:
            return False
    subprocess.run([*install, "chromium-headless-shell"], env=env, check=False)
    return True


def ensure_chromium() -> Chromium:
    """Find a Chromium, installing the system one as root when none is found."""
    try:
        return find_chromium()
    except ChromiumNotFound:
        if configured_executable() or os.environ.get(ENV_VAR):
            raise  # an explicit choice that does not run is reported, not papered over
        if not install_system_chromium():
            raise
    return find_chromium()


def launch_args(is_root: bool | None = None) -> list[str]:
    """Return the Chromium flags every launch needs on this kind of machine."""
    root = os.geteuid() == 0 if is_root is None else is_root
    flags = ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    return (["--no-sandbox"] if root else []) + flags


def main(argv: list[str] | None = None) -> int:
    """``python -m steps.browser {find,ensure}``: report (or install) the Chromium to use."""
    parser = argparse.ArgumentParser(prog="python -m steps.browser", description=__doc__)
    parser.add_argument("action", choices=("find", "ensure"), nargs="?", default="find")
    args = parser.parse_args(argv)
    try:
        chromium = ensure_chromium() if args.action == "ensure" else find_chromium()
    except ChromiumNotFound as exc:
        print(f"scimproof: {exc}", file=sys.stderr)
        return 1
    where = chromium.executable or "Playwright's download"
    print(f"scimproof: using {chromium.version} ({chromium.source}: {where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
