"""The pre-signed upload URL: a real HTTP PUT that behaves like Cognito's S3 bucket.

Every test taking ``aws`` runs under ``mock_aws`` and against the server subprocess; the few
that need the backend object (decorator) or a real curl (server) say so with ``only``. Tables
of refusals run in one test per mode, each case named in its assertion message.
"""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import datetime
import errno
import gzip
import hashlib
import http.client
import io
import json
import logging
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit
from xml.etree import ElementTree

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.base_backend import BackendDict
from moto.core.utils import utcnow

import moto_cognito_import
from conftest import ACCOUNT, REGION, Harness, create_logs_role, decorator_only, server_only
from moto_cognito_import import settings
from moto_cognito_import.jobs.models import UserImportJob, import_backends
from moto_cognito_import.jobs.responses import _url_base
from moto_cognito_import.lock import LOCK
from moto_cognito_import.settings import MAX_FILE_BYTES
from moto_cognito_import.upload import signing, storage
from moto_cognito_import.upload.http import Target, _Chunks, drained, locate
from moto_cognito_import.upload.signing import presign
from moto_cognito_import.upload.storage import MEMORY_HELD, Received, Upload

SSE = {"x-amz-server-side-encryption": "aws:kms"}
HEADER = "cognito:username,email,email_verified\n"
JOHN = HEADER + "john,john@example.com,true\n"
JANE = HEADER + "jane,jane@example.com,true\n"
BAD_HEADER = "cognito:username,shoe_size\njohn,42\n"
MISMATCH = (
    403,
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. "
    "Check your key and signing method.",
)
DENIED = (403, "AccessDenied", "Access Denied")
EXPIRED = (403, "AccessDenied", "Request has expired")
TOO_LARGE = "The CSV file is larger than the maximum of 100 MB."
QUERY_ORDER = [  # as in real PreSignedUrls (AWS CLI examples, API reference)
    "X-Amz-Security-Token", "X-Amz-Algorithm", "X-Amz-Date", "X-Amz-SignedHeaders",
    "X-Amz-Expires", "X-Amz-Credential", "X-Amz-Signature",
]
OVERSIZE = MAX_FILE_BYTES + 1024 * 1024
FILLER = HEADER.encode() + b"x" * (1024 * 1024 - len(HEADER))


def s3_error(response: requests.Response) -> tuple[int, str | None, str | None]:
    """(HTTP status, Code, Message) of an S3 XML error answer."""
    root = ElementTree.fromstring(response.content)
    assert root.tag == "Error" and root.findtext("RequestId"), response.text
    assert response.headers["x-amz-request-id"] == root.findtext("RequestId")
    return response.status_code, root.findtext("Code"), root.findtext("Message")


def assert_nothing_stored(idp: Any, job: dict[str, Any]) -> None:
    """Start is the user-visible proof: AWS's message for a job without a file."""
    with pytest.raises(ClientError) as exc:
        idp.start_user_import_job(UserPoolId=job["UserPoolId"], JobId=job["JobId"])
    error = exc.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "PreconditionNotMetException", f"No csv file was uploaded for {job['JobId']}"
    )


def start_and_describe(idp: Any, job: dict[str, Any]) -> dict[str, Any]:
    idp.start_user_import_job(UserPoolId=job["UserPoolId"], JobId=job["JobId"])
    return describe(idp, job)


def describe(idp: Any, job: dict[str, Any]) -> dict[str, Any]:
    return idp.describe_user_import_job(UserPoolId=job["UserPoolId"], JobId=job["JobId"])["UserImportJob"]  # type: ignore[no-any-return]


def usernames(idp: Any, pool_id: str) -> list[str]:
    return sorted(user["Username"] for user in idp.list_users(UserPoolId=pool_id)["Users"])


