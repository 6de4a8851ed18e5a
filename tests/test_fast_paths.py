"""bulk_users and big_pools answer exactly what moto's own code answers: the cheaper user construction, the
garbage-collector switch of a bulk import, and ListUsers/_get_user in big pools (issue 6)."""

from __future__ import annotations

import functools
import gc
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import mock_aws
from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    UserStatus,
    cognitoidp_backends,
)
from moto.moto_api._internal import mock_random

import moto_cognito_import
from conftest import ACCOUNT, REGION, decorator_only, moto_s_own
from moto_cognito_import.importing import bulk_users
from moto_cognito_import.importing.csv_validation import split_values
from moto_cognito_import.importing.imported_users import is_imported, mark, note_pool
from moto_cognito_import.moto_glue import big_pools

moto_list_users = moto_s_own(CognitoIdpBackend, "list_users")
moto_get_user = inspect.unwrap(CognitoIdpUserPool._get_user)  # through every plugin wrapper


@pytest.mark.parametrize(
    ("username", "attributes"),
    [
        ("jane", {"email": "jane@example.com", "email_verified": "true", "given_name": "Jane"}),
        (None, {"email": "jane@example.com"}),
        ("bob", {}),
        ("sub", {"name": "a", "sub": "given", "locale": "en"}),
    ],
    ids=["attributes", "username-is-the-sub", "no-attributes", "a-sub-attribute"],
)
@pytest.mark.parametrize("known", [True, False], ids=["fast", "moto-changed"])
def test_new_user_is_the_user_moto_builds(
    monkeypatch: pytest.MonkeyPatch, username: str | None, attributes: dict[str, str], known: bool
) -> None:
    bulk_users._names_known.cache_clear()
    if not known:  # another moto: its constructor builds the user
        monkeypatch.setattr(bulk_users, "_CONSTRUCTOR_NAMES", ((), ()))
    given = dict(attributes)
    try:
        assert bulk_users._constructor_known() is known
        with freeze_time("2026-01-15 10:00:00"):
            mock_random.seed(7)
            expanded = [{"Name": name, "Value": value} for name, value in attributes.items()]
            expected = CognitoIdpUser("us-east-1_x", username, None, UserStatus.RESET_REQUIRED, expanded)
            mock_random.seed(7)
            user = bulk_users.new_user("us-east-1_x", username, UserStatus.RESET_REQUIRED, given)
    finally:
        bulk_users._names_known.cache_clear()
    assert type(user) is CognitoIdpUser
    assert vars(user) == vars(expected)
    assert user.to_json(extended=True) == expected.to_json(extended=True)
    assert user.status is UserStatus.RESET_REQUIRED
    assert any(tracked is user for tracked in CognitoIdpUser.instances_tracked)  # moto's reset sees it
    assert given == attributes  # the caller's dict is not the user's


def test_the_installed_moto_builds_users_as_new_user_does() -> None:
    """Fails when moto's CognitoIdpUser changes: update bulk_users._CONSTRUCTOR_NAMES then."""
    bulk_users._names_known.cache_clear()
    assert bulk_users._constructor_known()


def test_subs_are_moto_s_uuid4_for_the_same_seed() -> None:
    mock_random.seed(11)
    expected = [str(mock_random.uuid4()) for _ in range(200)]
    mock_random.seed(11)
    assert [bulk_users._sub() for _ in range(200)] == expected


def test_a_replaced_uuid4_chooses_the_subs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mock_random, "uuid4", lambda: "chosen-sub")
    assert bulk_users.new_user("us-east-1_x", None, UserStatus.RESET_REQUIRED, {}).id == "chosen-sub"


