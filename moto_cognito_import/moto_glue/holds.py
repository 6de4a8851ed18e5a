"""Holding the plugin active for a while: ``activated()`` blocks and the pytest fixtures.

One count for both, so that neither switches the plugin off under the other: a block begun
while a fixture held the plugin, or in another thread, kept it active only until the fixture
let go. While anything holds it, the plugin is active unless ``deactivate()`` is called (an
explicit word takes effect at once, in every thread); after the last lets go, it is as the
last ``activate()`` or ``deactivate()`` said meanwhile (``patches.last_word``; a test's
teardown may say it), else as it was before the first hold.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from . import patches

# Kept across a reload of this module, as patches.py keeps its state: a reload mid-block
# restarted the count, and the block's end then took it below zero for good.
_lock: threading.Lock = globals().get("_lock") or threading.Lock()
_holds: int = globals().get("_holds", 0)
_active_before: bool = globals().get("_active_before", False)
_word_before: int = globals().get("_word_before", 0)


def hold(active_before: bool | None = None) -> None:
    """One more hold: the plugin switched on (IncompatibleMotoError, and no hold, if it cannot
    be). ``active_before`` is the state to go back to when the caller knows it better than
    ``is_active()`` does: the pytest plugin, whose ``import moto_cognito_import`` activated it."""
    global _holds, _active_before, _word_before
    with _lock:
        first = _holds == 0
        if first:
            before = patches.is_active() if active_before is None else active_before
        patches.switch_on()
        if first:
            _active_before, _word_before = before, patches.last_word[0]
        _holds += 1


def release() -> None:
    """One hold fewer; after the last, the plugin as the module docstring says."""
    global _holds
    with _lock:
        _holds -= 1
        if _holds > 0:
            return
        said, to_activate = patches.last_word
        if not (to_activate if said != _word_before else _active_before):
            patches.switch_off()


def held() -> bool:
    """Whether a block or a fixture holds the plugin now."""
    return _holds > 0


@contextmanager
def activated() -> Iterator[None]:
    """Active while any ``activated()`` block runs (nested, or in several threads) or a pytest
    fixture holds the plugin; after the last, as it was before the first, unless
    ``activate()`` or ``deactivate()`` said otherwise meanwhile."""
    hold()
    try:
        yield
    finally:
        release()
