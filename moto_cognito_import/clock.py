"""The plugin's clock: moto's freezegun-aware ``utcnow`` plus a resettable offset.

The offset lets server-mode users (who cannot use freezegun in the server's process) move
time forward for job expiry and upload-URL expiry through ``/moto-api/cognito-import/clock``.
It lives in ``plugin_state``, which ``mock_aws`` restarts and ``POST /moto-api/reset`` clear.
"""

from __future__ import annotations

import datetime

from moto.core.utils import utcnow

from .plugin_state import state


def now() -> datetime.datetime:
    """Naive UTC now, following freezegun and the server-mode offset; capped like ``later``,
    since a clock moved to just before 9999-12-31 23:59:59 runs past it a moment later."""
    return _shifted(utcnow(), state().offset)


def later(moment: datetime.datetime, seconds: float) -> datetime.datetime:
    """``moment`` plus ``seconds``, capped at the last representable time: a clock moved to
    9999-12-31 must give a far expiry, not an OverflowError (an HTTP 500, issue 12)."""
    try:
        delta = datetime.timedelta(seconds=seconds)
    except OverflowError:
        return datetime.datetime.max if seconds > 0 else datetime.datetime.min
    return _shifted(moment, delta)


def _shifted(moment: datetime.datetime, delta: datetime.timedelta) -> datetime.datetime:
    try:
        return moment + delta
    except OverflowError:
        return datetime.datetime.max if delta > datetime.timedelta(0) else datetime.datetime.min


def advance(seconds: float) -> datetime.timedelta:
    """Move the plugin's clock forward by ``seconds`` (negative moves it back); return the offset.

    Raises OverflowError, leaving the clock as it was, when the new time is out of range.
    """
    clock = state()
    offset = clock.offset + datetime.timedelta(seconds=seconds)
    utcnow() + offset  # raises OverflowError now rather than on every later read
    clock.offset = offset
    return clock.offset


def offset() -> datetime.timedelta:
    """The current offset from moto's clock."""
    return state().offset
