"""The conformance suite's own machinery: normalisation, the diff, the snapshot files, and the
cleanup guarantee (what a test creates is deleted even when it fails, and nothing else is)."""

from __future__ import annotations

import ast
import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from .conftest import ENDPOINT_ENV, TARGET_ENV, UPDATE_ENV, check, settings
from .snapshots import RECORDABLE, SNAPSHOT_DIR, Normaliser, Snapshot, dump
from .targets import PREFIX

HERE = Path(__file__).parent
#: The suite's cleanup and snapshot rules are the same on every lower bound: tox's "lowest"
#: leaves these out (tox.ini).
SUITE_S_OWN_RULES = pytest.mark.newest_only

# Shaped like the CLI reference's output (the URL is AWS's published example, values filled in).
AWS_JOB: dict[str, Any] = {
    "UserImportJob": {
        "JobName": "mci-conformance-0a1b2c3d-job",
        "JobId": "import-mAgUtd8PMm",
        "UserPoolId": "us-west-2_EXAMPLE",
        "PreSignedUrl": (
            "https://aws-cognito-idp-user-import-pdx.s3.us-west-2.amazonaws.com/111122223333/us-west-2_EXAMPLE/"
            "import-mAgUtd8PMm?X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Date=20241226T193341Z&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption&X-Amz-Expires=899"
            "&X-Amz-Credential=ASIAEXAMPLEEXAMPLE12%2F20241226%2Fus-west-2%2Fs3%2Faws4_request"
            "&X-Amz-Signature=" + "ab" * 32
        ),
        "CreationDate": datetime.datetime(2024, 12, 26, 19, 33, 41, 965000, tzinfo=datetime.UTC),
        "Status": "Created",
        "CloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/mci-conformance-0a1b2c3d",
        "ImportedUsers": 0,
        "SkippedUsers": 0,
        "FailedUsers": 0,
    },
    "ResponseMetadata": {"RequestId": "a5b3d2c1-1234-4abc-9def-0123456789ab", "HTTPStatusCode": 200, "HTTPHeaders": {}},
}


def aws_normaliser() -> Normaliser:
    normalise = Normaliser()
    normalise.fixed("111122223333", "<account-id>")
    normalise.fixed("us-west-2", "<region>")
    normalise.fixed("mci-conformance-0a1b2c3d", "mci-conformance-<run>")
    return normalise


def test_an_aws_response_normalises_to_the_same_placeholders_as_the_fakes() -> None:
    job = aws_normaliser()(AWS_JOB)["UserImportJob"]
    assert job == {
        "JobName": "mci-conformance-<run>-job",
        "JobId": "<job-id>",
        "UserPoolId": "<pool-id>",
        "PreSignedUrl": {
            "bucket": "aws-cognito-idp-user-import-pdx",
            "key": "<account-id>/<pool-id>/<job-id>",
            "query": {
                "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
                "X-Amz-Credential": "<access-key-id>/<yyyymmdd>/<region>/s3/aws4_request",
                "X-Amz-Date": "<amz-date>",
                "X-Amz-Expires": "899",
                "X-Amz-Security-Token": "<security-token>",
                "X-Amz-Signature": "<signature>",
                "X-Amz-SignedHeaders": "host;x-amz-server-side-encryption",
            },
        },
        "CreationDate": "<timestamp>",
        "Status": "Created",
        "CloudWatchLogsRoleArn": "arn:aws:iam::<account-id>:role/mci-conformance-<run>",
        "ImportedUsers": 0,
        "SkippedUsers": 0,
        "FailedUsers": 0,
    }


def test_a_server_url_is_the_same_object_as_a_virtual_host_url() -> None:
    virtual = aws_normaliser().presigned_url(AWS_JOB["UserImportJob"]["PreSignedUrl"])
    path_style = AWS_JOB["UserImportJob"]["PreSignedUrl"].replace(
        "https://aws-cognito-idp-user-import-pdx.s3.us-west-2.amazonaws.com/",
        "http://127.0.0.1:5000/aws-cognito-idp-user-import-pdx/",
    )
    normalise = aws_normaliser()
    normalise.register("pool-id", "us-west-2_EXAMPLE")
    normalise.register("job-id", "import-mAgUtd8PMm")
    assert normalise.presigned_url(path_style) == virtual | {"key": "<account-id>/<pool-id>/<job-id>"}


