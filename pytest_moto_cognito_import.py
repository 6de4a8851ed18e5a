"""pytest fixtures for testing user-migration code against moto's Cognito import jobs.

Registered through the ``pytest11`` entry point, so installing the package is enough to get
the fixtures. This module lives outside the ``moto_cognito_import`` package on purpose: pytest
imports every entry-point module at start-up, and importing the package activates the plugin
in moto. Here nothing is imported until a test asks for a fixture, so a test run that uses no
fixture of ours sees moto exactly as moto is.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import json
import logging
import sys
from collections.abc import Iterator
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

import pytest

_PACKAGE = "moto_cognito_import"

# How many fixtures hold the plugin now (each also one of ``moto_glue.holds``'s holds, shared
# with ``activated()`` blocks), and whether the package had been imported before the first. A
# count, not nested blocks: the session's server outlives the test whose fixtures may have
# activated the plugin first, so they do not end in the order they began.
_holders = 0
_imported_before = False


def _hold() -> None:
    """One more holder of the plugin: active from the first until the last lets go (``_release``).
    Before the first, it notes whether the package was imported, also before the first
    ``import moto_cognito_import``, which activates it: the plugin was off before that."""
    global _holders, _imported_before
    imported = _PACKAGE in sys.modules
    from moto_cognito_import.moto_glue import holds  # the package's first import activates it

    holds.hold(active_before=None if imported else False)
    if _holders == 0:
        _imported_before = imported
    _holders += 1


def _release() -> None:
    """One holder fewer (``moto_glue.holds`` says what the plugin is then). After the last, a
    package the fixtures imported first and nothing holds or left active is put away as if never
    imported (``_Dormant``)."""
    global _holders
    from moto_cognito_import.moto_glue import holds, patches

    _holders -= 1
    holds.release()
    if _holders == 0 and not _imported_before and not holds.held() and not patches.is_active():
        _Dormant.put_away()


@contextlib.contextmanager
def _active() -> Iterator[None]:
    """The plugin active inside (``_hold``), afterwards as it was (``_release``)."""
    _hold()
    try:
        yield
    finally:
        _release()


class _Dormant(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """The package a fixture imported, put away after the fixtures so that the next import of
    it or of any of its modules (``from moto_cognito_import.settings import ...``, unpickling
    an error) finds it as a first import does, and is activated by it; without this, the
    import found the package loaded, did nothing, and the test met moto without the six
    operations, depending on test order. Its modules are put away too: Python imports a
    module's package first only when the module is not loaded. The same module objects come
    back, so everything imported from them stays what it was."""

    #: The finder holding the package while it is put away.
    current: _Dormant | None = None

    def __init__(self, modules: dict[str, ModuleType]):
        self.modules = modules
        self.spec = modules[_PACKAGE].__spec__

    @classmethod
    def put_away(cls) -> None:
        modules = {name: module for name, module in sys.modules.items() if name.partition(".")[0] == _PACKAGE}
        for name in modules:
            del sys.modules[name]
        cls.current = cls(modules)
        sys.meta_path.insert(0, cls.current)  # before pytest's own finder, which would load a copy

    @classmethod
    def module(cls, name: str) -> ModuleType | None:
        """One of the package's modules if it was loaded, put away or not."""
        return sys.modules.get(name) or (cls.current.modules.get(name) if cls.current is not None else None)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if fullname != _PACKAGE:  # a module of it is found once the package is back
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=True)

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        return self.modules[_PACKAGE]

    def exec_module(self, module: ModuleType) -> None:
        sys.meta_path.remove(self)
        type(self).current = None
        sys.modules.update({name: m for name, m in self.modules.items() if name != _PACKAGE})
        module.__spec__ = self.spec  # importing set this finder's spec on it
        try:
            module.activate()
        except BaseException:
            # The import fails (a test's mock without moto's parameters, say) and Python forgets
            # the package: its modules go back with it, or the next ``from moto_cognito_import.x
            # import y`` found them loaded, skipped the package and left it unimported.
            for name in self.modules:
                sys.modules.pop(name, None)
            type(self).current = self
            sys.meta_path.insert(0, self)
            raise


_SERVER = "cognito_import_server_session"
_HOLDS_THE_SERVER = pytest.StashKey[bool]()
_server_running = False  # the session's server started and not yet stopped


@pytest.hookimpl(hookwrapper=True)  # old-style: this module loads in every pytest run, any pluggy
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """A test that uses the session's server holds the plugin active from its setup to the
    end of its teardown: the server runs on between such tests, the plugin does not (it stayed
    on for every later test of the session, which then met the plugin's moto by test order)."""
    if _SERVER in getattr(item, "fixturenames", ()):
        _hold()
        item.stash[_HOLDS_THE_SERVER] = True
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """While the session's server runs, the plugin active during every test's teardown: a
    fixture of a wider scope built on the server (a module's pool) is torn down with the last
    test of its scope, which may not use it, and its cleanup met moto without the plugin.
    After every fixture of a test is torn down: the plugin released, and moto's own objects
    where the plugin is off. A ``monkeypatch`` (or ``mocker``) set up before the plugin's
    fixtures is undone after them, and puts back the object it found, which was the plugin's
    (inert while off, but not moto's)."""
    held_since_setup = item.stash.get(_HOLDS_THE_SERVER, False)
    held_for_teardown = _server_running and not held_since_setup and _hold_for_teardown(item)
    yield  # the teardown; what it raised stays in its outcome, and this runs either way
    if held_since_setup or held_for_teardown:
        _release()
    patches = _Dormant.module(f"{_PACKAGE}.moto_glue.patches")  # never imported from here
    if patches is not None:
        patches.put_back_leftovers()


