"""Conformance suite: the same tests against mock_aws, a moto server and (opt-in) real AWS.

Targets (``--conformance-target`` or ``MOTO_COGNITO_IMPORT_CONFORMANCE``):

- ``fakes`` (default): mock_aws and a ``moto-cognito-import-server`` subprocess (the session's
  ``server_url``), each compared with the committed snapshots;
- ``mock_aws`` or ``server``: one of the two;
- ``--endpoint-url URL`` (or ``MOTO_COGNITO_IMPORT_ENDPOINT_URL``): a moto server already running;
- ``aws``: real AWS with your credentials and region; creates ``mci-conformance-*`` resources
  and deletes them, even when a test fails.

``--snapshot-update`` (or ``MOTO_COGNITO_IMPORT_SNAPSHOT_UPDATE=1``) records the snapshots from
the target instead of comparing (default target then: the server subprocess).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from moto_cognito_import.settings import switch
from moto_cognito_import.upload.signing import aws_host

from .snapshots import RECORDABLE, Snapshot
from .targets import FAKE_REGION, AwsSession, Target, fake_aws_environment

TARGET_ENV = "MOTO_COGNITO_IMPORT_CONFORMANCE"
ENDPOINT_ENV = "MOTO_COGNITO_IMPORT_ENDPOINT_URL"
UPDATE_ENV = "MOTO_COGNITO_IMPORT_SNAPSHOT_UPDATE"
CHOICES = ("fakes", "mock_aws", "server", "aws")
SNAPSHOT_KEY = pytest.StashKey[Snapshot]()


@dataclass(frozen=True)
class Settings:
    targets: tuple[str, ...]
    endpoint: str | None
    update: bool


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "Cognito user import conformance suite (tests/conformance)")
    group.addoption(
        "--conformance-target", choices=CHOICES, default=None,
        help=f"fakes (default: mock_aws and a server subprocess), mock_aws, server or aws; env {TARGET_ENV}",
    )
    group.addoption(
        "--endpoint-url", default=None, metavar="URL",
        help=f"run the conformance suite against the moto server at URL; env {ENDPOINT_ENV}",
    )
    group.addoption(
        "--snapshot-update", action="store_true", default=False,
        help=f"record tests/conformance/snapshots from the target instead of comparing; env {UPDATE_ENV}=1",
    )


def settings(config: pytest.Config) -> Settings:
    chosen = config.getoption("conformance_target", None) or os.environ.get(TARGET_ENV) or None
    endpoint = config.getoption("endpoint_url", None) or os.environ.get(ENDPOINT_ENV) or None
    update = bool(config.getoption("snapshot_update", False)) or _true(os.environ.get(UPDATE_ENV, ""))
    if chosen not in (None, *CHOICES):
        raise pytest.UsageError(f"{TARGET_ENV}={chosen!r}: choose one of {', '.join(CHOICES)}")
    if endpoint:
        if chosen not in (None, "server"):
            raise pytest.UsageError(f"--endpoint-url is a server target; it can't be combined with {chosen}")
        if aws_host(urlsplit(endpoint).hostname or ""):
            raise pytest.UsageError(
                f"--endpoint-url {endpoint} is AWS itself, not a server: choose the aws target to run against AWS"
            )
        targets: tuple[str, ...] = ("server",)
    elif chosen in (None, "fakes"):
        targets = ("server",) if update else ("mock_aws", "server")
    else:
        targets = (chosen,)
    if update and targets[0] not in RECORDABLE:
        raise pytest.UsageError("snapshots are recorded against a server or AWS, not mock_aws (which replays them)")
    return Settings(targets, endpoint, update)


def _true(value: str) -> bool:
    """An environment switch, read as the package reads its own (``settings.switch``); off
    when empty, a usage error when neither on nor off (``flase`` recorded snapshots)."""
    meant = switch(value) if value.strip() else False
    if meant is None:
        raise pytest.UsageError(f"{UPDATE_ENV}={value!r}: use 1/true/yes/on or 0/false/no/off")
    return meant


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fake_only(reason): conformance test skipped against real AWS (the reason says why)"
    )
    check(config)


def check(config: pytest.Config) -> None:
    """A bad combination is a usage error before anything runs. Called from tests/conftest.py
    too: pytest-xdist's controller loads this conftest only when tests/conformance is on the
    command line, and a target chosen by environment variable still reaches the workers."""
    chosen = settings(config)
    external = chosen.endpoint or chosen.targets == ("aws",)
    workers = config.getoption("numprocesses", None)
    # ``--dist load --tx 2*popen`` starts workers without -n.
    distributed = workers not in (None, 0, "0") or config.getoption("tx", None) or config.getoption("dist", "no") != "no"
    if external and distributed and not hasattr(config, "workerinput"):
        # One import job at a time per account and region: tests on one shared target can't overlap.
        raise pytest.UsageError("run the conformance suite against AWS or --endpoint-url without -n (one job at a time)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" in metafunc.fixturenames:
        kinds = settings(metafunc.config).targets
        metafunc.parametrize("target", kinds, indirect=True, ids=list(kinds))


@pytest.fixture(autouse=True)
def _credentials(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides tests/conftest.py's: fake credentials except for a test against real AWS
    (yours, then); the machinery's own tests, which take no target, never reach AWS."""
    if "target" in request.fixturenames and settings(request.config).targets == ("aws",):
        return
    fake_aws_environment(monkeypatch, FAKE_REGION)


