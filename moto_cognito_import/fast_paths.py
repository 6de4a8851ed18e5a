"""Speed for big pools: cheap bulk creation of moto's users, and ListUsers/user lookups that
stay O(page)/O(1) after a 500,000-user import.

moto 5.2.1 is O(pool) in the places a big pool hits (``moto/cognitoidp/models.py``):

- ``CognitoIdpBackend.list_users`` copies every user out of the pool's OrderedDict
  (``list(user_pool.users.values())``, 120 ms at 500,000 users) to slice one page, and its paginator
  finds a PaginationToken's user by scanning from the first user;
- ``CognitoIdpUserPool._get_user`` (AdminGetUser, sign-in, ...) scans every user, rebuilding a
  dict of each one's attributes, in pools whose UsernameAttributes are email/phone_number.

The wrappers here answer exactly what moto's code answers, from an index of the pool that is
used only while an O(1) check shows the same users in the same order with the same
attributes (see ``_Snapshot``); otherwise, and for pools under ``MIN_USERS`` users, moto's own
code runs. ``_install.install`` wires them in; tests/test_fast_paths.py compares them with
moto's code. Numbers: benchmarks/README.md.
"""

from __future__ import annotations

import datetime
import functools
import gc
import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

import moto.cognitoidp.models as cognito_models
from botocore.paginate import TokenDecoder
from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool
from moto.cognitoidp.utils import PAGINATION_MODEL, flatten_attrs
from moto.moto_api._internal import mock_random as random
from moto.utilities.paginator import Paginator

logger = logging.getLogger(__name__)

#: Pools smaller than this always run moto's own code: a scan of them is cheap anyway.
MIN_USERS = 1000


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Run a bulk import without CPython's cyclic garbage collector.

    A 500,000-row import creates a few million long-lived objects, and every full collection
    walks all of them again: measured, collections took a third of an import's time. Rows
    create no reference cycles, so nothing is lost while the collector is off. Afterwards the
    survivors go straight to the oldest generation (``freeze`` + ``unfreeze`` moves them
    without walking them) instead of being walked by the next young collections; skipped
    when the process froze objects itself (``gc.freeze`` before a fork), to leave those frozen.
    (CPython 3.12 parks a few hundred immortal objects of its own there at every full
    collection, which cannot be told apart: there the survivors take the young generations.)
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()


class _Changes:
    """Counts changes to users' attributes (a new user, an update, a deletion)."""

    count = 0


# counts_changes' wrappers, by identity: functools.wraps would copy a marker attribute to
# anybody's wrapper of them.
_OURS: WeakSet[Callable[..., Any]] = WeakSet()


