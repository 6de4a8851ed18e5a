"""Cognito's sign-in rules for imported users, which moto's cognito-idp does not know about.

Each ``before_*`` / ``after_*`` function runs around one ``CognitoIdpBackend`` method
(``moto_glue.backend_hooks.hook``); ``moto_glue.patches`` installs them. They act on users an import created
(``imported_users.rules_apply``; every user with ``MOTO_COGNITO_IMPORT_SIGN_IN_RULES=all``)
and leave every other user to moto, except for the app client's secret, checked for every name
in a pool with imported users (``imported_users.rules_apply_in``).

- A RESET_REQUIRED user signing in gets PasswordResetRequiredException, or
  NotAuthorizedException when the app client has PreventUserExistenceErrors ENABLED (developer
  guide, "Requiring imported users to reset their passwords"; an AWS engineer wrote in 2020 that
  the service then still answers PasswordResetRequiredException, aws-amplify/aws-sdk-ios#2298,
  but the guide is the later word). moto instead answers NotAuthorizedException
  (USER_PASSWORD_AUTH: an imported user has no password), a NEW_PASSWORD_REQUIRED challenge
  (ADMIN_USER_PASSWORD_AUTH) or an SRP challenge.
- ForgotPassword sends the code to the verified email or phone number the CSV gave ("The
  destination depends on the values you provided for email_verified and phone_number_verified
  in your CSV file"), in the order of the pool's AccountRecoverySetting, and answers
  InvalidParameterException when there is none. moto answers a made-up phone number, or an
  unverified one unmasked.
- ConfirmForgotPassword needs a code ForgotPassword or AdminResetUserPassword sent
  (CodeMismatchException otherwise) and a password the pool's policy allows
  (InvalidPasswordException), then makes a RESET_REQUIRED user CONFIRMED. moto accepts any code
  and any password there, and keeps the status.
- A user imported with a password hash signs in with the original password through
  USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH; the first success turns it into a normal moto
  password ("Importing users with password hashes"). Until then SRP fails [OURS: see
  ``SRP_BEFORE_FIRST_SIGN_IN``]; a password set any other way replaces the hash
  (``imported_users.imported_hash``).
- A wrong password is NotAuthorizedException ``Incorrect username or password.`` in every
  password flow (moto's AdminInitiateAuth puts the username in the message instead); so is
  SRP for an imported user without any password (a passwordless pool's).
- An app client with a secret needs SECRET_HASH in the password flows, checked before the
  user is looked at, and SecretHash in ForgotPassword and ConfirmForgotPassword; moto checks it
  only for SRP. In a pool with imported users this holds for every name, the users moto
  created and unknown names too: an answer that differed would tell who was imported.
- ForgotPassword and ConfirmForgotPassword of a disabled user are NotAuthorizedException
  ``User is disabled.`` (a client hiding users answers ForgotPassword as for an unknown user);
  moto sends a code, which ConfirmForgotPassword then took.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.exceptions import CodeMismatchException, ExpiredCodeException, InvalidPasswordException
from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    UserStatus,
    cognitoidp_backends,
    find_account_region_by_value,
)
from moto.cognitoidp.utils import check_secret_hash
from moto.moto_api._internal import mock_random as random

from ..exceptions import (
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    UnsupportedUserStateException,
)
from ..importing.imported_users import forget_hash, imported_hash, rules_apply, rules_apply_in
from ..importing.pool_profile import PoolProfile, configured
from ..lock import LOCK
from ..moto_glue.backend_hooks import Arguments
from ..password_hashes import stored_hash, verify_password
from . import usernames

#: The flows of each API these rules cover, as moto takes them: moto refuses any other flow
#: ("Initiate Auth method not supported") before it looks at a user, and so do the rules.
_INITIATE_AUTH_FLOWS = frozenset({"USER_PASSWORD_AUTH", "USER_SRP_AUTH"})
_ADMIN_INITIATE_AUTH_FLOWS = frozenset({"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"})
_SRP_FLOWS = frozenset({"USER_SRP_AUTH"})

#: ForgotPassword's answer to a user with neither (the API reference: "If neither a verified
#: phone number nor a verified email exists, Amazon Cognito responds with an
#: InvalidParameterException"; the words are Cognito's, quoted by many clients that match them).
NO_RECOVERY_DESTINATION = "Cannot reset password for the user as there is no registered/verified email or phone_number"
#: ForgotPassword's answer to a user awaiting a first password (FORCE_CHANGE_PASSWORD), who
#: signs in with the temporary one instead (AWS Knowledge Center, "cognito-forgot-password":
#: such a user "can't use the ForgotPassword API call"; the words are Cognito's, quoted in
#: aws-amplify/amplify-flutter#3048 and aws/aws-aspnet-cognito-identity-provider#37).
CANNOT_RESET = "User password cannot be reset in the current state."
#: A recovery mechanism's attribute and delivery medium.
_CHANNELS = {"verified_phone_number": ("phone_number", "SMS"), "verified_email": ("email", "EMAIL")}
#: A pool without AccountRecoverySetting: a verified phone number first (moto's order too).
_LEGACY_RECOVERY = ("verified_phone_number", "verified_email")

#: How moto's own confirmation codes begin (its ``forgot_password``): only such a code can be
#: told from the one sent; any other stands for the code the user read.
MOTO_CODE_PREFIX = "moto-confirmation-code:"
#: CodeMismatchException's message on real Cognito for ConfirmForgotPassword (quoted in
#: aws-amplify/amplify-js#11738).
CODE_MISMATCH = "Invalid verification code provided, please try again."
#: ExpiredCodeException's message on real Cognito: no code to match, "please request a code
#: again" (quoted in aws-amplify/amplify-flutter#1128 and amazon-cognito-identity-js#380).
NO_CODE_REQUESTED = "Invalid code provided, please request a code again."
#: Cognito's message for a wrong password (and for anything PreventUserExistenceErrors hides).
WRONG_PASSWORD = "Incorrect username or password."
#: PasswordResetRequiredException's message on real Cognito (quoted in aws-amplify/amplify-js#4890).
RESET_REQUIRED = "Password reset required for the user"
#: [OURS] AWS only says SRP "isn't available" before the first sign-in of a user imported
#: with a hash. Cognito cannot compute an SRP verifier from a foreign hash, so InitiateAuth
#: fails the way any unverifiable credential does. (moto's SRP never checks the password, so
#: InitiateAuth is the only place the fake can refuse it.)
SRP_BEFORE_FIRST_SIGN_IN = WRONG_PASSWORD
#: NotAuthorizedException's words for a client with a secret when SECRET_HASH is missing or
#: wrong (real answers quoted by AWS CLI users and in the AWS Knowledge Center's
#: "cognito-unable-to-verify-secret-hash"). moto checks it only for SRP.
NO_SECRET_HASH = "Client {} is configured for secret but secret was not received"
WRONG_SECRET_HASH = "Unable to verify secret hash for client {}"
#: moto's words for a disabled user's sign-in, which Cognito answers ForgotPassword with too.
DISABLED = "User is disabled."
#: NotAuthorizedException's words for a challenge answered in another user's name than the one
#: the session began for (a real answer to AdminRespondToAuthChallenge with a changed USERNAME,
#: kdgregory/example-cognito-java#1).
INVALID_SESSION = "Invalid session provided for the user."
#: How often a sign-in follows a name that moved while a hash was checked, before it gives up.
_MAX_MOVES = 3
#: The challenges whose answer names its user in USERNAME, which moto signs in.
_NAMED_CHALLENGES = frozenset({"NEW_PASSWORD_REQUIRED", "PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA", "SMS_MFA"})


def _pool_of_client(backend: CognitoIdpBackend, client_id: str) -> CognitoIdpUserPool | None:
    return next((p for p in backend.user_pools.values() if client_id in p.clients), None)


def _refused_by_moto(client: CognitoIdpUserPoolClient, auth_flow: str, parameters: dict[str, str]) -> bool:
    """Whether moto refuses the request itself before it looks at the user, as it does for an
    unknown app client: for SRP, no SRP_A or a wrong SECRET_HASH from a client with a secret.
    Cognito checks the client and the request first too: none of those answers may tell that a
    user exists, was imported or must reset the password, nor spend an imported hash."""
    if auth_flow not in _SRP_FLOWS:
        return False
    username, secret_hash = parameters.get("USERNAME"), parameters.get("SECRET_HASH")
    if not parameters.get("SRP_A") or not isinstance(username, str):
        return True
    if not client.generate_secret:
        return False
    try:
        return not check_secret_hash(client.secret, client.id, username, secret_hash)
    except UnicodeEncodeError:  # moto's check fails on a name beyond Latin-1: moto answers it
        return True


def _check_sign_in(
    pool: CognitoIdpUserPool | None, call: Arguments, flows: frozenset[str], moves: int = 0
) -> None:
    """Apply the imported-user rules before moto's own sign-in code runs (InitiateAuth and
    AdminInitiateAuth share them, each with its ``flows``; ``call`` is moto's arguments by
    name).

    Raises PasswordResetRequiredException / NotAuthorizedException as Cognito does; when an
    imported hash matches, it becomes the user's moto password so moto's code signs them in.
    Anything these rules don't cover (a request moto refuses, an unknown, disabled or
    non-imported user, other flows) is left to moto. ``moves``: how often the name (an alias)
    has named another user once a hash was checked; the rules then apply to that user.
    """
    auth_flow, parameters = call["auth_flow"], call.get("auth_parameters") or {}
    if not isinstance(parameters, dict):
        return  # a raw request's AuthParameters may be a list: moto answers it
    username = parameters.get("USERNAME") or ""
    if pool is None or auth_flow not in flows or not isinstance(username, str):
        return  # (a raw request's USERNAME may be a number: moto answers it)
    client = pool.clients.get(call["client_id"])
    if client is None or _refused_by_moto(client, auth_flow, parameters):
        return
    with LOCK:
        # The client before the user, as Cognito checks it: for any name in a pool with
        # imported users (unknown ones included: the answer must not tell who was imported),
        # over the name the client sent (an alias, any case).
        if auth_flow not in _SRP_FLOWS and rules_apply_in(pool):
            _check_secret_hash(client, username, parameters.get("SECRET_HASH"))
        user: CognitoIdpUser | None = pool._get_user(username)
        if user is None or not rules_apply(user):
            return
        if not user.enabled:  # moto's "User is disabled."
            return
        _refuse_a_reset(client, user)
        imported = imported_hash(user)
        if auth_flow in _SRP_FLOWS:
            # No SRP verifier exists for an imported hash, nor for an imported user without
            # any password (a passwordless pool's), whom moto's SRP would sign in regardless.
            if imported is not None or user.password is None:
                raise NotAuthorizedException(SRP_BEFORE_FIRST_SIGN_IN)
            return
        password = parameters.get("PASSWORD") or ""
        if imported is None:
            # moto's AdminInitiateAuth puts the username in this message, and signs in a user
            # without a password (passwordless import) when PASSWORD is left out.
            if user.password != password:
                raise NotAuthorizedException(WRONG_PASSWORD)
            return
        # Key derivation takes up to a second at Cognito's maximum costs: every other client
        # goes on meanwhile (an HTTP call holds the lock throughout, moto_glue.dispatch).
        with LOCK.released():
            matches = verify_password(stored_hash(imported), password)
        if pool._get_user(username) is not user:  # the name moved meanwhile (an alias): its new holder's
            if moves == _MAX_MOVES:  # (another client's updates keep moving it)
                raise NotAuthorizedException(WRONG_PASSWORD)
            _check_sign_in(pool, call, flows, moves + 1)
            return
        if not matches:
            raise NotAuthorizedException(WRONG_PASSWORD)
        if not _enabled(user):  # disabled meanwhile: moto refuses
            return
        _refuse_a_reset(client, user)  # reset meanwhile (AdminResetUserPassword)
        if imported_hash(user) == imported:  # not given a new password meanwhile
            user.password = password
            forget_hash(user)
        elif user.password != password:  # given one meanwhile (AdminSetUserPassword): it decides,
            raise NotAuthorizedException(WRONG_PASSWORD)  # in Cognito's words, not moto's admin ones


def _enabled(user: CognitoIdpUser) -> bool:
    """Read afresh: another client's call may have disabled the user since it was last read."""
    return bool(user.enabled)


