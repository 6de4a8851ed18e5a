"""The pre-signed upload URL: SigV4 query signing, and S3's checks and errors for it.

Real jobs get a URL into Cognito's own bucket (``aws-cognito-idp-user-import-<airport>``),
valid 15 minutes, whose signed headers include ``x-amz-server-side-encryption``. moto's S3
checks neither signatures nor expiry, so this module does, with botocore's own signer.
"""

from __future__ import annotations

import dataclasses
import datetime
import hmac
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_to_bytes, urlsplit

import botocore.loaders
from botocore.auth import SIGV4_TIMESTAMP, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .. import clock
from ..lock import computed_once
from ..settings import UPLOAD_URL_EXPIRES_SECONDS
from .s3_errors import S3Error

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
_CLOCK_SKEW = datetime.timedelta(minutes=15)  # how far ahead of S3 a request may be dated
# What S3 answers on an object, except PATCH and the like (405 MethodNotAllowed).
_S3_METHODS = ("PUT", "GET", "HEAD", "POST", "DELETE")
_AUTH_PARAMETERS = (
    "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
    "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires",
)

def bucket_name(region: str) -> str:
    """Cognito's upload bucket in ``region``: ``aws-cognito-idp-user-import-<airport>``."""
    return BUCKET_PREFIX + AIRPORTS.get(region, region)


#: Cognito's bucket of every region a URL was signed for, botocore's or not (a region moto
#: takes under MOTO_ALLOW_NONEXISTENT_REGION has a bucket too): kept for the process.
SIGNED_BUCKETS: set[str] = set()

#: The ``host[:port]`` (lower case) server-mode URLs were signed for, and the key
#: (``<account>/<pool>/<job>``) of every server-mode URL signed, since moto last reset: a
#: path-style request on such a host, or for such a key on any host, is an upload, even where
#: moto's S3 would read the host as a bucket. (``mock_aws``'s URLs are virtual-hosted: their
#: path names no bucket, so a user's own key shaped like one stays the user's.) A key goes
#: with its pool; a host stays after its jobs (a deleted job's URL still gets S3's 403 there),
#: but only the ``SIGNED_HOSTS_KEPT`` most recently signed for: a server whose clients each
#: sent another ``Host`` header kept one entry per job it ever made.
SIGNED_HOSTS: OrderedDict[str, None] = OrderedDict()
SIGNED_HOSTS_KEPT = 1024
SIGNED_KEYS: set[str] = set()
#: Held while either changes: a moto reset clears them outside the plugin's lock (which another
#: thread may hold), and a clear between two steps of ``_signed_for`` raised KeyError (an HTTP
#: 500 for CreateUserImportJob). Routing reads them without it: one lookup is atomic.
_signed_lock = threading.Lock()


#: How many of moto's recorder replays run now (``replaying``), and the lock that counts them.
_replays = 0
_replays_lock = threading.Lock()


@contextmanager
def replaying() -> Iterator[None]:
    """While moto's recorder replays a recording (``moto_glue.patches``): a recorded upload is
    sent again with the X-Amz-Date it was signed with, often much later (another test session),
    so no upload URL's time is checked then, as moto's own S3 never checks a pre-signed URL's
    time; a replayed StartUserImportJob found no file once the URL had expired. The signature
    is still checked. For the whole process, whoever sends the upload: in server mode the
    replayed requests arrive on other threads. Counted: a server may run two replays at once."""
    global _replays
    with _replays_lock:
        _replays += 1
    try:
        yield
    finally:
        with _replays_lock:
            _replays -= 1


def forget_signed() -> None:
    """moto reset: no URL signed before names a job any more."""
    with _signed_lock:
        SIGNED_HOSTS.clear()
        SIGNED_KEYS.clear()


def forget_signed_keys(account_id: str, pool_id: str, job_ids: Iterable[str]) -> None:
    """A pool was deleted: its jobs' keys go (a server that outlives many pools kept one per
    job ever made). Their URLs still get S3's 403 on a host a URL was signed for."""
    keys = [f"{account_id}/{pool_id}/{job_id}" for job_id in job_ids]
    with _signed_lock:
        SIGNED_KEYS.difference_update(keys)


def _signed_for(host: str, key: str) -> None:
    """Note a server-mode URL: its host, as the most recently signed for, and its key."""
    with _signed_lock:
        SIGNED_HOSTS.pop(host, None)
        SIGNED_HOSTS[host] = None
        while len(SIGNED_HOSTS) > SIGNED_HOSTS_KEPT:
            SIGNED_HOSTS.popitem(last=False)
        SIGNED_KEYS.add(key)


