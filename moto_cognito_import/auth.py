"""Sign-in rules for imported users that moto's cognito-idp does not know about.

- A RESET_REQUIRED user signing in gets PasswordResetRequiredException (NotAuthorizedException
  when the app client prevents user-existence errors), per the guide's "Requiring imported
  users to reset their passwords"; moto answers NotAuthorized or a NEW_PASSWORD_REQUIRED
  challenge instead.
- ConfirmForgotPassword makes a RESET_REQUIRED user CONFIRMED (moto keeps the status).
- A user imported with a password hash signs in with the original password through
  USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH; the first success turns the password into a
  normal moto password. SRP fails until then, as AWS documents.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPool, UserStatus

from .exceptions import NotAuthorizedException, PasswordResetRequiredException
from .models import LOCK, import_backends
from .password_hashes import verify_password

_PASSWORD_FLOWS = ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH")
_SRP_FLOWS = ("USER_SRP_AUTH",)
WRONG_PASSWORD = "Incorrect username or password."


def _pool_of_client(backend: CognitoIdpBackend, client_id: str) -> CognitoIdpUserPool | None:
    return next((p for p in backend.user_pools.values() if client_id in p.clients), None)


def _gate(
    backend: CognitoIdpBackend,
    pool: CognitoIdpUserPool | None,
    client_id: str,
    auth_flow: str,
    parameters: dict[str, str],
) -> None:
    """Apply the imported-user rules before moto's own sign-in code runs."""
    if pool is None or auth_flow not in _PASSWORD_FLOWS + _SRP_FLOWS:
        return
    user: CognitoIdpUser | None = pool._get_user(parameters.get("USERNAME", ""))
    if user is None:
        return
    if user.status is UserStatus.RESET_REQUIRED:
        client = pool.clients.get(client_id)
        if client is not None and client.extended_config.get("PreventUserExistenceErrors") == "ENABLED":
            raise NotAuthorizedException(WRONG_PASSWORD)
        raise PasswordResetRequiredException("Password reset required for the user")
    hashes = import_backends[backend.account_id][backend.region_name].password_hashes
    imported = hashes.get(user.id)
    if imported is None:
        return
    if auth_flow in _SRP_FLOWS:
        # AWS: "SRP authentication isn't available until the user's first sign-in".
        raise NotAuthorizedException(WRONG_PASSWORD)
    password = parameters.get("PASSWORD") or ""
    if not verify_password(imported, password):
        raise NotAuthorizedException(WRONG_PASSWORD)
    user.password = password
    del hashes[user.id]


def _forget_hash(backend: CognitoIdpBackend, user: CognitoIdpUser | None) -> None:
    if user is not None:
        import_backends[backend.account_id][backend.region_name].password_hashes.pop(user.id, None)


def _arguments(original: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Name the arguments of a call to one of moto's backend methods, however it was made."""
    bound = inspect.signature(original).bind(*args, **kwargs)
    return bound.arguments


def wrap_initiate_auth(original: Callable[..., Any]) -> Callable[..., Any]:
    def initiate_auth(*args: Any, **kwargs: Any) -> Any:
        call = _arguments(original, args, kwargs)
        backend, client_id = call["self"], call["client_id"]
        with LOCK:
            _gate(backend, _pool_of_client(backend, client_id), client_id, call["auth_flow"], call.get("auth_parameters") or {})
        return original(*args, **kwargs)

    return initiate_auth


def wrap_admin_initiate_auth(original: Callable[..., Any]) -> Callable[..., Any]:
    def admin_initiate_auth(*args: Any, **kwargs: Any) -> Any:
        call = _arguments(original, args, kwargs)
        backend = call["self"]
        pool = backend.user_pools.get(call["user_pool_id"])
        with LOCK:
            _gate(backend, pool, call["client_id"], call["auth_flow"], call.get("auth_parameters") or {})
        return original(*args, **kwargs)

    return admin_initiate_auth


def wrap_confirm_forgot_password(original: Callable[..., Any]) -> Callable[..., Any]:
    def confirm_forgot_password(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        call = _arguments(original, args, kwargs)
        backend = call["self"]
        pool = _pool_of_client(backend, call["client_id"])
        user = pool._get_user(call["username"]) if pool is not None else None
        with LOCK:
            _forget_hash(backend, user)
            if user is not None and user.status is UserStatus.RESET_REQUIRED:
                user.status = UserStatus.CONFIRMED
        return result

    return confirm_forgot_password


def wrap_admin_set_user_password(original: Callable[..., Any]) -> Callable[..., Any]:
    """A password set by an administrator replaces an imported hash."""

    def admin_set_user_password(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        call = _arguments(original, args, kwargs)
        backend = call["self"]
        with LOCK:
            _forget_hash(backend, backend.describe_user_pool(call["user_pool_id"])._get_user(call["username"]))
        return result

    return admin_set_user_password
