"""The six operations: shapes, success paths and each documented exception, in both modes."""

from __future__ import annotations

import base64
import datetime
import json
import logging
import re
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import ACCOUNT, REGION, decorator_only
from moto_cognito_import.jobs.models import import_backends

ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/Cognito-UserImport-Role"
CSV = "cognito:username,email,email_verified\njohn,john@example.com,true\n"
JOB_FIELDS = {
    "JobName", "JobId", "UserPoolId", "PreSignedUrl", "CreationDate", "Status",
    "CloudWatchLogsRoleArn", "ImportedUsers", "SkippedUsers", "FailedUsers",
}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def test_create_returns_a_created_job_with_all_counters(aws):
    pool = aws.pool()
    job = aws.idp.create_user_import_job(JobName="my job", UserPoolId=pool["Id"], CloudWatchLogsRoleArn=ROLE)[
        "UserImportJob"
    ]
    assert set(job) == JOB_FIELDS  # no StartDate/CompletionDate/CompletionMessage yet
    assert job["Status"] == "Created"
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (0, 0, 0)
    assert re.fullmatch(r"import-[A-Za-z0-9]{10}", job["JobId"])
    assert job["UserPoolId"] == pool["Id"] and job["CloudWatchLogsRoleArn"] == ROLE
    assert isinstance(job["CreationDate"], datetime.datetime)


def test_a_re_seeded_random_gives_no_job_an_id_another_job_of_the_pool_has(aws):
    """moto's random repeats itself after ``POST /moto-api/seed`` with the same seed; the
    second job took the first one's ID and the first vanished, its upload never freed and its
    URL uploading into the second. AWS never gives two jobs one ID."""
    pool = aws.pool()
    seed = f"{aws.endpoint or 'http://motoapi.amazonaws.com'}/moto-api/seed?a=42"
    aws.existing_role()  # made now: it draws on the random too
    ids = []
    for name in ("first", "second"):
        requests.post(seed, timeout=10).raise_for_status()
        ids.append(aws.job(pool["Id"], CSV, name=name)["JobId"])
    assert ids[0] != ids[1]
    listed = aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=10)["UserImportJobs"]
    assert [(job["JobName"], job["JobId"]) for job in listed] == [("second", ids[1]), ("first", ids[0])]


def test_describe_and_list_return_the_whole_job(aws):
    pool = aws.pool()
    created = aws.job(pool["Id"])
    described = aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=created["JobId"])["UserImportJob"]
    listed = aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=10)
    assert described == created
    assert listed["UserImportJobs"] == [created]
    assert "PaginationToken" not in listed


def test_start_answers_pending_then_the_job_finishes_by_the_next_read(aws):
    pool = aws.pool()
    job = aws.job(pool["Id"], CSV)
    started = aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] == "Pending" and "StartDate" in started and "CompletionDate" not in started
    done = aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert done["Status"] == "Succeeded"
    assert done["CompletionMessage"] == "Import Job Completed Successfully."
    assert done["ImportedUsers"] == 1


def test_a_held_job_goes_pending_inprogress_and_stop_stops_it(aws):
    aws.hold_jobs(reads=2)
    pool = aws.pool()
    job = aws.job(pool["Id"], CSV)
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    def describe() -> dict:
        return aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]

    assert describe()["Status"] == "Pending"
    assert describe()["Status"] == "InProgress"
    stopped = aws.idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert stopped["Status"] == "Stopped"
    assert stopped["CompletionMessage"] == "The Import Job was stopped by the developer."
    assert "CompletionDate" in stopped
    assert describe()["Status"] == "Stopped"


@pytest.mark.parametrize("method", ["start_user_import_job", "stop_user_import_job"])
def test_a_stopped_job_can_be_neither_started_nor_stopped(aws, method):
    aws.hold_jobs()
    pool = aws.pool()
    job = aws.job(pool["Id"], CSV)
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    aws.idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    with pytest.raises(ClientError) as exc:
        getattr(aws.idp, method)(UserPoolId=pool["Id"], JobId=job["JobId"])
    code, message = error_of(exc)
    assert code == "PreconditionNotMetException"
    assert job["JobId"] in message and "Stopped" in message


def test_start_without_an_upload_is_refused_with_the_real_message(aws):
    pool = aws.pool()
    job = aws.job(pool["Id"])
    with pytest.raises(ClientError) as exc:
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    assert error_of(exc) == ("PreconditionNotMetException", f"No csv file was uploaded for {job['JobId']}")