def _hold_for_teardown(item: pytest.Item) -> bool:
    """``_hold()`` for a test that does not use the server; False, and a log record, when the
    plugin cannot switch on because the test replaced a moto method by a mock without moto's
    parameters: the test's own, undone by the teardown (which never ran: the hook raised
    before it, and every later test met the mock)."""
    try:
        _hold()
    except Exception as error:
        patches = _Dormant.module(f"{_PACKAGE}.moto_glue.patches")
        if patches is None or not isinstance(error, patches.IncompatibleMotoError):
            raise
        logging.getLogger(_PACKAGE).info("%s is torn down without the plugin: %s", item.nodeid, error)
        return False
    return True


@pytest.fixture(scope="session")
def cognito_import_region() -> str:
    """Region of the fixtures' clients and pool ("us-east-1"); override it in a conftest."""
    return "us-east-1"


@pytest.fixture
def cognito_import_credentials(monkeypatch: pytest.MonkeyPatch, cognito_import_region: str) -> None:
    """Fake AWS credentials and region in the environment, so nothing can reach real AWS."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": cognito_import_region,
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def cognito_import_aws(cognito_import_credentials: None) -> Iterator[None]:
    """Everything inside runs under ``moto.mock_aws()`` with the import-job API active."""
    from moto import mock_aws

    with _active(), mock_aws():
        yield


@pytest.fixture
def cognito_import_client(cognito_import_aws: None, cognito_import_region: str) -> Any:
    """A boto3 ``cognito-idp`` client inside ``mock_aws``."""
    import boto3

    return boto3.client("cognito-idp", region_name=cognito_import_region)


@pytest.fixture
def cognito_import_user_pool(cognito_import_client: Any) -> dict[str, Any]:
    """The ``UserPool`` of a fresh pool that can run imports (email auto-verified)."""
    return cognito_import_client.create_user_pool(  # type: ignore[no-any-return]
        PoolName="imported-users", AutoVerifiedAttributes=["email"]
    )["UserPool"]


@pytest.fixture
def cognito_import_logs_role(cognito_import_aws: None, cognito_import_region: str) -> str:
    """ARN of an IAM role with the documented CloudWatch Logs trust and permissions policies."""
    import boto3

    from moto_cognito_import.importing.logs_role import LOGS_ROLE_TRUST_POLICY, logs_role_permissions

    iam = boto3.client("iam", region_name=cognito_import_region)
    role = iam.create_role(
        RoleName="Cognito-UserImport-Role",
        Path="/service-role/",
        AssumeRolePolicyDocument=json.dumps(LOGS_ROLE_TRUST_POLICY),
    )["Role"]
    account_id = role["Arn"].split(":")[4]
    iam.put_role_policy(
        RoleName="Cognito-UserImport-Role",
        PolicyName="CognitoUserImportLogs",
        PolicyDocument=json.dumps(logs_role_permissions(cognito_import_region, account_id)),
    )
    return role["Arn"]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def cognito_import_server_session() -> Iterator[str]:
    """URL of one ``ThreadedMotoServer`` on 127.0.0.1 and a random port, for the session. The
    plugin is active while a test that uses it runs (``pytest_runtest_setup``), not between:
    name it (or ``cognito_import_server``, or a fixture that uses either) as a parameter;
    ``request.getfixturevalue`` of this one in a test's body leaves the plugin off there."""
    global _server_running
    with _active():
        from moto_cognito_import.extras import SERVER_EXTRA_INSTALL, server_extra_missing

        if server_extra_missing():  # moto's own hint names no version range
            needs = f"the cognito_import_server fixtures need the [server] extra: {SERVER_EXTRA_INSTALL}"
            pytest.fail(needs, pytrace=False)
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
    _server_running = True
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        _server_running = False


@pytest.fixture
def cognito_import_server(cognito_import_server_session: str, cognito_import_credentials: None) -> Iterator[str]:
    """URL of the session's moto server, reset (``POST /moto-api/reset``) after each test. The
    server runs in this process: the reset is of all of moto's state here, a wider ``mock_aws``
    fixture's included (the README says so)."""
    import requests

    with _active():  # also when a test asks for it with request.getfixturevalue
        yield cognito_import_server_session
        requests.post(f"{cognito_import_server_session}/moto-api/reset", timeout=30).raise_for_status()