@pytest.fixture(scope="session")
def aws_session() -> Iterator[AwsSession]:
    """Real AWS: the session's logs role, deleted at the end whatever happened."""
    try:
        session = AwsSession()
    except ValueError as error:
        pytest.exit(str(error), 4)
    with session_role(session):
        yield session


@contextlib.contextmanager
def session_role(session: AwsSession) -> Iterator[None]:
    """The session's role for the block; deleted after it, whatever ends it (``_Interrupts``)."""
    interrupts = _Interrupts()
    previous = {number: signal.signal(number, interrupts) for number in _ENDING_SIGNALS}
    try:
        session.create_role()
        yield
    finally:
        interrupts.received = max(interrupts.received, 1)  # a signal from now on is a later one
        try:
            # Only a role this run created (a name already taken, or CreateRole denied: not ours).
            leftovers = session.delete_role() if session.role_arn else []
        finally:  # the handlers stay until then: a later signal would stop the deletion
            for number, handler in previous.items():
                signal.signal(number, handler)
        if leftovers:
            pytest.fail("could not delete (remove by hand):\n" + "\n".join(leftovers), pytrace=False)


#: What ends a run against AWS: Ctrl-C, a CI timeout or kill(1), a closed terminal. SIGTERM and
#: SIGHUP skipped every cleanup.
_ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _Interrupts:
    """The first ending signal ends the run as Ctrl-C does, through the finalizers, which
    delete what it created; later ones are noted and the deletion goes on. CI sends several:
    GitHub Actions cancels a job with SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that
    (its workflow-cancellation reference), and stopping a running import on AWS takes longer:
    the second signal left the pool and the role behind, unlisted."""

    def __init__(self) -> None:
        self.received = 0

    def __call__(self, signum: int, frame: Any) -> None:
        self.received += 1
        if self.received == 1:
            raise KeyboardInterrupt(f"signal {signum}")
        sys.stderr.write(f"\nconformance: signal {signum} while deleting this run's AWS resources: deleting on\n")


@pytest.fixture
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    kind = request.param
    marker = request.node.get_closest_marker("fake_only")
    if marker is not None and kind == "aws":
        pytest.skip(f"fake-only: {marker.args[0] if marker.args else 'not reproducible against AWS'}")
    if kind == "mock_aws":
        from moto import mock_aws

        with mock_aws():
            yield from _run(Target("mock_aws", FAKE_REGION))
    elif kind == "server":
        endpoint = settings(request.config).endpoint
        url = endpoint or request.getfixturevalue("server_url")
        try:
            yield from _run(Target("server", FAKE_REGION, endpoint=url))
        finally:
            if not endpoint:  # our own subprocess (shared with the rest of tests/): leave it empty
                requests.post(f"{url}/moto-api/reset", timeout=30).raise_for_status()
    else:
        session: AwsSession = request.getfixturevalue("aws_session")
        yield from _run(
            Target(
                "aws", session.region, run_name=session.run_name, role_arn=session.role_arn,
                account_id=session.account_id, aws=session.boto,
            )
        )


def _run(target: Target) -> Iterator[Target]:
    """Yield the target; then delete what the test created, even if it failed."""
    try:
        yield target
    finally:
        leftovers = target.cleanup()
    if leftovers:
        pytest.fail(f"{target.kind}: could not delete (remove by hand):\n" + "\n".join(leftovers), pytrace=False)


@pytest.fixture
def snapshot(request: pytest.FixtureRequest, target: Target) -> Snapshot:
    """Observations of this test, compared with (or recorded to) snapshots/<test>.json."""
    update = settings(request.config).update
    snap = Snapshot(request.node.originalname, target.kind, target.recorded_as, target.normaliser, update)
    request.node.stash[SNAPSHOT_KEY] = snap
    return snap


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """After a passing test body: compare its observations with the snapshot (or record them).

    A test whose own assertions failed records nothing; its diff so far is shown beside the failure.
    """
    snap = item.stash.get(SNAPSHOT_KEY, None)
    try:
        result = yield
    except BaseException:
        if snap is not None and not snap.update:
            item.add_report_section("call", "snapshot diff (observations so far)", snap.diff() or "(none)")
        raise
    if snap is not None:
        from_aws = snap.recorded_against() == "aws"
        if snap.update and from_aws and snap.recorded_as != "aws":
            pytest.fail(
                f"snapshots/{snap.path.name} was recorded against AWS: a fake's answers never replace "
                "AWS's (refresh it with --conformance-target=aws --snapshot-update)",
                pytrace=False,
            )
        if snap.update:
            snap.write()
        elif diff := snap.diff():
            advice = "the fake differs from AWS: fix the fake" if from_aws else "if intended: --snapshot-update"
            pytest.fail(f"{snap.target_kind} differs from snapshots/{snap.path.name} ({advice}):\n{diff}", pytrace=False)
    return result
