"""The import itself: every CSV fixture through a real job, and what the imported users are.

Each ``tests/fixtures/<name>.csv`` has a sidecar ``<name>.json``: ``pool`` (CreateUserPool
arguments), ``algorithm`` (PasswordHashingAlgorithm or null), ``existing_users`` (usernames
created with AdminCreateUser first), ``expected`` (a subset of the finished job's
UserImportJobType) and optionally ``log`` (the job's CloudWatch messages, in order). The
offline checker runs the same fixtures, so the two can never disagree unnoticed.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import ACCOUNT, REGION, decorator_only
from moto_cognito_import.tools.checker import check_file, read_pool

FIXTURES = Path(__file__).parent / "fixtures"
CSV_FILES = sorted(FIXTURES.glob("*.csv"))
#: Run a test only under ``mock_aws`` (it reaches into moto's objects in this process).


def fixture_csv(name: str) -> bytes:
    return (FIXTURES / f"{name}.csv").read_bytes()


def attributes_of(user: dict[str, Any]) -> dict[str, str]:
    """ListUsers' ``Attributes`` / AdminGetUser's ``UserAttributes`` as a dict, without ``sub``."""
    pairs = user.get("Attributes", user.get("UserAttributes", []))
    return {a["Name"]: a["Value"] for a in pairs if a["Name"] != "sub"}


def users_by_name(aws: Any, pool_id: str) -> dict[str, dict[str, Any]]:
    return {u["Username"]: u for u in aws.idp.list_users(UserPoolId=pool_id)["Users"]}


# Every fixture under mock_aws; through the server, those that exercise the transport (raw
# bytes, line endings) and one of each outcome: the rules are the same code in both modes, and
# each pool costs moto ~0.2 s (it loads its RSA signing key per pool).
THROUGH_SERVER = {
    "aws_documented_sample", "file_with_bom", "dialect_cr", "header_unknown_columns", "row_not_auto_verified",
    "existing_user_skipped", "username_is_email_case_insensitive", "threshold_over_half",
}


@pytest.mark.parametrize(
    "aws, csv_path",
    [pytest.param("decorator", path, id=f"decorator-{path.stem}") for path in CSV_FILES]
    + [pytest.param("server", path, id=f"server-{path.stem}") for path in CSV_FILES if path.stem in THROUGH_SERVER],
    indirect=["aws"],
)
def test_every_fixture_file_imports_as_its_sidecar_says_and_the_checker_agrees(aws, csv_path):
    """The job does what the sidecar says, and the offline checker (its Python API, reading the
    pool first as ``--user-pool-id`` does) says the same, row by row: one code path. The
    command line's own agreement runs in test_cli.py."""
    spec = json.loads(csv_path.with_suffix(".json").read_text(encoding="utf-8"))
    pool = aws.idp.create_user_pool(**spec["pool"])["UserPool"]
    for username in spec["existing_users"]:
        aws.idp.admin_create_user(UserPoolId=pool["Id"], Username=username, MessageAction="SUPPRESS")
    profile, exists = read_pool(aws.idp, pool["Id"])
    report = check_file(io.BytesIO(csv_path.read_bytes()), profile, spec["algorithm"], exists)
    job = aws.run(pool["Id"], csv_path.read_bytes(), spec["algorithm"])
    assert {key: job.get(key) for key in spec["expected"]} == spec["expected"]
    assert len(job["CompletionMessage"]) <= 128  # CompletionMessageType's maximum
    users = aws.idp.list_users(UserPoolId=pool["Id"])["Users"]
    assert len(users) == len(spec["existing_users"]) + job["ImportedUsers"]
    logged = aws.log_messages(pool, job)
    if "log" in spec:
        assert logged == spec["log"]
    assert [row.message() for row in report.rows] == logged
    assert (report.status, report.completion_message) == (job["Status"], job["CompletionMessage"])
    assert (report.imported_users, report.skipped_users, report.failed_users) == (
        job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"],
    )


def test_aws_documented_sample_imports_john_and_jane(aws):
    """The example file of the guide's "Formatting the CSV file": upper-case booleans, empty
    columns, cognito:username first."""
    pool = aws.pool()
    job = aws.run(pool["Id"], fixture_csv("aws_documented_sample"))
    assert (job["Status"], job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == ("Succeeded", 2, 0, 0)
    users = users_by_name(aws, pool["Id"])
    assert set(users) == {"John", "Jane"}
    assert attributes_of(users["John"]) == {  # only non-empty columns, booleans lower-case
        "given_name": "John",
        "family_name": "Doe",
        "email": "johndoe@example.com",
        "email_verified": "true",
        "birthdate": "02/01/1985",
        "phone_number": "+12345550100",
        "phone_number_verified": "true",
        "address": "123 Any Street",
    }
    for user in users.values():
        assert user["UserStatus"] == "RESET_REQUIRED" and user["Enabled"] is True
        assert user["UserCreateDate"] == user["UserLastModifiedDate"]
    jane = aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="Jane")
    assert attributes_of(jane)["address"] == "100 Main Street"
    assert jane["UserStatus"] == "RESET_REQUIRED"