def test_stop_of_a_created_job_is_refused(aws):
    pool = aws.pool()
    job = aws.job(pool["Id"])
    with pytest.raises(ClientError) as exc:
        aws.idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    code, message = error_of(exc)
    assert code == "PreconditionNotMetException" and "Created" in message


@pytest.mark.parametrize("held", [True, False], ids=["held", "default-progression"])
def test_only_one_job_is_active_per_account_and_region(aws, held):
    """"Only one import job can be active at a time per account" (developer guide). In the
    default progression the first job is still running until the user's next read of it."""
    if held:
        aws.hold_jobs()
    first_pool, second_pool = aws.pool(), aws.pool(PoolName="other")
    first = aws.job(first_pool["Id"], CSV)
    second = aws.job(second_pool["Id"], CSV)
    aws.idp.start_user_import_job(UserPoolId=first_pool["Id"], JobId=first["JobId"])
    with pytest.raises(ClientError) as exc:
        aws.idp.start_user_import_job(UserPoolId=second_pool["Id"], JobId=second["JobId"])
    code, message = error_of(exc)
    assert code == "PreconditionNotMetException" and first["JobId"] in message
    # The refused job is untouched and starts once the first one is stopped.
    aws.idp.stop_user_import_job(UserPoolId=first_pool["Id"], JobId=first["JobId"])
    started = aws.idp.start_user_import_job(UserPoolId=second_pool["Id"], JobId=second["JobId"])
    assert started["UserImportJob"]["Status"] == "Pending"


def test_a_pool_without_auto_verified_attributes_cannot_start_a_job(aws):
    pool = aws.idp.create_user_pool(PoolName="no-verification")["UserPool"]
    job = aws.job(pool["Id"], CSV)
    with pytest.raises(ClientError) as exc:
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    code, message = error_of(exc)
    assert code == "PreconditionNotMetException" and "auto-verified" in message
    assert aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]["Status"] == "Created"


@decorator_only  # the rule, not the wire: 1,000 jobs cost ~7 s a server
def test_the_1001st_job_of_a_pool_exceeds_the_limit(aws):
    pool = aws.pool()
    backend = import_backends[ACCOUNT][REGION]
    for number in range(999):  # the backend's own create, without 999 requests' 5 s
        backend.create_user_import_job(f"j{number}", pool["Id"], ROLE)
    aws.idp.create_user_import_job(JobName="the 1000th", UserPoolId=pool["Id"], CloudWatchLogsRoleArn=ROLE)
    with pytest.raises(ClientError) as exc:
        aws.idp.create_user_import_job(JobName="one too many", UserPoolId=pool["Id"], CloudWatchLogsRoleArn=ROLE)
    assert error_of(exc)[0] == "LimitExceededException"
    assert len(aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=60)["UserImportJobs"]) == 50


@pytest.mark.parametrize(
    "call",
    [
        lambda c, p: c.create_user_import_job(JobName="j", UserPoolId=p, CloudWatchLogsRoleArn=ROLE),
        lambda c, p: c.describe_user_import_job(UserPoolId=p, JobId="import-AAAAAAAAAA"),
        lambda c, p: c.list_user_import_jobs(UserPoolId=p, MaxResults=5),
        lambda c, p: c.start_user_import_job(UserPoolId=p, JobId="import-AAAAAAAAAA"),
        lambda c, p: c.stop_user_import_job(UserPoolId=p, JobId="import-AAAAAAAAAA"),
        lambda c, p: c.get_csv_header(UserPoolId=p),
    ],
    ids=["create", "describe", "list", "start", "stop", "get_csv_header"],
)
def test_an_unknown_pool_is_not_found(aws, call):
    pool_id = f"{REGION}_doesNotExist"
    with pytest.raises(ClientError) as exc:
        call(aws.idp, pool_id)
    assert error_of(exc) == ("ResourceNotFoundException", f"User pool {pool_id} does not exist.")


