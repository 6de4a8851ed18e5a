"""The targets the conformance suite runs against: mock_aws, a moto server, real AWS.

Each test gets a ``Target``: boto3 clients for it, helpers that create the resources a test
needs (named ``mci-conformance-<random>...``, tracked, deleted by ``cleanup``), and the waits
that differ between the fakes (a started job has finished by the next read: never sleep) and
AWS (jobs take seconds to minutes: poll with a timeout).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from moto_cognito_import.importing.logs_role import LOGS_ROLE_TRUST_POLICY, logs_role_permissions
from moto_cognito_import.upload.signing import aws_host, bucket_name, dns_suffix

from .snapshots import WIRE, Normaliser

PREFIX = "mci-conformance-"
FAKE_REGION = "us-east-1"  # the fakes' region; AWS runs in the user's (the snapshots name neither)
#: What the upload bucket of the target's region (Cognito's ``aws-cognito-idp-user-import-<airport>``,
#: as the fake names it) becomes in the snapshots: another name shows in the diff.
UPLOAD_BUCKET = "aws-cognito-idp-user-import-<airport>"
TERMINAL = frozenset({"Succeeded", "Failed", "Stopped", "Expired"})
ACTIVE = frozenset({"Pending", "InProgress", "Stopping"})
FAKE_MAX_READS = 5  # a fake's started job has finished by the first read; allow a few
AWS_JOB_TIMEOUT = 600.0  # real jobs: seconds for a few rows, minutes when the service is busy
AWS_LOGS_TIMEOUT = 120.0  # log events can trail the job's completion
AWS_POLL_SECONDS = 3.0
AWS_IAM_PROPAGATION_SECONDS = 10.0  # a new role can't be assumed by a service right away

@functools.cache
def fake_session() -> boto3.Session:
    """One boto3 session per test process for clients of the fakes: ``mock_aws`` clears boto3's
    default session each time it starts, so clients made with ``boto3.client`` reload botocore's
    endpoint data and service model (a tenth of a second each). Clients made from this session
    are mocked all the same: moto hooks every botocore session created after it is imported; the
    fakes' credentials are the fixed ones every test sets."""
    return boto3.Session()


def new_run_name() -> str:
    return PREFIX + secrets.token_hex(4)


