"""``scim-stub``: run the stub server or mint a SCIM token from the command line."""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import sys

from stub_server.app import DEFAULT_DB, create_app, storage_of
from stub_server.seed import SEED_PASSWORD, seed
from stub_server.serving import ServerLimits, make_production_server

SCIM_PATH = "/scim/v2.0/organizations/{org_uid}"


# (option, ServerLimits field, metavar, help): the waitress limits `serve` exposes.
SERVER_LIMIT_OPTIONS = (
    ("--threads", "threads", "N", "requests handled at once"),
    ("--connection-limit", "connection_limit", "N", "open connections; more wait in the backlog"),
    ("--idle-timeout", "idle_timeout", "SECONDS", "close a connection silent for this long"),
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scim-stub", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the settings UI and SCIM service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--db", default=str(DEFAULT_DB), help="SQLite file (created if missing)")
    serve.add_argument(
        "--seed",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="insert the demo organizations and users (default: yes)",
    )
    serve.add_argument(
        "--rate-limit",
        type=int,
        default=0,
        metavar="N",
        help="SCIM requests per second per organization before 429 (0 = off)",
    )
    for flag, field, metavar, text in SERVER_LIMIT_OPTIONS:
        default = getattr(ServerLimits(), field)
        serve.add_argument(flag, type=int, default=default, metavar=metavar, help=text)
    serve.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark the session cookie Secure even on plain HTTP (set it behind a TLS proxy)",
    )
    serve.add_argument(
        "--trusted-proxy",
        metavar="ADDRESS",
        help="a TLS-terminating reverse proxy whose X-Forwarded-Proto/-For/-Host to believe",
    )

    token = sub.add_parser("token", help="print a new SCIM bearer token for an organization")
    token.add_argument("--db", default=str(DEFAULT_DB))
    token.add_argument("--org", required=True, metavar="SLUG_OR_UID")
    token.add_argument("--enable", action="store_true", help="enable SCIM first if it is off")
    token.add_argument("--json", action="store_true", help="print a JSON object")
    return parser


def _fail(message: str) -> int:
    print(f"scim-stub: {message}", file=sys.stderr)
    return 2


def serve(args: argparse.Namespace) -> int:
    """Run the stub on waitress (bounded threads, connections and idle time) until interrupted."""
    if min(args.threads, args.connection_limit, args.idle_timeout) < 1:
        return _fail("--threads, --connection-limit and --idle-timeout must be at least 1")
    limits = ServerLimits(args.threads, args.connection_limit, args.idle_timeout)
    try:
        app = create_app(
            {
                "DATABASE": args.db,
                "SEED": args.seed,
                "SCIM_RATE_LIMIT": args.rate_limit,
                "SECURE_COOKIES": args.secure_cookies,
            }
        )
    except (sqlite3.Error, OSError) as exc:
        return _fail(f"cannot use the database {args.db}: {exc}")
    try:
        server = make_production_server(app, args.host, args.port, limits, args.trusted_proxy)
    except (OSError, ValueError) as exc:
        return _fail(
            f"cannot listen on {args.host}:{args.port}: {getattr(exc, 'strerror', '') or exc}"
        )
    base = f"http://{args.host}:{server.effective_port}"
    print(f"scim-stub: settings UI at {base}/  (database {args.db})")
    print(
        f"scim-stub: waitress, {limits.threads} threads, at most {limits.connection_limit} "
        f"connections, idle ones closed after {limits.idle_timeout} s"
    )
    if args.seed:
        print(f"scim-stub: seeded users sign in with the password {SEED_PASSWORD!r}")
    for org in storage_of(app).organizations():
        if org["scim_enabled"]:
            scim_url = base + SCIM_PATH.format(org_uid=org["uid"])
            print(f"scim-stub: SCIM for {org['name']}: {scim_url}")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    server.close()
    return 0


def token(args: argparse.Namespace) -> int:
    """Issue a token for an organization (optionally enabling SCIM) and print it."""
    try:
        return _issue_token(args)
    except (sqlite3.Error, OSError) as exc:  # not a database, unreadable, a directory ...
        return _fail(f"cannot use the database {args.db}: {exc}")


def _issue_token(args: argparse.Namespace) -> int:
    app = create_app({"DATABASE": args.db, "SEED": False})
    storage = storage_of(app)
    if not storage.organizations():  # a new database: give it what `serve` would seed
        seed(storage)
    org = storage.organization(args.org)
    if org is None:
        known = ", ".join(o["slug"] for o in storage.organizations()) or "none"
        return _fail(f"no organization {args.org!r} in {args.db} (known: {known})")
    if not org["plan_includes_scim"]:
        return _fail(f"the {org['plan']} plan of {org['name']} does not include SCIM")
    if not org["scim_enabled"]:
        if not args.enable:
            return _fail(f"SCIM is off for {org['name']}; pass --enable to switch it on")
        storage.set_scim_enabled(org["uid"], True)
        storage.audit(org["uid"], "scim-stub CLI", "SCIM enabled", application="CLI")
    secret = storage.issue_token(org["uid"], created_by="scim-stub CLI")
    storage.audit(org["uid"], "scim-stub CLI", "SCIM token generated", application="CLI")
    scim_path = SCIM_PATH.format(org_uid=org["uid"])
    if args.json:
        print(json.dumps({"org_uid": org["uid"], "scim_path": scim_path, "token": secret}))
    else:
        print(secret)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``scim-stub`` console script."""
    args = _parser().parse_args(argv)
    return {"serve": serve, "token": token}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
