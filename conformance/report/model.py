"""Results and reports: the data every output format (JSON, JUnit, HTML, console) renders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """A check's verdict. fail: a MUST broken; warn: a SHOULD; info: noted, no rule broken."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    INFO = "info"
    SKIP = "skip"
    ERROR = "error"


STATUSES: tuple[Status, ...] = tuple(Status)
# What a baseline says of a failure: not known before, or already waived.
NEW, WAIVED = "new", "waived"
# Messages of checks an interruption (Ctrl-C, SIGTERM, --deadline) kept from running or finishing.
NOT_RUN = "not run: the run was interrupted"
CUT_SHORT = "run interrupted before the check finished"


@dataclass
class Result:
    """The outcome of one check."""

    id: str
    title: str
    rfc: str
    level: str
    status: Status
    message: str = ""
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    duration_s: float = 0.0
    tags: list[str] = field(default_factory=list)
    profile: str | None = None
    requirement: str = ""  # the RFC sentence the check enforces
    blocked_by: str | None = None  # the root-cause check id when a precondition broke
    baseline: str | None = None  # NEW or WAIVED when the run has a baseline

    def __post_init__(self) -> None:
        self.status = Status(self.status)

    @property
    def interrupted(self) -> bool:
        """True for a check the run's interruption kept from running or finishing."""
        return self.status == Status.ERROR and self.message in (NOT_RUN, CUT_SHORT)

    @property
    def finding(self) -> bool:
        """True for a result that can fail a run: fail, warn or error."""
        return self.status in (Status.FAIL, Status.WARN, Status.ERROR)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report form of a result."""
        data = {
            "id": self.id,
            "title": self.title,
            "rfc": self.rfc,
            "level": self.level,
            "status": self.status,
            "message": self.message,
            "exchanges": self.exchanges,
            "duration_s": round(self.duration_s, 4),
            "tags": self.tags,
        }
        for key in ("profile", "requirement", "blocked_by", "baseline"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        """Rebuild a result from its JSON form."""
        return cls(
            id=data["id"],
            title=data.get("title", ""),
            rfc=data.get("rfc", ""),
            level=data.get("level", "MUST"),
            status=data["status"],
            message=data.get("message", ""),
            exchanges=data.get("exchanges", []),
            duration_s=data.get("duration_s", 0.0),
            tags=data.get("tags", []),
            profile=data.get("profile"),
            requirement=data.get("requirement", ""),
            blocked_by=data.get("blocked_by"),
            baseline=data.get("baseline"),
        )


def count(results: list[Result]) -> dict[str, int]:
    """{"pass": n, "fail": n, "warn": n, "skip": n, "error": n}."""
    counts = Counter(result.status for result in results)
    return {status: counts.get(status, 0) for status in STATUSES}


@dataclass
class Report:
    """A whole run: the RFC verdict, IdP compatibility and the safety accounting."""

    tool: str
    version: str
    target: str
    started: str
    duration_s: float
    results: list[Result]
    prefix: str = ""
    requests: int = 0
    safety: dict[str, Any] = field(default_factory=dict)
    interrupted: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    stale_waivers: list[str] = field(default_factory=list)  # baseline entries matching nothing

    @property
    def rfc_results(self) -> list[Result]:
        """Results of the RFC checks (IdP profile results excluded)."""
        return [r for r in self.results if not r.profile]

    @property
    def summary(self) -> dict[str, int]:
        """Status counts of the RFC checks."""
        return count(self.rfc_results)

    @property
    def compatibility(self) -> dict[str, dict[str, Any]]:
        """Per IdP profile: status counts and the ids of its failed checks."""
        profiles: dict[str, list[Result]] = {}
        for result in self.results:
            if result.profile:
                profiles.setdefault(result.profile, []).append(result)
        return {
            name: {
                "summary": count(results),
                "compatible": not any(r.status in ("fail", "error") for r in results),
            }
            for name, results in sorted(profiles.items())
        }

    def result(self, check_id: str) -> Result | None:
        """The result of one check, None if it did not run."""
        return next((r for r in self.results if r.id == check_id), None)

    def failures(self, strict: bool = False) -> list[Result]:
        """Results that make the run fail: MUST failures (and with strict, warnings too)."""
        bad = {Status.FAIL, Status.WARN} if strict else {Status.FAIL}
        return [r for r in self.results if r.status in bad]

    def interruption(self) -> tuple[int, int]:
        """(checks not run, checks cut short) because the run was interrupted."""
        cut = [result for result in self.results if result.interrupted]
        not_run = sum(1 for result in cut if result.message == NOT_RUN)
        return not_run, len(cut) - not_run

    def interruption_line(self) -> str:
        """The one line every report prints for an interrupted run ('' if nothing was cut)."""
        not_run, cut_short = self.interruption()
        if not (not_run or cut_short):
            return ""
        ended = self.safety.get("ended", "interrupted")
        return (
            f"INTERRUPTED: {not_run} of {len(self.results)} checks not run, "
            f"{cut_short} cut short ({ended}); the report is partial"
        )

    def root_causes(self) -> dict[str, list[str]]:
        """Root-cause check id -> ids of the checks it blocked (only roots that blocked some)."""
        blocked: dict[str, list[str]] = {}
        for result in self.results:
            if result.blocked_by:
                blocked.setdefault(result.blocked_by, []).append(result.id)
        return {root: sorted(ids) for root, ids in sorted(blocked.items())}

    def to_dict(self) -> dict[str, Any]:
        """The JSON report document."""
        return {
            "tool": self.tool,
            "version": self.version,
            "target": self.target,
            "started": self.started,
            "duration_s": round(self.duration_s, 3),
            "summary": self.summary,
            "compatibility": self.compatibility,
            "prefix": self.prefix,
            "requests": self.requests,
            "safety": self.safety,
            "interrupted": self.interrupted,
            "options": self.options,
            "root_causes": self.root_causes(),
            "stale_waivers": self.stale_waivers,
            "results": [result.to_dict() for result in self.results],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Rebuild a report from its JSON document."""
        return cls(
            tool=data.get("tool", ""),
            version=data.get("version", ""),
            target=data.get("target", ""),
            started=data.get("started", ""),
            duration_s=data.get("duration_s", 0.0),
            results=[Result.from_dict(item) for item in data.get("results", [])],
            prefix=data.get("prefix", ""),
            requests=data.get("requests", 0),
            safety=data.get("safety", {}),
            interrupted=data.get("interrupted", False),
            options=data.get("options", {}),
            stale_waivers=data.get("stale_waivers", []),
        )