def parses(url: str) -> bool:
    """Whether Python can read the host and port of ``url``. A Host header of ``[``, ``a:b:c``
    or ``127.0.0.1:99999`` reaches a server as it was sent; urllib then raises ValueError. A
    percent escape is in no host name (``upload.http.from_wsgi`` escapes what no host has)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it is the check
    except ValueError:
        return False
    return "%" not in parts.netloc


def signed_host(url: str) -> str:
    """The host of ``url`` as a signature covers it: lower case, the port unless the default."""
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


@computed_once
def _partitions() -> list[dict[str, Any]]:
    return botocore.loaders.create_loader().load_data("endpoints")["partitions"]  # type: ignore[no-any-return]


@computed_once
def _aws_domains() -> frozenset[str]:
    """Every partition's domains by botocore's data: its endpoints' (``amazonaws.com``) and its
    dual-stack endpoints' (``api.aws``, what ``AWS_USE_DUALSTACK_ENDPOINT`` makes SDKs use)."""
    partitions = botocore.loaders.create_loader().load_data("partitions")["partitions"]
    outputs = [partition["outputs"] for partition in partitions]
    return frozenset(
        str(domain)
        for domain in (
            *(partition["dnsSuffix"] for partition in _partitions()),
            *(output.get(name) for output in outputs for name in ("dnsSuffix", "dualStackDnsSuffix")),
        )
        if domain
    )


def aws_host(host: str) -> bool:
    """Whether ``host`` is in one of AWS's partitions' domains (``s3.amazonaws.com``,
    ``sts.us-east-1.api.aws``, not ``evilamazonaws.com``; any case, a trailing dot)."""
    host = host.lower().rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in _aws_domains())


def dns_suffix(region: str) -> str:
    """How S3's hosts end in ``region``'s partition, by botocore's endpoint data
    (``amazonaws.com.cn`` in China, ``amazonaws.eu`` in the European Sovereign Cloud);
    ``amazonaws.com`` for a region botocore does not know. moto's mock answers them all."""
    partitions = _partitions()
    for partition in partitions:
        if region in partition["regions"]:
            return str(partition["dnsSuffix"])
    for partition in partitions:
        if re.fullmatch(partition["regionRegex"], region):
            return str(partition["dnsSuffix"])
    return "amazonaws.com"


def presign(
    account_id: str, region: str, pool_id: str, job_id: str, when: datetime.datetime, url_base: str | None
) -> str:
    """A pre-signed PUT URL for a job's CSV, valid for 899 seconds from ``when``.

    ``url_base`` None gives the real virtual-hosted S3 form (intercepted under ``mock_aws``);
    in server mode it is the server's own ``scheme://host:port``, path-style, so curl and any
    SDK can reach it. Parameters are in the order real URLs show them.
    """
    SIGNED_BUCKETS.add(bucket_name(region).lower())
    if url_base is None:
        url = f"https://{bucket_name(region)}.s3.{region}.{dns_suffix(region)}/{account_id}/{pool_id}/{job_id}"
    else:
        url = f"{url_base.rstrip('/')}/{bucket_name(region)}/{account_id}/{pool_id}/{job_id}"
        _signed_for(signed_host(url), f"{account_id}/{pool_id}/{job_id}")
    timestamp = _four_digit_year(when, SIGV4_TIMESTAMP)
    params = [
        ("X-Amz-Security-Token", _CREDENTIALS.token),
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Date", timestamp),
        ("X-Amz-SignedHeaders", f"host;{SSE_HEADER}"),
        ("X-Amz-Expires", str(UPLOAD_URL_EXPIRES_SECONDS)),
        ("X-Amz-Credential", f"{_CREDENTIALS.access_key}/{timestamp[:8]}/{region}/s3/aws4_request"),
    ]
    signature = _sign("PUT", url, params, {"host": signed_host(url), SSE_HEADER: SSE_VALUE}, region).signature
    return f"{url}?{_encode([*params, ('X-Amz-Signature', signature)])}"


def _query_error(message: str) -> S3Error:
    return S3Error(400, "AuthorizationQueryParametersError", message)


def _hex_bytes(text: str) -> str:
    return " ".join(f"{byte:02x}" for byte in text.encode())


def _iso(moment: datetime.datetime) -> str:
    return _four_digit_year(moment, "%Y-%m-%dT%H:%M:%SZ")


def _four_digit_year(moment: datetime.datetime, form: str) -> str:
    """``moment.strftime(form)`` with the year in four digits, as SigV4 and ISO 8601 write it:
    glibc writes year 1 as ``1``, and the URL made under such a clock was refused by its own
    check ("X-Amz-Date must be in the ISO8601 Long Format")."""
    return moment.strftime(form.replace("%Y", f"{moment.year:04d}"))


def header(headers: Any, name: str) -> str | None:
    """A request header's value by lower-case name, from any mapping of headers (bytes are
    read as HTTP reads them, as Latin-1: never a decoding error)."""
    for key, value in dict(headers).items():
        if key.lower() == name:
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def authorization(headers: Any) -> str:
    """A request's ``Authorization`` header without the white space around it; "" for none
    (an empty header is none, for S3 as for moto's request routing)."""
    return (header(headers, "authorization") or "").strip()


