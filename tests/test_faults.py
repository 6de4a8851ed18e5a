"""Faults in the middle of an import: each ends in a documented state or a clean error, and
never leaves half a user behind.

- the pool deleted while a job runs (refused with UserImportInProgressException; forced
  through moto's backend in decorator mode: the job then ends Failed);
- the logs role deleted, or its trust withdrawn, between CreateUserImportJob and Start;
- ``POST /moto-api/reset`` while a job is held InProgress;
- an upload connection dropped halfway (server mode: a raw socket).

Server-mode tracebacks fail the session (see the ``server_url`` fixture).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from botocore.exceptions import ClientError
from moto.cognitoidp.models import CognitoIdpBackend, cognitoidp_backends

from conftest import ACCOUNT, REGION, decorator_only, moto_s_own, server_only
from moto_cognito_import.jobs.models import import_backends
from moto_cognito_import.tools.checker import check_file, read_pool

CSV = "cognito:username,email,email_verified\n" + "".join(f"u{i},u{i}@example.com,true\n" for i in range(6))
COMPLETION_MESSAGE_MAX = 128  # CompletionMessageType's max length in botocore's model
ROLE = f"arn:aws:iam::{ACCOUNT}:role/firehose"  # moto checks no role of Firehose or Logs


def error_of(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    err = exc.value.response["Error"]
    return err["Code"], err["Message"]


def describe(aws: Any, pool_id: str, job_id: str) -> dict[str, Any]:
    return aws.idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]  # type: ignore[no-any-return]


def usernames(aws: Any, pool_id: str) -> list[str]:
    return sorted(u["Username"] for u in aws.idp.list_users(UserPoolId=pool_id)["Users"])


def start_in_progress(aws: Any, pool_id: str, rows: int, csv: str = CSV) -> dict[str, Any]:
    """Start a job on ``csv`` and hold it InProgress after importing ``rows`` rows."""
    job = aws.job(pool_id, csv)
    aws.set_transition({"progression": "manual", "times": 1})
    aws.idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    read = describe(aws, pool_id, job["JobId"])  # enters InProgress, no row imported yet
    aws.hold_jobs()  # from now on each read imports one row
    for _ in range(rows):
        read = describe(aws, pool_id, job["JobId"])
    assert (read["Status"], read["ImportedUsers"]) == ("InProgress", rows)
    return read


def test_a_pool_with_a_running_job_cannot_be_deleted(aws):
    pool = aws.pool()
    job = start_in_progress(aws, pool["Id"], rows=2)
    with pytest.raises(ClientError) as exc:
        aws.idp.delete_user_pool(UserPoolId=pool["Id"])
    assert error_of(exc) == (
        "UserImportInProgressException",
        f"A user import job is in progress for user pool {pool['Id']}.",
    )
    # Whatever was imported so far is whole: each listed user is a counted, complete import.
    imported = describe(aws, pool["Id"], job["JobId"])["ImportedUsers"]
    assert usernames(aws, pool["Id"]) == sorted(f"u{i}" for i in range(imported))
    stopped = aws.idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert stopped["Status"] == "Stopped"
    aws.idp.delete_user_pool(UserPoolId=pool["Id"])
    with pytest.raises(ClientError) as exc:
        describe(aws, pool["Id"], job["JobId"])
    assert error_of(exc) == ("ResourceNotFoundException", f"User pool {pool['Id']} does not exist.")


def force_delete_pool(pool_id: str) -> None:
    """Delete a pool the way nothing over the API can while a job runs: moto's own method,
    without the plugin's UserImportInProgressException guard."""
    backend = cognitoidp_backends[ACCOUNT][REGION]
    moto_s_own(CognitoIdpBackend, "delete_user_pool")(backend, pool_id)