@pytest.mark.parametrize("method", ["describe_user_import_job", "start_user_import_job", "stop_user_import_job"])
def test_an_unknown_job_is_not_found(aws, method):
    pool = aws.pool()
    with pytest.raises(ClientError) as exc:
        getattr(aws.idp, method)(UserPoolId=pool["Id"], JobId="import-AAAAAAAAAA")
    assert error_of(exc) == ("ResourceNotFoundException", "Import job import-AAAAAAAAAA does not exist.")


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (
            {"JobName": "bad/name", "UserPoolId": "POOL", "CloudWatchLogsRoleArn": ROLE},
            "1 validation error detected: Value 'bad/name' at 'jobName' failed to satisfy constraint: "
            r"Member must satisfy regular expression pattern: [\w\s+=,.@-]+",
        ),
        (
            {"JobName": "j" * 129, "UserPoolId": "POOL", "CloudWatchLogsRoleArn": ROLE},
            f"1 validation error detected: Value '{'j' * 129}' at 'jobName' failed to satisfy constraint: "
            "Member must have length less than or equal to 128",
        ),
        (
            {"JobName": "j", "UserPoolId": "bad pool", "CloudWatchLogsRoleArn": "not-an-arn-but-long-enough"},
            "2 validation errors detected: Value 'bad pool' at 'userPoolId' failed to satisfy constraint: "
            r"Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+; "
            "Value 'not-an-arn-but-long-enough' at 'cloudWatchLogsRoleArn' failed to satisfy constraint: "
            r"Member must satisfy regular expression pattern: arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:"
            r"[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?",
        ),
    ],
    ids=["job-name-pattern", "job-name-length", "pool-and-arn-patterns"],
)
def test_create_validates_what_botocore_does_not(aws, kwargs, expected):
    pool = aws.pool()
    kwargs = {k: (pool["Id"] if v == "POOL" else v) for k, v in kwargs.items()}
    with pytest.raises(ClientError) as exc:
        aws.idp.create_user_import_job(**kwargs)
    assert error_of(exc) == ("InvalidParameterException", expected)
    assert aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=5).get("UserImportJobs", []) == []


def test_job_ids_must_match_the_model_pattern(aws):
    pool = aws.pool()
    with pytest.raises(ClientError) as exc:
        aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId="nope")
    assert error_of(exc) == (
        "InvalidParameterException",
        "1 validation error detected: Value 'nope' at 'jobId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: import-[0-9a-zA-Z-]+",
    )


def test_max_results_over_60_is_invalid(aws):
    pool = aws.pool()
    with pytest.raises(ClientError) as exc:
        aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=61)
    assert error_of(exc) == (
        "InvalidParameterException",
        "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 60",
    )


def test_list_is_newest_first_and_pages_with_an_opaque_token(aws):
    pool = aws.pool()
    ids = []
    for number in range(5):
        ids.append(aws.job(pool["Id"], name=f"job{number}")["JobId"])
        aws.advance(1)
    seen, token = [], None
    while True:
        kwargs = {"PaginationToken": token} if token else {}
        page = aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=2, **kwargs)
        assert len(page["UserImportJobs"]) <= 2
        seen += [job["JobId"] for job in page["UserImportJobs"]]
        token = page.get("PaginationToken")
        if not token:
            break
    assert seen == ids[::-1]


def _edited(token: str, **changes: Any) -> str:
    """A real token with members changed (None deletes one): same checksum, bad contents."""
    parsed = json.loads(base64.b64decode(token))
    parsed.update(changes)
    return base64.b64encode(json.dumps({k: v for k, v in parsed.items() if v is not None}).encode()).decode()


@pytest.mark.parametrize(
    "token",
    [
        "garbage", "from-other-pool", "no-unique-attributes", "number-unique-attributes", "a-json-list",
        "padding-appended", "junk-appended",
    ],
)
def test_a_foreign_garbage_or_edited_token_is_invalid(aws, token):
    """Edited tokens were an HTTP 500 (a KeyError inside moto's paginator); a real token with
    characters appended read as the same page (base64 decoding ignores them)."""
    pool, other = aws.pool(), aws.pool(PoolName="other")
    for number in range(3):
        aws.job(pool["Id"], name=f"a{number}")
        aws.job(other["Id"], name=f"b{number}")
    real = aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=1)["PaginationToken"]
    token = {
        "from-other-pool": aws.idp.list_user_import_jobs(UserPoolId=other["Id"], MaxResults=1)["PaginationToken"],
        "no-unique-attributes": _edited(real, uniqueAttributes=None),
        "number-unique-attributes": _edited(real, uniqueAttributes=5),
        "a-json-list": base64.b64encode(b"[1, 2]").decode(),
        "padding-appended": real + "==",
        "junk-appended": real + "!!",
    }.get(token, token)
    with pytest.raises(ClientError) as exc:
        aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=1, PaginationToken=token)
    assert error_of(exc)[0] == "InvalidParameterException"


