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
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPool

from .backend_hooks import Arguments, hook
from .pool_profile import usernames_case_sensitive


def case_insensitive_get_user(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``CognitoIdpUserPool._get_user``: a miss in a case-insensitive pool is looked up
    again lower-cased."""

    @functools.wraps(original)
    def _get_user(self: CognitoIdpUserPool, username: str) -> CognitoIdpUser | None:
        user = original(self, username)
        if (
            user is None
            and isinstance(username, str)
            and username != username.lower()
            and not usernames_case_sensitive(self.extended_config)
        ):
            user = original(self, username.lower())
        return user  # type: ignore[no-any-return]

    return _get_user


def _resend_to_the_stored_name(backend: CognitoIdpBackend, call: Arguments) -> None:
    """AdminCreateUser's RESEND of ``Alice`` where ``alice`` is stored acts on ``alice``. moto
    checks that the user exists (found, through the lookup above) and then stores a new user
    under the name as given: a second user."""
    pool = backend.user_pools.get(call["user_pool_id"])
    name = call["username"]
    if (
        call.get("message_action") == "RESEND"
        and pool is not None
        and isinstance(name, str)
        and name not in pool.users
        and name.lower() in pool.users
        and not usernames_case_sensitive(pool.extended_config)
    ):
        call["username"] = name.lower()


case_insensitive_resend = hook(before=_resend_to_the_stored_name)
