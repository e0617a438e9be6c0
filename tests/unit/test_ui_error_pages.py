"""Error pages say one thing once, in our words, with one way back; the badge is legible."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.unit.conftest import ACME

OLIVIA = "olivia.owner@acme.example"
CSS = Path(__file__).parents[2] / "stub_server" / "static" / "app.css"


def paragraphs(body: str) -> list[str]:
    """The text of the error card's paragraphs."""
    card = body[body.index('<section class="card narrow"') :]
    return [
        re.sub(r"<[^>]+>|\s+", " ", p).strip() for p in re.findall(r"<p[^>]*>(.*?)</p>", card, re.S)
    ]


def test_the_403_page_says_whom_to_ask_once(ui_client):
    body = ui_client("max.member@acme.example").get(f"/organizations/{ACME}/settings/scim")
    texts = paragraphs(body.get_data(as_text=True))
    assert body.status_code == 403
    assert sum("Ask your organization Owner" in text for text in texts) == 1, texts
    assert texts[-1] == "Back to All Stacks"


@pytest.mark.parametrize(("email", "link"), [(None, "Sign in"), (OLIVIA, "Back to All Stacks")])
def test_the_404_page_uses_our_words_and_one_fitting_link(ui_client, email, link):
    response = ui_client(email).get("/no/such/page")
    body = response.get_data(as_text=True)
    texts = paragraphs(body)
    assert response.status_code == 404
    assert "requested URL was not found" not in body  # the framework's stock sentence
    assert texts == ["Error 404", "Check the address, or start again from the link below.", link]


def test_json_clients_still_get_a_message(ui_client):
    response = ui_client().get("/no/such/page", json=True)
    assert (
        response.get_json()["message"] == "Check the address, or start again from the link below."
    )


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_enabled_badge_meets_wcag_aa_contrast():
    rule = re.search(r"\.badge \{([^}]*)\}", CSS.read_text())[1]
    background = re.search(r"background: (#[0-9a-f]{6})", rule)[1]
    colour = re.search(r"[^-]color: (#[0-9a-f]{6})", rule)[1]
    light, dark = sorted((_luminance(background), _luminance(colour)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5  # WCAG 2 SC 1.4.3 for normal-size text
