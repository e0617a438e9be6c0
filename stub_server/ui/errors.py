"""Error pages for the settings UI (SCIM paths never reach it: the SCIM service, mounted in
front of the UI at the WSGI level, answers them with its own JSON errors)."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, make_response, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from stub_server.ui.responses import wants_json

# Headline and what-to-do-next for each status a person may meet. The next step is shown only
# when the view gave no reason of its own (its reason already says what to do), and the page's
# single link (All Stacks, or Sign in when signed out) is the way back.
PAGES: dict[int, tuple[str, str]] = {
    400: ("The request could not be used", "Go back, reload the page and try again."),
    401: ("Sign in to continue", "Sign in, then open the page again."),
    403: ("You don't have access to this page", "Ask your organization Owner for access."),
    404: ("Page not found", "Check the address, or start again from the link below."),
    405: ("That action is not available here", "Use the buttons on the page instead."),
    409: ("That cannot be done right now", "Reload the page to see the current state."),
    413: ("The request is too large", "Send less data at once."),
    429: ("Too many requests", "Wait a moment, then try again."),
    500: ("Something went wrong on our side", "Try again; the error was logged."),
}
HANDLED_CODES = (400, 401, 403, 404, 405, 409, 413, 415, 429, 500)


def error_response(error: HTTPException) -> Response:
    """Render an HTTP error as a page, as JSON for JSON clients, or as a SCIM error."""
    status = error.code or 500
    # The framework's stock sentences ("The requested URL was not found on the server…") are
    # not ours to show: only a reason a view gave is.
    own_reason = error.description != type(error).description
    description = (error.description or "") if own_reason else ""
    if status >= 500:
        description = ""  # never leak internals: the page says what happened
    title, next_step = PAGES.get(status, (error.name, "Go back and try again."))
    if wants_json():
        message = description or next_step
        response = jsonify({"status": status, "error": error.name, "message": message})
        response.status_code = status
    else:
        html = render_template(
            "error.html",
            status=status,
            title=title,
            description=description,
            next_step="" if description else next_step,
        )
        response = make_response(html, status)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def internal_error(error: InternalServerError) -> Response:
    """Log an unexpected exception and answer 500 without a traceback."""
    original = getattr(error, "original_exception", None)
    if original is not None:
        current_app.logger.error("unhandled error", exc_info=original)
    return error_response(error)


def register_error_pages(app: Flask) -> None:
    """Install the error handlers on the app (SCIM paths are passed to the SCIM format)."""
    for code in HANDLED_CODES:
        app.register_error_handler(code, internal_error if code == 500 else error_response)
    app.register_error_handler(HTTPException, error_response)
