"""The three ways users activate the plugin: decorator/context manager, pytest fixtures, server."""

from __future__ import annotations

import warnings

import boto3
import requests
from moto import mock_aws
from moto.cognitoidp.responses import CognitoIdpResponse

import moto_cognito_import
from conftest import REGION

CSV = "cognito:username,email,email_verified\njohn,john@example.com,true\n"
ACTIONS = (
    "create_user_import_job", "describe_user_import_job", "list_user_import_jobs",
    "start_user_import_job", "stop_user_import_job", "get_csv_header",
)


@mock_aws
def test_decorator_gives_boto3_the_six_operations():
    client = boto3.client("cognito-idp", region_name=REGION)
    pool_id = client.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    assert client.get_csv_header(UserPoolId=pool_id)["CSVHeader"][-2:] == ["cognito:username", "password_hash"]
    job = client.create_user_import_job(
        JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/r"
    )["UserImportJob"]
    assert client.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]["Status"] == "Created"


def test_context_manager_and_state_cleared_between_mocks():
    with mock_aws():
        client = boto3.client("cognito-idp", region_name=REGION)
        pool_id = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
        client.create_user_import_job(JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/r")
        backends = moto_cognito_import.jobs.models.import_backends
        assert any(backend.jobs() for _, _, backend in backends.iter_backends())
    with mock_aws():
        assert not any(list(backend.jobs()) for _, _, backend in backends.iter_backends())


def test_activate_is_idempotent_and_keeps_mocos_own_actions():
    before = {name: CognitoIdpResponse.__dict__[name] for name in ACTIONS}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        moto_cognito_import.activate()
        moto_cognito_import.activate()
    assert {name: CognitoIdpResponse.__dict__[name] for name in ACTIONS} == before
    with mock_aws():
        client = boto3.client("cognito-idp", region_name=REGION)
        pool_id = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
        client_id = client.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
        client.admin_create_user(UserPoolId=pool_id, Username="native", TemporaryPassword="Tmp-Passw0rd!")
        client.admin_set_user_password(UserPoolId=pool_id, Username="native", Password="Passw0rd!x", Permanent=True)
        tokens = client.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "native", "PASSWORD": "Passw0rd!x"},
        )
        assert "AccessToken" in tokens["AuthenticationResult"]
        client.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"])
        client.delete_user_pool(UserPoolId=pool_id)


def test_threaded_server_in_process_serves_the_operations_and_uploads(cognito_import_server, monkeypatch):
    monkeypatch.setenv("MOTO_COGNITO_IMPORT_CHECK_ROLE", "false")
    client = boto3.client("cognito-idp", region_name=REGION, endpoint_url=cognito_import_server)
    pool_id = client.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    job = client.create_user_import_job(
        JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/r"
    )["UserImportJob"]
    assert job["PreSignedUrl"].startswith(f"{cognito_import_server}/aws-cognito-idp-user-import-iad/")
    upload = requests.put(job["PreSignedUrl"], data=CSV, headers={"x-amz-server-side-encryption": "aws:kms"}, timeout=30)
    assert upload.status_code == 200
    client.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    done = client.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 1)
    assert [u["Username"] for u in client.list_users(UserPoolId=pool_id)["Users"]] == ["john"]


def test_pytest_plugin_fixtures_work_for_a_user(pytester):
    """The pytest11 entry point registers the fixtures: a user's test file needs no conftest."""
    pytester.makepyfile(
        """
        import requests

        def test_migration(cognito_import_client, cognito_import_user_pool, cognito_import_logs_role, monkeypatch):
            pool_id = cognito_import_user_pool["Id"]
            job = cognito_import_client.create_user_import_job(
                JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn=cognito_import_logs_role
            )["UserImportJob"]
            csv = "cognito:username,email,email_verified\\nann,ann@example.com,true\\n"
            assert requests.put(job["PreSignedUrl"], data=csv,
                                headers={"x-amz-server-side-encryption": "aws:kms"}).status_code == 200
            cognito_import_client.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
            job = cognito_import_client.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
            assert job["Status"] == "Succeeded", job
            user = cognito_import_client.admin_get_user(UserPoolId=pool_id, Username="ann")
            assert user["UserStatus"] == "RESET_REQUIRED"

        def test_server(cognito_import_server):
            assert requests.get(cognito_import_server + "/moto-api/cognito-import/clock").status_code == 200
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    fixtures = pytester.runpytest_subprocess("--fixtures")
    for name in ("cognito_import_client", "cognito_import_user_pool", "cognito_import_logs_role",
                 "cognito_import_server", "cognito_import_credentials", "cognito_import_region"):
        fixtures.stdout.fnmatch_lines([f"{name}*"])
