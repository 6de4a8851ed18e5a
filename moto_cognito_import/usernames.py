"""Usernames in case-insensitive user pools (``UsernameConfiguration.CaseSensitive=false``).

AWS's UsernameConfigurationType: in such a pool "users can sign in using username, USERNAME,
or UserName". The import stores their usernames lower-case (README, "Fidelity notes"), but
moto finds users by the exact name, so AdminGetUser, sign-in and every admin call with the
name as the CSV wrote it found nobody. ``case_insensitive_get_user`` retries a miss with the
lower-cased name in those pools only: case-sensitive pools, names moto itself stored in
another case, and emails/phone numbers used as usernames (stored as written) keep moto's exact
lookup. ``case_insensitive_resend`` keeps AdminCreateUser's RESEND on that same user.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool


def _case_sensitive(pool: CognitoIdpUserPool) -> bool:
    return bool((pool.extended_config.get("UsernameConfiguration") or {}).get("CaseSensitive", True))


def case_insensitive_get_user(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``CognitoIdpUserPool._get_user``: a miss in a case-insensitive pool is looked up
    again lower-cased."""

    @functools.wraps(original)
    def _get_user(self: CognitoIdpUserPool, username: str) -> CognitoIdpUser | None:
        user = original(self, username)
        if user is None and isinstance(username, str) and username != username.lower() and not _case_sensitive(self):
            user = original(self, username.lower())
        return user  # type: ignore[no-any-return]

    return _get_user


def case_insensitive_resend(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``CognitoIdpBackend.admin_create_user``: RESEND of ``Alice`` where ``alice`` is
    stored acts on ``alice``. moto checks that the user exists (found, through the lookup
    above) and then stores a new user under the name as given: a second user."""
    signature = inspect.signature(original)

    @functools.wraps(original)
    def admin_create_user(*args: Any, **kwargs: Any) -> Any:
        call = signature.bind(*args, **kwargs)
        arguments = call.arguments
        pool = arguments["self"].user_pools.get(arguments["user_pool_id"])
        name = arguments["username"]
        if (
            arguments.get("message_action") == "RESEND"
            and pool is not None
            and isinstance(name, str)
            and name not in pool.users
            and name.lower() in pool.users
            and not _case_sensitive(pool)
        ):
            arguments["username"] = name.lower()
        return original(*call.args, **call.kwargs)

    return admin_create_user