def test_an_upload_url_on_another_scheme_or_host_than_the_target_s_shows_in_the_diff() -> None:
    """Only bucket, key and query were compared: a URL made ``http://``, for another region's
    host or for S3's legacy global one passed every test (and its upload succeeded)."""
    from moto_cognito_import.upload.signing import dns_suffix

    url = AWS_JOB["UserImportJob"]["PreSignedUrl"]
    normalise = aws_normaliser()
    normalise.upload_origin = lambda bucket: f"https://{bucket}.s3.us-west-2.{dns_suffix('us-west-2')}"
    assert normalise.presigned_url(url)["origin"] == "<expected>"
    for wrong in ("http://aws-cognito-idp-user-import-pdx.s3.us-west-2.amazonaws.com",
                  "https://aws-cognito-idp-user-import-pdx.s3.eu-west-1.amazonaws.com",
                  "https://aws-cognito-idp-user-import-pdx.s3-external-1.amazonaws.com"):
        changed = url.replace("https://aws-cognito-idp-user-import-pdx.s3.us-west-2.amazonaws.com", wrong, 1)
        assert normalise.presigned_url(changed)["origin"] == wrong.replace("us-west-2", "<region>"), wrong


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        (b'{"UserImportJob": {"CreationDate": 1.7e9, "StartDate": 1700000000}}', []),
        (b'{"__type": "ResourceNotFoundException", "message": "m"}', []),
        (b'{"UserImportJob": {"CreationDate": "2026-12-02T04:05:34Z"}}', ["UserImportJob.CreationDate is no JSON number"]),
        (b'{"UserImportJobs": [{"CompletionDate": "1.7e9"}]}', ["UserImportJobs.CompletionDate is no JSON number"]),
        (b'{"__type": "ResourceNotFoundException", "message": "m", "Message": "m"}', ["error member Message"]),
        (b'{"__type": "com.amazonaws.cognito#ResourceNotFoundException", "message": "m"}', ["__type names a namespace"]),
        (b"[]", ["the body is not a JSON object"]),
    ],
)
def test_what_botocore_s_parsing_hides_of_the_wire_is_named(body: bytes, problems: list[str]) -> None:
    """botocore parses a date sent as a string into the same datetime as an epoch number, and
    drops an error body's extra members: such a fake passed every comparison."""
    from .snapshots import wire_problems

    assert wire_problems(body) == problems


@pytest.mark.parametrize(
    ("operation", "body", "problems"),
    [
        ("GetCSVHeader", b'{"UserPoolId": "p", "CSVHeader": ["a"]}', []),
        ("GetCSVHeader", b'{"UserPoolId": "p", "CSVHeader": ["a"], "NewMember": 1}', ["NewMember is not in the model"]),
        ("DescribeUserImportJob", b'{"UserImportJob": {"JobId": "j", "Unexpected": {"a": 1}}}',
         ["UserImportJob.Unexpected is not in the model"]),
        ("ListUserImportJobs", b'{"UserImportJobs": [{"JobId": "j"}, {"JobId": "k", "Extra": true}]}',
         ["UserImportJobs.Extra is not in the model"]),
        ("StopUserImportJob", b'{"__type": "NotAuthorizedException", "message": "m"}', []),
    ],
)
def test_a_member_the_output_shape_lacks_is_named(operation: str, body: bytes, problems: list[str]) -> None:
    """botocore's parsing drops a member its model lacks: a field a server (or AWS, before
    botocore knows it) sends in a successful answer passed every comparison."""
    from .snapshots import wire_problems

    model = boto3.client("cognito-idp", region_name="us-east-1").meta.service_model.operation_model(operation)
    assert wire_problems(body, model.output_shape) == problems


def test_malformed_signing_values_are_kept_so_the_diff_shows_them() -> None:
    url = "https://b.s3.us-west-2.amazonaws.com/k?X-Amz-Signature=short&X-Amz-Date=yesterday"
    assert aws_normaliser().presigned_url(url)["query"] == {"X-Amz-Signature": "short", "X-Amz-Date": "yesterday"}


def test_dates_and_signing_values_inside_free_text_are_replaced() -> None:
    """A message may quote a time or a pre-signed URL: recorded as is, a snapshot would hold a
    date that never matches again, or an access key and a signature."""
    url = AWS_JOB["UserImportJob"]["PreSignedUrl"]
    normalise = aws_normaliser()
    normalise.register("job-id", "import-mAgUtd8PMm")
    text = normalise.text(f"Job import-mAgUtd8PMm expired at 2024-12-26T19:33:41Z; upload to {url}")
    assert "2024" not in text and "ASIA" not in text and "ab" * 32 not in text and "IQoJ" not in text
    assert text.startswith("Job <job-id> expired at <timestamp>; upload to ")
    assert "X-Amz-Signature=<signature>" in text and "X-Amz-Security-Token=<security-token>" in text