def test_a_missing_pool_is_named_before_any_token(aws):
    """A missing pool is ResourceNotFoundException whatever token comes with it, as Describe,
    Start and Stop name a missing pool before anything about the job; a garbage token, or
    another pool's, made it InvalidParameterException."""
    other = aws.pool(PoolName="other")
    for number in range(2):
        aws.job(other["Id"], name=f"b{number}")
    foreign = aws.idp.list_user_import_jobs(UserPoolId=other["Id"], MaxResults=1)["PaginationToken"]
    missing = other["Id"].split("_")[0] + "_nope"
    for token in ("garbage", foreign):
        with pytest.raises(ClientError) as exc:
            aws.idp.list_user_import_jobs(UserPoolId=missing, MaxResults=1, PaginationToken=token)
        assert error_of(exc) == ("ResourceNotFoundException", f"User pool {missing} does not exist.")


def test_a_job_not_started_in_24_hours_expires(aws):
    pool = aws.pool()
    job = aws.job(pool["Id"], CSV)
    aws.advance(24 * 3600 - 1)
    assert aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]["Status"] == "Created"
    aws.advance(1)
    listed = aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=1)["UserImportJobs"][0]
    assert listed["Status"] == "Expired"
    assert listed["CompletionMessage"] == "The user import job has expired."
    assert listed["CompletionDate"] - listed["CreationDate"] == datetime.timedelta(hours=24)
    assert "StartDate" not in listed
    with pytest.raises(ClientError) as exc:
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    assert error_of(exc)[0] == "PreconditionNotMetException"


def test_get_csv_header_lists_standard_then_custom_then_cognito_columns(aws):
    pool = aws.pool(
        Schema=[
            {"Name": "costcenter", "AttributeDataType": "String"},
            {"Name": "email", "AttributeDataType": "String", "Required": True},
            {"Name": "bandwidth", "AttributeDataType": "Number", "DeveloperOnlyAttribute": True},
        ]
    )
    aws.idp.add_custom_attributes(UserPoolId=pool["Id"], CustomAttributes=[{"Name": "tier", "AttributeDataType": "String"}])
    header = aws.idp.get_csv_header(UserPoolId=pool["Id"])
    assert header["UserPoolId"] == pool["Id"]
    assert header["CSVHeader"] == [
        "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile",
        "picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale",
        "phone_number", "phone_number_verified", "address", "updated_at",
        "custom:costcenter", "dev:custom:bandwidth", "custom:tier",
        "cognito:mfa_enabled", "cognito:username", "password_hash",
    ]


@pytest.mark.parametrize("member", [{"Policies": {"SignInPolicy": [1]}}, {"UsernameConfiguration": [1]}])
def test_a_pool_moto_stored_with_a_member_of_the_wrong_type_is_an_internal_error_not_a_500_page(aws, member):
    """moto stores what a raw CreateUserPool sends, which Cognito would refuse; GetCSVHeader
    then answered Flask's HTML 500. It is Cognito's own failure, InternalErrorException (HTTP
    500, "Internal server error.", as aws-amplify/aws-sdk-android#2022 shows), and every
    other call on the pool still answers."""
    created = aws.raw("CreateUserPool", {"PoolName": "odd", **member})
    assert created.status_code == 200, created.text
    pool_id = created.json()["UserPool"]["Id"]
    header = aws.raw("GetCSVHeader", {"UserPoolId": pool_id})
    assert (header.status_code, header.json()) == (
        500, {"__type": "InternalErrorException", "message": "Internal server error."}
    )
    with pytest.raises(aws.idp.exceptions.UserNotFoundException):
        aws.idp.admin_get_user(UserPoolId=pool_id, Username="Nobody")  # the case-insensitive lookup reads it too


