"""Helpers shared by the query, search, PATCH, ETag, Bulk and claim checks.

A `Scope` gives one check its own namespace inside the run's prefix, so filters can be
restricted to the check's resources (`userName sw "<token>-"`) and other tenant data, or
resources created concurrently by other checks, never influence a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from conformance import urns
from conformance.context import body_of, describe

if TYPE_CHECKING:
    import requests

    from conformance.context import CheckContext


# The attribute each resource kind is named by; every created resource's name starts with
# the run prefix there.
SCOPE_ATTRIBUTE = {"User": "userName", "Group": "displayName"}
MAX_PAGES = 50
# A scope holds a handful of resources: more pages than this mean the filter was ignored.
SCOPED_PAGES = 10


def scim_type(response: requests.Response) -> str | None:
    """The `scimType` of a SCIM error body, or None."""
    body = body_of(response)
    return body.get("scimType") if isinstance(body, dict) else None


def patch_body(*operations: dict) -> dict:
    """A PatchOp request body holding the given operations."""
    return {"schemas": [urns.PATCH_OP], "Operations": list(operations)}


def operation(op: str, path: str | None = None, value: Any = None) -> dict:
    """One PATCH operation; `path` and `value` are left out when None."""
    result: dict[str, Any] = {"op": op}
    if path is not None:
        result["path"] = path
    if value is not None:
        result["value"] = value
    return result


def emails_of(resource: dict) -> list[dict]:
    """The `emails` values of a resource (empty when absent)."""
    return [e for e in resource.get("emails") or [] if isinstance(e, dict)]


def member_ids(group: dict) -> set[str]:
    """The `members[].value` ids of a group."""
    return {m.get("value") for m in group.get("members") or [] if isinstance(m, dict)}


def resources_of(body: Any) -> list[dict]:
    """The `Resources` of a ListResponse body (empty when absent or malformed)."""
    if not isinstance(body, dict):
        return []
    return [r for r in body.get("Resources") or [] if isinstance(r, dict)]


def schema_attribute(ctx: CheckContext, schema_id: str, name: str) -> dict | None:
    """The attribute definition `name` (case-insensitive) of schema `schema_id` in /Schemas."""
    for schema in ctx.schemas or []:
        if isinstance(schema, dict) and schema.get("id") == schema_id:
            for attribute in schema.get("attributes") or []:
                if str(attribute.get("name", "")).lower() == name.lower():
                    return attribute
    return None


def schema_attributes(ctx: CheckContext, schema_id: str) -> list[dict]:
    """Every top-level attribute definition of schema `schema_id` in /Schemas."""
    for schema in ctx.schemas or []:
        if isinstance(schema, dict) and schema.get("id") == schema_id:
            return [a for a in schema.get("attributes") or [] if isinstance(a, dict)]
    return []


def resource_type_extensions(ctx: CheckContext, endpoint: str) -> set[str]:
    """The schema extension URNs the resource type served at `endpoint` ("/Users") declares."""
    for resource_type in ctx.resource_types or []:
        served = str(resource_type.get("endpoint", "")).strip("/").lower()
        if served == endpoint.strip("/").lower():
            return {ext.get("schema") for ext in resource_type.get("schemaExtensions") or [] if ext}
    return set()


# Free-text User attributes a check may change, in order of preference.
TEXT_ATTRIBUTES = ("displayName", "nickName", "title")


def text_attribute(ctx: CheckContext) -> str:
    """A writable free-text User attribute the server declares (displayName if it can).

    Servers may leave optional attributes out; checks that only need "some string to
    change" use one the server's /Schemas actually lists.
    """
    for name in TEXT_ATTRIBUTES:
        declared = schema_attribute(ctx, urns.USER, name)
        if declared and declared.get("mutability", "readWrite") == "readWrite":
            return str(declared.get("name", name))
    # externalId is common to every resource (RFC 7643 §3.1), whatever /Schemas lists.
    return "externalId" if schema_attributes(ctx, urns.USER) else TEXT_ATTRIBUTES[0]


def spc_value(ctx: CheckContext, capability: str, key: str) -> Any:
    """A value from the ServiceProviderConfig, e.g. spc_value(ctx, "bulk", "maxOperations")."""
    section = (ctx.spc or {}).get(capability)
    return section.get(key) if isinstance(section, dict) else None


def list_all(
    ctx: CheckContext,
    path: str,
    params: dict[str, Any],
    *,
    page_size: int | None = None,
    max_pages: int = MAX_PAGES,
) -> tuple[requests.Response, list[dict]]:
    """GET a list, following startIndex pages; returns the first response and all resources.

    Stops when totalResults resources were seen, a page comes back empty, or after
    `max_pages` pages. A non-200 first page is returned with no resources.
    """
    first = ctx.get(path, params={**params, **({"count": page_size} if page_size else {})})
    if first.status_code != 200:
        return first, []
    body = ctx.json(first)
    seen = resources_of(body)
    total = body.get("totalResults") if isinstance(body, dict) else None
    pages = 1
    while isinstance(total, int) and len(seen) < total and pages < max_pages:
        page_params = {**params, "startIndex": len(seen) + 1}
        if page_size:
            page_params["count"] = page_size
        page = ctx.get(path, params=page_params)
        if page.status_code != 200:
            break
        more = resources_of(ctx.json(page))
        if not more:
            break
        seen.extend(more)
        pages += 1
    return first, seen


@dataclass
class FilterOutcome:
    """What a filter selected among a check's own resources."""

    matched: set[str] = field(default_factory=set)  # names (Scope labels) returned
    declined: requests.Response | None = None  # the 400 answer when the server declined
    filters: list[str] = field(default_factory=list)  # the filter strings sent