def test_a_malformed_id_or_a_date_out_of_order_shows_in_the_diff() -> None:
    """Every ID and date became the same placeholder whatever its value: a job ID of 33 digits,
    or a CompletionDate of 1970 before the job's CreationDate, compared equal to the snapshot."""
    job = dict(AWS_JOB["UserImportJob"], JobId="import-" + "1" * 33, Status="Succeeded")
    job["StartDate"] = job["CreationDate"] + datetime.timedelta(seconds=5)
    job["CompletionDate"] = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    normalised = aws_normaliser()({"UserImportJob": job})["UserImportJob"]
    assert normalised["JobId"] == "import-" + "1" * 33
    assert (normalised["CreationDate"], normalised["StartDate"]) == ("<timestamp>", "<timestamp>")
    assert normalised["CompletionDate"] == "<timestamp out of order>"
    job["StartDate"], job["CompletionDate"] = job["StartDate"] + datetime.timedelta(days=1), job["StartDate"]
    normalised = aws_normaliser()({"UserImportJob": job})["UserImportJob"]
    assert (normalised["StartDate"], normalised["CompletionDate"]) == ("<timestamp>", "<timestamp out of order>")


def test_ids_are_numbered_in_order_and_replaced_everywhere() -> None:
    normalise = aws_normaliser()
    first = normalise({"JobId": "import-AAAAAAAAA1"})
    second = normalise({"JobId": "import-BBBBBBBBB2", "message": "Import job import-AAAAAAAAA1 is running."})
    assert first == {"JobId": "<job-id>"}
    assert second == {"JobId": "<job-id-2>", "message": "Import job <job-id> is running."}


def test_unordered_lists_are_sorted_before_ids_are_numbered() -> None:
    users = {
        "Users": [
            {"Username": "zed", "Attributes": [{"Name": "sub", "Value": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}]},
            {"Username": "amy", "Attributes": [
                {"Name": "sub", "Value": "6fa459ea-ee8a-3ca4-894e-db77e160355e"}, {"Name": "email", "Value": "a@x"}
            ]},
        ]
    }
    normalised = aws_normaliser()(users)["Users"]
    assert [user["Username"] for user in normalised] == ["amy", "zed"]
    assert normalised[0]["Attributes"] == [{"Name": "email", "Value": "a@x"}, {"Name": "sub", "Value": "<sub>"}]
    assert normalised[1]["Attributes"] == [{"Name": "sub", "Value": "<sub-2>"}]


def test_a_mismatch_reads_as_a_unified_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("conformance.snapshots.SNAPSHOT_DIR", tmp_path)
    recorded = Snapshot("test_x", "server", "server", aws_normaliser(), update=True)
    recorded.path = tmp_path / "test_x.json"
    recorded.add("DescribeUserImportJob", {"Status": "Succeeded", "ImportedUsers": 3})
    recorded.write()
    replayed = Snapshot("test_x", "mock_aws", "server", aws_normaliser(), update=False)
    replayed.path = recorded.path
    replayed.add("DescribeUserImportJob", {"Status": "Failed", "ImportedUsers": 3})
    diff = replayed.diff()
    assert diff is not None
    assert (
        "--- 01 DescribeUserImportJob (snapshots/test_x.json, recorded against server)\n"
        "+++ 01 DescribeUserImportJob (mock_aws, this run)\n"
    ) in diff
    assert '-  "Status": "Succeeded"\n+  "Status": "Failed"\n' in diff
    replayed.observations["01 DescribeUserImportJob"]["Status"] = "Succeeded"
    assert replayed.diff() is None


def test_a_mismatch_names_each_observation_that_differs_and_only_those(tmp_path: Path) -> None:
    """One diff of the whole file had only line numbers for headings: which call differed was
    left to the reader, and a reordered list read as observations renamed and moved."""
    recorded = Snapshot("test_x", "server", "server", aws_normaliser(), update=True)
    recorded.path = tmp_path / "test_x.json"
    for label, value in (("CreateUserImportJob", {"JobName": "a"}), ("ListUserImportJobs", {"Jobs": ["a", "b"]})):
        recorded.add(label, value)
    recorded.add("StopUserImportJob", {"Status": "Stopped"})
    recorded.write()
    replayed = Snapshot("test_x", "mock_aws", "server", aws_normaliser(), update=False)
    replayed.path = recorded.path
    replayed.add("CreateUserImportJob", {"JobName": "a"})
    replayed.add("ListUserImportJobs", {"Jobs": ["b", "a"]})
    diff = replayed.diff()
    assert diff is not None
    assert "CreateUserImportJob" not in diff  # the same: not shown
    assert "--- 02 ListUserImportJobs (snapshots/test_x.json, recorded against server)\n" in diff
    assert "--- 03 StopUserImportJob (snapshots/test_x.json, recorded against server)\n" in diff
    assert "+++ 03 StopUserImportJob (not in this run)\n" in diff


