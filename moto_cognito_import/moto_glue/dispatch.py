"""Wrappers of moto's cognito-idp request dispatch (``CognitoIdpResponse``): one lock for
every action, and raw request bytes for the six import actions."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from moto import settings
from moto.core.common_types import TYPE_RESPONSE
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.utilities.aws_headers import gen_amzn_requestid_long

from ..exceptions import CognitoImportError, SerializationException, UnknownOperationException
from ..jobs import request_signature
from ..jobs.request_validation import OPERATIONS
from ..jobs.responses import TARGET_PREFIX, backend_for, inflated, read_ahead, screened
from ..lock import LOCK
from ..settings import MAX_REQUEST_BYTES
from ..upload import http
from ..upload.signing import header

# Each import operation's name in lower case without separators: what any spelling of it
# (``createUserImportJob``, ``CREATE_USER_IMPORT_JOB``, ``createuserimportjob;``) comes to, and
# what a name that means it with more around it (``StartUserImportJobX``) contains.
_SPELLINGS = {operation.lower(): operation for operation in OPERATIONS}

# The paths moto routes as cognito-idp's ``/``: werkzeug decodes ``/%2F`` to ``//``, and
# moto's URL map merges slashes.
_MERGED_SLASHES = re.compile("/+")

# The white space around a header's value that is no part of it (RFC 9110 5.5: SP and HTAB
# only; ``str.strip`` would take a trailing ``\x0b`` or ``\x85`` off a target too).
_OWS = " \t"


def _import_operation(action: str | None, target: str | None) -> tuple[str | None, str | None]:
    """Which of the six a request names: (exactly, else None; in any spelling, else None).

    JSON 1.1 dispatches by X-Amz-Target alone: a target of cognito-idp's form
    (``AWSCognitoIdentityProviderService.<Name>``, white space around it aside, as it is no
    part of a header's value, RFC 9110 5.5) decides, whatever ``Action`` the query string, a
    form body or the headers carry, which moto dispatches by first (``?Action=Foo`` was an
    HTTP 500, ``?Action=DescribeUserPool`` ran DescribeUserPool, and an ``Action`` naming one
    of the six ran it for a target naming one of moto's own operations). Without a target,
    moto's query form ``?Action=<Operation>`` names one exactly. Any other spelling of one of
    the six (``createUserImportJob``, ``CREATE_USER_IMPORT_JOB``, ``Foo.CreateUserImportJob``,
    ``StartUserImportJobX``) means it without naming it: Coral answers it
    UnknownOperationException (``serialised``).
    """
    name = _named_by_target(target)
    if name is not None:
        return (name, name) if name in OPERATIONS else (None, _meaning(name))
    if target and target.strip(_OWS):
        return None, _meaning(target) or _meaning(action)
    return (action, action) if action in OPERATIONS else (None, _meaning(action))


def _named_by_target(target: str | None) -> str | None:
    """The operation an X-Amz-Target of cognito-idp's form names, or None for another."""
    service, _, name = (target or "").strip(_OWS).rpartition(".")
    return name if service == TARGET_PREFIX else None


def _meaning(named: str | None) -> str | None:
    """The operation of the six a name means in any spelling, or None."""
    letters = re.sub(r"[^a-z0-9]", "", (named or "").lower())
    return next((operation for spelling, operation in _SPELLINGS.items() if spelling in letters), None)


def _action(querystring: dict[str, Any]) -> str | None:
    """The ``Action`` moto dispatches by, from what it read of the query string, a form body
    or, where it has neither, the headers."""
    action = querystring.get("Action")
    return (action[0] if action else None) if isinstance(action, list) else action


def _query_action(query: str) -> str | None:
    return next((value for key, value in parse_qsl(query) if key == "Action"), None)


def _named_by(response: Any) -> tuple[str | None, str | None]:
    """``_import_operation`` of a request moto has read."""
    return _import_operation(_action(response.querystring), header(response.headers, "x-amz-target"))


def _answer(error: CognitoImportError) -> TYPE_RESPONSE:
    """An error as moto's dispatch answers an HTTP error: (status, headers, body),
    with the error's own headers and a request id, as every AWS answer carries."""
    headers = dict(error.get_headers())
    gen_amzn_requestid_long(headers)
    return error.code, headers, error.description


def _as_moto_s_server_answers(response: TYPE_RESPONSE, environ: dict[str, Any]) -> TYPE_RESPONSE:
    """An answer given before moto's Flask app, with the headers that app gives every answer of
    cognito-idp's: moto's ``server`` and flask-cors's (as configured by moto: any origin, unless
    ``MOTO_DISABLE_GLOBAL_CORS``). Without them a browser client (amplify, the JavaScript SDK)
    could not read these errors, as it reads the same error from moto's dispatch."""
    status, headers, body = response
    headers = {**headers, "server": "amazon.com"}
    if not settings.DISABLE_GLOBAL_CORS:
        origin = environ.get("HTTP_ORIGIN")
        headers["Access-Control-Allow-Origin"] = origin or "*"
        if origin:
            headers["Vary"] = "Origin"
    return status, headers, body


def import_body(environ: dict[str, Any]) -> TYPE_RESPONSE | None:
    """Our answer to a request of the six in moto's server, with the headers moto's app would
    add, or None to go on to moto (``_screened``)."""
    response = _screened(environ)
    return None if response is None else _as_moto_s_server_answers(response, environ)


def _screened(environ: dict[str, Any]) -> TYPE_RESPONSE | None:
    """In moto's server, read the body of the six import actions here, before moto.

    moto's dispatcher reads a form-encoded body (what ``curl --data`` sends) under its own
    lock: a client sending one byte every 0.2 s held every other client's request. Nothing
    bounded a body's size: a 300 MiB body was parsed under the plugin's lock for 14 s while
    ListUserPools waited. And werkzeug's chunk reader, read as moto reads bodies
    (``io.RawIOBase.read``), copies past its buffer when the client goes away mid-chunk: a
    ~100-byte request declaring a huge chunk made the server's memory grow by a gigabyte a
    second, and a malformed chunk was an HTML 500.

    So the body is read here, outside every lock, under the server's idle limit (which
    werkzeug's reading of a refused body's rest keeps), at most ``MAX_REQUEST_BYTES``
    (chunks through the guard), inflated here when it is gzip (moto 5.2.1's server inflated
    it without a bound), and handed on to moto with its length. One declared or found
    larger, broken, or cut short is SerializationException. Returns that answer, or None to
    go on to moto.

    Before the body, in the order of ``mock_aws`` (``jobs.responses.screened``, then
    ``serialised``): AWS's signature checks, then a misspelt operation's
    UnknownOperationException. moto's server routes by the ``Authorization`` header's scope,
    and sent such requests with a header it could not read to its S3 (a 200 listing buckets),
    or answered them with an HTML 500.
    """
    if _MERGED_SLASHES.sub("/", environ.get("PATH_INFO") or "/") != "/":
        return None  # not cognito-idp's path (an S3 key with ?Action=GetCSVHeader)
    target = (environ.get("HTTP_X_AMZ_TARGET") or "").strip(_OWS)
    exact, meant = _import_operation(_query_action(environ.get("QUERY_STRING", "")), target)
    if meant is None:
        return None
    request = http.from_wsgi(environ)
    try:  # before moto routes the request by the header's credential scope (to its S3, say)
        authorization = request_signature.check(request.headers)
    except CognitoImportError as error:
        # A request is cognito-idp's by its X-Amz-Target (JSON 1.1); by a query-string Action
        # alone only when signed for cognito-idp: another (IAM's ``?Action=...``, an unsigned
        # one) is routed by moto, as without the plugin.
        return _answer(error) if target else None
    if authorization is None and not target:
        return None
    try:
        if authorization is not None:  # moto's server serves the scope's region
            backend_for(DEFAULT_ACCOUNT_ID, request_signature.scope_region(authorization))  # each account's regions
        if exact is None:
            raise UnknownOperationException()
    except CognitoImportError as error:
        return _answer(error)
    if authorization is not None:
        environ["HTTP_AUTHORIZATION"] = authorization
    declared = request.content_length or 0
    with http.idle_limit(environ):
        body = None if declared > MAX_REQUEST_BYTES else http.small_body(request, MAX_REQUEST_BYTES + 1)
    if body is None or len(body) > MAX_REQUEST_BYTES:
        return _answer(SerializationException())
    if environ.get("HTTP_CONTENT_ENCODING", "").strip().lower() == "gzip":
        try:
            body = inflated(body)
        except SerializationException as error:
            return _answer(error)
        del environ["HTTP_CONTENT_ENCODING"]
    environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), "wsgi.input_terminated": False})
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    return None


