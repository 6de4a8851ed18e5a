"""The file a job's URL received: read in bounded memory, kept until the job ends."""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import glob
import hashlib
import io
import logging
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import IO, BinaryIO, Protocol, cast

from .. import settings

_COPY_CHUNK = 1024 * 1024
logger = logging.getLogger(__name__)


class Readable(Protocol):
    """What ``Received.read`` needs of a request body."""

    def read(self, size: int = -1, /) -> bytes: ...


class BodyError(Exception):
    """Raised when a request body ends before its Content-Length, or its chunks are malformed."""


class StorageError(Exception):
    """Raised when a body cannot be kept: the disk it spills to is full or unwritable."""


class BodyTimeout(BodyError):
    """Raised when the client sent nothing for as long as the connection waits (a body shorter
    than its Content-Length on a connection the client keeps open)."""


class _MemoryHeld:
    """The bytes all uploads, kept or arriving, hold in memory together: each may hold up to
    ``SPOOL_BYTES``; 30 jobs' 7 MiB files took 238 MiB, and 60 uploads arriving at once held
    8 MB each. Past ``UPLOADS_MEMORY_BYTES`` a file goes to disk instead."""

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


_DISK_PREFIX = "moto-cognito-import-"


class _Disk:
    """The process's directory for files past the memory budget, private to its user
    (``mkdtemp``'s mode 0700): made on first need (again if something removed it) and
    removed with its files when the process exits. The files are uploads, user data: a
    process that finds a directory whose owner ended without cleaning up (killed) removes it.

    Ownership is an exclusive ``flock`` on the directory, held as long as the process runs
    (the kernel lets go of it however the process ends): a process id says nothing across
    PID namespaces sharing ``/tmp`` (containers, a CI job beside a server), where a live
    server's uploads were taken for a dead process's and deleted. The directory is locked
    before it gets the name other processes look for."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # two uploads may reach the budget's end at once
        self._path: str | None = None
        self._owner: int | None = None  # the locked descriptor of the directory

    def directory(self) -> str:
        with self._lock:
            if self._path is None or not os.path.isdir(self._path):
                _remove_orphans()
                staging = tempfile.mkdtemp(prefix=f".{_DISK_PREFIX}")
                owner: int | None = None
                try:
                    owner = _own(staging)
                    path = os.path.join(
                        os.path.dirname(staging), f"{_DISK_PREFIX}{os.getpid()}-{os.path.basename(staging)[-8:]}"
                    )
                    os.rename(staging, path)
                except BaseException:
                    if owner is not None:
                        os.close(owner)
                    shutil.rmtree(staging, ignore_errors=True)
                    raise
                if self._owner is not None:  # the directory something removed
                    os.close(self._owner)
                self._owner, self._path = owner, path
                atexit.register(shutil.rmtree, path, ignore_errors=True)  # gone already: nothing to do
            return self._path


def _try_lock(path: str, blocking: bool) -> int | None:
    """An open descriptor of ``path`` holding its exclusive ``flock``, or None when another
    process holds it. Raises OSError when it cannot tell: the path is gone, or its file
    system has no ``flock`` (Linux emulates it on NFS with locks a directory cannot take)."""
    import fcntl

    descriptor = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(descriptor)
        return None
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


def _own(path: str) -> int | None:
    """Lock a new directory for this process; None where nothing can be locked (not POSIX, or
    no ``flock`` there): the directory is then unprotected, and such places are never swept."""
    if os.name != "posix":
        return None
    try:
        return _try_lock(path, blocking=True)
    except OSError as error:
        logger.warning("Cannot flock %s (%s): other processes may take it for an orphan", path, error)
        return None


def _remove_orphans() -> None:
    """Remove the directories no running process holds (POSIX only: see ``_Disk``)."""
    if os.name != "posix":
        return
    for path in glob.glob(os.path.join(tempfile.gettempdir(), f"{_DISK_PREFIX}*-*")):
        try:
            descriptor = _try_lock(path, blocking=False)
        except OSError:  # gone meanwhile, another user's, or no flock there: not provably orphaned
            continue
        if descriptor is not None:
            try:
                shutil.rmtree(path, ignore_errors=True)
            finally:
                os.close(descriptor)


_DISK = _Disk()


@dataclasses.dataclass
class _Resources:
    """What a KeptFile holds outside itself, released once: by ``close`` or, for a file its job
    dropped without closing (a reset that could not wait for the lock), when it is collected.
    The lock keeps a reader from opening while the file is released."""

    held: int = 0  # its share of MEMORY_HELD
    path: str | None = None  # its file on disk
    files: list[IO[bytes]] = dataclasses.field(default_factory=list)  # open: closed at release
    released: bool = False
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def release(self) -> None:
        with self.lock:
            self.released = True
            for file in self.files:
                file.close()
            if self.path is not None:
                # At exit the process's directory may have gone first, with this file in it.
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path)
            MEMORY_HELD.give_back(self.held)


class KeptFile:
    """The bytes of one upload: in memory while the budget allows, at most ``SPOOL_BYTES``;
    else in a file on disk that is open only while written or read, so kept files hold no
    descriptors (1,024 files kept on disk had used up the server's, and every request failed).
    """

    def __init__(self) -> None:
        self._memory: io.BytesIO | None = io.BytesIO()
        self._file: IO[bytes] | None = None  # on disk: the writer, then the reader once opened
        self._resources = _Resources(files=[self._memory])
        self._release = weakref.finalize(self, _Resources.release, self._resources)

    def write(self, data: bytes) -> None:
        if self._memory is not None:
            if self._memory.tell() + len(data) <= settings.SPOOL_BYTES and MEMORY_HELD.take(len(data)):
                self._resources.held += len(data)
                self._memory.write(data)
                return
            self._to_disk()
        assert self._file is not None
        self._file.write(data)

    def _to_disk(self) -> None:
        assert self._memory is not None
        resources = self._resources
        descriptor, resources.path = tempfile.mkstemp(dir=_DISK.directory())
        self._file = os.fdopen(descriptor, "w+b")
        resources.files = [self._file]
        with self._memory.getbuffer() as written:
            self._file.write(written)
        self._memory.close()
        self._memory = None
        MEMORY_HELD.give_back(resources.held)
        resources.held = 0

    def written(self) -> None:
        """Writing is over: a file on disk is closed until it is read."""
        if self._file is not None:
            self._file.close()
            self._file, self._resources.files = None, []

    def open(self) -> BinaryIO:
        """The bytes, rewound; on disk, one reader that stays open until ``close``. Raises
        ValueError once closed."""
        resources = self._resources
        with resources.lock:
            if resources.released:
                raise ValueError("the file was deleted")
            if self._memory is not None:
                self._memory.seek(0)
                return self._memory
            if self._file is None:
                assert resources.path is not None
                self._file = open(resources.path, "rb")  # noqa: SIM115  (closed with the file)
                resources.files = [self._file]
            self._file.seek(0)
            return cast(BinaryIO, self._file)

    def close(self) -> None:
        """Free the bytes: memory, budget, disk and descriptors; a reader gets ValueError."""
        self._release()  # runs once, whoever calls it first


def _keep(step: Callable[..., None], *data: bytes) -> None:
    """Run one write (or the close) of a kept file; a disk error (ENOSPC, EFBIG, an
    unwritable temporary directory) is StorageError, and logged."""
    try:
        step(*data)
    except OSError as error:
        logger.warning("An upload could not be kept on disk: %s", error)
        raise StorageError(str(error)) from error


@contextlib.contextmanager
def reading() -> Iterator[None]:
    """Around a read of a request body: the client's failures as BodyTimeout or BodyError."""
    try:
        yield
    except TimeoutError as error:  # before OSError, its base class
        raise BodyTimeout(str(error)) from error
    except (OSError, ValueError) as error:  # werkzeug: bad chunk header, disconnect
        raise BodyError(str(error)) from error


@dataclasses.dataclass
class Received:
    """One complete PUT body: the file (None when over 100 MB), its size and its ETag.

    [OURS] The ETag is the body's MD5, as for plain S3 objects; S3 gives SSE-KMS objects an
    ETag that is not an MD5, but nothing documents what it is.
    """

    file: KeptFile | None
    size: int
    etag: str

    @classmethod
    def read(cls, body: Readable, expected: int | None = None) -> Received:
        """Read ``body`` in 1 MB chunks into a KeptFile (memory holds at most 8 MB of it, less
        when other uploads take the budget), and nothing of a file over 100 MB. S3 accepts
        such a file, so this does too; the job then fails at Start ("larger than the maximum
        of 100 MB").

        ``expected`` is the Content-Length: no byte past it is read. Raises BodyError when
        the body ends short of it or cannot be read (a malformed chunk, a dropped client);
        nothing is kept then.
        """
        kept: KeptFile | None = KeptFile()
        digest = hashlib.md5(usedforsecurity=False)
        size = 0
        try:
            while expected is None or size < expected:
                want = _COPY_CHUNK if expected is None else min(_COPY_CHUNK, expected - size)
                with reading():
                    chunk = body.read(want)
                if not chunk:
                    break
                size += len(chunk)
                digest.update(chunk)
                if kept is not None and size <= settings.MAX_FILE_BYTES:
                    _keep(kept.write, chunk)
                elif kept is not None:
                    kept.close()
                    kept = None
            if expected is not None and size < expected:
                raise BodyError(f"{size} of {expected} bytes")
            if kept is not None:
                _keep(kept.written)
        except BaseException:
            if kept is not None:
                kept.close()  # a broken upload stores nothing
            raise
        return cls(kept, size, f'"{digest.hexdigest()}"')

    def discard(self) -> None:
        """Free the file of a body that no job took."""
        if self.file is not None:
            self.file.close()
            self.file = None


class Upload:
    """The CSV a job's URL received: the latest complete PUT, as S3 keeps the latest object."""

    def __init__(self) -> None:
        self.received = False
        self.too_large = False
        self.etag: str | None = None  # the latest PUT's, for S3's conditional writes
        self._file: KeptFile | None = None

    @property
    def stored(self) -> bool:
        """True while a file is kept (it goes when the job ends, and with moto's reset)."""
        return self._file is not None

    def store(self, received: Received) -> None:
        """Replace the stored file with ``received``; one over 100 MB keeps nothing but the fact."""
        self.discard()
        self.received = True
        self.too_large = received.file is None
        self.etag = received.etag
        self._file = received.file

    def open(self) -> BinaryIO:
        """The stored file, rewound."""
        if self._file is None:
            raise ValueError("no stored file")
        return self._file.open()

    def discard(self) -> None:
        """Delete the file, as AWS does once a job completes, fails, stops or expires."""
        file, self._file = self._file, None  # a reset may discard at the same time
        if file is not None:
            file.close()
