"""Per-organization token-bucket rate limit (Contentstack documents 10 requests/s).

The bucket holds ``rate`` tokens and refills ``rate`` per second; a request without a token
gets 429 with ``Retry-After``. The clock is injectable so tests advance time without sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The outcome of one request against the bucket."""

    allowed: bool
    limit: int
    remaining: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        """The X-RateLimit headers (plus Retry-After when refused)."""
        out = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(self.remaining)}
        if not self.allowed:
            out["Retry-After"] = str(self.retry_after)
        return out


class RateLimiter:
    """Token buckets keyed by organization uid."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str, rate: int) -> Decision:
        """Spend one token of ``key``'s bucket of ``rate`` requests per second."""
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(key, (float(rate), now))
            tokens = min(float(rate), tokens + max(0.0, now - last) * rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[key] = (tokens, now)
        retry = 0 if allowed else max(1, math.ceil((1.0 - tokens) / rate))
        return Decision(allowed, rate, int(tokens), retry)
