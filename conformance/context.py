"""What a check function receives: HTTP helpers, discovery data, fixtures and verdicts.

The run's shared state is conformance.run_state; reading a response is conformance.responses
(``body_of`` and ``describe`` are re-exported here, where the checks import them from).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import requests

from conformance import jsonschemas, urns
from conformance.cleanup import SafetyViolation, created_names
from conformance.exchange import Exchange
from conformance.http import SCIM_JSON, Cancelled, TransportError, encode_json
from conformance.report.model import CUT_SHORT, Status
from conformance.responses import body_of, declined, describe
from conformance.run_state import RunState, Shown, track_response

__all__ = ["CheckContext", "RunState", "Verdict", "body_of", "describe"]

if TYPE_CHECKING:
    from conformance.spec import CheckSpec


# The verdict a broken rule gets, by the strength of the sentence that states it (RFC 2119).
VERDICT_OF_LEVEL = {"MUST": Status.FAIL, "SHOULD": Status.WARN, "MAY": Status.INFO}


class Verdict(Exception):
    """Raised by ctx.fail/warn/info/skip/error to end a check with that status."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = Status(status)
        self.message = message


class CheckContext:
    """The API a check uses: requests recorded into its transcript, fixtures, verdicts."""

    def __init__(self, run: RunState, spec: CheckSpec) -> None:
        self.run = run
        self.spec = spec
        self.exchanges: list[Exchange] = []

    # -- what the run discovered -------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The SCIM base URL under test (no trailing slash)."""
        return self.run.base_url

    @property
    def spc(self) -> dict[str, Any]:
        """ServiceProviderConfig as fetched once per run ({} if none)."""
        return self.run.spc

    @property
    def resource_types(self) -> list[dict[str, Any]]:
        """ResourceTypes as fetched once per run."""
        return self.run.resource_types

    @property
    def schemas(self) -> list[dict[str, Any]]:
        """Schemas as fetched once per run."""
        return self.run.schemas

    @property
    def prefix(self) -> str:
        """Per-run prefix every created resource's names start with."""
        return self.run.prefix

    @property
    def users_endpoint(self) -> str:
        """Endpoint of the User resource type ('/Users' unless /ResourceTypes says otherwise)."""
        return self.run.endpoint(urns.USER, "/Users")

    @property
    def groups_endpoint(self) -> str:
        """Endpoint of the Group resource type."""
        return self.run.endpoint(urns.GROUP, "/Groups")

    def supports(self, capability: str) -> bool:
        """True if ServiceProviderConfig says ``<capability>.supported`` is true."""
        entry = self.spc.get(capability)
        return isinstance(entry, dict) and entry.get("supported") is True

    # -- HTTP ------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | str | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> requests.Response:
        """Send a request to base_url+path, recording the (redacted) exchange."""
        method = method.upper()
        relative = self.run.relative(path)
        is_search = urlsplit(relative).path.rstrip("/").endswith("/.search")
        if self.run.read_only and method not in ("GET", "HEAD", "OPTIONS") and not is_search:
            self.skip(f"--read-only: not sending {method} {relative}")
        try:
            self.run.tracker.guard(method, relative, json, fetch=self._unrecorded_get)
        except (TransportError, Cancelled) as exc:
            self.error(f"could not confirm the run created what {method} {relative} changes: {exc}")
        except SafetyViolation as exc:
            self.error(f"safety: {exc}")
        merged = {"Accept": SCIM_JSON}
        body: bytes | None = None
        if json is not None:
            body = encode_json(json)
            merged["Content-Type"] = SCIM_JSON
        elif data is not None:
            body = data.encode("utf-8") if isinstance(data, str) else data
            merged["Content-Type"] = SCIM_JSON
        if auth:
            merged.update(self.run.client.auth_header())
        merged.update(headers or {})
        merged = {name: value for name, value in merged.items() if value is not None}
        creating = created_names(method, relative, json)
        for endpoint, name in creating:  # until answered, the server may hold it unbeknown
            self.run.tracker.sending(endpoint, name, self.spec.id)
        try:
            response, exchange = self.run.client.send(
                method, self.run.url(path), headers=merged, params=params, body=body
            )
        except TransportError as exc:
            if exc.exchange is not None:
                self.exchanges.append(exc.exchange)
            self.error(f"{method} {relative}: {exc}")
        except Cancelled:
            self.error(CUT_SHORT)
        for endpoint, name in creating:
            self.run.tracker.answered(endpoint, name)
        self.exchanges.append(exchange)
        if method == "GET":
            self.run.tracker.observe(relative, response)  # spares cleanup a re-read
        track_response(self.run.tracker, method, relative, response, self.spec.id)
        return response

    def _unrecorded_get(self, path: str) -> requests.Response:
        """A GET the write guard sends to re-read a resource (not part of the transcript)."""
        return self.run.client.send_unrecorded("GET", self.run.url(path))

    def get(self, path: str, **kw: Any) -> requests.Response:
        """GET shorthand for request()."""
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        """POST shorthand for request()."""
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> requests.Response:
        """PUT shorthand for request()."""
        return self.request("PUT", path, **kw)

    def patch(self, path: str, **kw: Any) -> requests.Response:
        """PATCH shorthand for request()."""
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        """DELETE shorthand for request()."""
        return self.request("DELETE", path, **kw)

    def json(self, response: requests.Response) -> dict[str, Any]:
        """The response body as a JSON object, or fail the check saying what came instead."""
        value = body_of(response)
        if not isinstance(value, dict):
            snippet = response.text[:200] if response.text else "an empty body"
            self.fail(f"{describe(response)}: expected a JSON object body, got {snippet!r}")
        return value

    # -- fixtures --------------------------------------------------------------------
    def unique(self, label: str) -> str:
        """f"{prefix}-{label}-{n}", unique within the run (thread-safe)."""
        return f"{self.prefix}-{label}-{self.run.next_number()}"

    def user_payload(self, **overrides: Any) -> dict[str, Any]:
        """A valid new User (conformance.payloads: per the server's schema); None drops a key."""
        return _apply_overrides(self.run.payloads().user(self.unique), overrides)

    def group_payload(
        self, members: list[str] | tuple[str, ...] = (), **overrides: Any
    ) -> dict[str, Any]:
        """A valid new Group with a prefixed displayName and the given member ids."""
        return _apply_overrides(self.run.payloads().group(self.unique, members), overrides)

    def new_user(self, **overrides: Any) -> dict[str, Any]:
        """Create a prefixed User for this check (deleted when it ends) and return it."""
        return self._create(self.users_endpoint, self.user_payload(**overrides), "User")

    def new_group(
        self, members: list[str] | tuple[str, ...] = (), **overrides: Any
    ) -> dict[str, Any]:
        """Create a prefixed Group for this check (deleted when it ends) and return it."""
        payload = self.group_payload(members, **overrides)
        return self._create(self.groups_endpoint, payload, "Group")

    def _create(self, endpoint: str, payload: dict[str, Any], kind: str) -> dict[str, Any]:
        """POST a fixture resource; error (not fail) if the server refuses it."""
        response = self.post(endpoint, json=payload)
        resource = body_of(response)
        if response.status_code not in (200, 201) or not isinstance(resource, dict):
            self.error(f"could not create a {kind} to check with: {describe(response)}")
        if not resource.get("id"):
            self.error(f"the created {kind} has no id: {describe(response)}")
        # Registered by _track on 201; a 200 answer is registered here.
        self.run.tracker.register(endpoint, str(resource["id"]), self.spec.id)
        return resource

    def forget(self, resource_type: str, id: str) -> None:
        """Drop a resource from cleanup (the check already deleted it)."""
        endpoint = (
            resource_type
            if resource_type.startswith("/")
            else {"User": self.users_endpoint, "Group": self.groups_endpoint}.get(
                resource_type, f"/{resource_type}"
            )
        )
        self.run.tracker.forget(endpoint, id)

    # -- verdicts --------------------------------------------------------------------
    def fail(self, message: str) -> NoReturn:
        """End the check as its level says: 'fail' (MUST), 'warn' (SHOULD) or 'info' (MAY)."""
        raise Verdict(VERDICT_OF_LEVEL[self.spec.level], message)

    def warn(self, message: str) -> NoReturn:
        """End the check with 'warn' (a SHOULD not met; 'info' in a MAY check)."""
        raise Verdict(Status.INFO if self.spec.level == "MAY" else Status.WARN, message)

    def info(self, message: str) -> NoReturn:
        """End the check with 'info': worth knowing, no RFC sentence broken."""
        raise Verdict(Status.INFO, message)

    def skip(self, message: str) -> NoReturn:
        """End the check with 'skip' (capability not advertised and properly declined)."""
        raise Verdict("skip", message)

    def error(self, message: str) -> NoReturn:
        """End the check with 'error' (it could not run)."""
        raise Verdict("error", message)

    def expect(self, condition: bool, message: str) -> None:
        """fail(message) unless condition holds."""
        if not condition:
            self.fail(message)

    def expect_status(self, response: requests.Response, *allowed: int) -> None:
        """Fail naming the status got, the statuses allowed and the server's detail."""
        if response.status_code not in allowed:
            wanted = " or ".join(str(status) for status in allowed)
            self.fail(f"{describe(response)}; expected {wanted}")

    def schema_errors(self, schema_name: str, instance: Any) -> list[str]:
        """Violations of one of the RFC JSON Schemas, as 'path: message' strings."""
        return [f"{v.path}: {v.message}" for v in jsonschemas.validate(schema_name, instance)]

    def expect_schema(self, schema_name: str, instance: Any) -> None:
        """Fail listing every violation of the named schema."""
        errors = self.schema_errors(schema_name, instance)
        if errors:
            more = f"; (+{len(errors) - 8} more)" if len(errors) > 8 else ""
            shown = "; ".join(errors[:8]) + more
            self.fail(f"not a valid {schema_name}: {shown}")

    def can(self, capability: str) -> bool:
        """True if the server advertises ``capability`` or a probe of this run showed it works."""
        return self.supports(capability) or self._shown(capability).usable

    def require(self, capability: str, response: requests.Response | None = None) -> None:
        """Return if the server advertises ``capability`` or shows it works; else skip.

        ``response`` is the check's own attempt at the operation; without it the run's one
        probe of the capability decides. Doing more than advertised (2xx) is no finding:
        the check goes on and judges the behaviour. Declining it (RFC 7644 §3.12) or
        breaking on it without advertising it is a skip naming what was answered.
        """
        if self.supports(capability):
            return
        if response is None:
            shown = self._shown(capability)
            if shown.usable:
                return
            self.skip(shown.reason)
        if 200 <= response.status_code < 300:
            return
        self.skip(declined(capability, response))

    def _shown(self, capability: str) -> Shown:
        """What this run's probe of an unadvertised capability showed (probed once)."""
        with self.run._shown_lock:
            if capability not in self.run.shown:
                response = self._probe(capability)
                if response is None:
                    shown = Shown(False, f"{capability} is not advertised in ServiceProviderConfig")
                elif 200 <= response.status_code < 300:
                    shown = Shown(True)
                else:
                    shown = Shown(False, declined(capability, response))
                self.run.shown[capability] = shown
            return self.run.shown[capability]

    def _probe(self, capability: str) -> requests.Response | None:
        """Attempt an unadvertised capability harmlessly; None when nothing shows it."""
        if capability == "bulk":
            body = {"schemas": [urns.BULK_REQUEST], "Operations": []}
            return self.post("/Bulk", json=body)
        if capability == "filter":
            missing = self.unique("nobody")
            return self.get(self.users_endpoint, params={"filter": f'userName eq "{missing}"'})
        if capability == "sort":
            return None  # RFC 7644 §3.4.2.3 lets a server that does not sort ignore sortBy
        if capability == "patch":
            user = self.new_user()
            body = {
                "schemas": [urns.PATCH_OP],
                "Operations": [{"op": "replace", "path": "displayName", "value": self.prefix}],
            }
            return self.patch(f"{self.users_endpoint}/{user['id']}", json=body)
        if capability == "etag":
            # Versioning shows in an ETag header on a resource (RFC 7644 §3.14).
            user = self.new_user()
            response = self.get(f"{self.users_endpoint}/{user['id']}")
            return response if response.headers.get("ETag") else None
        return None  # changePassword: nothing a server could show without a write


def _apply_overrides(payload: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Shallow override of a payload; a None value removes the key."""
    for key, value in overrides.items():
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload
