"""Writing to a console script's standard streams when they may be closed, full or a closed
pipe (``>&-``, ``>/dev/full``, ``| head``): one line or nothing, never a traceback."""

from __future__ import annotations

import os
from typing import TextIO


def say(out: TextIO | None, text: str) -> bool:
    """Write ``text`` to ``out`` and flush it; False when it could not go (the exit code then
    says it alone)."""
    if out is None or out.closed:
        return False
    try:
        out.write(text)
        out.flush()
    except OSError:  # full, gone, a reader that left
        drop(out)
        return False
    return True


def drop(out: TextIO) -> None:
    """Point ``out``'s descriptor at the null device: what it still buffers, and anything
    written later, goes nowhere instead of failing again when Python flushes it at exit (a
    traceback, exit 120). A stream without a descriptor (a caller's StringIO) is left alone."""
    try:
        descriptor = out.fileno()
    except (OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)
