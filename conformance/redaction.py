"""THE redactor: every string the checker writes passes through one ``Redactor``.

API (also for auth options that bring their own secrets)::

    redactor = Redactor([token, password, f"{user}:{password}", client_secret])
    redactor.add(access_token)           # a secret learnt later (e.g. an OAuth access token)
    redactor.redact("any text")          # -> text with every secret form replaced by [REDACTED]
    redactor.redact_json(value)          # -> a redacted copy of a decoded JSON value (iterative)
    redactor.headers(mapping)            # -> header dict, credential headers masked
    redactor.body(raw_bytes)             # -> a decoded, redacted body for a report

What counts as an occurrence of a secret ``s`` (of 8 or more characters):

* any run of 8 or more consecutive characters of ``s`` itself (so a token inside a longer word,
  a truncated token or a token with one character changed is still caught);
* the same in each encoded form of ``s``: URL-encoded (``quote`` and ``quote_plus``),
  JSON-escaped (ASCII and not), and base64 (standard and URL-safe, at each of the three byte
  alignments, so ``Basic base64(user:pass)`` is caught from the password alone).

A secret shorter than 8 characters is replaced only where it stands whole (not inside a longer
run of letters and digits), so a short test token never mangles the words around it.
JSON values of keys named like secrets (``password``, ``token`` ...) are replaced whole.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from conformance.safejson import loads

REDACTED = "[REDACTED]"
WINDOW = 8  # a run of this many characters of a secret is a leak
ANCHOR = WINDOW // 2
MAX_RECORDED_BODY = 64_000
# Headers whose values are credentials or session state, never written into a report.
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
# JSON keys whose values are secrets (the test passwords a run sends, or a password leaked back).
SECRET_KEYS = frozenset({"password", "token", "secret", "access_token", "client_secret"})


def encoded_forms(secret: str) -> set[str]:
    """The secret as it may appear in text: raw, URL-encoded, JSON-escaped, base64."""
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }
    raw = secret.encode("utf-8")
    for shift in range(3):
        forms.add(_base64_core(raw, shift, base64.b64encode))
        forms.add(_base64_core(raw, shift, base64.urlsafe_b64encode))
    return {form for form in forms if form}


def _base64_core(raw: bytes, shift: int, encode: Any) -> str:
    """Base64 characters that depend only on ``raw`` when it starts ``shift`` bytes in."""
    text = encode(b"\0" * shift + raw).decode("ascii").rstrip("=")
    first = -(-shift * 8 // 6)  # first 6-bit group starting at or after the secret's first bit
    last = (shift + len(raw)) * 8 // 6  # groups ending at or before its last bit
    return text[first:last]


@dataclasses.dataclass(frozen=True)
class _Forms:
    """What one Redactor knows at one moment; replaced whole (never changed) when a secret is
    added, so a redaction running in another thread reads one consistent set of secrets."""

    windows: frozenset[str] = frozenset()
    # Every window holds one of these 4-character pieces (its form's pieces at multiples of
    # 4), so a text holding none of them, found at C speed, needs no window scan.
    anchors: frozenset[str] = frozenset()
    short: frozenset[str] = frozenset()
    short_pattern: re.Pattern[str] | None = None
    # Texts known to be public (the run's name prefix): a window that stands inside one is
    # not a leak, so "scimproof-..." names survive a token that starts "scimproof_...".
    public: tuple[str, ...] = ()


def _with_secrets(
    known: _Forms, secrets: Iterable[str | None], public: Iterable[str] = ()
) -> _Forms:
    """``known`` plus every encoded form of ``secrets`` (None and empty values ignored), less
    the windows that stand inside a public text."""
    windows, anchors, short = set(known.windows), set(known.anchors), set(known.short)
    public = (*known.public, *(text for text in public if text))
    for secret in secrets:
        if not secret:
            continue
        for form in encoded_forms(secret):
            if len(form) >= WINDOW:
                windows.update(
                    window
                    for window in (form[i : i + WINDOW] for i in range(len(form) - WINDOW + 1))
                    if not any(window in text for text in public)
                )
                anchors.update(
                    form[i : i + ANCHOR] for i in range(0, len(form) - ANCHOR + 1, ANCHOR)
                )
            else:
                short.add(form)
    pattern = (
        re.compile(
            "|".join(
                rf"(?<![A-Za-z0-9]){re.escape(s)}(?![A-Za-z0-9])"
                for s in sorted(short, key=len, reverse=True)
            )
        )
        if short
        else None
    )
    return _Forms(frozenset(windows), frozenset(anchors), frozenset(short), pattern, public)


def _redact_text(forms: _Forms, text: Any) -> str:
    """``text`` with every occurrence of every form in ``forms`` replaced by [REDACTED]."""
    if not isinstance(text, str):
        text = str(text)
    if forms.windows and len(text) >= WINDOW and any(a in text for a in forms.anchors):
        text = _redact_windows(forms.windows, text)
    if forms.short_pattern is not None:
        text = forms.short_pattern.sub(REDACTED, text)
    return text


def _redact_windows(windows: frozenset[str], text: str) -> str:
    """Replace each maximal stretch of ``text`` covered by secret windows."""
    spans: list[list[int]] = []
    for start in range(len(text) - WINDOW + 1):
        if text[start : start + WINDOW] in windows:
            end = start + WINDOW
            if spans and start <= spans[-1][1]:
                spans[-1][1] = end
            else:
                spans.append([start, end])
    if not spans:
        return text
    pieces, position = [], 0
    for start, end in spans:
        pieces += [text[position:start], REDACTED]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


class Redactor:
    """Replaces every form of every secret in text, JSON values, headers and bodies.

    Safe across threads: a secret learnt mid-run (a renewed OAuth token) swaps in a new
    immutable ``_Forms``; every redaction works on the one it read first.
    """

    def __init__(self, secrets: Iterable[str | None] = (), public: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._forms = _with_secrets(_Forms(), secrets, public)

    def add(self, *secrets: str | None) -> None:
        """Redact these secrets too from now on (None and empty values are ignored)."""
        with self._lock:
            self._forms = _with_secrets(self._forms, secrets)

    def allow(self, *public: str) -> None:
        """Declare texts public (the run prefix): windows of secrets inside them stay visible."""
        with self._lock:
            known = self._forms
            keep = (*known.public, *(text for text in public if text))
            windows = frozenset(w for w in known.windows if not any(w in t for t in keep))
            self._forms = dataclasses.replace(known, windows=windows, public=keep)

    def __bool__(self) -> bool:
        """True when there is anything to redact."""
        forms = self._forms
        return bool(forms.windows or forms.short)

    def redact(self, text: str) -> str:
        """``text`` with every occurrence of every secret form replaced by [REDACTED]."""
        return _redact_text(self._forms, text)

    def redact_json(self, value: Any) -> Any:
        """A redacted copy of a decoded JSON value (iterative: any nesting depth is safe)."""
        forms = self._forms
        if forms.short:  # a short secret's word boundaries differ in JSON text: walk
            return self._redact_walk(value)
        try:  # one look at the whole value as JSON text: most values hold nothing to redact
            text = json.dumps(value, ensure_ascii=False)
            lowered = text.lower()
            if not any(anchor in text for anchor in forms.anchors) and not any(
                f'"{key}"' in lowered for key in SECRET_KEYS
            ):
                return json.loads(text)
        except (TypeError, ValueError, RecursionError):
            pass
        return self._redact_walk(value)

    def _redact_walk(self, value: Any) -> Any:
        """redact_json by visiting every key and string."""
        root: list[Any] = [None]
        stack: list[tuple[Any, list[Any] | dict[Any, Any], Any]] = [(value, root, 0)]
        while stack:
            item, parent, slot = stack.pop()
            if isinstance(item, Mapping):
                copy: dict[Any, Any] = {}
                parent[slot] = copy
                for key, child in item.items():
                    safe_key = self.redact(key) if isinstance(key, str) else key
                    if isinstance(key, str) and key.lower() in SECRET_KEYS and child is not None:
                        copy[safe_key] = REDACTED
                    else:
                        copy[safe_key] = None
                        stack.append((child, copy, safe_key))
            elif isinstance(item, list | tuple):
                items: list[Any] = [None] * len(item)
                parent[slot] = items
                stack.extend((child, items, index) for index, child in enumerate(item))
            elif isinstance(item, str):
                parent[slot] = self.redact(item)
            else:
                parent[slot] = item
        return root[0]

    def headers(self, headers: Any) -> dict[str, str]:
        """Mask credential headers (keeping Authorization's scheme visible); redact the rest."""
        masked = {}
        for name, value in dict(headers).items():
            lowered = str(name).lower()
            if lowered in ("authorization", "proxy-authorization"):
                scheme, _, credentials = str(value).partition(" ")
                masked[name] = f"{self.redact(scheme)} {REDACTED}" if credentials else REDACTED
            elif lowered in SECRET_HEADERS:
                masked[name] = REDACTED
            else:
                masked[name] = self.redact(str(value))
        return masked

    def body(self, raw: bytes | str | None) -> Any:
        """Decode a body for a report: redacted JSON when it parses, else (truncated) text."""
        if raw is None or raw in (b"", ""):
            return None
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        if len(text) > MAX_RECORDED_BODY:
            return self.redact(text[:MAX_RECORDED_BODY]) + f"... ({len(text)} characters)"
        try:
            return self.redact_json(loads(text))
        except ValueError:
            return self.redact(text)
