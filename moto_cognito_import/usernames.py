"""User lookups in case-insensitive user pools (``UsernameConfiguration.CaseSensitive=false``).

AWS's UsernameConfigurationType: in such a pool "users can sign in using username, USERNAME,
or UserName". The import stores their usernames lower-case (README, "Fidelity notes"), but
moto finds users by the exact name, so AdminGetUser, sign-in and every admin call with the
name as the CSV wrote it found nobody. The wrapper below retries a miss with the lower-cased
name in those pools only; case-sensitive pools, and names moto itself stored in another case,
keep moto's exact lookup.
"""

from __future__ import annotations

import functools
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
