"""Sign-in rules for imported users that moto's cognito-idp does not know about.

Each ``wrap_*`` function wraps one ``CognitoIdpBackend`` method (``backend_hooks.hook``);
``_install`` applies them.

- A RESET_REQUIRED user signing in gets PasswordResetRequiredException, or
  NotAuthorizedException when the app client has PreventUserExistenceErrors ENABLED (developer
  guide, "Requiring imported users to reset their passwords"; an AWS engineer wrote in 2020 that
  the service then still answers PasswordResetRequiredException, aws-amplify/aws-sdk-ios#2298,
  but the guide is the later word). Works for any RESET_REQUIRED user, as the API reference of
  AdminResetUserPassword says. moto instead answers NotAuthorizedException (USER_PASSWORD_AUTH:
  an imported user has no password), a NEW_PASSWORD_REQUIRED challenge (ADMIN_USER_PASSWORD_AUTH)
  or an SRP challenge.
- ConfirmForgotPassword makes a RESET_REQUIRED user CONFIRMED; moto keeps the status.
- A user imported with a password hash signs in with the original password through
  USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH; the first success turns it into a normal moto
  password ("Importing users with password hashes"). Until then SRP fails [OURS: see
  ``SRP_BEFORE_FIRST_SIGN_IN``], and a password reset or AdminSetUserPassword replaces the hash.
- A wrong password is NotAuthorizedException ``Incorrect username or password.`` in every
  password flow (moto's AdminInitiateAuth puts the username in the message instead).
"""

from __future__ import annotations

from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPool, UserStatus

from .backend_hooks import Arguments, hook
from .exceptions import NotAuthorizedException, PasswordResetRequiredException
from .models import LOCK
from .password_hashes import USER_ATTRIBUTE, stored_hash, verify_password

_PASSWORD_FLOWS = frozenset({"USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"})
_SRP_FLOWS = frozenset({"USER_SRP_AUTH"})

#: Cognito's message for a wrong password (and for anything PreventUserExistenceErrors hides).
WRONG_PASSWORD = "Incorrect username or password."
#: PasswordResetRequiredException's message on real Cognito (quoted in aws-amplify/amplify-js#4890).
RESET_REQUIRED = "Password reset required for the user"
#: [OURS] AWS only says SRP "isn't available" before the first sign-in of a user imported
#: with a hash. Cognito cannot compute an SRP verifier from a foreign hash, so InitiateAuth
#: fails the way any unverifiable credential does. (moto's SRP never checks the password, so
#: InitiateAuth is the only place the fake can refuse it.)
SRP_BEFORE_FIRST_SIGN_IN = WRONG_PASSWORD


def _imported_hash(user: CognitoIdpUser) -> str | None:
    """The hash the user was imported with, until its first sign-in or a new password."""
    return getattr(user, USER_ATTRIBUTE, None)


def _pool_of_client(backend: CognitoIdpBackend, client_id: str) -> CognitoIdpUserPool | None:
    return next((p for p in backend.user_pools.values() if client_id in p.clients), None)


def _hides_user_existence(pool: CognitoIdpUserPool, client_id: str) -> bool:
    client = pool.clients.get(client_id)
    return client is not None and client.extended_config.get("PreventUserExistenceErrors") == "ENABLED"


def _check_sign_in(pool: CognitoIdpUserPool | None, call: Arguments) -> None:
    """Apply the imported-user rules before moto's own sign-in code runs (InitiateAuth and
    AdminInitiateAuth share them; ``call`` is moto's arguments by name).

    Raises PasswordResetRequiredException / NotAuthorizedException as Cognito does; when an
    imported hash matches, it becomes the user's moto password so moto's code signs them in.
    Anything these rules don't cover (unknown or disabled user, other flows) is left to moto.
    """
    client_id, auth_flow = call["client_id"], call["auth_flow"]
    parameters: dict[str, str] = call.get("auth_parameters") or {}
    if pool is None or auth_flow not in _PASSWORD_FLOWS | _SRP_FLOWS:
        return
    with LOCK:
        user: CognitoIdpUser | None = pool._get_user(parameters.get("USERNAME") or "")
        if user is None or not user.enabled:
            return
        if user.status == UserStatus.RESET_REQUIRED:
            if _hides_user_existence(pool, client_id):
                raise NotAuthorizedException(WRONG_PASSWORD)
            raise PasswordResetRequiredException(RESET_REQUIRED)
        imported = _imported_hash(user)
        if auth_flow in _SRP_FLOWS:
            if imported is not None:
                raise NotAuthorizedException(SRP_BEFORE_FIRST_SIGN_IN)
            return
        password = parameters.get("PASSWORD") or ""
        if imported is None:
            # moto's AdminInitiateAuth puts the username in this message, and signs in a user
            # without a password (passwordless import) when PASSWORD is left out.
            if user.password != password:
                raise NotAuthorizedException(WRONG_PASSWORD)
            return
    # Key derivation takes up to a second at Cognito's maximum costs: not under this rule's
    # lock (a call over HTTP holds the plugin lock throughout anyway: every cognito-idp action
    # is serialised, see _install._serialised).
    if not verify_password(stored_hash(imported), password):
        raise NotAuthorizedException(WRONG_PASSWORD)
    with LOCK:
        if _imported_hash(user) is imported:  # not replaced by a reset meanwhile
            user.password = password
            _forget_hash(user)


def _forget_hash(user: CognitoIdpUser | None) -> None:
    """A password set any other way replaces the imported hash."""
    if user is not None:
        vars(user).pop(USER_ATTRIBUTE, None)


def _before_initiate_auth(backend: CognitoIdpBackend, call: Arguments) -> None:
    _check_sign_in(_pool_of_client(backend, call["client_id"]), call)


def _before_admin_initiate_auth(backend: CognitoIdpBackend, call: Arguments) -> None:
    _check_sign_in(backend.user_pools.get(call["user_pool_id"]), call)


def _after_confirm_forgot_password(backend: CognitoIdpBackend, call: Arguments) -> None:
    """The new password replaces an imported hash; a RESET_REQUIRED user becomes CONFIRMED
    (moto leaves the status alone). Not reached for a wrong code: moto raises first."""
    with LOCK:
        pool = _pool_of_client(backend, call["client_id"])
        user = pool._get_user(call["username"]) if pool is not None else None
        _forget_hash(user)
        if user is not None and user.status == UserStatus.RESET_REQUIRED:
            user.status = UserStatus.CONFIRMED


def _after_admin_set_user_password(backend: CognitoIdpBackend, call: Arguments) -> None:
    """The password an administrator sets replaces an imported hash."""
    with LOCK:
        _forget_hash(backend.admin_get_user(call["user_pool_id"], call["username"]))


wrap_initiate_auth = hook(before=_before_initiate_auth)
wrap_admin_initiate_auth = hook(before=_before_admin_initiate_auth)
# Locked: a sign-in verifying the old hash meanwhile must not put it back over the new password.
wrap_confirm_forgot_password = hook(after=_after_confirm_forgot_password, locked=True)
wrap_admin_set_user_password = hook(after=_after_admin_set_user_password, locked=True)