def error_code(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


def target_normaliser(account_id: str, region: str, run_name: str, endpoint: str | None) -> Normaliser:
    """The placeholders of one target: its account, region, run prefix and upload bucket, so
    that a run in any region gives the same snapshots; and where its upload URLs point."""
    normaliser = Normaliser()
    normaliser.fixed(account_id, "<account-id>")
    normaliser.fixed(region, "<region>")
    normaliser.fixed(run_name, PREFIX + "<run>")
    normaliser.fixed(bucket_name(region), UPLOAD_BUCKET)
    # A server's URL is path-style on the server's own address; AWS's (and mock_aws's) is
    # S3's regional virtual host.
    server = urlsplit(endpoint or "")
    normaliser.upload_origin = (
        (lambda bucket: f"{server.scheme}://{server.netloc}") if endpoint
        else (lambda bucket: f"https://{bucket}.s3.{region}.{dns_suffix(region)}")
    )
    return normaliser


class Target:
    """One target for one test: clients, tracked resources, waits, cleanup."""

    def __init__(
        self,
        kind: str,
        region: str,
        endpoint: str | None = None,
        run_name: str | None = None,
        role_arn: str | None = None,
        account_id: str | None = None,
        aws: boto3.Session | None = None,
    ):
        self.kind = kind  # "mock_aws" | "server" | "aws"
        self.fake = kind != "aws"
        # AWS: a session of its own, never boto3's default one, which caches the credentials it
        # first found: an offline test's fake ones, before (or the user's real ones, after).
        self._aws = None if self.fake else aws or boto3.Session()
        self.recorded_as = "aws" if kind == "aws" else "server"
        self.region = region
        self.endpoint = endpoint
        self.run_name = run_name or new_run_name()
        self._session_role_arn = role_arn  # AWS: one role for the session (IAM propagation)
        self._clients: dict[tuple[str, bool], Any] = {}
        self._pools: list[tuple[str, str]] = []
        self._roles: list[str] = []
        self.account_id = account_id or self.client("sts").get_caller_identity()["Account"]
        self.normaliser = target_normaliser(self.account_id, region, self.run_name, endpoint)

    # -- clients -----------------------------------------------------------------------------

    def client(self, service: str = "cognito-idp", validate: bool = True) -> Any:
        """A cached boto3 client; ``validate=False`` sends what botocore would refuse."""
        key = (service, validate)
        if key not in self._clients:
            config = Config(parameter_validation=validate)
            if not self.fake:
                config = config.merge(Config(retries={"mode": "standard", "max_attempts": 8}))
            make = fake_session().client if self._aws is None else self._aws.client
            client = make(service, region_name=self.region, endpoint_url=self.endpoint, config=config)
            client.meta.events.register("before-parse", WIRE.record)
            if not self.fake:
                refuse_unless_aws(client)
            self._clients[key] = client
        return self._clients[key]

    @property
    def idp(self) -> Any:
        return self.client()

    # -- resources (all named with the run's prefix, all tracked) -----------------------------

    def name(self, suffix: str = "") -> str:
        return f"{self.run_name}-{suffix}" if suffix else self.run_name

    def logs_role(self) -> str:
        """ARN of a role with the documented trust and permissions policies."""
        if self._session_role_arn:
            return self._session_role_arn
        self._session_role_arn = create_logs_role(self.client("iam"), self.run_name, self.region, self.account_id)
        self._roles.append(self.run_name)
        return self._session_role_arn

    def pool(self, suffix: str, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("AutoVerifiedAttributes", ["email"])
        pool = self.idp.create_user_pool(PoolName=self.name(suffix), DeletionProtection="INACTIVE", **kwargs)
        pool = pool["UserPool"]
        self._pools.append((pool["Id"], pool["Name"]))
        self.normaliser.register("pool-id", pool["Id"])
        return pool  # type: ignore[no-any-return]

    def app_client(self, pool_id: str, suffix: str, **kwargs: Any) -> str:
        """An app client without secret allowing USER_PASSWORD_AUTH; deleted with its pool."""
        client = self.idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=self.name(suffix),
            GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            **kwargs,
        )["UserPoolClient"]
        self.normaliser.register("client-id", client["ClientId"])
        return client["ClientId"]  # type: ignore[no-any-return]

    def create_job(self, pool_id: str, job_name: str) -> dict[str, Any]:
        """CreateUserImportJob with the logs role; the whole response."""
        role = self.logs_role()
        call = functools.partial(
            self.idp.create_user_import_job, JobName=job_name, UserPoolId=pool_id, CloudWatchLogsRoleArn=role
        )
        response: dict[str, Any] = self._retry_while_role_propagates(call)
        self.normaliser.register("job-id", response["UserImportJob"]["JobId"])
        return response

    def _retry_while_role_propagates(self, call: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + 60
        while True:
            try:
                return call()
            except ClientError as error:
                # Only Cognito's word on the role itself: a denied iam:PassRole names the role
                # too ("... not authorized to perform: iam:PassRole on resource: ...:role/..."),
                # and waiting would not change it.
                message = str(error.response["Error"].get("Message", "")).lower()
                if (
                    self.fake
                    or error_code(error) != "InvalidParameterException"
                    or "role" not in message
                    or time.monotonic() > deadline
                ):
                    raise
            time.sleep(AWS_POLL_SECONDS)  # AWS only: the new role is not visible to Cognito yet

    def upload(self, url: str, body: str, sse: str | None = "aws:kms") -> requests.Response:
        headers = {} if sse is None else {"x-amz-server-side-encryption": sse}
        return requests.put(url, data=body.encode(), headers=headers, timeout=60)

    # -- waits -------------------------------------------------------------------------------

    def wait_for_job(self, pool_id: str, job_id: str) -> dict[str, Any]:
        """DescribeUserImportJob until the job has ended; the last whole response.

        Fakes: no sleep (a started job has ended by the first read). AWS: poll every few
        seconds, up to AWS_JOB_TIMEOUT.
        """
        deadline = time.monotonic() + AWS_JOB_TIMEOUT
        reads = 0
        while True:
            response = self.idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)
            reads += 1
            status = response["UserImportJob"]["Status"]
            if status in TERMINAL:
                return response  # type: ignore[no-any-return]
            if self.fake:
                assert reads < FAKE_MAX_READS, f"job {job_id} still {status} after {reads} reads of a fake"
                continue
            assert time.monotonic() < deadline, f"job {job_id} still {status} after {AWS_JOB_TIMEOUT:.0f} s"
            time.sleep(AWS_POLL_SECONDS)

    def log_messages(self, pool: dict[str, Any], job: dict[str, Any], expected: int) -> list[str]:
        """The job's log lines (``/aws/cognito/userpools/<id>/<name>``, ``<jobId>/<jobName>``),
        ordered by line number. On AWS, polls until ``expected`` lines have arrived."""
        logs = self.client("logs")
        group = f"/aws/cognito/userpools/{pool['Id']}/{pool['Name']}"
        stream = f"{job['JobId']}/{job['JobName']}"
        deadline = time.monotonic() + AWS_LOGS_TIMEOUT
        while True:
            messages: list[str] = []
            try:
                kwargs: dict[str, Any] = {"logGroupName": group, "logStreamName": stream, "startFromHead": True}
                while True:
                    page = logs.get_log_events(**kwargs)
                    messages += [event["message"] for event in page["events"]]
                    if not page["events"] or page.get("nextForwardToken") == kwargs.get("nextToken"):
                        break
                    kwargs["nextToken"] = page["nextForwardToken"]
            except ClientError as error:
                if error_code(error) != "ResourceNotFoundException" or self.fake:
                    raise
            if self.fake or len(messages) >= expected or time.monotonic() > deadline:
                return sorted(messages, key=_line_number)
            time.sleep(AWS_POLL_SECONDS)

    # -- cleanup -----------------------------------------------------------------------------

    def cleanup(self) -> list[str]:
        """Delete what this test created (its pools, with their clients, users and jobs; their
        log groups; a per-test role); return what could not be deleted. Touches nothing else."""
        problems: list[str] = []
        for pool_id, pool_name in reversed(self._pools):
            group = f"/aws/cognito/userpools/{pool_id}/{pool_name}"
            problems += _attempt(f"user pool {pool_id} ({pool_name})", functools.partial(self._delete_pool_and_jobs, pool_id))
            problems += _attempt(f"log group {group}", functools.partial(self._delete_log_group, group))
        for role_name in self._roles:
            problems += _attempt(f"role {role_name}", functools.partial(delete_logs_role, self.client("iam"), role_name))
        self._pools, self._roles = [], []
        return problems

    def _delete_pool_and_jobs(self, pool_id: str) -> list[str]:
        self._stop_jobs(pool_id)
        self._delete_pool(pool_id)
        return []

    def _delete_log_group(self, group: str) -> list[str]:
        self.client("logs").delete_log_group(logGroupName=group)
        return []

    def _stop_jobs(self, pool_id: str) -> None:
        """Stop the pool's running jobs (a pool can't be deleted while one runs)."""
        jobs = self.idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=60).get("UserImportJobs", [])
        for job in jobs:
            if job["Status"] in ("Pending", "InProgress"):
                with contextlib.suppress(ClientError):  # it ended meanwhile
                    self.idp.stop_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        for job in jobs:
            if job["Status"] in ACTIVE:
                self.wait_for_job(pool_id, job["JobId"])

    def _delete_pool(self, pool_id: str) -> None:
        deadline = time.monotonic() + (0 if self.fake else 120)
        while True:
            try:
                self.idp.delete_user_pool(UserPoolId=pool_id)
                return
            except ClientError as error:
                if error_code(error) != "UserImportInProgressException" or time.monotonic() > deadline:
                    raise
            time.sleep(AWS_POLL_SECONDS)  # AWS only (deadline 0 for fakes)