@pytest.mark.parametrize("content", ['<<<<<<< HEAD\n{"recorded_against": "server"}\n', "[1, 2]"], ids=["conflict", "list"])
def test_a_file_that_is_no_snapshot_is_named_and_can_be_recorded_again(tmp_path: Path, content: str) -> None:
    """A merge conflict's markers gave a bare JSONDecodeError naming no file, and recording
    failed the same way (it reads the old file first)."""
    snapshot = Snapshot("test_x", "mock_aws", "server", aws_normaliser(), update=False)
    snapshot.path = tmp_path / "test_x.json"
    snapshot.path.write_text(content, encoding="utf-8")
    diff = snapshot.diff()
    assert diff is not None and diff.startswith("snapshots/test_x.json is not a")
    assert diff.endswith("repair it, or record it again with --snapshot-update")
    assert snapshot.recorded_against() is None  # so recording replaces it
    snapshot.path.write_text(f'<<<<<<< HEAD\n{{"recorded_against": "aws"}}\n=======\n{content}', encoding="utf-8")
    assert snapshot.recorded_against() == "aws"  # only the aws target may replace AWS's answers


@SUITE_S_OWN_RULES
def test_a_fake_never_overwrites_a_snapshot_recorded_against_aws(
    pytester: pytest.Pytester, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--snapshot-update`` against a fake replaced AWS's recorded answers with the fake's; and
    a mismatch with them advised just that."""
    server_url = _own_server(request, "the refusal")
    package = _conformance_copy(pytester, monkeypatch)
    (package / "test_header.py").write_text(HEADER_TEST, encoding="utf-8")
    (package / "snapshots").mkdir()
    recorded = dump({"recorded_against": "aws", "test": "test_header", "observations": {"01 GetCSVHeader": "AWS's"}})
    snapshot = package / "snapshots" / "test_header.json"
    snapshot.write_text(recorded, encoding="utf-8")
    for update in ((), ("--snapshot-update",)):
        result = pytester.runpytest_subprocess(
            "conformance", "--endpoint-url", server_url, *update, "-p", "no:cacheprovider", "-p", "no:xdist"
        )
        result.assert_outcomes(failed=1)
        expected = "a fake's answers never replace AWS's" if update else "the fake differs from AWS: fix the fake"
        assert expected in result.stdout.str()
    assert snapshot.read_text(encoding="utf-8") == recorded


@SUITE_S_OWN_RULES
def test_a_session_role_this_run_did_not_create_is_left_alone(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """Against AWS, the session's role was deleted at the end even when creating it failed: a
    role of the same name someone else had (EntityAlreadyExists) lost its policies and went."""
    package = _conformance_copy(pytester, monkeypatch)
    (package / "test_header.py").write_text(HEADER_TEST, encoding="utf-8")
    pytester.makeconftest(AWS_STUB)
    result = pytester.runpytest_subprocess("conformance", "--conformance-target=aws", "-p", "no:cacheprovider", "-p", "no:xdist")
    result.assert_outcomes(errors=1)
    assert "EntityAlreadyExists" in result.stdout.str()
    assert not (pytester.path / "deleted").exists()


HEADER_TEST = '''
def test_header(target, snapshot):
    snapshot.add("GetCSVHeader", "the fake's")
'''

# Real AWS, stood in for: the run's role name is taken (CreateRole fails), and any deletion is noted.
AWS_STUB = '''
import pathlib

from botocore.exceptions import ClientError

from conformance import targets


def _init(self):
    self.region, self.account_id, self.run_name, self.role_arn = "us-east-1", "111122223333", "mci-conformance-taken", None


def _create_role(self):
    raise ClientError({"Error": {"Code": "EntityAlreadyExists", "Message": "taken"}}, "CreateRole")


def _delete_role(self):
    (pathlib.Path(__file__).parent / "deleted").write_text("the role was deleted")
    return []


targets.AwsSession.__init__ = _init
targets.AwsSession.create_role = _create_role
targets.AwsSession.delete_role = _delete_role
'''


def _own_server(request: pytest.FixtureRequest, proves: str) -> str:
    """The suite's server subprocess; skipped when this run targets another server or AWS."""
    if settings(request.config).endpoint or "aws" in settings(request.config).targets:
        pytest.skip(f"proves {proves} offline, in the suite's own run against the fakes")
    return request.getfixturevalue("server_url")  # type: ignore[no-any-return]


def _conformance_copy(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The suite's machinery, without its tests, in ``pytester``'s directory, for a run that
    inherits none of this run's settings."""
    for name in (TARGET_ENV, ENDPOINT_ENV, UPDATE_ENV, "PYTEST_XDIST_WORKER"):  # PYTEST_ADDOPTS: tests/conftest.py
        monkeypatch.delenv(name, raising=False)
    package = pytester.path / "conformance"
    package.mkdir()
    for name in ("__init__.py", "conftest.py", "snapshots.py", "targets.py"):
        shutil.copy(HERE / name, package / name)
    return package


def _snapshot_tests() -> set[str]:
    """Names of the test functions that take the ``snapshot`` fixture (read from the source,
    so the check holds whatever -k selects)."""
    names = set()
    for module in HERE.glob("test_*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("test_")
                and "snapshot" in {arg.arg for arg in node.args.args}
            ):
                names.add(node.name)
    return names


def test_every_snapshot_file_is_canonical_and_belongs_to_a_test() -> None:
    files = {path.stem: path for path in SNAPSHOT_DIR.glob("*.json")}
    assert set(files) == _snapshot_tests(), "a test without a snapshot file, or a stale file"
    for name, path in files.items():
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)
        assert text == dump(document), f"{path.name} is not in canonical form (sorted keys, indent 2)"
        assert set(document) == {"recorded_against", "test", "observations"}
        assert document["test"] == name and document["recorded_against"] in RECORDABLE


FAILING_TEST = '''
import requests


def hold(target, reads):
    transition = {"model_name": "cognito-idp::userimportjob", "transition": {"progression": "manual", "times": reads}}
    requests.post(f"{target.endpoint}/moto-api/state-manager/set-transition", json=transition, timeout=10)


def test_fails_while_its_job_runs(target, snapshot):
    pool = target.pool("fails")
    target.app_client(pool["Id"], "app")
    job = target.create_job(pool["Id"], "running")["UserImportJob"]
    csv = "cognito:username,email,email_verified\\n" + "".join(f"u{n},u{n}@example.com,true\\n" for n in range(5))
    assert target.upload(job["PreSignedUrl"], csv).status_code == 200
    hold(target, 2)  # the server's state manager: two reads a step (Pending, then InProgress)
    target.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    for _ in range(2):
        target.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    hold(target, 1000)  # stay InProgress: each read imports (and logs) one more row
    running = target.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert running["Status"] == "InProgress" and running["ImportedUsers"] == 1, running
    group = f"/aws/cognito/userpools/{pool['Id']}/{pool['Name']}"
    assert target.client("logs").describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert False, "failing on purpose, with a running job"
'''


@SUITE_S_OWN_RULES
def test_a_failing_test_leaves_nothing_behind_and_touches_nothing_else(
    pytester: pytest.Pytester, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs a conformance test that fails while its job is InProgress against the server
    subprocess (``--endpoint-url``): its pool, log group and role are gone afterwards; an
    unrelated pool, role and log group made beforehand are untouched."""
    server_url = _own_server(request, "the cleanup")
    package = _conformance_copy(pytester, monkeypatch)
    (package / "test_fails.py").write_text(FAILING_TEST, encoding="utf-8")

    clients = {name: boto3.client(name, region_name="us-east-1", endpoint_url=server_url) for name in ("cognito-idp", "iam", "logs")}
    idp, iam, logs = clients["cognito-idp"], clients["iam"], clients["logs"]
    other_pool = idp.create_user_pool(PoolName="someone-elses-pool")["UserPool"]["Id"]
    iam.create_role(RoleName="someone-elses-role", AssumeRolePolicyDocument="{}")
    logs.create_log_group(logGroupName="/aws/cognito/userpools/someone-elses")
    try:
        result = pytester.runpytest_subprocess("conformance", "--endpoint-url", server_url, "-p", "no:cacheprovider", "-p", "no:xdist")
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(["*failing on purpose, with a running job*"])

        pools = [pool["Name"] for pool in idp.list_user_pools(MaxResults=60)["UserPools"]]
        roles = [role["RoleName"] for role in iam.list_roles()["Roles"]]
        groups = [group["logGroupName"] for group in logs.describe_log_groups()["logGroups"]]
        assert [name for name in pools + roles + groups if PREFIX in name] == []
        assert other_pool in [pool["Id"] for pool in idp.list_user_pools(MaxResults=60)["UserPools"]]
        assert "someone-elses-role" in roles and "/aws/cognito/userpools/someone-elses" in groups
    finally:
        unset = {"model_name": "cognito-idp::userimportjob"}
        requests.post(f"{server_url}/moto-api/state-manager/unset-transition", json=unset, timeout=10).raise_for_status()
        requests.post(f"{server_url}/moto-api/reset", timeout=30).raise_for_status()



def test_cleanup_goes_on_after_any_error_and_lists_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cleanup stopped at the first error that was not AWS's answer (a job that never ends
    raises AssertionError after 600 s; a read timeout): the other pools, the log groups and
    the list of what to remove by hand were lost."""
    from moto import mock_aws

    from .targets import Target

    with mock_aws():
        target = Target("mock_aws", "us-east-1")
        stuck, other = target.pool("stuck"), target.pool("other")
        logs = target.client("logs")
        for pool in (stuck, other):
            logs.create_log_group(logGroupName=f"/aws/cognito/userpools/{pool['Id']}/{pool['Name']}")
        stop_jobs = target._stop_jobs

        def never_ends(pool_id: str) -> None:
            if pool_id == stuck["Id"]:
                raise AssertionError("job import-x still InProgress after 600 s")
            stop_jobs(pool_id)

        monkeypatch.setattr(target, "_stop_jobs", never_ends)
        problems = target.cleanup()
        assert problems == [
            f"user pool {stuck['Id']} ({stuck['Name']}): AssertionError('job import-x still InProgress after 600 s')"
        ]
        assert [pool["Id"] for pool in target.idp.list_user_pools(MaxResults=60)["UserPools"]] == [stuck["Id"]]
        assert logs.describe_log_groups()["logGroups"] == []  # the stuck pool's too


def test_the_aws_target_refuses_an_endpoint_that_is_not_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """``AWS_ENDPOINT_URL`` (a shell set up for LocalStack) sent the AWS target to a fake,
    whose answers were then recorded as AWS's and locked against later updates."""
    from .targets import AwsSession, refuse_unless_aws

    monkeypatch.delenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", raising=False)  # as the AWS target leaves the shell's setup
    monkeypatch.delenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost:4566")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with pytest.raises(ValueError, match="the AWS target would reach http://localhost:4566, not AWS"):
        AwsSession()
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    refuse_unless_aws(boto3.client("cognito-idp", region_name="eu-west-1"))  # AWS's own: no error
    monkeypatch.setenv("AWS_USE_DUALSTACK_ENDPOINT", "true")  # sts.us-east-1.api.aws: AWS's too (was refused)
    refuse_unless_aws(boto3.client("sts", region_name="us-east-1"))


def test_the_fakes_take_nothing_of_the_shell_s_endpoint_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shell's ``AWS_USE_DUALSTACK_ENDPOINT`` sent the mock_aws target's clients to AWS
    (``sts.us-east-1.api.aws``, which moto's mock does not answer), and its
    ``AWS_ENDPOINT_URL_STS`` reached tests that read the configured endpoints."""
    from .targets import fake_aws_environment

    for name, value in (("AWS_USE_DUALSTACK_ENDPOINT", "true"), ("AWS_USE_FIPS_ENDPOINT", "true"),
                        ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:5999")):
        monkeypatch.setenv(name, value)
    fake_aws_environment(monkeypatch, "us-east-1")
    monkeypatch.delenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
    assert boto3.client("sts").meta.endpoint_url in (
        "https://sts.us-east-1.amazonaws.com", "https://sts.amazonaws.com"  # the global one: botocore < 1.44
    )


def test_the_aws_target_refuses_a_service_s_own_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only sts and iam were checked: with ``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`` set the
    run made its role on AWS, then failed every test."""
    from .targets import AwsSession

    monkeypatch.delenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for variable in ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"):
        with monkeypatch.context() as scoped:
            scoped.setenv(variable, "http://localhost:4566")
            with pytest.raises(ValueError, match="would reach http://localhost:4566, not AWS"):
                AwsSession()


@pytest.mark.parametrize("region", ["us-west-2", "eu-west-1", "ap-southeast-2"])
def test_an_upload_url_normalises_alike_in_every_region(region: str) -> None:
    """The AWS target ran in us-east-1 alone: the snapshots held its upload bucket's airport
    code (``-iad``), and elsewhere every comparison would have failed on it. The bucket of the
    target's region is a placeholder now; another bucket stays, to show in the diff."""
    from moto_cognito_import.upload.signing import bucket_name

    from .targets import UPLOAD_BUCKET, target_normaliser

    url = AWS_JOB["UserImportJob"]["PreSignedUrl"].replace("-pdx.", f"-{bucket_name(region)[-3:]}.").replace("us-west-2", region)
    normalise = target_normaliser("111122223333", region, "mci-conformance-0a1b2c3d", None)
    normalise.register("pool-id", f"{region}_EXAMPLE")
    normalise.register("job-id", "import-mAgUtd8PMm")
    view = normalise.presigned_url(url)
    assert (view["bucket"], view["key"], view["origin"]) == (UPLOAD_BUCKET, "<account-id>/<pool-id>/<job-id>", "<expected>")
    other_bucket = url.replace(bucket_name(region), "aws-cognito-idp-user-import-xyz")
    assert normalise.presigned_url(other_bucket)["bucket"] == "aws-cognito-idp-user-import-xyz"


def test_an_aws_that_does_not_answer_is_not_called_a_credentials_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without a way to AWS was told "no usable AWS credentials: Could not connect to
    the endpoint URL", sending its user after keys that were fine."""
    from botocore.client import BaseClient
    from botocore.exceptions import EndpointConnectionError

    from .targets import AwsSession

    def unreachable(self: BaseClient, operation: str, params: dict[str, object]) -> None:
        raise EndpointConnectionError(endpoint_url=self.meta.endpoint_url)

    monkeypatch.delenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setattr(BaseClient, "_make_api_call", unreachable)
    with pytest.raises(ValueError, match=r"^AWS cannot be reached: Could not connect to the endpoint URL"):
        AwsSession()


def test_the_aws_target_signs_with_the_caller_s_credentials_whatever_ran_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """The AWS target made its clients from boto3's default session, which keeps the
    credentials it first found: after an offline test had made a client there, the run
    signed with the fake ``testing`` key (and later offline clients got the user's real one)."""
    from . import targets

    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # whatever an earlier test left there
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    boto3.client("sts", region_name="us-east-1")  # boto3's default session: the fake credentials
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSREALKEY0001")
    aws = targets.Target("aws", "us-east-1", run_name="mci-conformance-x", role_arn="arn", account_id="111122223333")
    assert aws.client("sts")._request_signer._credentials.access_key == "AKIAUSERSREALKEY0001"
    assert boto3.client("sts", region_name="us-east-1")._request_signer._credentials.access_key == "testing"


def test_a_denied_pass_role_is_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every error that named a role was retried for 60 s as if IAM were still propagating the
    new role, a denied iam:PassRole too (which names it): minutes lost per run."""
    from . import targets

    calls = []

    def denied() -> None:
        calls.append(1)
        raise ClientError(
            {"Error": {"Code": "AccessDeniedException", "Message": "not authorized to perform: iam:PassRole on "
                       "resource: arn:aws:iam::111122223333:role/mci-conformance-x"}},
            "CreateUserImportJob",
        )

    monkeypatch.setattr(targets.time, "sleep", lambda seconds: pytest.fail("waited"))
    aws = targets.Target("aws", "us-east-1", run_name="mci-conformance-x", role_arn="arn", account_id="111122223333")
    with pytest.raises(ClientError):
        aws._retry_while_role_propagates(denied)
    assert calls == [1]


def test_a_role_half_made_and_not_removable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """CreateRole worked, PutRolePolicy was denied, and so was DeleteRole: the role stayed in
    the account and nothing said so."""
    from . import targets

    class Iam:
        def create_role(self, **kwargs: Any) -> dict[str, Any]:
            return {"Role": {"Arn": "arn:aws:iam::111122223333:role/mci-conformance-x"}}

        def put_role_policy(self, **kwargs: Any) -> None:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "PutRolePolicy")

        def list_role_policies(self, **kwargs: Any) -> dict[str, Any]:
            return {"PolicyNames": []}

        def delete_role(self, **kwargs: Any) -> None:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "DeleteRole")

    with pytest.raises(ClientError) as raised:
        targets.create_logs_role(Iam(), "mci-conformance-x", "us-east-1", "111122223333")
    assert any("remove by hand" in note and "mci-conformance-x" in note for note in raised.value.__notes__)


@pytest.mark.parametrize("env", [{TARGET_ENV: "aws"}, {ENDPOINT_ENV: "http://127.0.0.1:9"}])
def test_an_external_target_chosen_by_environment_refuses_n_whatever_is_selected(env: dict[str, str]) -> None:
    """pytest-xdist's controller loads tests/conformance/conftest.py only when that path is on
    the command line: ``MOTO_COGNITO_IMPORT_CONFORMANCE=aws pytest -n 2 -k conformance`` ran on
    two workers, each with its own role, starting jobs on AWS at once. The settings of the run
    this test is part of (the suite pointed at a server by the environment) are not passed on."""
    inherited = {name: value for name, value in os.environ.items() if name not in (TARGET_ENV, ENDPOINT_ENV, UPDATE_ENV)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-k", "conformance"],
        cwd=HERE.parent.parent, env={**inherited, **env}, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 4, result.stdout + result.stderr
    assert "run the conformance suite against AWS or --endpoint-url without -n" in result.stderr


class _Options:
    """A pytest config's ``getoption`` over given values: ``settings`` reads nothing else."""

    def __init__(self, **values: Any):
        self.values = values

    def getoption(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


def _no_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (TARGET_ENV, ENDPOINT_ENV, UPDATE_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("value", ["", "0", "false", "No", "off"])
def test_a_snapshot_update_switch_that_says_off_records_nothing(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """``MOTO_COGNITO_IMPORT_SNAPSHOT_UPDATE=false`` turned recording on, and overwrote snapshots."""
    _no_settings(monkeypatch)
    monkeypatch.setenv(UPDATE_ENV, value)
    assert settings(_Options()).update is False
    monkeypatch.setenv(UPDATE_ENV, "1")
    assert settings(_Options()).update is True
    monkeypatch.setenv(UPDATE_ENV, "flase")
    with pytest.raises(pytest.UsageError, match="use 1/true/yes/on or 0/false/no/off"):
        settings(_Options())


def test_an_endpoint_on_aws_is_no_server_target(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--endpoint-url https://cognito-idp.us-east-1.amazonaws.com`` ran the fakes' suite against
    AWS itself, without the aws target's opt-in."""
    _no_settings(monkeypatch)
    for endpoint in (
        "https://cognito-idp.us-east-1.amazonaws.com", "https://COGNITO-IDP.eu-west-1.amazonaws.com.",
        "https://cognito-idp.us-east-1.api.aws",  # dual-stack
    ):
        with pytest.raises(pytest.UsageError, match="is AWS itself, not a server"):
            settings(_Options(endpoint_url=endpoint))
    assert settings(_Options(endpoint_url="http://127.0.0.1:5000")).targets == ("server",)



@pytest.mark.parametrize(
    "options", [{"dist": "load", "tx": ["1*popen"]}, {"tx": ["2*popen"]}, {"numprocesses": 2}],
)
def test_an_external_target_refuses_xdist_workers_however_they_are_asked_for(
    monkeypatch: pytest.MonkeyPatch, options: dict[str, Any]
) -> None:
    """``--dist load --tx 2*popen`` started workers without -n: on AWS, each with its own role,
    starting jobs at once."""
    _no_settings(monkeypatch)
    with pytest.raises(pytest.UsageError, match="without -n"):
        check(_Options(endpoint_url="http://127.0.0.1:5000", **options))  # type: ignore[arg-type]
    check(_Options(endpoint_url="http://127.0.0.1:5000"))  # type: ignore[arg-type]


def test_signals_after_the_first_let_the_cleanup_finish() -> None:
    """The first SIGINT, SIGTERM or SIGHUP ends the run through the finalizers; GitHub Actions
    then sends SIGTERM 7.5 s after SIGINT, while the AWS resources are being deleted: it
    interrupted the deletion, and the pool and the role stayed, unlisted. SIGHUP (a closed
    terminal) skipped all of it."""
    import signal

    from .conftest import _ENDING_SIGNALS, _Interrupts
    assert {signal.SIGINT, signal.SIGTERM} <= set(_ENDING_SIGNALS)
    assert not hasattr(signal, "SIGHUP") or signal.SIGHUP in _ENDING_SIGNALS
    interrupts = _Interrupts()
    with pytest.raises(KeyboardInterrupt):
        interrupts(signal.SIGINT, None)
    interrupts(signal.SIGTERM, None)  # the deletion goes on
    interrupts(signal.SIGINT, None)
    assert interrupts.received == 3


def test_an_answer_recorded_after_its_call_is_checked_on_the_wire() -> None:
    """CreateUserImportJob, Stop, Start, the final Describe, ListUsers and AdminGetUser were
    recorded with ``add`` alone: a date sent as a string there passed every comparison."""
    from types import SimpleNamespace

    from .snapshots import WIRE

    snap = Snapshot("test_x", "mock_aws", "server", aws_normaliser(), update=False)
    json_model = SimpleNamespace(metadata={"protocol": "json"})
    WIRE.record(json_model, {"body": b'{"UserImportJob": {"CreationDate": "2026-12-02T04:05:34Z"}}'})
    recorded = snap.last("CreateUserImportJob", {"UserImportJob": {"JobName": "j"}})
    assert recorded == {"UserImportJob": {"JobName": "j"}}
    assert snap.observations["01 CreateUserImportJob"]["WireProblems"] == ["UserImportJob.CreationDate is no JSON number"]
    WIRE.record(json_model, {"body": b'{"UserImportJob": {"CreationDate": 1.7e9}}'})
    snap.last("DescribeUserImportJob", {"UserImportJob": {"JobName": "j"}})
    assert "WireProblems" not in snap.observations["02 DescribeUserImportJob"]


def test_a_signal_while_the_role_is_deleted_lets_the_deletion_finish() -> None:
    """The handlers were put back before the role was deleted: a second Ctrl-C (or CI's
    SIGTERM) during the deletion stopped it, and the role stayed, unlisted."""
    import signal

    from .conftest import session_role

    class Session:
        role_arn = "arn:aws:iam::111122223333:role/mci-conformance-x"
        deleted = False

        def create_role(self) -> None:
            pass

        def delete_role(self) -> list[str]:
            signal.raise_signal(signal.SIGINT)  # CI's second signal, mid-deletion
            self.deleted = True
            return []

    session, before = Session(), signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt), session_role(session):  # type: ignore[arg-type]
        signal.raise_signal(signal.SIGINT)  # the first: the run ends through the finalizers
    assert session.deleted
    assert signal.getsignal(signal.SIGINT) is before
    session = Session()  # a run that ended well, and a first signal during the deletion
    with session_role(session):  # type: ignore[arg-type]
        pass
    assert session.deleted
