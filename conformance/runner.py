"""Runs checks against a SCIM service: discovery once, groups concurrently, cleanup always."""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import requests

from conformance import urns
from conformance.cleanup import (
    SafetyViolation,
    count_resources,
    delete_tracked,
    find_leftovers,
)
from conformance.context import CheckContext, Verdict
from conformance.http import Cancelled, HttpClient, TransportError
from conformance.preflight import not_scim
from conformance.registry import CheckSpec, all_checks
from conformance.report.model import NOT_RUN, Report, Result, Status
from conformance.responses import body_of
from conformance.run_state import RunState
from conformance.selection import RunOptions, select

TOOL = "scim-conformance"
# A precondition check with one of these verdicts did not show the behaviour its dependents
# rely on: they are blocked (skip) instead of judged.
BLOCKING = frozenset({Status.FAIL, Status.WARN, Status.INFO, Status.ERROR})


def tool_version() -> str:
    """The installed scimproof version."""
    try:
        return version("scimproof")
    except PackageNotFoundError:
        return "0+unknown"


class TargetUnavailable(Exception):
    """The target could not be evaluated at all (unreachable, or it refused the token)."""


class Runner:
    """One run against one target: prepare(), run_check() per check, finish()."""

    def __init__(self, base_url: str, token: str | None, options: RunOptions | None = None):
        self.options = options or RunOptions()
        self.token = token
        prefix = self.options.prefix or f"scimproof-{secrets.token_hex(3)}"
        self.client = HttpClient(token, self.options.http, self.options.cancel, base_url=base_url)
        self.redactor = self.client.redactor  # THE redactor of this run (conformance.redaction)
        self.redactor.allow(prefix)  # names the run gives its resources are public
        self.state = RunState(
            base_url=base_url,
            client=self.client,
            prefix=prefix,
            read_only=self.options.read_only,
            templates=self.options.templates,
        )
        self.started_at = datetime.now(UTC)
        self.started = time.monotonic()
        self.counts_before: dict[str, int | None] = {}
        self.results: list[Result] = []
        self._by_id: dict[str, Result] = {}
        self._results_lock = threading.Lock()
        self.cleanup_failures: list[str] = []

    # -- before ----------------------------------------------------------------------
    def prepare(self, mutating: bool = True) -> None:
        """Fetch discovery documents once; raise TargetUnavailable if nothing can be checked."""
        spc = self._discovery_get("/ServiceProviderConfig")
        if spc.status_code in (401, 403):
            raise TargetUnavailable(self._refused(spc.status_code, "/ServiceProviderConfig"))
        self.state.spc = _json_object(spc) if spc.status_code == 200 else {}
        self.state.resource_types = _resources(self._discovery_get("/ResourceTypes"))
        self.state.schemas = _resources(self._discovery_get("/Schemas"))
        users = self._discovery_get(self._ctx_endpoint("users"), params={"count": 1})
        if users.status_code in (401, 403):
            raise TargetUnavailable(self._refused(users.status_code, "Users"))
        problem = not_scim(self.state.base_url, spc, users, self._ctx_endpoint("users"))
        if problem:
            raise TargetUnavailable(problem)
        if spc.status_code == 404 and users.status_code == 404:
            raise TargetUnavailable(
                f"no SCIM service at {self.state.base_url}: /ServiceProviderConfig and "
                "/Users both answer 404; check BASE_URL"
            )
        if mutating:
            self.counts_before = count_resources(self._discovery_get, self._counted_endpoints())

    def _refused(self, status: int, where: str) -> str:
        """Why a 401/403 stops the run: no credentials were given, or they were refused."""
        if not self.client.auth_header():
            return (
                f"no token given, and the server requires one ({status} on {where}); pass "
                "--token (or set $SCIM_TOKEN), --basic, --header or the OAuth options"
            )
        return f"the server refused the token ({status} on {where}); check --token"

    def _discovery_get(self, path: str, params: dict[str, Any] | None = None) -> requests.Response:
        """GET during preparation, turning transport failures into TargetUnavailable."""
        try:
            return self._send(self.client, "GET", path, params)
        except Cancelled as exc:
            raise TargetUnavailable(f"stopped before any check ran: {exc}") from exc
        except TransportError as exc:
            raise TargetUnavailable(f"{self.state.base_url} is unreachable: {exc}") from exc

    def _ctx_endpoint(self, which: str) -> str:
        """The Users or Groups endpoint as the resource types name it."""

        if which == "users":
            return self.state.endpoint(urns.USER, "/Users")
        return self.state.endpoint(urns.GROUP, "/Groups")

    def _counted_endpoints(self) -> list[str]:
        """Endpoints whose sizes are compared before and after the run."""
        return [self._ctx_endpoint("users"), self._ctx_endpoint("groups")]

    # -- during ----------------------------------------------------------------------
    def run_check(self, spec: CheckSpec) -> Result:
        """Run one check (never raises), then delete what it created.

        A precondition check that failed (or was itself blocked) makes this one a skip
        "blocked by <root cause>"; a capability the server neither advertises nor shows
        makes it a skip naming the capability.
        """
        if self.options.read_only and spec.mutating:
            return self._record(
                spec, Status.SKIP, "not run: --read-only excludes mutating checks", [], 0.0
            )
        blocker = self._blocker(spec)
        if blocker is not None:
            root, message = blocker
            return self._record(spec, Status.SKIP, message, [], 0.0, blocked_by=root)
        ctx = CheckContext(self.state, spec)
        started = time.monotonic()
        try:
            if self.options.cancel.is_set():
                raise Verdict(Status.ERROR, NOT_RUN)
            for capability in spec.capabilities:
                ctx.require(capability)
            spec.func(ctx)
            status, message = Status.PASS, ""
        except Verdict as verdict:
            status, message = verdict.status, verdict.message
        except Exception as exc:  # a check crashing is reported, never propagated
            status = Status.ERROR
            message = f"{exc.__class__.__name__}: {exc}"
        finally:
            refusals = self._cleanup(spec.id).get(spec.id)
        if refusals:
            status = Status.ERROR
            message = "; ".join(["safety: " + r for r in refusals] + [message])
        exchanges = [exchange.to_dict() for exchange in ctx.exchanges]
        return self._record(spec, status, message, exchanges, time.monotonic() - started)

    def _blocker(self, spec: CheckSpec) -> tuple[str, str] | None:
        """(root cause id, message) when a precondition of spec is broken, else None."""
        with self._results_lock:
            found = {need: self._by_id.get(need) for need in spec.preconditions}
        for need, result in found.items():
            if result is None:
                continue  # not selected in this run: nothing known against it
            if result.blocked_by:
                return result.blocked_by, (
                    f"blocked by {result.blocked_by}: it blocked {need}, which this check needs"
                )
            if result.status in BLOCKING:
                return need, f"blocked by {need} ({result.status}: {result.message})"
        return None

    def _record(
        self,
        spec: CheckSpec,
        status: Status,
        message: str,
        exchanges: list[dict[str, Any]],
        duration: float,
        blocked_by: str | None = None,
    ) -> Result:
        """Store a result and report progress."""
        result = Result(
            id=spec.id,
            title=spec.title,
            rfc=spec.rfc,
            level=spec.level,
            status=status,
            message=self.redactor.redact(message),
            exchanges=exchanges,  # redacted once, when recorded (conformance.http)
            duration_s=duration,
            tags=sorted(spec.tags),
            profile=spec.profile,
            requirement=spec.requirement,
            blocked_by=blocked_by,
        )
        with self._results_lock:
            self.results.append(result)
            self._by_id[spec.id] = result
        return result

    def _cleanup(self, owner: str | None) -> dict[str, list[str]]:
        """Delete what a check (or, with None, the whole run) still owns; refusals by check.

        Each resource is re-read first (conformance.cleanup); the final cleanup has its own
        client, bounded by --cleanup-deadline even after Ctrl-C.
        """
        client = self.client if owner else self._cleanup_client()
        outcome = delete_tracked(
            self.state.tracker,
            lambda path: self._send(client, "GET", path),
            lambda path: self._send(client, "DELETE", path),
            owner,
            (TransportError, Cancelled),
        )
        if owner is None:
            client.close()
            self.cleanup_failures += outcome.failures
            self._blame(outcome.refusals)
        return outcome.refusals

    def _cleanup_client(self) -> HttpClient:
        """A fresh client for after the run: not cancelled, bounded by --cleanup-deadline."""
        return HttpClient(
            self.token,
            self.options.http,
            base_url=self.state.base_url,
            redactor=self.redactor,
            deadline=time.monotonic() + self.options.http.cleanup_deadline,
        )

    def _send(
        self, client: HttpClient, method: str, path: str, params: dict[str, Any] | None = None
    ) -> requests.Response:
        """An unrecorded authenticated request to a path below the base URL."""
        return client.send_unrecorded(method, self.state.url(path), params)

    def _blame(self, refusals: dict[str, list[str]]) -> None:
        """Turn the results of checks whose resources the server lied about into errors."""
        with self._results_lock:
            for result in self.results:
                for refusal in refusals.get(result.id, []):
                    result.status = Status.ERROR
                    refused = self.redactor.redact(refusal)
                    result.message = f"safety: {refused}; {result.message}"

    def run_all(self, specs: list[CheckSpec]) -> None:
        """Run checks: groups concurrently in a bounded pool, a group's checks in order.

        A group starts once the groups holding its checks' preconditions have finished.
        """
        groups: dict[str, list[CheckSpec]] = {}
        for spec in specs:
            groups.setdefault(spec.group, []).append(spec)
        waits_for = _group_dependencies(groups)
        pending = dict(sorted(groups.items()))
        finished_groups: set[str] = set()
        total = len(specs)
        done = 0
        progress = self.options.progress

        def run_group(members: list[CheckSpec]) -> list[Result]:
            """Run one group's checks in order."""
            return [self.run_check(spec) for spec in members]

        workers = max(1, self.options.workers)
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scim-check")
        futures: dict[Future[list[Result]], str] = {}

        def submit_ready() -> None:
            """Start every group whose preconditions' groups have finished."""
            ready = [name for name in pending if waits_for[name] <= finished_groups]
            if not ready and not futures:
                ready = list(pending)  # only a precondition cycle across groups gets here
            for name in ready:
                futures[pool.submit(run_group, pending.pop(name))] = name

        try:
            submit_ready()
            while futures:
                finished, _ = wait(set(futures), timeout=0.5, return_when=FIRST_COMPLETED)
                for future in finished:
                    finished_groups.add(futures.pop(future))
                    for result in future.result():
                        done += 1
                        if progress:
                            progress(result, done, total)
                submit_ready()
        except KeyboardInterrupt:
            # Running checks end at their next request; queued ones are reported as not run.
            self.options.cancel.set()
            for future in futures:
                future.cancel()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            ran = {result.id for result in self.results}
            for spec in specs:
                if spec.id not in ran:
                    self._record(spec, Status.ERROR, NOT_RUN, [], 0.0)

    # -- after -----------------------------------------------------------------------
    def finish(self) -> Report:
        """Delete every leftover of the run, compare counts, and build the report."""
        self._cleanup(None)
        safety: dict[str, Any] = {"prefix": self.state.prefix}
        if self.counts_before:
            cleanup_client = self._cleanup_client()
            try:

                def get(path: str, params: dict[str, Any] | None = None) -> requests.Response:
                    """An unrecorded GET with the cleanup client."""
                    return self._send(cleanup_client, "GET", path, params)

                after: dict[str, int | None] = {}
                leftovers: list[tuple[str, str, str]] = []
                after = count_resources(get, self.counts_before)
                leftovers = find_leftovers(get, self.state.prefix)
                if self.state.tracker.adopt(leftovers):  # creates whose answer never came
                    self._cleanup(None)
                    after = count_resources(get, self.counts_before)
                    leftovers = find_leftovers(get, self.state.prefix)
            except (TransportError, Cancelled, SafetyViolation) as exc:
                self.cleanup_failures.append(f"could not verify cleanup: {exc}")
            finally:
                cleanup_client.close()
            safety.update(
                counts_before=self.counts_before,
                counts_after=after,
                leftovers=[f"{endpoint}/{rid} ({name})" for endpoint, rid, name in leftovers],
                unchanged=after == self.counts_before and not leftovers,
            )
        safety["cleanup_failures"] = self.cleanup_failures
        safety = self.redactor.redact_json(safety)
        self.client.close()
        return self.report(safety)

    def report(self, safety: dict[str, Any] | None = None) -> Report:
        """The report of what has run so far (also a partial one, without cleanup)."""
        if safety is None:
            pending = self.state.tracker.pending()
            safety = self.redactor.redact_json(
                {
                    "prefix": self.state.prefix,
                    "cleanup_failures": ["cleanup abandoned (second interrupt)"],
                    "leftovers": [f"{t.endpoint}/{t.id} (created by {t.owner})" for t in pending],
                }
            )
        results = sorted(list(self.results), key=lambda r: r.id)
        return Report(
            tool=TOOL,
            version=tool_version(),
            target=self.redactor.redact(self.state.base_url),
            started=self.started_at.isoformat(timespec="seconds"),
            duration_s=time.monotonic() - self.started,
            results=results,
            prefix=self.state.prefix,
            requests=self.client.request_count,
            safety=safety,
            interrupted=self.options.cancel.is_set(),
            options={
                "tags": sorted(self.options.tags),
                "profiles": list(self.options.profiles),
                "read_only": self.options.read_only,
                "workers": self.options.workers,
            },
        )


