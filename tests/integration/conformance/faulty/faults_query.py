"""Faults of filtering, sorting, paging, attribute projection and /.search."""

from __future__ import annotations

import re

from tests.integration.conformance.faulty.core import (
    Call,
    Req,
    Resp,
    fault,
    map_resources,
    resource_kind,
    scim_error,
)


# -- queries and PATCH (shared with the query/PATCH/ETag checks) ----------------------------
@fault("ignore-filter")
def _ignore_filter(req: Req, call: Call) -> Resp:
    """The filter query parameter is ignored: every resource is listed."""
    req.query.pop("filter", None)
    return call(req)


@fault("ignore-excluded-attributes")
def _ignore_excluded_attributes(req: Req, call: Call) -> Resp:
    """The excludedAttributes query parameter is ignored."""
    req.query.pop("excludedAttributes", None)
    return call(req)


@fault("ignore-if-match")
def _ignore_if_match(req: Req, call: Call) -> Resp:
    """If-Match preconditions are ignored (the header is dropped)."""
    for name in [k for k in req.headers if k.lower() == "if-match"]:
        del req.headers[name]
    return call(req)


@fault("start-index-zero")
def _start_index_zero(req: Req, call: Call) -> Resp:
    """ListResponses report a 0-based startIndex."""
    resp = call(req)
    body = resp.json()
    if isinstance(body, dict) and "startIndex" in body:
        body["startIndex"] = 0
        resp.set_json(body)
    return resp


@fault("ignore-patch")
def _ignore_patch(req: Req, call: Call) -> Resp:
    """PATCH answers 204 without applying anything."""
    if req.method == "PATCH" and resource_kind(req):
        return Resp(204)
    return call(req)


@fault("case-sensitive-patch-ops")
def _case_sensitive_patch_ops(req: Req, call: Call) -> Resp:
    """PATCH ops other than lower-case 'add'/'remove'/'replace' are refused."""
    body = req.json()
    if req.method == "PATCH" and isinstance(body, dict):
        for op in body.get("Operations") or []:
            if op.get("op") not in ("add", "remove", "replace"):
                return scim_error(400, f"unknown op {op.get('op')!r}", "invalidSyntax")
    return call(req)


@fault("reject-dotted-pathless")
def _reject_dotted_pathless(req: Req, call: Call) -> Resp:
    """Path-less PATCH values with dotted or URN-qualified keys are refused."""
    body = req.json()
    if req.method == "PATCH" and isinstance(body, dict):
        for op in body.get("Operations") or []:
            value = op.get("value")
            if (
                "path" not in op
                and isinstance(value, dict)
                and any("." in key or ":" in key for key in value)
            ):
                return scim_error(400, "dotted attribute names are not supported", "invalidPath")
    return call(req)


@fault("ignore-active-false")
def _ignore_active_false(req: Req, call: Call) -> Resp:
    """Deactivation (active=false by PUT or PATCH) is silently dropped."""
    body = req.json()
    if req.method in ("PUT", "PATCH") and isinstance(body, dict):
        if body.get("active") is False:
            del body["active"]
        operations = []
        for op in body.get("Operations") or []:
            value = op.get("value")
            if isinstance(value, dict) and value.get("active") is False:
                del value["active"]
            if str(op.get("path", "")).lower() == "active" and value is False:
                continue
            operations.append(op)
        if "Operations" in body:
            body["Operations"] = operations
        req.set_json(body)
    return call(req)


# -- C3: filters, sorting, paging, attributes, /.search, PATCH, ETag, Bulk, schema claims --
def _filter_rewrite(name: str, pattern: str, replacement: str, doc: str) -> None:
    """Register a fault rewriting the filter of list queries with a regular expression."""

    def rewrite(req: Req, call: Call) -> Resp:
        if req.method == "GET" and "filter" in req.query:
            req.query["filter"] = re.sub(pattern, replacement, req.query["filter"])
        return call(req)

    rewrite.__doc__ = doc
    fault(name)(rewrite)


