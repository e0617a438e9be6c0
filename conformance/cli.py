"""scim-conformance: check a SCIM 2.0 service provider against RFC 7643/7644.

Exit status: 0 no MUST failure (with --strict: no warning either), 1 failures, 2 could not
evaluate (unreachable, token refused, bad usage, interrupted).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any

import requests
from rich.console import Console

from conformance.auth import CLIENT_AUTH_METHODS, AuthError
from conformance.auth_options import AuthConfig, build_auth
from conformance.baseline import Baseline, BaselineError
from conformance.baseline import load as load_baseline
from conformance.cleanup import ResourceTracker, delete_tracked, find_leftovers
from conformance.http import (
    DEFAULT_MAX_RESPONSE_BYTES,
    Cancelled,
    HttpClient,
    HttpOptions,
    TransportError,
)
from conformance.payloads import load_templates
from conformance.redaction import Redactor
from conformance.registry import CheckSpec, all_checks
from conformance.report import html as html_report
from conformance.report import json as json_report
from conformance.report import junit as junit_report
from conformance.report.console import LiveProgress, print_report
from conformance.report.model import Report
from conformance.runner import PROFILES, Runner, RunOptions, TargetUnavailable, plan, select

EXIT_OK, EXIT_FAILURES, EXIT_UNEVALUATED = 0, 1, 2
TOKEN_ENV = "SCIM_TOKEN"


class UsageError(Exception):
    """Bad command-line input; reported in one line with exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of scim-conformance."""
    parser = argparse.ArgumentParser(
        prog="scim-conformance",
        description="Check a SCIM 2.0 service provider against RFC 7643 and RFC 7644.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="run the checks against a SCIM base URL")
    _target_arguments(check)
    check.add_argument(
        "--profile",
        action="append",
        choices=PROFILES,
        default=[],
        help="also replay an IdP's request shapes (repeatable)",
    )
    check.add_argument(
        "--tags",
        action="append",
        default=[],
        metavar="TAGS",
        help="only checks with one of these tags or id prefixes (comma list)",
    )
    check.add_argument(
        "--read-only",
        action="store_true",
        help="run only checks that create, change or delete nothing",
    )
    check.add_argument(
        "--plan", action="store_true", help="list every write the run would make, then exit"
    )
    check.add_argument(
        "--sweep",
        action="store_true",
        help="delete leftovers of crashed runs (names starting with --prefix)",
    )
    check.add_argument(
        "--prefix",
        default=None,
        help="name prefix of created resources (default scimproof-<random>; "
        "with --sweep: scimproof-)",
    )
    check.add_argument(
        "--user-template",
        metavar="FILE",
        help="JSON body for the Users the run creates; {prefix} marks its unique name",
    )
    check.add_argument(
        "--group-template",
        metavar="FILE",
        help="JSON body for the Groups the run creates; {prefix} marks its unique name",
    )
    check.add_argument("--json", metavar="PATH", help="write the JSON report")
    check.add_argument("--junit", metavar="PATH", help="write a JUnit XML report")
    check.add_argument("--html", metavar="PATH", help="write a self-contained HTML report")
    check.add_argument(
        "--baseline",
        metavar="PATH",
        help="previous JSON report or waiver file: fail only on new failures",
    )
    check.add_argument("--strict", action="store_true", help="SHOULD warnings also fail")
    check.add_argument("--workers", type=int, default=4, help="concurrent check groups (4)")
    check.add_argument("--verbose", "-v", action="store_true", help="list passing checks too")
    check.add_argument("--no-progress", action="store_true", help="no live progress line")

    sweep = commands.add_parser("sweep", help="delete leftovers of crashed runs by prefix")
    _target_arguments(sweep)
    sweep.add_argument("--prefix", default="scimproof-", help="name prefix (scimproof-)")

    listing = commands.add_parser(
        "list", help="list the checks (id, level, RFC section); IdP profile checks are marked"
    )
    listing.add_argument(
        "--tags",
        action="append",
        default=[],
        metavar="TAGS",
        help="only checks with one of these tags or id prefixes (comma list), as with check",
    )
    listing.add_argument(
        "--profile",
        action="append",
        choices=PROFILES,
        default=[],
        help="only these IdP profiles' checks (default: every profile's, marked)",
    )
    return parser


def _target_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments naming the target and how to talk to it."""
    parser.add_argument(
        "base_url", metavar="BASE_URL", help="SCIM base URL, e.g. https://h/scim/v2"
    )
    parser.add_argument("--token", help=f"bearer token, or @FILE (or set ${TOKEN_ENV})")
    _auth_arguments(parser)
    parser.add_argument(
        "--timeout", type=float, default=20.0, help="seconds for each whole response (20)"
    )
    parser.add_argument(
        "--deadline", type=float, default=None, help="seconds for the whole run (no limit)"
    )
    parser.add_argument(
        "--cleanup-deadline",
        type=float,
        default=60.0,
        help="seconds the final cleanup may take, also after Ctrl-C (60)",
    )
    parser.add_argument(
        "--max-response-bytes",
        type=int,
        default=DEFAULT_MAX_RESPONSE_BYTES,
        help="largest response read (16 MiB)",
    )
    parser.add_argument("--max-rps", type=float, default=None, help="requests per second cap")
    parser.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    parser.add_argument("--ca-bundle", metavar="PATH", help="verify TLS with this CA bundle")


