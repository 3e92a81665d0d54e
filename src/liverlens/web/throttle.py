"""Sign-in throttling: failed tries cost a growing wait, per account and per address.

Each failed sign-in is counted three ways: for the account from this address, for this
address (across accounts), and for the account from anywhere. Past a few free tries, the next
try from that key must wait 1 s, then 2, 4, ... up to 15 minutes; a success clears the
account's own counts. The checks run before the password is hashed, so a flood of tries
costs this service nothing.

The real user keeps a way in: someone guessing from elsewhere slows only their own address
and, far later, the account everywhere; the user's own address has its own count. Counts
live in this process and fade after ``WINDOW_S`` without a failure.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_S = 15 * 60
MAX_WAIT_S = 15 * 60
FREE_TRIES = {"pair": 5, "address": 20, "account": 50}


@dataclass
class _Count:
    failures: int
    last: float


class Throttled(Exception):
    """Too many failed tries: ``seconds`` to wait (a 429 with Retry-After)."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(seconds)


class Throttle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._counts: dict[tuple[str, str], _Count] = {}
        self._lock = threading.Lock()

    def _keys(self, account: str, address: str) -> list[tuple[str, str]]:
        return [("pair", f"{account}|{address}"), ("address", address), ("account", account)]

    def wait(self, account: str, address: str) -> int:
        """Seconds before another try may be made (0: try now)."""
        now = self._clock()
        longest = 0.0
        with self._lock:
            for key in self._keys(account, address):
                count = self._counts.get(key)
                if count is None or now - count.last > WINDOW_S:
                    continue
                over = count.failures - FREE_TRIES[key[0]]
                if over >= 0:
                    longest = max(longest, min(2.0**over, MAX_WAIT_S) - (now - count.last))
        return max(0, int(longest + 0.999))

    def failed(self, account: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            for key in self._keys(account, address):
                count = self._counts.get(key)
                if count is None or now - count.last > WINDOW_S:
                    count = self._counts[key] = _Count(0, now)
                count.failures += 1
                count.last = now

    def check(self, account: str, address: str) -> None:
        """Raise ``Throttled`` when a try from here must wait."""
        seconds = self.wait(account, address)
        if seconds:
            raise Throttled(seconds)

    def succeeded(self, account: str, address: str) -> None:
        with self._lock:
            self._counts.pop(("pair", f"{account}|{address}"), None)
            self._counts.pop(("account", account), None)