@decorator_only
@pytest.mark.parametrize("rows_before", [None, 0, 2], ids=["pending", "in-progress-no-row", "in-progress-two-rows"])
def test_a_job_whose_pool_vanishes_fails_and_imports_nothing_more(aws, rows_before):
    pool = aws.pool()
    if rows_before is None:
        aws.hold_jobs()
        job_id = aws.job(pool["Id"], CSV)["JobId"]
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job_id)
    else:
        job_id = start_in_progress(aws, pool["Id"], rows_before)["JobId"]
    job = import_backends[ACCOUNT][REGION].job(pool["Id"], job_id)
    moto_pool = cognitoidp_backends[ACCOUNT][REGION].user_pools[pool["Id"]]
    force_delete_pool(pool["Id"])
    aws.unset_transition()
    job.advance()  # the job's next read finishes it
    assert job.status == "Failed"
    assert job.completion_message == "The user pool has been deleted."
    assert job.imported_users == len(moto_pool.users) == (rows_before or 0)
    assert job.upload.stored is False  # the file went with the job
    with pytest.raises(ClientError) as exc:
        describe(aws, pool["Id"], job_id)
    assert error_of(exc)[0] == "ResourceNotFoundException"
    # The orphaned job blocks nothing: another pool's job runs ("one active job" is per live pool).
    other = aws.pool(PoolName="next")
    done = aws.run(other["Id"], CSV)
    assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 6)


@decorator_only  # IAM is read in the backend, the same in both modes
@pytest.mark.parametrize("fault", ["role-deleted", "trust-withdrawn", "access-withdrawn"])
def test_a_role_broken_between_create_and_start_fails_the_job_cleanly(aws, fault):
    pool = aws.pool()
    role_arn = aws.logs_role("Doomed-Role")
    job = aws.job(pool["Id"], CSV, CloudWatchLogsRoleArn=role_arn)
    iam = aws.client("iam")
    if fault != "trust-withdrawn":
        iam.delete_role_policy(RoleName="Doomed-Role", PolicyName="logs")
    if fault == "role-deleted":
        iam.delete_role(RoleName="Doomed-Role")
    elif fault == "trust-withdrawn":
        iam.update_assume_role_policy(
            RoleName="Doomed-Role",
            PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ]}
            ),
        )
    started = aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] == "Pending"  # AWS checks the role only when the job runs
    done = describe(aws, pool["Id"], job["JobId"])
    assert done["Status"] == "Failed"
    assert {"role-deleted": "does not exist", "trust-withdrawn": "cannot be assumed",
            "access-withdrawn": "does not have the correct access policy"}[fault] in done["CompletionMessage"]
    assert len(done["CompletionMessage"]) <= COMPLETION_MESSAGE_MAX
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (0, 0, 0)
    assert usernames(aws, pool["Id"]) == []
    with pytest.raises(ClientError) as exc:  # a failed job stays failed
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    assert error_of(exc)[0] == "PreconditionNotMetException"


def reset(aws: Any) -> None:
    base = aws.endpoint or "http://motoapi.amazonaws.com"
    requests.post(f"{base}/moto-api/reset", timeout=30).raise_for_status()


def test_a_reset_while_a_job_runs_clears_everything_and_the_fake_goes_on(aws):
    pool = aws.pool()
    job = start_in_progress(aws, pool["Id"], rows=2)
    backend_job = None
    if aws.endpoint is None:
        backend_job = import_backends[ACCOUNT][REGION].job(pool["Id"], job["JobId"])
    reset(aws)
    assert aws.idp.list_user_pools(MaxResults=60)["UserPools"] == []
    with pytest.raises(ClientError) as exc:
        describe(aws, pool["Id"], job["JobId"])
    assert error_of(exc)[0] == "ResourceNotFoundException"
    if backend_job is not None:
        assert backend_job.upload.stored is False  # reset deletes stored files
    # moto's reset keeps state-manager settings: the job hold is still on, so a new job runs
    # held too, then finishes once released.
    fresh = aws.pool(PoolName="after-reset")
    new = aws.job(fresh["Id"], CSV)
    aws.idp.start_user_import_job(UserPoolId=fresh["Id"], JobId=new["JobId"])
    assert describe(aws, fresh["Id"], new["JobId"])["Status"] == "Pending"
    aws.unset_transition()
    done = describe(aws, fresh["Id"], new["JobId"])
    assert (done["Status"], done["ImportedUsers"], done["FailedUsers"]) == ("Succeeded", 6, 0)
    assert usernames(aws, fresh["Id"]) == sorted(f"u{i}" for i in range(6))
    assert len(aws.log_messages(fresh, new)) == 6


