"""A good guest in moto: active only when asked, every change in one table, undone exactly.

- Installing the package changes nothing for a pytest run that does not use it.
- ``activate`` changes exactly the attributes ``moto_glue.patches.PATCHES`` lists (found by
  comparing every class and dict of every loaded moto module before and after, in a fresh
  interpreter); ``deactivate`` puts back every original object.
- A moto that lacks a patched parameter is refused, naming the version and the piece.
- Errors pickle; moto's dashboard answers 200 and reading it moves no job.
"""

from __future__ import annotations

import base64
import concurrent.futures
import json
import pickle
import socket
import subprocess
import sys
import textwrap
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from moto import mock_aws
from moto.core.exceptions import ServiceNotWhitelisted

import moto_cognito_import
from conftest import ACCOUNT, REGION, server_only
from moto_cognito_import import exceptions
from moto_cognito_import.moto_glue import holds, patches
from moto_cognito_import.upload.s3_errors import S3Error

ROLE = "arn:aws:iam::123456789012:role/r"
CSV = "cognito:username,email,email_verified\njohn,john@example.com,true\n"

# Run in a fresh interpreter: import the moto modules the package uses, snapshot every class
# namespace and module-level dict of every loaded moto module, activate, compare, deactivate,
# compare again.
SNAPSHOT_SCRIPT = textwrap.dedent(
    """
    import importlib, json, sys
    for name in json.loads(sys.argv[1]):
        importlib.import_module(name)
    from moto.core.model_instances import model_data
    from moto.moto_api import state_manager

    def snapshot():
        seen = {}
        for module_name, module in list(sys.modules.items()):
            if not module_name.startswith("moto.") or module is None:
                continue
            for name, value in list(vars(module).items()):
                if isinstance(value, type) and value.__module__ == module_name:
                    for attribute, member in list(vars(value).items()):
                        seen[f"{module_name}.{value.__qualname__}.{attribute}"] = member
                elif isinstance(value, dict):
                    seen[f"{module_name}.{name}"] = (id(value), dict(value))
        seen["state_manager._default_transitions"] = dict(state_manager._default_transitions)
        seen["model_data"] = {service: dict(models) for service, models in model_data.items()}
        return seen

    def changes(before, after):
        keys = set(before) | set(after)
        return sorted(k for k in keys if k not in before or k not in after or (
            before[k] is not after[k] and before[k] != after[k]))

    before = snapshot()
    import moto_cognito_import
    from moto_cognito_import.moto_glue.patches import PATCHES
    active = snapshot()
    moto_cognito_import.deactivate()
    after = snapshot()
    print(json.dumps({
        "changed_by_activation": changes(before, {k: active[k] for k in before if k in active}),
        "added_by_activation": sorted(k for k in active if k not in before and k.startswith(
            tuple(p.owner.__module__ for p in PATCHES))),
        "table": sorted(p.target for p in PATCHES),
        "changed_after_deactivation": changes(before, {k: after[k] for k in before if k in after}),
        "left_after_deactivation": sorted(k for k in after if k not in before and k in active and k in {
            p.target for p in PATCHES}),
    }))
    """
)


def _moto_modules_the_package_loads() -> list[str]:
    script = "import sys, json, moto_cognito_import; print(json.dumps(sorted(m for m in sys.modules if m.startswith('moto.'))))"
    return json.loads(subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, text=True).stdout)


def test_activation_changes_exactly_the_table_and_deactivation_restores_every_original():
    modules = _moto_modules_the_package_loads()
    output = subprocess.run(
        [sys.executable, "-c", SNAPSHOT_SCRIPT, json.dumps(modules)], capture_output=True, check=True, text=True
    ).stdout
    report = json.loads(output)
    table = set(report["table"])
    changed = set(report["changed_by_activation"]) | set(report["added_by_activation"])
    # The two registrations (patches.REGISTRATIONS): the job's default progression, and the
    # job model among cognito-idp's for moto's dashboard.
    registrations = {"state_manager._default_transitions", "model_data"}
    assert changed - registrations == table  # nothing outside the table, and every entry applied
    assert registrations <= changed
    assert report["changed_after_deactivation"] == []  # the registrations too
    assert report["left_after_deactivation"] == []


@pytest.fixture
def inactive() -> Iterator[None]:
    """The plugin switched off for one test; on again afterwards (other tests need it)."""
    moto_cognito_import.deactivate()
    try:
        yield
    finally:
        moto_cognito_import.activate()


def test_after_deactivate_moto_is_moto_again(inactive):
    from moto.cognitoidp.responses import CognitoIdpResponse

    assert not moto_cognito_import.is_active()
    assert "create_user_import_job" not in vars(CognitoIdpResponse)
    with mock_aws():
        client = boto3.client("cognito-idp", region_name=REGION)
        pool_id = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
        with pytest.raises(NotImplementedError):  # moto's answer to an action it lacks
            client.get_csv_header(UserPoolId=pool_id)


def test_pool_changes_in_a_region_moto_no_longer_serves_get_moto_s_answer(monkeypatch):
    """A pool made while MOTO_ALLOW_NONEXISTENT_REGION was set (or by a backend built by hand)
    has no import backend beside it and no job: UpdateUserPool, AddCustomAttributes and
    DeleteUserPool answered a KeyError from the plugin's job guard where moto answers 200."""
    from moto.cognitoidp.models import CognitoIdpBackend

    assert moto_cognito_import.is_active()
    with mock_aws():
        monkeypatch.setenv("MOTO_ALLOW_NONEXISTENT_REGION", "true")
        client = boto3.client("cognito-idp", region_name="xx-fake-1")
        pool_id = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
        monkeypatch.delenv("MOTO_ALLOW_NONEXISTENT_REGION")
        client.update_user_pool(UserPoolId=pool_id)
        client.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[{"Name": "a", "AttributeDataType": "String"}])
        client.delete_user_pool(UserPoolId=pool_id)
    by_hand = CognitoIdpBackend("xx-fake-2", ACCOUNT)
    by_hand.delete_user_pool(by_hand.create_user_pool("q", {}).id)


