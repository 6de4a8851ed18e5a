"""CloudWatch Logs, as the guide's "Viewing the user import results" describes them.

Group ``/aws/cognito/userpools/<poolId>/<poolName>``, stream ``<jobId>/<jobName>``, one event
per data row by line number (header = line 1 [OURS]), and no user data.
"""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError
from moto.cognitoidp.models import cognitoidp_backends

from conftest import ACCOUNT, REGION, decorator_only

MIXED = (
    "cognito:username,name,email,email_verified,phone_number\n"
    "alice,Alice Liddell,alice@wonder.example,true,+14255550123\n"
    "zed,Zed Unverified,zed@unverified.example,false,\n"
    "old,Old Timer,old@existing.example,true,\n"
    "\n"
    "bad,Bad Phone,bad@phone.example,true,4255550199\n"
    "alice,Alice Again,alice2@wonder.example,true,\n"
)
EXPECTED = [
    "[SUCCEEDED] Line Number 2 - The import succeeded.",
    "[FAILED] Line Number 3 - The User Record does not set any of the auto verified attributes to true. "
    "(Example: email_verified to true).",
    "[SKIPPED] Line Number 4 - The user already exists.",
    "[FAILED] Line Number 6 - The value of phone_number is not an E.164 phone number such as +12065550100.",
    "[SKIPPED] Line Number 7 - The user already exists.",
]
LINE = re.compile(r"\[(SUCCEEDED|SKIPPED|FAILED)\] Line Number [0-9]+ - \S.*")


def test_one_event_per_data_row_in_the_documented_group_and_stream(aws):
    pool = aws.pool(PoolName="wonderland")
    aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="old", MessageAction="SUPPRESS")
    job = aws.run(pool["Id"], MIXED)
    logs = aws.client("logs")
    group = f"/aws/cognito/userpools/{pool['Id']}/wonderland"
    assert [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/aws/cognito/")["logGroups"]] == [group]
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert [s["logStreamName"] for s in streams] == [f"{job['JobId']}/import"]
    messages = aws.log_messages(pool, job)
    assert messages == EXPECTED
    assert all(LINE.fullmatch(message) for message in messages)


def test_no_user_data_is_written_to_the_log(aws):
    pool = aws.pool(PoolName="wonderland")
    aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="old", MessageAction="SUPPRESS")
    job = aws.run(pool["Id"], MIXED)
    text = "\n".join(aws.log_messages(pool, job))
    values = {value for line in MIXED.splitlines()[1:] for value in line.split(",")}
    values -= {"", "true", "false", "old", "bad"}  # words AWS's own messages may contain
    assert values and not [value for value in values if value in text]


def test_each_job_of_a_pool_has_its_own_stream_in_one_group(aws):
    pool = aws.pool()
    first = aws.run(pool["Id"], "cognito:username,email,email_verified\na,a@example.com,true\n")
    second = aws.run(pool["Id"], "cognito:username,email,email_verified\nb,b@example.com,true\nc,,false\n")
    streams = aws.client("logs").describe_log_streams(logGroupName=f"/aws/cognito/userpools/{pool['Id']}/{pool['Name']}")
    assert sorted(s["logStreamName"] for s in streams["logStreams"]) == sorted(
        f"{job['JobId']}/import" for job in (first, second)
    )
    assert len(aws.log_messages(pool, first)) == 1
    assert len(aws.log_messages(pool, second)) == 2


def test_a_held_job_shows_each_row_in_the_log_as_it_is_imported(aws):
    aws.hold_jobs(reads=2)
    pool = aws.pool()
    job = aws.run(pool["Id"], "cognito:username,email,email_verified\na,a@example.com,true\nb,,false\nc,c@example.com,true\n")
    assert job["Status"] == "Pending"
    def describe() -> dict:
        return aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]

    assert describe()["Status"] == "InProgress"
    aws.hold_jobs(reads=1000)  # stay InProgress: each read imports one more row
    assert aws.log_messages(pool, job) == []
    describe()
    assert aws.log_messages(pool, job) == ["[SUCCEEDED] Line Number 2 - The import succeeded."]
    describe()
    assert len(aws.log_messages(pool, job)) == 2