@contextlib.contextmanager
def half_sent_upload(url: str, body: bytes) -> Iterator[socket.socket]:
    """PUT ``body`` to ``url`` over a raw socket that announces the full Content-Length but
    sends only half of it; the connection drops when the block ends."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(
            f"PUT {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"x-amz-server-side-encryption: aws:kms\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body[: len(body) // 2]
        )
        yield connection


@server_only
@pytest.mark.parametrize("earlier_upload", [False, True], ids=["first-upload", "replacing-an-upload"])
def test_an_upload_dropped_halfway_stores_nothing(aws, earlier_upload):
    pool = aws.pool()
    kept = "cognito:username,email,email_verified\nkept,kept@example.com,true\n"
    job = aws.job(pool["Id"], kept if earlier_upload else None)
    with half_sent_upload(job["PreSignedUrl"], CSV.encode()):
        pass
    if earlier_upload:  # the complete earlier file is still the job's file
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
        done = describe(aws, pool["Id"], job["JobId"])
        assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 1)
        assert usernames(aws, pool["Id"]) == ["kept"]
    else:
        with pytest.raises(ClientError) as exc:
            aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
        assert error_of(exc) == ("PreconditionNotMetException", f"No csv file was uploaded for {job['JobId']}")
        # The same URL still takes a complete file, and the server keeps serving.
        assert aws.upload(job["PreSignedUrl"], CSV).status_code == 200
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
        assert describe(aws, pool["Id"], job["JobId"])["ImportedUsers"] == 6


# --- an import never ends half-done (issue 12) --------------------------------------------------

HUGE = "9" * 5000  # past Python's 4,300-digit int() limit: a ValueError the import did not expect


@decorator_only  # a row's rules are the backend's
def test_a_5000_digit_number_fails_its_row_and_every_other_row_is_counted(aws):
    """Row b of a 3-row file used to be lost (never counted) and row c silently dropped; the
    offline checker crashed on the same file. Both now answer alike."""
    pool = aws.pool(Schema=[
        {"Name": "score", "AttributeDataType": "Number"}, {"Name": "seen", "AttributeDataType": "DateTime"},
    ])
    csv = (
        "cognito:username,email,email_verified,updated_at,custom:score,custom:seen\n"
        "a,a@example.com,true,1700000000,1,\n"
        f"b,b@example.com,true,{HUGE},1,\n"
        f"c,c@example.com,true,1700000000,{HUGE},\n"
        f"d,d@example.com,true,1700000000,2,{HUGE}\n"  # any attribute's value: at most 2,048 (AttributeValueType)
        "e,e@example.com,true,1700000000,2,2024-01-01T00:00:00Z\n"
        "f,f@example.com,true,1700000000,3,\n"
    )
    profile, exists = read_pool(aws.idp, pool["Id"])
    report = check_file(io.BytesIO(csv.encode()), profile, exists=exists)
    job = aws.run(pool["Id"], csv)
    assert (job["Status"], job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == ("Succeeded", 3, 0, 3)
    assert (report.status.value, report.imported_users, report.skipped_users, report.failed_users) == (
        "Succeeded", 3, 0, 3
    )
    assert usernames(aws, pool["Id"]) == ["a", "e", "f"]
    assert aws.log_messages(pool, job) == [
        "[SUCCEEDED] Line Number 2 - The import succeeded.",
        "[FAILED] Line Number 3 - The value of updated_at is longer than the maximum length of 2048.",
        "[FAILED] Line Number 4 - The value of custom:score is longer than the maximum length of 2048.",
        "[FAILED] Line Number 5 - The value of custom:seen is longer than the maximum length of 2048.",
        "[SUCCEEDED] Line Number 6 - The import succeeded.",
        "[SUCCEEDED] Line Number 7 - The import succeeded.",
    ]


@decorator_only
def test_a_row_that_fails_in_a_way_nobody_expected_is_failed_and_counted(aws, monkeypatch, caplog):
    """Anything a row's validation raises, not only its RowError, fails that row alone."""
    from moto_cognito_import.importing import csv_validation

    validate = csv_validation.RowValidator.validate

    def crashing(self: Any, line: str) -> Any:
        if line.startswith("u3,"):
            raise KeyError(line)  # a bug of ours, quoting the row
        return validate(self, line)

    monkeypatch.setattr(csv_validation.RowValidator, "validate", crashing)
    pool = aws.pool()
    job = aws.run(pool["Id"], CSV)
    assert (job["Status"], job["ImportedUsers"], job["FailedUsers"]) == ("Succeeded", 5, 1)
    assert aws.log_messages(pool, job)[3] == "[FAILED] Line Number 5 - The user couldn't be imported due to an internal error."
    assert "Line 5 could not be judged" in caplog.text
    assert "builtins.KeyError (its message is not logged" in caplog.text and "u3," not in caplog.text  # README: an ERROR "with its traceback and type but not its message"