@pytest.mark.parametrize("wraps", [False, True], ids=["plain-spy", "functools.wraps-spy"])
@pytest.mark.parametrize("method", ["__init__", "update_attributes"])
def test_a_patched_constructor_builds_the_users(monkeypatch: pytest.MonkeyPatch, method: str, wraps: bool) -> None:
    """A spy that copies moto's function's metadata (functools.wraps) is still a spy."""
    built = []
    original = getattr(CognitoIdpUser, method)

    def spy(self: CognitoIdpUser, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        built.append(self)

    monkeypatch.setattr(CognitoIdpUser, method, functools.wraps(original)(spy) if wraps else spy)
    user = bulk_users.new_user("us-east-1_x", "jane", UserStatus.RESET_REQUIRED, {"name": "Jane"})
    assert built == [user]


def test_moto_s_patched_clock_and_random_choose_dates_and_subs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may patch the names moto's cognito-idp module uses (mock.patch("moto.cognitoidp.
    models.utcnow") or its ``random``): the users new_user builds follow them as moto's do."""
    import datetime

    import moto.cognitoidp.models as cognito_models

    class Chosen:
        def uuid4(self) -> str:
            return "chosen-sub"

    monkeypatch.setattr(cognito_models, "utcnow", lambda: datetime.datetime(2020, 1, 1))
    monkeypatch.setattr(cognito_models, "random", Chosen())
    expected = CognitoIdpUser("us-east-1_x", "jane", None, UserStatus.RESET_REQUIRED, [])
    user = bulk_users.new_user("us-east-1_x", "jane", UserStatus.RESET_REQUIRED, {})
    assert (user.id, user.create_date) == (expected.id, expected.create_date) == ("chosen-sub", datetime.datetime(2020, 1, 1))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab,\\ \t\r\x0b\x85\xa0\u3000")))
def test_split_values_without_whitespace_skips_only_a_no_op_strip(line: str) -> None:
    fields = [value.replace("\\,", ",") for value in re.split(r"(?<!\\),", line)] if "\\" in line else line.split(",")
    assert split_values(line) == [field.strip() for field in fields]


def test_bulk_allocation_turns_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    gc.unfreeze()  # nothing frozen, the case the move is for (CPython 3.12 parks immortals there)
    with bulk_users.bulk_allocation():
        assert not gc.isenabled()
        made = [[] for _ in range(1000)]
    assert gc.isenabled()
    # The survivors skipped the young generations (no collection walks them again soon).
    young = {id(o) for o in gc.get_objects(generation=0)} | {id(o) for o in gc.get_objects(generation=1)}
    assert not any(id(o) in young for o in made)


def test_bulk_allocation_turns_the_collector_back_on_after_an_error() -> None:
    with pytest.raises(ValueError, match="a row broke"), bulk_users.bulk_allocation():
        raise ValueError("a row broke")
    assert gc.isenabled()


def test_bulk_allocation_leaves_a_disabled_collector_off() -> None:
    gc.disable()
    try:
        with bulk_users.bulk_allocation():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_bulk_allocation_leaves_what_the_process_froze_frozen() -> None:
    # Ask about one object the test holds, not the freeze count: any other frozen object may
    # be freed by its reference count meanwhile (CI saw the count drop by one).
    kept = [[]]
    gc.freeze()
    try:
        with bulk_users.bulk_allocation():
            pass
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for o in gc.get_objects())  # still in the permanent generation
    finally:
        gc.unfreeze()
    assert any(o is kept for o in gc.get_objects())  # and the check above could tell


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[CognitoIdpBackend]:
    """moto's cognito-idp backend, with the fast paths taken from the first user on."""
    monkeypatch.setattr(big_pools, "MIN_USERS", 1)
    with mock_aws():
        yield cognitoidp_backends[ACCOUNT][REGION]


def _pool(backend: CognitoIdpBackend, size: int, **config: Any) -> CognitoIdpUserPool:
    """A pool the indexes serve: as if an import had added users to it."""
    pool = backend.create_user_pool("big", config)
    note_pool(pool)
    for i in range(size):
        email = [{"Name": "email", "Value": f"user{i:03d}@example.com"}]
        backend.admin_create_user(pool.id, email[0]["Value"] if config else f"user{i:03d}", "SUPPRESS", None, email)
    return pool