def _check_secret_hash(client: CognitoIdpUserPoolClient, username: str, secret_hash: Any) -> None:
    """NotAuthorizedException unless a client with a secret got the user's SECRET_HASH (a raw
    request's may be no string: a wrong one)."""
    if not client.generate_secret:
        return
    if not secret_hash:
        raise NotAuthorizedException(NO_SECRET_HASH.format(client.id))
    # The developer guide's "Computing secret hash values": Base64(HMAC-SHA256(client secret,
    # username + client ID)), UTF-8 in its examples. moto's check_secret_hash encodes Latin-1,
    # which fails on names beyond it (山田: UnicodeEncodeError) and differs on others (José).
    # (A raw request's lone surrogate, in a name or the hash, is no UTF-8: a mismatch, not a 500.)
    key, message = (text.encode(errors="surrogatepass") for text in (str(client.secret), username + client.id))
    expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    if not isinstance(secret_hash, str) or not secret_hash.isascii() or not hmac.compare_digest(expected, secret_hash):
        raise NotAuthorizedException(WRONG_SECRET_HASH.format(client.id))


def reset_needs_secret_hash(action: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap ``CognitoIdpResponse.forgot_password`` or ``confirm_forgot_password(self)``: an app
    client with a secret needs the request's SecretHash there too (API reference, ForgotPassword:
    "If your app client has a client secret and you don't provide a SECRET_HASH parameter, this
    API returns NotAuthorizedException"), in the sign-in flows' words. moto's backend is never
    given SecretHash, so it is read here, from the request, before moto acts; moto checks it
    nowhere, and the reset of an imported user went through without it while the same client's
    sign-in refused it. Checked before the user is looked at (as at sign-in), for any name in
    a pool with imported users (``rules_apply_in``): an unknown name got moto's answer without
    it, an imported user NotAuthorizedException, so a client without the secret could tell
    which users exist, even from a client hiding them (PreventUserExistenceErrors)."""

    @functools.wraps(action)
    def checked(self: Any) -> Any:
        client_id, username, secret_hash = (self._get_param(name) for name in ("ClientId", "Username", "SecretHash"))
        if isinstance(client_id, str) and isinstance(username, str):
            account, region = find_account_region_by_value(
                "client_id", client_id, fallback=(self.current_account, self.region)
            )
            pool = _pool_of_client(cognitoidp_backends[account][region], client_id)
            if pool is not None and rules_apply_in(pool):  # every imported user's pool
                secret_hash = secret_hash if isinstance(secret_hash, str) else None
                _check_secret_hash(pool.clients[client_id], username, secret_hash)
        return action(self)

    return checked


def _refuse_a_reset(client: CognitoIdpUserPoolClient, user: CognitoIdpUser) -> None:
    """A RESET_REQUIRED user signing in: PasswordResetRequiredException, or
    NotAuthorizedException when the app client hides which users exist."""
    if user.status == UserStatus.RESET_REQUIRED:
        if _hides_users(client):
            raise NotAuthorizedException(WRONG_PASSWORD)
        raise PasswordResetRequiredException(RESET_REQUIRED)


def _hides_users(client: CognitoIdpUserPoolClient) -> bool:
    """The app client's PreventUserExistenceErrors is ENABLED."""
    return bool(client.extended_config.get("PreventUserExistenceErrors") == "ENABLED")


def before_initiate_auth(backend: CognitoIdpBackend, call: Arguments) -> None:
    """InitiateAuth: the pool is the one that has the app client."""
    _check_sign_in(_pool_of_client(backend, call["client_id"]), call, _INITIATE_AUTH_FLOWS)


def before_admin_initiate_auth(backend: CognitoIdpBackend, call: Arguments) -> None:
    """AdminInitiateAuth: the pool is named."""
    _check_sign_in(backend.user_pools.get(call["user_pool_id"]), call, _ADMIN_INITIATE_AUTH_FLOWS)


def before_respond_to_auth_challenge(backend: CognitoIdpBackend, call: Arguments) -> None:
    """RespondToAuthChallenge (AdminRespondToAuthChallenge goes through it in moto): the rules
    hold for the challenge's answer too. moto signs in whichever user the answer's USERNAME
    names, whatever user the session began for, and checks no status: an imported
    RESET_REQUIRED user (or one still holding an imported hash) answered for in another user's
    session got a password and tokens, and a user reset between InitiateAuth and the answer got
    tokens. An answer naming another user than the session's is NotAuthorizedException (so a
    session exists only for a user InitiateAuth let through); a user disabled or reset since is
    refused as at InitiateAuth. The rest is moto's (an unknown session, client or challenge)."""
    answer, challenge = call.get("challenge_responses"), call["challenge_name"]
    if not isinstance(challenge, str) or challenge not in _NAMED_CHALLENGES or not isinstance(answer, dict):
        return  # moto's answer (a raw request's list or object as ChallengeName: 200 {})
    verifier = challenge == "PASSWORD_VERIFIER"  # moto keys its session by the secret block
    session = answer.get("PASSWORD_CLAIM_SECRET_BLOCK") if verifier else call["session"]
    username = answer.get("USERNAME")
    if not isinstance(session, str) or not isinstance(username, str):
        return
    began = backend.sessions.get(session)
    if began is None:
        return
    began_for, pool = began
    client = pool.clients.get(call["client_id"])
    user = pool._get_user(username)
    if client is None or user is None or not rules_apply(user):
        return
    if pool._get_user(began_for) is not user:
        raise NotAuthorizedException(INVALID_SESSION)
    if not user.enabled:  # disabled since InitiateAuth, which said so (moto's answer checks not)
        raise NotAuthorizedException(DISABLED)
    _refuse_a_reset(client, user)


def _client_user(
    backend: CognitoIdpBackend, call: Arguments
) -> tuple[CognitoIdpUserPool | None, CognitoIdpUser | None]:
    """The pool that has the call's app client, and its user named in the call (None for either
    that does not exist: moto answers those)."""
    pool = _pool_of_client(backend, call["client_id"])
    return pool, pool._get_user(call["username"]) if pool is not None else None


def before_confirm_forgot_password(backend: CognitoIdpBackend, call: Arguments) -> None:
    """ConfirmForgotPassword sets a password only with a code ForgotPassword sent, and only one
    the pool's password policy allows (the API reference lists CodeMismatchException and
    InvalidPasswordException). Without these checks a six-digit code nobody sent would turn an
    imported RESET_REQUIRED user CONFIRMED with any password.

    Which codes match stays moto's convention (its ``forgot_password``): a code in moto's own
    format (``moto-confirmation-code:…``, from the ``x-moto-forgot-password-confirmation-code``
    header) must be the one sent; any other code stands for the one the user read in the email,
    once one was sent. A wrong one is CodeMismatchException, "the provided code doesn't match
    what the server was expecting" (API reference), where moto answers ExpiredCodeException;
    [OURS] before the password is checked (no capture shows AWS's order).
    """
    pool, user = _client_user(backend, call)
    if pool is None or user is None or not rules_apply(user):
        return
    if not user.enabled:  # a code sent before AdminDisableUser
        # A client hiding users answers as for one that does not exist (developer guide,
        # "Managing user existence error responses": "CodeMismatchException ... for users that
        # don't exist or are disabled").
        if _hides_users(pool.clients[call["client_id"]]):
            raise CodeMismatchException(CODE_MISMATCH)
        raise NotAuthorizedException(DISABLED)
    if user.confirmation_code is None:
        # The same guide: "If a code isn't requested when using ForgotPassword, Amazon Cognito
        # returns the ExpiredCodeException error" (nothing there to hide: the answer is one).
        raise ExpiredCodeException(NO_CODE_REQUESTED)
    code = call["confirmation_code"]
    if isinstance(code, str) and code.startswith(MOTO_CODE_PREFIX) and code != user.confirmation_code:
        raise CodeMismatchException(CODE_MISMATCH)
    password = call["password"]
    if not isinstance(password, str):  # a raw request without one: moto's answer elsewhere
        raise InvalidPasswordException()
    if _readable_password_policy(pool):
        backend._validate_password(user_pool_id=pool.id, password=password)  # moto's policy check


def _readable_password_policy(pool: CognitoIdpUserPool) -> bool:
    """Whether moto's password check (``_validate_password``) can read the pool's policy: moto
    stores any JSON a raw request sent there (AWS refuses all but the policy's shape), and its
    own ConfirmForgotPassword, which checks no policy, then answers as for none."""
    policies = pool.extended_config.get("Policies", {})
    policy = policies.get("PasswordPolicy", {}) if isinstance(policies, dict) else None
    return isinstance(policy, dict) and all(
        isinstance(policy.get(length, 0), int | float) for length in ("MinimumLength", "MaximumLength")
    )


def _pool_user(
    backend: CognitoIdpBackend, call: Arguments
) -> tuple[CognitoIdpUserPool | None, CognitoIdpUser | None]:
    """The pool an admin call names, and its user named in the call (None for either that does
    not exist: moto answers those); ``_client_user`` for the calls that name an app client."""
    pool = backend.user_pools.get(call["user_pool_id"])
    return pool, pool._get_user(call["username"]) if pool is not None else None


def _reset_user(backend: CognitoIdpBackend, call: Arguments) -> tuple[CognitoIdpUserPool, CognitoIdpUser] | None:
    """The pool and imported user an AdminResetUserPassword names (None when the rules do not
    apply, or moto answers: no such pool or user)."""
    pool, user = _pool_user(backend, call)
    if pool is None or user is None or not rules_apply(user):
        return None
    return pool, user


def before_admin_reset_user_password(backend: CognitoIdpBackend, call: Arguments) -> None:
    """AdminResetUserPassword sends the user a code, so it needs somewhere to send it: the API
    reference ("your user pool must have self-service account recovery configured") and
    moto's own check name a verified email or phone number; the code goes by the pool's
    recovery mechanisms, so the verified one must be among them. Without one it is
    InvalidParameterException in moto's words, and the user stays as they were. moto skips its
    check for a user already RESET_REQUIRED, as imported users are, and counts a verified
    channel the pool does not recover by; it answers a disabled user or another status
    itself. [OURS: the same error for an ``admin_only`` pool, whose exact answer is undocumented.]"""
    found = _reset_user(backend, call)
    if found is None:
        return
    pool, user = found
    resettable = user.enabled and user.status in (UserStatus.CONFIRMED, UserStatus.RESET_REQUIRED)
    if resettable and _destination(pool, user) is None:
        raise InvalidParameterException(NO_RECOVERY_DESTINATION)


def after_admin_reset_user_password(backend: CognitoIdpBackend, call: Arguments) -> None:
    """AdminResetUserPassword sends the user a code for ConfirmForgotPassword (API reference:
    "sends them a password-reset code"); moto sends none, so it is stored here, in moto's
    format, as ForgotPassword stores one (``before_admin_reset_user_password`` made sure it
    can go somewhere)."""
    found = _reset_user(backend, call)
    if found is not None:
        found[1].confirmation_code = f"{MOTO_CODE_PREFIX}{random.randint(100_000, 999_999)}"


def after_confirm_forgot_password(backend: CognitoIdpBackend, call: Arguments) -> None:
    """A RESET_REQUIRED user who set a new password is CONFIRMED (moto leaves the status
    alone). Not reached for a wrong code or password: ``before_confirm_forgot_password`` or
    moto raises first."""
    _, user = _client_user(backend, call)
    if user is not None and user.status == UserStatus.RESET_REQUIRED and rules_apply(user):
        user.status = UserStatus.CONFIRMED


def _refuse_confirming(user: CognitoIdpUser | None) -> None:
    """ConfirmSignUp and AdminConfirmSignUp confirm a user who signed up (UNCONFIRMED) only:
    Cognito refuses any other with NotAuthorizedException "User cannot be confirmed. Current
    status is CONFIRMED" (furaiev/amazon-cognito-identity-dart-2#80). moto confirms anyone:
    an imported RESET_REQUIRED user became CONFIRMED without a password, and the documented
    reset flow (PasswordResetRequiredException, ForgotPassword) was gone."""
    if user is not None and rules_apply(user) and user.status != UserStatus.UNCONFIRMED:
        raise NotAuthorizedException(f"User cannot be confirmed. Current status is {UserStatus(user.status).value}")


def before_confirm_sign_up(backend: CognitoIdpBackend, call: Arguments) -> None:
    _refuse_confirming(_client_user(backend, call)[1])


def after_confirm_sign_up(backend: CognitoIdpBackend, call: Arguments) -> None:
    """The code ConfirmSignUp took was sent to an email or phone number, which it verifies
    (developer guide, "Signing up and confirming user accounts": "that email or phone number is
    automatically verified"); moto marks none, and the rules send a reset code only to a
    verified one, so a user who signed up could not reset a password under
    ``MOTO_COGNITO_IMPORT_SIGN_IN_RULES=all``. The code goes to a phone number the pool verifies
    automatically before an email (the same page: "In cases where Amazon Cognito must choose
    between verifying an email address or phone number, it chooses to verify the phone
    number"). (``before_confirm_sign_up`` let through only a user who signed up: imported
    users never get here.)"""
    pool, user = _client_user(backend, call)
    if pool is None or user is None or not rules_apply(user):
        return
    automatic = configured(pool.extended_config, "AutoVerifiedAttributes")
    attributes = user.attribute_lookup
    for attribute in ("phone_number", "email"):
        if attribute in automatic and attributes.get(attribute):
            user.update_attributes([{"Name": f"{attribute}_verified", "Value": "true"}])
            return


def before_admin_confirm_sign_up(backend: CognitoIdpBackend, call: Arguments) -> None:
    _refuse_confirming(_pool_user(backend, call)[1])


def before_admin_create_user(backend: CognitoIdpBackend, call: Arguments) -> None:
    """AdminCreateUser's RESEND sends a user's invitation again, which only a user who has not
    yet set a password (FORCE_CHANGE_PASSWORD) has: Cognito answers any other with
    UnsupportedUserStateException "Resend not possible. <name> status is not
    FORCE_CHANGE_PASSWORD." (floci#755, as other Cognito emulators reproduce it). moto made an
    imported RESET_REQUIRED user FORCE_CHANGE_PASSWORD with a new temporary password."""
    given = call["username"]
    usernames.before_resend(backend, call)  # the user a RESEND of this name means
    if call.get("message_action") != "RESEND":
        return
    _, user = _pool_user(backend, call)  # as moto's RESEND finds it (an email, a phone number)
    if user is not None and rules_apply(user) and user.status != UserStatus.FORCE_CHANGE_PASSWORD:
        raise UnsupportedUserStateException(f"Resend not possible. {given} status is not FORCE_CHANGE_PASSWORD.")


def before_change_password(backend: CognitoIdpBackend, call: Arguments) -> None:
    """ChangePassword with a wrong PreviousPassword: Cognito answers NotAuthorizedException
    "Incorrect username or password." (aws-amplify/amplify-js#1580 shows the body); moto's
    message is the username. moto checks the proposed password against the pool's policy
    first, and so does this. A user whose password was reset since their token was issued
    (AdminResetUserPassword) gets PasswordResetRequiredException: Cognito's answer quoted in
    aws/aws-aspnet-cognito-identity-provider#44; moto changed the password and confirmed the
    user, skipping the reset."""
    owner = usernames.token_owner(backend, call["access_token"])
    if owner is None:
        return
    pool, username = owner
    user = pool._get_user(username)
    if user is None or not rules_apply(user):
        return
    if user.status == UserStatus.RESET_REQUIRED:
        raise PasswordResetRequiredException(RESET_REQUIRED)
    if user.password != call["previous_password"]:
        backend._validate_password(user_pool_id=pool.id, password=call["proposed_password"])
        raise NotAuthorizedException(WRONG_PASSWORD)


#: Where ``before_forgot_password`` notes the code a user had (none of moto's parameters).
_CODE_BEFORE = "code before the call"


def before_forgot_password(backend: CognitoIdpBackend, call: Arguments) -> None:
    """Note the user's code: moto stores a new one before it, or the answer below, may refuse
    to send it (an admin_only recovery; no verified address), and a code nobody sent must not
    let ConfirmForgotPassword through."""
    _, user = _client_user(backend, call)
    call[_CODE_BEFORE] = user.confirmation_code if user is not None else None


def forgot_password_refused(backend: CognitoIdpBackend, call: Arguments) -> None:
    """A refused ForgotPassword sent nothing: the user's code is the one they had."""
    _, user = _client_user(backend, call)
    if user is not None and rules_apply(user):
        user.confirmation_code = call[_CODE_BEFORE]


def forgot_password_answer(backend: CognitoIdpBackend, call: Arguments, result: Any) -> Any:
    """ForgotPassword for an imported user: where the code went, by the CSV's verified
    attributes; refused while the user awaits a first password (an administrator's
    AdminSetUserPassword with Permanent=False). moto's ``result`` is ``(confirmation code,
    response)``; a pool moto refused (an admin_only recovery) never gets here. A refusal here
    goes to ``forgot_password_refused``."""
    pool, user = _client_user(backend, call)
    if pool is None or user is None or not rules_apply(user):
        return result
    hides = _hides_users(pool.clients[call["client_id"]])
    if not user.enabled:  # moto sends a disabled user a code, and then makes them CONFIRMED
        if hides:
            return _simulated_delivery(backend, pool, user, call)
        raise NotAuthorizedException(DISABLED)
    if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
        raise NotAuthorizedException(CANNOT_RESET)
    if (destination := _destination(pool, user)) is None:
        if hides:
            return _simulated_delivery(backend, pool, user, call)
        raise InvalidParameterException(NO_RECOVERY_DESTINATION)
    code, _ = result
    return code, {"CodeDeliveryDetails": destination}


def _simulated_delivery(
    backend: CognitoIdpBackend, pool: CognitoIdpUserPool, user: CognitoIdpUser, call: Arguments
) -> tuple[None, dict[str, Any]]:
    """ForgotPassword's answer, through a client hiding users, for a user it cannot send a code
    to: as for a user who does not exist, a simulated delivery (developer guide, "Managing user
    existence error responses": "When a user isn't found, is deactivated, or doesn't have a
    verified delivery mechanism to recover their password, Amazon Cognito returns
    CodeDeliveryDetails with a simulated delivery medium"). Nothing was sent: the user keeps
    the code they had."""
    user.confirmation_code = call[_CODE_BEFORE]
    recovery = pool.extended_config.get("AccountRecoverySetting")
    return None, {"CodeDeliveryDetails": backend._get_code_delivery_details(
        recovery_settings=recovery, user=None, username=call["username"]
    )}


def _destination(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> dict[str, str] | None:
    """Where a code for ``user`` goes (CodeDeliveryDetails): the first verified channel in the
    order of the pool's recovery mechanisms; None with none (admin_only has no channel)."""
    attributes = user.attribute_lookup
    for name in _recovery_order(pool):
        attribute, medium = _CHANNELS.get(name, ("", ""))
        value = attributes.get(attribute)  # no string when moto stored a raw request's number
        if isinstance(value, str) and value and PoolProfile.verified(attributes, attribute):
            return {"Destination": _masked(value), "DeliveryMedium": medium, "AttributeName": attribute}
    return None


def _recovery_order(pool: CognitoIdpUserPool) -> tuple[str, ...]:
    """The names of the pool's recovery mechanisms by Priority, the legacy order without any.
    What a raw request stored there that is no mechanism (AWS refuses it) counts as absent."""
    setting = pool.extended_config.get("AccountRecoverySetting")
    mechanisms = setting.get("RecoveryMechanisms") if isinstance(setting, dict) else None
    readable = [
        (mechanism.get("Priority", 0), mechanism["Name"])
        for mechanism in (mechanisms if isinstance(mechanisms, list) else ())
        if isinstance(mechanism, dict)
        and isinstance(mechanism.get("Name"), str)
        and isinstance(mechanism.get("Priority", 0), int)
    ]
    return tuple(name for _, name in sorted(readable, key=lambda found: found[0])) or _LEGACY_RECOVERY


def _masked(value: str) -> str:
    """A destination as Cognito shows it: ``a***@e***`` for an email, ``+*******0100`` for a
    phone number (its last four digits)."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    return "+" + "*" * max(len(value) - 5, 0) + value[-4:]
