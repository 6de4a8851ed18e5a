"""Cheap bulk creation of moto's users for an import, and the count of user changes that
tells the big-pool indexes (``moto_glue.big_pools``) when they are stale.

moto's ``CognitoIdpUser`` constructor flattens attributes three times and reads the clock
three times; a 500,000-row import spends most of its time there. ``new_user`` builds the same
object in a third of the time (tests/test_fast_paths.py compares them field by field), and
``bulk_allocation`` keeps the cyclic garbage collector out of a bulk import. Numbers:
benchmarks/README.md.
"""

from __future__ import annotations

import datetime
import functools
import gc
import inspect
import logging
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import moto.cognitoidp.models as cognito_models
from moto.cognitoidp.models import CognitoIdpUser
from moto.moto_api._internal import mock_random as random

from .. import layers

logger = logging.getLogger(__name__)


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


class UserChanges:
    """Counts changes to users' attributes (a new user, an update, a deletion) per pool: an
    index of a pool built before the last change to one of its users may be stale. Per pool:
    a long import lets other requests in between rows, and writes to other pools (other
    accounts' even) made its index rebuild at every pause (300,000 rows: 6 s became 21 s).
    ``epoch`` moves when changes may have gone uncounted (the plugin was off). The users of a
    pool's last ``RECENT`` changes are kept too (weakly): an index can then tell users only
    added since it was made (moto's constructor sets attributes too) from other changes.

    Memory stays bounded: the counts of pools that are gone (deleted, reset) are let go of
    all at once when ``MAX_POOLS`` are counted, ``epoch`` moving so that every index is
    rebuilt once. (Forgetting one pool's count would not do: with moto's HASH pool IDs
    another account's live pool has the same ID, and its count would run through old values.)"""

    MAX_POOLS = 1_000
    RECENT = 64
    epoch = 0
    _by_pool: ClassVar[dict[str, int]] = {}
    _recent: ClassVar[dict[str, deque[tuple[int, weakref.ReferenceType[Any]]]]] = {}

    @classmethod
    def changed(cls, pool_id: str | None, user: Any = None) -> None:
        """Count a change to ``user`` (if known) of the pool (None: of any pool)."""
        if pool_id is None:
            cls.epoch += 1
            return
        if pool_id not in cls._by_pool and len(cls._by_pool) >= cls.MAX_POOLS:
            cls._by_pool.clear()
            cls._recent.clear()
            cls.epoch += 1
        count = cls._by_pool[pool_id] = cls._by_pool.get(pool_id, 0) + 1
        if user is not None:
            recent = cls._recent.get(pool_id)
            if recent is None:
                recent = cls._recent[pool_id] = deque(maxlen=cls.RECENT)
            recent.append((count, weakref.ref(user)))

    @classmethod
    def version(cls, pool_id: str) -> tuple[int, int]:
        """Equal for two reads of a pool's users only if no change was counted between them."""
        return cls.epoch, cls._by_pool.get(pool_id, 0)

    @classmethod
    def changed_since(cls, pool_id: str, version: tuple[int, int]) -> list[Any] | None:
        """The users of every change counted since ``version`` of the pool; None when they
        are not all known (too many changes, or one counted without its user)."""
        epoch, count = cls.version(pool_id)
        if epoch != version[0]:
            return None
        users = [ref() for number, ref in cls._recent.get(pool_id, ()) if number > version[1]]
        if len(users) != count - version[1] or any(user is None for user in users):
            return None
        return users


def counts_changes(method: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a CognitoIdpUser method that sets attributes: indexes built before it are stale."""

    @functools.wraps(method)
    def changes_attributes(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        finally:  # after the change: an index built meanwhile is dropped too
            user = args[0] if args else None
            UserChanges.changed(getattr(user, "user_pool_id", None), user)

    return layers.mark(changes_attributes)


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
    # Only the plugin's own layers are looked through: anybody else's wrapper (functools.wraps
    # or not) is a patched constructor, which then builds the users.
    ours = [inspect.unwrap(method, stop=lambda f: not layers.ours(f)) for method in (init, update)]
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
    source = vars(cognito_models)["random"]
    if source is not random or getattr(random.uuid4, "__func__", None) is not _MOTO_UUID4:
        return str(source.uuid4())
    digits = f"{random.getrandbits(128) & _UUID4_CLEAR | _UUID4_SET:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


_MOTO_UTCNOW = vars(cognito_models)["utcnow"]


def _utcnow() -> datetime.datetime:
    """moto's ``utcnow()`` (naive UTC, follows freezegun) without its per-call import, which
    costs three times the clock read itself; a ``utcnow`` patched into moto's cognito-idp is
    called instead."""
    patched = vars(cognito_models)["utcnow"]
    if patched is not _MOTO_UTCNOW:
        return patched()  # type: ignore[no-any-return]
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def new_user(user_pool_id: str, username: str | None, status: str, attributes: dict[str, str]) -> CognitoIdpUser:
    """``CognitoIdpUser(user_pool_id, username, None, status, [{"Name": n, "Value": v} for n, v
    in attributes.items()])``, built in a third of the time: the constructor flattens the
    attributes three times, expands them back and reads the clock three times; this expands
    once, reads the clock once and sets the same fields to the same values (same sub from
    moto's seeded random, same instance tracking via ``__new__``)."""
    if not _constructor_known():
        expanded = [{"Name": name, "Value": value} for name, value in attributes.items()]
        return CognitoIdpUser(user_pool_id, username, None, status, expanded)
    user: Any = CognitoIdpUser.__new__(CognitoIdpUser)
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
    UserChanges.changed(user_pool_id)
    return user  # type: ignore[no-any-return]


