"""The file a job's URL received: read in bounded memory, kept until the job ends."""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
import threading
import weakref
from typing import Any, BinaryIO, Protocol, cast

from .. import settings

_COPY_CHUNK = 1024 * 1024


class Readable(Protocol):
    """What ``Received.read`` needs of a request body."""

    def read(self, size: int = -1, /) -> bytes: ...


class BodyError(Exception):
    """Raised when a request body ends before its Content-Length, or its chunks are malformed."""


class BodyTimeout(BodyError):
    """Raised when the client sent nothing for as long as the connection waits (a body shorter
    than its Content-Length on a connection the client keeps open)."""


@dataclasses.dataclass
class Received:
    """One complete PUT body: the file (None when over 100 MB), its size and its ETag.

    [OURS] The ETag is the body's MD5, as for plain S3 objects; S3 gives SSE-KMS objects an
    ETag that is not an MD5, but nothing documents what it is.
    """

    file: tempfile.SpooledTemporaryFile[bytes] | None
    size: int
    etag: str

    @classmethod
    def read(cls, body: Readable, expected: int | None = None) -> Received:
        """Read ``body`` in 1 MB chunks: memory holds at most 8 MB (the rest spools to disk),
        and nothing of a file over 100 MB is kept. S3 accepts such a file, so this does too;
        the job then fails at Start ("larger than the maximum of 100 MB").

        ``expected`` is the Content-Length: no byte past it is read. Raises BodyError when
        the body ends short of it or cannot be read (a malformed chunk, a dropped client);
        nothing is kept then.
        """
        spool = tempfile.SpooledTemporaryFile(max_size=settings.SPOOL_BYTES)  # noqa: SIM115  (kept: the file)
        digest = hashlib.md5(usedforsecurity=False)
        size = 0
        try:
            while expected is None or size < expected:
                want = _COPY_CHUNK if expected is None else min(_COPY_CHUNK, expected - size)
                try:
                    chunk = body.read(want)
                except TimeoutError as error:  # before OSError, its base class
                    raise BodyTimeout(str(error)) from error
                except (OSError, ValueError) as error:  # werkzeug: bad chunk header, disconnect
                    raise BodyError(str(error)) from error
                if not chunk:
                    break
                size += len(chunk)
                digest.update(chunk)
                if size <= settings.MAX_FILE_BYTES:
                    spool.write(chunk)
                elif not spool.closed:
                    spool.close()
            if expected is not None and size < expected:
                raise BodyError(f"{size} of {expected} bytes")
        except BaseException:
            spool.close()  # a broken upload stores nothing
            raise
        return cls(None if spool.closed else spool, size, f'"{digest.hexdigest()}"')

    def discard(self) -> None:
        """Close the file of a body that no job took."""
        if self.file is not None:
            self.file.close()
            self.file = None


class _MemoryHeld:
    """The bytes all kept uploads hold in memory together: each may hold up to
    ``SPOOL_BYTES``, and 30 jobs' 7 MiB files took 238 MiB; past ``UPLOADS_MEMORY_BYTES`` a
    newly kept file goes to disk instead."""

    def __init__(self) -> None:
        self.total = 0
        self.lock = threading.Lock()

    def take(self, size: int) -> bool:
        with self.lock:
            if self.total + size > settings.UPLOADS_MEMORY_BYTES:
                return False
            self.total += size
            return True

    def give_back(self, size: int) -> None:
        with self.lock:
            self.total -= size


MEMORY_HELD = _MemoryHeld()


class Upload:
    """The CSV a job's URL received: the latest complete PUT, as S3 keeps the latest object."""

    def __init__(self) -> None:
        self.received = False
        self.too_large = False
        self._file: tempfile.SpooledTemporaryFile[bytes] | None = None
        # Gives _file's bytes back to MEMORY_HELD once: at discard, or when the file is
        # collected (a job dropped by a reset that could not wait for the lock is never
        # discarded).
        self._give_back: weakref.finalize[Any, Any] | None = None

    @property
    def stored(self) -> bool:
        """True while a file is kept (it goes when the job ends, and with moto's reset)."""
        return self._file is not None

    def store(self, received: Received) -> None:
        """Replace the stored file with ``received``; one over 100 MB keeps nothing but the fact."""
        file, give_back = received.file, None
        if file is not None and received.size <= settings.SPOOL_BYTES:
            if MEMORY_HELD.take(received.size):
                give_back = weakref.finalize(file, MEMORY_HELD.give_back, received.size)
            else:
                file.rollover()
        self.discard()
        self.received = True
        self.too_large = file is None
        # Set last, together: a reset's discard (it need not wait for the lock) sees the file
        # with its share of the budget, or neither.
        self._file, self._give_back = file, give_back

    def open(self) -> BinaryIO:
        """The stored file, rewound."""
        if self._file is None:
            raise ValueError("no stored file")
        self._file.seek(0)
        return cast(BinaryIO, self._file)  # a binary file in all but its declared type

    def discard(self) -> None:
        """Delete the file, as AWS does once a job completes, fails, stops or expires."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._give_back is not None:
            self._give_back()  # a finalize runs once, whoever calls it first
            self._give_back = None
