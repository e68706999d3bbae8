"""A computer's clock for tests of version stamps: it moves one second at each reading,
from a start a test chooses, so two machines' changes have a known order."""

from __future__ import annotations

from datetime import datetime, timedelta


class TickingClock:
    def __init__(self, start: datetime):
        self.t = start

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t
