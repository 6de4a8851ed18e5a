"""``/moto-api/cognito-import/clock``: moving the plugin's clock where freezegun can't reach.

Every test runs against the real server subprocess and under ``mock_aws`` (where moto
intercepts ``http://motoapi.amazonaws.com``), always over plain HTTP, never with freezegun.
"""

from __future__ import annotations

import datetime
import hashlib
import http.client
import json
import socket
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import requests

from conftest import create_logs_role, server_only

DAY = 24 * 3600
MOTO_API = "http://motoapi.amazonaws.com"  # moto's control host under mock_aws


def clock_url(aws) -> str:
    return f"{aws.endpoint or MOTO_API}/moto-api/cognito-import/clock"


def read_clock(aws) -> dict:
    response = requests.get(clock_url(aws), timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    return response.json()


def advance(aws, seconds: float) -> dict:
    response = requests.post(clock_url(aws), json={"advance_seconds": seconds}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def parse_now(body: dict) -> datetime.datetime:
    assert body["now"].endswith("Z")
    return datetime.datetime.fromisoformat(body["now"][:-1])


def describe(aws, pool_id: str, job_id: str) -> dict:
    return aws.idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]


def test_get_reads_the_clock_and_post_moves_it(aws):
    start = read_clock(aws)
    assert start["offset_seconds"] == 0
    moved = advance(aws, 3600)
    assert moved["offset_seconds"] == 3600
    assert read_clock(aws)["offset_seconds"] == 3600
    # Real time passes on the server between the two reads, so compare within a minute.
    assert datetime.timedelta(minutes=59) < parse_now(moved) - parse_now(start) < datetime.timedelta(minutes=61)
    assert advance(aws, -600)["offset_seconds"] == 3000  # a negative number moves it back


def test_the_readme_curl_form_works(aws):
    """``curl -d '{...}'`` sends the JSON as a form body (no JSON Content-Type): still accepted."""
    response = requests.post(
        clock_url(aws), data='{"advance_seconds": 86400}',
        headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["offset_seconds"] == 86400


def test_moto_api_reset_restores_the_real_clock(aws):
    advance(aws, 5 * DAY)
    requests.post(f"{aws.endpoint or MOTO_API}/moto-api/reset", timeout=30).raise_for_status()
    assert read_clock(aws)["offset_seconds"] == 0


def test_an_unstarted_job_expires_when_the_clock_passes_24_hours(aws):
    pool = aws.pool()
    job = aws.job(pool["Id"])
    advance(aws, DAY - 60)  # a margin for the real seconds the server's clock moves meanwhile
    assert describe(aws, pool["Id"], job["JobId"])["Status"] == "Created"
    advance(aws, 60)
    expired = describe(aws, pool["Id"], job["JobId"])
    assert expired["Status"] == "Expired"
    assert expired["CompletionMessage"] == "The user import job has expired."
    assert expired["CompletionDate"] - expired["CreationDate"] == datetime.timedelta(days=1)
    assert "StartDate" not in expired


@pytest.mark.parametrize("refusal", ["job-started", "conditional-with-a-wrong-md5"])
def test_a_refused_upload_expires_no_other_job(aws, refusal):
    """A bad request changes nothing: a PUT refused (its job started; a condition checked
    before the body, whose digest was then wrong) ended every job due to expire, deleting
    their files, and with the clock moved back they stayed Expired."""
    pool = aws.pool()
    csv = "cognito:username,email,email_verified\nann,ann@example.com,true\n"
    old = aws.job(pool["Id"], csv)
    advance(aws, DAY - 60)
    other = aws.job(pool["Id"], csv)
    headers = {"x-amz-server-side-encryption": "aws:kms"}
    if refusal == "job-started":
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=other["JobId"])
    else:  # a condition that holds, checked before the body is read; the body's digest is wrong
        etag = f'"{hashlib.md5(csv.encode()).hexdigest()}"'
        headers.update({"If-Match": etag, "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="})  # the empty body's
    advance(aws, 120)  # the old job's 24 hours are over, the other job's URL still valid
    refused = requests.put(other["PreSignedUrl"], data=csv, headers=headers, timeout=30)
    assert refused.status_code == (403 if refusal == "job-started" else 400)
    advance(aws, -120)
    assert describe(aws, pool["Id"], old["JobId"])["Status"] == "Created"
    if refusal == "job-started":
        aws.idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=other["JobId"])
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=old["JobId"])
    assert describe(aws, pool["Id"], old["JobId"])["ImportedUsers"] == 1  # its file was kept


