"""Waiting for a condition in a running app, never for a length of time.

`app_until(pilot, check)` asks `check()` again and again until it returns something true
without raising. Between two tries the app is let run until it is idle (Textual's
`pilot.pause()`: its pending messages handled, its worker threads given the processor),
so each try sees the app after one more round of what it had to do. After the last try,
`check()` runs once more in the open, so a test fails with the check's own error (its
assertion, its NoMatches) or, when it just returned false, with an AssertionError that
shows the check's source.

The number of tries bounds a wait that would otherwise hang; it is not a speed limit and
no test asserts on time. (Processes are waited for by what they print or signal: see
tests/app/test_tmux.py, tests/unit/test_store_concurrency.py, tests/reliability/test_kill9.py.)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

TRIES = 500  # rounds until idle; far more than any screen change or write takes


def _describe(check: Callable[[], Any]) -> str:
    try:
        return inspect.getsource(check).strip()
    except (OSError, TypeError):
        return repr(check)


async def _one_round(pilot) -> None:
    """The app runs until idle: what it posted is handled, its threads get their turn.
    (Not `workers.wait_for_complete()`: some checks look at a write still waiting.)"""
    await pilot.pause()


async def app_until(pilot, check: Callable[[], Any], *, tries: int = TRIES) -> bool:
    """True once `check()` holds while the app runs; see the module docstring."""
    for _ in range(tries - 1):
        await _one_round(pilot)
        try:
            if check():
                return True
        except Exception:  # noqa: BLE001 - not yet; the last try raises it
            pass
    await _one_round(pilot)
    result = check()  # raises the check's own error, if it has one
    if not result:
        raise AssertionError(f"still false after {tries} tries: {_describe(check)}")
    return True
