"""scim-conformance: check a SCIM 2.0 service provider against RFC 7643/7644.

Exit status: 0 no MUST failure (with --strict: no warning either), 1 failures, 2 could not
evaluate (unreachable, token refused, bad usage, interrupted). The commands live in
conformance.commands (arguments, check, sweep, listing, terminal).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from rich.console import Console

from conformance.baseline import BaselineError
from conformance.commands.arguments import TOKEN_ENV, build_parser
from conformance.commands.check import check_command
from conformance.commands.listing import list_command
from conformance.commands.terminal import (
    EXIT_FAILURES,
    EXIT_OK,
    EXIT_UNEVALUATED,
    UsageError,
    exit_status,
    say,
)
from conformance.redaction import Redactor

__all__ = ["EXIT_FAILURES", "EXIT_OK", "EXIT_UNEVALUATED", "exit_status", "main"]


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
            return list_command(args, out)
        if args.command == "sweep":
            args.sweep = True
        return check_command(args, out, err)
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
