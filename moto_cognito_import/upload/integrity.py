"""The Content-MD5 a PUT may declare for its file, checked as S3 checks it.

S3 checks a ``Content-MD5`` against the object it receives: a client that declares one and
sends other bytes gets 400 ``BadDigest`` with CalculatedDigest and ExpectedDigest
(versity/versitygw#2034, dandi/dandi-cli#1257 quote S3), and nothing is stored. A value that
is no MD5 is 400 ``InvalidDigest`` before the body is read (ceph/s3-tests, basho/riak_cs#624).
(An ``x-amz-checksum-*`` header is one the PreSignedUrl did not sign: S3 refuses it first,
``signing.authorize``.)
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any, Protocol

from .s3_errors import S3Error
from .signing import header
from .storage import Readable

_MD5_SIZE = 16


def declared_md5(headers: Any) -> bytes | None:
    """The MD5 ``Content-MD5`` declares for the file, or None without one; S3's 400
    InvalidDigest for a value that is no base64 MD5."""
    value = header(headers, "content-md5")
    if value is None:
        return None
    try:
        expected = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        expected = b""
    if len(expected) != _MD5_SIZE:
        raise S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.", **{"Content-MD5": value})
    return expected


def check_md5(expected: bytes, etag: str) -> None:
    """S3's 400 BadDigest when the bytes received (their ETag, the MD5 ``Received`` computed)
    are not the ones ``Content-MD5`` declared."""
    computed = bytes.fromhex(etag.strip('"'))
    if computed != expected:
        raise S3Error(
            400, "BadDigest", "The Content-MD5 you specified did not match what we received.",
            CalculatedDigest=base64.b64encode(computed).decode(), ExpectedDigest=expected.hex(),
        )


class _Digest(Protocol):
    """What of ``hashlib``'s objects ``Digesting`` needs."""

    def update(self, data: bytes, /) -> None: ...


class Digesting(io.RawIOBase):
    """A body whose bytes go through ``digest`` as they are read (``x-amz-content-sha256``'s
    SHA-256)."""

    def __init__(self, body: Readable, digest: _Digest):
        self._body = body
        self._digest = digest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        data = self._body.read(size)
        self._digest.update(data)
        return data