def _auth_arguments(parser: argparse.ArgumentParser) -> None:
    """Credentials beyond a bearer token; secret values may be @FILE or come from $SCIM_*."""
    auth = parser.add_argument_group("authentication (secrets: a value, @FILE, or $SCIM_...)")
    auth.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="send this header with every request (repeatable; or $SCIM_HEADERS, one a line)",
    )
    auth.add_argument("--basic", metavar="USER:PASS", help="HTTP Basic (or set $SCIM_BASIC)")
    auth.add_argument("--oauth-token-url", metavar="URL", help="OAuth 2.0 client credentials")
    auth.add_argument("--client-id", help="OAuth client id")
    auth.add_argument("--client-secret", help="OAuth client secret (or $SCIM_CLIENT_SECRET)")
    auth.add_argument("--client-secret-file", metavar="PATH", help="read the client secret here")
    auth.add_argument("--scope", help="OAuth scope to request")
    auth.add_argument(
        "--oauth-client-auth",
        choices=CLIENT_AUTH_METHODS,
        default="basic",
        help="send the client credentials as HTTP Basic (default) or in the form body",
    )


def _auth(args: argparse.Namespace, http: HttpOptions) -> HttpOptions:
    """The transport settings with the run's credentials (--token, --basic, OAuth...)."""
    if args.client_secret and args.client_secret_file:
        raise UsageError("--client-secret and --client-secret-file exclude each other")
    secret_file = args.client_secret_file and f"@{args.client_secret_file}"
    config = AuthConfig(
        token=args.token,
        headers=tuple(args.header),
        basic=args.basic,
        oauth_token_url=args.oauth_token_url,
        client_id=args.client_id,
        client_secret=args.client_secret or secret_file,
        scope=args.scope,
        client_auth=args.oauth_client_auth,
    ).with_environment(os.environ)
    auth = build_auth(config, timeout=http.timeout, verify=http.verify)
    return dataclasses.replace(http, auth=auth)


def _http_options(args: argparse.Namespace) -> HttpOptions:
    """Transport settings from the command line."""
    if args.insecure and args.ca_bundle:
        raise UsageError("--insecure and --ca-bundle exclude each other")
    if args.ca_bundle and not os.path.isfile(args.ca_bundle):
        raise UsageError(f"--ca-bundle {args.ca_bundle}: no such file")
    if args.max_rps is not None and args.max_rps <= 0:
        raise UsageError("--max-rps must be positive")
    for name in ("timeout", "deadline", "cleanup_deadline", "max_response_bytes"):
        value = getattr(args, name)
        if value is not None and value <= 0:
            raise UsageError(f"--{name.replace('_', '-')} must be positive")
    verify: bool | str = args.ca_bundle or not args.insecure
    return HttpOptions(
        timeout=args.timeout,
        max_rps=args.max_rps,
        verify=verify,
        max_response_bytes=args.max_response_bytes,
        run_deadline=args.deadline,
        cleanup_deadline=args.cleanup_deadline,
    )


def _base_url(value: str) -> str:
    """Validate the base URL's scheme."""
    if not value.startswith(("http://", "https://")):
        raise UsageError(f"BASE_URL must start with http:// or https://, not {value!r}")
    return value.rstrip("/")


def _tags(values: list[str]) -> frozenset[str]:
    """--tags a,b --tags c -> {a, b, c}."""
    return frozenset(t.strip() for value in values for t in value.split(",") if t.strip())


class Interrupts:
    """SIGINT/SIGTERM: the first stops new requests and cleans up (bounded by
    --cleanup-deadline); the second writes the partial report and exits 2 at once."""

    def __init__(self, cancel: threading.Event, err: Console, redactor: Redactor) -> None:
        self.cancel = cancel
        self.err = err
        self.redactor = redactor
        self.on_second: Callable[[], None] | None = None
        self.reason = ""
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if not self.cancel.is_set():
            self.reason = f"interrupted by {name}"
            self.cancel.set()
            say(
                self.err,
                f"{name}: stopping; deleting what the run created (a second {name} "
                "exits at once)...",
                self.redactor,
            )
            return
        say(self.err, f"{name} again: exiting now without finishing the cleanup", self.redactor)
        try:
            if self.on_second is not None:
                self.on_second()
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(EXIT_UNEVALUATED)