def _attempt(what: str, step: Callable[[], list[str]]) -> list[str]:
    """Run one cleanup step; what it could not remove, for the list of what to remove by hand.
    Any error, not only AWS's answers (a job that never ends, a read timeout): the next steps
    still run. Already gone is no problem."""
    try:
        return step()
    except ClientError as error:
        return [] if error_code(error) == "ResourceNotFoundException" else [f"{what}: {error}"]
    except Exception as error:  # noqa: BLE001 - reported in the list, and the rest still cleaned
        return [f"{what}: {error!r}"]


def _line_number(message: str) -> tuple[int, str]:
    match = re.search(r"Line Number (\d+)", message)
    return (int(match[1]) if match else 0, message)


def create_logs_role(iam: Any, name: str, region: str, account_id: str) -> str:
    """Create the role with the documented trust and permissions (inline) policies."""
    arn = iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(LOGS_ROLE_TRUST_POLICY),
        Description="Temporary: moto-cognito-import conformance suite (deleted when the run ends)",
    )["Role"]["Arn"]
    try:
        iam.put_role_policy(
            RoleName=name, PolicyName=name, PolicyDocument=json.dumps(logs_role_permissions(region, account_id))
        )
    except BaseException as error:  # an AccessDenied, or Ctrl-C: the half-made role goes
        for leftover in delete_logs_role(iam, name):
            error.add_note(f"could not delete (remove by hand): {leftover}")
        raise
    return arn  # type: ignore[no-any-return]


