"""The check command: plan or run the checks, clean up, report (also when interrupted)."""

from __future__ import annotations

import argparse
import threading

from rich.console import Console

from conformance.auth import AuthError
from conformance.baseline import Baseline
from conformance.baseline import load as load_baseline
from conformance.commands.arguments import base_url as checked_base_url
from conformance.commands.arguments import http_options, tag_set
from conformance.commands.listing import selected_checks
from conformance.commands.sweep import sweep_command
from conformance.commands.terminal import (
    EXIT_OK,
    EXIT_UNEVALUATED,
    Interrupts,
    UsageError,
    exit_status,
    say,
    write_reports,
)
from conformance.payloads import load_templates
from conformance.registry import CheckSpec
from conformance.report.console import LiveProgress, print_report
from conformance.runner import Runner, TargetUnavailable
from conformance.selection import RunOptions, plan


def check_command(args: argparse.Namespace, out: Console, err: Console) -> int:
    """The check command (and, with --sweep, the sweep command)."""
    base_url = checked_base_url(args.base_url)
    http = http_options(args)
    if args.sweep:
        return sweep_command(base_url, http, args.prefix or "scimproof-", out, err)
    baseline = load_baseline(args.baseline) if args.baseline else None
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    cancel = threading.Event()
    options = RunOptions(
        tags=tag_set(args.tags),
        profiles=tuple(args.profile),
        read_only=args.read_only,
        workers=args.workers,
        http=http,
        prefix=args.prefix,
        cancel=cancel,
        templates=load_templates(args.user_template, args.group_template),
    )
    specs = selected_checks(options)
    runner = Runner(base_url, None, options)  # the credentials travel in http.auth
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
        interrupts.on_second = lambda: write_reports(runner.report(), args, out, runner.redactor)
        return _run_and_report(runner, specs, args, baseline, out, err, interrupts)


def _run_and_report(
    runner: Runner,
    specs: list[CheckSpec],
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
        write_reports(report, args, out, redactor)
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
    write_reports(report, args, out, redactor)
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
