"""Console output: a live progress line while checks run, then a summary by RFC section."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from conformance.report.model import STATUSES, Report, Result
from conformance.report.sections import by_section

STYLES = {
    "pass": "green",
    "fail": "bold red",
    "warn": "yellow",
    "info": "cyan",
    "skip": "dim",
    "error": "magenta",
}


class LiveProgress:
    """A transient progress line on stderr: checks done, total, and the latest verdict."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=self.console,
            transient=True,
        )
        self.task = self.progress.add_task("", total=None)

    def __enter__(self) -> LiveProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, result: Result, done: int, total: int) -> None:
        """Advance the line; failures are also printed above it as they happen."""
        style = STYLES[result.status]
        self.progress.update(
            self.task,
            completed=done,
            total=total,
            description=f"[{style}]{result.status}[/] {escape(result.id)}",
        )
        if result.status in ("fail", "error") and not result.interrupted:
            self.progress.console.print(
                f"[{style}]{result.status.upper():5}[/] {escape(result.id)}: "
                f"{escape(result.message)}",
                markup=True,
                highlight=False,
            )


def summary_table(report: Report) -> Table:
    """Status counts per RFC section."""
    table = Table(title=f"SCIM conformance of {report.target}", title_justify="left")
    table.add_column("RFC section")
    for status in STATUSES:
        table.add_column(status, justify="right", style=STYLES[status])
    for section, counts in by_section(report):
        table.add_row(section, *(str(counts[s]) or "" for s in STATUSES))
    table.add_section()
    table.add_row("total", *(str(report.summary[s]) for s in STATUSES), style="bold")
    for name, info in report.compatibility.items():
        label = f"profile {name}: {'compatible' if info['compatible'] else 'NOT compatible'}"
        table.add_row(label, *(str(info["summary"][s]) for s in STATUSES))
    return table


def result_line(result: Result) -> str:
    """One result as console markup: status, [new]/[waived] mark, level, id, RFC, message."""
    style = STYLES[result.status]
    mark = f" \\[{result.baseline}]" if result.baseline else ""
    line = (
        f"[{style}]{result.status.upper():5}[/]{mark} \\[{result.level}] {escape(result.id)} "
        f"({escape(result.rfc)}): {escape(result.message)}"
    )
    if result.requirement and result.status in ("fail", "warn", "info"):
        line += f'\n      RFC: "{escape(result.requirement)}"'
    return line


def print_report(report: Report, console: Console | None = None, verbose: bool = False) -> None:
    """Print findings grouped by root cause (all results with verbose) and the summary table.

    A failed check that blocked others is printed with the checks it blocked under it;
    with a baseline, each finding is marked new or waived and stale waivers are listed.
    """
    console = console or Console()
    shown = ("fail", "error", "warn", "info") if not verbose else STATUSES
    roots = report.root_causes()
    for result in report.results:
        if result.blocked_by and not verbose:
            continue  # printed under its root cause
        if result.interrupted:
            continue  # counted in one line below
        if result.status in shown:
            console.print(result_line(result), highlight=False)
            if result.id in roots:
                blocked = ", ".join(roots[result.id])
                console.print(
                    f"      root cause: blocked {len(roots[result.id])} dependent checks: "
                    f"{escape(blocked)}",
                    highlight=False,
                )
    if report.stale_waivers:
        console.print(
            "Stale waivers (match no finding any more): " + escape(", ".join(report.stale_waivers)),
            highlight=False,
        )
    line = report.interruption_line()
    if line:
        console.print(line, highlight=False, markup=False)
    console.print(summary_table(report))
    safety = report.safety
    if "unchanged" in safety:
        state = "unchanged" if safety["unchanged"] else "CHANGED"
        console.print(
            f"Tenant {state} after cleanup: before {safety.get('counts_before')}, after "
            f"{safety.get('counts_after')}; leftovers {safety.get('leftovers') or 'none'}",
            highlight=False,
        )
    console.print(
        f"{len(report.results)} checks, {report.requests} requests in {report.duration_s:.2f}s "
        f"(prefix {report.prefix})",
        highlight=False,
    )