_RELOAD = """
import importlib
from moto.cognitoidp.models import CognitoIdpBackend
original = CognitoIdpBackend.initiate_auth
import moto_cognito_import
from moto_cognito_import.moto_glue import patches
importlib.reload(patches)
assert moto_cognito_import.is_active()
moto_cognito_import.deactivate()
assert CognitoIdpBackend.initiate_auth is original
"""


def test_a_reloaded_patch_module_still_knows_what_to_undo():
    """``importlib.reload`` of the patch table forgot what activation had changed: the plugin
    said it was inactive while moto stayed patched, and nothing could undo it. (In a fresh
    process: a reload here would give this worker's other tests new patch objects.)"""
    subprocess.run([sys.executable, "-W", "error", "-c", _RELOAD], check=True, timeout=120)


def test_activated_restores_what_was_before_and_nests(inactive):
    with moto_cognito_import.activated():
        assert moto_cognito_import.is_active()
        with moto_cognito_import.activated():
            assert moto_cognito_import.is_active()
        assert moto_cognito_import.is_active()  # the outer block activated it
        with mock_aws():
            client = boto3.client("cognito-idp", region_name=REGION)
            pool_id = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
            assert client.get_csv_header(UserPoolId=pool_id)["CSVHeader"][-1] == "password_hash"
    assert not moto_cognito_import.is_active()


def _activate_and_upload(csv: str) -> tuple[Any, str, dict[str, Any]]:
    """Inside a running ``mock_aws``: activate the plugin, create a pool and a job, upload
    ``csv``; return the client, the pool's ID and the job."""
    moto_cognito_import.activate()
    idp = boto3.client("cognito-idp", region_name=REGION)
    pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    job = idp.create_user_import_job(
        JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r"
    )["UserImportJob"]
    upload = requests.put(
        job["PreSignedUrl"], data=csv.encode(), headers={"x-amz-server-side-encryption": "aws:kms"}, timeout=30
    )
    assert upload.status_code == 200, upload.text
    return idp, pool_id, job


def test_activating_inside_a_running_mock_routes_its_uploads(inactive, monkeypatch):
    """moto 5.2.1's mock binds moto's ``process_request`` when it starts: activated after a
    user's own ``mock_aws`` began (their fixture before ours), uploads went to moto's S3
    (404 NoSuchBucket) until the next mock. Deactivating puts moto's callbacks back."""
    from moto.core.models import responses_mock

    monkeypatch.setenv("MOTO_COGNITO_IMPORT_CHECK_ROLE", "false")
    with mock_aws():
        before = [vars(response).get("callback") for response in responses_mock.registered()]
        _activate_and_upload(CSV)
        moto_cognito_import.deactivate()
        assert [vars(response).get("callback") for response in responses_mock.registered()] == before


def test_an_import_in_flight_stops_at_its_next_row_when_the_plugin_goes_off(inactive, monkeypatch):
    """Once the plugin is off moto's own requests take no plugin lock: an import going on
    adding users to a pool they read made them fail (``OrderedDict mutated during iteration``,
    an HTTP 500). The import stops at its next row instead, its job Failed with the rows done
    counted; deactivation does not wait for it (a wait, from a thread holding a lock the
    import needs, never ended)."""
    from moto.cognitoidp.models import cognitoidp_backends

    from moto_cognito_import.importing import run

    monkeypatch.setenv("MOTO_COGNITO_IMPORT_CHECK_ROLE", "false")
    building, proceed = threading.Event(), threading.Event()
    original_apply = run.ImportRun._apply

    def paused_apply(self: Any, outcome: Any) -> None:
        if outcome.line_number == 3:  # the second of three users
            building.set()
            assert proceed.wait(timeout=30)
        original_apply(self, outcome)

    monkeypatch.setattr(run.ImportRun, "_apply", paused_apply)
    with mock_aws():
        csv = "cognito:username,email,email_verified\n" + "".join(f"u{n},u{n}@x.com,true\n" for n in range(3))
        idp, pool_id, job = _activate_and_upload(csv)
        idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        with concurrent.futures.ThreadPoolExecutor(1) as threads:
            importing = threads.submit(idp.describe_user_import_job, UserPoolId=pool_id, JobId=job["JobId"])
            assert building.wait(timeout=30)
            moto_cognito_import.deactivate()  # returns at once, the import paused in its second row
            proceed.set()
            ended = importing.result(timeout=30)["UserImportJob"]
        assert (ended["Status"], ended["CompletionMessage"]) == ("Failed", run.DEACTIVATED_MESSAGE)
        assert (ended["ImportedUsers"], ended["SkippedUsers"], ended["FailedUsers"]) == (2, 0, 0)
        assert sorted(cognitoidp_backends[ACCOUNT][REGION].user_pools[pool_id].users) == ["u0", "u1"]
        assert [user["Username"] for user in idp.list_users(UserPoolId=pool_id)["Users"]] == ["u0", "u1"]  # moto's own