def say(console: Console, text: str, redactor: Redactor | None = None) -> None:
    """Print one line, redacted, with no rich markup interpreted (square brackets stay)."""
    if redactor is not None:
        text = redactor.redact(text)
    console.print(text, markup=False, highlight=False)


def exit_status(report: Report, strict: bool, baseline: Baseline | None) -> int:
    """0, 1 or 2 for a finished report."""
    if report.interrupted:
        return EXIT_UNEVALUATED
    if report.results and all(r.status == "error" for r in report.results):
        return EXIT_UNEVALUATED
    bad = [r for r in report.results if r.status == "error"] + report.failures(strict)
    if baseline is not None:
        bad = baseline.new_failures(bad)  # only new failures count
    return EXIT_FAILURES if bad else EXIT_OK


def run_check(args: argparse.Namespace, out: Console, err: Console) -> int:
    """The check command."""
    base_url = _base_url(args.base_url)
    token = None  # the credentials travel in http.auth
    http = _auth(args, _http_options(args))
    if args.sweep:
        return _sweep(base_url, token, http, args.prefix or "scimproof-", out, err)
    baseline = load_baseline(args.baseline) if args.baseline else None
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    cancel = threading.Event()
    options = RunOptions(
        tags=_tags(args.tags),
        profiles=tuple(args.profile),
        read_only=args.read_only,
        workers=args.workers,
        http=http,
        prefix=args.prefix,
        cancel=cancel,
        templates=load_templates(args.user_template, args.group_template),
    )
    specs = _selected(options)
    runner = Runner(base_url, token, options)
    if args.plan:
        lines = plan([s for s in specs if not (args.read_only and s.mutating)], runner.state.prefix)
        say(out, f"{len(lines)} checks would write to {base_url}; nothing was sent.")
        for line in lines:
            say(out, f"  {line}")
        return EXIT_OK
    if http.auth is not None:
        try:  # an OAuth token is fetched before the run, so a refusal is reported at once
            http.auth.headers()
        except AuthError as exc:
            say(err, f"scim-conformance: cannot evaluate {base_url}: {exc}", runner.redactor)
            return EXIT_UNEVALUATED
    with Interrupts(cancel, err, runner.redactor) as interrupts:
        interrupts.on_second = lambda: _write_reports(runner.report(), args, out, runner.redactor)
        return _run(runner, specs, args, baseline, out, err, interrupts)


def _run(
    runner: Runner,
    specs: list,
    args: argparse.Namespace,
    baseline: Baseline | None,
    out: Console,
    err: Console,
    interrupts: Interrupts,
) -> int:
    """Prepare, run, clean up, report (always, also when interrupted); the exit status."""
    redactor = runner.redactor
    try:
        runner.prepare(mutating=not args.read_only and any(spec.mutating for spec in specs))
    except TargetUnavailable as exc:
        report = runner.report({"ended": f"cannot evaluate: {exc}"})
        _write_reports(report, args, out, redactor)
        say(err, f"scim-conformance: cannot evaluate {runner.state.base_url}: {exc}", redactor)
        return EXIT_UNEVALUATED
    show_progress = not args.no_progress and err.is_terminal
    try:
        if show_progress:
            with LiveProgress(err) as live:
                runner.options.progress = live.update
                runner.run_all(specs)
        else:
            runner.run_all(specs)
    finally:
        report = runner.finish()
    if baseline is not None:
        baseline.apply(report)
    ended = interrupts.reason or (runner.client.deadline_reason if report.interrupted else "")
    if ended:
        report.safety["ended"] = ended
    print_report(report, out, verbose=args.verbose)
    _write_reports(report, args, out, redactor)
    if ended:
        say(err, f"scim-conformance: {ended}; the report is partial", redactor)
    status = exit_status(report, args.strict, baseline)
    if baseline is not None:
        marks = [r.baseline for r in report.results if r.baseline]
        say(
            out,
            f"baseline {baseline.source}: {marks.count('new')} new, "
            f"{marks.count('waived')} waived, {len(report.stale_waivers)} stale waivers",
            redactor,
        )
    return status


def _write_reports(
    report: Report, args: argparse.Namespace, out: Console, redactor: Redactor
) -> None:
    """Write every report file asked for (each one even if another cannot be written)."""
    for writer, path in (
        (json_report.write, args.json),
        (junit_report.write, args.junit),
        (html_report.write, args.html),
    ):
        if not path:
            continue
        try:
            writer(report, path)
        except OSError as exc:
            say(out, f"could not write {path}: {exc}", redactor)
        else:
            say(out, f"wrote {path}", redactor)


