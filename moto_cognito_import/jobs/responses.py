"""HTTP layer of the six operations: read the request, call the backend, serialise.

``ImportJobResponses``'s six action methods are added to moto's ``CognitoIdpResponse``
(``moto_glue.patches``); moto dispatches ``X-Amz-Target`` to them by name. Every action runs
under the plugin's lock already (``moto_glue.dispatch``), so these methods take none.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionContext, ActionResult, BaseResponse
from moto.core.utils import camelcase_to_underscores

from ..exceptions import NOT_A_REGION, CognitoImportError, InvalidSignatureException, SerializationException
from ..settings import MAX_REQUEST_BYTES
from ..upload.signing import aws_host, header, parses
from . import request_signature
from .models import UserImportBackend, UserImportJob, import_backend
from .request_validation import OPERATIONS, parse_request

_ALGORITHM = "PasswordHashingAlgorithm"
#: The service part of every cognito-idp ``X-Amz-Target`` (botocore: ``targetPrefix``).
TARGET_PREFIX = "AWSCognitoIdentityProviderService"


#: A Host header a URL can carry: a DNS name of at most 253 characters (RFC 1035's 255
#: octets; a longer Host made a PreSignedUrl longer than the model's 2,048), underscores
#: included (docker-compose service names such as ``moto_server``, which werkzeug's
#: ``request.host`` turns into ""), an IPv4 or a bracketed IPv6 address, and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9_.-]{1,253}\.?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def _usable_host(host: str | None) -> bool:
    return host is not None and _HOST.fullmatch(host) is not None and parses(f"//{host}")  # a port over 65535


def _url_base(environ: Mapping[str, Any], uri: str, host: str | None) -> str | None:
    """None for AWS hosts (decorator mode, or a server reached by an AWS host name), in every
    partition's domain (moto's mock answers ``amazonaws.eu`` and the ISO regions' too); else
    the server's ``scheme://host:port`` by the request's own Host header, the host the upload
    is signed for and checked against (``upload.http.from_wsgi``), or, for a Host no URL can
    carry, the address the server answered on."""
    parts = urlsplit(uri)
    if aws_host(parts.hostname or ""):
        return None
    if _usable_host(host):
        return f"{parts.scheme}://{host}"
    name = environ.get("SERVER_NAME")
    if name is None:
        return f"{parts.scheme}://{parts.netloc}"
    return f"{parts.scheme}://{f'[{name}]' if ':' in name else name}:{environ.get('SERVER_PORT')}"


class JobResult(ActionResult):
    """A job response that echoes PasswordHashingAlgorithm whatever botocore is installed.

    moto serialises from the installed botocore model and drops members it lacks; botocore
    before 1.44 has no PasswordHashingAlgorithm, yet clients built on a newer model (other
    SDKs, raw HTTP) send it and read it back (README, "Fidelity notes").
    """

    def execute_result(self, context: ActionContext) -> TYPE_RESPONSE:
        status, headers, body = super().execute_result(context)
        job_shape = context.service_model.shape_for("UserImportJobType")
        if status != 200 or _ALGORITHM in job_shape.members:
            return status, headers, body
        result: dict[str, Any] = self.result  # type: ignore[assignment]
        document = json.loads(body)
        single = "UserImportJob" in result
        sent = [document["UserImportJob"]] if single else document.get("UserImportJobs", [])
        jobs = [result["UserImportJob"]] if single else result["UserImportJobs"]
        for out, job in zip(sent, jobs, strict=True):
            if job.get(_ALGORITHM):
                out[_ALGORITHM] = job[_ALGORITHM]
        return status, headers, json.dumps(document)


def _job_result(job: UserImportJob) -> ActionResult:
    return JobResult({"UserImportJob": job.to_json()})


#: Where ``read_ahead`` leaves a request's backend and members on moto's response object.
_READ = "_cognito_import_read"


def read_ahead(response: BaseResponse, operation: str) -> None:
    """Check and parse a request of the six before the plugin's lock is taken
    (``moto_glue.dispatch``): inflating and parsing touch no state, and a megabyte of body
    parsed under the lock held up every cognito-idp call. An error is kept for ``_read`` to
    raise inside moto's dispatch, which answers it as it answers its own."""
    read: tuple[UserImportBackend, dict[str, Any]] | CognitoImportError
    try:
        read = screened(response), parse_request(operation, _body(response))
    except CognitoImportError as error:
        read = error
    setattr(response, _READ, read)


def _read(response: BaseResponse, operation: str) -> tuple[UserImportBackend, dict[str, Any]]:
    """The backend and the request's members (read ahead, or now). The answer is AWS JSON 1.1
    whatever the request's Content-Type [OURS: no capture shows Cognito refusing another one;
    moto's serializer would fail on ``application/json`` with an HTTP 500]. A request that
    does not name the operation exactly never gets here (``moto_glue.dispatch``).
    """
    response.determine_response_protocol = lambda service_model: "json"  # type: ignore[method-assign]
    if _READ not in vars(response):
        read_ahead(response, operation)
    read: tuple[UserImportBackend, dict[str, Any]] | CognitoImportError = vars(response).pop(_READ)
    if isinstance(read, CognitoImportError):
        raise read
    return read