_filter_rewrite("filter-ne-as-eq", r" ne ", " eq ", "ne is evaluated as eq.")
_filter_rewrite("filter-co-as-sw", r" co ", " sw ", "co only matches at the start (as sw).")
_filter_rewrite("filter-ew-as-sw", r" ew ", " sw ", "ew matches at the start (as sw).")
_filter_rewrite("filter-gt-as-ge", r" gt ", " ge ", "gt includes the equal value.")
_filter_rewrite("filter-ge-as-gt", r" ge ", " gt ", "ge excludes the equal value.")
_filter_rewrite("filter-lt-as-le", r" lt ", " le ", "lt includes the equal value.")
_filter_rewrite("filter-le-as-lt", r" le ", " lt ", "le excludes the equal value.")
_filter_rewrite("filter-or-as-and", r" or ", " and ", "or is evaluated as and.")
_filter_rewrite("filter-and-as-or", r" and ", " or ", "and is evaluated as or.")
_filter_rewrite("filter-not-ignored", r"\bnot \(", "(", "not (...) is ignored.")
_filter_rewrite("filter-pr-always-true", r"\b[\w.]+ pr\b", "id pr", "pr matches every resource.")
_filter_rewrite("filter-bool-inverted", r" eq false\b", " eq true", "eq false matches true.")
_filter_rewrite(
    "filter-sub-attribute-ignored",
    r"name\.familyName",
    "name.givenName",
    "Sub-attribute paths resolve to the wrong sub-attribute.",
)
_filter_rewrite(
    "filter-names-case-sensitive",
    r"\b(?!userName\b)(?i:username)\b",
    "nickName",
    "Attribute names only resolve in their canonical case.",
)
_filter_rewrite(
    "filter-urn-unknown",
    r"urn:ietf:params:scim:schemas:core:2\.0:User:userName",
    "nickName",
    "URN-qualified attribute names match nothing.",
)
_filter_rewrite(
    "filter-left-to-right",
    r"\(([^()]*?) or ([^()]*?) and ([^()]*?)\)",
    r"((\1 or \2) and \3)",
    "'a or b and c' is evaluated left to right, as '(a or b) and c'.",
)
_filter_rewrite(
    "filter-parentheses-dropped",
    r"\(\(([^()]*)\) and",
    r"(\1 and",
    "Inner parentheses are dropped, so 'and' binds first.",
)
_filter_rewrite(
    "filter-value-path-flattened",
    r'(\w+)\[(\w+) (\w+) ("[^"]*") and (\w+) (\w+) ("[^"]*")\]',
    r"\1.\2 \3 \4 and \1.\5 \6 \7",
    "emails[a and b] is evaluated as emails.a and emails.b (on any values).",
)
_filter_rewrite(
    "filter-multi-valued-primary-only",
    r'emails\.value eq ("[^"]*")',
    r"emails[primary eq true and value eq \1]",
    "A filter on emails.value only looks at the primary e-mail.",
)
_filter_rewrite(
    "filter-sw-as-eq",
    r'userName sw ("[^"]*-an")',
    r"userName eq \1",
    "sw on a partial userName requires the whole value (as eq).",
)


@fault("filter-datetime-as-string")
def _filter_datetime_as_string(req: Req, call: Call) -> Resp:
    """DateTime operands are compared as text: the UTC offset is ignored."""
    if req.method == "GET" and "filter" in req.query:
        req.query["filter"] = re.sub(
            r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)[+-]\d\d:\d\d"', r'"\1Z"', req.query["filter"]
        )
    return call(req)


@fault("filter-bool-ordering-accepted")
def _filter_bool_ordering_accepted(req: Req, call: Call) -> Resp:
    """gt/ge/lt/le on Boolean attributes are accepted (evaluated as eq)."""
    if req.method == "GET" and "filter" in req.query:
        req.query["filter"] = re.sub(r"active (gt|ge|lt|le) ", "active eq ", req.query["filter"])
    return call(req)


@fault("filter-case-sensitive")
def _filter_case_sensitive(req: Req, call: Call) -> Resp:
    """eq compares every string attribute case-sensitively."""
    resp = call(req)
    match = re.search(r'(\w+) eq "([^"]*)"\)?$', req.query.get("filter", ""))
    body = resp.json()
    if req.method == "GET" and match and isinstance(body, dict) and "Resources" in body:
        attribute, operand = match.groups()
        kept = [r for r in body["Resources"] if r.get(attribute) == operand]
        body.update(Resources=kept, totalResults=len(kept), itemsPerPage=len(kept))
        resp.set_json(body)
    return resp


@fault("no-match-404")
def _no_match_404(req: Req, call: Call) -> Resp:
    """A query matching nothing answers 404 instead of an empty ListResponse."""
    resp = call(req)
    body = resp.json()
    if req.method == "GET" and isinstance(body, dict) and body.get("totalResults") == 0:
        return scim_error(404, "no resource matches")
    return resp


@fault("filter-unknown-operator-500")
def _filter_unknown_operator_500(req: Req, call: Call) -> Resp:
    """An unknown filter operator crashes the server."""
    if re.search(r" regex ", req.query.get("filter", "")):
        return scim_error(500, "internal error")
    return call(req)


@fault("filter-errors-ignored")
def _filter_errors_ignored(req: Req, call: Call) -> Resp:
    """A filter the server cannot parse is dropped and everything is listed."""
    resp = call(req)
    if req.method == "GET" and resp.status == 400 and "filter" in req.query:
        req.query.pop("filter")
        return call(req)
    return resp


@fault("sort-case-sensitive")
def _sort_case_sensitive(req: Req, call: Call) -> Resp:
    """sortBy=userName sorts by code point (upper case first), not case-insensitively."""
    resp = call(req)
    body = resp.json()
    if req.query.get("sortBy") == "userName" and isinstance(body, dict) and "Resources" in body:
        reverse = req.query.get("sortOrder") == "descending"
        body["Resources"].sort(key=lambda r: str(r.get("userName")), reverse=reverse)
        resp.set_json(body)
    return resp


