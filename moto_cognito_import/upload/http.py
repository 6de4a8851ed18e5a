"""Requests to an upload URL, answered as S3 answers them, in both of moto's modes.

Uploads never go through moto's S3 or its request dispatch (``moto_glue.routes`` hands them
here first): the body is streamed into ``storage.Received`` (at most 8 MB in memory) whatever
its Content-Type, byte for byte, and no lock is held while it arrives; only the hand-over to
the job (``store``) takes the plugin's lock. Under ``mock_aws`` the ``responses`` library
that moto relies on has already read a file-object body into memory; that one copy is all
that is held (README, "Uploading the CSV").
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import inspect
import io
import re
import selectors
import socket
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import botocore.session
from moto.core.common_types import TYPE_RESPONSE
from werkzeug.serving import DechunkedInput

from .. import settings
from ..identifiers import JOB_ID_PATTERN, USER_POOL_ID_PATTERN
from ..lock import computed_once
from . import aws_chunked, integrity
from .chunked import Chunks
from .conditions import Conditions
from .s3_errors import S3Error, request_ids
from .signing import (
    AIRPORTS,
    BUCKET_PREFIX,
    SIGNED_BUCKETS,
    SIGNED_HOSTS,
    SIGNED_KEYS,
    SSE_HEADER,
    SSE_VALUE,
    authorization,
    authorize,
    bucket_name,
    byte_count,
    header,
    parses,
    signed_host,
    tokens,
)
from .storage import BodyError, BodyTimeout, Readable, Received, StorageError

_KEY = re.compile(rf"(?P<account>[0-9]+)/(?P<pool>{USER_POOL_ID_PATTERN})/(?P<job>{JOB_ID_PATTERN})")


@computed_once
def cognito_buckets() -> frozenset[str]:
    """Cognito's upload bucket of every region botocore knows for cognito-idp, in every
    partition: only these are Cognito's (a user's own bucket may share the prefix)."""
    session = botocore.session.get_session()
    regions = set(AIRPORTS)
    for partition in session.get_available_partitions():
        regions.update(session.get_available_regions("cognito-idp", partition_name=partition))
    return frozenset(bucket_name(region) for region in regions)


def _cognito_s(bucket: str) -> bool:
    """Whether ``bucket`` (lower case) is Cognito's: botocore's regions' or one signed for."""
    return bucket in cognito_buckets() or bucket in SIGNED_BUCKETS


@dataclasses.dataclass(frozen=True)
class Target:
    """The job an upload URL names: ``/<account>/<UserPoolId>/<JobId>`` in Cognito's bucket;
    all empty for a key there that names no job (an edited URL). ``bucket`` is the bucket's
    name when the request names the bucket alone (no key)."""

    account: str
    pool_id: str
    job_id: str
    bucket: str = ""

    @property
    def names_a_job(self) -> bool:
        return bool(self.job_id)

    @property
    def key(self) -> str:
        """The object's key in Cognito's bucket."""
        return f"{self.account}/{self.pool_id}/{self.job_id}"


#: A percent-encoded unreserved character, which is the same URI as the character itself
#: (RFC 3986 6.2.2.2): left encoded, a bucket name spelt so went on to moto's S3, which made a
#: bucket of that name in the user's S3.
_UNRESERVED_ESCAPE = re.compile(r"%(4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa]|3[0-9]|2[Dd]|2[Ee]|5[Ff]|7[Ee])")


