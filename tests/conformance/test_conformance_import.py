"""Conformance: running imports end to end, their CloudWatch log lines, stopping a running job,
and signing in as an imported user.

Against the fakes a started job has ended by the next read (no sleeping); against AWS
``Target.wait_for_job`` polls DescribeUserImportJob until it ends.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .snapshots import Snapshot
from .targets import Target

NEW_PASSWORD = "Conformance-N3w-passw0rd!"
#: The guide's own FAILED text for a row that verifies none of the auto-verified attributes.
NOT_VERIFIED = (
    "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true)."
)


def to_csv(header: list[str], rows: list[dict[str, str]]) -> str:
    """Cognito's CSV: every column of GetCSVHeader, in its order; empty cells for the rest."""
    lines = [",".join(header)] + [",".join(row.get(column, "") for column in header) for row in rows]
    return "\n".join(lines) + "\n"


def user(name: str, verified: str = "true") -> dict[str, str]:
    return {"cognito:username": name, "email": f"{name}@example.com", "email_verified": verified}


#: What an import decides about a user. The rest of AdminGetUser/ListUsers (MFA settings) is
#: moto's own answer for any user, out of this suite's scope (it differs from AWS's).
USER_FIELDS = ("Username", "UserStatus", "Enabled", "UserAttributes", "Attributes", "UserCreateDate", "UserLastModifiedDate")


def user_view(response: dict[str, Any]) -> dict[str, Any]:
    """AdminGetUser / ListUsers, reduced to USER_FIELDS (and the status code)."""
    view = {key: value for key, value in response.items() if key in (*USER_FIELDS, "ResponseMetadata")}
    if "Users" in response:
        view["Users"] = [user_view(item) for item in response["Users"]]
    return view


def tokens_view(response: dict[str, Any]) -> dict[str, Any]:
    """InitiateAuth's tokens as ``<token>`` (moto's refresh token is a UUID, AWS's a JWE)."""
    result = {key: "<token>" if key.endswith("Token") else value for key, value in response["AuthenticationResult"].items()}
    return {"AuthenticationResult": result, "ResponseMetadata": response["ResponseMetadata"]}


