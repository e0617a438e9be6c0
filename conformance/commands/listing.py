"""The list command, and the check selection it shares with the check command."""

from __future__ import annotations

import argparse

from rich.console import Console

from conformance.commands.arguments import tag_set
from conformance.commands.terminal import EXIT_OK, UsageError, say
from conformance.registry import CheckSpec, all_checks
from conformance.selection import PROFILES, RunOptions, select


def selected_checks(options: RunOptions) -> list[CheckSpec]:
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


def list_command(args: argparse.Namespace, out: Console) -> int:
    """The list command: what check would run with the same --tags and --profile, and
    (without --profile) every IdP profile's checks, marked with the option that runs them."""
    profiles = tuple(args.profile) or PROFILES
    specs = selected_checks(RunOptions(tags=tag_set(args.tags), profiles=profiles))
    for spec in specs:
        writes = "writes" if spec.mutating else "reads "
        mark = f"  [--profile {spec.profile}]" if spec.profile else ""
        say(out, f"{spec.id:48} {spec.level:6} {writes} {spec.rfc}{mark}")
    rfc = sum(1 for spec in specs if not spec.profile)
    say(out, f"{rfc} RFC checks, {len(specs) - rfc} IdP profile checks (run with --profile)")
    return EXIT_OK