def byte_count(value: str | None) -> int | None:
    """A header's decimal number of bytes (Content-Length, ``x-amz-decoded-content-length``);
    None for a value that is none. White space around it is not part of it (RFC 9110 5.5),
    nor are leading zeros: ``int()`` refuses over 4,300 digits (a ValueError, an HTTP 500).
    Only ASCII digits (``"²"`` passes ``str.isdigit``, and then fails ``int``), and no more
    than a 64-bit number holds (S3's lengths are Java longs)."""
    if value is None or not re.fullmatch(r"[0-9]+", value := value.strip(" \t")):
        return None
    digits = value.lstrip("0") or "0"
    return count if len(digits) <= 19 and (count := int(digits)) < 2**63 else None


def tokens(value: str) -> list[str]:
    """The comma-separated items of a header's value (codings, encodings), in lower case."""
    return [item.strip().lower() for item in value.split(",") if item.strip()]


def _check_scope(credential: list[str]) -> None:
    """X-Amz-Credential's service must be ``s3`` and its terminal ``aws4_request``: S3 says
    which part is wrong before it looks at expiry or the signature (OpenStack Swift's s3api
    and versitygw, which test against S3, answer these words)."""
    if credential[3] != "s3":
        raise _query_error(
            f'Error parsing the X-Amz-Credential parameter; incorrect service "{credential[3]}". '
            'This endpoint belongs to "s3".'
        )
    if credential[4] != "aws4_request":
        raise _query_error(
            f'Error parsing the X-Amz-Credential parameter; incorrect terminal "{credential[4]}". '
            'This endpoint uses "aws4_request".'
        )


def _check_credentials(key: str, token: str | None) -> None:
    """The URL's access key and session token must be the ones Cognito signed with: S3 looks
    the key up before it can compute a signature. Another key, or Cognito's temporary key
    without its token, is 403 InvalidAccessKeyId (uswitch/kiam#261: an ASIA key's URL without
    its token); another token is 400 InvalidToken (boto/boto3#1549, aws/aws-sdk-js#4129 quote
    S3's answers)."""
    if key != _CREDENTIALS.access_key or not token:
        raise S3Error(
            403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.",
            AWSAccessKeyId=key,
        )
    if token != _CREDENTIALS.token:
        raise S3Error(
            400, "InvalidToken", "The provided token is malformed or otherwise invalid.", **{"Token-0": token}
        )


_AMZ_DATE = re.compile(r"[0-9]{8}T[0-9]{6}Z", re.ASCII)


def _not_signed(headers: Any, signed_names: list[str]) -> list[str]:
    """The headers S3 requires a query-signed request to have signed and this one has not:
    ``host``, and every ``x-amz-*`` header it carries but ``x-amz-content-sha256``. S3 refuses
    them before the signature, whatever their value (real answers: an unsigned ``x-amz-acl``,
    odysseyscience/react-s3-uploader#110; the SSE-C headers, aws/aws-sdk-js#896; a correct
    ``x-amz-checksum-crc32``, floci-io/floci#4150; ``host``, aws/aws-sdk-java#1680). A
    PreSignedUrl signs ``host`` and the SSE header only: a client may add no other."""
    names = sorted(
        {(name.decode("latin-1") if isinstance(name, bytes) else str(name)).lower() for name in dict(headers)}
    )
    unsigned = [
        name for name in names
        if name.startswith("x-amz-") and name != "x-amz-content-sha256" and name not in signed_names
    ]
    return unsigned if "host" in signed_names else ["host", *unsigned]


