"""The pre-signed upload URL: SigV4 query signing, S3's checks and errors, and the stored file.

Real jobs get a URL into Cognito's own bucket (``aws-cognito-idp-user-import-<airport>``),
valid 15 minutes, whose signed headers include ``x-amz-server-side-encryption``. moto's S3
checks neither signatures nor expiry, so this module does, with botocore's own signer, and
keeps the file out of the user's S3 account: it lives with the job and goes when the job
ends or moto resets.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import io
import re
import tempfile
from collections.abc import Callable
from typing import Any, BinaryIO
from urllib.parse import parse_qsl, quote, urlsplit
from xml.sax.saxutils import escape

from botocore.auth import SIGV4_TIMESTAMP, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto.core.common_types import TYPE_RESPONSE
from moto.moto_api._internal import mock_random as random

from . import clock
from .settings import MAX_FILE_BYTES, UPLOAD_URL_EXPIRES_SECONDS
from .validation import JOB_ID_PATTERN, USER_POOL_ID_PATTERN

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
ALGORITHM = "AWS4-HMAC-SHA256"
# Cognito's own (fake) temporary credentials: real URLs are signed with an ASIA key and carry
# X-Amz-Security-Token. Never sent anywhere: only this process signs and verifies.
_CREDENTIALS = Credentials(
    "ASIACOGNITOIMPORTFAKE", "cognito-user-import-bucket-signing-key", "FwoGZXIvYXdzECognitoUserImportFakeToken"
)
_MAX_EXPIRES = 604800  # S3's limit for X-Amz-Expires: one week
_SPOOL_BYTES = 8 * 1024 * 1024
_COPY_CHUNK = 1024 * 1024
# What S3 answers on an object, except PATCH and the like (405 MethodNotAllowed).
_S3_METHODS = ("PUT", "GET", "HEAD", "POST", "DELETE")
_AUTH_PARAMETERS = (
    "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
    "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires",
)
_BUCKET = re.compile(re.escape(BUCKET_PREFIX) + r"[a-z0-9-]+")
_KEY = re.compile(rf"(?P<account>[0-9]+)/(?P<pool>{USER_POOL_ID_PATTERN})/(?P<job>{JOB_ID_PATTERN})")
# A bucket named in the host: ``<bucket>.s3.<region>.amazonaws.com`` (virtual-hosted style).
_VIRTUAL_HOST = re.compile(r"(?P<bucket>.+?)\.s3[.-](.+\.)?amazonaws\.com(\.cn)?")


@dataclasses.dataclass
class Received:
    """One complete PUT body: the file (None when over 100 MB), its size and its ETag.

    [OURS] The ETag is the body's MD5, as for plain S3 objects; S3 gives SSE-KMS objects an
    ETag that is not an MD5, but nothing documents what it is.
    """

    file: BinaryIO | None
    size: int
    etag: str

    @classmethod
    def read(cls, body: BinaryIO) -> Received:
        """Read ``body`` in 1 MB chunks: memory holds at most 8 MB (the rest spools to disk),
        and nothing of a file over 100 MB is kept. S3 accepts such a file, so this does too;
        the job then fails at Start ("larger than the maximum of 100 MB")."""
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
        digest = hashlib.md5(usedforsecurity=False)
        size = 0
        try:
            while chunk := body.read(_COPY_CHUNK):
                size += len(chunk)
                digest.update(chunk)
                if size <= MAX_FILE_BYTES:
                    spool.write(chunk)
                elif not spool.closed:
                    spool.close()
        except BaseException:
            spool.close()  # a broken upload stores nothing; the error goes on to the server
            raise
        return cls(None if spool.closed else spool, size, f'"{digest.hexdigest()}"')  # type: ignore[arg-type]

    def discard(self) -> None:
        """Close the file of a body that no job took."""
        if self.file is not None:
            self.file.close()
            self.file = None


class Upload:
    """The CSV a job's URL received: the latest complete PUT, as S3 keeps the latest object."""

    def __init__(self) -> None:
        self.received = False
        self.too_large = False
        self._file: BinaryIO | None = None

    @property
    def stored(self) -> bool:
        """True while a file is kept (it goes when the job ends, and with moto's reset)."""
        return self._file is not None

    def store(self, received: Received) -> None:
        """Replace the stored file with ``received``; one over 100 MB keeps nothing but the fact."""
        self.discard()
        self.received = True
        self.too_large = received.file is None
        self._file = received.file

    def open(self) -> BinaryIO:
        """The stored file, rewound."""
        if self._file is None:
            raise ValueError("no stored file")
        self._file.seek(0)
        return self._file

    def discard(self) -> None:
        """Delete the file, as AWS does once a job completes, fails, stops or expires."""
        if self._file is not None:
            self._file.close()
            self._file = None


def bucket_name(region: str) -> str:
    """Cognito's upload bucket in ``region``: ``aws-cognito-idp-user-import-<airport>``."""
    return BUCKET_PREFIX + AIRPORTS.get(region, region)