def _csv_value(value: str) -> str:
    return value.replace(",", "\\,")  # the guide: put a backslash before a comma


def test_a_file_built_from_get_csv_header_imports(aws):
    """What a user does (AWS's own export solution does the same): join GetCSVHeader's columns
    with commas, write each user's values in that order, escape commas."""
    pool = aws.pool(
        Schema=[
            {"Name": "tier", "AttributeDataType": "String", "Mutable": True},
            {"Name": "score", "AttributeDataType": "Number", "DeveloperOnlyAttribute": True, "Mutable": True},
        ]
    )
    header = aws.idp.get_csv_header(UserPoolId=pool["Id"])["CSVHeader"]
    people = [
        {"cognito:username": "ann", "name": "Lee, Ann", "email": "ann@example.com", "email_verified": "True",
         "custom:tier": "gold", "dev:custom:score": "42", "cognito:mfa_enabled": "false", "updated_at": "1471453471"},
        {"cognito:username": "bo", "email": "bo@example.com", "email_verified": "true", "address": "1 Main St, Apt 2"},
    ]
    lines = [",".join(header)] + [",".join(_csv_value(p.get(column, "")) for column in header) for p in people]
    job = aws.run(pool["Id"], "\n".join(lines) + "\n")
    assert (job["Status"], job["ImportedUsers"]) == ("Succeeded", 2)
    users = users_by_name(aws, pool["Id"])
    assert attributes_of(users["ann"]) == {
        "name": "Lee, Ann", "email": "ann@example.com", "email_verified": "true",
        "custom:tier": "gold", "dev:custom:score": "42", "updated_at": "1471453471",
    }
    assert attributes_of(users["bo"]) == {"email": "bo@example.com", "email_verified": "true", "address": "1 Main St, Apt 2"}


@decorator_only
def test_imported_users_are_moto_users_in_moto_pool(aws):
    from moto.cognitoidp.models import CognitoIdpUser, UserStatus, cognitoidp_backends

    pool = aws.pool()
    aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="admin-made", MessageAction="SUPPRESS")
    aws.run(pool["Id"], fixture_csv("aws_documented_sample"))
    users = cognitoidp_backends[ACCOUNT][REGION].user_pools[pool["Id"]].users
    imported = [users["John"], users["Jane"]]
    for user in imported:
        assert type(user) is CognitoIdpUser
        assert user.status is UserStatus.RESET_REQUIRED  # moto compares statuses with `is`
        assert user.enabled is True and user.password is None
        assert re.fullmatch(r"[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}", user.id)
        assert user.attribute_lookup["sub"] == user.id
        assert not any(name.startswith("cognito:") for name in user.attribute_lookup)
        assert all(value for value in user.attribute_lookup.values())
    assert len({user.id for user in users.values()}) == 3  # a new sub each


def test_imported_users_work_with_list_users_filters_and_groups(aws):
    pool = aws.pool()
    aws.run(pool["Id"], fixture_csv("aws_documented_sample"))
    found = aws.idp.list_users(UserPoolId=pool["Id"], Filter='email = "janeroe@example.com"')["Users"]
    assert [user["Username"] for user in found] == ["Jane"]
    found = aws.idp.list_users(UserPoolId=pool["Id"], Filter='given_name ^= "Jo"')["Users"]
    assert [user["Username"] for user in found] == ["John"]
    aws.idp.create_group(UserPoolId=pool["Id"], GroupName="migrated")
    aws.idp.admin_add_user_to_group(UserPoolId=pool["Id"], Username="John", GroupName="migrated")
    members = aws.idp.list_users_in_group(UserPoolId=pool["Id"], GroupName="migrated")["Users"]
    assert [user["Username"] for user in members] == ["John"]
    groups = aws.idp.admin_list_groups_for_user(UserPoolId=pool["Id"], Username="John")["Groups"]
    assert [group["GroupName"] for group in groups] == ["migrated"]


def test_counts_add_up_to_the_data_rows_of_every_kind(aws):
    pool = aws.pool()
    aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="old", MessageAction="SUPPRESS")
    csv = (
        "cognito:username,email,email_verified\n"
        "a,a@example.com,true\nold,old@example.com,true\nb,,false\nc,c@example.com,true\na,a2@example.com,true\n"
    )
    job = aws.run(pool["Id"], csv)
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (2, 2, 1)
    assert job["Status"] == "Failed"  # 3 of 5 rows failed or skipped: more than half
    assert len(aws.log_messages(pool, job)) == 5
