"""The digests a PUT may declare for its file, checked as S3 checks them.

S3 checks a ``Content-MD5`` and an ``x-amz-checksum-<algorithm>`` header against the object it
receives, whoever signed the request: a client that declares one and sends other bytes gets
400 ``BadDigest`` and nothing is stored. A value that is no digest of its kind is refused
before the body is read. Words and elements from S3's answers quoted in public threads:
Content-MD5 ``BadDigest`` with CalculatedDigest and ExpectedDigest (versity/versitygw#2034,
dandi/dandi-cli#1257), ``InvalidDigest`` (ceph/s3-tests, basho/riak_cs#624); the checksums'
``BadDigest`` (aws/aws-sdk-ruby#3322, ministackorg/ministack#1497, recorded against S3) and
``InvalidRequest`` texts (versity/versitygw#1593, #1598). Checksums S3 takes from an
aws-chunked body's trailer are not verified (README).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import hashlib
import io
import threading
import zlib
from collections.abc import Callable
from typing import Any, Protocol

from .s3_errors import S3Error
from .signing import header
from .storage import Readable


class Digest(Protocol):
    """What of ``hashlib``'s objects a check needs."""

    def update(self, data: bytes, /) -> None: ...

    def digest(self) -> bytes: ...


class _Crc32:
    """CRC-32 (zlib's, in C) as a digest: four bytes, big-endian, as S3 writes it."""

    def __init__(self) -> None:
        self._crc = 0

    def update(self, data: bytes, /) -> None:
        self._crc = zlib.crc32(data, self._crc)

    def digest(self) -> bytes:
        return self._crc.to_bytes(4, "big")


@functools.cache
def _table(polynomial: int) -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ polynomial if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


#: One Python CRC loop at a time, process-wide: each holds the interpreter's lock nearly all
#: the time, and 24 uploads declaring CRC-32C at once made every other request wait for it
#: (a ListBuckets took 18 s, a Describe 10 s). The others wait here without it.
_ONE_PYTHON_CRC = threading.Lock()


class _ReflectedCrc:
    """A reflected CRC with all bits set at the start and the end: CRC-32C and CRC-64/NVME,
    which S3 takes and Python's standard library lacks. Table-driven in Python (about
    4 MB/s here): it runs only for a client that declares one, outside the plugin's lock,
    one loop at a time (``_ONE_PYTHON_CRC``)."""

    def __init__(self, bits: int, polynomial: int):
        self._size = bits // 8
        self._mask = (1 << bits) - 1
        self._table = _table(polynomial)
        self._crc = self._mask

    def update(self, data: bytes, /) -> None:
        with _ONE_PYTHON_CRC:
            crc, table = self._crc, self._table
            for byte in data:
                crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
            self._crc = crc

    def digest(self) -> bytes:
        return (self._crc ^ self._mask).to_bytes(self._size, "big")


#: S3's checksum algorithms, by the name its headers use: a new digest of each, and its size.
CHECKSUMS: dict[str, tuple[Callable[[], Digest], int]] = {
    "CRC32": (_Crc32, 4),
    "CRC32C": (functools.partial(_ReflectedCrc, 32, 0x82F63B78), 4),
    "CRC64NVME": (functools.partial(_ReflectedCrc, 64, 0x9A6C9329AC4BC9B5), 8),
    "SHA1": (lambda: hashlib.sha1(usedforsecurity=False), 20),
    "SHA256": (hashlib.sha256, 32),
}
_MD5_SIZE = 16


@dataclasses.dataclass
class Declared:
    """One digest a request declares for its file, and the digest computing it."""

    name: str  # "Content-MD5", or a checksum algorithm
    expected: bytes
    digest: Digest

    def check(self) -> None:
        """S3's 400 BadDigest when the bytes received are not the ones declared."""
        computed = self.digest.digest()
        if computed == self.expected:
            return
        if self.name == "Content-MD5":
            raise S3Error(
                400, "BadDigest", "The Content-MD5 you specified did not match what we received.",
                CalculatedDigest=base64.b64encode(computed).decode(), ExpectedDigest=self.expected.hex(),
            )
        raise S3Error(400, "BadDigest", f"The {self.name} you specified did not match the calculated checksum.")


def _decoded(value: str, size: int) -> bytes | None:
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if len(data) == size else None


def _invalid_request(message: str) -> S3Error:
    return S3Error(400, "InvalidRequest", message)


def declared(headers: Any) -> list[Declared]:
    """The digests ``headers`` declare for the file; S3's 400 for one that is no digest of its
    kind (InvalidDigest for Content-MD5, InvalidRequest for a checksum), for two checksums,
    and for ``x-amz-sdk-checksum-algorithm`` naming another algorithm or none sent."""
    found = []
    md5 = header(headers, "content-md5")
    if md5 is not None:
        expected = _decoded(md5.strip(), _MD5_SIZE)
        if expected is None:
            raise S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.", **{"Content-MD5": md5})
        found.append(Declared("Content-MD5", expected, hashlib.md5(usedforsecurity=False)))
    checksums = [
        (name, value) for name in CHECKSUMS if (value := header(headers, f"x-amz-checksum-{name.lower()}")) is not None
    ]
    if len(checksums) > 1:
        raise _invalid_request("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
    algorithm = header(headers, "x-amz-sdk-checksum-algorithm")
    if algorithm is not None and (
        (named := algorithm.strip().upper()) not in CHECKSUMS or (checksums and checksums[0][0] != named)
    ):
        raise _invalid_request("Value for x-amz-sdk-checksum-algorithm header is invalid.")
    if algorithm is not None and not checksums and header(headers, "x-amz-trailer") is None:
        raise _invalid_request(
            "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer "
            "headers were found."
        )
    for name, value in checksums:
        new, size = CHECKSUMS[name]
        expected = _decoded(value.strip(), size)
        if expected is None:
            raise _invalid_request(f"Value for x-amz-checksum-{name.lower()} header is invalid.")
        found.append(Declared(name, expected, new()))
    return found


def echoed(digests: list[Declared]) -> dict[str, str]:
    """The headers of a PutObject's answer for the checksum uploaded with the object: S3 names it
    ("only present if the checksum was uploaded with the object") and its type, "always
    FULL_OBJECT" for PutObject (PutObjectOutput's ChecksumCRC32..., ChecksumType: S3 API
    reference). Content-MD5 is not echoed: the ETag is the MD5."""
    for found in digests:
        if found.name != "Content-MD5":  # one checksum at most: ``declared`` refuses two
            return {
                f"x-amz-checksum-{found.name.lower()}": base64.b64encode(found.expected).decode(),
                "x-amz-checksum-type": "FULL_OBJECT",
            }
    return {}


class Digesting(io.RawIOBase):
    """A body whose bytes go through ``digests`` as they are read."""

    def __init__(self, body: Readable, digests: list[Digest]):
        self._body = body
        self._digests = digests

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        data = self._body.read(size)
        for digest in self._digests:
            digest.update(data)
        return data