def locate(full_url: str) -> Target | None:
    """What a URL in Cognito's upload bucket names, or None for any other bucket (a user's
    own, even with keys shaped like ours). Every key in Cognito's bucket is answered here, as
    Cognito's S3 would answer it: an edited path went to moto's S3, which read a slow body
    under its lock and stored the object in the user's own S3.

    A host whose first label is Cognito's bucket names it (``<bucket>.s3.<region>.amazonaws.com``,
    moto's ``<bucket>.localhost``, any case, a trailing dot), and so does a path whose first
    segment is, followed by a job's key, on a host a server-mode URL was signed for (the
    server's URL, path-style on whatever host name the client used) or a signed job's key.
    Otherwise the bucket is where moto's S3 reads it, by moto's own rules: the host of a
    virtual-hosted request, or the path's first segment; so a request left to moto never names
    Cognito's bucket there.
    """
    if "%" in full_url:  # "/aws-cognito-idp-user-%69mport-iad" names the bucket too
        full_url = _UNRESERVED_ESCAPE.sub(lambda escape: chr(int(escape[1], 16)), full_url)
    if BUCKET_PREFIX not in full_url.lower():  # almost every request under mock_aws
        return None
    if not parses(full_url):  # answered, with S3's InvalidURI, by answer()
        return Target("", "", "")
    parts = urlsplit(full_url)
    label = (parts.hostname or "").rstrip(".").partition(".")[0]  # urlsplit lowers its case
    path = unquote(parts.path)  # S3's key is the path decoded: ``%2F`` is ``/`` (signing.authorize)
    first, _, rest = path[1:].partition("/")
    if _cognito_s(label):
        bucket, key = label, path[1:]
    elif _cognito_s(first.lower()) and _KEY.fullmatch(rest) and _signed(full_url, rest):
        # A PreSignedUrl this server issued, path-style on the host the client named, which
        # moto's S3 would read as virtual-hosted when it has a dot (``moto.example.com``:
        # bucket "moto"): a job's key on a host a URL was signed for, or a signed job's key
        # on another (S3's 403 SignatureDoesNotMatch, not a 200 into the user's bucket). Any
        # other key there is a key of the user's own bucket, moto's.
        bucket, key = first, rest
    elif (virtual := _moto_s_virtual_bucket(full_url, parts.netloc)) is not None:
        bucket, key = virtual, path[1:]
    else:
        bucket, key = first, rest
    if not _cognito_s(bucket.lower()):
        return None
    match = _KEY.fullmatch(key)
    if match is None:
        return Target("", "", "", bucket="" if key else bucket.lower())
    return Target(match["account"], match["pool"], match["job"])


def _signed(url: str, key: str) -> bool:
    return key in SIGNED_KEYS or signed_host(url) in SIGNED_HOSTS


def _moto_s_virtual_bucket(url: str, netloc: str) -> str | None:
    """The bucket moto's S3 reads from the host of ``url``, or None when it reads the path
    (``S3Response.subdomain_based_buckets``: a static method in moto 5.2.5, an instance
    method that uses no instance in 5.2.1; ``s3.utils.bucket_name_from_url``)."""
    from moto.s3.responses import S3Response
    from moto.s3.utils import bucket_name_from_url

    request = SimpleNamespace(headers={"host": netloc}, url=url)
    check = inspect.getattr_static(S3Response, "subdomain_based_buckets")
    virtual = check.__func__(request) if isinstance(check, staticmethod) else check(None, request)
    return bucket_name_from_url(url) if virtual else None


#: S3's limit on a request's header lines, each ``name: value\r\n`` (its answer past it is
#: quoted in versity/versitygw#2180 and department-of-veterans-affairs/va.gov-team#89412).
_MAX_HEADERS = 8192

#: ``store(target, region, received, check)`` hands a complete body to its job once
#: ``check(etag)`` of the file there (None: none yet) has not raised; False when the job takes
#: no file (started, ended, gone). ``received`` None only checks.
Store = Callable[[Target, str, Received | None, Callable[[str | None], None]], bool]


@dataclasses.dataclass
class UploadRequest:
    """One request to an upload URL, whichever mode it came through."""

    method: str
    url: str
    headers: Any
    body: Readable
    content_length: int | None
    chunked: bool
    #: An HTTP/1.1 request without a Host header (RFC 9112 3.2: a server MUST answer 400).
    no_host: bool = False