def test_deactivation_from_within_an_import_returns(inactive, monkeypatch):
    """A log handler that switched the plugin off when a job ended (inside the import's own
    call) waited for that very import: the call never returned, and every later activate()
    waited for ever too."""
    import logging

    monkeypatch.setenv("MOTO_COGNITO_IMPORT_CHECK_ROLE", "false")

    class Deactivating(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "ended" in record.getMessage():
                moto_cognito_import.deactivate()

    handler, logger = Deactivating(), logging.getLogger("moto_cognito_import")
    level = logger.level
    logger.setLevel(logging.INFO)  # the job's end is an INFO record (setLevel: children cache it)
    logger.addHandler(handler)
    try:
        with mock_aws(), concurrent.futures.ThreadPoolExecutor(1) as threads:
            idp, pool_id, job = _activate_and_upload(CSV)
            idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
            described = threads.submit(idp.describe_user_import_job, UserPoolId=pool_id, JobId=job["JobId"])
            assert described.result(timeout=30)["UserImportJob"]["Status"] == "Succeeded"
            assert not moto_cognito_import.is_active()
            assert threads.submit(moto_cognito_import.activate).result(timeout=30) is None
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_activated_blocks_in_threads_keep_it_active_until_the_last_ends(inactive):
    """Each block remembered only whether the plugin was on when it began: the first of two
    overlapping blocks (in two threads) to end turned it off under the other."""
    entered, first_ended = threading.Event(), threading.Event()
    seen: list[bool] = []

    def second() -> None:
        with moto_cognito_import.activated():
            entered.set()
            first_ended.wait(timeout=30)
            seen.append(moto_cognito_import.is_active())

    with moto_cognito_import.activated():
        thread = threading.Thread(target=second)
        thread.start()
        assert entered.wait(timeout=30)
    first_ended.set()
    thread.join(timeout=30)
    assert seen == [True]
    assert not moto_cognito_import.is_active()  # off again after the last block


def test_a_moto_without_a_parameter_a_wrapper_reads_is_refused_and_nothing_is_patched(inactive, monkeypatch):
    from moto.cognitoidp.models import CognitoIdpBackend

    original = CognitoIdpBackend.initiate_auth
    broken = patches.Patch(CognitoIdpBackend, "initiate_auth", "test", lambda f: f, needs=("renamed_parameter",))
    with monkeypatch.context() as patched:
        patched.setattr(patches, "PATCHES", (*patches.PATCHES, broken))
        with pytest.raises(moto_cognito_import.IncompatibleMotoError) as exc:
            moto_cognito_import.activate()
    message = str(exc.value)
    assert "on moto 5.2." in message  # names the installed version
    assert "moto.cognitoidp.models.CognitoIdpBackend.initiate_auth has no parameter renamed_parameter" in message
    assert not moto_cognito_import.is_active()
    assert CognitoIdpBackend.initiate_auth is original


def test_a_moto_without_a_private_method_the_plugin_calls_is_refused(inactive, monkeypatch):
    """The private methods the plugin calls without replacing them (``RELIANCES``) are checked
    like the patches' targets: a moto release without one stops activation, it does not turn
    ConfirmForgotPassword into an HTTP 500."""
    from moto.cognitoidp.models import CognitoIdpBackend

    with monkeypatch.context() as patched:
        patched.delattr(CognitoIdpBackend, "_validate_password")
        with pytest.raises(moto_cognito_import.IncompatibleMotoError) as exc:
            moto_cognito_import.activate()
        assert "moto.cognitoidp.models.CognitoIdpBackend._validate_password does not exist" in str(exc.value)
        assert not moto_cognito_import.is_active()


def test_a_moto_without_a_setting_a_wrapper_reads_is_refused(inactive, monkeypatch):
    """The paged ListUsers reads moto's own pagination settings when activation builds it: a
    moto release without them failed activation with a bare KeyError naming neither moto's
    version nor the setting (``READINGS``)."""
    from moto.cognitoidp.utils import PAGINATION_MODEL

    with monkeypatch.context() as patched:
        patched.delitem(PAGINATION_MODEL, "list_users")
        with pytest.raises(moto_cognito_import.IncompatibleMotoError, match=r"PAGINATION_MODEL\['list_users'\] does not exist"):
            moto_cognito_import.activate()
        assert not moto_cognito_import.is_active()
        patched.setitem(PAGINATION_MODEL, "list_users", {"limit_key": "limit"})
        with pytest.raises(moto_cognito_import.IncompatibleMotoError, match=r"\['list_users'\] has no input_token"):
            moto_cognito_import.activate()
        assert not moto_cognito_import.is_active()
    from moto.cognitoidp import utils

    with monkeypatch.context() as patched:
        patched.setattr(utils, "PAGINATION_MODEL", [])  # no longer a mapping: a TypeError to read
        with pytest.raises(moto_cognito_import.IncompatibleMotoError, match=r"\['list_users'\] does not exist"):
            moto_cognito_import.activate()
        assert not moto_cognito_import.is_active()


@pytest.mark.parametrize(
    ("break_moto", "named"),
    [
        ("import moto.core.botocore_stubber as m; del m.BotocoreStubber", "cannot import name 'BotocoreStubber'"),
        ("import sys; sys.modules['moto.moto_api._internal.managed_state_model'] = None", "managed_state_model"),
    ],
    ids=["a-class-moved", "a-module-moved"],
)
def test_a_moto_that_moved_a_name_the_package_imports_is_named_at_import(break_moto, named):
    """The package imports moto's names at module level too: a moto release that moved one
    failed ``import moto_cognito_import`` with a bare ImportError naming neither moto's
    version nor the package. It is IncompatibleMotoError, and moto is left as it was."""
    script = f"""
import moto.cognitoidp.responses
{break_moto}
try:
    import moto_cognito_import
except Exception as error:
    print(type(error).__module__, type(error).__name__, error)
print("create_user_import_job" in vars(moto.cognitoidp.responses.CognitoIdpResponse))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True).stdout
    first, patched = out.strip().splitlines()
    assert first.startswith("moto_cognito_import.compatibility IncompatibleMotoError moto_cognito_import cannot activate on moto 5.")
    assert named in first
    assert patched == "False"


def test_an_activation_that_fails_midway_is_undone(inactive, monkeypatch):
    """Whatever fails after the checks (a wrapper factory, a registry moto moved) leaves moto
    as it was, not half-patched."""
    from moto.cognitoidp.models import CognitoIdpBackend
    from moto.moto_api import state_manager

    original = CognitoIdpBackend.initiate_auth
    transitions = dict(state_manager._default_transitions)

    def broken_factory(_original: Any) -> Any:
        raise RuntimeError("a wrapper that cannot be built")

    broken = patches.Patch(CognitoIdpBackend, "admin_get_user", "test", broken_factory)
    with monkeypatch.context() as patched:
        patched.setattr(patches, "PATCHES", (*patches.PATCHES, broken))
        with pytest.raises(RuntimeError, match="cannot be built"):
            moto_cognito_import.activate()
    assert not moto_cognito_import.is_active()
    assert CognitoIdpBackend.initiate_auth is original
    assert "create_user_import_job" not in vars(patches.CognitoIdpResponse)
    assert state_manager._default_transitions == transitions


def test_a_moto_with_some_of_the_six_actions_gets_one_warning_and_one_whole_api(inactive):
    """A moto release with some of the actions kept them: a job its Create made was unknown to
    the plugin's Start, and each kept action warned on its own."""
    from moto.cognitoidp.responses import CognitoIdpResponse

    def moto_s_own(self: Any) -> str:
        raise AssertionError("moto's own action ran")

    actions = ("create_user_import_job", "describe_user_import_job")
    for action in actions:
        setattr(CognitoIdpResponse, action, moto_s_own)
    try:
        with pytest.warns(patches.MotoCognitoImportWarning) as caught:
            moto_cognito_import.activate()
        assert len(caught) == 1
        assert "implements create_user_import_job, describe_user_import_job" in str(caught[0].message)
        assert caught[0].filename == __file__  # the line that activated it
        with mock_aws():
            idp = boto3.client("cognito-idp", region_name=REGION)
            pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
            job = idp.create_user_import_job(JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
            job = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
            assert job["Status"] == "Created"
        moto_cognito_import.deactivate()
        assert vars(CognitoIdpResponse)["describe_user_import_job"] is moto_s_own
        with warnings.catch_warnings(record=True) as again:  # once a process: the fixtures activate per test
            warnings.simplefilter("always")
            moto_cognito_import.activate()
            moto_cognito_import.deactivate()
        assert again == []
    finally:
        moto_cognito_import.deactivate()
        for action in actions:
            delattr(CognitoIdpResponse, action)


def test_a_left_behind_action_of_a_moto_that_has_it_runs_moto_s_own(inactive):
    """On a moto release that implements one of the six, a replacement a test's patch put back
    after deactivation raised NotImplementedError (what moto lacking the action answers)
    instead of running moto's own action."""
    from moto.cognitoidp.responses import CognitoIdpResponse

    def moto_s_own(self: Any) -> str:
        return "moto's own"

    CognitoIdpResponse.get_csv_header = moto_s_own  # type: ignore[attr-defined]
    try:
        with pytest.warns(patches.MotoCognitoImportWarning), moto_cognito_import.activated():
            left = vars(CognitoIdpResponse)["get_csv_header"]
        assert vars(CognitoIdpResponse)["get_csv_header"] is moto_s_own
        CognitoIdpResponse.get_csv_header = left  # type: ignore[attr-defined]  # a patch's undo
        assert CognitoIdpResponse().get_csv_header() == "moto's own"  # type: ignore[attr-defined]
    finally:
        moto_cognito_import.deactivate()
        delattr(CognitoIdpResponse, "get_csv_header")


def test_a_moto_without_a_registry_is_refused(inactive, monkeypatch):
    from moto.moto_api import state_manager

    with monkeypatch.context() as patched:
        patched.delattr(state_manager, "_default_transitions")
        with pytest.raises(moto_cognito_import.IncompatibleMotoError, match="_default_transitions does not exist"):
            moto_cognito_import.activate()
        assert not moto_cognito_import.is_active()


def test_a_replacement_left_behind_after_deactivation_acts_as_moto_and_is_not_wrapped_twice(inactive):
    """A test's ``monkeypatch`` made while the plugin was on and undone after it went off puts
    back the object it found, the plugin's: moto then ran the plugin's code while
    ``is_active()`` said False, and the next activation wrapped it again (and restored it,
    not moto's own, for the rest of the session)."""
    from moto.cognitoidp.models import CognitoIdpBackend
    from moto.cognitoidp.responses import CognitoIdpResponse

    original = vars(CognitoIdpBackend)["admin_create_user"]
    with moto_cognito_import.activated():
        left = {name: vars(owner)[name] for owner, name in
                ((CognitoIdpBackend, "admin_create_user"), (CognitoIdpResponse, "get_csv_header"))}
    CognitoIdpBackend.admin_create_user = left["admin_create_user"]  # what the undo of a monkeypatch does
    CognitoIdpResponse.get_csv_header = left["get_csv_header"]
    with mock_aws():
        client = boto3.client("cognito-idp", region_name=REGION)
        pool_id = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
        with pytest.raises(NotImplementedError, match="The get_csv_header action has not been implemented"):
            client.get_csv_header(UserPoolId=pool_id)  # moto's own answer
        client.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    with moto_cognito_import.activated():  # wraps moto's own again, not what was left
        chain = [vars(CognitoIdpBackend)["admin_create_user"]]
        while hasattr(chain[-1], "__wrapped__"):
            chain.append(chain[-1].__wrapped__)
        assert chain[-1] is original
        assert left["admin_create_user"] not in chain
    assert vars(CognitoIdpBackend)["admin_create_user"] is original
    assert "get_csv_header" not in vars(CognitoIdpResponse)


def test_a_monkeypatch_around_the_fixtures_leaves_moto_s_own_objects(pytester):
    """The same through the fixtures: ``monkeypatch`` is set up before them and undone after
    them; after the test, the pytest plugin puts moto's own objects back."""
    pytester.makepyfile(
        """
        from moto.cognitoidp.models import CognitoIdpBackend
        from moto.cognitoidp.responses import CognitoIdpResponse

        ORIGINAL = vars(CognitoIdpBackend)["admin_create_user"]

        def test_a_spy(monkeypatch, cognito_import_client, cognito_import_user_pool):
            calls = []
            spied, stubbed = CognitoIdpBackend.admin_create_user, CognitoIdpResponse.get_csv_header

            def spy(self, *args, **kwargs):
                calls.append(args)
                return spied(self, *args, **kwargs)

            monkeypatch.setattr(CognitoIdpBackend, "admin_create_user", spy)
            monkeypatch.setattr(CognitoIdpResponse, "get_csv_header", lambda self: stubbed(self))
            pool_id = cognito_import_user_pool["Id"]
            cognito_import_client.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
            assert calls and cognito_import_client.get_csv_header(UserPoolId=pool_id)["CSVHeader"]

        def test_moto_s_own_after_it():
            assert vars(CognitoIdpBackend)["admin_create_user"] is ORIGINAL
            assert "get_csv_header" not in vars(CognitoIdpResponse)
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=2)


def test_a_mock_in_moto_s_place_is_named_when_activation_refuses_it(inactive, monkeypatch):
    """A mock's parameters say nothing about moto's: activation blamed the moto version
    ("has no parameter client_id, ..."). An autospec mock keeps them, and is wrapped."""
    from unittest import mock

    from moto.cognitoidp.models import CognitoIdpBackend

    with monkeypatch.context() as patched:
        patched.setattr(CognitoIdpBackend, "initiate_auth", mock.MagicMock())
        with pytest.raises(moto_cognito_import.IncompatibleMotoError) as exc:
            moto_cognito_import.activate()
        assert "CognitoIdpBackend.initiate_auth is replaced by <MagicMock" in str(exc.value)
        assert "not moto's own, without moto's parameters: activate the plugin before replacing it" in str(exc.value)
        assert not moto_cognito_import.is_active()
    with mock.patch.object(CognitoIdpBackend, "initiate_auth", autospec=True), moto_cognito_import.activated():
        assert moto_cognito_import.is_active()


def test_the_table_names_its_private_targets():
    assert [patch.target for patch in patches.PATCHES if patch.private] == [
        "moto.cognitoidp.models.CognitoIdpUserPool._get_user"
    ]
    assert patches.problems() == []


def test_installing_the_package_changes_nothing_for_a_run_that_does_not_use_it(pytester):
    """The pytest11 entry point imports only the fixtures module, which imports nothing."""
    pytester.makepyfile(
        """
        import sys

        import boto3
        import pytest
        from botocore.exceptions import ClientError
        from moto import mock_aws

        def test_moto_is_moto():
            assert "moto_cognito_import" not in sys.modules
            with mock_aws():
                idp = boto3.client("cognito-idp", region_name="us-east-1")
                pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
                client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"]["ClientId"]
                idp.admin_create_user(UserPoolId=pool_id, Username="ann", TemporaryPassword="Tmp-Passw0rd!")
                with pytest.raises(ClientError) as exc:
                    idp.admin_initiate_auth(
                        UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_NO_SRP_AUTH",
                        AuthParameters={"USERNAME": "ann", "PASSWORD": "wrong"},
                    )
                # moto's own words: the username (the plugin says "Incorrect username or password.")
                assert exc.value.response["Error"]["Message"] == "ann"
            assert "moto_cognito_import" not in sys.modules
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_fixture_leaves_moto_as_it_was_for_the_tests_after_it(pytester):
    """The first fixture imports the package, which activates it; ``activated()`` then saw it
    active already, and every later test in the session had the plugin on. And a test that
    imports the package itself after them gets it active, as a first import does: the import
    found the package loaded and did nothing (moto's NotImplementedError, by test order)."""
    pytester.makepyfile(
        """
        import pickle
        import boto3
        from moto import mock_aws

        def test_with_the_fixture(cognito_import_user_pool, cognito_import_client):
            pool_id = cognito_import_user_pool["Id"]
            assert cognito_import_client.list_user_import_jobs(UserPoolId=pool_id, MaxResults=1)["UserImportJobs"] == []

        def test_after_it():
            from moto.cognitoidp.responses import CognitoIdpResponse

            assert "create_user_import_job" not in vars(CognitoIdpResponse)

        def test_importing_it_after_them_activates_it():
            import moto_cognito_import
            from moto_cognito_import.exceptions import SerializationException

            assert moto_cognito_import.is_active()
            assert pickle.loads(pickle.dumps(SerializationException("x"))).__class__ is SerializationException
            with mock_aws():
                idp = boto3.client("cognito-idp", region_name="us-east-1")
                pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
                assert idp.get_csv_header(UserPoolId=pool_id)["CSVHeader"][-1] == "password_hash"

        def test_and_the_fixtures_after_that(cognito_import_client):
            import moto_cognito_import

            assert moto_cognito_import.is_active()
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=4)


def test_importing_one_of_its_modules_after_a_fixture_activates_it_too(pytester):
    """The package's modules stayed loaded after the fixtures put the package away, so
    ``from moto_cognito_import.<module> import ...`` never imported the package: the plugin
    stayed off, by test order."""
    pytester.makepyfile(
        """
        def test_with_the_fixture(cognito_import_client):
            pass

        def test_importing_a_module_of_it():
            from moto_cognito_import.exceptions import SerializationException
            from moto_cognito_import.moto_glue.patches import is_active

            assert is_active()
            assert SerializationException.__module__ == "moto_cognito_import.exceptions"

        def test_the_same_objects_come_back(cognito_import_client):
            import sys
            from moto_cognito_import import exceptions

            assert sys.modules["moto_cognito_import.exceptions"] is exceptions
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=3)


def test_the_session_server_keeps_the_plugin_whichever_fixture_came_first(pytester):
    """Fixtures do not end in the order they began: a test's ``cognito_import_aws`` that first
    activated the plugin deactivated it at its end, under the session's server (HTTP 500s)."""
    pytester.makepyfile(
        """
        import boto3

        def csv_header(url):
            idp = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1")
            return idp.get_csv_header(UserPoolId=idp.create_user_pool(PoolName="p")["UserPool"]["Id"])

        def test_both(cognito_import_aws, request):
            assert csv_header(request.getfixturevalue("cognito_import_server"))["CSVHeader"]

        def test_the_server_after_it(cognito_import_server):
            assert csv_header(cognito_import_server)["CSVHeader"]
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_the_session_server_runs_on_but_the_tests_without_it_meet_moto(pytester):
    """The session's server held the plugin active from the first test that used it to the
    end of the session: every later test met the plugin's moto, by test order."""
    pytester.makepyfile(
        """
        import boto3
        from moto.cognitoidp.responses import CognitoIdpResponse

        def csv_header(url):
            idp = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1")
            return idp.get_csv_header(UserPoolId=idp.create_user_pool(PoolName="p")["UserPool"]["Id"])

        def test_the_server(cognito_import_server):
            assert csv_header(cognito_import_server)["CSVHeader"]

        def test_moto_after_it():
            assert "create_user_import_job" not in vars(CognitoIdpResponse)

        def test_the_session_fixture_alone(cognito_import_server_session, cognito_import_credentials):
            assert csv_header(cognito_import_server_session)["CSVHeader"]

        def test_moto_after_that():
            assert "create_user_import_job" not in vars(CognitoIdpResponse)
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=4)


def test_a_word_said_in_a_teardown_while_the_session_server_runs_is_kept(pytester):
    """While the session's server runs, the plugin holds itself on through every teardown: a
    fixture that switched it off for a test and on again in its teardown left it off for every
    later test (the hold let go as it found the plugin, off), whatever the test order."""
    pytester.makepyfile(
        """
        import pytest

        import moto_cognito_import

        @pytest.fixture
        def off_for_the_test():
            moto_cognito_import.deactivate()
            yield
            moto_cognito_import.activate()

        @pytest.fixture
        def off_afterwards():
            yield
            moto_cognito_import.deactivate()

        def test_the_server(cognito_import_server):
            with moto_cognito_import.activated():  # a block says no word: it puts back what it found
                pass

        def test_on():
            assert moto_cognito_import.is_active()

        def test_off_for_a_while(off_for_the_test):
            assert not moto_cognito_import.is_active()

        def test_on_again():
            assert moto_cognito_import.is_active()

        def test_switched_off_in_the_teardown(off_afterwards):
            assert moto_cognito_import.is_active()

        def test_off():
            assert not moto_cognito_import.is_active()
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=6)


def test_a_block_or_a_test_s_own_mock_and_the_session_server_leave_each_other_alone(pytester):
    """A test that used no fixture but mocked a moto method without moto's parameters, while
    the session's server ran: the hold over its teardown raised IncompatibleMotoError before the
    teardown, the mock was never undone and every later test errored. An ``activated()``
    block begun while a fixture held the plugin was switched off under it when the fixture let go."""
    pytester.makepyfile(
        test_a_mock="""
        from moto.cognitoidp.models import CognitoIdpBackend

        def test_the_server(cognito_import_server_session):
            pass

        def test_a_mock_of_its_own(monkeypatch):
            monkeypatch.setattr(CognitoIdpBackend, "admin_initiate_auth", lambda self, *args: "stub")

        def test_moto_s_own_again():  # by its code: the plugin's replacement is named as moto's
            code = CognitoIdpBackend.admin_initiate_auth.__code__.co_filename
            assert code.replace("\\\\", "/").endswith("moto/cognitoidp/models.py"), code
        """,
        test_b_block="""
        import pytest
        from moto.cognitoidp.responses import CognitoIdpResponse

        @pytest.fixture(scope="module")
        def on():
            import moto_cognito_import

            with moto_cognito_import.activated():
                yield

        def test_with_a_fixture(cognito_import_client, on):
            assert "create_user_import_job" in vars(CognitoIdpResponse)

        def test_the_block_still_runs(on):
            assert "create_user_import_job" in vars(CognitoIdpResponse)
        """,
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=5)


def test_an_activation_that_fails_says_no_word(inactive):
    """A failed ``activate()`` counted as a word to activate: the fixtures, letting go, left
    the plugin as that word said (off, in fact) and did not put the package away."""
    from unittest import mock

    from moto.cognitoidp.models import CognitoIdpBackend

    def without_moto_s_parameters(self: object) -> None: ...

    said = patches.last_word
    with (
        mock.patch.object(CognitoIdpBackend, "admin_initiate_auth", without_moto_s_parameters),
        pytest.raises(moto_cognito_import.IncompatibleMotoError),
    ):
        moto_cognito_import.activate()
    assert (patches.last_word, moto_cognito_import.is_active()) == (said, False)


def test_blocks_and_fixture_holds_are_one_count(inactive):
    """Whichever ends first, the plugin stays active until the last; then as before the first."""
    holds.hold()  # as a fixture does
    with moto_cognito_import.activated():
        holds.release()
        assert moto_cognito_import.is_active()
    assert not moto_cognito_import.is_active()
    with moto_cognito_import.activated():
        holds.hold()
    assert moto_cognito_import.is_active()
    holds.release()
    assert not moto_cognito_import.is_active()


def test_a_wider_fixture_on_the_session_server_is_torn_down_with_the_plugin_on(pytester):
    """A module's fixture built on the session's server is torn down with the module's last
    test, which may not use it: its cleanup met moto without the plugin (NotImplementedError),
    and the error was blamed on that test."""
    pytester.makepyfile(
        """
        import boto3
        import pytest
        from moto.cognitoidp.responses import CognitoIdpResponse

        @pytest.fixture(scope="module")
        def pool(cognito_import_server_session):
            idp = boto3.client("cognito-idp", endpoint_url=cognito_import_server_session, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
            pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
            yield pool_id
            assert idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=1)["UserImportJobs"] == []

        def test_uses_it(pool):
            assert pool

        def test_does_not():
            assert "create_user_import_job" not in vars(CognitoIdpResponse)
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=2)


@pytest.mark.parametrize("error_class", [getattr(exceptions, name) for name in dir(exceptions) if name.endswith("Exception")])
def test_errors_live_where_they_say_and_pickle(error_class):
    error = error_class("A message.")
    assert error_class.__module__ == "moto_cognito_import.exceptions"
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.message, copy.error_type, copy.code) == (
        error_class, "A message.", error_class.__name__, error_class.status
    )
    assert copy.code == (500 if error_class is exceptions.InternalErrorException else 400)
    assert copy.get_body() == error.get_body()


def test_the_alias_clash_is_moto_s_error_class_too():
    """The email clash of an attribute update raised moto's AliasExistsException; the plugin's,
    which can say "preferred_username", is a subclass: code that catches moto's still does."""
    from moto.cognitoidp.exceptions import AliasExistsException

    assert issubclass(exceptions.AliasExistsException, AliasExistsException)


def test_a_mock_that_ends_while_the_plugin_is_on_is_not_brought_back(inactive):
    """A mock started before activation and stopped while the plugin is on puts moto's own
    object back; deactivation then brought back the mock it had found."""
    from unittest import mock

    from moto.cognitoidp.models import CognitoIdpBackend

    original = vars(CognitoIdpBackend)["admin_create_user"]
    patcher = mock.patch.object(CognitoIdpBackend, "admin_create_user", autospec=True)
    patcher.start()
    moto_cognito_import.activate()
    patcher.stop()
    moto_cognito_import.deactivate()
    assert vars(CognitoIdpBackend)["admin_create_user"] is original


def test_a_patch_of_moto_s_base_class_reaches_cognito_idp_as_without_the_plugin(inactive):
    """``setup_class`` and ``call_action`` are BaseResponse's, which CognitoIdpResponse
    inherits. The plugin's wrappers called what BaseResponse held at activation: a test's patch
    of BaseResponse made while the plugin was on (to count every service's calls) never saw
    cognito-idp's, and one in force at activation was called after it had ended."""
    from unittest import mock

    from moto.core.responses import BaseResponse

    calls: list[str] = []
    own = BaseResponse.call_action

    def counting(self: Any) -> Any:
        calls.append(type(self).__name__)
        return own(self)

    def list_pools() -> None:
        with mock_aws():
            boto3.client("cognito-idp", region_name=REGION).list_user_pools(MaxResults=1)

    with mock.patch.object(BaseResponse, "call_action", counting):  # in force at activation
        moto_cognito_import.activate()
    list_pools()
    assert calls == []
    with mock.patch.object(BaseResponse, "call_action", counting):  # made while the plugin is on
        list_pools()
    assert calls == ["CognitoIdpResponse"]


@pytest.mark.parametrize(
    ("config", "moto_s_answer"),
    [
        ({"passthrough": {"services": ["s3"]}}, None),  # None: to the network
        ({"passthrough": {"urls": [r"https://aws-cognito-idp-user-import-.*"]}}, None),
        ({"service_whitelist": ["cognito-idp", "iam"]}, ServiceNotWhitelisted),
    ],
)
def test_moto_s_passthrough_and_whitelist_decide_the_upload_url_first(config, moto_s_answer):
    """moto's ``mock_aws(config=...)`` decides a request before any service answers it; the
    plugin answered a boto3 call to the upload bucket (403 AccessDenied) where moto passes it
    to AWS, or refuses it as no whitelisted service's (ServiceNotWhitelisted)."""
    from botocore.awsrequest import AWSPreparedRequest
    from moto.core.models import botocore_stubber

    url = "https://aws-cognito-idp-user-import-iad.s3.us-east-1.amazonaws.com/123456789012/p/import-x?X-Amz-Signature=0"
    request = AWSPreparedRequest("PUT", url, {}, b"csv", stream_output=False)
    with mock_aws(config={"core": config}):
        if moto_s_answer is None:
            assert botocore_stubber.process_request(request) is None
        else:
            with pytest.raises(moto_s_answer):
                botocore_stubber.process_request(request)


def test_every_replacement_pickles_as_itself():
    """pickle finds a function by its module and name: the added actions were named after
    their home in this package (where another object lives) and inherited methods after
    moto's base class, so pickling them failed or found moto's own."""
    for patch in patches.PATCHES:
        replacement = vars(patch.owner)[patch.attribute]
        assert pickle.loads(pickle.dumps(replacement)) is replacement, patch.target


def test_the_upload_s_s3_errors_pickle_with_every_detail():
    """S3Error's own __init__ took more than Exception passes on: unpickling raised TypeError."""
    error = S3Error(403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.", Method="OPTIONS")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.status, copy.code, copy.message, copy.details) == (
        S3Error, 403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.", {"Method": "OPTIONS"}
    )


def _dashboard(endpoint: str | None) -> Any:
    response = requests.get(f"{endpoint or 'http://motoapi.amazonaws.com'}/moto-api/data.json", timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def test_moto_s_dashboard_answers_with_jobs_in_every_state_and_moves_none(aws):
    idp, pool_id = aws.idp, aws.pool()["Id"]
    expired = aws.job(pool_id, CSV, name="expired")["JobId"]
    aws.advance(24 * 3600 + 1)
    assert idp.describe_user_import_job(UserPoolId=pool_id, JobId=expired)["UserImportJob"]["Status"] == "Expired"
    created = aws.job(pool_id, CSV, name="created")["JobId"]
    states = {"Expired": expired, "Created": created}
    for name, csv in (("succeeded", CSV), ("failed", "cognito:username,email\nx,not-an-email\n")):
        job_id = aws.job(pool_id, csv, name=name)["JobId"]
        idp.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
        states[idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]["Status"]] = job_id
    aws.hold_jobs(reads=1000)
    stopped = aws.job(pool_id, CSV, name="stopped")["JobId"]
    idp.start_user_import_job(UserPoolId=pool_id, JobId=stopped)
    states[idp.stop_user_import_job(UserPoolId=pool_id, JobId=stopped)["UserImportJob"]["Status"]] = stopped
    pending = aws.job(pool_id, CSV.replace("john", "jane"), name="pending")["JobId"]
    idp.start_user_import_job(UserPoolId=pool_id, JobId=pending)
    states["Pending"] = pending
    assert sorted(states) == ["Created", "Expired", "Failed", "Pending", "Stopped", "Succeeded"]
    aws.unset_transition()  # the pending job would finish on its next read...
    for _ in range(3):
        jobs = _dashboard(aws.endpoint)["cognitoidp"]["UserImportJob"]  # with cognito-idp's models
        assert {job["job_id"]: job["status"] for job in jobs} == {job_id: state for state, job_id in states.items()}
    # ... and the dashboard's reads were no reads of it.
    assert idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)["UserImportJobs"][0]["Status"] == "Succeeded"


def _record_an_import(
    aws: Any, monkeypatch: Any, tmp_path: Any, after_upload: Callable[[dict[str, Any]], None] = lambda job: None
) -> tuple[Callable[[str], None], dict[str, Any], dict[str, Any]]:
    """Seed moto, record a clock change and an import with moto's recorder (``after_upload(job)``
    between the upload and the Start); return a caller of ``/moto-api/<path>``, the pool and
    the job."""
    from moto.moto_api import recorder

    # Not the shared ./moto_recording: this process's (the session server's is its own, conftest)
    monkeypatch.setattr(recorder, "_location", str(tmp_path / "recording"))
    base = aws.endpoint or "http://motoapi.amazonaws.com"

    def api(path: str) -> None:
        requests.post(f"{base}/moto-api/{path}", timeout=60).raise_for_status()

    api("seed?a=42")
    api("recorder/reset-recording")
    api("recorder/start-recording")
    try:
        requests.post(f"{base}/moto-api/cognito-import/clock", json={"advance_seconds": 60}, timeout=30).raise_for_status()
        pool = aws.pool()
        job = aws.job(pool["Id"], CSV)
        after_upload(job)
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
        assert aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]["Status"] == "Succeeded"
    finally:
        api("recorder/stop-recording")
    return api, pool, job


def test_moto_s_recorder_records_the_upload_and_the_controls(aws, monkeypatch, tmp_path):
    """moto's recorder records every request moto answers, before its service does; the
    upload URL and ``/moto-api/cognito-import/...`` are answered before moto and were not
    recorded."""
    _record_an_import(aws, monkeypatch, tmp_path)
    recording = requests.get(f"{aws.endpoint or 'http://motoapi.amazonaws.com'}/moto-api/recorder/download-recording", timeout=30)
    recorded = [json.loads(line) for line in recording.text.splitlines()]
    assert [entry["method"] for entry in recorded if "cognito-import/clock" in entry["url"]] == ["POST"]
    (upload,) = [entry for entry in recorded if entry["method"] == "PUT"]
    assert upload["body_encoded"] and base64.b64decode(upload["body"]).decode() == CSV
    assert "x-amz-server-side-encryption" in {name.lower() for name in upload["headers"]}


@server_only  # moto's replay under mock_aws replays no cognito-idp request (not even CreateUserPool)
def test_a_replay_of_moto_s_recording_imports_the_file_again(aws, monkeypatch, tmp_path):
    """A replayed StartUserImportJob found no file: the job stayed Created, no user; so it did
    when the recording was replayed more than the URL's 15 minutes later (moto's own S3 checks
    no pre-signed URL's time). A refused upload (no Content-Length: S3's 411) is not recorded:
    replayed as the bytes it carried, none, with a length, it was taken in place of the file
    (the job then Failed, "empty")."""

    def refused_upload(job: dict[str, Any]) -> None:
        parts = urlsplit(job["PreSignedUrl"])
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
            connection.sendall(
                f"PUT {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                "x-amz-server-side-encryption: aws:kms\r\nConnection: close\r\n\r\n".encode()
            )
            assert connection.recv(12) == b"HTTP/1.1 411"

    api, pool, job = _record_an_import(aws, monkeypatch, tmp_path, after_upload=refused_upload)
    api("reset")
    api("seed?a=42")
    aws.advance(3600)
    api("recorder/replay-recording")
    replayed = aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert (replayed["Status"], replayed["ImportedUsers"]) == ("Succeeded", 1)
    assert [user["Username"] for user in aws.idp.list_users(UserPoolId=pool["Id"])["Users"]] == ["john"]
