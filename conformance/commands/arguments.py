"""scim-conformance's command line: the parser, and the options it turns into."""

from __future__ import annotations

import argparse
import dataclasses
import os

from conformance.auth import CLIENT_AUTH_METHODS
from conformance.auth_options import AuthConfig, build_auth
from conformance.commands.terminal import UsageError
from conformance.http import DEFAULT_MAX_RESPONSE_BYTES, HttpOptions
from conformance.selection import PROFILES

TOKEN_ENV = "SCIM_TOKEN"


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


def _with_credentials(args: argparse.Namespace, http: HttpOptions) -> HttpOptions:
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


def _transport(args: argparse.Namespace) -> HttpOptions:
    """Transport settings from the command line, without credentials."""
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


def base_url(value: str) -> str:
    """The BASE_URL argument without a trailing slash; UsageError unless http(s)."""
    if not value.startswith(("http://", "https://")):
        raise UsageError(f"BASE_URL must start with http:// or https://, not {value!r}")
    return value.rstrip("/")


def tag_set(values: list[str]) -> frozenset[str]:
    """--tags a,b --tags c -> {a, b, c}."""
    return frozenset(t.strip() for value in values for t in value.split(",") if t.strip())


def http_options(args: argparse.Namespace) -> HttpOptions:
    """Transport settings and credentials from the command line (UsageError if they clash)."""
    return _with_credentials(args, _transport(args))
