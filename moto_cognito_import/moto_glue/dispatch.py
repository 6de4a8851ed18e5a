"""Wrappers of moto's cognito-idp request dispatch (``CognitoIdpResponse``): one lock for
every action, and raw request bytes for the six import actions."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from moto.core.common_types import TYPE_RESPONSE
from moto.core.utils import camelcase_to_underscores
from moto.utilities.aws_headers import gen_amzn_requestid_long

from ..exceptions import CognitoImportError, SerializationException, UnknownOperationException
from ..jobs import request_signature
from ..jobs.request_validation import OPERATIONS
from ..jobs.responses import ACTIONS, TARGET_PREFIX, inflated
from ..lock import LOCK
from ..settings import MAX_REQUEST_BYTES
from ..upload import http
from ..upload.signing import header


def _dispatched_by(query_action: str | None, target: str | None) -> tuple[str, bool]:
    """What moto dispatches a request by, in ``BaseResponse._get_action``'s order: a
    non-empty ``?Action=`` (True), else the whole X-Amz-Target (False)."""
    return (query_action, True) if query_action else (target or "", False)


def _action(request: Any, full_url: Any, headers: Any) -> str:
    """The method moto will dispatch a request to, before moto has read it."""
    query = urlsplit(full_url if isinstance(full_url, str) else str(getattr(request, "url", "") or "")).query
    target = header(headers if headers is not None else getattr(request, "headers", None) or {}, "x-amz-target")
    return _method_for(query, target)


def _method_for(query: str, target: str | None) -> str:
    """The method name moto makes of a request's query string and X-Amz-Target."""
    named, by_query = _dispatched_by(next((v for k, v in parse_qsl(query) if k == "Action"), None), target)
    return camelcase_to_underscores(named if by_query else named.rsplit(".", 1)[-1])


def _answer(error: CognitoImportError) -> TYPE_RESPONSE:
    """An error as moto's dispatch answers an HTTP error: (status, headers, body),
    with the error's own headers and a request id, as every AWS answer carries."""
    headers = dict(error.get_headers())
    gen_amzn_requestid_long(headers)
    return error.code, headers, error.description


def import_body(environ: dict[str, Any]) -> TYPE_RESPONSE | None:
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
    """
    if environ.get("PATH_INFO") != "/":
        return None  # not cognito-idp's path (an S3 key with ?Action=GetCSVHeader)
    if _method_for(environ.get("QUERY_STRING", ""), environ.get("HTTP_X_AMZ_TARGET")) not in ACTIONS:
        return None
    request = http.from_wsgi(environ)
    try:  # before moto routes the request by the header's credential scope
        authorization = request_signature.check(request.headers)
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
        if _action(request, full_url, headers) in ACTIONS:
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

    return setup


def serialised(call_action: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``call_action(self)``: every cognito-idp action, moto's own and ours, under the
    plugin's lock.

    moto's server is threaded and its cognito-idp has no lock of its own. Without this,
    AdminCreateUser or SignUp could add a user between an import's "does it exist?" check and
    its insert (one user silently replacing the other), and moto's loops over a pool's users
    could see the dict change size while an import adds users.
    """

    @functools.wraps(call_action)
    def call(self: Any) -> Any:
        if _misnamed_import_action(self):
            return _answer(UnknownOperationException())
        with LOCK:
            return call_action(self)

    return call


# Each import operation's name in lower case without separators: what any spelling of it
# (``createUserImportJob``, ``CREATE_USER_IMPORT_JOB``, ``createuserimportjob;``) comes to, and
# what a name that means it with more around it (``StartUserImportJobX``) contains.
_SPELLINGS = {operation.lower(): operation for operation in OPERATIONS}


def _misnamed_import_action(response: Any) -> bool:
    """Whether a request means an import operation without naming it exactly. JSON 1.1
    targets are case-sensitive and carry the service's prefix: Coral answers any other
    spelling HTTP 400 UnknownOperationException (aws/aws-sdk-go#3689) and runs nothing. moto
    ran a spelling with the same snake-case name and then failed to serialise (an HTTP 500),
    and raised NotImplementedError (an HTTP 500) for the others."""
    query_action = response.querystring.get("Action")
    if isinstance(query_action, list):
        query_action = query_action[0] if query_action else None
    named, by_query = _dispatched_by(query_action, header(response.headers, "x-amz-target"))
    if by_query:  # moto's query form, ?Action=<Operation>: moto runs it whatever the target
        exact: str | None = named
    else:
        exact = named.removeprefix(f"{TARGET_PREFIX}.") if named.startswith(f"{TARGET_PREFIX}.") else None
    letters = re.sub(r"[^a-z0-9]", "", named.lower())
    meant = next((operation for spelling, operation in _SPELLINGS.items() if spelling in letters), None)
    return meant is not None and exact != meant
