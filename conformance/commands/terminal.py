"""What every command shares on the terminal: exit statuses, one-line messages, Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from rich.console import Console

from conformance.baseline import Baseline
from conformance.redaction import Redactor
from conformance.report import html as html_report
from conformance.report import json as json_report
from conformance.report import junit as junit_report
from conformance.report.model import Report

EXIT_OK, EXIT_FAILURES, EXIT_UNEVALUATED = 0, 1, 2


class UsageError(Exception):
    """Bad command-line input; reported in one line with exit status 2."""


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


def write_reports(
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
