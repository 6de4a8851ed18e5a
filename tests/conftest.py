"""Test harness: a test that takes ``aws`` runs under ``mock_aws`` and against a real
``moto-cognito-import-server`` subprocess on 127.0.0.1 (a random free port), or in the one mode
its ``modes`` mark names."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import freezegun
import pytest
import requests
from botocore.config import Config
from conformance.targets import fake_session
from freezegun import freeze_time
from pool_key import moto_s_pool_key_parsed_once  # noqa: F401  (a session's autouse fixture)

from moto_cognito_import.importing.logs_role import LOGS_ACTIONS, LOGS_ROLE_TRUST_POLICY
from moto_cognito_import.moto_glue import patches
from moto_cognito_import.tools.server import spawn

# freezegun replaces the clock functions of every loaded module it does not ignore, pytest's
# timing among them: --durations then reported years of "setup". pytest keeps the real clock.
freezegun.configure(extend_ignore_list=["_pytest"])

# moto's own tests run from tests/moto_suite/run.py (tox -e moto-suite), not in this suite.
collect_ignore = ["moto_suite"]

REGION = "us-east-1"
ACCOUNT = "123456789012"
STATE_MODEL = "cognito-idp::userimportjob"
FIXTURES = Path(__file__).parent / "fixtures"
#: The modes a test that takes ``aws`` runs in, from its closest ``modes`` mark: both without
#: one. A test whose other mode adds nothing is marked with the one it needs; a module whose
#: tests are the backend's rules, which both modes share, sets ``pytestmark = decorator_only``
#: (a server twin would only repeat each test, slower) and marks ``both_modes`` the tests that
#: prove the server applies those rules.
decorator_only = pytest.mark.modes("decorator")
server_only = pytest.mark.modes("server")
both_modes = pytest.mark.modes("decorator", "server")


@pytest.hookimpl(tryfirst=True)  # before pytest reads the parametrize marks and the fixtures' params
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A ``modes`` mark becomes the ``aws`` fixture's parametrization."""
    marker = metafunc.definition.get_closest_marker("modes")
    if marker is None:
        return
    if not marker.args or not set(marker.args) <= {"decorator", "server"}:
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: modes takes 'decorator', 'server' or both, not {marker.args}")
    if "aws" not in metafunc.fixturenames:
        if marker in metafunc.definition.own_markers:
            raise pytest.UsageError(f"{metafunc.definition.nodeid} is marked with modes but takes no aws")
        return  # a module's mark, on a test of that module that needs no moto
    metafunc.definition.add_marker(pytest.mark.parametrize("aws", marker.args, indirect=True))


def pytest_configure(config: pytest.Config) -> None:
    """The conformance suite's checks, also where pytest-xdist's controller never loads its
    conftest (``MOTO_COGNITO_IMPORT_CONFORMANCE=aws pytest -n 2``: every worker made its own
    role and started jobs on AWS at once)."""
    from conformance.conftest import check

    check(config)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-server-twins", action="store_true",
        help="run a test made for both modes in the decorator mode only (tests of server mode alone still run): "
        "tox's lowest, where the newest already ran both",
    )


#: The fixtures whose parameter is the mode: ours, and the conformance suite's.
MODE_FIXTURES = ("aws", "in_process", "target")


@pytest.hookimpl(trylast=True)  # after -k, -m and --deselect: a twin they left out keeps its other half
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--no-server-twins``: deselect the server half of every pair of modes."""
    if not config.getoption("--no-server-twins"):
        return
    modes = {item: _mode(item) for item in items}
    in_process = {twin for mode, twin in modes.values() if mode in ("decorator", "mock_aws")}
    twins = [item for item, (mode, twin) in modes.items() if mode == "server" and twin in in_process]
    if twins:
        config.hook.pytest_deselected(items=twins)
        dropped = set(twins)
        items[:] = [item for item in items if item not in dropped]


def _mode(item: pytest.Item) -> tuple[str | None, tuple[Any, ...]]:
    """The item's mode, and what names it apart from its twin in the other mode."""
    params = dict(getattr(getattr(item, "callspec", None), "params", {}))
    mode = next((params.pop(name) for name in MODE_FIXTURES if name in params), None)
    parent = item.parent.nodeid if item.parent is not None else ""  # the module, or its class
    return mode, (parent, getattr(item, "originalname", item.name), repr(sorted(params.items())))


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the console script as a real subprocess; yield its URL."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    # moto's recorder writes to ./moto_recording, which the servers of xdist's workers share
    recording = {"MOTO_RECORDER_FILEPATH": str(log.with_name("moto_recording"))}
    with open(log, "wb") as out, mock.patch.dict(os.environ, recording):
        try:  # the console script's main, with moto's pool key parsed once (server_process.py)
            url, process = spawn(out, command=[sys.executable, str(Path(__file__).parent / "server_process.py")])
        except RuntimeError:
            raise RuntimeError("server did not start:\n" + log.read_text()) from None
    yield url
    process.terminate()
    process.wait(timeout=10)
    # A server-side traceback is a bug even when the client got a clean error.
    assert "Traceback" not in log.read_text(), log.read_text()