@fault("sort-order-ignored")
def _sort_order_ignored(req: Req, call: Call) -> Resp:
    """sortOrder is ignored: results are always ascending."""
    req.query.pop("sortOrder", None)
    return call(req)


@fault("count-zero-ignored")
def _count_zero_ignored(req: Req, call: Call) -> Resp:
    """count=0 (or a negative count) is treated as 'no limit'."""
    if req.query.get("count", "").lstrip("-") != req.query.get("count", "") or (
        req.query.get("count") == "0"
    ):
        req.query.pop("count")
    return call(req)


@fault("negative-count-400")
def _negative_count_400(req: Req, call: Call) -> Resp:
    """A negative count is refused instead of being read as 0."""
    if req.query.get("count", "").startswith("-"):
        return scim_error(400, "count must not be negative", "invalidValue")
    return call(req)


@fault("start-index-below-one-400")
def _start_index_below_one_400(req: Req, call: Call) -> Resp:
    """A startIndex below 1 is refused instead of being read as 1."""
    start = req.query.get("startIndex", "1")
    if start.lstrip("-").isdigit() and int(start) < 1:
        return scim_error(400, "startIndex must be at least 1", "invalidValue")
    return call(req)


@fault("count-ignored")
def _count_ignored(req: Req, call: Call) -> Resp:
    """The count parameter is ignored: every match comes in one page."""
    if req.method == "GET":
        req.query.pop("count", None)
    return call(req)


@fault("start-index-off-by-one")
def _start_index_off_by_one(req: Req, call: Call) -> Resp:
    """startIndex is read as 0-based: each page skips one resource."""
    if req.query.get("startIndex", "").isdigit():
        requested = req.query["startIndex"]
        req.query["startIndex"] = str(int(requested) + 1)
        resp = call(req)
        body = resp.json()
        if isinstance(body, dict) and "startIndex" in body:
            body["startIndex"] = int(requested)
            resp.set_json(body)
        return resp
    return call(req)


@fault("ignore-attributes")
def _ignore_attributes(req: Req, call: Call) -> Resp:
    """The attributes query parameter is ignored."""
    req.query.pop("attributes", None)
    return call(req)


@fault("excluded-attributes-remove-id")
def _excluded_attributes_remove_id(req: Req, call: Call) -> Resp:
    """excludedAttributes=id removes id, though id is returned 'always'."""
    resp = call(req)
    if "id" in req.query.get("excludedAttributes", "").split(","):
        map_resources(resp, lambda resource: resource.pop("id", None))
    return resp


@fault("password-in-lists")
def _password_in_lists(req: Req, call: Call) -> Resp:
    """List responses carry each user's password hash."""
    resp = call(req)
    body = resp.json()
    if req.method == "GET" and resource_kind(req) == "Users" and isinstance(body, dict):
        for resource in body.get("Resources") or []:
            resource["password"] = "$2b$12$hash"
        resp.set_json(body)
    return resp


# -- /.search: faults that drop keys of a SearchRequest body, one table row each
SEARCH_KEYS_IGNORED = {
    "search-filter-ignored": ("filter",),
    "search-count-ignored": ("count", "startIndex"),
    "search-attributes-ignored": ("attributes",),
    "search-sort-ignored": ("sortBy", "sortOrder"),
}


def _search_keys_ignored(name: str, keys: tuple[str, ...]) -> None:
    """Register fault `name`: POST /.search ignores these keys of its body."""

    def ignore(req: Req, call: Call) -> Resp:
        body = req.json()
        if req.method == "POST" and req.path.endswith("/.search") and isinstance(body, dict):
            for key in keys:
                body.pop(key, None)
            req.set_json(body)
        return call(req)

    ignore.__doc__ = f"{' and '.join(keys)} of a POST /.search body are ignored."
    fault(name)(ignore)


for _name, _keys in SEARCH_KEYS_IGNORED.items():
    _search_keys_ignored(_name, _keys)


@fault("filter-names-declined-unless-canonical")
def _filter_names_declined_unless_canonical(req: Req, call: Call) -> Resp:
    """A filter naming userName in another case (or by its URN) is refused as unknown."""
    text = req.query.get("filter", "") if req.method == "GET" else ""
    if re.search(r"\b(?!userName\b)(?i:username)\b|urn:ietf:params:scim:schemas:core", text):
        return scim_error(400, "Unknown attribute", "invalidFilter")
    return call(req)


_filter_rewrite(
    "filter-external-id-clause-ignored",
    r'\s+and\s+\(externalId eq "[^"]*"\)',
    "",
    'A clause `and (externalId eq "...")` is silently dropped (externalId is not filterable).',
)
