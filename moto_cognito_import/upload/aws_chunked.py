"""S3's ``aws-chunked`` content encoding, decoded as the body arrives.

An SDK that streams an upload (a SigV4 streaming signature, or flexible checksums sent as a
trailer) frames the file: ``<hex size>[;chunk-signature=<signature>]\\r\\n<data>\\r\\n`` per
chunk, then ``0[;...]\\r\\n``, trailer lines (``x-amz-checksum-crc32:...\\r\\n``) and
``\\r\\n`` (S3 API reference, "Signature Calculations for the Authorization Header:
Transferring Payload in Multiple Chunks", and "... Including Trailing Headers"). S3 keeps
the decoded bytes, ``x-amz-decoded-content-length`` of them; moto's S3 decodes them too
(``S3Response._handle_encoded_body``). Stored as sent, the framing became the CSV's first
line ("The CSV header has no cognito:username column.").

[OURS] Chunk signatures and trailer checksums are not verified: a pre-signed URL carries no
seed signature to chain them from, and moto's S3 does not check them either.
"""

from __future__ import annotations

import io
import re
from typing import Any

from .signing import header, tokens
from .storage import BodyError, Readable

#: ``x-amz-content-sha256`` values that announce an aws-chunked body.
STREAMING = (  # in the order S3's InvalidArgument message lists them
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
)

_MAX_LINE = 4096  # a size line with its signature is under 100 bytes; a trailer line under 200
_MAX_TRAILERS = 16
_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")


def encoded(headers: Any) -> bool:
    """Whether a request's body is aws-chunked: its Content-Encoding says so, or its
    ``x-amz-content-sha256`` names a streaming payload."""
    encodings = tokens(header(headers, "content-encoding") or "")
    return "aws-chunked" in encodings or header(headers, "x-amz-content-sha256") in STREAMING


def decoded_length(headers: Any) -> int | None:
    """``x-amz-decoded-content-length``: the file's own size; None when it is absent or not a
    number, which S3 answers 411 MissingContentLength for an aws-chunked body
    (versity/versitygw#1656 compares with S3)."""
    value = (header(headers, "x-amz-decoded-content-length") or "").strip()
    return int(value) if re.fullmatch(r"[0-9]{1,19}", value) else None


class AwsChunked(io.RawIOBase):
    """The decoded bytes of an aws-chunked ``body`` of ``length`` bytes (None: to its end),
    never reading past them. A malformed frame is BodyError (S3's 400 IncompleteBody)."""

    def __init__(self, body: Readable, length: int | None):
        self._body = body
        self._unread = length  # of the raw body
        self._buffer = b""
        self._left = 0  # of the current chunk's data
        self._done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        if self._done or size == 0:
            return b""
        if self._left == 0 and not self._next_chunk():
            return b""
        data = self._take(self._left if size < 0 else min(size, self._left))
        self._left -= len(data)
        if self._left == 0 and self._exactly(2) != b"\r\n":
            raise BodyError("a chunk's data does not end with CRLF")
        return data

    def finish(self) -> None:
        """Read the rest of the framing (the last chunk, the trailers) and check that nothing
        follows it: the file was read to its ``x-amz-decoded-content-length``, and a body with
        more data, or malformed after it, is not the file S3 would keep."""
        if self.read(1):
            raise BodyError("more data than x-amz-decoded-content-length")
        if self._buffer or self._raw(1):
            raise BodyError("data after the last chunk")

    def _next_chunk(self) -> bool:
        """Read a size line: True when a chunk of data follows, False after the last chunk
        and its trailers."""
        size = self._line().split(b";", 1)[0].strip()
        if not _SIZE.fullmatch(size):
            raise BodyError("a chunk size is not a hexadecimal number")
        self._left = int(size, 16)
        if self._left:
            return True
        for _ in range(_MAX_TRAILERS + 1):  # the trailers, then an empty line
            line = self._line()
            if not line:
                self._done = True
                return False
            if b":" not in line:
                raise BodyError("a trailer is not a header line")
        raise BodyError("too many trailers")

    def _line(self) -> bytes:
        while b"\r\n" not in self._buffer:
            if len(self._buffer) > _MAX_LINE:
                raise BodyError("a chunk's size line is too long")
            more = self._raw(_MAX_LINE)
            if not more:
                raise BodyError("the body ends inside a chunk's size line")
            self._buffer += more
        line, _, self._buffer = self._buffer.partition(b"\r\n")
        if len(line) > _MAX_LINE:
            raise BodyError("a chunk's size line is too long")
        return line

    def _take(self, size: int) -> bytes:
        """Up to ``size`` bytes (at least one) of chunk data."""
        if not self._buffer:
            self._buffer = self._raw(size)
            if not self._buffer:
                raise BodyError("the body ends inside a chunk")
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            data += self._take(size - len(data))
        return data

    def _raw(self, size: int) -> bytes:
        if self._unread is not None:
            size = min(size, self._unread)
            if size == 0:
                return b""
        data = self._body.read(size)
        if self._unread is not None:
            if not data:  # the client stopped short of its Content-Length
                raise BodyError(f"the body ends {self._unread} bytes short of its Content-Length")
            self._unread -= len(data)
        return data