def test_an_upload_url_expires_after_15_minutes_of_clock(aws):
    """AWS: the pre-signed URL is valid 15 minutes (X-Amz-Expires=899); S3 then answers 403."""
    pool = aws.pool()
    job = aws.job(pool["Id"])
    advance(aws, 14 * 60)
    assert aws.upload(job["PreSignedUrl"], "cognito:username\n").status_code == 200
    advance(aws, 60)
    response = aws.upload(job["PreSignedUrl"], "cognito:username\n")
    assert response.status_code == 403
    error = ElementTree.fromstring(response.content)
    assert (error.findtext("Code"), error.findtext("Message")) == ("AccessDenied", "Request has expired")


@pytest.mark.parametrize(
    "body, message",
    [
        (b"not json", 'Send a JSON object like {"advance_seconds": 3600}.'),
        (b"[60]", 'Send a JSON object like {"advance_seconds": 3600}.'),
        pytest.param(b"[" * 5_000 + b"]" * 5_000, 'Send a JSON object like {"advance_seconds": 3600}.',
                     id="nested-too-deep-was-a-500"),
        (b"{}", 'Send a JSON object like {"advance_seconds": 3600}.'),
        (b'{"seconds": 60}', 'Send a JSON object like {"advance_seconds": 3600}.'),
        # A misspelt extra member moved the clock anyway, while settings refuse unknown names.
        (b'{"advance_seconds": 60, "reset": true}', 'Send a JSON object like {"advance_seconds": 3600}.'),
        (b'{"advance_seconds": "60"}', "advance_seconds must be a number of seconds."),
        (b'{"advance_seconds": true}', "advance_seconds must be a number of seconds."),
        (b'{"advance_seconds": null}', "advance_seconds must be a number of seconds."),
        (b'{"advance_seconds": 1e999}', "advance_seconds must be a number of seconds."),
        (b'{"advance_seconds": NaN}', "advance_seconds must be a number of seconds."),
        (b'{"advance_seconds": 1e300}', "advance_seconds moves the clock out of range."),
        pytest.param(b'{"advance_seconds": 1' + b"0" * 400 + b"}", "advance_seconds moves the clock out of range.",
                     id="an-int-too-big-for-a-float-was-a-500"),
        (b'{"advance_seconds": 1e12}', "advance_seconds moves the clock out of range."),  # past 9999
        (b'{"advance_seconds": -1e11}', "advance_seconds moves the clock out of range."),  # before 1
    ],
)
def test_a_bad_body_is_a_400_json_error_and_leaves_the_clock_alone(aws, body, message):
    response = requests.post(
        clock_url(aws), data=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"error": message}
    assert read_clock(aws)["offset_seconds"] == 0


def test_other_methods_are_405(aws):
    """RFC 9110: a 405 says which methods are allowed (15.5.6); HEAD is GET without the body
    (9.1: every general-purpose server supports it; 9.3.2), as on moto's own /moto-api/
    endpoints; methods are case-sensitive (9.1), as at the upload URL."""
    response = requests.put(clock_url(aws), json={"advance_seconds": 60}, timeout=10)
    assert (response.status_code, response.headers["Allow"]) == (405, "GET, HEAD, POST")
    assert response.json() == {"error": "Use GET or POST."}
    for url in (clock_url(aws), clock_url(aws).replace("/clock", "/settings"), clock_url(aws).replace("/clock", "/x")):
        get, head = requests.get(url, timeout=10), requests.head(url, timeout=10)
        assert (head.status_code, head.headers["Content-Type"], head.content) == (get.status_code, "application/json", b"")
        # 8.6: a HEAD answer's Content-Length is the length of GET's body, or there is none (as
        # under mock_aws, whose mock would read a length as a body still owed)
        assert head.headers.get("Content-Length", str(len(get.content))) == str(len(get.content))
    if aws.endpoint:  # requests upper-cases a method; only a raw request keeps its case
        parts = urlsplit(clock_url(aws))
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("post", parts.path, body=b'{"advance_seconds": 60}')
        assert connection.getresponse().status == 405
        connection.close()
    assert read_clock(aws)["offset_seconds"] == 0


def test_a_body_over_the_limit_is_named_as_such(aws):
    """A valid JSON object over 64 KiB got "Send a JSON object like ...", as if it were none;
    a GET's body is ignored, whatever its size."""
    body = json.dumps({"advance_seconds": 60, "padding": "x" * 70_000})
    response = requests.post(clock_url(aws), data=body, timeout=10)
    assert (response.status_code, response.json()) == (
        400, {"error": "The request body is over 64 KiB; send a small JSON object."}
    )
    assert requests.get(clock_url(aws), data=body, timeout=10).status_code == 200
    assert read_clock(aws)["offset_seconds"] == 0


