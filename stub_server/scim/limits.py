"""The complexity budget of every query input a client controls (RFC 7644 §3.4.2, §3.5.2).

Filters, sortBy, attributes lists and PATCH paths are measured against these limits before
any SQL is built, so no request reaches SQLite's own limits (about 100 nested parentheses in
its parser, an expression tree 1000 deep): the stub answers 400 naming the limit, never 500.
The SQL translation keeps ``and``/``or`` chains flat, so SQL nesting grows with the filter's
nesting (bounded below) and not with its number of terms.
"""

from __future__ import annotations

from stub_server.scim.errors import ScimError

MAX_FILTER_LENGTH = 4096  # characters of one filter
MAX_FILTER_TERMS = 100  # attribute expressions in one filter (``x eq y``, ``x pr``, ``x[...]``)
MAX_FILTER_DEPTH = 10  # groups open at once: ``( )``, ``not ( )`` and ``[ ]``
MAX_PATH_LENGTH = 256  # characters of one attribute path (filter, sortBy, attributes, PATCH)
MAX_ATTRIBUTE_NAMES = 100  # names in ``attributes`` or ``excludedAttributes``
ECHO_LENGTH = 60  # how much of an over-long input an error message quotes


def shorten(text: str) -> str:
    """``text`` as an error message quotes it: at most ECHO_LENGTH characters."""
    return text if len(text) <= ECHO_LENGTH else text[: ECHO_LENGTH - 1] + "…"


def enforce(size: int, limit: int, what: str, scim_type: str) -> None:
    """Raise a 400 with ``scim_type`` naming the limit when ``size`` exceeds it."""
    if size > limit:
        raise ScimError(400, f"{what} is {size}; the limit is {limit}", scim_type)


def check_attribute_names(names: list[str]) -> list[str]:
    """Return ``names`` (an attributes/excludedAttributes list) if it fits the budget."""
    what = "the number of names in attributes or excludedAttributes"
    enforce(len(names), MAX_ATTRIBUTE_NAMES, what, "invalidValue")
    for name in names:
        enforce(len(name), MAX_PATH_LENGTH, "the length of an attribute path", "invalidValue")
    return names