def _sweep(
    base_url: str, token: str | None, http: HttpOptions, prefix: str, out: Console, err: Console
) -> int:
    """Delete Users/Groups whose names start with prefix (leftovers of crashed runs).

    The same rules as a run's cleanup: each resource is re-read and must carry the prefix,
    ids travel as one encoded path segment, nothing outside the base URL gets the token.
    """
    cancel = threading.Event()
    client = HttpClient(token, http, cancel, base_url=base_url)
    tracker = ResourceTracker(prefix)

    def send(method: str, path: str, params: dict | None = None) -> requests.Response:
        headers = {"Accept": "application/scim+json", **client.auth_header()}
        return client.send(method, f"{base_url}{path}", headers=headers, params=params)[0]

    with Interrupts(cancel, err, client.redactor):
        try:
            leftovers = find_leftovers(lambda path, params=None: send("GET", path, params), prefix)
            for endpoint, resource_id, _ in leftovers:
                tracker.register(endpoint, resource_id, "sweep")
            outcome = delete_tracked(
                tracker,
                lambda path: send("GET", path),
                lambda path: send("DELETE", path),
                None,
                (TransportError, Cancelled),
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        except (TransportError, Cancelled) as exc:
            say(err, f"scim-conformance: cannot sweep {base_url}: {exc}", client.redactor)
            return EXIT_UNEVALUATED
        finally:
            client.close()
    left = {(t.endpoint, t.id) for t in tracker.pending()}
    refused = [r for refusals in outcome.refusals.values() for r in refusals]
    deleted = 0
    for endpoint, resource_id, name in leftovers:
        where = f"{endpoint}/{resource_id}"
        if (endpoint, resource_id) in left:
            state = "FAILED "
        elif any(where in refusal for refusal in refused):
            state = "REFUSED"
        else:
            state, deleted = "deleted", deleted + 1
        say(out, f"{state} {where} {name}", client.redactor)
    for problem in outcome.failures + refused:
        say(out, f"  {problem}", client.redactor)
    say(out, f"swept {deleted} of {len(leftovers)} resources named {prefix}*", client.redactor)
    if cancel.is_set():
        return EXIT_UNEVALUATED
    return EXIT_OK if deleted == len(leftovers) else EXIT_FAILURES


def _selected(options: RunOptions) -> list[CheckSpec]:
    """The checks a run with these options executes; UsageError for a tag matching none."""
    specs = select(all_checks(), options)
    unmatched = sorted(
        tag for tag in options.tags if not select(all_checks(), RunOptions(tags=frozenset({tag})))
    )
    if unmatched or not specs:
        raise UsageError(
            f"no check matches --tags {','.join(unmatched or sorted(options.tags))}; "
            "see scim-conformance list for the ids and tags"
        )
    return specs


def run_list(args: argparse.Namespace, out: Console) -> int:
    """The list command: what check would run with the same --tags and --profile, and
    (without --profile) every IdP profile's checks, marked with the option that runs them."""
    profiles = tuple(args.profile) or PROFILES
    specs = _selected(RunOptions(tags=_tags(args.tags), profiles=profiles))
    for spec in specs:
        writes = "writes" if spec.mutating else "reads "
        mark = f"  [--profile {spec.profile}]" if spec.profile else ""
        say(out, f"{spec.id:48} {spec.level:6} {writes} {spec.rfc}{mark}")
    rfc = sum(1 for spec in specs if not spec.profile)
    say(out, f"{rfc} RFC checks, {len(specs) - rfc} IdP profile checks (run with --profile)")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the scim-conformance command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out, err = Console(soft_wrap=True), Console(stderr=True, soft_wrap=True)
    secrets = Redactor(
        [os.environ.get(TOKEN_ENV)]
        + [getattr(args, name, None) for name in ("token", "basic", "client_secret")]
    )
    try:
        if args.command == "list":
            return run_list(args, out)
        if args.command == "sweep":
            args.sweep = True
        return run_check(args, out, err)
    except (UsageError, BaselineError, ValueError) as exc:
        say(err, f"scim-conformance: {exc}", secrets)
        return EXIT_UNEVALUATED
    except KeyboardInterrupt:
        say(err, "scim-conformance: interrupted", secrets)
        return EXIT_UNEVALUATED
    except Exception as exc:  # never a traceback: one redacted line, exit 2
        say(err, f"scim-conformance: internal error: {exc.__class__.__name__}: {exc}", secrets)
        return EXIT_UNEVALUATED


if __name__ == "__main__":
    sys.exit(main())
