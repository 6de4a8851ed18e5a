"""Usernames in case-insensitive user pools (``UsernameConfiguration.CaseSensitive=false``),
and sign-in aliases (``AliasAttributes``).

AWS's UsernameConfigurationType: in such a pool "users can sign in using username, USERNAME,
or UserName". The import stores their usernames lower-case (README, "Fidelity notes"), but
moto finds users by the exact name, so AdminGetUser, sign-in and every admin call with the
name as the CSV wrote it found nobody. ``find_user`` retries a miss with the
lower-cased name in those pools, and answers with what it finds only when Cognito's rules
apply to that user (``imported_users.rules_apply``): users moto created keep moto's exact
lookup, as do case-sensitive pools. Emails used as usernames are stored as written and found
in any case, as the import finds them (``A@x.com`` and ``a@x.com`` are one user there).
In a pool with AliasAttributes, ``find_user`` finds such a user by an alias it holds too.
``under_stored_name`` makes the tokens of a sign-in in another case name the stored
user, and ``before_resend`` keeps AdminCreateUser's RESEND on that same user. An attribute
update (``before_admin_update_user_attributes``, ``before_update_user_attributes``) cannot
give an email found in any case to a second user, nor a preferred_username another holds;
an email or phone number it verifies moves that alias to its user
(``after_update_user_attributes``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPool

from .. import settings
from ..exceptions import AliasExistsException
from ..importing.imported_users import (
    is_imported,
    mark,
    note_email,
    pool_has_imports,
    pool_has_mixed_case_emails,
    rules_apply,
    rules_apply_in,
)
from ..importing.pool_profile import PoolProfile, alias_taken, configured, usernames_case_sensitive
from ..moto_glue.backend_hooks import Arguments
from ..moto_glue.big_pools import (
    alias_sharers,
    email_holders,
    one_alias,
    user_by_alias,
    user_by_email_in_any_case,
)

_REPLACED = "moto_cognito_import_replaced"  # a note from before- to after-rule (not moto's)
_ALIAS_HOLDER = "moto_cognito_import_alias_holder"  # the same


#: Set while moto checks that a new user's name is free (AdminCreateUser, SignUp): that check is
#: against usernames, not aliases. Cognito documents aliases for signing in and for naming an
#: existing user; a scan of a big pool's aliases on every new user made each one O(pool).
_CREATING = ContextVar("moto_cognito_import_creating", default=False)


def creating_a_user(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a ``CognitoIdpBackend`` method that creates a user (AdminCreateUser, SignUp): its
    lookups of the new name find no user by an alias. AdminCreateUser's RESEND names an
    existing user, as any other call may: by an alias too."""
    signature = inspect.signature(original)

    @functools.wraps(original)
    def create(*args: Any, **kwargs: Any) -> Any:
        if signature.bind(*args, **kwargs).arguments.get("message_action") == "RESEND":
            return original(*args, **kwargs)
        token = _CREATING.set(True)
        try:
            return original(*args, **kwargs)
        finally:
            _CREATING.reset(token)

    return create


