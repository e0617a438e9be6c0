"""Content negotiation helpers shared by the settings UI views and error pages."""

from __future__ import annotations

from flask import request


def wants_json() -> bool:
    """Return True when the client asked for JSON (JSON body or Accept preferring JSON)."""
    if request.is_json:
        return True
    accept = request.accept_mimetypes
    # A browser's Accept (text/html first) or */* keeps HTML; only an explicit preference wins.
    return accept.best_match(["text/html", "application/json"]) == "application/json"
