"""Waiting for a condition, never for a length of time.

`until(check)` (a thread or another process) and `app_until(pilot, check)` (a Textual app
under `run_test`) ask `check()` again and again until it returns something true without
raising. Between two tries they let the other side run: the app's pending messages are
processed and a moment passes for a worker thread, a timer or a child process. After the
last try, `check()` runs once more in the open, so a test fails with the check's own
error (its assertion, its NoMatches) or, when it just returned false, with an
AssertionError that shows the check's source.

The number of tries bounds a wait that would otherwise hang; it is not a speed limit and
no test asserts on time.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any

TRIES = 500  # with STEP: about 10 s of waiting before a test gives up, however slow the box
STEP = 0.02


def _describe(check: Callable[[], Any]) -> str:
    try:
        return inspect.getsource(check).strip()
    except (OSError, TypeError):
        return repr(check)


def _last_try(check: Callable[[], Any], tries: int) -> bool:
    result = check()  # raises the check's own error, if it has one
    if not result:
        raise AssertionError(f"still false after {tries} tries: {_describe(check)}")
    return True


def until(check: Callable[[], Any], *, tries: int = TRIES, step: float = STEP) -> bool:
    """True once `check()` holds; see the module docstring."""
    for _ in range(tries - 1):
        try:
            if check():
                return True
        except Exception:  # noqa: BLE001 - not yet; the last try raises it
            pass
        time.sleep(step)
    return _last_try(check, tries)


async def app_until(pilot, check: Callable[[], Any], *, tries: int = TRIES,
                    step: float = STEP) -> bool:
    """True once `check()` holds while the app runs; see the module docstring."""
    for _ in range(tries - 1):
        await pilot.pause()
        try:
            if check():
                return True
        except Exception:  # noqa: BLE001 - not yet; the last try raises it
            pass
        await asyncio.sleep(step)
    await pilot.pause()
    return _last_try(check, tries)