@decorator_only
def test_a_row_that_fails_once_its_user_is_in_the_pool_leaves_no_user(aws, monkeypatch):
    """A row is a whole user or nothing: one whose bookkeeping after the user entered the pool
    raised (here the revocation of old tokens) was counted FAILED while its user stayed."""
    from moto_cognito_import.importing import run

    revoke = run._TokenIndex.revoke

    def crashing(self: Any, pool: Any, record: Any, live: Any) -> None:
        if record.username == "u3":
            raise RuntimeError("a bug of ours")
        revoke(self, pool, record, live)

    monkeypatch.setattr(run._TokenIndex, "revoke", crashing)
    pool = aws.pool()
    job = aws.run(pool["Id"], CSV)
    assert (job["Status"], job["ImportedUsers"], job["FailedUsers"]) == ("Succeeded", 5, 1)
    names = {user["Username"] for user in aws.idp.list_users(UserPoolId=pool["Id"])["Users"]}
    assert len(names) == 5 and "u3" not in names


@decorator_only
def test_a_job_whose_file_cannot_be_read_any_more_ends_failed_with_its_counts(aws, caplog):
    """The file is read in chunks: the import goes on through the chunk it holds, then fails
    at the next read, every imported user counted."""
    pool = aws.pool()
    big = "cognito:username,email,email_verified\n" + "".join(f"u{i},u{i}@example.com,true\n" for i in range(20_000))
    job = start_in_progress(aws, pool["Id"], rows=2, csv=big)
    import_backends[ACCOUNT][REGION].job(pool["Id"], job["JobId"]).upload.discard()  # the file closed under it
    aws.unset_transition()
    done = describe(aws, pool["Id"], job["JobId"])
    assert (done["Status"], done["CompletionMessage"]) == ("Failed", "The import job failed because of an internal error.")
    imported = done["ImportedUsers"]
    assert 2 <= imported < 20_000 and (done["SkippedUsers"], done["FailedUsers"]) == (0, 0)
    listed = aws.idp.get_paginator("list_users").paginate(UserPoolId=pool["Id"])
    assert sum(len(page["Users"]) for page in listed) == imported
    assert "could not read its file" in caplog.text


def _subscribe_to_a_firehose_without_its_bucket(aws, group: str) -> None:
    """A subscription filter whose destination's bucket is gone: moto's PutLogEvents then
    raises S3's MissingBucket, not a Logs error (on AWS the writer never notices)."""
    s3, firehose = aws.client("s3"), aws.client("firehose")
    s3.create_bucket(Bucket="log-sink")
    stream = firehose.create_delivery_stream(
        DeliveryStreamName="sink",
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": "arn:aws:s3:::log-sink"},
    )["DeliveryStreamARN"]
    logs = aws.client("logs")
    logs.create_log_group(logGroupName=group)
    logs.put_subscription_filter(
        logGroupName=group, filterName="all", filterPattern="", destinationArn=stream, roleArn=ROLE
    )
    s3.delete_bucket(Bucket="log-sink")