def find_user(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``CognitoIdpUserPool._get_user``: where moto finds nobody, look again as Cognito
    does, for users its rules apply to: in a case-insensitive pool, the name lower-cased (and
    an email used as username in any case); in a pool with AliasAttributes, a sign-in alias
    (a verified email or phone number, a preferred_username: "users can sign in using that
    attribute in place of the username", developer guide, "Customizing sign-in attributes";
    AdminGetUser's Username "can be any of their alias attributes"). moto has no aliases."""

    @functools.wraps(original)
    def _get_user(self: CognitoIdpUserPool, username: str) -> CognitoIdpUser | None:
        user = original(self, username)
        if user is not None or not isinstance(username, str):
            return user  # type: ignore[no-any-return]
        every_user = settings.sign_in_rules_for_every_user()
        found = _in_another_case(original, self, username, every_user)
        if (
            found is None
            and self.extended_config.get("AliasAttributes")
            and (every_user or pool_has_imports(self))
            and not _CREATING.get()
        ):
            found = user_by_alias(self, username, every_user)
        return found if found is not None and rules_apply(found) else None

    return _get_user


def _in_another_case(
    get_user: Callable[..., Any], pool: CognitoIdpUserPool, username: str, every_user: bool
) -> CognitoIdpUser | None:
    """In a case-insensitive pool, the user under ``username`` lower-cased, or whose email
    (used as username) is ``username`` in any case; None in a case-sensitive pool."""
    if usernames_case_sensitive(pool.extended_config):
        return None
    found = get_user(pool, username.lower()) if username != username.lower() else None
    if found is None and "email" in _username_attributes(pool) and (every_user or pool_has_mixed_case_emails(pool)):
        found = user_by_email_in_any_case(pool, username, every_user)
    return found


def _username_attributes(pool: CognitoIdpUserPool) -> tuple[str, ...]:
    return configured(pool.extended_config, "UsernameAttributes")


def stored_name(pool: CognitoIdpUserPool, name: Any) -> Any:
    """The name moto finds an imported user of a case-insensitive pool under, for ``name`` in
    another case: the email or phone number as stored when the user was found by it,
    the user's own name when ``find_user`` found it by another case or an alias (so the rule
    lives in one place); ``name`` itself otherwise."""
    if not isinstance(name, str) or (
        name == name.lower()
        and "email" not in _username_attributes(pool)
        and not pool.extended_config.get("AliasAttributes")
    ):
        return name
    user = pool._get_user(name)
    if user is None or user.username == name:
        return name
    for attribute in _username_attributes(pool):
        value = user.attribute_lookup.get(attribute)
        if isinstance(value, str) and value.lower() == name.lower():
            return value  # found by its email or phone number: as stored
    return user.username  # found by another case, or by an alias


def under_stored_name(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a ``CognitoIdpUserPool`` method that records who signed in (the tokens, and
    sign-out that revokes them by name): moto passes on the name as the client typed it, so
    ``alice`` signed in as ``ALICE`` got tokens naming ``ALICE`` (Cognito's name the stored
    user) that AdminUserGlobalSignOut of ``alice`` did not revoke."""
    signature = inspect.signature(original)

    @functools.wraps(original)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.arguments["username"] = stored_name(bound.arguments["self"], bound.arguments["username"])
        return original(*bound.args, **bound.kwargs)

    return wrapped


def before_resend(backend: CognitoIdpBackend, call: Arguments) -> None:
    """AdminCreateUser's RESEND of ``Alice`` where ``alice`` was imported acts on ``alice``.
    moto checks that the user exists (found, through the lookup above) and then stores a new
    user under the name as given: a second user."""
    pool = backend.user_pools.get(call["user_pool_id"])
    if call.get("message_action") != "RESEND" or pool is None or not isinstance(call["username"], str):
        return
    call["username"] = stored_name(pool, call["username"])
    call[_REPLACED] = pool.users.get(call["username"])


def after_resend(backend: CognitoIdpBackend, call: Arguments) -> None:
    """moto's RESEND replaces the user object with a new one: it is still the imported user."""
    replaced = call.get(_REPLACED)
    pool = backend.user_pools.get(call["user_pool_id"])
    if replaced is not None and pool is not None and is_imported(replaced):
        resent = pool.users.get(call["username"])
        if resent is not None and resent is not replaced:
            mark(resent, None)


def token_owner(backend: CognitoIdpBackend, access_token: Any) -> tuple[CognitoIdpUserPool, str] | None:
    """The pool whose access token ``access_token`` is, and the username it names (None when
    it is no pool's: moto answers that)."""
    for pool in backend.user_pools.values():
        if access_token in pool.access_tokens:
            return pool, pool.access_tokens[access_token][1]
    return None


def before_admin_update_user_attributes(backend: CognitoIdpBackend, call: Arguments) -> None:
    pool = backend.user_pools.get(call["user_pool_id"])
    if pool is not None:
        _check_an_email_change(pool, call["username"], call["attributes"])
        _check_an_alias_change(pool, call["username"], call)


def before_update_user_attributes(backend: CognitoIdpBackend, call: Arguments) -> None:
    owner = token_owner(backend, call["access_token"])
    if owner is not None:
        _check_an_email_change(*owner, call["attributes"])
        _check_an_alias_change(*owner, call)


def _check_an_alias_change(pool: CognitoIdpUserPool, username: Any, call: Arguments) -> None:
    """In a pool with AliasAttributes, an update of a user the import's rules apply to
    (``rules_apply``) that sets a preferred_username another such user holds is refused: an
    alias "must be unique" and a preferred_username has no verification to lose
    (AliasExistsException, in the import's words for the same clash, ``alias_taken``). One
    that verifies an email or phone number (``<kind>_verified`` true), or changes one without
    its flag, notes the user for ``after_update_user_attributes``. Without this an alias kept
    naming its first holder in pool order, and AdminGetUser, AdminDeleteUser, a sign-in or
    ForgotPassword of it acted on the wrong user. An update that does none of these looks at
    no other user."""
    every_user = settings.sign_in_rules_for_every_user()
    attributes = call["attributes"]
    kinds = configured(pool.extended_config, "AliasAttributes")
    if not kinds or not rules_apply_in(pool) or not isinstance(attributes, list):
        return
    given: dict[str, Any] = {  # (a raw request's Name may be anything: moto answers that)
        a["Name"]: a.get("Value") for a in attributes if isinstance(a, dict) and isinstance(a.get("Name"), str)
    }
    verifiable = [kind for kind in ("email", "phone_number") if kind in kinds]
    verified = tuple(kind for kind in verifiable if PoolProfile.verified(given, kind))
    unflagged = [kind for kind in verifiable if kind in given and f"{kind}_verified" not in given]
    renamed = "preferred_username" in kinds and "preferred_username" in given
    if not (verified or unflagged or renamed) or not isinstance(username, str):
        return
    user = pool._get_user(username)
    if user is None or not rules_apply(user):
        return
    if renamed and given["preferred_username"] != user.attribute_lookup.get("preferred_username"):
        updated: dict[str, Any] = {**user.attribute_lookup, **given}
        if alias_sharers(pool, updated, ("preferred_username",), user, every_user) or _another_s_username(
            pool, given["preferred_username"], user
        ):
            raise AliasExistsException(alias_taken("preferred_username"))
    unverified = tuple(
        kind for kind in unflagged if not one_alias(pool, kind, given[kind], user.attribute_lookup.get(kind))
    )
    if verified or unverified:
        call[_ALIAS_HOLDER] = pool, user, verified, unverified, every_user


def _another_s_username(pool: CognitoIdpUserPool, name: Any, user: CognitoIdpUser) -> bool:
    """Whether ``name`` is the username of a user other than ``user``, in the pool's case
    rules: that user signs in by it first, so as ``user``'s preferred_username it would name
    two users (the import refuses the same, ``PoolProfile.name_crossings``). A look-up in a
    case-sensitive pool; a scan, as ``alias_sharers`` is, where names differ in case."""
    if not isinstance(name, str) or not name:
        return False
    if usernames_case_sensitive(pool.extended_config):
        return pool.users.get(name, user) is not user
    wanted = name.lower()
    return any(
        isinstance(other_name, str) and other_name.lower() == wanted and other is not user
        for other_name, other in pool.users.items()
    )


def after_update_user_attributes(backend: CognitoIdpBackend, call: Arguments) -> None:
    """Once moto has stored the update: an email or phone number it changed without its flag
    is unverified, as Cognito's AdminUpdateUserAttributes leaves it ("email_verified is set to
    false", amazon-archives/amazon-cognito-identity-js#322; moto keeps the old flag, and the
    user took the alias of whoever held the new value). One it verified that another user holds
    as a sign-in alias moves to this user: the other's ``<kind>_verified`` becomes false, in
    AWS's words (aws-amplify/aws-sdk-ios#515) "If you verify the same email on another
    username, the alias will migrate to that username", as boto/boto3#3213 saw."""
    noted = call.get(_ALIAS_HOLDER)
    if noted is None:
        return
    pool, user, verified, unverified, every_user = noted
    if unverified:
        user.update_attributes([{"Name": f"{kind}_verified", "Value": "false"} for kind in unverified])
    if verified:
        for kind, holder in alias_sharers(pool, user.attribute_lookup, verified, user, every_user):
            holder.update_attributes([{"Name": f"{kind}_verified", "Value": "false"}])


def _check_an_email_change(pool: CognitoIdpUserPool, username: Any, attributes: Any) -> None:
    """An email another user holds is refused (AliasExistsException) by moto only as written. In
    a case-insensitive pool with email as username, an imported user's email is found in any
    case, so there it is taken in any case too, for an imported user and from one: accepted,
    ``bob`` took ``ANN@X.COM`` beside the imported ``ann@x.com``, and AdminGetUser of each
    spelling found a different user. Between two users moto created, moto's check alone.
    The email checked is the one moto stores, the last of the request's ``email`` entries
    (moto's own check reads the first). One with capitals is noted as the import notes one
    (``note_email``): ``ann``'s changed to ``ANN@X.COM`` was no longer found as ``ann@x.com``.
    The user is looked up only when someone holds the email: an extra lookup on every update
    rebuilt a big pool's index each time."""
    if (
        usernames_case_sensitive(pool.extended_config)
        or "email" not in _username_attributes(pool)
        or not rules_apply_in(pool)
        or not isinstance(attributes, list)
    ):
        return
    emails = [a.get("Value") for a in attributes if isinstance(a, dict) and a.get("Name") == "email"]
    if not emails or not isinstance(emails[-1], str):
        return
    holders = email_holders(pool, emails[-1])
    user = pool._get_user(username) if holders and isinstance(username, str) else None
    if user is not None and any(holder is not user and rules_apply(holder) for holder in holders):
        raise AliasExistsException(alias_taken("email"))  # taken by an imported user
    if user is not None and rules_apply(user) and any(holder is not user for holder in holders):
        raise AliasExistsException(alias_taken("email"))  # taken from one
    note_email(pool, emails[-1])
