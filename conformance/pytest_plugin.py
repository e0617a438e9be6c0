"""pytest plugin: ``pytest --scim-url URL --scim-token T`` runs each check as a test item.

Inert unless --scim-url is given: it only registers its options, so it costs nothing in the
project's own test runs (it is loaded into every pytest run through the pytest11 entry point).
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import pytest

SCIM_ITEMS_KEY = pytest.StashKey["ScimConformanceSession"]()


class ScimConformanceWarning(UserWarning):
    """A SHOULD/MAY finding: reported, not failed (unless --scim-strict)."""


class CheckFailed(Exception):
    """A check's verdict was fail (or error)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register --scim-url and friends (nothing else happens without --scim-url)."""
    group = parser.getgroup("scim-conformance", "SCIM 2.0 conformance checks")
    group.addoption("--scim-url", default=None, help="SCIM base URL to check")
    group.addoption(
        "--scim-token", default=None, help="bearer token for --scim-url (or set SCIM_TOKEN)"
    )
    group.addoption(
        "--scim-profile",
        action="append",
        default=[],
        help="also run an IdP profile: entra, okta, onelogin",
    )
    group.addoption("--scim-tags", default="", help="only checks with these tags (comma list)")
    group.addoption("--scim-read-only", action="store_true", help="only non-mutating checks")
    group.addoption("--scim-strict", action="store_true", help="SHOULD warnings fail too")
    group.addoption("--scim-insecure", action="store_true", help="do not verify TLS")
    group.addoption(
        "--scim-header", action="append", default=[], help="'Name: value' header (repeatable)"
    )
    group.addoption("--scim-basic", default=None, help="USER:PASS for HTTP Basic (or SCIM_BASIC)")
    group.addoption("--scim-oauth-token-url", default=None, help="OAuth client credentials URL")
    group.addoption("--scim-client-id", default=None, help="OAuth client id")
    group.addoption(
        "--scim-client-secret", default=None, help="OAuth client secret, or @FILE (or env)"
    )
    group.addoption("--scim-scope", default=None, help="OAuth scope")
    group.addoption("--scim-user-template", default=None, help="JSON body for created Users")
    group.addoption("--scim-group-template", default=None, help="JSON body for created Groups")


class ScimConformanceSession:
    """The run behind the items: discovery on first use, cleanup at session end."""

    def __init__(self, config: pytest.Config) -> None:
        from conformance.auth_options import AuthConfig, build_auth
        from conformance.http import HttpOptions
        from conformance.payloads import load_templates
        from conformance.registry import all_checks
        from conformance.selection import RunOptions, select

        tags = frozenset(t.strip() for t in config.getoption("scim_tags").split(",") if t.strip())
        self.options = RunOptions(
            tags=tags,
            profiles=tuple(config.getoption("scim_profile")),
            read_only=config.getoption("scim_read_only"),
            http=HttpOptions(verify=not config.getoption("scim_insecure")),
            templates=load_templates(
                config.getoption("scim_user_template"), config.getoption("scim_group_template")
            ),
        )
        auth = AuthConfig(
            token=config.getoption("scim_token"),
            headers=tuple(config.getoption("scim_header")),
            basic=config.getoption("scim_basic"),
            oauth_token_url=config.getoption("scim_oauth_token_url"),
            client_id=config.getoption("scim_client_id"),
            client_secret=config.getoption("scim_client_secret"),
            scope=config.getoption("scim_scope"),
        ).with_environment(os.environ)
        self.options.http = HttpOptions(
            verify=self.options.http.verify,
            auth=build_auth(auth, verify=self.options.http.verify),
        )
        self.specs = select(all_checks(), self.options)
        self.url = config.getoption("scim_url")
        self.token = None  # the credentials travel in self.options.http.auth
        self.strict = config.getoption("scim_strict")
        self.runner: Any = None
        self.unavailable: str | None = None

    def ensure_prepared(self) -> Any:
        """Start the run on first use; every item fails fast if the target is unavailable."""
        from conformance.runner import Runner, TargetUnavailable

        if self.unavailable:
            raise CheckFailed(self.unavailable)
        if self.runner is None:
            runner = Runner(self.url, self.token, self.options)
            try:
                runner.prepare(mutating=not self.options.read_only)
            except TargetUnavailable as exc:
                self.unavailable = f"target unavailable: {exc}"
                raise CheckFailed(self.unavailable) from exc
            self.runner = runner
        return self.runner

    def finish(self) -> None:
        """Delete everything the run created."""
        if self.runner is not None:
            self.runner.finish()


class ScimCheckItem(pytest.Item):
    """One conformance check as a test item."""

    def __init__(self, *, spec: Any, session_state: ScimConformanceSession, **kw: Any) -> None:
        super().__init__(**kw)
        self.spec = spec
        self.state = session_state
        self.result: Any = None

    def runtest(self) -> None:
        """Run the check and translate its verdict into pytest outcomes."""
        runner = self.state.ensure_prepared()
        self.result = result = runner.run_check(self.spec)
        if result.status == "skip":
            pytest.skip(result.message)
        if result.status in ("fail", "error") or (result.status == "warn" and self.state.strict):
            raise CheckFailed(f"{result.status}: {result.message}")
        if result.status == "warn":
            warnings.warn(f"{self.spec.id}: {result.message}", ScimConformanceWarning, stacklevel=1)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The verdict, the rule and the exchange transcript."""
        if not isinstance(excinfo.value, CheckFailed):
            return super().repr_failure(excinfo)
        from conformance.report.junit import transcript

        lines = [
            f"[{self.spec.level}] {self.spec.id} ({self.spec.rfc}): {self.spec.rule}",
            str(excinfo.value),
        ]
        if self.result is not None:
            lines.append(transcript(self.result))
        return "\n".join(lines)

    def reportinfo(self) -> tuple[str, int | None, str]:
        """Location shown in reports: the RFC section."""
        return self.spec.rfc, None, f"{self.spec.id} [{self.spec.level}]"


class ScimChecks(pytest.Collector):
    """Collector holding the check items (parent of every ScimCheckItem)."""

    def collect(self) -> list[pytest.Item]:
        """One item per selected check."""
        state: ScimConformanceSession = self.config.stash[SCIM_ITEMS_KEY]
        return [
            ScimCheckItem.from_parent(self, name=spec.id, spec=spec, session_state=state)
            for spec in state.specs
        ]


def pytest_configure(config: pytest.Config) -> None:
    """Set up the run only when --scim-url is given."""
    if config.getoption("scim_url", default=None):
        config.stash[SCIM_ITEMS_KEY] = ScimConformanceSession(config)


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Append the check items after the regular tests."""
    if SCIM_ITEMS_KEY not in config.stash:
        return
    collector = ScimChecks.from_parent(session, name="scim-conformance", nodeid="scim-conformance")
    items.extend(collector.collect())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Clean up what the checks created, whatever happened."""
    state = session.config.stash.get(SCIM_ITEMS_KEY, None)
    if state is not None:
        state.finish()