#: What every ``pytester`` run is given: hypothesis's plugin (none of them uses it) costs 1.4 s
#: of imports per run, most of such a test's time.
SUBPROCESS_PYTEST_OPTIONS = "-p no:hypothesispytest"


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """pytest's own, its runs given ``SUBPROCESS_PYTEST_OPTIONS`` and nothing of this run's
    ``PYTEST_ADDOPTS``."""
    monkeypatch.setenv("PYTEST_ADDOPTS", SUBPROCESS_PYTEST_OPTIONS)
    return pytester


def _add_member(name: str, value: str, params: dict[str, Any], **_: Any) -> None:
    body = json.loads(params["body"])
    body[name] = value
    params["body"] = json.dumps(body).encode()


def moto_s_own(owner: type, name: str) -> Any:
    """moto's own ``owner.name``, which the plugin's replacement stands in for (recorded on
    it by ``moto_glue.patches``)."""
    return patches._REPLACED[vars(owner)[name]]


#: The tests' clients make one attempt: a test sees moto's first answer. botocore retries 5xx
#: and the codes it takes for throttling (LimitExceededException among them) after seconds of
#: back-off, and a retry that succeeds hides the first answer.
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})


@functools.cache
def _plain_client(service: str, region: str, endpoint: str | None) -> Any:
    """One client per service, region and endpoint for the whole test process: a fifth of a
    decorator test's time went to building clients. Sharing them is safe: moto's stubber is in
    every botocore client made after moto's import and answers whenever ``mock_aws`` is active,
    credentials are the fake ones every test sets, and a test that changes a client's events
    undoes it (``Harness.job``)."""
    return fake_session().client(service, region_name=region, endpoint_url=endpoint, config=ONE_ATTEMPT)