def screened(response: BaseResponse) -> UserImportBackend:
    """The backend a request of the six is served by, once AWS's signature checks, which
    answer before the operation is even looked up, have passed: the ``Authorization``
    header's credential scope (``request_signature``), a region moto serves, and the
    endpoint's region. A misspelt operation is checked here first too (``moto_glue.dispatch``)."""
    authorization = request_signature.check(response.headers)
    backend = backend_for(response.current_account, response.region)
    request_signature.check_region(authorization, response.uri)
    return backend


def backend_for(account_id: str, region: str) -> UserImportBackend:
    """The import backend of ``account_id`` in ``region``; AWS's InvalidSignatureException for
    a region moto has no backend for (MOTO_ALLOW_NONEXISTENT_REGION unset), where moto's own
    lookup raises KeyError (an HTTP 500)."""
    try:
        return import_backend(account_id, region)
    except KeyError:
        raise InvalidSignatureException(NOT_A_REGION.format(region)) from None


_GZIP_PIECE = 64 * 1024
_GZIP_MEMBERS = 64  # [OURS]


def _body(response: BaseResponse) -> bytes | str:
    """The request's body, decompressed when it is gzip (SDKs may compress bodies; moto does
    the same for its own operations). At most ``MAX_REQUEST_BYTES`` go in: no valid request
    of the six comes near, and moto's server refuses a larger body before reading it
    (``moto_glue.dispatch.import_body``, which inflates a gzip body there and drops the
    header). A body sent as gzip that is not gzip is SerializationException in both modes."""
    body: bytes | str = response.body
    if len(body) > MAX_REQUEST_BYTES:
        raise SerializationException(None)
    if (header(response.headers, "content-encoding") or "").strip().lower() != "gzip":
        return body
    return inflated(body.encode() if isinstance(body, str) else body)


def inflated(body: bytes) -> bytes:
    """A gzip body inflated: at most ``MAX_REQUEST_BYTES`` come out of it (a few kilobytes of
    gzip can hold gigabytes), in at most 64 members. A broken gzip body, or one too big, is
    SerializationException."""
    view, offset, size = memoryview(body), 0, 0
    parts: list[bytes] = []
    # A gzip body may be several members, one after another (RFC 1952); an SDK sends one.
    # The input goes in pieces, and members are counted: each member's leftover input
    # (``unused_data``) is a copy, and copying the rest of a body after each of a million
    # empty members took minutes, under moto's lock.
    for _ in range(_GZIP_MEMBERS):
        if offset == len(view):
            return b"".join(parts)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while not inflater.eof:
            if offset >= len(view):  # the member ends early
                raise SerializationException(None)
            piece = view[offset:offset + _GZIP_PIECE]
            offset += len(piece)
            try:
                part = inflater.decompress(piece, MAX_REQUEST_BYTES + 1 - size)
            except zlib.error:
                raise SerializationException(None) from None
            size += len(part)
            if size > MAX_REQUEST_BYTES:
                raise SerializationException(None)
            parts.append(part)
        offset -= len(inflater.unused_data)  # the next member starts there
    if offset < len(view):
        raise SerializationException(None)
    return b"".join(parts)


class ImportJobResponses(BaseResponse):
    """The six user-import actions of cognito-idp (only these methods are added to moto's
    ``CognitoIdpResponse``: helpers are module functions)."""

    def create_user_import_job(self) -> ActionResult:
        backend, params = _read(self, "CreateUserImportJob")
        job = backend.create_user_import_job(
            job_name=params["JobName"],
            user_pool_id=params["UserPoolId"],
            cloud_watch_logs_role_arn=params["CloudWatchLogsRoleArn"],
            password_hashing_algorithm=params.get(_ALGORITHM),
            url_base=_url_base(getattr(self, "server_environ", {}), self.uri, self.headers.get("Host")),
        )
        return _job_result(job)

    def describe_user_import_job(self) -> ActionResult:
        backend, params = _read(self, "DescribeUserImportJob")
        return _job_result(backend.describe_user_import_job(params["UserPoolId"], params["JobId"]))

    def list_user_import_jobs(self) -> ActionResult:
        backend, params = _read(self, "ListUserImportJobs")
        jobs, token = backend.list_user_import_jobs(
            user_pool_id=params["UserPoolId"],
            max_results=params["MaxResults"],
            pagination_token=params.get("PaginationToken"),
        )
        return JobResult({"UserImportJobs": [job.to_json() for job in jobs], "PaginationToken": token})

    def start_user_import_job(self) -> ActionResult:
        backend, params = _read(self, "StartUserImportJob")
        return _job_result(backend.start_user_import_job(params["UserPoolId"], params["JobId"]))

    def stop_user_import_job(self) -> ActionResult:
        backend, params = _read(self, "StopUserImportJob")
        return _job_result(backend.stop_user_import_job(params["UserPoolId"], params["JobId"]))

    def get_csv_header(self) -> ActionResult:
        backend, params = _read(self, "GetCSVHeader")
        columns = backend.get_csv_header(params["UserPoolId"])
        return ActionResult({"UserPoolId": params["UserPoolId"], "CSVHeader": columns})


#: The actions, by the name moto dispatches to (``camelcase_to_underscores`` of the operation).
ACTIONS = tuple(camelcase_to_underscores(operation) for operation in OPERATIONS)