def test_python_logging_tells_a_job_s_start_and_end_without_user_data(aws, caplog):
    """For a user debugging an import (``--log-cli-level=INFO``): start and end at INFO, a
    failed job at WARNING, under the ``moto_cognito_import`` logger; no username, email or
    other CSV value. (Decorator mode logs in this process; a server logs to its own output.)"""
    import logging

    caplog.set_level(logging.INFO, logger="moto_cognito_import")
    pool = aws.pool()
    good = aws.run(pool["Id"], "cognito:username,name,email,email_verified\nalice,Alice Liddell,alice@wonder.example,true\n")
    failed = aws.run(pool["Id"], "cognito:username,email\nx,bad\n", name="bad")
    # A file without its header: its first user's values were named as "unknown columns".
    headless = aws.run(pool["Id"], "wanda,wanda@secret.example,true\n", name="headless")
    # A header run together with the first row (its line end lost): only name-like columns are named.
    glued = aws.run(pool["Id"], "cognito:username,name,emailz1,Zelda Zed,zelda@secret.example\n", name="glued")
    expired = aws.job(pool["Id"], name="never-started")  # an end too, seen at the next read
    aws.advance(24 * 3600 + 1)
    aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=expired["JobId"])
    if aws.endpoint is not None:
        return  # the server subprocess logged it (to its own stderr)
    records = [r for r in caplog.records if r.name.startswith("moto_cognito_import")]
    lines = [(r.levelname, r.getMessage()) for r in records]
    assert lines == [
        ("INFO", f"Import job {good['JobId']} of user pool {pool['Id']} started"),
        ("INFO", f"Import job {good['JobId']} of user pool {pool['Id']} ended Succeeded "
                 "(imported 1, skipped 0, failed 0): Import Job Completed Successfully."),
        ("INFO", f"Import job {failed['JobId']} of user pool {pool['Id']} started"),
        ("WARNING", f"Import job {failed['JobId']} of user pool {pool['Id']} ended Failed "
                    "(imported 0, skipped 0, failed 1): Too many users have failed or been skipped during the import."),
        ("INFO", f"Import job {headless['JobId']} of user pool {pool['Id']} started"),
        ("WARNING", f"Import job {headless['JobId']} of user pool {pool['Id']} ended Failed "
                    "(imported 0, skipped 0, failed 0): The CSV header has no cognito:username column."),
        ("INFO", f"Import job {glued['JobId']} of user pool {pool['Id']} started"),
        ("WARNING", f"Import job {glued['JobId']} of user pool {pool['Id']} ended Failed "
                    "(imported 0, skipped 0, failed 0): The CSV header has 3 unknown columns that look like a user's values."),
        ("INFO", f"Import job {expired['JobId']} of user pool {pool['Id']} ended Expired "
                 "(imported 0, skipped 0, failed 0): The user import job has expired."),
    ]
    text = re.sub("import-[A-Za-z0-9]{10}", "", "\n".join(message for _, message in lines))  # random IDs
    assert not any(secret in text for secret in ("alice", "wonder.example", "Liddell", "+1425", "wanda", "Zelda", "zelda@", "z1"))


@decorator_only  # a server logs to its own output
def test_a_held_job_whose_pool_goes_is_logged_as_ended(aws, caplog):
    """A job moto's state manager held InProgress, its pool then deleted (or the state reset):
    its start was logged, its end never was."""
    import logging

    caplog.set_level(logging.INFO, logger="moto_cognito_import")
    pool = aws.pool()
    aws.hold_jobs()
    job = aws.job(pool["Id"], "cognito:username,email,email_verified\nann,ann@example.com,true\n")
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    cognitoidp_backends[ACCOUNT][REGION].reset()  # moto's cognito-idp alone: the pool is gone
    with pytest.raises(ClientError):
        aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name.startswith("moto_cognito_import")]
    assert lines[-1] == (
        "WARNING", f"Import job {job['JobId']} of user pool {pool['Id']} ended Failed "
                   "(imported 0, skipped 0, failed 0): The user pool has been deleted.",
    )