class Harness:
    """One way of reaching moto: clients, time travel and state-manager control."""

    def __init__(self, mode: str, endpoint: str | None, frozen: Any = None):
        self.mode = mode
        self.endpoint = endpoint
        self.frozen = frozen

    def client(self, service: str = "cognito-idp", region: str = REGION, **kwargs: Any) -> Any:
        """A boto3 client for this mode; plain ones are shared by the tests (building clients is
        slow)."""
        if kwargs:
            kwargs.setdefault("endpoint_url", self.endpoint)
            kwargs["config"] = ONE_ATTEMPT.merge(kwargs["config"]) if "config" in kwargs else ONE_ATTEMPT
            return fake_session().client(service, region_name=region, **kwargs)
        return _plain_client(service, region, self.endpoint)

    @property
    def idp(self) -> Any:
        return self.client()

    def raw(self, operation: str, body: dict[str, Any]) -> requests.Response:
        """POST one cognito-idp operation as raw JSON 1.1, as an SDK with a newer model (or
        none) would: no client-side validation."""
        return requests.post(
            self.endpoint or f"https://cognito-idp.{REGION}.amazonaws.com/",  # mock_aws intercepts this one
            data=json.dumps(body),
            headers={
                "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
                "Content-Type": "application/x-amz-json-1.1",
            },
            timeout=30,
        )

    def advance(self, seconds: float) -> None:
        """Move time forward: freezegun in decorator mode, the control endpoint on the server."""
        if self.frozen is not None:
            self.frozen.tick(seconds)
        else:
            response = requests.post(
                f"{self.endpoint}/moto-api/cognito-import/clock", json={"advance_seconds": seconds}, timeout=10
            )
            response.raise_for_status()

    def settings(self, **values: Any) -> dict[str, Any]:
        """Override the plugin's settings (``/moto-api/cognito-import/settings``) in whichever
        process runs moto; reset with moto."""
        base = self.endpoint or "http://motoapi.amazonaws.com"
        response = requests.post(f"{base}/moto-api/cognito-import/settings", json=values, timeout=10)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def set_transition(self, transition: Any) -> None:
        """Configure the job progression (moto's state manager) in whichever process runs moto."""
        if self.endpoint is None:
            from moto.moto_api import state_manager

            state_manager.set_transition(STATE_MODEL, transition)
        else:
            requests.post(  # json.dumps, not requests' json=: a transition may hold NaN, as moto's reader takes
                f"{self.endpoint}/moto-api/state-manager/set-transition",
                data=json.dumps({"model_name": STATE_MODEL, "transition": transition}),
                timeout=10,
            ).raise_for_status()

    def hold_jobs(self, reads: int = 1000) -> None:
        """Keep started jobs Pending/InProgress: each step needs ``reads`` reads."""
        self.set_transition({"progression": "manual", "times": reads})

    def unset_transition(self) -> None:
        if self.endpoint is None:
            from moto.moto_api import state_manager

            state_manager.unset_transition(STATE_MODEL)
        else:
            requests.post(
                f"{self.endpoint}/moto-api/state-manager/unset-transition",
                json={"model_name": STATE_MODEL},
                timeout=10,
            ).raise_for_status()

    def logs_role(self, name: str = "Cognito-UserImport-Role", trust: dict[str, Any] | str | None = None) -> str:
        return create_logs_role(self.client("iam"), name, trust)

    def pool(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("PoolName", "migrated")
        kwargs.setdefault("AutoVerifiedAttributes", ["email"])
        return self.idp.create_user_pool(**kwargs)["UserPool"]  # type: ignore[no-any-return]

    def upload(self, url: str, body: bytes | str, sse: str | None = "aws:kms") -> requests.Response:
        headers = {} if sse is None else {"x-amz-server-side-encryption": sse}
        return requests.put(url, data=body.encode() if isinstance(body, str) else body, headers=headers, timeout=60)

    def job(
        self, pool_id: str, csv: bytes | str | None = None, algorithm: str | None = None, name: str = "import",
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Create a job (with a valid logs role) and, if ``csv`` is given, upload it.

        ``algorithm`` is sent as PasswordHashingAlgorithm even where the installed botocore's
        model lacks the member (< 1.44), as SDKs built on the newer model do.
        """
        kwargs.setdefault("CloudWatchLogsRoleArn", self.existing_role())
        client = self.idp
        members = client.meta.service_model.operation_model("CreateUserImportJob").input_shape.members
        if algorithm and "PasswordHashingAlgorithm" in members:
            kwargs["PasswordHashingAlgorithm"], algorithm = algorithm, None
        event = "before-call.cognito-idp.CreateUserImportJob"
        add = functools.partial(_add_member, "PasswordHashingAlgorithm", algorithm)
        if algorithm:
            client.meta.events.register(event, add)
        try:
            job = client.create_user_import_job(JobName=name, UserPoolId=pool_id, **kwargs)["UserImportJob"]
        finally:
            client.meta.events.unregister(event, add)
        if csv is not None:
            assert self.upload(job["PreSignedUrl"], csv).status_code == 200
        return job  # type: ignore[no-any-return]

    def existing_role(self) -> str:
        try:
            return self.client("iam").get_role(RoleName="Cognito-UserImport-Role")["Role"]["Arn"]  # type: ignore[no-any-return]
        except self.client("iam").exceptions.NoSuchEntityException:
            return self.logs_role()

    def run(self, pool_id: str, csv: bytes | str, algorithm: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """Create, upload, start and read back a job; return its final description."""
        job = self.job(pool_id, csv, algorithm, **kwargs)
        self.idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        return self.idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]  # type: ignore[no-any-return]

    def log_messages(self, pool: dict[str, Any], job: dict[str, Any]) -> list[str]:
        events = self.client("logs").get_log_events(
            logGroupName=f"/aws/cognito/userpools/{pool['Id']}/{pool['Name']}",
            logStreamName=f"{job['JobId']}/{job['JobName']}",
            startFromHead=True,
        )["events"]
        return [event["message"] for event in events]


#: AWS's documented permissions for the CloudWatch Logs role, in any region and partition.
LOGS_PERMISSIONS = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow", "Action": [action for action, _ in LOGS_ACTIONS],
        "Resource": "arn:*:logs:*:*:log-group:/aws/cognito/*",
    }],
}


def create_logs_role(iam: Any, name: str = "Cognito-UserImport-Role", trust: dict[str, Any] | str | None = None) -> str:
    """A role with AWS's documented trust policy (or ``trust``, a document or its JSON) and
    permissions policy for the import's CloudWatch Logs; its ARN."""
    document = trust if isinstance(trust, str) else json.dumps(trust or LOGS_ROLE_TRUST_POLICY)
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=document)["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="logs", PolicyDocument=json.dumps(LOGS_PERMISSIONS))
    return arn


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    from conformance.targets import fake_aws_environment

    fake_aws_environment(monkeypatch, REGION)


@contextlib.contextmanager
def _under_mock_aws() -> Iterator[Harness]:
    from moto import mock_aws

    with freeze_time("2026-01-15 10:00:00") as frozen, mock_aws():
        harness = Harness("decorator", None, frozen)
        yield harness
        harness.unset_transition()


@pytest.fixture(params=["decorator", "server"])
def in_process(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """Like ``aws``, with the server in this process (the plugin's ``cognito_import_server``),
    for tests that change the package's internals with ``monkeypatch``."""
    if request.param == "decorator":
        with _under_mock_aws() as harness:
            yield harness
    else:
        yield Harness("server", request.getfixturevalue("cognito_import_server"))


@pytest.fixture(params=["decorator", "server"])
def aws(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """Run the test under ``mock_aws`` (time frozen) and against the server subprocess."""
    if request.param == "decorator":
        with _under_mock_aws() as harness:
            yield harness
    else:
        url = request.getfixturevalue("server_url")
        harness = Harness("server", url)
        yield harness
        harness.unset_transition()
        requests.post(f"{url}/moto-api/reset", timeout=30).raise_for_status()
