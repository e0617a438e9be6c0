"""Sign-in and sign-out with the seeded accounts (password ``scimproof-demo``), throttled per
account and per address: past the limits an attempt is refused at once (429, Retry-After),
never slowed down by a sleeping thread, and each refusal period that starts is audited."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response

from stub_server.seed import (
    ORGANIZATIONS,
    PEOPLE,
    SEED_PASSWORD,
    password_hash,
)
from stub_server.sessions import Failure, Refusal
from stub_server.storage import get_storage
from stub_server.ui.auth import (
    clock,
    current_account,
    end_session,
    install_sessions,
    safe_next,
    start_session,
    throttle_of,
)
from stub_server.ui.stacks import landing_url

bp = Blueprint("sign_in", __name__)
bp.record_once(lambda state: install_sessions(state.app))
log = logging.getLogger(__name__)

BAD_CREDENTIALS = "The email or password is incorrect. Check both and try again."
MISSING_FIELDS = "Enter your email and password."
REFUSED = {
    "account": "Too many failed sign-ins for this email. Try again in {seconds} seconds.",
    "address": "Too many failed sign-ins from your network address. "
    "Try again in {seconds} seconds.",
}


def _authenticate(email: str, password: str) -> str | None:
    account = get_storage().account_by_email(email)
    stored = account["password_hash"] if account is not None else None
    if not stored:
        # A decoy hash of the seeded accounts' method, checked when the e-mail is unknown so
        # both failures take the same time (no enumeration).
        decoy = password_hash("decoy-password", current_app.config["PASSWORD_HASH_METHOD"])
        check_password_hash(decoy, password)
        return None
    return account["uid"] if check_password_hash(stored, password) else None


def _demo_people() -> list[tuple[str, str, str]]:
    """The seeded accounts as (e-mail, organization, role), listed when the stub seeds them."""
    if not current_app.config.get("SEED"):
        return []
    names = {slug: name for _uid, slug, name, *_rest in ORGANIZATIONS}
    return [(email, names[slug], role) for email, _first, _last, slug, role in PEOPLE]


def _audit_refusal(email: str, failure: Failure) -> None:
    """Write the start of a refusal period to the audit log of the account's organizations."""
    address = request.remote_addr or ""
    for refusal in failure.refusals:
        details = (
            f"{failure.failures[refusal.scope]} failed sign-ins "
            f"{'for ' + email if refusal.scope == 'account' else 'from ' + address}; "
            f"further attempts refused for {refusal.retry_after} s"
        )
        log.warning("sign-in throttled: %s", details)
        account = get_storage().account_by_email(email)
        memberships = get_storage().memberships_of(account["uid"]) if account else []
        for org in memberships:
            get_storage().audit(
                org["uid"],
                f"anonymous ({address})",
                "Sign-in throttled",
                application="Sign-in",
                remote_addr=address,
                details=details,
            )


def _form(error: str | None, email: str, next_url: str | None, status: int = 200) -> Response:
    page = render_template(
        "sign_in.html",
        error=error,
        email=email,
        next_url=next_url or "",
        demo_people=_demo_people(),
        demo_password=SEED_PASSWORD,
    )
    return Response(page, status=status, mimetype="text/html")


def _refused(refusal: Refusal, email: str, next_url: str | None) -> Response:
    message = REFUSED[refusal.scope].format(seconds=refusal.retry_after)
    response = _form(message, email, next_url, 429)
    response.headers["Retry-After"] = str(refusal.retry_after)
    return response


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response:
    """Show the sign-in form; on a valid post start a fresh session and go where asked."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET" and current_account() is not None:
        return redirect(next_url or url_for("stacks.home"))
    email = request.form.get("email", "").strip()
    if request.method == "GET":
        return _form(None, email, next_url)
    password = request.form.get("password", "")
    if not (email and password):
        return _form(MISSING_FIELDS, email, next_url)
    throttle, now, address = throttle_of(current_app), clock(current_app), request.remote_addr
    refusal = throttle.refusal(email, address or "", now)
    if refusal is not None:  # refused before the password is even checked
        return _refused(refusal, email, next_url)
    account_uid = _authenticate(email, password)
    if account_uid is not None:
        throttle.record_success(email)
        start_session(account_uid)
        return redirect(next_url or landing_url(account_uid), code=303)
    failure = throttle.record_failure(email, address or "", now)
    if failure.refusals:
        _audit_refusal(email, failure)
        return _refused(max(failure.refusals, key=lambda r: r.retry_after), email, next_url)
    return _form(BAD_CREDENTIALS, email, next_url)


@bp.post("/sign-out")
def sign_out() -> Response:
    """End the session (its row is deleted) and return to the sign-in page."""
    end_session()
    flash("You have signed out.", "info")
    return redirect(url_for("sign_in.sign_in"), code=303)