def answer(request: UploadRequest, target: Target, store: Store) -> TYPE_RESPONSE:
    """Answer a request to an upload URL as S3 would; a refused request stores nothing and
    leaves an earlier file as it was."""
    method = request.method  # case-sensitive (RFC 9110, section 9.1): "put" is no PUT
    try:
        if request.no_host or not parses(request.url):
            # S3's error for a request it cannot parse ("Error responses", S3 API reference).
            raise S3Error(400, "InvalidURI", "Couldn't parse the specified URI.")
        if sum(len(str(name)) + len(str(value)) + 4 for name, value in dict(request.headers).items()) > _MAX_HEADERS:
            raise S3Error(
                400, "RequestHeaderSectionTooLarge", "Your request header section exceeds the maximum allowed size.",
                MaxSizeAllowed=str(_MAX_HEADERS),
            )
        if method == "OPTIONS":
            raise _preflight_error(request.headers)
        if (coding := header(request.headers, "transfer-encoding")) is not None and tokens(coding) != ["chunked"]:
            # S3 implements no transfer coding (knox#43, aws-sdk-js-v3#3400: 501 even for
            # chunked, which the fake accepts; README): gzip's bytes were stored as the file.
            raise S3Error(
                501, "NotImplemented", "A header you provided implies functionality that is not implemented",
                Header="Transfer-Encoding",
            )
        if method == "PUT" and (
            (request.content_length is None and not request.chunked)
            or (aws_chunked.encoded(request.headers) and aws_chunked.decoded_length(request.headers) is None)
        ):
            raise S3Error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")
        if method == "PUT" and target.bucket and not urlsplit(request.url).query and authorization(request.headers):
            # CreateBucket (a PUT of the bucket without a subresource such as ?policy), signed
            # with the caller's own credentials, of a name another account (Cognito) owns: S3's
            # 409 in every region (S3 API reference, "Error responses").
            raise S3Error(
                409, "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of the "
                "system. Please select a different name and try again.",
                BucketName=target.bucket,
            )
        region = authorize(method, request.url, request.headers)
        if (request.content_length or 0) > settings.MAX_PUT_BYTES:  # refused before a byte is read
            raise S3Error(
                400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
                ProposedSize=str(request.content_length), MaxSizeAllowed=str(settings.MAX_PUT_BYTES),
            )
        declared = _declared_sha256(request.headers)
        md5 = integrity.declared_md5(request.headers)
        conditions = Conditions.of(request.headers, target.key)
        if conditions.any and not store(target, region, None, conditions.check):  # before the body
            raise S3Error(403, "AccessDenied", "Access Denied")
        try:
            received = _receive(request, declared, md5)
        except BodyTimeout:
            raise S3Error(
                400, "RequestTimeout",
                "Your socket connection to the server was not read from or written to within the timeout period."
                " Idle connections will be closed.",
            ) from None
        except BodyError:
            # S3's words for a body that ends early (aws-sdk-java-v2#2908, AFNetworking#3622).
            raise S3Error(400, "IncompleteBody", "The request body terminated unexpectedly") from None
        except StorageError:
            # S3's own failure ("Error responses", S3 API reference), which SDKs retry.
            raise S3Error(500, "InternalError", "We encountered an internal error. Please try again.") from None
        try:  # refused (the job takes no file; another PUT finished first): nothing is kept
            if not store(target, region, received, conditions.recheck):
                raise S3Error(403, "AccessDenied", "Access Denied")
        except S3Error:
            received.discard()
            raise
    except S3Error as error:
        return error.response()
    # S3's headers on a PutObject (a real SSE-KMS capture; the API reference's sample), and no
    # Content-Type. (The HTTP server adds Date and Server.)
    request_id, host_id = request_ids()
    return 200, {
        "x-amz-id-2": host_id,
        "x-amz-request-id": request_id,
        SSE_HEADER: SSE_VALUE,
        "ETag": received.etag,
        "Content-Length": "0",
    }, ""


def _preflight_error(headers: Any) -> S3Error:
    """S3's answer to a CORS preflight on a bucket without a CORS configuration, which
    Cognito's upload bucket shows (versitygw's and Eucalyptus's AWS-matching errors; a curl
    capture against real S3: "CORS is not enabled for this bucket.")."""
    if not header(headers, "origin"):
        return S3Error(400, "BadRequest", "Insufficient information. Origin request header needed.")
    return S3Error(
        403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.",
        Method="OPTIONS", ResourceType="OBJECT",
    )


# S3's words (versity/versitygw#1352 quotes them) for any other value.
_SHA256_VALUES = (
    f"x-amz-content-sha256 must be {', '.join(('UNSIGNED-PAYLOAD', *aws_chunked.STREAMING))} or a valid sha256 value."
)


