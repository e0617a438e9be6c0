"""Request/response transcripts packed small for the HTML report, rendered in the browser.

Every exchange becomes a short row whose header lines and bodies are indexes into one table
of distinct strings (a run repeats the same headers hundreds of times). Bodies are compact
JSON (the page pretty-prints them when a transcript is opened), long lists keep their first
resources, and each body is cut at ``BODY_CHARS``. The whole table is kept under ``BUDGET``
characters by leaving out transcripts in order of interest: passing checks' first, failures'
last. The JSON report (``--json``) always keeps every exchange whole.
"""

from __future__ import annotations

import json
from typing import Any

from conformance.report.model import Report, Result, Status

BUDGET = 300_000  # characters of packed transcripts in one page
BODY_CHARS = 6_000  # characters kept of one body
KEPT_RESOURCES = 3  # resources kept of a ListResponse body
# Which transcripts stay when the budget runs out: the first kept longest.
INTEREST = (Status.FAIL, Status.ERROR, Status.WARN, Status.INFO, Status.SKIP, Status.PASS)
NO_BODY = -1


class Packer:
    """Collects exchanges of checks into one table of distinct strings."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self._index: dict[str, int] = {}
        self.size = 0  # characters of the packed document so far (an estimate)

    def intern(self, text: str) -> int:
        """The index of text in the string table, added on first use."""
        index = self._index.get(text)
        if index is None:
            index = self._index[text] = len(self.strings)
            self.strings.append(text)
            self.size += len(text) + 4
        return index

    def mark(self) -> tuple[int, int]:
        """A point to roll back to: (size, number of strings)."""
        return self.size, len(self.strings)

    def rollback(self, mark: tuple[int, int]) -> None:
        """Forget everything interned since mark."""
        self.size, count = mark
        for text in self.strings[count:]:
            del self._index[text]
        del self.strings[count:]

    def exchange(self, item: dict[str, Any]) -> list[Any]:
        """One exchange as [method, url, headers, body, status, headers, body, error]."""
        request, response = item.get("request") or {}, item.get("response")
        row: list[Any] = [
            request.get("method", ""),
            request.get("url", ""),
            self._headers(request.get("headers")),
            self._body(request.get("body")),
        ]
        if response is None:
            row += [None, [], NO_BODY, item.get("error") or "no response"]
        else:
            row += [
                response.get("status"),
                self._headers(response.get("headers")),
                self._body(response.get("body")),
                None,
            ]
        self.size += len(json.dumps(row, ensure_ascii=False))
        return row

    def _headers(self, headers: dict[str, Any] | None) -> list[int]:
        """Header lines as string indexes."""
        return [self.intern(f"{name}: {value}") for name, value in (headers or {}).items()]

    def _body(self, body: Any) -> int:
        """A body as a string index (NO_BODY for none)."""
        if body is None:
            return NO_BODY
        return self.intern(shorten(body))


def shorten(body: Any) -> str:
    """A body as compact text: long resource lists trimmed, then cut at BODY_CHARS."""
    if isinstance(body, dict) and isinstance(body.get("Resources"), list):
        resources = body["Resources"]
        if len(resources) > KEPT_RESOURCES:
            more = len(resources) - KEPT_RESOURCES
            body = {
                **body,
                "Resources": [*resources[:KEPT_RESOURCES], f"... {more} more (see --json)"],
            }
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    if len(text) > BODY_CHARS:
        text = text[:BODY_CHARS] + f"... ({len(text)} characters; see --json)"
    return text


def pack(report: Report, budget: int = BUDGET) -> dict[str, Any]:
    """{"strings": [...], "checks": {id: [exchange rows]}, "omitted": [ids]} within budget."""
    packer = Packer()
    checks: dict[str, list[list[Any]]] = {}
    omitted: list[str] = []
    for result in sorted(report.results, key=_interest):
        if not result.exchanges:
            continue
        mark = packer.mark()
        rows = [packer.exchange(item) for item in result.exchanges]
        if packer.size > budget:  # this transcript does not fit any more
            packer.rollback(mark)
            omitted.append(result.id)
            continue
        checks[result.id] = rows
    return {"strings": packer.strings, "checks": checks, "omitted": sorted(omitted)}


def _interest(result: Result) -> tuple[int, str]:
    """Sort key: failures first, passes last; by id within a status."""
    return INTEREST.index(result.status), result.id


def script_json(value: Any) -> str:
    """JSON safe inside <script type="application/json"> (no '</script>' can appear)."""
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