def raw_body_for_import_actions(setup_class: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``setup_class(self, request, full_url, headers, use_raw_body)``.

    moto decodes every request body as UTF-8 before dispatching, so a body that is not UTF-8
    escapes as an HTTP 500; and it parses a form-encoded body (``curl --data`` sends JSON as
    one) into form fields, leaving no body. The import actions read the bytes themselves
    (``jobs.request_validation``: SerializationException), so they get the bytes as sent.
    """

    @functools.wraps(setup_class)
    def setup(self: Any, request: Any, full_url: Any = None, headers: Any = None, use_raw_body: Any = None) -> None:
        url = full_url if isinstance(full_url, str) else str(getattr(request, "url", "") or "")
        target = header(headers if headers is not None else getattr(request, "headers", None) or {}, "x-amz-target")
        exact, meant = _import_operation(_query_action(urlsplit(url).query), target)
        if meant is not None:
            use_raw_body = True
            # A gzip body is decompressed by the action, in bounded memory (jobs.responses):
            # moto 5.2.5 decompressed it past werkzeug's cache, and 5.2.1's server twice.
            self.allow_request_decompression = False
            if hasattr(request, "get_data"):
                request.get_data()  # werkzeug caches the raw bytes; form parsing reads the cache
            # The address the server answered on, for a PreSignedUrl when the Host header is
            # one no URL can carry (jobs.responses).
            self.server_environ = getattr(request, "environ", {})
        if use_raw_body is None:  # moto 5.2.5 reads its class default; 5.2.1 has no None
            setup_class(self, request, full_url, headers)
        else:
            setup_class(self, request, full_url, headers, use_raw_body)
        # moto dispatches by an Action first: by the operation the request names, as JSON 1.1
        # does, where that Action would reach one of the six.
        named = _named_by_target(target)
        if exact is not None:
            self.querystring["Action"] = [exact]
        elif named is not None and _meaning(_action(self.querystring)) is not None:
            self.querystring["Action"] = [named]

    return setup


def serialised(call_action: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``call_action(self)``: every cognito-idp action, moto's own and ours, under the
    plugin's lock.

    moto's server is threaded and its cognito-idp has no lock of its own. Without this,
    AdminCreateUser or SignUp could add a user between an import's "does it exist?" check and
    its insert (one user silently replacing the other), and moto's loops over a pool's users
    could see the dict change size while an import adds users.

    A request that means one of the six without naming it exactly (``_import_operation``)
    runs nothing: after AWS's signature checks, as in moto's server (``import_body``), it is
    Coral's HTTP 400 UnknownOperationException (aws/aws-sdk-net#1536; JSON 1.1 targets are
    case-sensitive). moto ran a spelling with the same snake-case name and then failed to
    serialise (an HTTP 500), and raised NotImplementedError (an HTTP 500) for the others.
    A request of the six is checked and parsed before the lock (``read_ahead``).
    """

    @functools.wraps(call_action)
    def call(self: Any) -> Any:
        exact, meant = _named_by(self)
        if exact is not None:
            read_ahead(self, exact)  # outside the lock: a big body held up every other call
        elif meant is not None:
            try:
                screened(self)
            except CognitoImportError as error:
                return _answer(error)
            return _answer(UnknownOperationException())
        with LOCK:
            return call_action(self)

    return call