def _signature_mismatch(key: str, provided: str, expected: _Signing | None = None) -> S3Error:
    """S3's SignatureDoesNotMatch, with its elements in S3's order; ``expected``: the request
    S3 signed (its string to sign and canonical request), when there is one to show."""
    details = {"AWSAccessKeyId": key}
    if expected is not None:
        details["StringToSign"] = expected.string_to_sign
    details["SignatureProvided"] = provided
    if expected is not None:
        details["StringToSignBytes"] = _hex_bytes(expected.string_to_sign)
        details["CanonicalRequest"] = expected.canonical_request
        details["CanonicalRequestBytes"] = _hex_bytes(expected.canonical_request)
    return S3Error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
        **details,
    )


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
    query: dict[str, str] = {}
    for name, value in params:  # S3 reads a repeated parameter's first value (refused below)
        query.setdefault(name, value)
    if not any(name in query for name in _AUTH_PARAMETERS):
        raise S3Error(403, "AccessDenied", "Access Denied")  # anonymous: Cognito's bucket is private
    if caller_s := authorization(headers):
        # A request is signed one way: an HTTP client's basic auth, or an interceptor adding a
        # token to every request, beside the URL's signature (S3's answer quoted in
        # catalyst/moodle-tool_objectfs#303; request/request#860).
        raise S3Error(
            400, "InvalidArgument",
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
            "string parameter or the Authorization header should be specified",
            ArgumentName="Authorization", ArgumentValue=caller_s,
        )
    # [OURS] A parameter given twice (a wrong X-Amz-Signature before the right one, an
    # X-Amz-Expires appended) is refused before any is read: no PreSignedUrl carries one, and
    # no capture shows S3 taking such a URL. S3 reads a repeated parameter's first value
    # (aws/aws-sdk-go#1495), so a malformed copy ahead of the signed one would otherwise get
    # that copy's 400: a tampered URL gets one answer here, whatever the copy says.
    complete = all(name in query for name in _AUTH_PARAMETERS)
    if complete and len(params) > len(query):
        raise _signature_mismatch(query["X-Amz-Credential"].split("/")[0], query["X-Amz-Signature"])
    if "X-Amz-Algorithm" in query and query["X-Amz-Algorithm"] != ALGORITHM:
        raise _query_error(f'X-Amz-Algorithm only supports "{ALGORITHM}"')
    if not complete:
        raise _query_error(
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
            "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
        )
    credential = query["X-Amz-Credential"].split("/")
    if len(credential) != 5:
        raise _query_error(
            "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
            'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
        )
    try:
        # The pattern first: strptime also takes one-digit fields and a lower-case t or z.
        if not _AMZ_DATE.fullmatch(query["X-Amz-Date"]):
            raise ValueError(query["X-Amz-Date"])
        signed_at = datetime.datetime.strptime(query["X-Amz-Date"], SIGV4_TIMESTAMP)
    except ValueError:
        raise _query_error("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"") from None
    _check_scope(credential)
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
    # expiry would overflow datetime (an HTTP 500); so would year 1 minus it, hence ``later``.
    if clock.later(now, -expires) > signed_at and not _replays:
        raise S3Error(
            403, "AccessDenied", "Request has expired",
            **{"X-Amz-Expires": str(expires)},
            Expires=_iso(signed_at + datetime.timedelta(seconds=expires)),
            ServerTime=_iso(now),
        )
    # A request dated ahead of S3's clock by more than its 15-minute allowance for clock skew
    # (a URL presigned by a client whose clock is ahead, or a server clock moved back) is
    # not valid yet; S3 writes X-Amz-Date in epoch milliseconds here (minio/minio#2638,
    # dmjio/s3-signer#16 quote S3's answer).
    if signed_at - now > _CLOCK_SKEW and not _replays:
        raise S3Error(
            403, "AccessDenied", "Request is not yet valid",
            **{"X-Amz-Date": str(int(signed_at.replace(tzinfo=datetime.UTC).timestamp() * 1000))},
            Expires=_iso(clock.later(signed_at, expires)),
            ServerTime=_iso(now),
        )
    # The credential's date must be X-Amz-Date's (Swift's s3api and versitygw send S3's words);
    # after expiry: S3 answered "Request has expired" to an X-Amz-Date moved back a day alone
    # (versity/versitygw#2116).
    if credential[1] != query["X-Amz-Date"][:8]:
        raise _query_error(
            f'Invalid credential date "{credential[1]}". '
            f'This date is not the same as X-Amz-Date: "{query["X-Amz-Date"][:8]}".'
        )
    _check_credentials(credential[0], query.get("X-Amz-Security-Token"))
    region = credential[2]
    signed_names = query["X-Amz-SignedHeaders"].lower().split(";")
    if unsigned := _not_signed(headers, signed_names):
        raise S3Error(
            403, "AccessDenied", "There were headers present in the request which were not signed",
            HeadersNotSigned=", ".join(unsigned),
        )
    # The signed headers as received: a missing one (say, no SSE header) signs as empty.
    signed = {"host": signed_host(full_url)}
    for name in signed_names:
        signed.setdefault(name, header(headers, name) or "")
    # S3 signs the key, not its spelling: the path decoded, then encoded as SigV4 encodes it
    # (``_%5F`` and ``%2D`` are ``_`` and ``-``; a real S3 SignatureDoesNotMatch shows a
    # re-encoded path, aws/aws-sdk-js#853).
    url = f"{parts.scheme}://{parts.netloc}{quote(unquote_to_bytes(parts.path), safe='/~')}"
    expected = _sign(method, url, [(k, v) for k, v in query.items() if k != "X-Amz-Signature"], signed, region)
    # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, an HTTP 500).
    if not hmac.compare_digest(expected.signature.encode(), query["X-Amz-Signature"].encode()):
        raise _signature_mismatch(credential[0], query["X-Amz-Signature"], expected)
    return region