@decorator_only  # the job's logging is the backend's
@pytest.mark.parametrize("trouble", ["log-group-deleted", "log-stream-exists", "subscription-destination-gone"])
def test_logging_trouble_loses_no_user_and_no_count(aws, trouble):
    pool = aws.pool()
    logs = aws.client("logs")
    group = f"/aws/cognito/userpools/{pool['Id']}/{pool['Name']}"
    if trouble == "log-group-deleted":
        job = start_in_progress(aws, pool["Id"], rows=2)
        logs.delete_log_group(logGroupName=group)
    elif trouble == "subscription-destination-gone":
        _subscribe_to_a_firehose_without_its_bucket(aws, group)
        job = aws.job(pool["Id"], CSV)
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    else:
        job = aws.job(pool["Id"], CSV)
        logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName=f"{job['JobId']}/{job['JobName']}")
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    aws.unset_transition()
    done = describe(aws, pool["Id"], job["JobId"])
    assert (done["Status"], done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == ("Succeeded", 6, 0, 0)
    assert usernames(aws, pool["Id"]) == sorted(f"u{i}" for i in range(6))
    if trouble == "log-stream-exists":  # the events go to the stream that was there
        assert len(aws.log_messages(pool, job)) == 6


@decorator_only  # the import's index is the backend's
def test_a_user_made_between_rows_is_seen_even_when_the_pool_keeps_its_size(aws):
    """A job held InProgress lets other calls run between rows. The import's index of existing
    users was rebuilt only when the pool's size changed: a user created while another was
    deleted went unseen, and the row imported a second ``u5`` in a case-insensitive pool."""
    pool_id = aws.pool(UsernameConfiguration={"CaseSensitive": False})["Id"]
    aws.idp.admin_create_user(UserPoolId=pool_id, Username="leaving", MessageAction="SUPPRESS")
    job = start_in_progress(aws, pool_id, rows=2)
    aws.idp.admin_create_user(UserPoolId=pool_id, Username="U5", MessageAction="SUPPRESS")
    aws.idp.admin_delete_user(UserPoolId=pool_id, Username="leaving")
    aws.unset_transition()
    done = describe(aws, pool_id, job["JobId"])
    assert (done["Status"], done["ImportedUsers"], done["SkippedUsers"]) == ("Succeeded", 5, 1)
    assert usernames(aws, pool_id) == ["U5", "u0", "u1", "u2", "u3", "u4"]


@decorator_only
def test_users_written_in_another_pool_leave_an_import_s_index_alone(aws, monkeypatch):
    """The import's index of existing users (case-insensitive, alias and email/phone pools) is
    rebuilt when its pool's users changed. One counter for every pool made any user written
    anywhere, in any account, rebuild it: a long import lets requests in between rows, and
    300,000 rows took 21 s instead of 6 s with three clients creating users elsewhere."""
    from moto_cognito_import.importing.run import ExistingUsers

    builds = []
    build = ExistingUsers._build
    monkeypatch.setattr(ExistingUsers, "_build", lambda self: builds.append(1) or build(self))
    pool_id = aws.pool(UsernameConfiguration={"CaseSensitive": False})["Id"]
    elsewhere = aws.pool(PoolName="elsewhere")["Id"]
    job = start_in_progress(aws, pool_id, rows=1)
    for n in range(3):  # between rows: users created and changed in another pool
        aws.idp.admin_create_user(UserPoolId=elsewhere, Username=f"other{n}", MessageAction="SUPPRESS")
        aws.idp.admin_update_user_attributes(
            UserPoolId=elsewhere, Username=f"other{n}", UserAttributes=[{"Name": "name", "Value": "x"}]
        )
        describe(aws, pool_id, job["JobId"])
    aws.unset_transition()
    assert describe(aws, pool_id, job["JobId"])["ImportedUsers"] == 6
    assert len(builds) == 1


@decorator_only
def test_users_added_beside_an_import_are_indexed_without_a_rebuild(aws, monkeypatch):
    """A client creating users while an import runs (held, or paused for waiting requests)
    made the import rebuild its index at every pause: quadratic (an email-alias pool,
    200,000 rows: 18 s alone, 126 s). Users added at the end are indexed on their own, and
    the import still sees each one."""
    from moto_cognito_import.importing.run import ExistingUsers

    builds = []
    build = ExistingUsers._build
    monkeypatch.setattr(ExistingUsers, "_build", lambda self: builds.append(1) or build(self))
    pool_id = aws.pool(AliasAttributes=["email"])["Id"]
    names = "abcdefgh"
    csv = "cognito:username,email,email_verified\n" + "".join(f"{n},{n}@x.com,true\n" for n in names)
    job = start_in_progress(aws, pool_id, rows=1, csv=csv)
    for n in range(3):  # between rows, users who take the emails of the last three rows
        aws.idp.admin_create_user(
            UserPoolId=pool_id, Username=f"w{n}", MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": f"{names[-3 + n]}@x.com"}, {"Name": "email_verified", "Value": "true"}],
        )
        describe(aws, pool_id, job["JobId"])
    aws.unset_transition()
    done = describe(aws, pool_id, job["JobId"])
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (5, 0, 3)
    assert usernames(aws, pool_id) == ["a", "b", "c", "d", "e", "w0", "w1", "w2"]
    assert len(builds) == 1


@decorator_only  # the import's index is the backend's
def test_an_old_user_s_email_changed_while_a_user_is_added_is_seen(aws):
    """Users only added since the index was made are indexed on their own; an attribute
    change to any other user between the same rows still counts: the row whose email an
    existing user took fails."""
    pool_id = aws.pool(AliasAttributes=["email"])["Id"]
    aws.idp.admin_create_user(
        UserPoolId=pool_id, Username="old", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "old@x.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    csv = "cognito:username,email,email_verified\n" + "".join(f"{n},{n}@x.com,true\n" for n in "abcd")
    job = start_in_progress(aws, pool_id, rows=1, csv=csv)
    aws.idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="old", UserAttributes=[{"Name": "email", "Value": "d@x.com"}]
    )
    aws.idp.admin_create_user(UserPoolId=pool_id, Username="new", MessageAction="SUPPRESS")
    aws.unset_transition()
    done = describe(aws, pool_id, job["JobId"])
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (3, 0, 1)
    assert usernames(aws, pool_id) == ["a", "b", "c", "new", "old"]


@decorator_only  # the import's index is the backend's
def test_users_deleted_and_created_between_rows_are_seen(aws):
    """The index of a case-insensitive pool follows users added at the end on their own: a
    user deleted while two were created (one more user in all) is not taken for an
    addition, so the import sees ``BOB`` and skips ``bob``."""
    pool_id = aws.pool(UsernameConfiguration={"CaseSensitive": False})["Id"]
    aws.idp.admin_create_user(UserPoolId=pool_id, Username="zed", MessageAction="SUPPRESS")
    csv = "cognito:username,email,email_verified\n" + "".join(f"{n},{n}@x.com,true\n" for n in ("a", "b", "c", "bob"))
    job = start_in_progress(aws, pool_id, rows=1, csv=csv)
    aws.idp.admin_delete_user(UserPoolId=pool_id, Username="zed")
    for name in ("BOB", "carl"):
        aws.idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    aws.unset_transition()
    done = describe(aws, pool_id, job["JobId"])
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (3, 1, 0)
    assert usernames(aws, pool_id) == ["BOB", "a", "b", "c", "carl"]


@decorator_only  # a row's rules are the backend's
def test_a_row_refused_at_the_last_moment_leaves_its_name_to_a_later_row(aws):
    """Held InProgress in an email-alias pool: ``bob``'s row was judged, then AdminCreateUser
    gave another user bob's email before the row was applied. The row fails, as it must; the
    next ``bob`` row was SKIPPED "The user already exists." though no bob existed."""
    pool_id = aws.pool(AliasAttributes=["email"])["Id"]
    csv = "cognito:username,email,email_verified\nbob,bob@x.com,true\nbob,bob2@x.com,true\nann,ann@x.com,true\n"
    job = start_in_progress(aws, pool_id, rows=0, csv=csv)
    aws.idp.admin_create_user(
        UserPoolId=pool_id, Username="carl", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "bob@x.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    aws.unset_transition()
    done = describe(aws, pool_id, job["JobId"])
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (2, 0, 1)
    assert usernames(aws, pool_id) == ["ann", "bob", "carl"]
    assert aws.log_messages(aws.idp.describe_user_pool(UserPoolId=pool_id)["UserPool"], job)[:2] == [
        "[FAILED] Line Number 2 - An account with the given email already exists.",
        "[SUCCEEDED] Line Number 3 - The import succeeded.",
    ]


@server_only
def test_a_reset_during_a_big_import_gets_the_running_describe_a_clean_answer(aws):
    """``POST /moto-api/reset`` while a Describe runs a 100,000-row import: the Describe used
    to get an HTTP 500 "I/O operation on closed file". Now the reset leaves the file to the
    import, which stops at its next row (the pool is gone) and answers cleanly; and the reset
    does not wait for it (moto resets under its own lock, which the import may need)."""
    pool = aws.pool()
    rows = 100_000
    csv = "cognito:username,email,email_verified\n" + "".join(f"u{i},u{i}@example.com,true\n" for i in range(rows))
    job = aws.job(pool["Id"], csv)
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    with concurrent.futures.ThreadPoolExecutor(2) as pool_of_threads:
        describing = pool_of_threads.submit(describe, aws, pool["Id"], job["JobId"])
        time.sleep(0.5)  # not waiting for time: letting the import (about 2 s) begin first
        resetting = pool_of_threads.submit(reset, aws)
        done = describing.result(timeout=120)
        resetting.result(timeout=120)
    if done["Status"] == "Failed":  # the reset came during the import
        assert done["CompletionMessage"] == "The user pool has been deleted."
        assert done["ImportedUsers"] < rows and done["SkippedUsers"] == done["FailedUsers"] == 0
    else:  # the import was quicker
        assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", rows)
    assert aws.idp.list_user_pools(MaxResults=60)["UserPools"] == []  # and the reset happened


@decorator_only
@pytest.mark.parametrize("how", ["moto-api", "one-region"])
def test_a_reset_in_the_middle_of_an_import_fails_the_job_and_keeps_no_user(aws, monkeypatch, how):
    """The same, held at a known row: the import is paused while it builds its third user,
    moto's reset runs to its end meanwhile (it does not wait for the import), and the import
    stops at its next row: the Describe that ran it answers Failed, "The user pool has been
    deleted.", counting the rows done (the one it was building included), and no pool or user
    is left. A reset of the region's cognito-idp backend alone (``BaseBackend.reset``, as some
    suites call it) gives it a new dict of pools: the import kept reading the old one and
    answered Succeeded, every row counted, for a pool that was gone."""
    from moto.cognitoidp.models import CognitoIdpUser, cognitoidp_backends

    from moto_cognito_import.importing import run

    monkeypatch.setattr(run, "ROWS_BETWEEN_PAUSES", 1)
    pool = aws.pool()
    job = aws.job(pool["Id"], CSV)
    building, proceed = threading.Event(), threading.Event()
    importer: list[threading.Thread] = []
    original_init = CognitoIdpUser.__init__

    def paused_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if threading.current_thread() in importer and self.username == "u2":
            building.set()
            assert proceed.wait(timeout=30)

    def run_import() -> dict[str, Any]:
        importer.append(threading.current_thread())
        try:
            aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
            return describe(aws, pool["Id"], job["JobId"])
        finally:
            building.set()

    monkeypatch.setattr(CognitoIdpUser, "__init__", paused_init)
    with concurrent.futures.ThreadPoolExecutor(1) as threads:
        importing = threads.submit(run_import)
        assert building.wait(timeout=30)
        if how == "moto-api":
            reset(aws)
        else:
            cognitoidp_backends[ACCOUNT][REGION].reset()
        proceed.set()
        done = importing.result(timeout=30)
    assert (done["Status"], done["CompletionMessage"]) == ("Failed", "The user pool has been deleted.")
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (3, 0, 0)  # u0, u1, u2
    assert aws.idp.list_user_pools(MaxResults=60)["UserPools"] == []


@pytest.mark.parametrize(
    "transition",
    [
        {"progression": "manual"}, {"progression": "manual", "times": "2"},
        {"progression": "manual", "times": float("nan")}, {"progression": "time"},
        {"progression": "time", "seconds": 10**12}, {"progression": "time", "seconds": 1e300},
        {"progression": "bogus"}, {}, "manual", None,
    ],
    ids=[
        "manual-without-times", "times-not-a-number",
        "times-nan",  # every count compares false with it: the job never moved, held its region's slot
        "time-without-seconds", "time-past-9999", "time-overflow",
        # moto's models never move under a progression it does not know: the job stayed
        # Pending, refusing every other Start in its region and DeleteUserPool until a Stop.
        "unknown-progression", "no-progression", "not-an-object", "null",
    ],
)
def test_a_transition_moto_cannot_follow_fails_the_job_not_the_request(aws, transition):
    """moto's state manager takes any transition; one it cannot follow made every Describe
    and List of the pool an HTTP 500. The job ends Failed instead, and the pool's jobs list."""
    pool = aws.pool()
    job = aws.job(pool["Id"], CSV)
    aws.set_transition(transition)
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    read = describe(aws, pool["Id"], job["JobId"])
    assert (read["Status"], read["CompletionMessage"]) == ("Failed", "The import job failed because of an internal error.")
    listed = aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=10)["UserImportJobs"]
    assert [(j["JobId"], j["Status"]) for j in listed] == [(job["JobId"], "Failed")]
