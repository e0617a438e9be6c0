"""Organization Settings → Audit Log: pages newest first, filters, and a CSV export.

Filters travel in the query string (``event``, ``application``, ``user``, ``from``, ``to``,
``page``), so a filtered page can be bookmarked and the export link carries the same filter.
"""

from __future__ import annotations

import csv
import io
import math
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Blueprint, g, jsonify, make_response, render_template, request, url_for
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from stub_server.app import current_storage
from stub_server.storage import AuditFilter
from stub_server.ui.auth import audit_here, requires_settings_access
from stub_server.ui.responses import wants_json

bp = Blueprint("audit_log", __name__, url_prefix="/organizations/<org_uid>/settings/audit-log")

COLUMNS = ("Date and Time", "User", "Event", "Application", "Remote Address", "Details")
PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
EXPORT_LIMIT = 100_000  # one file stays a download, not a memory hazard
FILTER_FIELDS = ("event", "application", "user", "from", "to")
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditRequest:
    """The audit log a person asked for: the filter as typed, the page, the page size."""

    typed: dict[str, str] = field(default_factory=dict)
    where: AuditFilter = field(default_factory=AuditFilter)
    page: int = 1
    per_page: int = PAGE_SIZE

    @property
    def filtered(self) -> bool:
        """True when any filter is set."""
        return any(self.typed.values())


def _date(label: str, value: str) -> date | None:
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{label} must be a date like 2026-01-31, not {value!r}.") from None


def _whole_number(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, "")
    if value == "":
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}, not {value!r}.")
    return int(value)


def typed_filter() -> dict[str, str]:
    """The filter fields as the person typed them (to fill the form in again)."""
    return {name: request.args.get(name, "").strip() for name in FILTER_FIELDS}


def read_request() -> AuditRequest:
    """Read the filter and paging from the query string; BadRequest says what is wrong."""
    typed = typed_filter()
    start = _date("The start date", typed["from"])
    end = _date("The end date", typed["to"])
    if start and end and start > end:
        raise BadRequest("The start date is after the end date; swap them or clear one.")
    where = AuditFilter(
        event=typed["event"],
        application=typed["application"],
        user=typed["user"],
        since=start.isoformat() if start else "",
        until=(end + timedelta(days=1)).isoformat() if end else "",  # the whole end day
    )
    page = _whole_number("page", 1, 1, 10**6)
    per_page = _whole_number("per_page", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    return AuditRequest(typed=typed, where=where, page=page, per_page=per_page)


def entry_json(entry: sqlite3.Row) -> dict[str, str]:
    """One audit entry as the JSON API reports it."""
    return {
        "occurred_at": entry["occurred_at"],
        "user": entry["actor"],
        "event": entry["event"],
        "application": entry["application"],
        "remote_address": entry["remote_addr"],
        "details": entry["details"],
    }


def spreadsheet_safe(value: str) -> str:
    """Prefix a cell a spreadsheet would read as a formula with ' so it stays text."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def audit_csv(entries: list[sqlite3.Row]) -> str:
    """The entries as CSV: a header row, every field quoted and formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        cells = [entry[key] for key in ("actor", "event", "application", "remote_addr", "details")]
        writer.writerow([entry["occurred_at"], *(spreadsheet_safe(cell) for cell in cells)])
    return out.getvalue()


def _page_links(ask: AuditRequest, pages: int) -> dict[str, str | None]:
    def link(page: int) -> str:
        query = {k: v for k, v in ask.typed.items() if v}
        if ask.per_page != PAGE_SIZE:
            query["per_page"] = str(ask.per_page)
        return url_for("audit_log.view", org_uid=g.org["uid"], page=page, **query)

    return {
        "previous": link(ask.page - 1) if ask.page > 1 else None,
        "next": link(ask.page + 1) if ask.page < pages else None,
    }


def _render_page(ask: AuditRequest, error: str = "") -> dict[str, Any]:
    storage = current_storage()
    org_uid = g.org["uid"]
    total = 0 if error else storage.count_audit_entries(org_uid, ask.where)
    offset = (ask.page - 1) * ask.per_page
    entries = (
        []
        if error
        else storage.audit_entries(org_uid, ask.per_page, offset=offset, where=ask.where)
    )
    pages = max(1, math.ceil(total / ask.per_page))
    return {
        "entries": entries,
        "total": total,
        "pages": pages,
        "first_shown": offset + 1 if entries else 0,
        "last_shown": offset + len(entries),
        "links": _page_links(ask, pages),
    }


@bp.get("")
@requires_settings_access
def view(org_uid: str) -> Response | str | tuple[str, int]:
    """Show one page of the audit log, newest first, filtered (JSON for API clients)."""
    error = ""
    try:
        ask = read_request()
    except BadRequest as exc:
        if wants_json():
            raise
        error, ask = str(exc.description), AuditRequest(typed=typed_filter())
    shown = _render_page(ask, error)
    if wants_json():
        return jsonify(
            {
                "organization": org_uid,
                "page": ask.page,
                "per_page": ask.per_page,
                "total": shown["total"],
                "pages": shown["pages"],
                "entries": [entry_json(entry) for entry in shown["entries"]],
            }
        )
    storage = current_storage()
    html = render_template(
        "settings/audit_log.html",
        org=g.org,
        section="audit-log",
        columns=COLUMNS,
        ask=ask,
        error=error,
        events=storage.audit_values(org_uid, "event"),
        applications=storage.audit_values(org_uid, "application"),
        export_url=url_for(
            "audit_log.export", org_uid=org_uid, **{k: v for k, v in ask.typed.items() if v}
        ),
        **shown,
    )
    return (html, 400) if error else html


@bp.get("/export.csv")
@requires_settings_access
def export(org_uid: str) -> Response:
    """Download every audit entry matching the filter as CSV (newest first), and audit it."""
    ask = read_request()
    entries = current_storage().audit_entries(org_uid, EXPORT_LIMIT, where=ask.where)
    described = ", ".join(f"{k}={v}" for k, v in ask.typed.items() if v) or "no filter"
    audit_here(org_uid, "Audit log exported", details=f"{len(entries)} entries; {described}")
    response = make_response(audit_csv(entries))
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="audit-log-{g.org["slug"]}-{stamp}.csv"'
    )
    return response