def _declared_sha256(headers: Any) -> str | None:
    """The body's SHA-256 that ``x-amz-content-sha256`` declares (lower case), which S3 checks
    against the body it receives; None when the header is absent, UNSIGNED-PAYLOAD or a
    streaming payload. Any other value is S3's 400 InvalidArgument."""
    value = header(headers, "x-amz-content-sha256")
    if value is None or value == "UNSIGNED-PAYLOAD" or value in aws_chunked.STREAMING:
        return None
    if not re.fullmatch(r"[0-9a-fA-F]{64}", value):
        raise S3Error(400, "InvalidArgument", _SHA256_VALUES, ArgumentName="x-amz-content-sha256", ArgumentValue=value)
    return value.lower()


def _check_sha256(declared: str, computed: str) -> None:
    """S3's 400 XAmzContentSHA256Mismatch (lua-resty-aws#2, postman-app-support#3680 quote it)
    when the body read is not the one ``x-amz-content-sha256`` declared."""
    if computed != declared:
        raise S3Error(
            400, "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            ClientComputedContentSHA256=declared, S3ComputedContentSHA256=computed,
        )


def _receive(request: UploadRequest, declared: str | None, md5: bytes | None) -> Received:
    """The file a PUT carries; nothing is kept when the body is not the one ``declared`` (its
    SHA-256, or None) or ``md5`` (Content-MD5's, or None) declares."""
    sha256 = hashlib.sha256()
    body: Readable = request.body if declared is None else integrity.Digesting(request.body, sha256)
    received = Received.read(body, request.content_length)
    try:
        if declared is not None:
            _check_sha256(declared, sha256.hexdigest())
        if md5 is not None:
            integrity.check_md5(md5, received.etag)
    except BaseException:
        received.discard()
        raise
    return received


def _content_length(value: str | None, chunked: bool) -> int | None:
    """The body's length from a Content-Length header (``byte_count``; Python's HTTP server
    keeps the white space after it): None for a chunked body (chunks win over a
    Content-Length, RFC 9112 6.3) and for a value that is no length."""
    return None if chunked else byte_count(value)


# --- server mode: a WSGI request -------------------------------------------------------------