def run_import(target: Target, snapshot: Snapshot | None, pool: dict[str, Any], name: str, rows: list[dict[str, str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Create a job, upload the rows, start it and wait for it to end; (job as created, final
    DescribeUserImportJob response). Start and the final Describe are recorded if ``snapshot``."""
    idp = target.idp
    header = idp.get_csv_header(UserPoolId=pool["Id"])["CSVHeader"]
    job = target.create_job(pool["Id"], name)["UserImportJob"]
    assert target.upload(job["PreSignedUrl"], to_csv(header, rows)).status_code == 200
    started = idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    if snapshot is not None:
        snapshot.last("StartUserImportJob", started)
    done = target.wait_for_job(pool["Id"], job["JobId"])
    if snapshot is not None:
        snapshot.last("DescribeUserImportJob once ended", done)
    assert started["UserImportJob"]["Status"] == "Pending" and "StartDate" in started["UserImportJob"]
    return job, done


def test_import_of_a_small_csv(target: Target, snapshot: Snapshot) -> None:
    """Three good rows, one existing user (SKIPPED), one row verifying no auto-verified
    attribute (FAILED); the per-row log lines; the users."""
    idp, pool = target.idp, target.pool("import")
    idp.admin_create_user(  # SUPPRESS: no invitation message, on AWS either
        UserPoolId=pool["Id"], Username="existing", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "existing@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    rows = [user("ann"), user("ben", "TRUE"), user("cat"), user("existing"), user("dan", "false")]
    job, done = run_import(target, snapshot, pool, "small-csv", rows)
    listed = snapshot.call("ListUserImportJobs", idp.list_user_import_jobs, UserPoolId=pool["Id"], MaxResults=10)
    messages = snapshot.add("log events (by line number)", target.log_messages(pool, job, expected=len(rows)))
    users = snapshot.last("ListUsers", user_view(idp.list_users(UserPoolId=pool["Id"])))
    snapshot.last("AdminGetUser ann", user_view(idp.admin_get_user(UserPoolId=pool["Id"], Username="ann")))

    ended = done["UserImportJob"]
    assert (ended["Status"], ended["CompletionMessage"]) == ("Succeeded", "Import Job Completed Successfully.")
    assert (ended["ImportedUsers"], ended["SkippedUsers"], ended["FailedUsers"]) == (3, 1, 1)
    assert listed["UserImportJobs"][0]["Status"] == "Succeeded"
    # The guide documents the texts, not whether the header is line 1 (the snapshot has the
    # numbers); a 2024 capture shows "... attributes to verified." where the guide says "to true".
    texts = [re.sub(r" Line Number \d+ -", "", message) for message in messages]
    assert texts[:4] == ["[SUCCEEDED] The import succeeded."] * 3 + ["[SKIPPED] The user already exists."]
    assert len(texts) == 5 and texts[4].startswith(f"[FAILED] {NOT_VERIFIED.split(' to true')[0]}")
    statuses = {u["Username"]: u["UserStatus"] for u in users["Users"]}
    assert statuses == {"ann": "RESET_REQUIRED", "ben": "RESET_REQUIRED", "cat": "RESET_REQUIRED", "existing": "FORCE_CHANGE_PASSWORD"}


def test_stop_a_running_job(target: Target, snapshot: Snapshot) -> None:
    """Start then Stop straight away (the guide's own sequence): a real job stays Pending for a
    second or two. How many rows it imported before stopping may vary, so the counters are masked,
    and whether Stop answers Stopping or Stopped."""
    idp, pool = target.idp, target.pool("stop")
    header = idp.get_csv_header(UserPoolId=pool["Id"])["CSVHeader"]
    job = target.create_job(pool["Id"], "stopped")["UserImportJob"]
    rows = [user(f"user{number:02d}") for number in range(20)]
    assert target.upload(job["PreSignedUrl"], to_csv(header, rows)).status_code == 200
    counters = ("ImportedUsers", "SkippedUsers", "FailedUsers")
    snapshot.call("StartUserImportJob", idp.start_user_import_job, UserPoolId=pool["Id"], JobId=job["JobId"])
    stopped = idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    # Stopping or Stopped, as the timing goes (completed only when Stopped): left out of the record.
    timed = ("Status", "CompletionDate", "CompletionMessage")
    snapshot.last(
        "StopUserImportJob (status and completion left out)",
        {**stopped, "UserImportJob": {k: v for k, v in stopped["UserImportJob"].items() if k not in timed}},
        mask=counters,
    )
    ended = snapshot.last("DescribeUserImportJob once ended", target.wait_for_job(pool["Id"], job["JobId"]), mask=counters)
    again = snapshot.error("StartUserImportJob of a stopped job", idp.start_user_import_job, UserPoolId=pool["Id"], JobId=job["JobId"])
    snapshot.error("StopUserImportJob of a stopped job", idp.stop_user_import_job, UserPoolId=pool["Id"], JobId=job["JobId"])

    assert stopped["UserImportJob"]["Status"] in ("Stopping", "Stopped")
    assert ended["UserImportJob"]["Status"] == "Stopped"
    assert ended["UserImportJob"]["CompletionMessage"] == "The Import Job was stopped by the developer."
    assert again[0] != "ResourceNotFoundException"


def test_imported_users_sign_in(target: Target, snapshot: Snapshot) -> None:
    """A RESET_REQUIRED user can't sign in (PasswordResetRequiredException; what an app client
    that prevents user-existence errors answers is recorded too); once an administrator sets
    a permanent password, the user is CONFIRMED and signs in."""
    idp, pool = target.idp, target.pool("sign-in")
    _, done = run_import(target, None, pool, "sign-in", [user("ann")])
    assert done["UserImportJob"]["ImportedUsers"] == 1
    legacy = target.app_client(pool["Id"], "legacy", PreventUserExistenceErrors="LEGACY")
    enabled = target.app_client(pool["Id"], "enabled", PreventUserExistenceErrors="ENABLED")
    password = {"USERNAME": "ann", "PASSWORD": "Any-0ld-passw0rd!"}
    imported = snapshot.last("AdminGetUser ann", user_view(idp.admin_get_user(UserPoolId=pool["Id"], Username="ann")))
    refused = snapshot.error(
        "InitiateAuth USER_PASSWORD_AUTH (PreventUserExistenceErrors LEGACY)",
        idp.initiate_auth, ClientId=legacy, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=password,
    )
    snapshot.error(
        "InitiateAuth USER_PASSWORD_AUTH (PreventUserExistenceErrors ENABLED)",
        idp.initiate_auth, ClientId=enabled, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=password,
    )
    snapshot.call(
        "AdminSetUserPassword permanent", idp.admin_set_user_password,
        UserPoolId=pool["Id"], Username="ann", Password=NEW_PASSWORD, Permanent=True,
    )
    confirmed, tokens = signed_in_with_the_new_password(snapshot, idp, pool["Id"], legacy)

    assert imported["UserStatus"] == "RESET_REQUIRED"
    assert refused[0] == "PasswordResetRequiredException"
    assert confirmed["UserStatus"] == "CONFIRMED"
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(tokens["AuthenticationResult"])


def signed_in_with_the_new_password(
    snapshot: Snapshot, idp: Any, pool_id: str, client_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """ann after her new password: AdminGetUser, and a USER_PASSWORD_AUTH sign-in with it."""
    confirmed = snapshot.last("AdminGetUser ann after", user_view(idp.admin_get_user(UserPoolId=pool_id, Username="ann")))
    tokens = snapshot.last(
        "InitiateAuth USER_PASSWORD_AUTH with the new password",
        tokens_view(idp.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ann", "PASSWORD": NEW_PASSWORD}
        )),
    )
    return confirmed, tokens


@pytest.mark.fake_only("ForgotPassword emails the code on AWS; moto returns it in a response header")
def test_forgot_password_confirms_an_imported_user(target: Target, snapshot: Snapshot) -> None:
    """FAKE-ONLY: the guide's path for imported users, ForgotPassword + ConfirmForgotPassword."""
    recovery = {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]}
    idp, pool = target.idp, target.pool("forgot", AccountRecoverySetting=recovery)
    run_import(target, None, pool, "forgot", [user("ann")])
    client_id = target.app_client(pool["Id"], "app", PreventUserExistenceErrors="LEGACY")
    sent = snapshot.call("ForgotPassword", idp.forgot_password, ClientId=client_id, Username="ann")
    code = sent["ResponseMetadata"]["HTTPHeaders"]["x-moto-forgot-password-confirmation-code"]  # moto's "email"
    snapshot.call(
        "ConfirmForgotPassword", idp.confirm_forgot_password,
        ClientId=client_id, Username="ann", ConfirmationCode=code, Password=NEW_PASSWORD,
    )
    confirmed, tokens = signed_in_with_the_new_password(snapshot, idp, pool["Id"], client_id)

    assert confirmed["UserStatus"] == "CONFIRMED"
    assert "AccessToken" in tokens["AuthenticationResult"]
