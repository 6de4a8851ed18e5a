"""Conformance: the six operations (success answers and main errors) and the pre-signed upload.

Every test runs against each selected target (mock_aws, a server, AWS) and compares what it
observed with ``snapshots/<test name>.json``; its own assertions check what AWS documents.
"""

from __future__ import annotations

from typing import Any

from .snapshots import Snapshot, http_response
from .targets import Target

CSV = "cognito:username,email,email_verified\nann,ann@example.com,true\n"
MISSING_JOB = "import-AAAAAAAAAA"  # well-formed, never issued


def test_get_csv_header(target: Target, snapshot: Snapshot) -> None:
    pool = target.pool(
        "header", Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}]
    )
    header = snapshot.call("GetCSVHeader", target.idp.get_csv_header, UserPoolId=pool["Id"])

    assert header["UserPoolId"] == pool["Id"]
    columns = header["CSVHeader"]
    assert {"cognito:username", "email", "email_verified", "custom:tier", "cognito:mfa_enabled"} <= set(columns)


def test_create_describe_and_list_jobs(target: Target, snapshot: Snapshot) -> None:
    idp, pool = target.idp, target.pool("jobs")
    first = snapshot.last("CreateUserImportJob first", target.create_job(pool["Id"], "first"))["UserImportJob"]
    second = snapshot.last("CreateUserImportJob second", target.create_job(pool["Id"], "second"))["UserImportJob"]
    described = snapshot.call(
        "DescribeUserImportJob first", idp.describe_user_import_job, UserPoolId=pool["Id"], JobId=first["JobId"]
    )["UserImportJob"]
    listed = snapshot.call("ListUserImportJobs MaxResults=10", idp.list_user_import_jobs, UserPoolId=pool["Id"], MaxResults=10)
    page = snapshot.call("ListUserImportJobs MaxResults=1", idp.list_user_import_jobs, UserPoolId=pool["Id"], MaxResults=1)
    last = snapshot.call(
        "ListUserImportJobs MaxResults=1, second page", idp.list_user_import_jobs,
        UserPoolId=pool["Id"], MaxResults=1, PaginationToken=page["PaginationToken"],
    )

    # Created: counters 0, no StartDate/CompletionDate/CompletionMessage (DG sample response).
    assert first["Status"] == "Created" and (first["ImportedUsers"], first["SkippedUsers"], first["FailedUsers"]) == (0, 0, 0)
    assert not {"StartDate", "CompletionDate", "CompletionMessage"} & set(first)
    assert described["JobId"] == first["JobId"] and described["Status"] == "Created"
    assert {job["JobId"] for job in listed["UserImportJobs"]} == {first["JobId"], second["JobId"]}
    assert len(page["UserImportJobs"]) == 1 and len(last["UserImportJobs"]) == 1
    assert {page["UserImportJobs"][0]["JobId"], last["UserImportJobs"][0]["JobId"]} == {first["JobId"], second["JobId"]}


def test_start_and_stop_of_a_job_that_cannot(target: Target, snapshot: Snapshot) -> None:
    """Start without an upload; Stop of a Created job; the job stays Created."""
    idp, pool = target.idp, target.pool("refusals")
    job = target.create_job(pool["Id"], "no-upload")["UserImportJob"]
    start = snapshot.error(
        "StartUserImportJob without an upload", idp.start_user_import_job, UserPoolId=pool["Id"], JobId=job["JobId"]
    )
    stop = snapshot.error(
        "StopUserImportJob of a Created job", idp.stop_user_import_job, UserPoolId=pool["Id"], JobId=job["JobId"]
    )
    after = snapshot.call(
        "DescribeUserImportJob after both", idp.describe_user_import_job, UserPoolId=pool["Id"], JobId=job["JobId"]
    )

    assert start[1] == f"No csv file was uploaded for {job['JobId']}"
    assert stop[0] != "ResourceNotFoundException"
    assert after["UserImportJob"]["Status"] == "Created"


def test_unknown_pool_unknown_job_and_max_results_out_of_range(target: Target, snapshot: Snapshot) -> None:
    idp, pool = target.idp, target.pool("errors")
    missing_pool = f"{target.region}_doesNotExist"
    calls: dict[str, tuple[Any, dict[str, Any]]] = {
        "CreateUserImportJob": (idp.create_user_import_job, {"JobName": "j", "CloudWatchLogsRoleArn": target.logs_role()}),
        "DescribeUserImportJob": (idp.describe_user_import_job, {"JobId": MISSING_JOB}),
        "ListUserImportJobs": (idp.list_user_import_jobs, {"MaxResults": 10}),
        "StartUserImportJob": (idp.start_user_import_job, {"JobId": MISSING_JOB}),
        "StopUserImportJob": (idp.stop_user_import_job, {"JobId": MISSING_JOB}),
        "GetCSVHeader": (idp.get_csv_header, {}),
    }
    codes = set()
    for operation, (method, kwargs) in calls.items():
        codes.add(snapshot.error(f"{operation}, unknown pool", method, UserPoolId=missing_pool, **kwargs)[0])
    for operation in ("DescribeUserImportJob", "StartUserImportJob", "StopUserImportJob"):
        method = calls[operation][0]
        codes.add(snapshot.error(f"{operation}, unknown job", method, UserPoolId=pool["Id"], JobId=MISSING_JOB)[0])
    # MaxResults is 1..60: botocore itself refuses 0, so that one goes through an unvalidating client.
    over = snapshot.error("ListUserImportJobs MaxResults=61", idp.list_user_import_jobs, UserPoolId=pool["Id"], MaxResults=61)
    unvalidated = target.client(validate=False)
    under = snapshot.error("ListUserImportJobs MaxResults=0", unvalidated.list_user_import_jobs, UserPoolId=pool["Id"], MaxResults=0)

    assert codes == {"ResourceNotFoundException"}
    assert over[0] == under[0] == "InvalidParameterException"


def test_upload_to_the_presigned_url(target: Target, snapshot: Snapshot) -> None:
    """The URL is a pre-signed S3 PUT that requires ``x-amz-server-side-encryption: aws:kms``."""
    idp, pool = target.idp, target.pool("upload")
    job = target.create_job(pool["Id"], "upload")["UserImportJob"]
    without = snapshot.add("PUT without the encryption header", http_response(target.upload(job["PreSignedUrl"], CSV, sse=None)))
    other = snapshot.add("PUT with x-amz-server-side-encryption: AES256", http_response(target.upload(job["PreSignedUrl"], CSV, sse="AES256")))
    good = snapshot.add("PUT with x-amz-server-side-encryption: aws:kms", http_response(target.upload(job["PreSignedUrl"], CSV)))
    after = snapshot.call(
        "DescribeUserImportJob after the upload", idp.describe_user_import_job, UserPoolId=pool["Id"], JobId=job["JobId"]
    )

    assert without["status"] == other["status"] == 403
    assert without["error"]["Code"] == "SignatureDoesNotMatch"
    assert good["status"] == 200 and good["headers"]["x-amz-server-side-encryption"] == "aws:kms"
    assert after["UserImportJob"]["Status"] == "Created"