def from_wsgi(environ: dict[str, Any]) -> UploadRequest:
    """The request as werkzeug's server hands it over, the body unread (it is streamed from
    ``wsgi.input``; werkzeug decodes chunked bodies and marks them ``wsgi.input_terminated``)."""
    raw_path = environ.get("REQUEST_URI") or environ.get("RAW_URI") or ""
    target = urlsplit(raw_path)
    if target.scheme and target.netloc:
        # The absolute form a client sends to a proxy (RFC 9112 3.2.2: a server MUST accept
        # it); its host is the request's host, which werkzeug has put in HTTP_HOST as well.
        raw_path = raw_path[len(f"{target.scheme}://{target.netloc}"):] or "/"
    if not raw_path:
        query = environ.get("QUERY_STRING", "")
        raw_path = quote(environ.get("PATH_INFO", "")) + (f"?{query}" if query else "")
    # The Host header as sent, even empty (then it matches no signed host, as at S3); a
    # request without one falls back to the address it reached, which only HTTP/1.0 may send.
    host = environ.get("HTTP_HOST", f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}")
    # A character no host name has stays in the host, escaped: ``Host: a/b`` (or ``?``, ``#``,
    # ``x@``) would end the URL's host, its path taken for another bucket's (moto's S3 answered
    # 404 NoSuchBucket) or its signed host matched; ``parses`` refuses it (S3's InvalidURI).
    host = quote(host, safe=":[]")
    # WSGI keeps Content-Type and Content-Length apart from the other headers (PEP 3333); they
    # are headers as the client sent them (and count towards S3's 8 KB of them).
    headers = {
        key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if key in environ:
            headers[key.replace("_", "-").lower()] = environ[key]
    chunked = "chunked" in headers.get("transfer-encoding", "").lower() and bool(environ.get("wsgi.input_terminated"))
    content_length = _content_length(environ.get("CONTENT_LENGTH"), chunked)
    return UploadRequest(
        method=environ.get("REQUEST_METHOD", "GET"),
        url=f"{environ.get('wsgi.url_scheme', 'http')}://{host}{raw_path}",
        headers=headers,
        # Neither a length nor chunks: HTTP/1.1 says no body (RFC 9112, 6.3), and reading the
        # socket would wait for bytes no client sends.
        body=(
            Chunks(environ["wsgi.input"]) if isinstance(environ["wsgi.input"], DechunkedInput)
            else environ["wsgi.input"] if content_length is not None or chunked
            else io.BytesIO(b"")
        ),
        content_length=content_length,
        chunked=chunked,
        no_host="HTTP_HOST" not in environ and environ.get("SERVER_PROTOCOL") != "HTTP/1.0",
    )


@contextlib.contextmanager
def idle_limit(environ: dict[str, Any]) -> Iterator[None]:
    """Reads of the request give up after ``settings.IDLE_CONNECTION_SECONDS`` without a byte,
    as S3's do: werkzeug's server would otherwise wait for ever for a body shorter than its
    Content-Length, holding a thread.

    The limit stays for the rest of the connection, which werkzeug closes after its answer:
    after an answer that left the body unread (a refused signature), werkzeug itself reads the
    rest, and a client that stalls there held the thread just the same (werkzeug counts a
    timeout there as a dropped connection).
    """
    connection = environ.get("werkzeug.socket")
    if connection is None:  # another WSGI server: its own limits apply
        yield
        return
    connection.settimeout(settings.IDLE_CONNECTION_SECONDS)
    try:
        yield
    finally:
        _forgive_timeout(environ["wsgi.input"])


_DRAIN_PIECE = 1024 * 1024
_DRAIN_PIECES = 10_240  # reads (each at most 1 MB); werkzeug's own drain takes over after them


def drained(body: Iterable[bytes], environ: dict[str, Any]) -> Iterator[bytes]:
    """The answer's body, then the rest of a request body it left unread (a refused upload),
    read and dropped in 1 MB pieces while it keeps arriving, as werkzeug's server then does
    itself, but 10 MB at a time, outside the uploads' memory budget: a refused 30 MB upload
    took twice the memory of an accepted one, six at once 110 MB. The client reads the
    answer first, as from werkzeug (rather than a connection reset)."""
    yield from body
    connection = environ.get("werkzeug.socket")
    stream = environ.get("wsgi.input")
    if connection is None or stream is None:
        return
    read = getattr(stream, "read1", stream.read)  # werkzeug's chunked input has no read1
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(connection, selectors.EVENT_READ)
            for _ in range(_DRAIN_PIECES):
                if not selector.select(timeout=0.01) or not read(_DRAIN_PIECE):
                    return
    except (OSError, ValueError):  # the client went or stalled, or the stream was closed
        return
    finally:
        _forgive_timeout(stream)  # werkzeug's own drain reads after this one


def _forgive_timeout(stream: Any) -> None:
    """Let werkzeug read the rest of a body after one of our reads timed out: Python's socket
    file refuses every read after a timeout ("cannot read from timed out object", a traceback
    in the server's log), a state it keeps in a private flag. Our reads have ended; werkzeug's
    are bounded by the same limit, and the data it reads is discarded."""
    socket_file = getattr(stream, "_rfile", stream)  # werkzeug's DechunkedInput wraps the file
    raw = getattr(socket_file, "raw", None)
    if isinstance(raw, socket.SocketIO):
        raw._timeout_occurred = False  # type: ignore[attr-defined]


def small_body(request: UploadRequest, limit: int) -> bytes | None:
    """Up to ``limit`` bytes of a bounded request body (a control request's JSON, an import
    operation's, at most 16 MiB), whatever its framing, never past its Content-Length; None
    when it cannot be read (a malformed chunk, a dropped client) or ends short of its
    Content-Length (a control request cut short changed the clock)."""
    if request.content_length is None:
        return _read_up_to(request.body, limit)
    size = min(limit, request.content_length)
    body = _read_up_to(request.body, size)
    return None if body is None or len(body) < size else body


def _read_up_to(body: Readable, size: int) -> bytes | None:
    """Up to ``size`` bytes of ``body``, in reads of at most 1 MiB (a stream of chunks may
    answer a read with one chunk); None when it cannot be read."""
    data = bytearray()
    try:
        while len(data) < size and (part := body.read(min(1024 * 1024, size - len(data)))):
            data += part
    except (OSError, ValueError):  # werkzeug's errors for a bad chunk header or a disconnect
        return None
    return bytes(data)


def wsgi_response(response: TYPE_RESPONSE, start_response: Callable[..., Any], method: str) -> list[bytes]:
    """Send ``(status, headers, body)`` through WSGI, with no header moto's Flask app would add.

    The answer to a HEAD is GET's without its body (RFC 9110, 9.3.2), its Content-Length that of
    GET's body (8.6): werkzeug's server would send whatever body it is given.
    """
    status, headers, body = response
    data = body.encode() if isinstance(body, str) else bytes(body)
    if "Content-Length" not in headers:
        headers = {**headers, "Content-Length": str(len(data))}
    start_response(f"{status} {HTTPStatus(status).phrase}", [(k, str(v)) for k, v in headers.items()])
    return [b"" if method == "HEAD" else data]


def prepared_response(response: TYPE_RESPONSE, method: str) -> TYPE_RESPONSE:
    """``(status, headers, body)`` for moto's in-process mock: to a HEAD, GET's headers without
    the body (RFC 9110, 9.3.2) and without a Content-Length (8.6 allows none), since moto's
    mock gives urllib3 no request method and a length would be read as a body still owed."""
    if method != "HEAD":
        return response
    status, headers, _ = response
    return status, {name: value for name, value in headers.items() if name.lower() != "content-length"}, ""


# --- decorator mode: the request the ``responses`` library or botocore prepared -----------------


class _Chunks(io.RawIOBase):
    """A readable over an iterable of byte strings (a generator body)."""

    def __init__(self, chunks: Iterable[bytes | str]):
        self._chunks: Iterator[bytes | str] = iter(chunks)
        self._rest = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        while not self._rest:
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            # memoryview refuses what urllib3 cannot send (an int), where bytes(3) is b"\0\0\0".
            self._rest = chunk.encode() if isinstance(chunk, str) else bytes(memoryview(chunk))
        data, self._rest = (self._rest, b"") if size < 0 else (self._rest[:size], self._rest[size:])
        return data


def _prepared_url(request: Any) -> str:
    """The URL of a request moto's in-process mock intercepted, on the host its Host header
    names when it has one: the host the signature covers, as a server-mode request's URL is
    made of it (``from_wsgi``). (Which bucket the request is for is read from the URL it was
    sent to: under ``mock_aws`` the bucket is in the URL's host, and another Host header's
    request went to moto's S3.)"""
    host = header(request.headers, "host")
    if host is None:
        return str(request.url)
    return urlunsplit(urlsplit(str(request.url))._replace(netloc=host))


def from_prepared(request: Any) -> UploadRequest:
    """The request moto's in-process mock hands over: a botocore ``AWSPreparedRequest``, whose
    body is bytes (a file object read by ``responses``), a file object or an iterable; or, on
    moto 5.2.1, a werkzeug ``Request`` built from the same bytes. ``io.BytesIO`` shares the
    bytes rather than copying them."""
    chunked = "chunked" in (header(request.headers, "transfer-encoding") or "").lower()
    if not hasattr(request, "body"):  # werkzeug: without a length, its ``stream`` reads nothing
        stream: Readable = request.input_stream if chunked and request.content_length is None else request.stream
    elif request.body is None or isinstance(request.body, (bytes, bytearray, memoryview)):
        stream = io.BytesIO(request.body or b"")
    elif isinstance(request.body, str):
        stream = io.BytesIO(request.body.encode("utf-8"))
    elif hasattr(request.body, "read"):
        stream = request.body
    else:
        stream = _Chunks(request.body)
    return UploadRequest(
        method=request.method,
        url=_prepared_url(request),
        headers=request.headers,
        body=stream,
        content_length=_content_length(header(request.headers, "content-length"), chunked),
        chunked=chunked,
    )