def _outcome(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Exception as error:  # noqa: BLE001  (both implementations must fail alike)
        return type(error), str(error)


def _list_users(backend: CognitoIdpBackend, pool_id: str, **kwargs: Any) -> Any:
    """ListUsers through the fast path, asserting moto's own code gives the same answer."""
    fast = _outcome(lambda: backend.list_users(pool_id, None, **kwargs))
    assert fast == _outcome(lambda: moto_list_users(backend, pool_id, None, **kwargs))
    return fast


def _walk(backend: CognitoIdpBackend, pool_id: str, limit: int | None, token: str | None = None) -> list[Any]:
    users: list[Any] = []
    while True:
        result = _list_users(backend, pool_id, limit=limit, pagination_token=token)
        if isinstance(result[0], type):  # an error, the same from both
            return users
        users += result[0]
        token = result[1]
        if token is None:
            return users


# A raw request's Limit past sys.maxsize made the first page an islice ValueError (moto: every user).
@pytest.mark.parametrize("limit", [1, 7, None, 60, sys.maxsize, 2**64])
def test_list_users_pages_are_moto_s(backend: CognitoIdpBackend, limit: int | None) -> None:
    pool = _pool(backend, 25)
    assert _walk(backend, pool.id, limit) == list(pool.users.values())
    if limit in (1, 7):  # several PaginationTokens: the index was built and used
        assert big_pools._POSITIONS.entries[pool][1] is not None


def test_list_users_errors_are_moto_s(backend: CognitoIdpBackend) -> None:
    pool = _pool(backend, 5)
    _, token = _list_users(backend, pool.id, limit=2)
    assert _list_users(backend, "us-east-1_missing", limit=2)[0].__name__ == "ResourceNotFoundError"
    assert _list_users(backend, pool.id, limit=2, pagination_token="not-a-token")[0].__name__ == "InvalidToken"
    other = _pool(backend, 5)
    assert _list_users(backend, other.id, limit=2, pagination_token=token)[0].__name__ == "InvalidToken"


CHANGES: dict[str, Callable[[CognitoIdpBackend, CognitoIdpUserPool, list[CognitoIdpUser]], None]] = {
    "delete-a-user-of-the-next-page": lambda b, p, u: b.admin_delete_user(p.id, u[16].username),
    "delete-the-token-s-user": lambda b, p, u: b.admin_delete_user(p.id, u[15].username),
    "create-a-user": lambda b, p, u: b.admin_create_user(p.id, "late", "SUPPRESS", None, []),
    "replace-a-user-resend": lambda b, p, u: b.admin_create_user(p.id, u[17].username, "RESEND", None, []),
    "delete-the-last-and-create": lambda b, p, u: (
        b.admin_delete_user(p.id, u[-1].username),
        b.admin_create_user(p.id, "late", "SUPPRESS", None, []),
    ),
    "update-attributes": lambda b, p, u: b.admin_update_user_attributes(
        p.id, u[16].username, [{"Name": "name", "Value": "New"}]
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_list_users_follows_changes_between_pages(backend: CognitoIdpBackend, change: str) -> None:
    pool = _pool(backend, 30)
    token = None
    for _ in range(3):
        _, token = _list_users(backend, pool.id, limit=5, pagination_token=token)
    assert big_pools._POSITIONS.entries[pool][1] is not None  # the next page would use the index
    CHANGES[change](backend, pool, list(pool.users.values()))
    _walk(backend, pool.id, 5, token)  # every page compared with moto's


def _same_users(pool: CognitoIdpUserPool, names: list[str]) -> None:
    for name in names:
        assert pool._get_user(name) is moto_get_user(pool, name), name


def _new_email_while_inactive(backend: CognitoIdpBackend, pool: CognitoIdpUserPool, users: list[CognitoIdpUser]) -> None:
    """A change moto makes while the plugin is off is counted by no wrapper of the plugin."""
    moto_cognito_import.deactivate()
    try:
        backend.admin_update_user_attributes(pool.id, users[3].username, [{"Name": "email", "Value": "new@example.com"}])
    finally:
        moto_cognito_import.activate()


USER_CHANGES: dict[str, Callable[[CognitoIdpBackend, CognitoIdpUserPool, list[CognitoIdpUser]], None]] = {
    "new-email-while-the-plugin-was-off": _new_email_while_inactive,
    "new-email": lambda b, p, u: b.admin_update_user_attributes(
        p.id, u[3].username, [{"Name": "email", "Value": "new@example.com"}]
    ),
    "email-deleted": lambda b, p, u: b.admin_delete_user_attributes(p.id, u[4].username, ["email"]),
    "user-deleted": lambda b, p, u: b.admin_delete_user(p.id, u[0].username),
    "user-created": lambda b, p, u: b.admin_create_user(p.id, "new@example.com", "SUPPRESS", None, []),
    # moto's RESEND in such a pool adds a second user with the same email: the first still wins.
    "resend": lambda b, p, u: b.admin_create_user(p.id, "user005@example.com", "RESEND", None, []),
}


@pytest.mark.parametrize("change", USER_CHANGES)
def test_get_user_finds_whom_moto_finds_in_an_email_pool(backend: CognitoIdpBackend, change: str) -> None:
    pool = _pool(backend, 20, UsernameAttributes=["email"])
    users = list(pool.users.values())
    names = [f"user{i:03d}@example.com" for i in range(20)]
    names += ["new@example.com", "USER001@example.com", users[7].username, users[7].id]
    _same_users(pool, names)
    _same_users(pool, names)  # the second round is answered from the index
    assert big_pools._USERNAME_INDEXES.entries[pool][1] is not None
    USER_CHANGES[change](backend, pool, users)
    _same_users(pool, names)
    _same_users(pool, names)


@pytest.mark.parametrize("change", USER_CHANGES)
def test_an_email_in_any_case_finds_whom_a_scan_finds(backend: CognitoIdpBackend, change: str) -> None:
    """The index of imported users' emails in any case (case-insensitive email-as-username
    pools) answers as a scan of the pool in order does, before and after each change; users
    moto created (``user-created``, ``resend``) are left out unless every user is meant."""

    def scan(email: str, every_user: bool) -> CognitoIdpUser | None:
        return next(
            (
                user for user in pool.users.values()
                if (every_user or is_imported(user)) and user.attribute_lookup.get("email", "").lower() == email.lower()
            ),
            None,
        )

    def answers(every_user: bool) -> list[Any]:
        return [big_pools.user_by_email_in_any_case(pool, email, every_user) for email in emails]

    pool = _pool(backend, 20, UsernameAttributes=["email"])
    users = list(pool.users.values())
    for user in users:
        mark(user, None)
    emails = [f"USER{i:03d}@Example.com" for i in range(20)] + ["NEW@example.com", "nobody@example.com"]
    for _ in range(2):  # the second round is answered from the index
        assert answers(False) == [scan(email, False) for email in emails]
    assert big_pools._EMAIL_INDEXES.entries[pool][1] is not None
    USER_CHANGES[change](backend, pool, users)
    for every_user in (False, False, True):
        assert answers(every_user) == [scan(email, every_user) for email in emails]


ALIAS_CHANGES: dict[str, Callable[[CognitoIdpBackend, CognitoIdpUserPool, list[CognitoIdpUser]], None]] = {
    **USER_CHANGES,
    "email-unverified": lambda b, p, u: b.admin_update_user_attributes(
        p.id, u[3].username, [{"Name": "email_verified", "Value": "false"}]
    ),
    "email-verified": lambda b, p, u: b.admin_update_user_attributes(
        p.id, u[4].username, [{"Name": "email_verified", "Value": "true"}]
    ),
    # Now held twice: through moto's user object, as the update operations refuse it.
    "preferred-username-changed": lambda b, p, u: u[6].update_attributes([{"Name": "preferred_username", "Value": "pu001"}]),
}


@pytest.mark.parametrize("change", ALIAS_CHANGES)
def test_an_alias_finds_whom_a_scan_finds(
    backend: CognitoIdpBackend, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The index of imported users' sign-in aliases (AliasAttributes pools) answers as a scan
    of the pool does, before and after each change; users moto created are left out."""

    def answers() -> list[Any]:
        return [big_pools.user_by_alias(pool, name, every_user=False) for name in names]

    def scanned() -> list[Any]:
        with monkeypatch.context() as scan:
            scan.setattr(big_pools, "MIN_USERS", 10**9)  # no pool is big: every lookup scans
            return answers()

    pool = backend.create_user_pool("aliases", {"AliasAttributes": ["email", "preferred_username"]})
    note_pool(pool)
    for i in range(20):
        attributes = [
            {"Name": "email", "Value": f"user{i:03d}@example.com"},
            {"Name": "email_verified", "Value": "false" if i % 5 == 4 else "true"},  # user004, ...: no alias
            {"Name": "preferred_username", "Value": f"pu{i:03d}"},
        ]
        mark(backend.admin_create_user(pool.id, f"user{i:03d}", "SUPPRESS", None, attributes), None)
    users = list(pool.users.values())
    names = [f"user{i:03d}@example.com" for i in range(20)] + [f"pu{i:03d}" for i in range(20)]
    names += ["new@example.com", "USER001@example.com", "nobody"]
    for _ in range(2):  # the second round is answered from the index
        assert answers() == scanned()
    assert big_pools._ALIAS_INDEXES.entries[pool][1] is not None
    assert [user.username if user else None for user in answers()[3:6]] == ["user003", None, "user005"]
    ALIAS_CHANGES[change](backend, pool, users)
    for _ in range(2):
        assert answers() == scanned()
    expected = {  # who holds user003@example.com, user004@example.com and pu001 now
        "email-unverified": [None, None, "user001"],
        "email-verified": ["user003", "user004", "user001"],
        "preferred-username-changed": ["user003", None, "user001"],  # the first in pool order
    }
    if change in expected:
        found = [big_pools.user_by_alias(pool, name, every_user=False) for name in [*names[3:5], "pu001"]]
        assert [user.username if user else None for user in found] == expected[change]


def test_a_new_user_s_name_is_checked_against_usernames_not_aliases(
    backend: CognitoIdpBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AdminCreateUser and SignUp look up the new name: in a big imported alias pool each
    scanned every user's aliases (230 ms a user at 100,000 users), and an imported user's
    alias made the name taken (UsernameExistsException) where moto creates the user."""
    import boto3

    from moto_cognito_import.sign_in import usernames

    pool = backend.create_user_pool("aliases", {"AliasAttributes": ["preferred_username"]})
    note_pool(pool)
    attributes = [{"Name": "preferred_username", "Value": "taken"}]
    mark(backend.admin_create_user(pool.id, "imported", "SUPPRESS", None, attributes), None)
    lookups: list[Any] = []
    monkeypatch.setattr(usernames, "user_by_alias", lambda *args: lookups.append(args) or big_pools.user_by_alias(*args))
    idp = boto3.client("cognito-idp", region_name=REGION)
    client_id = idp.create_user_pool_client(UserPoolId=pool.id, ClientName="app")["UserPoolClient"]["ClientId"]
    assert pool._get_user("taken").username == "imported"  # a lookup by alias
    lookups.clear()
    idp.admin_create_user(UserPoolId=pool.id, Username="taken", MessageAction="SUPPRESS")
    idp.sign_up(ClientId=client_id, Username="also-new", Password="Passw0rd!Passw0rd")
    assert lookups == []
    assert pool._get_user("taken").username == "taken"  # a username wins over an alias


def test_get_user_with_username_attributes_changed_is_moto_s(backend: CognitoIdpBackend) -> None:
    pool = _pool(backend, 10, UsernameAttributes=["email"])
    names = ["user002@example.com", "+12065550100"]
    _same_users(pool, names)
    _same_users(pool, names)
    pool.extended_config["UsernameAttributes"] = ["phone_number"]
    phone = [{"Name": "phone_number", "Value": "+12065550100"}]
    backend.admin_update_user_attributes(pool.id, next(iter(pool.users)), phone)
    _same_users(pool, names)
    _same_users(pool, names)


def test_big_imported_pool_lists_and_finds_every_user(aws: Any) -> None:
    """Over MIN_USERS users, through the real API in both modes: every page and every lookup."""
    pool = aws.pool(UsernameAttributes=["email"])
    size = big_pools.MIN_USERS + 200
    emails = [f"user{i:05d}@example.com" for i in range(size)]
    csv = "cognito:username,email_verified\n" + "".join(f"{email},true\n" for email in emails)
    assert aws.run(pool["Id"], csv)["ImportedUsers"] == size
    pages = aws.idp.get_paginator("list_users").paginate(UserPoolId=pool["Id"], PaginationConfig={"PageSize": 60})
    listed = [
        next(a["Value"] for a in user["Attributes"] if a["Name"] == "email") for page in pages for user in page["Users"]
    ]
    assert listed == emails
    for email in (emails[0], emails[-1], emails[size // 2]):
        attributes = aws.idp.admin_get_user(UserPoolId=pool["Id"], Username=email)["UserAttributes"]
        assert {"Name": "email", "Value": email} in attributes
    with pytest.raises(aws.idp.exceptions.UserNotFoundException):
        aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="nobody@example.com")


@decorator_only  # reads moto's pool object
def test_a_pool_with_users_of_its_own_is_an_imported_pool_once_an_import_adds_one(aws: Any) -> None:
    """The big-pool indexes serve pools an import added users to: not only pools the import
    found empty."""
    from moto_cognito_import.importing.imported_users import pool_has_imports

    pool = aws.pool()
    aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="native", MessageAction="SUPPRESS")
    moto_pool = cognitoidp_backends[ACCOUNT][REGION].user_pools[pool["Id"]]
    assert not pool_has_imports(moto_pool)
    assert aws.run(pool["Id"], "cognito:username,email,email_verified\nann,ann@example.com,true\n")["ImportedUsers"] == 1
    assert pool_has_imports(moto_pool)


@decorator_only  # reads the plugin's state in this process
def test_change_counts_of_pools_that_are_gone_are_let_go(aws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every AdminCreateUser counted a change under its pool's ID, and nothing ever let go of
    the count: a long-lived server or session grew by one entry per pool it ever saw. Now
    bounded: past MAX_POOLS all counts go at once, and every index is rebuilt once."""
    pool = aws.pool()
    aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="ann", MessageAction="SUPPRESS")
    assert pool["Id"] in bulk_users.UserChanges._by_pool
    monkeypatch.setattr(bulk_users.UserChanges, "MAX_POOLS", 3)
    monkeypatch.setattr(bulk_users.UserChanges, "_by_pool", {})
    epoch = bulk_users.UserChanges.epoch
    for n in range(3):
        bulk_users.UserChanges.changed(f"{REGION}_gone{n}")
    assert (len(bulk_users.UserChanges._by_pool), bulk_users.UserChanges.epoch) == (3, epoch)
    bulk_users.UserChanges.changed(f"{REGION}_new")
    assert bulk_users.UserChanges._by_pool == {f"{REGION}_new": 1}
    assert bulk_users.UserChanges.epoch == epoch + 1
