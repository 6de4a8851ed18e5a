"""Which of moto's users and pools an import created or filled.

Cognito's rules for imported users (sign-in, password reset, case-insensitive lookup) apply
to those users only, so moto keeps its own behaviour for everything the import did not make
(issue 11; ``settings.SIGN_IN_RULES`` opts into the rules for every user).

An imported user carries one private attribute on moto's own ``CognitoIdpUser``: the password
hash it was imported with, or None. On the user object, not in a registry beside it, so the
mark lives and dies with the user and costs an import next to nothing; private, so moto's
dashboard (``/moto-api/data.json``, public attributes only) does not show it.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakSet

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool

from .. import settings

#: The attribute on an imported ``CognitoIdpUser``: its imported password hash (or None).
MARK = "_moto_cognito_import_hash"
_NOT_IMPORTED = object()

# Pools an import added users to (the big-pool indexes are used for these only).
_POOLS: WeakSet[CognitoIdpUserPool] = WeakSet()
# Pools an import stored an email with capitals in: only there can a name that is such an
# email in another case miss both moto's exact match and a lower-cased retry.
_MIXED_CASE_EMAILS: WeakSet[CognitoIdpUserPool] = WeakSet()


def mark(user: CognitoIdpUser, password_hash: str | None) -> None:
    """Record that the import created ``user``, with the hash it may sign in with."""
    setattr(user, MARK, password_hash)


def is_imported(user: Any) -> bool:
    """Whether an import created ``user``."""
    return getattr(user, MARK, _NOT_IMPORTED) is not _NOT_IMPORTED


def rules_apply(user: Any) -> bool:
    """Whether Cognito's rules for imported users apply to ``user``."""
    return is_imported(user) or settings.sign_in_rules_for_every_user()


def imported_hash(user: CognitoIdpUser) -> str | None:
    """The hash an imported user signs in with, until a password replaces it: the first
    sign-in with it, or a password set any other way (ConfirmForgotPassword,
    AdminSetUserPassword, ...), all of which set moto's ``user.password``."""
    found = getattr(user, MARK, None)
    return found if isinstance(found, str) and user.password is None else None


def forget_hash(user: CognitoIdpUser) -> None:
    """The user signed in with the imported hash: from now on moto's password is theirs."""
    if is_imported(user):
        setattr(user, MARK, None)


def note_pool(pool: CognitoIdpUserPool) -> None:
    """Record that an import added users to ``pool``."""
    _POOLS.add(pool)


def pool_has_imports(pool: CognitoIdpUserPool) -> bool:
    """Whether an import ever added users to ``pool``."""
    return pool in _POOLS


def rules_apply_in(pool: CognitoIdpUserPool) -> bool:
    """Whether Cognito's rules hold for any name in ``pool``, one no user has included: a pool
    an import added users to (every pool with ``settings.SIGN_IN_RULES``). Where a rule's
    answer for an imported user would differ from moto's for an unknown one, an answer that
    must not tell them apart follows it for both."""
    return pool_has_imports(pool) or settings.sign_in_rules_for_every_user()


def note_email(pool: CognitoIdpUserPool, email: str | None) -> None:
    """Record an imported user's email when it has capitals (``Ben@Example.com``)."""
    if email and email != email.lower():
        _MIXED_CASE_EMAILS.add(pool)


def pool_has_mixed_case_emails(pool: CognitoIdpUserPool) -> bool:
    """Whether an import stored an email with capitals in ``pool``."""
    return pool in _MIXED_CASE_EMAILS
