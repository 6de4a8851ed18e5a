"""The one lock that serialises every cognito-idp call and every change an import makes."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TypeVar

_T = TypeVar("_T")


def computed_once(function: Callable[[], _T]) -> Callable[[], _T]:
    """``functools.cache`` for a function without arguments whose first call is costly, made
    once however many threads ask at the same moment: ``functools.cache`` lets each of them
    compute it. 64 uploads reaching a fresh server at once each built a botocore session for
    Cognito's bucket names (RSS +470 MB, 14 s for the slowest)."""
    cached = functools.cache(function)
    lock = threading.Lock()

    @functools.wraps(function)
    def once() -> _T:
        with lock:
            return cached()

    return once


class ServerLock:
    """A re-entrant lock that a holder can let go of for slow work (``released``).

    moto's server is threaded and its cognito-idp has no lock of its own; an import adds
    users to moto's pools while other requests read them. Every cognito-idp action runs
    under this lock (``moto_glue.dispatch``). Verifying an imported password hash can take
    a second, and must not stall every other client meanwhile (issue 12): the sign-in rule
    verifies inside ``released()`` and re-checks what it read once it has the lock back.
    ``threading.RLock`` cannot be let go of by a holder that entered it several times.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        self._waiting = 0  # threads blocked taking the lock (entering, or back from released())
        self._counting = threading.Lock()  # guards _waiting
        self._handovers = 0  # how many times a thread has taken the lock

    def _acquire(self, blocking: bool = True) -> bool:
        """Take the underlying lock, counted among the waiters while blocked."""
        if not self._lock.acquire(blocking=False):
            if not blocking:
                return False
            with self._counting:
                self._waiting += 1
            try:
                self._lock.acquire()
            finally:
                with self._counting:
                    self._waiting -= 1
        self._owner = threading.get_ident()
        self._handovers += 1
        return True

    def _take(self, blocking: bool) -> bool:
        if self._owner != threading.get_ident() and not self._acquire(blocking):
            return False
        self._depth += 1
        return True

    def __enter__(self) -> ServerLock:
        self._take(blocking=True)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()

    @contextmanager
    def held_if_free(self) -> Iterator[bool]:
        """Take the lock if no other thread holds it, without waiting; yield whether it was
        taken. For moto's reset, which runs under moto's own backend lock: waiting here for
        an import that needs moto's backend lock would deadlock."""
        if not self._take(blocking=False):
            yield False
            return
        try:
            yield True
        finally:
            self.__exit__(None, None, None)

    def held(self) -> bool:
        """Whether the calling thread holds the lock."""
        return self._owner == threading.get_ident()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Let go of the lock entirely for the block (if this thread holds it), then take it
        back at the same depth. What was read under the lock may have changed meanwhile."""
        if not self.held():
            yield
            return
        depth, self._depth, self._owner = self._depth, 0, None
        self._lock.release()
        try:
            yield
        finally:
            self._acquire()  # counted: a long import lets this thread back in (let_waiters_in)
            self._depth = depth

    def has_waiters(self) -> bool:
        """Whether a thread is waiting for the lock (a hint: it may change at once)."""
        return self._waiting > 0

    def let_waiters_in(self) -> None:
        """Hand the lock to every thread waiting for it, then take it back.

        A long import (500,000 rows take seconds) runs in one call that holds the lock:
        it calls this between batches of rows so other clients' requests, of every account
        and region, wait about a batch (issue 12: no request stalls the server); another
        import paused the same way, or a sign-in back from verifying a hash, is a waiter too.
        Releasing alone is not enough: this thread would usually take the lock straight back,
        before a woken waiter runs, and a lock serves waiters in no order. So it stays out
        until each thread that was waiting has had the lock once (or a second has passed).
        """
        queued = self._waiting
        if not self.held() or not queued:
            return
        served_from = self._handovers
        with self.released():
            deadline = time.monotonic() + 1.0
            while self._waiting and self._handovers - served_from < queued and time.monotonic() < deadline:
                time.sleep(0.0005)  # not spinning: the waiters need the CPU


#: Held by every cognito-idp action, the import, uploads' hand-over and moto's reset of jobs.
LOCK = ServerLock()


#: Set while the plugin is on (``moto_glue.patches``). Once it is off, moto's own requests take
#: no ``LOCK``: an import in flight in another thread stops at its next row (``importing.run``)
#: rather than go on adding users to a pool they read (they failed: ``OrderedDict mutated during
#: iteration``, HTTP 500). Deactivation does not wait for the import: a wait for it, from a
#: thread holding a lock the import needs (a moto method, a log handler), never ended.
PLUGIN_ON = threading.Event()