@pytest.mark.parametrize("member", [{"Policies": {"SignInPolicy": [1]}}, {"UsernameConfiguration": [1]}])
def test_a_job_of_a_pool_moto_stored_with_a_member_of_the_wrong_type_fails_as_cognito_s_internal_error(
    aws, member, caplog
):
    """The job ends Failed with the internal-error message and a WARNING naming what cannot be
    read; it logged an ERROR with a traceback as if the plugin had a bug."""
    created = aws.raw("CreateUserPool", {"PoolName": "odd", "AutoVerifiedAttributes": ["email"], **member})
    pool_id = created.json()["UserPool"]["Id"]
    job = aws.run(pool_id, "cognito:username,email,email_verified\nann,ann@example.com,true\n")
    assert (job["Status"], job["CompletionMessage"], job["ImportedUsers"]) == (
        "Failed", "The import job failed because of an internal error.", 0
    )
    if aws.mode == "decorator":  # the server's records are the server's
        ours = [r for r in caplog.records if r.name.startswith("moto_cognito_import")]
        assert any(r.levelname == "WARNING" and "cannot be read" in r.getMessage() for r in ours)
        assert not [r for r in ours if r.levelno >= logging.ERROR]


def test_jobs_belong_to_their_account_and_region(aws):
    pool = aws.pool()
    job = aws.job(pool["Id"])
    elsewhere = aws.client(region="eu-west-2")
    with pytest.raises(ClientError) as exc:
        elsewhere.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    assert error_of(exc)[0] == "ResourceNotFoundException"


def test_a_recreated_pool_starts_without_jobs(aws, monkeypatch):
    pool = aws.pool()
    aws.job(pool["Id"])
    aws.idp.delete_user_pool(UserPoolId=pool["Id"])
    with pytest.raises(ClientError) as exc:
        aws.idp.list_user_import_jobs(UserPoolId=pool["Id"], MaxResults=5)
    assert error_of(exc)[0] == "ResourceNotFoundException"


def test_a_pool_recreated_with_the_same_id_starts_without_jobs(monkeypatch):
    """With moto's HASH pool-id strategy a re-created pool gets the deleted pool's id."""
    import boto3
    from moto import mock_aws

    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name=REGION)
        pool_id = idp.create_user_pool(PoolName="same")["UserPool"]["Id"]
        idp.create_user_import_job(JobName="old", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE)
        idp.delete_user_pool(UserPoolId=pool_id)
        assert idp.create_user_pool(PoolName="same")["UserPool"]["Id"] == pool_id
        assert idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)["UserImportJobs"] == []


# What each operation the plugin answers, or guards, may raise, from its code paths; each
# must be in botocore's error list for that operation (issue 13), SerializationException
# being the protocol's own error that every AWS JSON 1.1 operation may answer.
RAISED = {
    "CreateUserImportJob": {"InvalidParameterException", "ResourceNotFoundException", "LimitExceededException"},
    "DescribeUserImportJob": {"InvalidParameterException", "ResourceNotFoundException"},
    "ListUserImportJobs": {"InvalidParameterException", "ResourceNotFoundException"},
    "StartUserImportJob": {"InvalidParameterException", "ResourceNotFoundException", "PreconditionNotMetException"},
    "StopUserImportJob": {"InvalidParameterException", "ResourceNotFoundException", "PreconditionNotMetException"},
    "GetCSVHeader": {"InvalidParameterException", "ResourceNotFoundException"},
    "UpdateUserPool": {"UserImportInProgressException"},
    "DeleteUserPool": {"UserImportInProgressException"},
    "AddCustomAttributes": {"UserImportInProgressException"},
    "InitiateAuth": {"PasswordResetRequiredException", "NotAuthorizedException"},
    "AdminInitiateAuth": {"PasswordResetRequiredException", "NotAuthorizedException"},
    "AdminUpdateUserAttributes": {"AliasExistsException"},
    "UpdateUserAttributes": {"AliasExistsException"},
}


@pytest.mark.parametrize("operation", RAISED)
def test_every_error_raised_is_in_the_operation_s_model(operation):
    import botocore.session

    model = botocore.session.get_session().get_service_model("cognito-idp").operation_model(operation)
    assert RAISED[operation] <= {shape.name for shape in model.error_shapes}


def test_every_error_class_is_one_the_model_knows():
    import botocore.session

    from moto_cognito_import import exceptions

    shapes = set(botocore.session.get_session().get_service_model("cognito-idp").shape_names)
    classes = {name for name in dir(exceptions) if name.endswith("Exception")}
    # the protocol's, and the signature check's
    assert classes - shapes == {
        "SerializationException", "UnknownOperationException", "InvalidSignatureException", "IncompleteSignatureException"
    }