class Scope:
    """A check's own namespace: resources whose userName/displayName start with one token."""

    def __init__(self, ctx: CheckContext, label: str):
        self.ctx = ctx
        self.token = ctx.unique(label).lower()
        self.users: dict[str, dict] = {}
        self.groups: dict[str, dict] = {}

    def user_name(self, name: str) -> str:
        """The userName (an e-mail address, as some providers require) of user `name`."""
        return f"{self.token}-{name}@example.com"

    def display_name(self, name: str) -> str:
        """The displayName of group `name`."""
        return f"{self.token}-{name}"

    def new_user(self, key: str, /, **attributes: Any) -> dict:
        """Create user `key` in this scope (deleted when the check ends) and remember it."""
        user = self.ctx.new_user(**{"userName": self.user_name(key), **attributes})
        self.users[key] = user
        return user

    def new_group(self, key: str, /, members: Iterable[str] = (), **attributes: Any) -> dict:
        """Create group `key` in this scope (deleted when the check ends) and remember it."""
        payload = {"displayName": self.display_name(key), **attributes}
        group = self.ctx.new_group(list(members), **payload)
        self.groups[key] = group
        return group

    def endpoint(self, kind: str) -> str:
        """The collection endpoint of a resource kind ("User" or "Group")."""
        return self.ctx.users_endpoint if kind == "User" else self.ctx.groups_endpoint

    def created(self, kind: str) -> dict[str, dict]:
        """The scope's resources of one kind, by name."""
        return self.users if kind == "User" else self.groups

    def clause(self, kind: str = "User") -> str:
        """The filter clause selecting every resource of this scope."""
        return f'{SCOPE_ATTRIBUTE[kind]} sw "{self.token}-"'

    def owns(self, resource: dict, kind: str = "User") -> bool:
        """Whether a returned resource belongs to this scope (by its naming attribute)."""
        value = resource.get(SCOPE_ATTRIBUTE[kind])
        return isinstance(value, str) and value.casefold().startswith(self.token.casefold())

    def select(
        self, predicate: str, kind: str = "User", *, selective: bool = False
    ) -> FilterOutcome:
        """Which of this scope's resources the server returns for filter `predicate`.

        Sends `<scope clause> and (<predicate>)`. If the server rejects that but accepts the
        scope clause alone, the predicate was declined (`outcome.declined`). If it rejects the
        scope clause too (no `sw`), falls back to one `<attr> eq "<name>" and (<predicate>)`
        query per resource. A `selective` predicate (eq on a unique name of this scope) is
        finally sent alone, for servers that only take single expressions. A returned
        resource outside the scope fails the check: the filter was not applied.
        """
        ctx = self.ctx
        outcome = FilterOutcome()
        created = self.created(kind)
        names_by_id = {resource["id"]: name for name, resource in created.items()}
        scoped = f"{self.clause(kind)} and ({predicate})"
        outcome.filters.append(scoped)
        response, found = list_all(
            ctx, self.endpoint(kind), {"filter": scoped}, max_pages=SCOPED_PAGES
        )
        if response.status_code == 200:
            self._collect(found, names_by_id, scoped, kind, outcome)
            return outcome
        self._expect_filter_answer(response, scoped)
        declined: requests.Response | None = response
        probe = ctx.get(self.endpoint(kind), params={"filter": self.clause(kind)})
        if probe.status_code != 200:
            self._expect_filter_answer(probe, self.clause(kind))
            declined = self._select_one_by_one(predicate, kind, outcome)
            if declined is None:
                return outcome
        if selective:
            outcome.filters.append(predicate)
            bare, found = list_all(
                ctx, self.endpoint(kind), {"filter": predicate}, max_pages=SCOPED_PAGES
            )
            if bare.status_code == 200:
                outcome.matched.clear()
                self._collect(found, names_by_id, predicate, kind, outcome)
                return outcome
            self._expect_filter_answer(bare, predicate)
        outcome.declined = declined
        return outcome

    def _select_one_by_one(
        self, predicate: str, kind: str, outcome: FilterOutcome
    ) -> requests.Response | None:
        """`<attr> eq "<name>" and (<predicate>)` per resource; the decline, if any."""
        attribute = SCOPE_ATTRIBUTE[kind]
        for name, resource in self.created(kind).items():
            single = f'{attribute} eq "{resource[attribute]}" and ({predicate})'
            outcome.filters.append(single)
            answer, found = list_all(
                self.ctx, self.endpoint(kind), {"filter": single}, max_pages=SCOPED_PAGES
            )
            if answer.status_code != 200:
                self._expect_filter_answer(answer, single)
                return answer
            self._collect(found, {resource["id"]: name}, single, kind, outcome)
        return None

    def every(self, kind: str = "User") -> str | None:
        """A filter the server takes that returns exactly the scope's resources, else None.

        `sw` on the scope token if accepted, else the scope's names or'ed together (one
        plain `eq` for a single resource): scaffolding narrows only by what the server shows.
        """
        attribute = SCOPE_ATTRIBUTE[kind]
        terms = [f'{attribute} eq "{r[attribute]}"' for r in self.created(kind).values()]
        for candidate in dict.fromkeys((self.clause(kind), " or ".join(terms))):
            probe = self.ctx.get(self.endpoint(kind), params={"filter": candidate, "count": 1})
            if probe.status_code == 200:
                return candidate
        return None

    def every_or_skip(self, kind: str = "User", *, purpose: str) -> str:
        """every(), or skip naming the filter capability the check's scaffolding lacks."""
        selected = self.every(kind)
        if selected is None:
            self.ctx.skip(
                f"{purpose} needs one filter selecting several of this check's resources; "
                f"the server declined both `{SCOPE_ATTRIBUTE[kind]} sw` and `or`"
            )
        return selected

    def _collect(
        self,
        found: list[dict],
        names_by_id: dict[str, str],
        sent: str,
        kind: str,
        outcome: FilterOutcome,
    ) -> None:
        attribute = SCOPE_ATTRIBUTE[kind]
        for resource in found:
            if resource.get("id") in names_by_id:
                outcome.matched.add(names_by_id[resource["id"]])
            elif not self.owns(resource, kind):
                self.ctx.fail(
                    f"filter {sent!r} returned {resource.get('id')!r} "
                    f"({attribute}={resource.get(attribute)!r}), which does not match it: "
                    "the filter was not applied"
                )

    def _expect_filter_answer(self, response: requests.Response, sent: str) -> None:
        """A rejected filter must be a 400 with scimType invalidFilter (RFC 7644 §3.4.2.2)."""
        if response.status_code != 400:
            self.ctx.fail(f"filter {sent!r}: {describe(response)}; expected 200 or 400")
        if scim_type(response) != "invalidFilter":
            self.ctx.fail(
                f"filter {sent!r} was rejected: {describe(response)}; a declined filter "
                "must carry scimType 'invalidFilter' (RFC 7644 §3.4.2.2, Table 9)"
            )
