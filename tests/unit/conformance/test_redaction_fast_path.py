"""The redactor's quick look at a whole JSON value gives what the full walk gives."""

from __future__ import annotations

import base64
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from conformance.redaction import REDACTED, Redactor

SECRET = 'tok-"9f\\3a-b7é-c1d2e3f4'
REDACTOR = Redactor([SECRET])
LEAKS = [
    SECRET,
    SECRET[3:14],
    quote(SECRET, safe=""),
    base64.b64encode(SECRET.encode()).decode(),
    "Bearer " + SECRET,
]
text = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda a, leak, b: a + leak + b,
        st.text(max_size=5),
        st.sampled_from(LEAKS),
        st.text(max_size=5),
    ),
)
keys = st.one_of(st.sampled_from(["password", "Token", "userName", "id"]), text)
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), text),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_the_quick_look_redacts_exactly_what_the_walk_redacts(value: object) -> None:
    """Same result with or without the one-pass check over the value as JSON text."""
    assert REDACTOR.redact_json(value) == REDACTOR._redact_walk(value)


def test_a_value_with_nothing_to_redact_comes_back_as_an_equal_copy() -> None:
    """Clean values are copied, not shared, and unchanged."""
    value = {"Resources": [{"userName": "alice", "emails": [{"value": "a@example.com"}]}]}
    copy = REDACTOR.redact_json(value)
    assert copy == value and copy is not value and copy["Resources"] is not value["Resources"]
    assert REDACTOR.redact_json({"password": "x", "n": SECRET}) == {
        "password": REDACTED,
        "n": REDACTED,
    }
