"""What can end a job besides its rows: the logs role, Stop, pool changes, crashes, a lost pool.

- Role [OURS]: checked when the job starts running; a role missing from moto's IAM or not
  trusting cognito-idp.amazonaws.com fails the job. MOTO_COGNITO_IMPORT_CHECK_ROLE=false (or,
  for a server, ``POST /moto-api/cognito-import/settings`` with ``{"check_role": false}``)
  turns the check off.
- While a job is Pending/InProgress its pool refuses UpdateUserPool, DeleteUserPool and
  AddCustomAttributes with UserImportInProgressException [AWS exception; trigger OURS].
- A row is a whole user or nothing: "The user couldn't be imported due to an internal error."
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT, REGION, decorator_only
from moto_cognito_import.importing.logs_role import LOGS_ROLE_TRUST_POLICY, logs_role_permissions

CSV = "cognito:username,email,email_verified\na,a@example.com,true\nb,b@example.com,true\nc,c@example.com,true\nd,d@example.com,true\n"
NO_SUCH_ROLE = "The CloudWatch Logs role does not exist (skip the check: MOTO_COGNITO_IMPORT_CHECK_ROLE=false or the check_role setting)."
NOT_TRUSTED = "The CloudWatch Logs role cannot be assumed: its trust policy does not allow cognito-idp.amazonaws.com."
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def start_with_role(aws: Any, pool_id: str, role_arn: str) -> dict[str, Any]:
    job = aws.idp.create_user_import_job(JobName="import", UserPoolId=pool_id, CloudWatchLogsRoleArn=role_arn)["UserImportJob"]
    aws.upload(job["PreSignedUrl"], CSV)
    aws.idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    return aws.idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]  # type: ignore[no-any-return]


def _role(aws: Any, kind: str) -> str:
    if kind == "missing":
        return f"arn:aws:iam::{ACCOUNT}:role/service-role/Cognito-UserImport-Role"
    if kind == "other-account":
        return "arn:aws:iam::210987654321:role/Cognito-UserImport-Role"
    if kind == "not-a-role":
        return f"arn:aws:iam::{ACCOUNT}:user/Cognito-UserImport-Role"
    if kind == "untrusting":
        return aws.logs_role(trust=LAMBDA_TRUST)
    # moto stores any trust document; Cognito could not read this one
    return aws.client("iam").create_role(RoleName="garbled", AssumeRolePolicyDocument="not json at all")["Role"]["Arn"]  # type: ignore[no-any-return]


ROLE_PROBLEMS = {
    "missing": NO_SUCH_ROLE,
    "untrusting": NOT_TRUSTED,
    "garbled": NOT_TRUSTED,
    "other-account": "The CloudWatch Logs role must be in the user pool's account.",
    "not-a-role": "The CloudWatch Logs role ARN is not the ARN of an IAM role.",
}


def test_a_role_cognito_cannot_assume_fails_the_job_and_imports_nobody(aws):
    pool = aws.pool()
    for kind, message in ROLE_PROBLEMS.items():  # each job fails at once, so the next can start
        job = start_with_role(aws, pool["Id"], _role(aws, kind))
        assert (job["Status"], job["CompletionMessage"]) == ("Failed", message), kind
        assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (0, 0, 0), kind
    assert aws.idp.list_users(UserPoolId=pool["Id"])["Users"] == []
    assert aws.client("logs").describe_log_groups()["logGroups"] == []  # no role, no logs


def test_the_documented_role_with_its_permissions_policy_works(aws):
    pool = aws.pool()
    arn = aws.client("iam").create_role(
        RoleName="Cognito-UserImport-Role", Path="/service-role/",
        AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": ["cognito-idp.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}],
        }),
    )["Role"]["Arn"]
    aws.client("iam").put_role_policy(
        RoleName="Cognito-UserImport-Role", PolicyName="logs", PolicyDocument=json.dumps(logs_role_permissions(REGION, ACCOUNT))
    )
    assert start_with_role(aws, pool["Id"], arn)["ImportedUsers"] == 4


def _allow(actions: Any, resource: Any, effect: str = "Allow") -> dict[str, Any]:
    return {"Effect": effect, "Action": actions, "Resource": resource}


GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/cognito/userpools/{{pool}}/migrated"
(DOCUMENTED,) = logs_role_permissions(REGION, ACCOUNT)["Statement"]
ACCESS_POLICIES: dict[str, tuple[list[dict[str, Any]], str | None]] = {
    # statements of the role's policy -> the first action it does not allow (None: the job runs)
    "none": ([], "logs:CreateLogGroup"),
    "documented": ([DOCUMENTED], None),
    "logs-star-any-case": ([_allow("LOGS:*", "*")], None),
    "the-group-with-star": ([_allow("logs:*", GROUP + ":*")], None),
    # IAM evaluates a log group's actions against "<group>:log-stream:" (AWS's AccessDenied messages)
    "the-group-alone": ([_allow("logs:*", GROUP)], "logs:CreateLogGroup"),
    "the-group-s-streams": ([_allow("logs:*", GROUP + ":log-stream:*")], None),
    "a-guardrail-deny": ([_allow("logs:*", "*"), {"Effect": "Deny", "Action": "logs:*", "NotResource": GROUP + ":*"}], None),
    "a-deny-of-the-bare-group": ([_allow("logs:*", "*"), _allow("logs:CreateLogGroup", GROUP, "Deny")], None),
    "another-prefix": ([_allow("logs:*", f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/*")], "logs:CreateLogGroup"),
    "another-region": ([_allow("logs:*", f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:*")], "logs:CreateLogGroup"),
    "no-put": ([_allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams"], "*")], "logs:PutLogEvents"),
    "denied": ([DOCUMENTED, _allow("logs:Put*", "*", "Deny")], "logs:PutLogEvents"),
    "denied-under-a-condition": ([DOCUMENTED, {**_allow("logs:*", "*", "Deny"), "Condition": {"Bool": {"aws:SecureTransport": "false"}}}], None),
    "not-action": ([{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}], None),
    "not-resource": ([{"Effect": "Allow", "Action": "logs:*", "NotResource": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/cognito/*"}], "logs:CreateLogGroup"),
}


@decorator_only  # the policy is evaluated in the backend, the same in both modes
@pytest.mark.parametrize("case", ACCESS_POLICIES)
def test_a_role_without_the_documented_access_fails_the_job(aws, case):
    """The guide ("Viewing the results"): the job fails when the role "doesn't have the correct
    access policy". Only trust was checked: a role allowed no logging imported everyone and
    wrote its log. Read as IAM reads a policy; the first action missing is named."""
    statements, missing = ACCESS_POLICIES[case]
    pool = aws.pool()
    iam = aws.client("iam")
    arn = iam.create_role(RoleName="logs", AssumeRolePolicyDocument=json.dumps(LOGS_ROLE_TRUST_POLICY))["Role"]["Arn"]
    if statements:
        document = json.dumps({"Version": "2012-10-17", "Statement": statements}).replace("{pool}", pool["Id"])
        iam.put_role_policy(RoleName="logs", PolicyName="logs", PolicyDocument=document)
    job = start_with_role(aws, pool["Id"], arn)
    if missing is None:
        assert (job["Status"], job["ImportedUsers"]) == ("Succeeded", 4)
        return
    assert (job["Status"], job["CompletionMessage"]) == (
        "Failed", f"The CloudWatch Logs role does not have the correct access policy: it does not allow {missing} on the job's log."
    )
    assert aws.idp.list_users(UserPoolId=pool["Id"])["Users"] == []


@decorator_only  # moto keeps a stack's role the same way in both modes
def test_a_cloudformation_role_s_inline_policy_grants_the_access(aws):
    """moto keeps the inline policies of a CloudFormation role as dicts, not JSON: every job
    with such a role failed with an internal error."""
    pool = aws.pool()
    aws.client("cloudformation").create_stack(StackName="roles", TemplateBody=json.dumps({"Resources": {"Role": {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "RoleName": "Cognito-UserImport-Role", "AssumeRolePolicyDocument": LOGS_ROLE_TRUST_POLICY,
            "Policies": [{"PolicyName": "logs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [DOCUMENTED]}}],
        },
    }}}))
    arn = f"arn:aws:iam::{ACCOUNT}:role/Cognito-UserImport-Role"
    assert start_with_role(aws, pool["Id"], arn)["ImportedUsers"] == 4


@decorator_only  # moto's IAM keeps a managed policy's versions the same way in both modes
def test_a_managed_policy_s_default_version_grants_the_access(aws):
    pool = aws.pool()
    iam = aws.client("iam")
    arn = iam.create_role(RoleName="logs", AssumeRolePolicyDocument=json.dumps(LOGS_ROLE_TRUST_POLICY))["Role"]["Arn"]
    policy = iam.create_policy(PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [DOCUMENTED]}))
    policy_arn = policy["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="logs", PolicyArn=policy_arn)
    iam.set_default_policy_version(PolicyArn=policy_arn, VersionId="v1")  # moto unflags it; still the default
    assert start_with_role(aws, pool["Id"], arn)["ImportedUsers"] == 4
    iam.create_policy_version(PolicyArn=policy_arn, SetAsDefault=True,
                              PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [_allow("s3:*", "*")]}))
    assert start_with_role(aws, pool["Id"], arn)["Status"] == "Failed"  # v1, no longer the default, grants nothing


@pytest.mark.parametrize(("region", "partition"), [("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")])
def test_the_documented_permissions_policy_names_the_region_s_partition(region, partition):
    """The ``cognito_import_logs_role`` fixture's policy for a China or GovCloud region named
    ``arn:aws:logs:...``, a resource no policy there can grant."""
    (statement,) = logs_role_permissions(region, ACCOUNT)["Statement"]
    assert statement["Resource"] == [f"arn:{partition}:logs:{region}:{ACCOUNT}:log-group:/aws/cognito/*"]


def _trust(*statements: dict[str, Any]) -> str:
    cognito = {"Principal": {"Service": "cognito-idp.amazonaws.com"}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **cognito, **s} for s in statements]})


TRUST_POLICIES = {  # IAM JSON policy reference: Action, Principal and policy evaluation logic
    "action names are case-insensitive": (_trust({"Action": "STS:assumerole"}), True),
    "actions take wildcards": (_trust({"Action": ["s3:GetObject", "sts:Assume*"]}), True),
    "? is a wildcard too": (_trust({"Action": "sts:AssumeRol?"}), True),
    "another sts action": (_trust({"Action": "sts:AssumeRoleWithSAML"}), False),
    'NotAction "s3:*"': (json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "NotAction": "s3:*"}]}), True),
    'Principal {"AWS": "*"} is "*"': (_trust({"Principal": {"AWS": "*"}}), True),
    "an explicit Deny wins": (_trust({}, {"Effect": "Deny", "Action": "sts:*"}), False),
    "a Deny on a condition is not evaluated": (_trust({}, {"Effect": "Deny", "Condition": {"Bool": {"aws:x": "true"}}}), True),
}


@decorator_only  # the policy is read the same in both modes
@pytest.mark.parametrize("case", TRUST_POLICIES)
def test_a_trust_policy_is_read_as_iam_reads_it(aws, case):
    """A role Cognito can assume was refused when its trust policy spelt the action another way
    (``STS:AssumeRole``, ``sts:Assume*``), and a role with an explicit Deny was accepted."""
    document, trusted = TRUST_POLICIES[case]
    arn = aws.logs_role("trust-case", document)
    job = start_with_role(aws, aws.pool()["Id"], arn)
    assert (job["Status"], job.get("CompletionMessage")) == (
        ("Succeeded", "Import Job Completed Successfully.") if trusted else ("Failed", NOT_TRUSTED)
    )


@decorator_only
def test_the_role_check_can_be_turned_off(aws, monkeypatch):
    monkeypatch.setenv("MOTO_COGNITO_IMPORT_CHECK_ROLE", "false")
    pool = aws.pool()
    job = start_with_role(aws, pool["Id"], _role(aws, "missing"))
    assert (job["Status"], job["ImportedUsers"]) == ("Succeeded", 4)


@pytest.mark.parametrize("at_start", [False, True], ids=["off-at-start", "on-at-start"])
def test_the_role_check_setting_is_the_one_at_start(aws, at_start):
    """README: the setting is "read at each Start". It was read when the job began running
    (the first read after Start), so a setting changed in between decided instead."""
    pool = aws.pool()
    job = aws.idp.create_user_import_job(
        JobName="import", UserPoolId=pool["Id"], CloudWatchLogsRoleArn=_role(aws, "missing")
    )["UserImportJob"]
    aws.upload(job["PreSignedUrl"], CSV)
    aws.settings(check_role=at_start)
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    aws.settings(check_role=not at_start)
    done = aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert done["Status"] == ("Failed" if at_start else "Succeeded")


POOL_CHANGES = {
    "UpdateUserPool": lambda idp, pool_id: idp.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"]),
    "AddCustomAttributes": lambda idp, pool_id: idp.add_custom_attributes(
        UserPoolId=pool_id, CustomAttributes=[{"Name": "tier", "AttributeDataType": "String"}]
    ),
    "DeleteUserPool": lambda idp, pool_id: idp.delete_user_pool(UserPoolId=pool_id),
}


def _hold(aws: Any, pool_id: str, status: str) -> dict[str, Any]:
    """Start a job and keep it ``status`` (Pending or InProgress) for the next reads."""
    aws.hold_jobs(reads=2 if status == "InProgress" else 1000)
    job = aws.job(pool_id, CSV)
    aws.idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    if status == "InProgress":
        aws.idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        assert aws.idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]["Status"] == "InProgress"
        aws.hold_jobs(reads=1000)
    return job


@pytest.mark.parametrize("status", ["Pending", "InProgress"])
def test_a_running_job_locks_its_pool_until_it_ends(aws, status):
    pool, other = aws.pool(), aws.pool(PoolName="other")
    job = _hold(aws, pool["Id"], status)
    for operation, change in POOL_CHANGES.items():
        with pytest.raises(ClientError) as exc:
            change(aws.idp, pool["Id"])
        assert error_of(exc) == (
            "UserImportInProgressException", f"A user import job is in progress for user pool {pool['Id']}."
        ), operation
        change(aws.idp, other["Id"])  # other pools are not locked
    aws.idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    for change in POOL_CHANGES.values():
        change(aws.idp, pool["Id"])


@decorator_only  # resets moto's cognito-idp backend alone, in this process
def test_a_new_pool_with_a_running_job_s_pool_id_is_not_locked(aws, monkeypatch):
    """moto's cognito-idp backend reset alone forgets the pool of a running job; under the
    HASH strategy a new pool gets its ID. The new pool was locked (UpdateUserPool,
    DeleteUserPool: UserImportInProgressException) by the job of the pool that is gone."""
    from moto.cognitoidp.models import cognitoidp_backends

    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")
    pool = aws.pool()
    _hold(aws, pool["Id"], "Pending")
    cognitoidp_backends[ACCOUNT][REGION].reset()
    assert aws.pool()["Id"] == pool["Id"]
    for change in POOL_CHANGES.values():
        change(aws.idp, pool["Id"])


def test_stop_while_in_progress_keeps_what_was_imported_and_counts_exactly_that(aws):
    pool = aws.pool()
    job = _hold(aws, pool["Id"], "InProgress")
    counts = []
    for _ in range(2):  # each read of a job held InProgress imports one row
        counts.append(aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]["ImportedUsers"])
    stopped = aws.idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert counts == [1, 2]
    assert (stopped["Status"], stopped["CompletionMessage"]) == ("Stopped", "The Import Job was stopped by the developer.")
    done = stopped["ImportedUsers"]  # Stop acts on the job as last described: no row more
    assert (done, stopped["SkippedUsers"], stopped["FailedUsers"]) == (2, 0, 0)
    aws.hold_jobs(reads=1)
    later = aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert (later["Status"], later["ImportedUsers"]) == ("Stopped", done)
    assert sorted(u["Username"] for u in aws.idp.list_users(UserPoolId=pool["Id"])["Users"]) == ["a", "b"]
    assert len(aws.log_messages(pool, job)) == done


def test_start_then_stop_stops_the_job_in_the_default_progression(aws):
    """AWS's documented sequence (start, then StopUserImportJob) works without holding the
    job: only the user's reads (Describe, List) move a started job on, not Stop's own check."""
    pool = aws.pool()
    job = aws.job(pool["Id"], CSV)
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    stopped = aws.idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert (stopped["Status"], stopped["ImportedUsers"]) == ("Stopped", 0)
    assert aws.idp.list_users(UserPoolId=pool["Id"])["Users"] == []


@pytest.mark.parametrize("operation", POOL_CHANGES)
def test_a_started_job_locks_its_pool_until_a_read_finishes_it(aws, operation):
    """Default progression: a job is finished by the user's next read, and until then it is
    running as far as the pool is concerned (UserImportInProgressException), as on AWS."""
    pool = aws.pool()
    job = aws.job(pool["Id"], CSV)
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    with pytest.raises(ClientError) as exc:
        POOL_CHANGES[operation](aws.idp, pool["Id"])
    assert error_of(exc)[0] == "UserImportInProgressException"
    assert aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]["Status"] == "Succeeded"
    POOL_CHANGES[operation](aws.idp, pool["Id"])


def test_stop_while_pending_imports_nobody(aws):
    pool = aws.pool()
    job = _hold(aws, pool["Id"], "Pending")
    stopped = aws.idp.stop_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert (stopped["Status"], stopped["ImportedUsers"], stopped["SkippedUsers"], stopped["FailedUsers"]) == ("Stopped", 0, 0, 0)
    assert aws.idp.list_users(UserPoolId=pool["Id"])["Users"] == []


class _FailingStore(dict):  # type: ignore[type-arg]
    """moto's ``pool.users``, failing to store b's entry."""

    def __init__(self, items: Any, is_b: Any):
        super().__init__(items)
        self.is_b = is_b

    def __setitem__(self, key: str, value: Any) -> None:
        if self.is_b(key, value):
            raise MemoryError("simulated crash while storing")
        super().__setitem__(key, value)


@decorator_only
@pytest.mark.parametrize("crash", ["building the user", "storing the user"])
def test_a_crash_while_creating_a_user_fails_that_row_only(aws, monkeypatch, caplog, crash):
    from moto.cognitoidp.models import cognitoidp_backends

    from moto_cognito_import.importing import run as importer

    pool = aws.pool()
    moto_pool = cognitoidp_backends[ACCOUNT][REGION].user_pools[pool["Id"]]
    if crash == "building the user":
        build = importer.new_user  # the bulk path's stand-in for CognitoIdpUser(...)

        def crashing_build(user_pool_id: str, username: str, *args: Any) -> Any:
            if username == "b":
                raise RuntimeError("simulated crash while building the user")
            return build(user_pool_id, username, *args)

        monkeypatch.setattr(importer, "new_user", crashing_build)
    else:
        monkeypatch.setattr(moto_pool, "users", _FailingStore(moto_pool.users, lambda key, user: key == "b"))
    job = aws.run(pool["Id"], CSV)
    assert (job["Status"], job["ImportedUsers"], job["FailedUsers"]) == ("Succeeded", 3, 1)
    assert sorted(moto_pool.users) == ["a", "c", "d"]  # no half user
    assert aws.log_messages(pool, job)[1] == "[FAILED] Line Number 3 - The user couldn't be imported due to an internal error."
    assert "Line 3 of import job " + job["JobId"] in caplog.text  # the traceback goes to Python's logging


@decorator_only
@pytest.mark.parametrize("status, imported", [("Pending", 0), ("InProgress", 1)])
def test_a_pool_deleted_under_a_running_job_fails_it(aws, status, imported):
    """DeleteUserPool is refused while a job runs, so the pool goes behind moto's back here."""
    from moto.cognitoidp.models import cognitoidp_backends

    from moto_cognito_import.jobs.models import import_backends

    pool = aws.pool()
    held = _hold(aws, pool["Id"], status)
    job = import_backends[ACCOUNT][REGION].describe_user_import_job(pool["Id"], held["JobId"])
    assert job.status == status and job.imported_users == imported  # an InProgress read imports a row
    moto_pool = cognitoidp_backends[ACCOUNT][REGION].user_pools.pop(pool["Id"])
    aws.unset_transition()
    job.advance()  # the next read of the job
    assert (job.status, job.completion_message) == ("Failed", "The user pool has been deleted.")
    assert job.imported_users == len(moto_pool.users) == imported
