"""Sign-in and sign-out with the seeded accounts (password ``scimproof-demo``)."""

from __future__ import annotations

from functools import lru_cache

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from stub_server.seed import ORGANIZATIONS, PEOPLE, SEED_HASH_METHOD, SEED_PASSWORD
from stub_server.storage import get_storage
from stub_server.ui.auth import SESSION_ACCOUNT, current_account, safe_next
from stub_server.ui.stacks import landing_url

bp = Blueprint("sign_in", __name__)

BAD_CREDENTIALS = "The email or password is incorrect. Check both and try again."
MISSING_FIELDS = "Enter your email and password."


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    # Checked when the e-mail is unknown so both failures take the same time (no enumeration).
    return generate_password_hash("decoy-password", method=SEED_HASH_METHOD)


def _authenticate(email: str, password: str) -> str | None:
    account = get_storage().account_by_email(email)
    stored = account["password_hash"] if account is not None else None
    if not stored:
        check_password_hash(_decoy_hash(), password)
        return None
    return account["uid"] if check_password_hash(stored, password) else None


def _demo_people() -> list[tuple[str, str, str]]:
    """The seeded accounts as (e-mail, organization, role), listed when the stub seeds them."""
    if not current_app.config.get("SEED"):
        return []
    names = {slug: name for _uid, slug, name, *_rest in ORGANIZATIONS}
    return [(email, names[slug], role) for email, _first, _last, slug, role in PEOPLE]


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str:
    """Show the sign-in form; on a valid post start a fresh session and go where asked."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET" and current_account() is not None:
        return redirect(next_url or url_for("stacks.home"))
    error = None
    email = request.form.get("email", "").strip()
    if request.method == "POST":
        password = request.form.get("password", "")
        account_uid = _authenticate(email, password) if email and password else None
        if account_uid is not None:
            session.clear()  # a new session (and CSRF token) for the new identity
            session[SESSION_ACCOUNT] = account_uid
            return redirect(next_url or landing_url(account_uid), code=303)
        error = BAD_CREDENTIALS if email and password else MISSING_FIELDS
    return render_template(
        "sign_in.html",
        error=error,
        email=email,
        next_url=next_url or "",
        demo_people=_demo_people(),
        demo_password=SEED_PASSWORD,
    )


@bp.post("/sign-out")
def sign_out() -> Response:
    """End the session and return to the sign-in page."""
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("sign_in.sign_in"), code=303)
