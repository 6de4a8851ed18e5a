"""S3's ``aws-chunked`` content encoding, which no upload to a PreSignedUrl can use.

An SDK that streams an upload (a SigV4 streaming signature, or flexible checksums sent as a
trailer) frames the file and says its size in ``x-amz-decoded-content-length`` (S3 API
reference, "Signature Calculations for the Authorization Header: Transferring Payload in
Multiple Chunks"). S3 answers a framed body without that number 411 MissingContentLength, and
one with it, on a URL that did not sign it (Cognito's sign ``host`` and the SSE header only),
403 AccessDenied "There were headers present in the request which were not signed"
(``signing.authorize``). Either way nothing is stored; the fake decoded and stored such bodies
before it checked unsigned headers.
"""

from __future__ import annotations

from typing import Any

from .signing import byte_count, header, tokens

#: ``x-amz-content-sha256`` values that announce an aws-chunked body.
STREAMING = (  # in the order S3's InvalidArgument message lists them
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
)


def encoded(headers: Any) -> bool:
    """Whether a request's body is aws-chunked: its Content-Encoding says so, or its
    ``x-amz-content-sha256`` names a streaming payload."""
    encodings = tokens(header(headers, "content-encoding") or "")
    return "aws-chunked" in encodings or header(headers, "x-amz-content-sha256") in STREAMING


def decoded_length(headers: Any) -> int | None:
    """``x-amz-decoded-content-length``: the file's own size; None when it is absent or not a
    number, which S3 answers 411 MissingContentLength for an aws-chunked body
    (versity/versitygw#1656 compares with S3)."""
    return byte_count(header(headers, "x-amz-decoded-content-length"))
