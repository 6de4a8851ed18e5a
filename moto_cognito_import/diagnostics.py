"""What the package logs when something it did not expect goes wrong: where, never what.

An unexpected exception's message may quote the data it failed on (a ``KeyError`` of a
username, a ``ValueError`` quoting a cell), and the package's log records never carry a
user's data (README, "Logging"). So such an error is logged, at ERROR as
``logger.exception`` would, with its traceback's frames and its type but not its message
(nor the messages of the exceptions it was raised from).
"""

from __future__ import annotations

from types import TracebackType


class WithheldMessage(Exception):
    """Stands in for an unexpected exception in a log record: its type, not its message."""


def withheld(error: BaseException) -> tuple[type[BaseException], BaseException, TracebackType | None]:
    """An ``exc_info`` for ``logger.error(..., exc_info=withheld(error))``: ``error``'s frames."""
    kind = f"{type(error).__module__}.{type(error).__qualname__}"
    stand_in = WithheldMessage(f"{kind} (its message is not logged: it may quote a user's data)")
    return WithheldMessage, stand_in, error.__traceback__
