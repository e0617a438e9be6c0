"""scimproof conformance: validate any SCIM 2.0 service provider against RFC 7643/7644."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conformance.auth import ScimAuth
    from conformance.report.model import Report, Result

__all__ = ["Report", "Result", "run"]


def __getattr__(name: str) -> object:
    """Lazy access to conformance.Report / conformance.Result (keeps `import conformance` light)."""
    if name in ("Report", "Result"):
        from conformance.report import model

        return getattr(model, name)
    raise AttributeError(name)


def run(
    base_url: str,
    token: str | None = None,
    *,
    tags: Iterable[str] = (),
    profiles: Iterable[str] = (),
    read_only: bool = False,
    workers: int = 4,
    timeout: float = 20.0,
    max_rps: float | None = None,
    verify: bool | str = True,
    prefix: str | None = None,
    progress: Callable[[Result, int, int], None] | None = None,
    auth: ScimAuth | None = None,
    user_template: str | Path | dict[str, Any] | None = None,
    group_template: str | Path | dict[str, Any] | None = None,
) -> Report:
    """Check the SCIM service at base_url and return the Report (everything created is removed).

    auth replaces the bearer token: conformance.auth.BasicAuth, HeaderAuth,
    OAuthClientCredentials (or conformance.auth_options.build_auth(AuthConfig(...))). Raises
    conformance.runner.TargetUnavailable when the target cannot be evaluated at all.
    user_template / group_template (a JSON file or a dict, ``{prefix}`` in its naming
    attribute) replace the default bodies of created resources; either way the server's
    required attributes are filled in from /Schemas (conformance.payloads).
    """
    from conformance.http import HttpOptions
    from conformance.payloads import load_templates
    from conformance.runner import run as run_checks
    from conformance.selection import RunOptions

    options = RunOptions(
        tags=frozenset(tags),
        profiles=tuple(profiles),
        read_only=read_only,
        workers=workers,
        http=HttpOptions(timeout=timeout, max_rps=max_rps, verify=verify, auth=auth),
        prefix=prefix,
        progress=progress,
        templates=load_templates(user_template, group_template),
    )
    return run_checks(base_url, token, options)