def run(
    base_url: str,
    token: str | None = None,
    options: RunOptions | None = None,
    checks: list[CheckSpec] | None = None,
) -> Report:
    """Run the selected checks against base_url and return the report (cleanup always runs)."""
    options = options or RunOptions()
    specs = checks if checks is not None else select(all_checks(), options)
    runner = Runner(base_url, token, options)
    runner.prepare(mutating=not options.read_only and any(s.mutating for s in specs))
    try:
        runner.run_all(specs)
    finally:
        report = runner.finish()
    return report


def _group_dependencies(groups: dict[str, list[CheckSpec]]) -> dict[str, set[str]]:
    """Group name -> the other groups holding preconditions of its checks."""
    group_of = {spec.id: name for name, members in groups.items() for spec in members}
    return {
        name: {
            group_of[need]
            for spec in members
            for need in spec.preconditions
            if need in group_of and group_of[need] != name
        }
        for name, members in groups.items()
    }


def _json_object(response: requests.Response) -> dict[str, Any]:
    """A JSON object body, {} if the body is anything else."""
    value = body_of(response)
    return value if isinstance(value, dict) else {}


def _resources(response: requests.Response) -> list[dict[str, Any]]:
    """The resources of a discovery list (a ListResponse, or a bare JSON array)."""
    if response.status_code != 200:
        return []
    value = body_of(response)
    if isinstance(value, dict):
        value = value.get("Resources") or []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
