"""What a run executes and how: its options, the checks they select, the writes they plan."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from conformance.http import HttpOptions
from conformance.registry import CheckSpec
from conformance.report.model import Result

PROFILES = ("entra", "okta", "onelogin")


@dataclass
class RunOptions:
    """How a run selects and executes checks."""

    tags: frozenset[str] = frozenset()  # tags or id prefixes; empty = every RFC check
    profiles: tuple[str, ...] = ()
    read_only: bool = False
    workers: int = 4
    http: HttpOptions = field(default_factory=HttpOptions)
    prefix: str | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: Callable[[Result, int, int], None] | None = None
    # "User"/"Group" -> a JSON template with {prefix} placeholders (conformance.payloads)
    templates: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.profiles) - set(PROFILES)
        if unknown:
            raise ValueError(f"unknown profile(s) {sorted(unknown)}; choose from {PROFILES}")


def select(specs: Iterable[CheckSpec], options: RunOptions) -> list[CheckSpec]:
    """Checks a run executes: RFC checks matching --tags, plus the chosen profiles' checks."""
    chosen = []
    for spec in specs:
        if spec.profile:
            if spec.profile in options.profiles:
                chosen.append(spec)
            continue
        if not options.tags or any(
            tag in spec.tags or spec.id == tag or spec.id.startswith(f"{tag}.")
            for tag in options.tags
        ):
            chosen.append(spec)
    return chosen


def plan(specs: list[CheckSpec], prefix: str) -> list[str]:
    """Every write the selected checks may make, one line each (nothing is sent)."""
    lines = []
    for spec in specs:
        if spec.mutating:
            lines.append(
                f"{spec.id}: {spec.title} - creates, changes and deletes only resources named "
                f"{prefix}-* (tags: {', '.join(sorted(spec.tags))})"
            )
    return lines
