"""ListUsers and user lookups that stay O(page)/O(1) in pools an import filled.

moto 5.2 is O(pool) in the places a big pool hits (``moto/cognitoidp/models.py``):

- ``CognitoIdpBackend.list_users`` copies every user out of the pool's OrderedDict
  (``list(user_pool.users.values())``, 120 ms at 500,000 users) to slice one page, and its paginator
  finds a PaginationToken's user by scanning from the first user;
- ``CognitoIdpUserPool._get_user`` (AdminGetUser, sign-in, ...) scans every user, rebuilding a
  dict of each one's attributes, in pools whose UsernameAttributes are email/phone_number.

The wrappers here answer exactly what moto's code answers, from an index of the pool that is
used only while an O(1) check shows the same users in the same order with the same
attributes (see ``_Snapshot``); otherwise, for pools under ``MIN_USERS`` users, and for pools
no import added users to (moto stays moto for what the import did not make), moto's own code
runs. tests/test_fast_paths.py compares them with moto's code. Numbers: benchmarks/README.md.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Mapping
from itertools import islice
from typing import Any
from weakref import WeakKeyDictionary

from botocore.paginate import TokenDecoder
from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool
from moto.cognitoidp.utils import PAGINATION_MODEL, flatten_attrs
from moto.utilities.paginator import Paginator

from ..importing.bulk_users import UserChanges
from ..importing.imported_users import is_imported, pool_has_imports
from ..importing.pool_profile import configured, sign_in_aliases, usernames_case_sensitive

logger = logging.getLogger(__name__)

#: Pools smaller than this always run moto's own code: a scan of them is cheap anyway.
MIN_USERS = 1000


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
        self.changes = UserChanges.version(pool.id)

    def current(self, pool: CognitoIdpUserPool) -> bool:
        users = pool.users
        return (
            users is self.users
            and len(users) == self.size
            and self.changes == UserChanges.version(pool.id)
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
                logger.debug("A user pool changed while it was indexed: moto's own lookup answers", exc_info=True)
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


def _email_key(user: CognitoIdpUser, every_user: bool) -> str | None:
    """A user's email in lower case, as ``_get_user`` reads attributes; None without one, or
    for a user moto created unless ``every_user``."""
    value = flatten_attrs(user.attributes).get("email") if every_user or is_imported(user) else None
    return value.lower() if isinstance(value, str) else None


def _imported_email_index(pool: CognitoIdpUserPool) -> dict[str, CognitoIdpUser]:
    """Lower-cased email -> the first imported user (in pool order) with that email, in any case."""
    index: dict[str, CognitoIdpUser] = {}
    for user in pool.users.values():
        if (key := _email_key(user, every_user=False)) is not None:
            index.setdefault(key, user)
    return index


_AliasSettings = tuple[tuple[str, ...], bool]  # AliasAttributes, case-sensitive
_AliasKey = tuple[str, str]


def _alias_key(kind: str, value: str, case_sensitive: bool) -> _AliasKey:
    """How a sign-in alias is keyed: lower-cased in a case-insensitive pool, which finds it in
    any case."""
    return kind, value if case_sensitive else value.lower()


def one_alias(pool: CognitoIdpUserPool, kind: str, a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b``, values of ``kind``, are one sign-in alias in ``pool`` (keyed
    as ``_alias_key`` does: ``Ann@x.com`` and ``ann@x.com`` in a case-insensitive pool)."""
    if a == b:
        return True
    case_sensitive = usernames_case_sensitive(pool.extended_config)
    return (
        isinstance(a, str) and isinstance(b, str)
        and _alias_key(kind, a, case_sensitive) == _alias_key(kind, b, case_sensitive)
    )


def _alias_keys(user: CognitoIdpUser, kinds: tuple[str, ...], case_sensitive: bool) -> list[_AliasKey]:
    """The sign-in aliases ``user`` holds (``pool_profile.sign_in_aliases``), keyed."""
    return [
        _alias_key(kind, value, case_sensitive)
        for kind, value in sign_in_aliases(flatten_attrs(user.attributes), kinds)
    ]


def _alias_settings(pool: CognitoIdpUserPool) -> _AliasSettings:
    return configured(pool.extended_config, "AliasAttributes"), usernames_case_sensitive(pool.extended_config)


def _alias_holders(
    pool: CognitoIdpUserPool, settings: _AliasSettings, every_user: bool, wanted: list[_AliasKey] | None = None
) -> dict[_AliasKey, CognitoIdpUser]:
    """Alias key (only those ``wanted``, if given) -> the first user in pool order holding it,
    among imported users or, ``every_user``, all."""
    holders: dict[_AliasKey, CognitoIdpUser] = {}
    for user in pool.users.values():
        if every_user or is_imported(user):
            for key in _alias_keys(user, *settings):
                if wanted is None or key in wanted:
                    holders.setdefault(key, user)
    return holders