def counts_changes(method: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a CognitoIdpUser method that sets attributes: indexes built before it are stale."""

    @functools.wraps(method)
    def changes_attributes(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        finally:
            _Changes.count += 1  # after the change: an index built meanwhile is dropped too

    _OURS.add(changes_attributes)
    return changes_attributes


# The names CognitoIdpUser.__init__ and update_attributes use in moto 5.2.1: ``new_user``
# builds the same object. Another moto whose constructor uses other names gets its own.
_CONSTRUCTOR_NAMES = (
    (
        "str", "random", "uuid4", "id", "user_pool_id", "username", "password", "status",
        "enabled", "attributes", "flatten_attrs", "attribute_lookup", "sms_mfa_enabled",
        "software_token_mfa_enabled", "token_verified", "confirmation_code",
        "preferred_mfa_setting", "set", "groups", "update_attributes", "utcnow", "create_date",
        "last_modified_date",
    ),
    ("flatten_attrs", "attributes", "update", "attribute_lookup", "expand_attrs", "utcnow", "last_modified_date"),
)


def _constructor_known() -> bool:
    """True while CognitoIdpUser's constructor is the one ``new_user`` mirrors. A constructor
    someone patched (a test spying on user creation, say) is honoured: it then builds users."""
    return _names_known(CognitoIdpUser.__init__, CognitoIdpUser.update_attributes)


@functools.lru_cache(maxsize=16)
def _names_known(init: Callable[..., Any], update: Callable[..., Any]) -> bool:
    # Only the plugin's own counts_changes layer is looked through: anybody else's wrapper
    # (functools.wraps or not) is a patched constructor, which then builds the users.
    ours = [inspect.unwrap(method, stop=lambda f: f not in _OURS) for method in (init, update)]
    codes = [getattr(method, "__code__", None) for method in ours]
    names = tuple(code.co_names if code is not None else () for code in codes)
    if names != _CONSTRUCTOR_NAMES:
        logger.info("CognitoIdpUser is not moto 5.2.1's; imported users are built by its constructor")
    return names == _CONSTRUCTOR_NAMES


# uuid.UUID(int=bits, version=4) sets these bits; its str() is the hex in 8-4-4-4-12 groups.
_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)
_MOTO_UUID4 = type(random).uuid4


def _sub() -> str:
    """``str(random.uuid4())`` of moto's (seedable) random, in half the time: the same
    128 random bits, formatted without building a UUID object. Whoever replaced moto's
    ``uuid4``, or the ``random`` moto's cognito-idp uses (to choose the ids), gets theirs called."""
    source = cognito_models.random
    if source is not random or getattr(random.uuid4, "__func__", None) is not _MOTO_UUID4:
        return str(source.uuid4())
    digits = f"{random.getrandbits(128) & _UUID4_CLEAR | _UUID4_SET:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


_MOTO_UTCNOW = cognito_models.utcnow


def _utcnow() -> datetime.datetime:
    """moto's ``utcnow()`` (naive UTC, follows freezegun) without its per-call import, which
    costs three times the clock read itself; a ``utcnow`` patched into moto's cognito-idp is
    called instead."""
    if cognito_models.utcnow is not _MOTO_UTCNOW:
        return cognito_models.utcnow()  # type: ignore[no-any-return]
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def new_user(user_pool_id: str, username: str | None, status: str, attributes: dict[str, str]) -> CognitoIdpUser:
    """``CognitoIdpUser(user_pool_id, username, None, status, [{"Name": n, "Value": v} for n, v
    in attributes.items()])``, built in a third of the time: the constructor flattens the
    attributes three times, expands them back and reads the clock three times; this expands
    once, reads the clock once and sets the same fields to the same values (same sub from
    moto's seeded random, same instance tracking via ``__new__``)."""
    if not _constructor_known():
        expanded = [{"Name": name, "Value": value} for name, value in attributes.items()]
        return CognitoIdpUser(user_pool_id, username, None, status, expanded)
    user = CognitoIdpUser.__new__(CognitoIdpUser)
    user.id = _sub()
    user.user_pool_id = user_pool_id
    user.username = username if username else user.id
    user.password = None
    user.status = status
    user.enabled = True
    lookup = {**attributes, "sub": user.id}
    user.attributes = [{"Name": name, "Value": value} for name, value in lookup.items()]
    user.attribute_lookup = lookup
    user.sms_mfa_enabled = False
    user.software_token_mfa_enabled = False
    user.token_verified = False
    user.confirmation_code = None
    user.preferred_mfa_setting = None
    user.groups = set()
    user.create_date = user.last_modified_date = _utcnow()
    _Changes.count += 1
    return user


class _Snapshot:
    """What a pool looked like when an index of it was made, checked in O(1).

    Same users dict, same size and same last user mean no user was added or removed since
    (a new key goes last, and removing one changes the size unless another is added). Same
    change count means no user was created (so none replaced another under its key) and no
    attributes changed. Not seen: code that edits a user's attribute list in place or puts a
    user object back into the dict it was deleted from; moto does neither.
    """

    def __init__(self, pool: CognitoIdpUserPool):
        self.users = pool.users
        self.size = len(pool.users)
        self.last = next(reversed(pool.users.values()), None)
        self.changes = _Changes.count

    def current(self, pool: CognitoIdpUserPool) -> bool:
        users = pool.users
        return (
            users is self.users
            and len(users) == self.size
            and self.changes == _Changes.count
            and next(reversed(users.values()), None) is self.last
        )


class _Indexes:
    """One kind of index per pool, built on the second lookup that finds the pool unchanged
    since the first: a pool that changes between every lookup then costs what moto's own scan
    costs, never a rebuild per lookup."""

    def __init__(self, build: Callable[[CognitoIdpUserPool], Any]):
        self.build = build
        self.entries: WeakKeyDictionary[CognitoIdpUserPool, tuple[_Snapshot, Any]] = WeakKeyDictionary()

    def get(self, pool: CognitoIdpUserPool) -> Any:
        """The pool's index, or None: the caller then runs moto's own code."""
        entry = self.entries.get(pool)
        if entry is None or not entry[0].current(pool):
            self.entries[pool] = (_Snapshot(pool), None)
            return None
        if entry[1] is None:
            try:
                index = self.build(pool)
            except RuntimeError:  # another server thread changed the pool mid-build
                self.entries.pop(pool, None)
                return None
            self.entries[pool] = (entry[0], index)
            return index
        return entry[1]

    def forget(self, pool: CognitoIdpUserPool) -> None:
        self.entries.pop(pool, None)


def _username_index(pool: CognitoIdpUserPool) -> tuple[tuple[str, ...], dict[str, CognitoIdpUser]]:
    """UsernameAttributes value -> the first user (in pool order) that has it, as ``_get_user``
    reads attributes (``flatten_attrs(user.attributes)``)."""
    kinds = tuple(pool.extended_config["UsernameAttributes"])
    index: dict[str, CognitoIdpUser] = {}
    for user in pool.users.values():
        flat = flatten_attrs(user.attributes)
        for kind in kinds:
            value = flat.get(kind)
            if isinstance(value, str):  # a username (str) never equals anything else
                index.setdefault(value, user)
    return kinds, index


def _positions(pool: CognitoIdpUserPool) -> tuple[list[CognitoIdpUser], dict[str, int]]:
    """The pool's users in order, and str(user.id) -> first position (the paginator's key)."""
    users = list(pool.users.values())
    positions: dict[str, int] = {}
    for position, user in enumerate(users):
        positions.setdefault(str(user.id), position)
    return users, positions


_USERNAME_INDEXES = _Indexes(_username_index)
_POSITIONS = _Indexes(_positions)


def indexed_get_user(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``CognitoIdpUserPool._get_user``: O(1) in big email/phone-as-username pools."""

    @functools.wraps(original)
    def _get_user(self: CognitoIdpUserPool, username: str) -> Any:
        kinds = self.extended_config.get("UsernameAttributes")
        if not kinds or not isinstance(username, str) or len(self.users) < MIN_USERS:
            return original(self, username)
        index = _USERNAME_INDEXES.get(self)
        if index is None or index[0] != tuple(kinds):
            if index is not None:  # the pool's UsernameAttributes changed: index it afresh
                _USERNAME_INDEXES.forget(self)
            return original(self, username)
        user = index[1].get(username)
        return user if user is not None else self.users.get(username)

    return _get_user


def paged_list_users(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``CognitoIdpBackend.list_users`` (moto's ``@paginate``): without a Filter, hand
    moto's own Paginator just the users around the page instead of the whole pool."""
    config = PAGINATION_MODEL["list_users"]
    token_name, limit_name = config["input_token"], config["limit_key"]
    signature = inspect.signature(inspect.unwrap(original))

    @functools.wraps(original)
    def list_users(self: Any, *args: Any, **kwargs: Any) -> Any:
        other_kwargs = {k: v for k, v in kwargs.items() if k not in (token_name, limit_name)}
        call = signature.bind(self, *args, **other_kwargs)
        if call.arguments.get("filt") or config.get("fail_on_invalid_token", True) is not True:
            return original(self, *args, **kwargs)
        token, limit = kwargs.get(token_name), kwargs.get(limit_name)
        # Built as moto's wrapper builds it, so a bad token fails first, in moto's words.
        paginator = Paginator(
            max_results=limit,
            max_results_default=config.get("limit_default"),
            starting_token=token,
            unique_attribute=config.get("unique_attribute"),
            param_values_to_check=other_kwargs,
            fail_on_invalid_token=True,
        )
        pool = self.describe_user_pool(call.arguments["user_pool_id"])
        page = limit if limit else config.get("limit_default")
        if len(pool.users) < MIN_USERS or not isinstance(page, int) or page < 1:
            return original(self, *args, **kwargs)
        size = page + 1  # the page and the user the next token names
        if token is None:
            return paginator.paginate(list(islice(pool.users.values(), size)))
        index = _POSITIONS.get(pool)
        if index is None:
            return original(self, *args, **kwargs)
        users, positions = index
        wanted = TokenDecoder().decode(token)["uniqueAttributes"].split("|")[0]
        start = positions.get(wanted)
        window = [] if start is None else users[start : start + size]
        if any(pool.users.get(user.username) is not user for user in window):
            _POSITIONS.forget(pool)  # a user was replaced under its name
            return original(self, *args, **kwargs)
        return paginator.paginate(window)  # an empty window raises moto's "Resource not found!"

    return list_users