def _host(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.hostname or "") + (f":{parts.port}" if parts.port and parts.port != default else "")


def _encode(pairs: list[tuple[str, str]]) -> str:
    """A query string encoded the SigV4 way (RFC 3986: only ``A-Za-z0-9-_.~`` left bare)."""
    return "&".join(f"{quote(key, safe='-_.~')}={quote(value, safe='-_.~')}" for key, value in pairs)


@dataclasses.dataclass
class _Signing:
    canonical_request: str
    string_to_sign: str
    signature: str


def _sign(method: str, url: str, params: list[tuple[str, str]], headers: dict[str, str], region: str) -> _Signing:
    """Sign like S3 verifies a query-signed request: ``params`` are every query parameter
    but X-Amz-Signature, ``headers`` the signed headers (host included) as received."""
    request = AWSRequest(method=method, url=url, headers=headers, params=params)
    request.context["timestamp"] = dict(params)["X-Amz-Date"]
    signer = S3SigV4QueryAuth(_CREDENTIALS, "s3", region, expires=UPLOAD_URL_EXPIRES_SECONDS)
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    return _Signing(canonical, string_to_sign, signer.signature(string_to_sign, request))


def presign(
    account_id: str, region: str, pool_id: str, job_id: str, when: datetime.datetime, url_base: str | None
) -> str:
    """A pre-signed PUT URL for a job's CSV, valid for 899 seconds from ``when``.

    ``url_base`` None gives the real virtual-hosted S3 form (intercepted under ``mock_aws``);
    in server mode it is the server's own ``scheme://host:port``, path-style, so curl and any
    SDK can reach it. Parameters are in the order real URLs show them.
    """
    if url_base is None:
        url = f"https://{bucket_name(region)}.s3.{region}.amazonaws.com/{account_id}/{pool_id}/{job_id}"
    else:
        url = f"{url_base.rstrip('/')}/{bucket_name(region)}/{account_id}/{pool_id}/{job_id}"
    timestamp = when.strftime(SIGV4_TIMESTAMP)
    params = [
        ("X-Amz-Security-Token", _CREDENTIALS.token),
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Date", timestamp),
        ("X-Amz-SignedHeaders", f"host;{SSE_HEADER}"),
        ("X-Amz-Expires", str(UPLOAD_URL_EXPIRES_SECONDS)),
        ("X-Amz-Credential", f"{_CREDENTIALS.access_key}/{timestamp[:8]}/{region}/s3/aws4_request"),
    ]
    signature = _sign("PUT", url, params, {"host": _host(url), SSE_HEADER: SSE_VALUE}, region).signature
    return f"{url}?{_encode([*params, ('X-Amz-Signature', signature)])}"


class S3Error(Exception):
    """An S3 error answer: HTTP status, XML body with Code, Message and S3's extra elements."""

    def __init__(self, status: int, code: str, message: str, **details: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def response(self, method: str) -> TYPE_RESPONSE:
        request_id = random.get_random_hex(16).upper()
        host_id = random.get_random_hex(64)
        elements = {"Code": self.code, "Message": self.message, **self.details}
        elements.update(RequestId=request_id, HostId=host_id)
        body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' + "".join(
            f"<{name}>{escape(value)}</{name}>" for name, value in elements.items()
        ) + "</Error>"
        headers = {"Content-Type": "application/xml", "x-amz-request-id": request_id, "x-amz-id-2": host_id}
        return self.status, headers, "" if method == "HEAD" else body  # S3 sends no body to HEAD


def _query_error(message: str) -> S3Error:
    return S3Error(400, "AuthorizationQueryParametersError", message)


def _hex_bytes(text: str) -> str:
    return " ".join(f"{byte:02x}" for byte in text.encode())


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers).items():
        if key.lower() == name:
            return value.decode() if isinstance(value, bytes) else str(value)
    return None


