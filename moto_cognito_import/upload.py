"""The pre-signed upload URL: SigV4 query signing, S3's checks and errors, and the stored file.

Real jobs get a URL into Cognito's own bucket (``aws-cognito-idp-user-import-<airport>``),
valid 15 minutes, whose signed headers include ``x-amz-server-side-encryption``. moto's S3
checks neither signatures nor expiry, so this module does, with botocore's own signer, and
keeps the file out of the user's S3 account: it lives with the job and goes when the job
ends or moto resets.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import io
import logging
import re
import tempfile
from collections.abc import Callable
from typing import Any, BinaryIO
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from botocore.auth import SIGV4_TIMESTAMP, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto.core.common_types import TYPE_RESPONSE
from moto.moto_api._internal import mock_random as random

from . import clock
from .settings import MAX_FILE_BYTES, UPLOAD_URL_EXPIRES_SECONDS

logger = logging.getLogger(__name__)

BUCKET_PREFIX = "aws-cognito-idp-user-import-"
# Region -> the airport code in Cognito's bucket name. pdx, nrt and lhr are seen in real URLs;
# the others are [OURS]: each region's usual airport code. Unknown regions use their name.
AIRPORTS = {
    "us-east-1": "iad", "us-east-2": "cmh", "us-west-1": "sfo", "us-west-2": "pdx",
    "ca-central-1": "yul", "eu-west-1": "dub", "eu-west-2": "lhr", "eu-west-3": "cdg",
    "eu-central-1": "fra", "eu-north-1": "arn", "eu-south-1": "mxp", "ap-northeast-1": "nrt",
    "ap-northeast-2": "icn", "ap-northeast-3": "kix", "ap-southeast-1": "sin",
    "ap-southeast-2": "syd", "ap-south-1": "bom", "sa-east-1": "gru", "me-south-1": "bah",
    "af-south-1": "cpt", "ap-east-1": "hkg",
}
SSE_HEADER = "x-amz-server-side-encryption"
SSE_VALUE = "aws:kms"
_SIGNED_HEADERS = f"host;{SSE_HEADER}"
# The service's own signing key. Never sent anywhere: only this process signs and verifies.
_CREDENTIALS = Credentials("ASIACOGNITOIMPORTFAKE", "cognito-user-import-bucket-signing-key")
_SPOOL_BYTES = 8 * 1024 * 1024
_COPY_CHUNK = 1024 * 1024
_PATH = re.compile(
    r"/(?:" + BUCKET_PREFIX + r"[a-z0-9-]+/)?(?P<account>[0-9]+)/(?P<pool>[\w-]+_[0-9a-zA-Z]+)"
    r"/(?P<job>import-[0-9a-zA-Z-]+)$"
)
_QUERY_KEYS = (
    "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
    "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires",
)


class Upload:
    """The CSV a job received, spooled to disk past 8 MB; at most 100 MB is kept."""

    def __init__(self) -> None:
        self.received = False
        self.too_large = False
        self._file: Any = None

    def store(self, body: BinaryIO) -> None:
        """Replace the stored file with ``body``, read in chunks so memory stays bounded.

        S3 accepts bigger files, so this does too, but keeps none of one over 100 MB: the
        job then fails at Start ("larger than the maximum of 100 MB").
        """
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
        size = 0
        while chunk := body.read(_COPY_CHUNK):
            size += len(chunk)
            if size <= MAX_FILE_BYTES:
                spool.write(chunk)
            elif not spool.closed:
                spool.close()
        self.discard()
        self.received = True
        self.too_large = size > MAX_FILE_BYTES
        self._file = None if self.too_large else spool

    def open(self) -> BinaryIO:
        """The stored file, rewound."""
        self._file.seek(0)
        return self._file  # type: ignore[no-any-return]

    def discard(self) -> None:
        """Delete the file, as AWS does once a job completes, fails, stops or expires."""
        if self._file is not None:
            self._file.close()
            self._file = None


def bucket_name(region: str) -> str:
    return BUCKET_PREFIX + AIRPORTS.get(region, region)


def _host(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.hostname + (f":{parts.port}" if parts.port and parts.port != default else "")  # type: ignore[operator]


def _signature(method: str, url: str, sse: str | None, timestamp: str, region: str) -> str:
    """SigV4 query signature of ``url`` (which carries every X-Amz-* parameter but the signature)."""
    headers = {"host": _host(url)}
    if sse is not None:
        headers[SSE_HEADER] = sse
    request = AWSRequest(method=method, url=url, headers=headers)
    request.context["timestamp"] = timestamp
    signer = S3SigV4QueryAuth(_CREDENTIALS, "s3", region, expires=UPLOAD_URL_EXPIRES_SECONDS)
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical), request)  # type: ignore[no-any-return]


def presign(
    account_id: str, region: str, pool_id: str, job_id: str, when: datetime.datetime, url_base: str | None
) -> str:
    """A pre-signed PUT URL for a job's CSV, valid for 899 seconds from ``when``.

    ``url_base`` None gives the real virtual-hosted S3 form (intercepted under ``mock_aws``);
    in server mode it is the server's own ``scheme://host:port``, path-style, so curl and any
    SDK can reach it.
    """
    if url_base is None:
        url = f"https://{bucket_name(region)}.s3.{region}.amazonaws.com/{account_id}/{pool_id}/{job_id}"
    else:
        url = f"{url_base.rstrip('/')}/{bucket_name(region)}/{account_id}/{pool_id}/{job_id}"
    timestamp = when.strftime(SIGV4_TIMESTAMP)
    query = urlencode(
        [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Date", timestamp),
            ("X-Amz-SignedHeaders", _SIGNED_HEADERS),
            ("X-Amz-Expires", str(UPLOAD_URL_EXPIRES_SECONDS)),
            ("X-Amz-Credential", f"{_CREDENTIALS.access_key}/{timestamp[:8]}/{region}/s3/aws4_request"),
        ],
        quote_via=quote,
        safe="",
    )
    url = f"{url}?{query}"
    return f"{url}&X-Amz-Signature={_signature('PUT', url, SSE_VALUE, timestamp, region)}"


def _s3_error(status: int, code: str, message: str) -> TYPE_RESPONSE:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{random.get_random_hex(16).upper()}</RequestId>"
        f"<HostId>{random.get_random_hex(32)}</HostId></Error>"
    )
    return status, {"Content-Type": "application/xml"}, body


def _signature_does_not_match() -> TYPE_RESPONSE:
    return _s3_error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
    )


def _body(request: Any) -> BinaryIO:
    """The request body as a stream: werkzeug's (server mode) or the mocked request's bytes."""
    body = getattr(request, "body", None)
    if body is None and hasattr(request, "stream"):
        return request.stream  # type: ignore[no-any-return]
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return io.BytesIO(body)
    return body if body is not None else io.BytesIO()  # type: ignore[no-any-return]


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers).items():
        if key.lower() == name:
            return value.decode() if isinstance(value, bytes) else str(value)
    return None


def handle_put(
    request: Any, full_url: str, headers: Any, store: Callable[[str, str, str, str, BinaryIO], bool]
) -> TYPE_RESPONSE | None:
    """Answer a request to an upload URL like S3 would; None when the URL isn't Cognito's.

    ``store(account, region, pool_id, job_id, body)`` saves the file and returns False when the job
    no longer takes uploads (started, stopped, expired, gone) -> 403 AccessDenied.
    """
    parts = urlsplit(full_url)
    match = _PATH.search(parts.path)
    if match is None or BUCKET_PREFIX not in full_url.split("?")[0]:
        return None
    method = request.method.upper()
    if method not in ("PUT", "GET", "HEAD", "POST", "DELETE"):
        return _s3_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = dict(pairs)
    if any(key not in query for key in _QUERY_KEYS):
        return _s3_error(
            400,
            "AuthorizationQueryParametersError",
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
            "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
        )
    # Mocked and proxied requests may arrive with the query decoded: re-encode it the way
    # ``presign`` did before comparing signatures.
    unsigned = f"{parts.scheme}://{parts.netloc}{parts.path}?" + urlencode(
        [(k, v) for k, v in pairs if k != "X-Amz-Signature"], quote_via=quote, safe=""
    )
    region = query["X-Amz-Credential"].split("/")[2] if query["X-Amz-Credential"].count("/") == 4 else ""
    expected = _signature(method, unsigned, _header(headers, SSE_HEADER), query["X-Amz-Date"], region)
    if not hmac.compare_digest(expected, query["X-Amz-Signature"]):
        return _signature_does_not_match()
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"], SIGV4_TIMESTAMP)
    if clock.now() > signed_at + datetime.timedelta(seconds=int(query["X-Amz-Expires"])):
        return _s3_error(403, "AccessDenied", "Request has expired")
    body = _body(request)
    digest = hashlib.md5(usedforsecurity=False)
    tracked = _Hashing(body, digest)
    if not store(match["account"], region, match["pool"], match["job"], tracked):
        return _s3_error(403, "AccessDenied", "Access Denied")
    return 200, {"ETag": f'"{digest.hexdigest()}"', SSE_HEADER: SSE_VALUE}, ""


class _Hashing:
    """A read-through stream that feeds what it reads into a digest (for S3's ETag)."""

    def __init__(self, stream: BinaryIO, digest: Any):
        self.stream = stream
        self.digest = digest

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        return chunk