def with_query(url: str, changes: dict[str, str | None]) -> str:
    """``url`` with query parameters replaced (values already encoded), added, or removed (None)."""
    base, _, query = url.partition("?")
    pairs = dict(pair.split("=", 1) for pair in query.split("&"))
    pairs.update(changes)
    return base + "?" + "&".join(f"{key}={value}" for key, value in pairs.items() if value is not None)


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def signed_at(url: str, plus_seconds: int = 0) -> datetime.datetime:
    moment = datetime.datetime.strptime(query_of(url)["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    return moment + datetime.timedelta(seconds=plus_seconds)


def expected_base(aws: Any, region: str, airport: str, pool_id: str, job_id: str) -> str:
    """Decorator mode: the real virtual-hosted form; server mode: the server, path-style."""
    bucket = f"aws-cognito-idp-user-import-{airport}"
    if aws.endpoint is None:
        return f"https://{bucket}.s3.{region}.amazonaws.com/{ACCOUNT}/{pool_id}/{job_id}"
    return f"{aws.endpoint}/{bucket}/{ACCOUNT}/{pool_id}/{job_id}"


class LazyBody(io.RawIOBase):
    """``size`` bytes (``block`` repeated: by default a CSV header, then filler) made as they
    are read, so the test stays light. ``sized`` bodies go out with a Content-Length; others
    (no ``tell``) go out chunked.
    """

    def __init__(self, size: int, sized: bool = True, block: bytes = FILLER):
        self.size = size
        self.sized = sized
        self.position = 0
        self.md5 = hashlib.md5(usedforsecurity=False)
        self._block = block

    def __len__(self) -> int:
        return self.size

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        if not self.sized:
            raise io.UnsupportedOperation("tell")  # requests then falls back to chunked
        return self.position

    def read(self, size: int | None = -1) -> bytes:
        remaining = self.size - self.position
        size = remaining if size is None or size < 0 else min(size, remaining)
        chunks = []
        while size > 0:
            offset = self.position % len(self._block)
            chunk = self._block[offset : offset + size]
            chunks.append(chunk)
            self.position += len(chunk)
            size -= len(chunk)
        data = b"".join(chunks)
        self.md5.update(data)
        return data


# --- success ---------------------------------------------------------------------------------


def test_put_with_the_sse_header_answers_200_with_an_etag_and_start_imports_the_file(aws):
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"])
    response = aws.upload(job["PreSignedUrl"], JOHN)
    assert response.status_code == 200 and response.content == b""
    assert response.headers["ETag"] == f'"{hashlib.md5(JOHN.encode()).hexdigest()}"'
    assert response.headers["x-amz-server-side-encryption"] == "aws:kms"
    done = start_and_describe(idp, job)
    assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 1)
    assert usernames(idp, pool["Id"]) == ["john"]


def test_the_url_has_the_real_form(aws):
    pool = aws.pool()
    job = aws.job(pool["Id"])
    url = job["PreSignedUrl"]
    base, _, query = url.partition("?")
    assert base == expected_base(aws, REGION, "iad", pool["Id"], job["JobId"])
    assert [pair.split("=")[0] for pair in query.split("&")] == QUERY_ORDER
    assert "&X-Amz-Algorithm=AWS4-HMAC-SHA256&" in url
    assert "&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption&X-Amz-Expires=899&" in url
    created = job["CreationDate"].astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    params = query_of(url)
    assert params["X-Amz-Date"] == created
    assert re.fullmatch(rf"ASIA[A-Z0-9]+/{created[:8]}/{REGION}/s3/aws4_request", params["X-Amz-Credential"])
    assert re.fullmatch(r"[0-9a-f]{64}", params["X-Amz-Signature"])
    assert len(url) <= 2048  # PreSignedUrlType's max


def test_a_job_in_another_region_gets_that_regions_bucket_and_imports_there(aws):
    """Airport codes seen in real URLs; the region of the upload comes from X-Amz-Credential."""
    for region, airport in [("us-west-2", "pdx"), ("eu-west-2", "lhr"), ("ap-northeast-1", "nrt")]:
        idp = aws.client(region=region)
        pool_id = idp.create_user_pool(PoolName="regional", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        job = idp.create_user_import_job(
            JobName="regional", UserPoolId=pool_id, CloudWatchLogsRoleArn=aws.existing_role()
        )["UserImportJob"]
        assert job["PreSignedUrl"].split("?")[0] == expected_base(aws, region, airport, pool_id, job["JobId"])
        assert f"/{region}/s3/aws4_request" in query_of(job["PreSignedUrl"])["X-Amz-Credential"]
        assert aws.upload(job["PreSignedUrl"], JOHN).status_code == 200, region
        assert start_and_describe(idp, job)["Status"] == "Succeeded", region
        assert usernames(idp, pool_id) == ["john"], region


@decorator_only
def test_a_job_in_a_region_botocore_does_not_list_gets_its_file(aws, monkeypatch):
    """moto takes any region under MOTO_ALLOW_NONEXISTENT_REGION: its Cognito bucket was not
    Cognito's, so the upload went to moto's S3 (NoSuchBucket, or into the user's own bucket
    of that name) and the job never had a file."""
    monkeypatch.setenv("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    idp = aws.client("cognito-idp", region="xx-fake-1")
    pool_id = idp.create_user_pool(PoolName="fake", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    job = idp.create_user_import_job(
        JobName="fake-region", UserPoolId=pool_id, CloudWatchLogsRoleArn=aws.existing_role()
    )["UserImportJob"]
    assert aws.upload(job["PreSignedUrl"], JOHN).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1
    s3 = aws.client("s3")
    with pytest.raises(ClientError) as exc:  # Cognito's, like every region's
        s3.create_bucket(Bucket="aws-cognito-idp-user-import-xx-fake-1")
    assert exc.value.response["Error"]["Code"] == "BucketAlreadyExists"
    assert s3.list_buckets()["Buckets"] == []


@decorator_only
@pytest.mark.parametrize(
    "region, domain", [("cn-north-1", "amazonaws.com.cn"), ("us-iso-east-1", "c2s.ic.gov")]
)
def test_a_job_in_another_partition_gets_that_partitions_s3_host(aws, monkeypatch, region, domain):
    """S3's hosts end in the partition's domain, as botocore's endpoint data says, and moto's
    mock answers them all: a cognito-idp endpoint outside ``amazonaws.com`` (the ISO regions,
    the European Sovereign Cloud's ``amazonaws.eu``) got a server-mode URL on its own host,
    which nothing answered (moto's 404), and the job never had a file."""
    monkeypatch.setenv("MOTO_ALLOW_NONEXISTENT_REGION", "true")  # moto 5.2.1 lists no ISO region
    idp = aws.client("cognito-idp", region=region)
    pool_id = idp.create_user_pool(PoolName="partition", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    job = idp.create_user_import_job(
        JobName="partition", UserPoolId=pool_id, CloudWatchLogsRoleArn=aws.existing_role()
    )["UserImportJob"]
    bucket = f"aws-cognito-idp-user-import-{region}"
    assert job["PreSignedUrl"].startswith(f"https://{bucket}.s3.{region}.{domain}/{ACCOUNT}/{pool_id}/")
    assert aws.upload(job["PreSignedUrl"], JOHN).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


def test_a_job_in_another_account_takes_its_upload_there(aws):
    """The account comes from the URL path: the file lands in that account's job."""
    other_account = "111111111111"
    credentials = aws.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{other_account}:role/importer", RoleSessionName="importer"
    )["Credentials"]
    session = {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }
    idp, iam = aws.client(**session), aws.client("iam", **session)
    role = create_logs_role(iam)
    pool_id = idp.create_user_pool(PoolName="elsewhere", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    job = idp.create_user_import_job(JobName="x", UserPoolId=pool_id, CloudWatchLogsRoleArn=role)["UserImportJob"]
    assert f"/{other_account}/{pool_id}/{job['JobId']}?" in job["PreSignedUrl"]
    assert aws.upload(job["PreSignedUrl"], JOHN).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1
    assert usernames(idp, pool_id) == ["john"]


@server_only
def test_aws_documented_curl_command_uploads_the_file(aws, tmp_path):
    """`curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "$URL"` (developer guide)."""
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed (CI's .ci/run installs it)")
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"])
    (tmp_path / "users.csv").write_text(JOHN)

    def curl_upload(*headers: str) -> tuple[str, str]:
        result = subprocess.run(
            [curl, "-sS", "-T", "users.csv", *headers, "-w", "\n%{http_code}", job["PreSignedUrl"]],
            cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True,
        )
        body, _, status = result.stdout.rpartition("\n")
        return status, body

    status, body = curl_upload()  # forgetting the header: S3's XML error
    assert status == "403" and "<Code>SignatureDoesNotMatch</Code>" in body
    assert_nothing_stored(idp, job)
    assert curl_upload("-H", "x-amz-server-side-encryption:aws:kms") == ("200", "")
    assert start_and_describe(idp, job)["ImportedUsers"] == 1
    assert usernames(idp, pool["Id"]) == ["john"]


def test_a_second_upload_before_start_replaces_the_first(aws):
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"], JOHN)
    assert aws.upload(job["PreSignedUrl"], JANE).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1
    assert usernames(idp, pool["Id"]) == ["jane"]


def test_s3s_conditional_writes_hold_and_a_refused_put_keeps_the_file(aws):
    """S3 evaluates If-None-Match: * and If-Match on PutObject (S3 User Guide, "How to prevent
    object overwrites with conditional writes"; the URL does not sign them): they were
    ignored, so a guarded second upload replaced the first and Start imported it. Only ``*``
    is honoured in If-None-Match (aws/aws-sdk-ruby#3144: 501 for an ETag)."""
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"])

    def put(body: str, **headers: str) -> requests.Response:
        return requests.put(job["PreSignedUrl"], data=body, headers={**SSE, **headers}, timeout=30)

    precondition = "At least one of the pre-conditions you specified did not hold"
    assert s3_error(put(JANE, **{"If-Match": '"0123"'})) == (404, "NoSuchKey", "The specified key does not exist.")
    first = put(JOHN, **{"If-None-Match": "*"})
    assert first.status_code == 200
    refused = {
        "If-None-Match: * over a file": ({"If-None-Match": "*"}, (412, "PreconditionFailed", precondition)),
        "If-Match of another ETag": ({"If-Match": '"0123"'}, (412, "PreconditionFailed", precondition)),
        "If-None-Match of an ETag": (
            {"If-None-Match": first.headers["ETag"]},
            (501, "NotImplemented", "A header you provided implies functionality that is not implemented"),
        ),
    }
    for name, (headers, expected) in refused.items():
        response = put(JANE, **headers)
        assert s3_error(response) == expected, name
        condition = ElementTree.fromstring(response.content).findtext("Condition")
        assert condition == (next(iter(headers)) if expected[0] == 412 else None), name
    assert start_and_describe(idp, job)["ImportedUsers"] == 1
    assert usernames(idp, pool["Id"]) == ["john"]

    second = aws.job(pool["Id"], name="second")
    stored = aws.upload(second["PreSignedUrl"], JOHN).headers["ETag"]
    # The ETag as the PUT answered it, or without its quotes (as moto's S3 compares them).
    for etag in (stored, stored.strip('"')):
        response = requests.put(second["PreSignedUrl"], data=JOHN, headers={**SSE, "If-Match": etag}, timeout=30)
        assert response.status_code == 200, etag


@server_only  # a body that waits mid-way (moto 5.2.1's mock takes no generator)
def test_a_conditional_put_overtaken_by_another_is_s3s_409_and_keeps_the_winner(aws):
    """If-None-Match: * held when the PUT came, but another PUT finished while its body was
    still arriving: S3's 409 ConditionalRequestConflict (PutObject, API reference), and the
    file the other PUT left stays."""
    idp, pool = aws.idp, aws.pool()
    for _ in range(5):
        job = aws.job(pool["Id"])
        halfway, go_on = threading.Event(), threading.Event()

        def slow_body(halfway: threading.Event = halfway, go_on: threading.Event = go_on) -> Any:
            yield JANE[:10].encode()
            halfway.set()
            go_on.wait(30)
            yield JANE[10:].encode()

        with concurrent.futures.ThreadPoolExecutor(1) as pool_of_one:
            guarded = pool_of_one.submit(
                requests.put, job["PreSignedUrl"], data=slow_body(), headers={**SSE, "If-None-Match": "*"}, timeout=30
            )
            assert halfway.wait(30)
            assert aws.upload(job["PreSignedUrl"], JOHN).status_code == 200
            go_on.set()
            error = s3_error(guarded.result())
        # On a busy machine the other PUT can finish before the server has read this one's
        # headers: then the condition never held, and S3's answer is 412. Try again.
        if error[0] != 412:
            break
    assert error == (
        409, "ConditionalRequestConflict",
        "The conditional request cannot succeed due to a conflicting operation against this resource.",
    )
    assert start_and_describe(idp, job)["ImportedUsers"] == 1
    assert usernames(idp, pool["Id"]) == ["john"]


def test_a_file_object_of_unknown_length_goes_chunked_and_imports(aws):
    """No Content-Length: requests sends it chunked (moto's in-process mock needs the handler
    to read it from the raw input)."""
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"])
    body = LazyBody(len(JOHN), sized=False, block=JOHN.encode())
    assert requests.put(job["PreSignedUrl"], data=body, headers=SSE, timeout=30).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


@server_only
def test_a_generator_body_reaches_the_server(aws):
    """Generators go out chunked too. (moto 5.2.1's in-process mock cannot take a generator
    body, for any service; 5.2.5's can. The README says: bytes or a file object there.)"""
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"])
    body = iter([HEADER.encode(), b"john,john@example.com,true\n"])
    assert requests.put(job["PreSignedUrl"], data=body, headers=SSE, timeout=30).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


def test_a_generator_body_yielding_what_no_http_client_can_send_is_a_type_error():
    """``yield 3`` was stored as three NUL bytes (``bytes(3)``; ``yield 10**10`` would take
    10 GB) under mock_aws; urllib3 raises TypeError for it."""
    assert _Chunks(iter([b"ab", "c", bytearray(b"d")])).read() == b"ab"
    chunks = _Chunks(iter([b"ab", 3]))
    assert chunks.read() == b"ab"
    with pytest.raises(TypeError):
        chunks.read()


# --- refusals: S3's XML error, nothing stored ---------------------------------------------------


def test_without_exactly_the_kms_header_s3_answers_signature_mismatch(aws):
    """The header is signed (X-Amz-SignedHeaders), so S3 refuses before anything else (JS-4672)."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    for sse in [None, "AES256", "aws:KMS", ""]:
        response = aws.upload(job["PreSignedUrl"], JOHN, sse=sse)
        assert s3_error(response) == MISMATCH, sse
        canonical = ElementTree.fromstring(response.content).findtext("CanonicalRequest")
        assert f"\nx-amz-server-side-encryption:{sse or ''}\n" in canonical, sse  # S3 shows what it signed
    assert_nothing_stored(idp, job)


TAMPERINGS: dict[str, Callable[[str, str], str]] = {
    "signature": lambda url, other: url[:-1] + ("0" if url[-1] != "0" else "1"),
    "non-ascii-signature": lambda url, other: with_query(url, {"X-Amz-Signature": "é" * 64}),  # was a 500
    "expires": lambda url, other: with_query(url, {"X-Amz-Expires": "3600"}),
    # A minute earlier or later on the same day (another day is the credential's date error).
    "date": lambda url, other: with_query(
        url, {"X-Amz-Date": signed_at(url, -60 if signed_at(url).hour else 60).strftime("%Y%m%dT%H%M%SZ")}
    ),
    "credential-region": lambda url, other: url.replace("%2Fus-east-1%2F", "%2Fus-west-2%2F"),
    "extra-parameter": lambda url, other: url + "&x-id=PutObject",
    "other-job-in-path": lambda url, other: url.replace(url.split("?")[0].rsplit("/", 1)[1], other),
}


def test_a_tampered_url_is_a_signature_mismatch(aws):
    """The SigV4 query signature covers the path, every parameter and the signed headers."""
    idp, pool = aws.idp, aws.pool()
    job, other = aws.job(pool["Id"]), aws.job(pool["Id"], name="other")
    for name, tamper in TAMPERINGS.items():
        tampered = tamper(job["PreSignedUrl"], other["JobId"])
        assert tampered != job["PreSignedUrl"], name
        assert s3_error(aws.upload(tampered, JOHN)) == MISMATCH, name
    assert_nothing_stored(idp, job)
    assert_nothing_stored(idp, other)


def test_a_key_or_token_cognito_did_not_sign_with_is_s3s_credential_error(aws):
    """S3 looks the access key up before it can compute a signature: another key, or Cognito's
    temporary (ASIA) key without its session token, is 403 InvalidAccessKeyId
    (uswitch/kiam#261); another token is 400 InvalidToken, which names it (boto/boto3#1549,
    aws/aws-sdk-js#4129)."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    url = job["PreSignedUrl"]
    key, _, scope = query_of(url)["X-Amz-Credential"].partition("/")
    unknown = (403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    for tampered, named in [
        (with_query(url, {"X-Amz-Security-Token": None}), key),
        (with_query(url, {"X-Amz-Security-Token": ""}), key),
        (with_query(url, {"X-Amz-Credential": quote(f"AKIAIOSFODNN7EXAMPLE/{scope}", safe="")}), "AKIAIOSFODNN7EXAMPLE"),
    ]:
        response = aws.upload(tampered, JOHN)
        assert s3_error(response) == unknown, tampered
        assert ElementTree.fromstring(response.content).findtext("AWSAccessKeyId") == named
    response = aws.upload(with_query(url, {"X-Amz-Security-Token": "garbage"}), JOHN)
    assert s3_error(response) == (400, "InvalidToken", "The provided token is malformed or otherwise invalid.")
    assert ElementTree.fromstring(response.content).findtext("Token-0") == "garbage"
    assert_nothing_stored(idp, job)


_CREDENTIAL = (
    "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
    'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
)
QUERY_ERRORS: dict[str, tuple[dict[str, str | None], str]] = {
    **{
        f"no-{name}": (
            {name: None},
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
            "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
        )
        for name in QUERY_ORDER[1:]
    },
    "algorithm": ({"X-Amz-Algorithm": "AWS4-HMAC-SHA1"}, 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'),
    "credential": ({"X-Amz-Credential": "ASIAKEY%2F20260115"}, _CREDENTIAL),
    "date": ({"X-Amz-Date": "2026-01-15"}, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""),
    "expires-word": ({"X-Amz-Expires": "soon"}, "X-Amz-Expires should be a number"),
    "expires-negative": ({"X-Amz-Expires": "-1"}, "X-Amz-Expires must be non-negative"),
    "expires-over-a-week": (
        {"X-Amz-Expires": "604801"},
        "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires "
        "must be less than 604800 seconds",
    ),
}


def test_missing_or_malformed_auth_parameters_are_s3s_400_and_no_signature_is_403(aws):
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    for name, (changes, message) in QUERY_ERRORS.items():
        response = aws.upload(with_query(job["PreSignedUrl"], changes), JOHN)
        assert s3_error(response) == (400, "AuthorizationQueryParametersError", message), name
    # No query signature at all: an anonymous request to Cognito's private bucket.
    assert s3_error(aws.upload(job["PreSignedUrl"].split("?")[0], JOHN)) == DENIED
    assert_nothing_stored(idp, job)


def test_an_x_amz_date_python_would_parse_but_s3s_format_refuses_is_s3s_400(aws):
    """yyyyMMdd'T'HHmmss'Z' exactly: ``strptime`` also takes one-digit fields and a lower-case
    t or z, which S3's format check refuses (its message states the format)."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    amz_date = query_of(job["PreSignedUrl"])["X-Amz-Date"]
    day, time = amz_date[:8], amz_date[9:15]
    for changed in (f"{day}T{time[1:]}Z", f"{day}t{time}Z", f"{day}T{time}z"):
        response = aws.upload(with_query(job["PreSignedUrl"], {"X-Amz-Date": changed}), JOHN)
        assert s3_error(response) == (400, "AuthorizationQueryParametersError", QUERY_ERRORS["date"][1]), changed
    assert_nothing_stored(idp, job)


def test_a_credential_scoped_to_another_date_service_or_terminal_is_s3s_400(aws):
    """S3 names the wrong part of X-Amz-Credential's scope (OpenStack Swift's s3api and
    versitygw, both tested against S3, send these words), not SignatureDoesNotMatch."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    key, date, region, _, _ = query_of(job["PreSignedUrl"])["X-Amz-Credential"].split("/")
    amz_date = query_of(job["PreSignedUrl"])["X-Amz-Date"][:8]
    scopes = {
        f"{key}/20200101/{region}/s3/aws4_request":
            f'Invalid credential date "20200101". This date is not the same as X-Amz-Date: "{amz_date}".',
        f"{key}/{date}/{region}/ec2/aws4_request":
            'Error parsing the X-Amz-Credential parameter; incorrect service "ec2". This endpoint belongs to "s3".',
        f"{key}/{date}/{region}/s3/aws4_reques":
            'Error parsing the X-Amz-Credential parameter; incorrect terminal "aws4_reques". '
            'This endpoint uses "aws4_request".',
    }
    for credential, message in scopes.items():
        response = aws.upload(with_query(job["PreSignedUrl"], {"X-Amz-Credential": credential}), JOHN)
        assert s3_error(response) == (400, "AuthorizationQueryParametersError", message), credential
    assert_nothing_stored(idp, job)


@server_only
def test_a_method_in_lower_case_is_not_put(aws):
    """Methods are case-sensitive (RFC 9110, section 9.1): ``put`` was taken for PUT and stored."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    parts = urlsplit(job["PreSignedUrl"])
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("put", f"{parts.path}?{parts.query}", JOHN.encode(), headers=SSE)
    response = connection.getresponse()
    root = ElementTree.fromstring(response.read())
    assert (response.status, root.findtext("Code"), root.findtext("Method")) == (405, "MethodNotAllowed", "put")
    assert_nothing_stored(idp, job)


def test_other_methods_get_s3s_answer_and_store_nothing(aws):
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    for method in ["GET", "POST", "DELETE"]:  # the URL is signed for PUT
        response = requests.request(method, job["PreSignedUrl"], data=JOHN, headers=SSE, timeout=30)
        assert s3_error(response) == MISMATCH, method
    response = requests.request("PATCH", job["PreSignedUrl"], data=JOHN, headers=SSE, timeout=30)
    assert s3_error(response) == (405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
    assert ElementTree.fromstring(response.content).findtext("Method") == "PATCH"
    response = requests.head(job["PreSignedUrl"], headers=SSE, timeout=30)
    assert (response.status_code, response.content) == (403, b"")  # S3 answers HEAD with a status alone
    # RFC 9110, 8.6: a HEAD answer's Content-Length, if any, is that of the body a GET would
    # get, never the empty body's
    assert response.headers.get("Content-Length") != "0"
    assert_nothing_stored(idp, job)


def test_a_cors_preflight_gets_s3s_answer_for_a_bucket_without_cors(aws):
    """S3 on a bucket without a CORS configuration (a curl capture against real S3;
    versitygw's and Eucalyptus's AWS-matching errors), not moto's 405 or Flask's CORS."""
    job = aws.job(aws.pool()["Id"])
    preflight = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT"}
    response = requests.options(job["PreSignedUrl"], headers=preflight, timeout=30)
    assert s3_error(response) == (403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.")
    assert "Access-Control-Allow-Origin" not in response.headers
    response = requests.options(job["PreSignedUrl"], timeout=30)
    assert s3_error(response) == (400, "BadRequest", "Insufficient information. Origin request header needed.")
    assert_nothing_stored(aws.idp, job)


def test_a_successful_put_carries_s3s_headers_only(aws):
    job = aws.job(aws.pool()["Id"])
    response = requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, "Origin": "https://x.example"}, timeout=30)
    assert response.status_code == 200 and response.content == b""
    assert response.headers["ETag"] == f'"{hashlib.md5(JOHN.encode()).hexdigest()}"'
    assert response.headers["x-amz-server-side-encryption"] == "aws:kms"
    assert re.fullmatch(r"[0-9A-F]{16}", response.headers["x-amz-request-id"])
    assert re.fullmatch(r"[A-Za-z0-9+/]{75}=", response.headers["x-amz-id-2"])  # base64 of 56 bytes, as S3's
    assert "Access-Control-Allow-Origin" not in response.headers  # moto's Flask app adds it
    assert "html" not in response.headers.get("Content-Type", "")
    if aws.endpoint is not None:  # (under mock_aws the responses library adds text/plain)
        assert "Content-Type" not in response.headers


@pytest.mark.parametrize(
    "content_type",
    [None, "text/csv", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream"],
)
def test_any_content_type_is_stored_byte_for_byte(aws, content_type):
    """curl --data-binary sends form-encoded: moto's dispatcher would parse (and, on the
    server, read under its lock) such a body; an upload is bytes whatever it claims to be."""
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"])
    body = (HEADER + "zoë,zoe@example.com,true\n" + "a=b&c=d,x@example.com,true\n").encode()
    headers = {**SSE, **({"Content-Type": content_type} if content_type else {})}
    response = requests.put(job["PreSignedUrl"], data=body, headers=headers, timeout=30)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    done = start_and_describe(idp, job)
    assert (done["ImportedUsers"], done["FailedUsers"]) == (2, 0)
    assert usernames(idp, pool["Id"]) == ["a=b&c=d", "zoë"]


def test_a_latin_1_form_encoded_file_is_stored_as_sent_and_fails_the_job_at_start(aws):
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    body = (HEADER + "zoë,zoe@example.com,true\n").encode("latin-1")
    headers = {**SSE, "Content-Type": "application/x-www-form-urlencoded"}
    response = requests.put(job["PreSignedUrl"], data=body, headers=headers, timeout=30)
    assert (response.status_code, response.headers["ETag"]) == (200, f'"{hashlib.md5(body).hexdigest()}"')
    done = start_and_describe(idp, job)
    assert (done["Status"], done["CompletionMessage"]) == ("Failed", "The CSV file is not valid UTF-8.")


def test_a_repeated_query_parameter_is_a_signature_mismatch(aws):
    """``X-Amz-Signature=000...&X-Amz-Signature=<valid>`` was accepted [OURS: refused though
    S3 reads a repeated parameter's first value, aws/aws-sdk-go#1495]. A repeat is refused
    before any parameter is read: a malformed copy ahead of the signed one (``X-Amz-Expires=
    never&...``) got the 400 of a malformed parameter, not the 403 of a repeat (issue 12)."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    url = job["PreSignedUrl"]
    signature = query_of(url)["X-Amz-Signature"]
    base, query = url.split("?", 1)
    for name, value in [
        ("X-Amz-Signature", "0" * 64), ("X-Amz-Signature", signature), ("X-Amz-Expires", "899"),
        ("X-Amz-Date", ""), ("X-Amz-Expires", "never"), ("X-Amz-Expires", "1"), ("X-Amz-Algorithm", "AWS4-HMAC-SHA1"),
        ("X-Amz-Credential", "x"), ("X-Amz-SignedHeaders", "host;x"), ("X-Amz-Security-Token", "other"),
    ]:
        for repeated in (
            url.replace("X-Amz-Signature=", f"{name}={value}&X-Amz-Signature="), f"{url}&{name}={value}",
            f"{base}?{name}={value}&{query}",
        ):
            assert s3_error(aws.upload(repeated, JOHN)) == MISMATCH, repeated
    assert_nothing_stored(idp, job)


def test_a_key_spelt_with_percent_escapes_is_the_signed_key(aws):
    """S3 signs the key, not its spelling: it decodes the path and encodes it again (a real
    SignatureDoesNotMatch shows the path re-encoded, aws/aws-sdk-js#853). ``%2F`` for a
    slash of the key was 403 AccessDenied (``%5F`` for ``_`` 403 SignatureDoesNotMatch, in
    server mode: HTTP libraries unescape it before sending)."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    url = job["PreSignedUrl"]
    pool_id = url.split("?")[0].split("/")[-2]
    for escaped in (url.replace(f"/{pool_id}", f"%2F{pool_id}"), url.replace(f"/{pool_id}/", f"/{pool_id}%2f")):
        response = aws.upload(escaped, JOHN)
        assert (response.status_code, response.headers["ETag"]) == (200, f'"{hashlib.md5(JOHN.encode()).hexdigest()}"')
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


@server_only
def test_a_key_spelt_with_escaped_unreserved_characters_is_the_signed_key(aws):
    """As above, for what HTTP libraries unescape before sending: ``_`` as ``%5F``, ``-`` as
    ``%2d`` (RFC 3986 6.2.2.2), in the key and in the bucket's name."""
    job = aws.job(aws.pool()["Id"])
    base, _, query = job["PreSignedUrl"].partition("?")
    head = f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {len(JOHN)}\r\n"
    for escaped in (base.replace("_", "%5F"), base.replace("-", "%2d"), base.replace("import-iad", "import%2Diad")):
        assert escaped != base
        assert _raw_request(f"{escaped}?{query}", head, JOHN.encode()) == (200, b""), escaped
    assert start_and_describe(aws.idp, job)["ImportedUsers"] == 1


@server_only
def test_an_http_1_1_put_without_a_host_is_refused_and_stores_nothing(aws):
    """HTTP/1.1 requires a Host header: a server MUST answer 400 without one (RFC 9112 3.2).
    The fake took the address the request reached, which is the signed host, and stored the
    file. An HTTP/1.0 request has no Host to send: it still gets that address."""
    job = aws.job(aws.pool()["Id"])
    head = f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {len(JOHN)}\r\n"
    status, answer = _raw_request(job["PreSignedUrl"], head, JOHN.encode(), host="-")
    assert (status, ElementTree.fromstring(answer).findtext("Code")) == (400, "InvalidURI")
    assert_nothing_stored(aws.idp, job)
    assert _raw_request(job["PreSignedUrl"], head, JOHN.encode(), host="-", version="HTTP/1.0") == (200, b"")
    assert start_and_describe(aws.idp, job)["ImportedUsers"] == 1


def _raw_request(
    url: str, head: str, body: bytes = b"", close_write: bool = False, absolute: bool = False,
    host: str | None = None, version: str = "HTTP/1.1",
) -> tuple[int, bytes]:
    """Send ``head`` (request line and headers for ``url``'s path, or for the whole ``url``
    when ``absolute``) and ``body`` over a socket, as no HTTP library would; return the
    status and the response body. ``host`` replaces the Host header's value ("-": none)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        target = url if absolute else parts.path + "?" + parts.query
        host = parts.netloc if host is None else host
        host_line = "" if host == "-" else f"Host: {host}\r\n"
        connection.sendall(f"PUT {target} {version}\r\n{host_line}{head}\r\n".encode("latin-1") + body)
        if close_write:
            connection.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, response.read()


def _aws_chunked(data: bytes, sizes: list[int], signed: bool) -> bytes:
    """``data`` framed as an SDK streams it (S3 API reference, "Transferring Payload in
    Multiple Chunks"): chunks with signatures, or unsigned chunks and a checksum trailer."""
    extension = ";chunk-signature=" + "0" * 64 if signed else ""
    framed, offset = b"", 0
    for size in [*sizes, len(data) - sum(sizes)]:
        framed += f"{size:x}{extension}\r\n".encode() + data[offset:offset + size] + b"\r\n"
        offset += size
    return framed + f"0{extension}\r\n".encode() + (b"\r\n" if signed else b"x-amz-checksum-crc32:AAAAAA==\r\n\r\n")


def test_an_aws_chunked_body_is_refused_as_s3_refuses_it_on_this_url(aws):
    """An SDK streaming an upload frames it aws-chunked and gives the file's size in
    ``x-amz-decoded-content-length``: a header a PreSignedUrl did not sign, which S3 refuses
    (403 HeadersNotSigned); without a number there, 411 MissingContentLength
    (versity/versitygw#1656 compares with S3). The fake decoded and stored both."""
    job = aws.job(aws.pool()["Id"])
    for sha256, signed in (("STREAMING-UNSIGNED-PAYLOAD-TRAILER", False), ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", True)):
        headers = {
            **SSE, "Content-Encoding": "aws-chunked", "x-amz-content-sha256": sha256,
            "x-amz-decoded-content-length": str(len(JOHN)),
        }
        body = _aws_chunked(JOHN.encode(), [10, 1], signed)
        response = requests.put(job["PreSignedUrl"], data=body, headers=headers, timeout=30)
        assert s3_error(response) == (403, "AccessDenied", NOT_SIGNED), sha256
        assert ElementTree.fromstring(response.content).findtext("HeadersNotSigned") == "x-amz-decoded-content-length"
    body = _aws_chunked(JOHN.encode(), [10], False)
    for decoded in (None, "abc", "", "-1", "9" * 19, "9" * 5000):  # (past 64 bits: none, as for Content-Length)
        headers = {**SSE, "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}
        if decoded is not None:
            headers["x-amz-decoded-content-length"] = decoded
        response = requests.put(job["PreSignedUrl"], data=body, headers=headers, timeout=30)
        assert s3_error(response) == (411, "MissingContentLength", "You must provide the Content-Length HTTP header."), decoded
    assert_nothing_stored(aws.idp, job)


def test_a_header_section_over_8_kb_is_s3s_400_and_stores_nothing(aws):
    """S3 answers a request whose headers exceed 8 KB ``RequestHeaderSectionTooLarge`` with
    ``MaxSizeAllowed`` 8192 (versity/versitygw#2180 quotes S3's answer to a 9,000-byte
    header). The fake stored the file."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    response = requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, "X-Pad": "a" * 9000}, timeout=30)
    assert s3_error(response) == (
        400, "RequestHeaderSectionTooLarge", "Your request header section exceeds the maximum allowed size."
    )
    assert ElementTree.fromstring(response.content).findtext("MaxSizeAllowed") == "8192"
    # Content-Type too, which WSGI keeps apart from the other headers (the server counted it not).
    response = requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, "Content-Type": "text/" + "a" * 9000}, timeout=30)
    assert s3_error(response)[:2] == (400, "RequestHeaderSectionTooLarge")
    assert_nothing_stored(idp, job)
    assert requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, "X-Pad": "a" * 7000}, timeout=30).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


NOT_SIGNED = "There were headers present in the request which were not signed"


def test_a_header_the_url_did_not_sign_is_s3s_access_denied_and_stores_nothing(aws):
    """A PreSignedUrl signs ``host`` and the SSE header; S3 refuses any other ``x-amz-*``
    header (but ``x-amz-content-sha256``), whatever its value, before the signature and any
    checksum: 403 AccessDenied naming them (an ACL: odysseyscience/react-s3-uploader#110;
    SSE-C headers, comma-separated: aws/aws-sdk-js#896; a correct CRC-32:
    floci-io/floci#4150), and ``host`` when the URL does not sign it (aws/aws-sdk-java#1680).
    The fake stored the file, an ACL, a copy source or a checksum beside it."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    crc32 = _b64(zlib.crc32(JOHN.encode()).to_bytes(4, "big"))
    cases = [
        (job["PreSignedUrl"], {"x-amz-acl": "public-read"}, "x-amz-acl"),
        (job["PreSignedUrl"], {"X-Amz-Tagging": "a=b", "x-amz-meta-a": "b"}, "x-amz-meta-a, x-amz-tagging"),
        (job["PreSignedUrl"], {"x-amz-checksum-crc32": crc32}, "x-amz-checksum-crc32"),
        (job["PreSignedUrl"], {"x-amz-sdk-checksum-algorithm": "CRC32"}, "x-amz-sdk-checksum-algorithm"),
        (job["PreSignedUrl"], {"x-amz-copy-source": "/bucket/key", "x-amz-security-token": "t"},
         "x-amz-copy-source, x-amz-security-token"),
        (with_query(job["PreSignedUrl"], {"X-Amz-SignedHeaders": "host"}), {}, "x-amz-server-side-encryption"),
        (with_query(job["PreSignedUrl"], {"X-Amz-SignedHeaders": "x-amz-server-side-encryption"}), {}, "host"),
    ]
    for url, headers, named in cases:
        response = requests.put(url, data=JOHN, headers={**SSE, **headers}, timeout=30)
        assert s3_error(response) == (403, "AccessDenied", NOT_SIGNED), headers
        assert ElementTree.fromstring(response.content).findtext("HeadersNotSigned") == named
    assert_nothing_stored(idp, job)
    unsigned_payload = {**SSE, "x-amz-content-sha256": "UNSIGNED-PAYLOAD"}  # the one S3 takes unsigned
    assert requests.put(job["PreSignedUrl"], data=JOHN, headers=unsigned_payload, timeout=30).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


def test_a_content_length_of_thousands_of_digits_is_read_not_a_500(aws):
    """``int()`` refuses more than 4,300 digits (Python 3.11+): a Content-Length padded with
    zeros, or one no 64-bit length holds, was an HTML 500 (a ValueError under mock_aws). The
    padded length is the length; the other is none (411, as for any value that is no length).
    (moto 5.2.1's mock hands over a request rebuilt from the body, with the body's own length:
    a 200 there.)"""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    session = requests.Session()
    for length, status in (("9" * 5000, 411), (str(2**63), 411), ("0" * 5000 + str(len(JOHN)), 200)):
        request = session.prepare_request(requests.Request("PUT", job["PreSignedUrl"], data=JOHN, headers=SSE))
        request.headers["Content-Length"] = length
        answer = session.send(request, timeout=30).status_code
        assert answer in ({status} if aws.endpoint else {status, 200}), length[-30:]
        if answer != 200:
            assert_nothing_stored(idp, job)
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


@server_only
def test_http_framing_errors_get_s3s_answers_and_store_nothing(aws):
    """No Content-Length and not chunked: S3's 411 (apache/arrow-rs#4514); a malformed chunk or
    a body shorter than its Content-Length: 400 IncompleteBody (aws-sdk-java-v2#2908), not
    Flask's HTML 500 or an empty file."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    url, sse = job["PreSignedUrl"], "x-amz-server-side-encryption: aws:kms\r\n"
    cases = {
        "no-length": (sse, b"", False, 411, "MissingContentLength", "You must provide the Content-Length HTTP header."),
        "bad-chunk": (sse + "Transfer-Encoding: chunked\r\n", b"zz\r\nabc\r\n0\r\n\r\n", False, 400, "IncompleteBody",
                      "The request body terminated unexpectedly"),
        "short-body": (sse + "Content-Length: 1000\r\n", JOHN.encode(), True, 400, "IncompleteBody",
                       "The request body terminated unexpectedly"),
        # A client gone mid-way through a chunk over 1 MiB: werkzeug's chunk reader shrank the
        # read buffer and the server process died (SIGSEGV), with every pool in it.
        "cut-mid-chunk": (sse + "Transfer-Encoding: chunked\r\n", b"ffffff\r\n" + JOHN.encode(), True, 400,
                          "IncompleteBody", "The request body terminated unexpectedly"),
        # "²" passes str.isdigit and then failed int(): an HTML 500. Not a length at all.
        "superscript-length": (sse + "Content-Length: \xb2\r\n", b"", False, 411, "MissingContentLength",
                               "You must provide the Content-Length HTTP header."),
        # Over S3's 5 GiB for one PUT: refused at once (the server waited 20 s for the body).
        "over-5-gib": (sse + "Content-Length: 6000000000\r\n", b"", False, 400, "EntityTooLarge",
                       "Your proposed upload exceeds the maximum allowed size"),
    }
    for case, (head, body, close_write, status, code, message) in cases.items():
        answer_status, answer = _raw_request(url, head, body, close_write)
        root = ElementTree.fromstring(answer)
        assert (answer_status, root.findtext("Code"), root.findtext("Message")) == (status, code, message), case
        if code == "EntityTooLarge":
            assert (root.findtext("ProposedSize"), root.findtext("MaxSizeAllowed")) == ("6000000000", str(5 * 1024**3))
    assert_nothing_stored(idp, job)
    answer_status, _ = _raw_request(url, sse + "Transfer-Encoding: chunked\r\n", f"{len(JOHN):x}\r\n{JOHN}\r\n0\r\n\r\n".encode())
    assert answer_status == 200  # a well-formed chunked body (curl -T - sends one) is kept
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


@server_only
def test_a_chunked_body_with_extensions_and_trailer_fields_is_kept_byte_for_byte(aws):
    """HTTP/1.1 lets a chunk carry extensions, which a recipient ignores, and the body end in
    trailer fields (RFC 9112, 7.1.1-7.1.2); S3 takes both. werkzeug's chunk reader refused
    them: 400 IncompleteBody for a valid upload. A chunk longer than its size, a size that is
    no number, or a trailer section that never ends is still IncompleteBody."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    head = "x-amz-server-side-encryption: aws:kms\r\nTransfer-Encoding: chunked\r\n"
    data = JOHN.encode()
    first, rest = data[:7], data[7:]
    for broken in (
        b"%x\r\n%s\r\n0\r\n\r\n" % (len(first), first + b"!"),  # longer than its size
        b";x=1\r\n%s\r\n0\r\n\r\n" % data,  # no size before the extension
        b"%x\r\n%s\r\n0\r\n" % (len(data), data) + b"X-T: 1\r\n" * 200 + b"\r\n",  # too many trailer lines
        b"%x\r\n%s\r\n0\r\nno field\r\n\r\n" % (len(data), data),  # a trailer line that is no field
        b"%x\r\n%s\r\r\r\n0\r\n\r\n" % (len(data), data),  # CRs after a chunk are data past its size
    ):
        status, answer = _raw_request(job["PreSignedUrl"], head, broken, close_write=True)
        assert (status, ElementTree.fromstring(answer).findtext("Code")) == (400, "IncompleteBody"), broken
    assert_nothing_stored(idp, job)
    body = (
        b"%x;name=value;other\r\n%s\r\n" % (len(first), first)
        + b"%X ; ext=\"quoted\"\r\n%s\r\n" % (len(rest), rest)
        + b"0;last=1\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n"
    )
    status, _ = _raw_request(job["PreSignedUrl"], head, body)
    assert status == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


def test_a_read_of_no_bytes_of_a_chunked_body_reads_no_chunk():
    """``read(0)`` read the next chunk's size line, then took the chunk for cut short."""
    from werkzeug.serving import DechunkedInput

    from moto_cognito_import.upload.chunked import Chunks

    chunks = Chunks(DechunkedInput(io.BufferedReader(io.BytesIO(b"3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"))))
    assert (chunks.read(0), chunks.read(), chunks.read()) == (b"", b"abc", b"")


@server_only
def test_white_space_after_a_content_length_is_not_part_of_it(aws):
    """RFC 9110 5.5: a field value's trailing white space is not part of it. Python's HTTP
    server keeps it, and ``"66 "`` was no length: 411 MissingContentLength, nothing stored."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    head = f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {len(JOHN)} \t\r\n"
    assert _raw_request(job["PreSignedUrl"], head, JOHN.encode())[0] == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


@server_only
def test_a_host_header_that_names_no_host_is_s3s_invalid_uri_and_an_empty_one_is_not_the_signed_host(aws):
    """A Host of ``[``, ``a:b:c`` or a port over 65535 reached the signature check unparsed: an
    HTML 500. S3 answers a request it cannot parse 400 InvalidURI "Couldn't parse the specified
    URI." (S3 API reference, "Error responses"). An empty Host was taken for the server's own
    address and the file stored; it is not the host signed: 403."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    head = f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {len(JOHN)}\r\n"
    netloc = urlsplit(job["PreSignedUrl"]).netloc
    # "/", "?", "#" and "@" end a URL's host: the rest was read as a path (moto's S3 answered
    # 404 NoSuchBucket) or as user information (the signed host: a 200).
    for host in ("[", "a:b:c", "127.0.0.1:99999", "a/b", "/", "?", "#", f"{netloc}/", f"x@{netloc}", "a b"):
        status, answer = _raw_request(job["PreSignedUrl"], head, JOHN.encode(), host=host)
        root = ElementTree.fromstring(answer)
        assert (status, root.findtext("Code"), root.findtext("Message")) == (
            400, "InvalidURI", "Couldn't parse the specified URI."
        ), host
    status, answer = _raw_request(job["PreSignedUrl"], head, JOHN.encode(), host="")
    assert (status, ElementTree.fromstring(answer).findtext("Code")) == (403, "SignatureDoesNotMatch")
    assert_nothing_stored(idp, job)


@server_only
def test_a_server_reached_by_any_host_name_gets_a_working_upload_url(aws):
    """The PreSignedUrl names the host the client used, and an upload through it is kept:
    - ``moto_server`` (a docker-compose service): werkzeug's ``request.host`` is "" for a Host
      with an underscore, and the URL came out as ``http:/aws-cognito-...``;
    - ``moto.example.com``: moto's S3 reads a dotted host as a virtual-hosted bucket ("moto"),
      so the upload went there (404 NoSuchBucket, or into a user's own bucket of that name);
    - ``evilamazonaws.com`` was taken for an AWS host: the URL pointed at real S3.
    A Host no URL can carry (a space) gets the address the server answered on."""
    idp, pool_id = aws.idp, aws.pool()["Id"]
    aws.client("s3").create_bucket(Bucket="moto")  # a user's own bucket named like the host's first label
    port = urlsplit(aws.endpoint).port
    body = {"JobName": "j", "UserPoolId": pool_id, "CloudWatchLogsRoleArn": aws.existing_role()}
    headers = {
        "X-Amz-Target": "AWSCognitoIdentityProviderService.CreateUserImportJob",
        "Content-Type": "application/x-amz-json-1.1",
    }
    head = f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {len(JOHN)}\r\n"
    hosts = {f"{name}:{port}": f"{name}:{port}" for name in ("moto_server", "moto.example.com", "evilamazonaws.com")}
    # (A port over 65535 or not a number is one too on werkzeug 3.1; 3.0, the lowest moto's,
    # fails on it before moto or the plugin sees the request.)
    hosts["a b"] = f"127.0.0.1:{port}"
    for sent, named in hosts.items():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", "/", json.dumps(body), headers={**headers, "Host": sent})
        job = json.loads(connection.getresponse().read())["UserImportJob"]
        assert job["PreSignedUrl"].startswith(f"http://{named}/aws-cognito-idp-user-import-"), (sent, job)
        local_url = job["PreSignedUrl"].replace(named, f"127.0.0.1:{port}")
        assert _raw_request(local_url, head, JOHN.encode(), host=named)[0] == 200, sent
        assert start_and_describe(idp, job)["ImportedUsers"] == 1, sent
        idp.admin_delete_user(UserPoolId=pool_id, Username="john")
    assert aws.client("s3").list_objects_v2(Bucket="moto").get("KeyCount") == 0


@server_only
def test_a_users_virtual_hosted_bucket_keeps_keys_shaped_like_a_job_s(aws):
    """On a dotted host no PreSignedUrl was signed for, moto's S3 reads the host as the
    user's bucket ("mine"), whose keys may look like Cognito's: the PUT is the user's, stored
    by moto's S3, not refused as an upload. A real job's URL sent through that host is the
    upload (S3's 403 SignatureDoesNotMatch: the host is signed), not a 200 into "mine"; after
    a reset no URL names a job, and the user's bucket gets that key too."""
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="mine")
    port = urlsplit(aws.endpoint).port
    job_url = aws.job(aws.pool()["Id"])["PreSignedUrl"]
    made_up = f"aws-cognito-idp-user-import-iad/{ACCOUNT}/us-east-1_abc/import-AbCdEf1234"
    head, host = f"Content-Length: {len(JOHN)}\r\n", f"mine.example.net:{port}"
    assert _raw_request(f"http://127.0.0.1:{port}/{made_up}", head, JOHN.encode(), host=host)[0] == 200
    assert s3.get_object(Bucket="mine", Key=made_up)["Body"].read() == JOHN.encode()
    status, answer = _raw_request(job_url, "x-amz-server-side-encryption: aws:kms\r\n" + head, JOHN.encode(), host=host)
    assert (status, ElementTree.fromstring(answer).findtext("Code")) == (403, "SignatureDoesNotMatch")
    requests.post(f"{aws.endpoint}/moto-api/reset", timeout=30).raise_for_status()
    s3.create_bucket(Bucket="mine")
    job_key = urlsplit(job_url).path[1:]
    assert _raw_request(f"http://127.0.0.1:{port}/{job_key}", head, JOHN.encode(), host=host)[0] == 200
    assert s3.get_object(Bucket="mine", Key=job_key)["Body"].read() == JOHN.encode()


def test_a_host_no_url_can_carry_gets_the_servers_own_address():
    """The rule itself, for what werkzeug 3.0 refuses before it (a port over 65535)."""
    environ = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "5000"}
    longer_than_dns_allows = ".".join(["a" * 63] * 40)  # a PreSignedUrl over the model's 2,048
    for host in ("moto_server:99999", "h:0x1f", "", "a@b", "a b", None, longer_than_dns_allows):
        assert _url_base(environ, "http://127.0.0.1:5000/", host) == "http://127.0.0.1:5000", host
    assert _url_base({"SERVER_NAME": "::1", "SERVER_PORT": "5000"}, "http://[::1]:5000/", "x y") == "http://[::1]:5000"
    assert _url_base(environ, "http://127.0.0.1:5000/", "Moto.Example.COM.:5000") == "http://Moto.Example.COM.:5000"
    longest = ".".join(["a" * 63] * 3 + ["a" * 61]) + "."
    assert _url_base(environ, "http://127.0.0.1:5000/", longest) == f"http://{longest}"
    assert _url_base(environ, "https://cognito-idp.us-east-1.amazonaws.com/", None) is None


class _FullDisk:
    """A spill file on a full disk: every write fails as the OS would."""

    def __init__(self, file: Any):
        self.file = file

    def write(self, _data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self) -> None:
        self.file.close()


def _unwritable(**_: Any) -> tuple[int, str]:
    raise PermissionError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize("fault", ["disk full", "unwritable directory"])
def test_a_disk_error_while_keeping_an_upload_is_s3s_internal_error_and_keeps_nothing(
    in_process, monkeypatch, caplog, fault
):
    """A file past the memory budget spills to disk; a full disk or an unwritable temporary
    directory there got Flask's HTML 500 and a traceback. S3's answer to its own failure is 500
    InternalError, which SDKs retry ("Error responses", S3 API reference); nothing is kept, and
    a later upload, once the disk is back, is."""
    aws = in_process
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    monkeypatch.setattr(settings, "SPOOL_BYTES", 16)
    if fault == "disk full":
        monkeypatch.setattr(storage.os, "fdopen", lambda *args: _FullDisk(open(*args)))  # noqa: SIM115
    else:
        monkeypatch.setattr(storage.tempfile, "mkstemp", _unwritable)
    held = MEMORY_HELD.total
    assert s3_error(aws.upload(job["PreSignedUrl"], JOHN)) == (
        500, "InternalError", "We encountered an internal error. Please try again."
    )
    assert MEMORY_HELD.total == held
    assert "could not be kept on disk" in caplog.text
    assert_nothing_stored(idp, job)
    monkeypatch.undo()
    assert aws.upload(job["PreSignedUrl"], JOHN).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


def test_a_body_that_stops_short_on_an_open_connection_gets_s3s_request_timeout(
    cognito_import_server, monkeypatch, caplog
):
    """Fewer bytes than the Content-Length, and the connection kept open: no answer ever came
    (a server thread held for good). S3 answers 400 RequestTimeout once the client has sent
    nothing for 20 s (AWS knowledge center, "s3-socket-connection-timeout-error";
    aws-sdk-js#281). The plugin's in-process server, so that the wait can be shortened and its
    log read: werkzeug's read of the rest of the body logged a traceback."""
    monkeypatch.setattr(settings, "IDLE_CONNECTION_SECONDS", 0.2)
    aws = Harness("server", cognito_import_server)
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    head = "x-amz-server-side-encryption: aws:kms\r\nContent-Length: 1000\r\n"
    for framing, body in ((head, JOHN.encode()), (head.replace("Content-Length: 1000", "Transfer-Encoding: chunked"),
                                                   f"{len(JOHN) + 10:x}\r\n{JOHN}".encode())):
        status, answer = _raw_request(job["PreSignedUrl"], framing, body)
        root = ElementTree.fromstring(answer)
        assert (status, root.findtext("Code"), root.findtext("Message")) == (
            400, "RequestTimeout",
            "Your socket connection to the server was not read from or written to within the timeout period."
            " Idle connections will be closed.",
        ), framing
    assert_nothing_stored(idp, job)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_client_that_stalls_after_an_early_answer_is_let_go(cognito_import_server, monkeypatch):
    """A refused upload is answered before its body is read; werkzeug then reads the rest, and
    a client that stopped sending mid-body held that server thread for good. Now the idle
    limit ends it: the server closes the connection."""
    monkeypatch.setattr(settings, "IDLE_CONNECTION_SECONDS", 0.2)
    aws = Harness("server", cognito_import_server)
    job = aws.job(aws.pool()["Id"])
    url = with_query(job["PreSignedUrl"], {"X-Amz-Signature": "0" * 64})
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        head = f"PUT {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        connection.sendall(f"{head}x-amz-server-side-encryption: aws:kms\r\nContent-Length: 1000\r\n\r\n".encode())

        def trickle() -> None:  # 100 of the 1,000 bytes while werkzeug reads the rest, then nothing
            for _ in range(100):
                try:
                    connection.sendall(b"x")
                except OSError:  # closed already (a slow machine paused this thread past the limit)
                    return
                threading.Event().wait(0.005)  # a slow client's pace, not waiting for time to pass

        sender = threading.Thread(target=trickle)
        sender.start()
        response = http.client.HTTPResponse(connection)
        response.begin()
        assert (response.status, ElementTree.fromstring(response.read()).findtext("Code")) == (403, "SignatureDoesNotMatch")
        sender.join()
        assert connection.recv(1) == b""  # closed by the server (a timeout here: the thread was still held)


@server_only
def test_an_absolute_form_request_target_is_the_same_request(aws):
    """RFC 9112 3.2.2: a server MUST accept ``PUT http://host/path?query`` (what a client that
    takes the server for a proxy sends). The upload answered 200 from moto's own S3 and the job
    never had the file; Cognito's bucket could be created in the user's S3 that way."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    status, _ = _raw_request(job["PreSignedUrl"], f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {len(JOHN)}\r\n",
                             JOHN.encode(), absolute=True)
    assert status == 200
    bucket = f"{aws.endpoint}/aws-cognito-idp-user-import-iad"
    status, answer = _raw_request(bucket, "Content-Length: 0\r\n", absolute=True)
    assert (status, ElementTree.fromstring(answer).findtext("Code")) == (403, "AccessDenied")
    assert aws.client("s3").list_buckets()["Buckets"] == []
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


@server_only
def test_chunks_win_over_a_content_length(aws):
    """RFC 9112 6.3: with Transfer-Encoding chunked, Content-Length is ignored. The first 40
    bytes of the file were stored and answered 200."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    both = JOHN + "jane,jane@example.com,true\n"
    head = "x-amz-server-side-encryption: aws:kms\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n"
    status, _ = _raw_request(job["PreSignedUrl"], head, f"{len(both):x}\r\n{both}\r\n0\r\n\r\n".encode())
    assert status == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 2


@server_only
def test_a_transfer_coding_other_than_chunked_is_s3s_501_and_stores_nothing(aws):
    """S3 implements no transfer coding (knox#43 quotes its 501); the fake takes plain chunked
    (README). ``gzip, chunked`` was de-chunked and the compressed bytes stored: 200, and the
    job then failed ("not valid UTF-8")."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    compressed = gzip.compress(JOHN.encode())
    framed = f"{len(compressed):x}\r\n".encode() + compressed + b"\r\n0\r\n\r\n"
    sse = "x-amz-server-side-encryption: aws:kms\r\n"
    for head, body in [
        ("Transfer-Encoding: gzip, chunked\r\n", framed),
        (f"Transfer-Encoding: gzip\r\nContent-Length: {len(compressed)}\r\n", compressed),
        (f"Transfer-Encoding: identity\r\nContent-Length: {len(JOHN)}\r\n", JOHN.encode()),
    ]:
        status, answer = _raw_request(job["PreSignedUrl"], sse + head, body)
        error = ElementTree.fromstring(answer)
        assert (status, error.findtext("Code"), error.findtext("Message"), error.findtext("Header")) == (
            501, "NotImplemented", "A header you provided implies functionality that is not implemented",
            "Transfer-Encoding",
        ), head
    assert_nothing_stored(idp, job)


def test_a_body_unlike_its_declared_sha256_is_s3s_400_and_stores_nothing(aws):
    """``x-amz-content-sha256`` declares the body's digest, and S3 checks it against what it
    received (lua-resty-aws#2 and postman-app-support#3680 quote the 400); a value that is no
    digest and no payload mode is 400 InvalidArgument (versity/versitygw#1352 quotes S3). A
    right digest, in either case, is stored."""
    idp, pool_id = aws.idp, aws.pool()["Id"]
    job = aws.job(pool_id)
    wrong, right = "0" * 64, hashlib.sha256(JOHN.encode()).hexdigest()
    response = requests.put(
        job["PreSignedUrl"], data=JOHN, headers={**SSE, "x-amz-content-sha256": wrong}, timeout=30
    )
    error = ElementTree.fromstring(response.content)
    assert s3_error(response) == (
        400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed."
    )
    assert (error.findtext("ClientComputedContentSHA256"), error.findtext("S3ComputedContentSHA256")) == (wrong, right)
    response = requests.put(
        job["PreSignedUrl"], data=JOHN, headers={**SSE, "x-amz-content-sha256": "GIBBERISH"}, timeout=30
    )
    assert s3_error(response)[:2] == (400, "InvalidArgument")
    assert response.text.count("STREAMING-") == 5 and "<ArgumentValue>GIBBERISH</ArgumentValue>" in response.text
    assert_nothing_stored(idp, job)
    for declared in (right, right.upper(), "UNSIGNED-PAYLOAD"):
        job = aws.job(pool_id)
        response = requests.put(
            job["PreSignedUrl"], data=JOHN, headers={**SSE, "x-amz-content-sha256": declared}, timeout=30
        )
        assert response.status_code == 200, response.text
        assert start_and_describe(idp, job)["ImportedUsers"] == 1
        idp.admin_delete_user(UserPoolId=pool_id, Username="john")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_a_file_unlike_its_content_md5_is_s3s_bad_digest_and_stores_nothing(aws):
    """S3 checks a declared Content-MD5 against the object it received: BadDigest with the
    digests (versity/versitygw#2034, dandi/dandi-cli#1257 quote S3). A value that is no MD5 is
    refused before the body: InvalidDigest (ceph/s3-tests). The fake stored any of them."""
    idp, pool_id = aws.idp, aws.pool()["Id"]
    job = aws.job(pool_id)
    md5, jane_md5 = hashlib.md5(JOHN.encode()).digest(), hashlib.md5(JANE.encode()).digest()
    cases = [
        ({"Content-MD5": _b64(jane_md5)}, (400, "BadDigest", "The Content-MD5 you specified did not match what we received.")),
        ({"Content-MD5": "not base64!"}, (400, "InvalidDigest", "The Content-MD5 you specified was invalid.")),
        ({"Content-MD5": _b64(md5[:8])}, (400, "InvalidDigest", "The Content-MD5 you specified was invalid.")),
    ]
    for headers, expected in cases:
        response = requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, **headers}, timeout=30)
        assert s3_error(response) == expected, headers
    error = ElementTree.fromstring(
        requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, "Content-MD5": _b64(jane_md5)}, timeout=30).content
    )
    assert (error.findtext("CalculatedDigest"), error.findtext("ExpectedDigest")) == (_b64(md5), jane_md5.hex())
    assert_nothing_stored(idp, job)
    response = requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, "Content-MD5": _b64(md5)}, timeout=30)
    assert response.status_code == 200, response.text
    assert not [name for name in response.headers if name.lower().startswith("x-amz-checksum-")]
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


def test_an_authorization_header_beside_the_url_s_signature_is_s3s_invalid_argument(aws):
    """A request is signed one way: an HTTP client's basic auth, or an interceptor adding a
    bearer token to every request, beside a pre-signed URL is S3's 400 (catalyst/
    moodle-tool_objectfs#303 quotes it; request/request#860). The fake stored the file."""
    job = aws.job(aws.pool()["Id"])
    for authorization in ("Bearer abc", "Basic dXNlcjpwYXNz", f"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/{REGION}/s3/aws4_request"):
        response = requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, "Authorization": authorization}, timeout=30)
        assert s3_error(response) == (
            400, "InvalidArgument",
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string "
            "parameter or the Authorization header should be specified",
        )
        error = ElementTree.fromstring(response.content)
        assert (error.findtext("ArgumentName"), error.findtext("ArgumentValue")) == ("Authorization", authorization)
    assert_nothing_stored(aws.idp, job)
    response = requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, "Authorization": ""}, timeout=30)
    assert response.status_code == 200, response.text  # an empty one is none


def test_create_bucket_of_cognito_s_bucket_is_s3s_bucket_already_exists(aws):
    """Cognito's bucket is another account's: S3 answers CreateBucket of its name 409 in every
    region ("Error responses", S3 API reference); the fake answered 403."""
    s3 = aws.client("s3")
    with pytest.raises(ClientError) as exc:
        s3.create_bucket(Bucket="aws-cognito-idp-user-import-iad")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert exc.value.response["Error"]["Code"] == "BucketAlreadyExists"
    assert exc.value.response["Error"]["BucketName"] == "aws-cognito-idp-user-import-iad"
    assert "aws-cognito-idp-user-import-iad" not in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]
    with pytest.raises(ClientError) as exc:  # another PUT of the bucket (a subresource) is no CreateBucket
        s3.put_bucket_policy(Bucket="aws-cognito-idp-user-import-iad", Policy="{}")
    assert exc.value.response["Error"]["Code"] == "AccessDenied"


def test_a_host_header_other_than_the_url_s_is_a_signature_mismatch_in_both_modes(aws):
    """The signature covers the Host header S3 receives; under ``mock_aws`` the URL's host was
    checked and the header ignored (a 200 where the server answered 403). The header names
    the same bucket: by S3's global host name, or the server's path-style URL on another host."""
    job = aws.job(aws.pool()["Id"])
    host = urlsplit(job["PreSignedUrl"]).hostname or ""
    others = (  # (the server's raw-socket twin: test_a_host_header_that_names_no_host_is_s3s_invalid_uri...)
        [("evil.example.com", MISMATCH)] if aws.endpoint is not None
        else [(host.replace(f".s3.{REGION}.", ".s3."), MISMATCH)]
    )
    for other, expected in others:
        response = requests.put(job["PreSignedUrl"], data=JOHN, headers={**SSE, "Host": other}, timeout=30)
        assert s3_error(response) == expected, other
    assert_nothing_stored(aws.idp, job)


def test_an_error_that_echoes_a_control_character_is_still_xml(aws):
    """XML 1.0 cannot hold U+0001 even escaped: the echoed value is written with U+FFFD, and
    every XML parser reads the answer (it raised "not well-formed")."""
    job = aws.job(aws.pool()["Id"])
    response = requests.put(with_query(job["PreSignedUrl"], {"X-Amz-Signature": "abc%01def"}), data=JOHN, headers=SSE, timeout=30)
    assert s3_error(response) == MISMATCH
    assert ElementTree.fromstring(response.content).findtext("SignatureProvided") == "abc\ufffddef"


@server_only
def test_a_slow_upload_stalls_no_other_client(aws):
    """The body of a form-encoded upload was read under moto's dispatcher lock: a 1-byte-per-
    0.2 s upload held up every other request. Here the upload waits, mid-body, until another
    client's Describe has been answered; if the server waited for the upload, Describe would
    time out."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    answered = threading.Event()

    class PausedBody(io.RawIOBase):
        """JOHN with a Content-Length, its second half sent once Describe was answered."""

        def __init__(self) -> None:
            self.parts = [JOHN.encode()[:10], JOHN.encode()[10:]]

        def __len__(self) -> int:
            return len(JOHN.encode())

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            if len(self.parts) == 1:
                assert answered.wait(timeout=20), "the Describe never came back"
            return self.parts.pop(0) if self.parts else b""

    headers = {**SSE, "Content-Type": "application/x-www-form-urlencoded"}
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        upload = pool.submit(requests.put, job["PreSignedUrl"], data=PausedBody(), headers=headers, timeout=30)
        quick = boto3.client("cognito-idp", region_name=REGION, endpoint_url=aws.endpoint,
                             config=Config(read_timeout=15, retries={"max_attempts": 0}))
        assert describe(quick, job)["Status"] == "Created"
        answered.set()
        assert upload.result().status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


def test_the_server_path_reads_any_upload_in_bounded_memory():
    """The WSGI path a server-mode upload takes, fed 120 MB: at most the 8 MB spool and a 1 MB
    chunk are in memory, whatever the Content-Type."""
    from moto_cognito_import.moto_glue import routes

    url = f"/aws-cognito-idp-user-import-iad/{ACCOUNT}/{REGION}_abc/import-abcdefghij"
    environ = {
        "REQUEST_METHOD": "PUT", "PATH_INFO": url, "QUERY_STRING": "", "HTTP_HOST": "127.0.0.1:5000",
        "wsgi.url_scheme": "http", "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(120 * 1024 * 1024), "wsgi.input": LazyBody(120 * 1024 * 1024),
    }
    received: list[Received] = []
    original = routes.http.authorize
    routes.http.cognito_buckets()  # botocore's endpoint data, loaded once per process: not the body's
    tracemalloc.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(routes.http, "authorize", lambda *args: REGION)  # no signature: the body is the point
            patch.setattr(routes, "_store", lambda target, region, body, check: received.append(body) or True)
            status, headers, _ = routes.answer_wsgi(environ)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert routes.http.authorize is original
    assert (status, received[0].size, received[0].file) == (200, 120 * 1024 * 1024, None)  # over 100 MB: nothing kept
    assert headers["ETag"] == f'"{environ["wsgi.input"].md5.hexdigest()}"'
    assert peak < 16 * 1024 * 1024


def test_the_url_works_until_15_minutes_then_s3_says_request_has_expired(aws):
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"])
    aws.advance(15 * 60 - 5)
    assert aws.upload(job["PreSignedUrl"], JOHN).status_code == 200
    aws.advance(5)
    response = aws.upload(job["PreSignedUrl"], JANE)
    assert s3_error(response) == EXPIRED
    root = ElementTree.fromstring(response.content)
    assert root.findtext("X-Amz-Expires") == "899"
    assert root.findtext("Expires") == signed_at(job["PreSignedUrl"], 899).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert start_and_describe(idp, job)["ImportedUsers"] == 1  # the earlier file, unchanged
    assert usernames(idp, pool["Id"]) == ["john"]


def test_s3_checks_expiry_before_the_signature(aws):
    """versity/versitygw#2116: S3 answers "Request has expired" for a URL whose X-Amz-Date was
    moved back after signing, so expiry is checked first; so is a late upload without the header."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    a_day_before = with_query(job["PreSignedUrl"], {"X-Amz-Date": signed_at(job["PreSignedUrl"], -86400).strftime("%Y%m%dT%H%M%SZ")})
    assert s3_error(aws.upload(a_day_before, JOHN)) == EXPIRED
    aws.advance(15 * 60)
    assert s3_error(aws.upload(job["PreSignedUrl"], JOHN, sse=None)) == EXPIRED
    assert_nothing_stored(idp, job)


def test_a_url_dated_over_15_minutes_ahead_is_not_yet_valid(aws):
    """S3 allows 15 minutes of clock skew, then answers AccessDenied "Request is not yet valid"
    with X-Amz-Date in epoch milliseconds (S3's answers quoted in minio/minio#2638 and
    dmjio/s3-signer#16), before it checks the signature."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    url = job["PreSignedUrl"]
    a_day_ahead = with_query(url, {"X-Amz-Date": signed_at(url, 86400).strftime("%Y%m%dT%H%M%SZ")})
    response = aws.upload(a_day_ahead, JOHN)
    assert s3_error(response) == (403, "AccessDenied", "Request is not yet valid")
    root = ElementTree.fromstring(response.content)
    epoch = datetime.datetime(1970, 1, 1)
    assert root.findtext("X-Amz-Date") == str(int((signed_at(url, 86400) - epoch).total_seconds()) * 1000)
    assert root.findtext("Expires") == signed_at(url, 86400 + 899).strftime("%Y-%m-%dT%H:%M:%SZ")
    in_year_9999 = with_query(url, {"X-Amz-Date": "99991231T235959Z"})  # was an HTTP 500 once
    assert s3_error(aws.upload(in_year_9999, JOHN)) == (403, "AccessDenied", "Request is not yet valid")
    assert_nothing_stored(idp, job)
    aws.advance(-(16 * 60))  # the clock that signed the URL was ahead of S3's
    assert s3_error(aws.upload(url, JOHN))[2] == "Request is not yet valid"
    aws.advance(2 * 60)  # 14 minutes ahead: within S3's allowance
    assert aws.upload(url, JOHN).status_code == 200


@server_only
def test_a_clock_at_the_start_of_time_answers_uploads_cleanly(aws):
    """The server's clock moved back to year 1: an upload with the longest expiry S3 allows
    was an HTTP 500 (year 1 minus a week overflows)."""
    job = aws.job(aws.pool()["Id"])
    now = datetime.datetime.fromisoformat(
        requests.get(f"{aws.endpoint}/moto-api/cognito-import/clock", timeout=10).json()["now"].rstrip("Z")
    )
    aws.advance((datetime.datetime(1, 1, 2) - now).total_seconds())
    week = with_query(job["PreSignedUrl"], {"X-Amz-Expires": "604800"})
    assert s3_error(aws.upload(week, JOHN)) == (403, "AccessDenied", "Request is not yet valid")


def test_a_url_made_before_the_year_1000_has_a_four_digit_year_and_works(aws):
    """X-Amz-Date is yyyyMMdd'T'HHmmss'Z' whatever the year: under a clock in year 1 the URL
    said ``X-Amz-Date=10101T...`` and its own upload was refused (AuthorizationQueryParametersError)."""
    base = aws.endpoint or "http://motoapi.amazonaws.com"
    now = datetime.datetime.fromisoformat(
        requests.get(f"{base}/moto-api/cognito-import/clock", timeout=10).json()["now"].rstrip("Z")
    )
    aws.advance((datetime.datetime(1, 1, 2) - now).total_seconds())
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    query = query_of(job["PreSignedUrl"])
    assert query["X-Amz-Date"].startswith("00010102T")
    assert query["X-Amz-Credential"].split("/")[1] == "00010102"
    assert aws.upload(job["PreSignedUrl"], JOHN).status_code == 200
    assert start_and_describe(idp, job)["ImportedUsers"] == 1


def test_a_started_job_refuses_uploads_and_imports_the_file_it_had(aws):
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"], JOHN)
    aws.hold_jobs()
    idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    assert s3_error(aws.upload(job["PreSignedUrl"], JANE)) == DENIED
    assert describe(idp, job)["Status"] == "Pending"
    aws.unset_transition()  # let the held job finish
    done = describe(idp, job)
    assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 1)
    assert usernames(idp, pool["Id"]) == ["john"]


def finished_jobs(aws: Any, pool_id: str) -> dict[str, dict[str, Any]]:
    """One job for each way a started job ends, each with a file uploaded before: {status: job}."""
    idp = aws.idp
    stopped = aws.job(pool_id, JOHN, name="stopped")
    aws.hold_jobs()
    idp.start_user_import_job(UserPoolId=pool_id, JobId=stopped["JobId"])
    idp.stop_user_import_job(UserPoolId=pool_id, JobId=stopped["JobId"])
    aws.unset_transition()
    jobs = {
        "Stopped": stopped,
        "Succeeded": aws.run(pool_id, JANE, name="succeeded"),
        "Failed": aws.run(pool_id, BAD_HEADER, name="failed"),
    }
    described = {status: describe(idp, job) for status, job in jobs.items()}
    assert {status: job["Status"] for status, job in described.items()} == {s: s for s in jobs}
    return described


def test_a_job_that_no_longer_takes_files_answers_access_denied(aws):
    idp, pool_id = aws.idp, aws.pool()["Id"]
    expiring = aws.job(pool_id, name="expiring")
    for status, job in finished_jobs(aws, pool_id).items():
        assert s3_error(aws.upload(job["PreSignedUrl"], JOHN)) == DENIED, status
    aws.advance(24 * 3600)  # an expired job's URL expired long before (after 15 minutes)
    assert describe(idp, expiring)["Status"] == "Expired"
    assert s3_error(aws.upload(expiring["PreSignedUrl"], JOHN)) == EXPIRED


# --- files over 100 MB -----------------------------------------------------------------------


@pytest.mark.parametrize("sized", [True, False], ids=["content-length", "chunked"])
def test_a_file_over_100_mb_is_accepted_and_the_job_fails_at_start(aws, sized):
    """S3 takes it; Cognito can't import it (quota: 100 MB a file)."""
    idp, job = aws.idp, aws.job(aws.pool()["Id"])
    body = LazyBody(OVERSIZE, sized)
    response = requests.put(job["PreSignedUrl"], data=body, headers=SSE, timeout=120)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{body.md5.hexdigest()}"'  # every byte arrived
    done = start_and_describe(idp, job)
    assert (done["Status"], done["CompletionMessage"]) == ("Failed", TOO_LARGE)
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (0, 0, 0)


@server_only
def test_a_large_refused_upload_still_gets_s3s_answer(aws):
    """S3 refuses before reading the body; the client still gets the 403, not a reset."""
    job = aws.job(aws.pool()["Id"])
    assert s3_error(requests.put(job["PreSignedUrl"], data=LazyBody(20 * 1024 * 1024), timeout=60)) == MISMATCH


def test_an_oversize_upload_is_read_in_bounded_memory_and_nothing_is_kept():
    """At most the 8 MB spool and a 1 MB chunk are in memory; the job keeps only the fact."""
    upload = Upload()
    tracemalloc.start()
    try:
        upload.store(Received.read(LazyBody(OVERSIZE)))  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (upload.received, upload.too_large, upload.stored) == (True, True, False)
    assert peak < 16 * 1024 * 1024


def test_a_file_of_exactly_the_maximum_is_kept(monkeypatch):
    monkeypatch.setattr("moto_cognito_import.settings.MAX_FILE_BYTES", 10)
    for size, kept in [(10, True), (11, False)]:
        upload = Upload()
        upload.store(Received.read(io.BytesIO(b"x" * size)))
        assert (upload.stored, upload.too_large) == (kept, not kept), size
        upload.discard()


# --- invisible to the user's account -----------------------------------------------------------


def test_the_upload_never_appears_in_the_users_s3(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="user-bucket")
    s3.put_object(Bucket="user-bucket", Key="note.txt", Body=b"mine")
    job = aws.job(aws.pool()["Id"], JOHN)
    assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["user-bucket"]
    assert [item["Key"] for item in s3.list_objects_v2(Bucket="user-bucket")["Contents"]] == ["note.txt"]
    with pytest.raises(ClientError) as exc:  # not even by its name: it is Cognito's bucket
        s3.list_objects_v2(Bucket="aws-cognito-idp-user-import-iad")
    assert exc.value.response["Error"]["Code"] == "AccessDenied"
    assert aws.upload(job["PreSignedUrl"], JANE).status_code == 200


@pytest.fixture
def nothing_signed() -> Any:
    """No URL signed before the test, as after a reset; what was signed comes back after it."""
    saved = dict(signing.SIGNED_HOSTS), set(signing.SIGNED_KEYS)
    signing.forget_signed()
    yield
    signing.forget_signed()
    signing.SIGNED_HOSTS.update(saved[0])
    signing.SIGNED_KEYS.update(saved[1])


def test_users_own_buckets_that_share_the_prefix_are_the_users(aws, nothing_signed):
    """Only Cognito's bucket names are Cognito's: a pattern of region-like names took
    ``...-my-bucket-2`` and ``...-us-east-1`` (us-east-1's is ``...-iad``) from the user's S3."""
    s3 = aws.client("s3")
    for bucket in ("aws-cognito-idp-user-import-my-bucket-2", "aws-cognito-idp-user-import-us-east-1"):
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="note.txt", Body=b"mine")
        assert [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["note.txt"]
    # The bucket is where moto's S3 reads it: a virtual-hosted bucket's key is a key, whatever
    # it starts with; a host moto reads path-style leaves the bucket in the path.
    assert locate("http://mine.s3.localhost.localstack.cloud:4566/aws-cognito-idp-user-import-iad/k") is None
    assert locate("http://mine.localhost:5000/aws-cognito-idp-user-import-iad/k") is None
    # ... even a whole job's key, on a host no URL was signed for (the user's bucket "mine") ...
    job_key = f"aws-cognito-idp-user-import-iad/{ACCOUNT}/us-east-1_abc/import-AbCdEf1234"
    assert locate(f"http://mine.example.org:5000/{job_key}") is None
    # ... but on a host a server signed a PreSignedUrl for, that path is the upload, and the
    # key of a URL signed is on any host.
    presign(ACCOUNT, "us-east-1", "us-east-1_abc", "import-AbCdEf1234", utcnow(), "http://Server.Example.org:5000")
    other_key = f"aws-cognito-idp-user-import-iad/{ACCOUNT}/us-east-1_abc/import-Other00000"
    assert locate(f"http://server.example.org:5000/{other_key}") == Target(ACCOUNT, "us-east-1_abc", "import-Other00000")
    assert locate(f"http://server.example.org:5001/{other_key}") is None
    assert locate(f"http://mine.example.org:5000/{job_key}") == Target(ACCOUNT, "us-east-1_abc", "import-AbCdEf1234")
    for host in ("localstack.s3.example", "moto.s3.svc.cluster.local", "localstack.localhost", "localhost:5000"):
        assert locate(f"http://{host}/aws-cognito-idp-user-import-iad/k") is not None, host


@server_only
def test_cognito_s_bucket_is_cognito_s_however_the_host_spells_it(aws):
    """moto's server takes ``<bucket>.localhost`` (and any case, a trailing dot) for its own
    virtual-hosted S3: Cognito's bucket and an object were created in the user's S3."""
    port = urlsplit(aws.endpoint).port
    for host in (
        f"aws-cognito-idp-user-import-iad.localhost:{port}",
        f"AWS-COGNITO-IDP-USER-IMPORT-IAD.s3.amazonaws.com:{port}",
        f"aws-cognito-idp-user-import-iad.s3.us-east-1.amazonaws.com.:{port}",
    ):
        for path in ("/", "/k.csv"):
            response = requests.put(f"{aws.endpoint}{path}", data=b"x", headers={"Host": host}, timeout=30)
            assert s3_error(response) == DENIED, (host, path)
    assert aws.client("s3").list_buckets()["Buckets"] == []


def test_an_edited_path_in_cognito_s_bucket_is_answered_as_cognito_s_s3_would(aws):
    """A path in Cognito's bucket that names no job (a segment added or cut, another job ID)
    went to moto's S3: an HTML 500, or the user's S3 gained a bucket of that name and the
    object. It is Cognito's bucket: the signature (made for the job's path) does not match."""
    s3 = aws.client("s3")
    job = aws.job(aws.pool()["Id"])
    base, _, query = job["PreSignedUrl"].partition("?")
    for path in (base + "/extra", base.rsplit("/", 1)[0], base[:-1] + "!", base.rsplit("/", 3)[0]):
        assert s3_error(aws.upload(f"{path}?{query}", JOHN))[:2] == (403, "SignatureDoesNotMatch"), path
        assert s3_error(aws.upload(path, JOHN)) == DENIED, path  # no signature at all
    assert s3.list_buckets()["Buckets"] == []
    assert_nothing_stored(aws.idp, job)


@server_only  # HTTP libraries unescape such characters before sending
def test_cognito_s_bucket_spelt_with_percent_escapes_is_cognito_s(aws):
    """``%69`` is ``i`` (RFC 3986 6.2.2.2: an escaped unreserved character is the character):
    ``/aws-cognito-idp-user-%69mport-iad`` went on to moto's S3, which made a bucket of that
    name in the user's S3 and stored the object there."""
    job = aws.job(aws.pool()["Id"])
    base = job["PreSignedUrl"].partition("?")[0]
    head = f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {len(JOHN)}\r\n"
    for bucket in ("aws-cognito-idp-user-%69mport-iad", "%61ws-cognito-idp-user-import%2Diad"):
        escaped = base.replace("aws-cognito-idp-user-import-iad", bucket)
        for url in (f"{aws.endpoint}/{bucket}?", f"{escaped}?"):  # (signed: test_a_key_spelt_with_escaped_unreserved_characters_is_the_signed_key)
            status, answer = _raw_request(url, head, JOHN.encode())
            assert (status, ElementTree.fromstring(answer).findtext("Code")) == (403, "AccessDenied"), url
    assert aws.client("s3").list_buckets()["Buckets"] == []
    assert_nothing_stored(aws.idp, job)


def test_users_own_keys_shaped_like_upload_paths_still_reach_motos_s3(aws):
    """The upload routes sit before moto's S3 routes and hand every other bucket on."""
    s3 = aws.client("s3")
    for bucket, key in [
        ("user-bucket", f"{ACCOUNT}/us-east-1_abcdef/import-AbCdEf1234"),
        (ACCOUNT, "us-east-1_abcdef/import-AbCdEf1234"),  # path-style: /<digits>/<pool>/<job>
        ("user-bucket", f"aws-cognito-idp-user-import-iad/{ACCOUNT}/us-east-1_abcdef/import-AbCdEf1234"),
    ]:
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key=key, Body=b"first")
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"first", key
        url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": key})
        assert requests.put(url, data=b"second", timeout=30).status_code == 200, key
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"second", key
        assert [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]] == [key]
        s3.delete_object(Bucket=bucket, Key=key)
        assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0, key


@decorator_only
def test_a_users_own_key_naming_a_live_job_stays_the_users_under_mock_aws(aws):
    """``<Cognito's bucket>/<a live job's key>`` as a key of the user's own bucket was taken
    for an upload (403, not stored), because every issued URL's key was remembered; under
    ``mock_aws`` issued URLs are virtual-hosted, so no issued URL has that path."""
    job = aws.job(aws.pool()["Id"])
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="user-bucket")
    key = "aws-cognito-idp-user-import-iad/" + job["PreSignedUrl"].split("?")[0].split(".amazonaws.com/")[1]
    s3.put_object(Bucket="user-bucket", Key=key, Body=b"mine")
    assert s3.get_object(Bucket="user-bucket", Key=key)["Body"].read() == b"mine"
    assert_nothing_stored(aws.idp, job)


@decorator_only
def test_uploads_work_without_s3_cross_account_access(aws, monkeypatch):
    monkeypatch.setenv("MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS", "false")
    job = aws.job(aws.pool()["Id"], JOHN)
    assert start_and_describe(aws.idp, job)["ImportedUsers"] == 1


@decorator_only
def test_uploads_and_the_users_s3_work_with_a_custom_s3_endpoint(aws, monkeypatch):
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", "https://s3.storage.example")
    s3 = boto3.client("s3", region_name=REGION, endpoint_url="https://s3.storage.example")
    key = f"{ACCOUNT}/us-east-1_abcdef/import-AbCdEf1234"
    s3.create_bucket(Bucket="user-bucket")
    s3.put_object(Bucket="user-bucket", Key=key, Body=b"mine")
    job = aws.job(aws.pool()["Id"], JOHN)
    assert start_and_describe(aws.idp, job)["ImportedUsers"] == 1
    assert s3.get_object(Bucket="user-bucket", Key=key)["Body"].read() == b"mine"


# --- the stored file goes when the job ends, and with moto's reset ----------------------------


@decorator_only
def test_the_stored_file_is_deleted_once_the_job_ends(aws):
    """"After they complete or expire, Amazon Cognito deletes your uploaded CSV file." (guide)"""
    pool_id = aws.pool()["Id"]
    expiring = aws.job(pool_id, JOHN, name="expiring")
    ended = finished_jobs(aws, pool_id)
    aws.advance(24 * 3600)
    ended["Expired"] = describe(aws.idp, expiring)
    backend = import_backends[ACCOUNT][REGION]
    for status, job in ended.items():
        upload = backend.job(pool_id, job["JobId"]).upload
        assert (job["Status"], upload.received, upload.stored) == (status, True, False), status
    waiting = aws.job(pool_id, JOHN, name="waiting")  # a Created job keeps its file
    assert backend.job(pool_id, waiting["JobId"]).upload.stored


@decorator_only
def test_a_job_that_expired_unread_lets_go_of_its_file_when_another_file_comes(aws):
    """Expired jobs kept their files until someone read them: 30 jobs' 7 MiB files stayed
    in a server whose clock had passed their expiry."""
    backend = import_backends[ACCOUNT][REGION]
    pool_id = aws.pool()["Id"]
    expiring = backend.job(pool_id, aws.job(pool_id, JOHN, name="expiring")["JobId"]).upload
    west = aws.client("cognito-idp", region="us-west-2")  # the memory is the process's
    west_pool = west.create_user_pool(PoolName="west", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    west_job = west.create_user_import_job(
        JobName="w", UserPoolId=west_pool, CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r"
    )
    assert aws.upload(west_job["UserImportJob"]["PreSignedUrl"], JOHN).status_code == 200
    west_upload = import_backends[ACCOUNT]["us-west-2"].job(west_pool, west_job["UserImportJob"]["JobId"]).upload
    aws.advance(24 * 3600)
    assert expiring.stored and west_upload.stored  # nobody has read the jobs since
    aws.job(pool_id, JANE, name="new")
    assert not expiring.stored and not west_upload.stored


@decorator_only
def test_kept_files_share_a_memory_budget_and_the_rest_go_to_disk(aws, monkeypatch):
    """Each kept file may hold 8 MB in memory; together they hold at most
    UPLOADS_MEMORY_BYTES, and a file past that is kept on disk (and imports the same)."""
    monkeypatch.setattr("moto_cognito_import.settings.UPLOADS_MEMORY_BYTES", MEMORY_HELD.total + len(JOHN))
    held = MEMORY_HELD.total
    pool_id = aws.pool()["Id"]
    first = aws.job(pool_id, JOHN, name="first")
    assert MEMORY_HELD.total == held + len(JOHN)
    second = aws.job(pool_id, JANE, name="second")
    assert MEMORY_HELD.total == held + len(JOHN)  # the second file went to disk
    assert [start_and_describe(aws.idp, job)["ImportedUsers"] for job in (first, second)] == [1, 1]
    assert MEMORY_HELD.total == held  # both files deleted as their jobs ended


@decorator_only
def test_files_kept_on_disk_hold_no_descriptors(aws, monkeypatch):
    """Past the memory budget each kept file held an open file until its job ended: 1,024
    of them used up the server's descriptors, and every request failed after that."""
    monkeypatch.setattr("moto_cognito_import.settings.UPLOADS_MEMORY_BYTES", MEMORY_HELD.total)  # full
    pool_id = aws.pool()["Id"]
    aws.job(pool_id, JOHN, name="warm-up")  # the first file on disk makes the directory
    descriptors = len(os.listdir("/proc/self/fd"))
    jobs = [aws.job(pool_id, JANE, name=f"kept-{n}") for n in range(20)]
    assert len(os.listdir("/proc/self/fd")) <= descriptors  # 20 files on disk, none open
    assert start_and_describe(aws.idp, jobs[0])["ImportedUsers"] == 1  # and it imports the same


# Another process holding its directory as the package does (an exclusive flock), until its
# stdin closes (the package's own import would take seconds in a subprocess).
_HOLD_A_DIRECTORY = """
import fcntl, os, sys
os.mkdir(sys.argv[1])
fcntl.flock(os.open(sys.argv[1], os.O_RDONLY), fcntl.LOCK_EX)
print(flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(os.name != "posix", reason="flock: POSIX only")
def test_files_on_disk_are_private_to_the_process_and_outlive_no_process(tmp_path, monkeypatch):
    """Files past the budget are uploads, user data, kept by name: a killed server left them
    behind. Each process keeps them in a directory it holds an flock on, made once however
    many uploads reach the budget's end at once, made again if something removed it; the
    first process to need one removes those no process holds. A process id told nothing
    across PID namespaces sharing /tmp: a live server's directory, named with a pid that
    does not run here, was removed with the uploads it had answered 200."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    orphan = tmp_path / "moto-cognito-import-1-abc"  # pid 1 runs; a killed process held it
    with subprocess.Popen(
        [sys.executable, "-c", _HOLD_A_DIRECTORY, str(orphan)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as killed:
        killed.stdout.readline()  # type: ignore[union-attr]
        (orphan / "tmp1").write_text("cognito:username,email\nann,ann@example.com\n")
        killed.kill()  # no atexit: its directory stays behind, held by nobody
    elsewhere = tmp_path / "moto-cognito-import-999999999-xyz"  # a live server's: its pid means nothing here
    with subprocess.Popen(
        [sys.executable, "-c", _HOLD_A_DIRECTORY, str(elsewhere)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as live:
        live.stdout.readline()  # type: ignore[union-attr]
        disk = storage._Disk()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            made = set(pool.map(lambda _: disk.directory(), range(8)))
        assert len(made) == 1 and Path(made.pop()).name.startswith(f"moto-cognito-import-{os.getpid()}-")
        assert not orphan.exists() and elsewhere.is_dir()
        assert storage._DISK.directory() != disk.directory()  # two owners in one process: both kept
        shutil.rmtree(disk.directory())
        assert Path(disk.directory()).is_dir()  # made again
        live.communicate(b"", timeout=30)


@pytest.mark.skipif(os.name != "posix", reason="flock: POSIX only")
def test_a_file_system_without_flock_still_takes_files_and_leaks_nothing(tmp_path, monkeypatch, caplog):
    """Linux emulates flock on NFS with locks a directory cannot take (EBADF): each attempt
    leaked a descriptor and a hidden staging directory, and every spill to disk failed. Now
    the directory goes unlocked (and nothing there is swept); a failure midway (the rename)
    leaves no staging directory and no stale descriptor behind."""
    import errno
    import fcntl

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    other = tmp_path / "moto-cognito-import-1-abc"
    other.mkdir()
    descriptors = len(os.listdir("/proc/self/fd"))

    def no_flock(*args: Any) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    disk = storage._Disk()
    for _ in range(3):
        made = Path(disk.directory())
        shutil.rmtree(made)
    assert Path(disk.directory()).is_dir() and other.is_dir()  # not provably orphaned: kept
    assert "Cannot flock" in caplog.text
    monkeypatch.undo()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    shutil.rmtree(disk.directory())
    monkeypatch.setattr(os, "rename", lambda *args: (_ for _ in ()).throw(OSError(errno.EXDEV, "cross-device")))
    with pytest.raises(OSError, match="cross-device"):
        disk.directory()
    assert len(os.listdir("/proc/self/fd")) <= descriptors
    assert list(tmp_path.iterdir()) == []  # no staging left (and, flock working again, the orphan swept)


@pytest.mark.parametrize("budget_left", [1024, 0], ids=["in-memory", "on-disk"])
def test_a_kept_file_cannot_be_read_once_closed(monkeypatch, budget_left):
    """A reader opened while a reset closed the file kept a descriptor nobody closed; a file
    on disk read after closing raised FileNotFoundError, not the ValueError a closed file gives."""
    monkeypatch.setattr("moto_cognito_import.settings.UPLOADS_MEMORY_BYTES", MEMORY_HELD.total + budget_left)
    kept = Received.read(io.BytesIO(b"x" * 10)).file
    assert kept is not None
    reader = kept.open()
    kept.close()
    assert reader.closed
    with pytest.raises(ValueError, match="the file was deleted"):
        kept.open()


def test_an_arriving_upload_takes_from_the_memory_budget():
    """Uploads still arriving held up to 8 MB each outside the budget: 60 slow uploads at once
    took 585 MiB. An arriving body takes its share of the budget, or goes to disk."""
    held = MEMORY_HELD.total
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("moto_cognito_import.settings.UPLOADS_MEMORY_BYTES", held + 2 * 1024 * 1024)
        tracemalloc.start()
        try:
            received = Received.read(LazyBody(6 * 1024 * 1024))  # type: ignore[arg-type]
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert MEMORY_HELD.total == held  # it went to disk, and gave its share back
        assert peak < 4 * 1024 * 1024  # not the 6 MB an 8 MB spool kept in memory
        assert received.file is not None and len(received.file.open().read()) == 6 * 1024 * 1024
        received.discard()
    assert MEMORY_HELD.total == held


@decorator_only
def test_a_reset_while_another_request_holds_the_lock_frees_every_file(aws):
    """A reset that cannot wait for the plugin's lock (another request holds it) left every
    started job's file, and its share of the memory budget, to an import that never came."""
    held_before = MEMORY_HELD.total
    pool_id = aws.pool()["Id"]
    job = aws.job(pool_id, JOHN)
    aws.hold_jobs(reads=1000)
    aws.idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])  # Pending, not being read
    assert MEMORY_HELD.total == held_before + len(JOHN)
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with LOCK:
            holding.set()
            assert release.wait(timeout=30)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert holding.wait(timeout=30)
        BackendDict.reset()  # what POST /moto-api/reset and a new mock_aws do
    finally:
        release.set()
        holder.join(timeout=30)
    assert MEMORY_HELD.total == held_before


def test_jobs_are_forgotten_with_moto_s_reset_even_while_the_plugin_is_off():
    """moto forgets the models it tracks for its dashboard only while the job model is
    registered (the plugin active): the jobs, each holding its moto pool, piled up across
    ``mock_aws`` sessions run as ``with mock_aws(): with activated(): ...``."""
    moto_cognito_import.deactivate()
    try:
        for _ in range(2):
            with mock_aws(), moto_cognito_import.activated():
                idp = boto3.client("cognito-idp", region_name=REGION)
                pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
                idp.create_user_import_job(JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r")
            assert UserImportJob.instances_tracked == []  # type: ignore[attr-defined]
    finally:
        moto_cognito_import.activate()


@decorator_only
def test_the_files_of_a_deleted_pools_jobs_are_freed(aws):
    """30 rounds of 7 MiB uploads to pools deleted afterwards grew a server by 217 MiB."""
    backend = import_backends[ACCOUNT][REGION]
    pool_id = aws.pool()["Id"]
    uploads = [backend.job(pool_id, aws.job(pool_id, JOHN, name=f"j{i}")["JobId"]).upload for i in range(3)]
    assert all(upload.stored for upload in uploads)
    aws.idp.delete_user_pool(UserPoolId=pool_id)
    assert not any(upload.stored for upload in uploads)


@decorator_only  # reads the plugin's state; the jobs are made as a server makes them
def test_the_signed_keys_of_a_deleted_pools_jobs_are_let_go(aws):
    """A server kept the key of every job it ever signed a URL for until moto's reset: one
    entry per job, for days, in a server whose tests create and delete pools."""
    backend = import_backends[ACCOUNT][REGION]
    pool_id = aws.pool()["Id"]
    role = aws.existing_role()
    jobs = [backend.create_user_import_job(f"j{i}", pool_id, role, url_base="http://127.0.0.1:5000") for i in range(3)]
    keys = {f"{ACCOUNT}/{pool_id}/{job.job_id}" for job in jobs}
    assert keys <= signing.SIGNED_KEYS
    aws.idp.delete_user_pool(UserPoolId=pool_id)
    assert not keys & signing.SIGNED_KEYS


@decorator_only  # reads the plugin's state; the jobs are made as a server makes them
def test_a_server_keeps_the_hosts_it_signed_for_most_recently(aws, nothing_signed, monkeypatch):
    """A server kept every Host header a CreateUserImportJob ever carried until moto's reset
    (a client can send any): only the most recently signed for are kept."""
    monkeypatch.setattr(signing, "SIGNED_HOSTS_KEPT", 2)
    backend = import_backends[ACCOUNT][REGION]
    pool_id, role = aws.pool()["Id"], aws.existing_role()
    for i, host in enumerate(["h0.example:5000", "h1.example:5000", "h0.example:5000", "h2.example:5000"]):
        backend.create_user_import_job(f"j{i}", pool_id, role, url_base=f"http://{host}")
    assert list(signing.SIGNED_HOSTS) == ["h0.example:5000", "h2.example:5000"]
    # A host stays after its jobs: a deleted pool's URL there is still Cognito's bucket (S3's
    # 403), never a key of the user's bucket "h2" that moto's S3 reads from the host.
    url = backend.create_user_import_job("j", pool_id, role, url_base="http://h2.example:5000").pre_signed_url
    aws.idp.delete_user_pool(UserPoolId=pool_id)
    assert locate(url) is not None


def test_moto_api_reset_deletes_jobs_and_their_files(aws):
    idp, pool = aws.idp, aws.pool()
    job = aws.job(pool["Id"], JOHN)
    requests.post(f"{aws.endpoint or 'http://motoapi.amazonaws.com'}/moto-api/reset", timeout=30).raise_for_status()
    assert s3_error(aws.upload(job["PreSignedUrl"], JOHN)) == DENIED
    with pytest.raises(ClientError) as exc:
        describe(idp, job)
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_reset_of_the_cognito_idp_backend_alone_frees_the_files_of_its_jobs(monkeypatch):
    """The plugin does not hear of such a reset (the README names it), and the jobs of the
    pools it deleted kept their files until the pool's id was used again or moto reset: the
    next upload anywhere lets them go."""
    from moto.cognitoidp.models import cognitoidp_backends

    monkeypatch.setenv("MOTO_COGNITO_IMPORT_CHECK_ROLE", "false")
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name=REGION)

        def uploaded_job() -> tuple[str, dict[str, Any]]:
            pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
            job = idp.create_user_import_job(
                JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r"
            )["UserImportJob"]
            assert requests.put(job["PreSignedUrl"], data=JOHN, headers=SSE, timeout=30).status_code == 200
            return pool_id, job

        old = [import_backends[ACCOUNT][REGION].job(pool_id, job["JobId"]).upload for pool_id, job in
               (uploaded_job(), uploaded_job())]
        cognitoidp_backends[ACCOUNT][REGION].reset()
        assert all(upload.stored for upload in old)
        uploaded_job()
        assert not any(upload.stored for upload in old)


def test_leaving_mock_aws_deletes_the_stored_file(monkeypatch):
    monkeypatch.setenv("MOTO_COGNITO_IMPORT_CHECK_ROLE", "false")
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name=REGION)
        pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        job = idp.create_user_import_job(
            JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r"
        )["UserImportJob"]
        assert requests.put(job["PreSignedUrl"], data=JOHN, headers=SSE, timeout=30).status_code == 200
        upload = import_backends[ACCOUNT][REGION].job(pool_id, job["JobId"]).upload
        assert upload.stored
    assert not upload.stored
    with mock_aws(), pytest.raises(ClientError) as exc:
        boto3.client("cognito-idp", region_name=REGION).describe_user_pool(UserPoolId=pool_id)
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_the_rest_of_a_refused_upload_is_dropped_in_pieces_of_1_mb_after_the_answer():
    """werkzeug's server reads what a refused upload still sends 10 MB at a time, outside the
    uploads' memory budget: a refused 30 MB upload took twice the memory of an accepted one,
    six at once 110 MB. The answer goes first; then the rest is dropped 1 MB at a time while
    it keeps arriving, and no longer once it stops."""
    server_side, client_side = socket.socketpair()
    stream = server_side.makefile("rb")
    reads: list[int] = []

    class Recording(io.RawIOBase):
        def read1(self, size: int = -1, /) -> bytes:
            data = stream.read1(size)
            reads.append(len(data))
            return data

    def send() -> None:
        with contextlib.suppress(OSError):  # the server side closed (once the test is done)
            client_side.sendall(b"x" * (5 * 1024 * 1024))

    with server_side, client_side:
        answer = drained([b"<Error/>"], {"werkzeug.socket": server_side, "wsgi.input": Recording()})
        assert next(answer) == b"<Error/>"  # before a byte of the rest is read
        sender = threading.Thread(target=send)
        sender.start()
        assert select.select([server_side], [], [], 30)[0]  # the rest is arriving
        assert list(answer) == []
        assert reads and max(reads) <= 1024 * 1024
        stream.close()
        server_side.shutdown(socket.SHUT_RDWR)
        sender.join(timeout=30)