def delete_logs_role(iam: Any, name: str) -> list[str]:
    """Delete the role and its inline policies; return what could not be deleted."""
    try:
        for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
            iam.delete_role_policy(RoleName=name, PolicyName=policy)
        iam.delete_role(RoleName=name)
    except ClientError as error:
        if error_code(error) != "NoSuchEntity":
            return [f"IAM role {name}: {error}"]
    return []


def refuse_unless_aws(client: Any) -> None:
    """The AWS target talks to AWS only: an endpoint elsewhere (``AWS_ENDPOINT_URL``, a
    profile's ``endpoint_url``, a shell set up for LocalStack) would record a fake's answers as
    AWS's, and lock them against every later update from a fake."""
    endpoint = client.meta.endpoint_url
    if not aws_host(urlsplit(endpoint).hostname or ""):
        raise ValueError(
            f"the AWS target would reach {endpoint}, not AWS: unset AWS_ENDPOINT_URL and any"
            " endpoint_url in your profile, or use --endpoint-url for a server"
        )


class AwsSession:
    """Real AWS: the account, region and the session's logs role (created once: IAM takes a
    few seconds to let a service assume a new role)."""

    def __init__(self) -> None:
        # One message, not one traceback per test: a profile that does not exist, a broken
        # config file, no credentials.
        try:
            # Its own session (``Target``): the caller's environment as it is now.
            self.boto = boto3.Session()
            region = self.boto.region_name or os.environ.get("AWS_REGION")
            if not region:
                raise ValueError("no AWS region: set AWS_DEFAULT_REGION (or a profile's region)")
            sts = self.boto.client("sts", region_name=region)
            self._iam = self.boto.client("iam", region_name=region)
            # Every service the run calls: a service's own endpoint variable reaches its client alone.
            others = [self.boto.client(service, region_name=region) for service in ("cognito-idp", "logs")]
            for client in (sts, self._iam, *others):
                refuse_unless_aws(client)
            identity = sts.get_caller_identity()
        except BotocoreConnectionError as error:  # botocore's: no answer, which no credentials would change
            raise ValueError(f"AWS cannot be reached: {error}") from None
        except (BotoCoreError, ClientError) as error:
            raise ValueError(f"no usable AWS credentials: {error}") from None
        self.region: str = region
        self.account_id: str = identity["Account"]
        self.run_name = new_run_name()
        self.role_arn: str | None = None

    def create_role(self) -> None:
        self.role_arn = create_logs_role(self._iam, self.run_name, self.region, self.account_id)
        time.sleep(AWS_IAM_PROPAGATION_SECONDS)

    def delete_role(self) -> list[str]:
        return delete_logs_role(self._iam, self.run_name)


def fake_aws_environment(monkeypatch: Any, region: str) -> None:
    """Fake credentials in ``region``, and nothing of the shell's AWS setup: no profile, no
    config or credentials file, no configured endpoint (``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``
    or a profile's ``endpoint_url`` sent the tests' clients to a LocalStack or a real address),
    no dual-stack or FIPS endpoints."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_PROFILE", raising=False)  # botocore reads it too
    for name in [name for name in os.environ if name.startswith("AWS_ENDPOINT_URL")]:  # _<SERVICE> too
        monkeypatch.delenv(name)
    # Dual-stack and FIPS hosts (``sts.us-east-1.api.aws``) are no hosts moto's mock answers:
    # a fake target's clients went out to AWS.
    for name in ("AWS_USE_DUALSTACK_ENDPOINT", "AWS_USE_FIPS_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
