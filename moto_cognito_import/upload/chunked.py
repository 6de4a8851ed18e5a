"""HTTP/1.1's chunked transfer coding of a request body (RFC 9112, 7.1), as werkzeug's
server hands it over: ``Transfer-Encoding: chunked``. (AWS's own ``aws-chunked`` content
coding, framed inside the body, is refused: ``aws_chunked``.)

werkzeug's ``DechunkedInput`` fell short of what S3 takes: it refused chunk extensions
(``1a;name=value``, which a recipient ignores, 7.1.1) and trailer fields (7.1.2) with an
error, and its ``readinto`` copied past a caller's buffer when the client went away mid-chunk
(past 1 MiB that killed the server). So a chunked body is read here, from the socket file
under it, into the caller's buffer only.
"""

from __future__ import annotations

import io
import re
from typing import Any

from werkzeug.serving import DechunkedInput

#: [OURS] The longest chunk-size line (with its extensions) or trailer line taken, its line
#: end included, and how many trailer lines: HTTP/1.1 sets no bound and asks a server to set
#: one (7.1.1).
MAX_LINE = 8 * 1024
MAX_TRAILER_LINES = 100

_SIZE = re.compile(rb"[0-9A-Fa-f]+")


class Chunks(io.RawIOBase):
    """The data of a chunked body. A malformed or cut-short one raises ValueError (S3's 400
    IncompleteBody); a read that times out, the socket's TimeoutError."""

    def __init__(self, body: DechunkedInput):
        self._file: Any = body._rfile  # werkzeug's socket file, before its decoding
        self._left = 0  # bytes of the current chunk still to read
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any, /) -> int:
        if self._done or not len(buffer):
            return 0
        if self._left == 0:
            self._left = self._chunk_size()
            if self._left == 0:
                self._trailers()
                self._done = True
                return 0
        with memoryview(buffer) as view:
            read = self._file.readinto(view[: min(len(view), self._left)])
        if not read:
            raise ValueError("The body ended inside a chunk.")
        self._left -= read
        if self._left == 0 and self._line():
            raise ValueError("A chunk is longer than its size.")
        return int(read)

    def _line(self) -> bytes:
        """The next line without its end (CRLF, or a bare LF as werkzeug takes it)."""
        line = bytes(self._file.readline(MAX_LINE + 1))
        if not line.endswith(b"\n") or len(line) > MAX_LINE:
            raise ValueError("A chunk line is cut short or too long.")
        return line[:-2] if line.endswith(b"\r\n") else line[:-1]

    def _chunk_size(self) -> int:
        size = self._line().partition(b";")[0].strip(b" \t")  # extensions are ignored
        if not _SIZE.fullmatch(size):
            raise ValueError("A chunk size is not a hexadecimal number.")
        return int(size, 16)

    def _trailers(self) -> None:
        for _ in range(MAX_TRAILER_LINES):
            line = self._line()
            if not line:
                return
            if b":" not in line:
                raise ValueError("A trailer line is not a field.")
        raise ValueError("The body has too many trailer fields.")