def _imported_alias_index(pool: CognitoIdpUserPool) -> tuple[_AliasSettings, dict[_AliasKey, CognitoIdpUser]]:
    """(the pool's alias settings, alias key -> the first imported user holding it)."""
    settings = _alias_settings(pool)
    return settings, _alias_holders(pool, settings, every_user=False)


def _positions(pool: CognitoIdpUserPool) -> tuple[list[CognitoIdpUser], dict[str, int]]:
    """The pool's users in order, and str(user.id) -> first position (the paginator's key)."""
    users = list(pool.users.values())
    positions: dict[str, int] = {}
    for position, user in enumerate(users):
        positions.setdefault(str(user.id), position)
    return users, positions


def _big_imported(pool: CognitoIdpUserPool) -> bool:
    return len(pool.users) >= MIN_USERS and pool_has_imports(pool)


_USERNAME_INDEXES = _Indexes(_username_index)
_EMAIL_INDEXES = _Indexes(_imported_email_index)
_ALIAS_INDEXES = _Indexes(_imported_alias_index)
_POSITIONS = _Indexes(_positions)


def user_by_email_in_any_case(pool: CognitoIdpUserPool, email: str, every_user: bool) -> CognitoIdpUser | None:
    """The first user (in pool order) whose email is ``email`` in any case, among the users an
    import created (from an index in big pools, else by a scan as moto's ``_get_user`` scans)
    or, ``every_user``, among all (a scan)."""
    wanted = email.lower()
    index = _EMAIL_INDEXES.get(pool) if not every_user and _big_imported(pool) else None
    if index is not None:
        return index.get(wanted)  # type: ignore[no-any-return]
    return next((user for user in pool.users.values() if _email_key(user, every_user) == wanted), None)


def alias_sharers(
    pool: CognitoIdpUserPool, attributes: Mapping[str, Any], kinds: tuple[str, ...], user: CognitoIdpUser,
    every_user: bool,
) -> list[tuple[str, CognitoIdpUser]]:
    """(kind, holder) for every other user than ``user`` (an imported one or, ``every_user``,
    any) holding a sign-in alias of ``kinds`` that a user with ``attributes`` holds. A scan, as
    moto's own check that an email is free scans, of the values first (a match is rare: reading
    every user's aliases took 240 ms in a pool of 50,000, this 55), over the attributes moto
    keeps flat."""
    alias_kinds, case_sensitive = _alias_settings(pool)
    kinds = tuple(kind for kind in alias_kinds if kind in kinds)
    wanted = {_alias_key(kind, value, case_sensitive) for kind, value in sign_in_aliases(attributes, kinds)}
    return [
        (kind, other)
        for other in pool.users.values()
        for kind in kinds
        if isinstance(value := other.attribute_lookup.get(kind), str)
        and _alias_key(kind, value, case_sensitive) in wanted
        and other is not user
        and (every_user or is_imported(other))
        and (kind, value) in sign_in_aliases(other.attribute_lookup, (kind,))  # verified, for an email
    ]


def email_holders(pool: CognitoIdpUserPool, email: str) -> list[CognitoIdpUser]:
    """Every user of ``pool`` whose email is ``email`` in any case, whoever created them (a
    scan, as moto's own check that an email is free scans)."""
    wanted = email.lower()
    return [user for user in pool.users.values() if _email_key(user, True) == wanted]


def user_by_alias(pool: CognitoIdpUserPool, name: str, every_user: bool) -> CognitoIdpUser | None:
    """The user that holds ``name`` as a sign-in alias of the pool's AliasAttributes (the
    first in pool order, for the first of them that one holds), among the users an import
    created (from an index in big pools, else by a scan) or, ``every_user``, among all."""
    kinds, case_sensitive = settings = _alias_settings(pool)
    wanted = [_alias_key(kind, name, case_sensitive) for kind in kinds]
    indexed = _ALIAS_INDEXES.get(pool) if not every_user and _big_imported(pool) else None
    if indexed is not None and indexed[0] == settings:
        holders = indexed[1]
    else:
        holders = _alias_holders(pool, settings, every_user, wanted)
    return next((user for key in wanted if (user := holders.get(key)) is not None), None)


def indexed_get_user(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``CognitoIdpUserPool._get_user``: O(1) in big email/phone-as-username pools."""

    @functools.wraps(original)
    def _get_user(self: CognitoIdpUserPool, username: str) -> Any:
        kinds = self.extended_config.get("UsernameAttributes")
        if not kinds or not isinstance(username, str) or not _big_imported(self):
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
    config: dict[str, Any] = dict(PAGINATION_MODEL["list_users"])
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
        if not _big_imported(pool) or not isinstance(page, int) or page < 1:
            return original(self, *args, **kwargs)
        # The page and the user the next token names (no more than the pool holds: a raw
        # request's Limit may be past what islice takes, where moto answers every user).
        size = min(page, len(pool.users)) + 1
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