@server_only
def test_a_body_cut_short_of_its_length_moves_nothing(aws):
    """A client that declared 1,000 bytes, sent a whole JSON object in 26 and went away moved
    the clock (200): the six operations and the upload refuse a body cut short, so does this."""
    parts = urlsplit(clock_url(aws))
    body = b'{"advance_seconds": 86400}'
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest("POST", parts.path)
    connection.putheader("Content-Length", "1000")
    connection.endheaders(body)
    connection.sock.shutdown(socket.SHUT_WR)
    response = connection.getresponse()
    assert (response.status, json.loads(response.read())) == (400, {"error": "The request body could not be read."})
    connection.close()
    assert read_clock(aws)["offset_seconds"] == 0


def test_the_clock_endpoint_works_under_mock_aws_without_freezegun():
    """Decorator mode without freezegun: the endpoint moves the clock the jobs use."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        job_id = idp.create_user_import_job(
            JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/r"
        )["UserImportJob"]["JobId"]
        url = f"{MOTO_API}/moto-api/cognito-import/clock"
        assert requests.get(url, timeout=10).json()["offset_seconds"] == 0
        assert requests.post(url, data=json.dumps({"advance_seconds": DAY}), timeout=10).status_code == 200
        status = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]["Status"]
        assert status == "Expired"
    with mock_aws():  # a new mock starts from the real clock again
        assert requests.get(url, timeout=10).json()["offset_seconds"] == 0


def test_a_clock_at_the_end_of_time_gives_clean_answers_and_breaks_nothing_later(aws):
    """At 9999-12-31, CreateUserImportJob and then the pool's ListUserImportJobs answered 500
    (OverflowError computing the job's expiry): the expiry is capped at the last moment. In
    the last two hours, moto's own PutLogEvents overflows (under freezegun): the job is not
    logged, and loses nothing (it ended Failed, its users imported)."""
    idp, pool_id = aws.idp, aws.pool()["Id"]
    now = parse_now(read_clock(aws)) if aws.endpoint else datetime.datetime(2026, 1, 15, 10)
    aws.advance((datetime.datetime(9999, 12, 31, 22, 30) - now).total_seconds())
    job = aws.job(pool_id, "cognito:username,email,email_verified\nann,ann@example.com,true\n")
    assert job["CreationDate"].year == 9999
    assert idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)["UserImportJobs"][0]["Status"] == "Created"
    aws.advance(1200)  # later still: the job cannot expire past the end of time, nor break
    idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    done = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 1)
    assert idp.get_csv_header(UserPoolId=pool_id)["CSVHeader"][-1] == "password_hash"


def test_a_clock_that_runs_past_the_end_of_time_stays_there():
    """A clock moved to just before 9999-12-31 23:59:59.999999 was accepted, and once time ran
    past the end every call (the clock, the six, the upload) answered 500 (OverflowError in
    the plugin's clock): the clock stops at the last moment, where every call answers
    cleanly, and moving it back makes it usable again. freezegun moves time here."""
    import boto3
    from freezegun import freeze_time
    from moto import mock_aws

    start = datetime.datetime(2026, 1, 15, 10)
    csv = b"cognito:username,email,email_verified\nann,ann@example.com,true\n"
    with freeze_time(start) as frozen, mock_aws():
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        url = f"{MOTO_API}/moto-api/cognito-import/clock"
        role = create_logs_role(boto3.client("iam", region_name="us-east-1"), "r")

        def create_and_upload() -> tuple[dict, requests.Response]:
            job = idp.create_user_import_job(JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn=role)["UserImportJob"]
            headers = {"x-amz-server-side-encryption": "aws:kms"}
            return job, requests.put(job["PreSignedUrl"], data=csv, headers=headers, timeout=10)

        to_the_end = (datetime.datetime.max - start).total_seconds() - 2
        assert requests.post(url, json={"advance_seconds": to_the_end}, timeout=10).status_code == 200
        frozen.tick(10)
        assert requests.get(url, timeout=10).json()["now"] == "9999-12-31T23:59:59.999999Z"
        job, upload = create_and_upload()
        # Created at the last moment, its 24 hours are over at once: expired, and S3 says so.
        assert (job["CreationDate"].year, upload.status_code) == (9999, 403)
        assert "<Code>AccessDenied</Code>" in upload.text
        listed = idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)["UserImportJobs"]
        assert [j["Status"] for j in listed] == ["Expired"]
        with pytest.raises(idp.exceptions.PreconditionNotMetException):
            idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])

        assert requests.post(url, json={"advance_seconds": -DAY}, timeout=10).status_code == 200
        job, upload = create_and_upload()
        assert upload.status_code == 200, upload.text
        idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        done = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
        assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 1)