def authorize(method: str, full_url: str, headers: Any) -> str:
    """Check a request to an upload URL as S3 checks a query-signed request; return the region
    of its X-Amz-Credential. Raises S3Error with S3's code and message otherwise."""
    if method not in _S3_METHODS:
        raise S3Error(
            405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
            Method=method, ResourceType="OBJECT",
        )
    parts = urlsplit(full_url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    query = dict(params)
    if not any(name in query for name in _AUTH_PARAMETERS):
        raise S3Error(403, "AccessDenied", "Access Denied")  # anonymous: Cognito's bucket is private
    if "X-Amz-Algorithm" in query and query["X-Amz-Algorithm"] != ALGORITHM:
        raise _query_error(f'X-Amz-Algorithm only supports "{ALGORITHM}"')
    if any(name not in query for name in _AUTH_PARAMETERS):
        raise _query_error(
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
            "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
        )
    credential = query["X-Amz-Credential"].split("/")
    if len(credential) != 5 or credential[4] != "aws4_request":
        raise _query_error(
            "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
            'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
        )
    try:
        signed_at = datetime.datetime.strptime(query["X-Amz-Date"], SIGV4_TIMESTAMP)
    except ValueError:
        raise _query_error("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"") from None
    if not re.fullmatch(r"-?[0-9]{1,12}", query["X-Amz-Expires"]):
        raise _query_error("X-Amz-Expires should be a number")
    expires = int(query["X-Amz-Expires"])
    if expires < 0:
        raise _query_error("X-Amz-Expires must be non-negative")
    if expires > _MAX_EXPIRES:
        raise _query_error(
            "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires "
            f"must be less than {_MAX_EXPIRES} seconds"
        )
    # Expiry comes before the signature, as on S3: a URL whose X-Amz-Date was moved back after
    # signing gets "Request has expired" there (versity/versitygw#2116 compares with S3).
    now = clock.now()
    # Compared as ``now - expires``: X-Amz-Date is not verified yet, and year 9999 plus the
    # expiry would overflow datetime (an HTTP 500).
    if now - datetime.timedelta(seconds=expires) > signed_at:
        raise S3Error(
            403, "AccessDenied", "Request has expired",
            **{"X-Amz-Expires": str(expires)},
            Expires=_iso(signed_at + datetime.timedelta(seconds=expires)),
            ServerTime=_iso(now),
        )
    region = credential[2]
    # The signed headers as received: a missing one (say, no SSE header) signs as empty.
    signed = {"host": _host(full_url)}
    for name in query["X-Amz-SignedHeaders"].lower().split(";"):
        signed.setdefault(name, _header(headers, name) or "")
    url = f"{parts.scheme}://{parts.netloc}{parts.path}"
    expected = _sign(method, url, [(k, v) for k, v in params if k != "X-Amz-Signature"], signed, region)
    # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, an HTTP 500).
    if not hmac.compare_digest(expected.signature.encode(), query["X-Amz-Signature"].encode()):
        raise S3Error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
            AWSAccessKeyId=credential[0],
            StringToSign=expected.string_to_sign,
            SignatureProvided=query["X-Amz-Signature"],
            StringToSignBytes=_hex_bytes(expected.string_to_sign),
            CanonicalRequest=expected.canonical_request,
            CanonicalRequestBytes=_hex_bytes(expected.canonical_request),
        )
    return region


@dataclasses.dataclass
class Target:
    """The job an upload URL names: ``/<account>/<UserPoolId>/<JobId>`` in Cognito's bucket."""

    account: str
    pool_id: str
    job_id: str


def locate(full_url: str) -> Target | None:
    """The job a URL uploads to, or None for any other bucket (a user's own, even with keys
    shaped like ours): virtual-hosted ``<bucket>.s3.<region>.amazonaws.com/<key>`` or
    path-style ``<any host>/<bucket>/<key>`` (server mode, ``s3.amazonaws.com``)."""
    parts = urlsplit(full_url)
    virtual = _VIRTUAL_HOST.fullmatch(parts.hostname or "")
    if virtual:
        bucket, key = virtual["bucket"], parts.path[1:]
    else:
        bucket, _, key = parts.path[1:].partition("/")
    match = _KEY.fullmatch(key)
    if not _BUCKET.fullmatch(bucket) or match is None:
        return None
    return Target(match["account"], match["pool"], match["job"])


def _body(request: Any) -> BinaryIO:
    """The request body as a stream: werkzeug's (server mode, requests under mock_aws) or,
    for botocore's prepared requests, their bytes."""
    stream = getattr(request, "stream", None)
    if stream is not None:
        if request.content_length is None and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
            # Chunked, no Content-Length: werkzeug's ``stream`` reads as empty unless the server
            # marked the input terminated, which moto's in-process mock does not.
            return request.input_stream  # type: ignore[no-any-return]
        return stream  # type: ignore[no-any-return]
    body = getattr(request, "body", None) or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return io.BytesIO(body) if isinstance(body, (bytes, bytearray)) else body  # type: ignore[no-any-return]


#: ``store(account, region, pool_id, job_id, received)`` -> False when the job takes no file.
Store = Callable[[str, str, str, str, Received], bool]


def handle_upload_request(request: Any, full_url: str, headers: Any, store: Store) -> TYPE_RESPONSE | None:
    """Answer any request to an upload URL as S3 would; None when the URL isn't Cognito's.

    The body is read (bounded memory) before ``store`` is called, so a slow upload holds no
    lock; ``store`` returns False when the job no longer takes files (started, stopped,
    expired, gone) -> 403 AccessDenied, and the previous file stays as it was.
    """
    target = locate(full_url)
    if target is None:
        return None
    method = request.method.upper()
    try:
        region = authorize(method, full_url, headers)
        received = Received.read(_body(request))
        if not store(target.account, region, target.pool_id, target.job_id, received):
            received.discard()
            raise S3Error(403, "AccessDenied", "Access Denied")
    except S3Error as error:
        return error.response(method)
    request_id = random.get_random_hex(16).upper()
    return 200, {
        "ETag": received.etag,
        SSE_HEADER: SSE_VALUE,
        "x-amz-request-id": request_id,
        "x-amz-id-2": random.get_random_hex(64),
    }, ""
