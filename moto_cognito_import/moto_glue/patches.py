"""Every change the plugin makes to moto, in one table, and the switch that makes and undoes it.

moto has no plugin interface (getmoto/moto#7126), so the plugin adds and wraps attributes of
moto's classes. ``PATCHES`` lists each one: whose attribute, which, the wrapper, the
parameters the wrapper reads, and why. ``activate`` first checks every target still exists
with those parameters (a renamed parameter in a moto release would otherwise surface later
as an HTTP 500) and refuses, naming the moto version and every missing piece, if one does
not (and so for the private methods the plugin calls, ``RELIANCES``, and the settings a
wrapper reads, ``READINGS``); then it applies them
all, and adds the ``REGISTRATIONS`` (the job's default progression for moto's state manager,
the job model for moto's dashboard). ``deactivate`` puts every
original object back, in reverse order.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any
from weakref import WeakKeyDictionary

from moto.cognitoidp import utils as cognitoidp_utils
from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPool
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.botocore_stubber import BotocoreStubber
from moto.core.model_instances import model_data
from moto.moto_api import state_manager
from moto.moto_api._internal.recorder.models import Recorder

from .. import layers, settings
from ..compatibility import IncompatibleMotoError, incompatible
from ..extras import server_extra_missing
from ..importing.bulk_users import UserChanges, counts_changes
from ..jobs.models import UserImportBackend, UserImportJob, import_backend
from ..jobs.responses import ACTIONS, ImportJobResponses
from ..lock import LOCK, PLUGIN_ON
from ..sign_in import rules, usernames
from . import big_pools, dispatch, routes
from .backend_hooks import Arguments, hook

Wrapper = Callable[[Callable[..., Any]], Callable[..., Any]]


class MotoCognitoImportWarning(UserWarning):
    """Base class for all warnings emitted by moto_cognito_import."""


def _target(owner: type, attribute: str) -> str:
    """How messages name moto's ``owner.attribute``."""
    return f"{owner.__module__}.{owner.__qualname__}.{attribute}"


def _callable_problem(target: str, current: Any, needs: tuple[str, ...]) -> str | None:
    """What is wrong with ``current``, moto's ``target``, for code that passes or reads the
    parameters ``needs``: None when nothing."""
    if not callable(current):
        return f"{target} does not exist"
    try:
        parameters = inspect.signature(current).parameters
    except (TypeError, ValueError):
        parameters = None
    missing = [name for name in needs if parameters is None or name not in parameters]
    if not missing:
        return None
    module = getattr(inspect.unwrap(current), "__module__", None) or ""
    if module != "moto" and not module.startswith("moto."):
        # A test's mock or stand-in: moto's version is not to blame.
        return (
            f"{target} is replaced by {current!r}, not moto's own, without moto's parameters: "
            "activate the plugin before replacing it, or replace it with autospec=True"
        )
    if parameters is None:
        return f"{target} has no readable signature"
    return f"{target} has no parameter {', '.join(missing)}"


@dataclass(frozen=True)
class Patch:
    """One attribute of moto's that the plugin adds (``added``) or wraps (``wrapper``)."""

    owner: type
    attribute: str
    why: str
    wrapper: Wrapper | None = None
    added: Any = None
    needs: tuple[str, ...] = ()  # the parameters of moto's function the wrapper reads

    @property
    def target(self) -> str:
        return _target(self.owner, self.attribute)

    @property
    def private(self) -> bool:
        """A private attribute of moto's (a leading underscore): no stability at all."""
        return self.attribute.startswith("_") and not self.attribute.startswith("__")

    def problem(self) -> str | None:
        """What keeps this patch from applying to the installed moto, or None."""
        if self.wrapper is None:
            return None
        return _callable_problem(self.target, getattr(self.owner, self.attribute, None), self.needs)

    def replacement(self, own: Any) -> Callable[..., Any]:
        """The object activation sets, ``own`` being what the owner's ``__dict__`` held.

        Off, it acts as moto does without the plugin: it calls what it wraps, or raises
        moto's NotImplementedError for an action moto lacks. It can outlive deactivation:
        a test's ``monkeypatch`` or ``mock.patch`` of the same attribute, made while the
        plugin was on and undone after it went off, puts back the object it found, ours.
        It records ``own``, so that the next activation puts that back first.
        """
        original: Callable[..., Any] | None = None
        if self.wrapper is None:
            active = self.added
            if own is not _MISSING:  # a moto that has the action: its own, once off
                original = getattr(self.owner, self.attribute)
        else:
            original = getattr(self.owner, self.attribute) if own is not _MISSING else _inherited(self)
            active = self.wrapper(original)
        action = self.attribute

        @functools.wraps(active)
        def switched(*args: Any, **kwargs: Any) -> Any:
            if _undo:
                return active(*args, **kwargs)
            if original is None:
                raise NotImplementedError(f"The {action} action has not been implemented")
            return original(*args, **kwargs)

        # Named where it lives (pickle finds functions by name): functools.wraps named it after
        # the added action's home in this package, or the class moto's method is inherited from.
        switched.__module__ = self.owner.__module__
        switched.__qualname__ = f"{self.owner.__qualname__}.{self.attribute}"
        _REPLACED[switched] = own
        return layers.mark(switched)


def _inherited(patch: Patch) -> Callable[..., Any]:
    """The method ``patch.owner`` inherits (``BaseResponse.call_action``), looked up past the
    owner at each call, as Python would without the plugin: a patch of the base class made
    while the plugin is on (a test counting every service's calls) reaches the owner too, and
    one that has ended no longer does."""
    owner, attribute = patch.owner, patch.attribute

    @functools.wraps(getattr(owner, attribute))  # its signature, for the wrapper's checks
    def inherited(instance: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(super(owner, instance), attribute)(*args, **kwargs)

    return inherited


@dataclass(frozen=True)
class Reliance:
    """A private method of moto's that the plugin calls without replacing it (no public one
    does the job): checked like a patch's target, so a moto release without it stops
    activation instead of answering HTTP 500 later."""

    owner: type
    attribute: str
    why: str
    needs: tuple[str, ...]  # the parameters the plugin passes

    def problem(self) -> str | None:
        current = getattr(self.owner, self.attribute, None)
        return _callable_problem(_target(self.owner, self.attribute), current, self.needs)


@dataclass(frozen=True)
class Reading:
    """A setting of moto's that a wrapper reads when activation builds it: checked like a
    patch's target, so a moto release that drops or renames it stops activation with
    IncompatibleMotoError instead of a bare KeyError."""

    name: str  # how to name the setting in a message
    read: Callable[[], Any]  # finds the dict (an error: moto lacks it)
    needs: tuple[str, ...]  # the keys the wrapper reads
    why: str

    def problem(self) -> str | None:
        """What keeps the wrapper from reading this setting of the installed moto, or None."""
        found = _found_dict(self.read)
        if found is None:
            return f"{self.name} does not exist"
        missing = [key for key in self.needs if key not in found]
        return f"{self.name} has no {', '.join(missing)}" if missing else None


@dataclass(frozen=True)
class Registration:
    """One entry the plugin adds to a registry of moto's: a dict moto reads by key."""

    registry: Callable[[], dict[str, Any] | None]  # finds the dict (None or an error: moto lacks it)
    name: str  # how to name the registry in a message
    key: str
    value: Callable[[], Any]
    why: str

    def problem(self) -> str | None:
        """What keeps this registration from applying to the installed moto, or None."""
        return None if _found_dict(self.registry) is not None else f"{self.name} does not exist"


def _found_dict(find: Callable[[], Any]) -> dict[str, Any] | None:
    """The dict ``find`` reads from moto, or None where the installed moto has none there."""
    try:
        found = find()
    except (AttributeError, KeyError, TypeError):  # moved, renamed, or no longer a mapping
        return None
    return found if isinstance(found, dict) else None


def _guard_pool_change(backend: CognitoIdpBackend, call: Arguments) -> None:
    """UpdateUserPool/DeleteUserPool/AddCustomAttributes: UserImportInProgressException while
    one of the pool's jobs is Pending or InProgress."""
    if (jobs := _jobs_beside(backend)) is not None:
        jobs.guard_pool_change(call["user_pool_id"])


def _forget_deleted_pool(backend: CognitoIdpBackend, call: Arguments) -> None:
    """DeleteUserPool: the pool's jobs go, and their files with them."""
    if (jobs := _jobs_beside(backend)) is not None:
        jobs.forget_pool(call["user_pool_id"])


def _jobs_beside(backend: CognitoIdpBackend) -> UserImportBackend | None:
    """The import backend of ``backend``'s account and region; None where moto makes none (a
    region it does not know, its pools made while MOTO_ALLOW_NONEXISTENT_REGION was set, or a
    backend built by hand): no job was ever made there, and moto's own answer stands (the
    KeyError escaped into the caller's UpdateUserPool, AddCustomAttributes or DeleteUserPool)."""
    try:
        return import_backend(backend.account_id, backend.region_name)
    except KeyError:
        return None


def _server_patches() -> tuple[Patch, ...]:
    """The patch of moto's server, when it can be imported: it needs the ``[server]`` extra
    (flask, flask_cors), which ``mock_aws`` users and the checker do without."""
    if server_extra_missing():
        return ()
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    return (
        Patch(
            DomainDispatcherApplication, "__call__", "upload URLs and /moto-api/cognito-import/ in server mode",
            routes.in_server, needs=("environ", "start_response"),
        ),
    )


PATCHES: tuple[Patch, ...] = (
    *(
        Patch(CognitoIdpResponse, action, "the import-job action itself", added=getattr(ImportJobResponses, action))
        for action in ACTIONS
    ),
    Patch(
        CognitoIdpResponse, "setup_class", "the import actions read the request's bytes (non-UTF-8, form-encoded)",
        dispatch.raw_body_for_import_actions, needs=("request", "full_url", "headers", "use_raw_body"),
    ),
    Patch(
        CognitoIdpResponse, "call_action", "one lock for every cognito-idp action and the import", dispatch.serialised
    ),
    *(
        Patch(CognitoIdpResponse, name, "an imported user's reset needs the SecretHash of a client with a secret",
              rules.reset_needs_secret_hash)
        for name in ("forgot_password", "confirm_forgot_password")
    ),
    *(
        Patch(
            CognitoIdpBackend, name, "UserImportInProgressException while a job of the pool runs",
            hook(before=_guard_pool_change, locked=True), needs=("user_pool_id",),
        )
        for name in ("update_user_pool", "add_custom_attributes")
    ),
    Patch(
        CognitoIdpBackend, "delete_user_pool", "the same guard; a deleted pool's jobs and files go",
        hook(before=_guard_pool_change, after=_forget_deleted_pool, locked=True), needs=("user_pool_id",),
    ),
    Patch(
        CognitoIdpBackend, "initiate_auth", "Cognito's sign-in rules for imported users",
        hook(before=rules.before_initiate_auth), needs=("client_id", "auth_flow", "auth_parameters"),
    ),
    Patch(
        CognitoIdpBackend, "admin_initiate_auth", "Cognito's sign-in rules for imported users",
        hook(before=rules.before_admin_initiate_auth),
        needs=("user_pool_id", "client_id", "auth_flow", "auth_parameters"),
    ),
    Patch(
        CognitoIdpBackend, "respond_to_auth_challenge",
        "Cognito's sign-in rules for imported users, in the session's user's name only",
        hook(before=rules.before_respond_to_auth_challenge, locked=True),
        needs=("session", "client_id", "challenge_name", "challenge_responses"),
    ),
    Patch(
        CognitoIdpBackend, "forgot_password", "an imported user's code goes where the CSV verified",
        hook(
            before=rules.before_forgot_password, answer=rules.forgot_password_answer,
            failed=rules.forgot_password_refused, locked=True,
        ),
        needs=("client_id", "username"),
    ),
    Patch(
        CognitoIdpBackend, "confirm_forgot_password",
        "an imported user needs a sent code and a policy-conforming password; RESET_REQUIRED becomes CONFIRMED",
        hook(before=rules.before_confirm_forgot_password, after=rules.after_confirm_forgot_password, locked=True),
        needs=("client_id", "username", "password", "confirmation_code"),
    ),
    Patch(
        CognitoIdpBackend, "admin_reset_user_password", "an imported user gets the code AWS sends, where it can go",
        hook(before=rules.before_admin_reset_user_password, after=rules.after_admin_reset_user_password, locked=True),
        needs=("user_pool_id", "username"),
    ),
    Patch(
        CognitoIdpBackend, "admin_create_user",
        "RESEND finds an imported user in a case-insensitive pool, and only one awaiting a first password;"
        " a new name is checked against usernames, not aliases",
        lambda original: usernames.creating_a_user(
            hook(before=rules.before_admin_create_user, after=usernames.after_resend, locked=True)(original)
        ),
        needs=("user_pool_id", "username", "message_action"),
    ),
    Patch(
        CognitoIdpBackend, "sign_up", "a new name is checked against usernames, not aliases",
        usernames.creating_a_user,
    ),
    Patch(
        CognitoIdpBackend, "admin_update_user_attributes",
        "an imported user's email is taken in any case in a case-insensitive pool with email as username;"
        " an imported user's sign-in alias is one user's",
        hook(before=usernames.before_admin_update_user_attributes, after=usernames.after_update_user_attributes,
             locked=True),
        needs=("user_pool_id", "username", "attributes"),
    ),
    Patch(
        CognitoIdpBackend, "update_user_attributes",
        "an imported user's email is taken in any case in a case-insensitive pool with email as username;"
        " an imported user's sign-in alias is one user's",
        hook(before=usernames.before_update_user_attributes, after=usernames.after_update_user_attributes,
             locked=True),
        needs=("access_token", "attributes"),
    ),
    Patch(
        CognitoIdpBackend, "change_password", "an imported user's wrong previous password in Cognito's words",
        hook(before=rules.before_change_password), needs=("access_token", "previous_password", "proposed_password"),
    ),
    Patch(
        CognitoIdpBackend, "confirm_sign_up", "an imported user is not confirmed past the reset; a code verifies",
        hook(before=rules.before_confirm_sign_up, after=rules.after_confirm_sign_up), needs=("client_id", "username"),
    ),
    Patch(
        CognitoIdpBackend, "admin_confirm_sign_up", "an imported user is not confirmed past the password reset",
        hook(before=rules.before_admin_confirm_sign_up), needs=("user_pool_id", "username"),
    ),
    Patch(
        CognitoIdpBackend, "list_users", "ListUsers in O(page) in big imported pools",
        big_pools.paged_list_users, needs=("user_pool_id", "filt"),
    ),
    Patch(
        CognitoIdpUserPool, "_get_user",
        "lookups in O(1) in big imported pools; imported users in any case in case-insensitive pools, and by alias",
        lambda original: usernames.find_user(big_pools.indexed_get_user(original)),
        needs=("username",),
    ),
    *(
        Patch(
            CognitoIdpUserPool, name, "tokens and sign-out name an imported user as stored, in any case typed",
            usernames.under_stored_name, needs=("username",),
        )
        for name in ("create_refresh_token", "create_access_token", "create_id_token", "sign_out")
    ),
    *(
        Patch(CognitoIdpUser, name, "tells the big-pool indexes that attributes changed", counts_changes)
        for name in ("update_attributes", "delete_attributes")
    ),
    Patch(
        BotocoreStubber, "process_request", "upload URLs and /moto-api/cognito-import/ under mock_aws",
        routes.in_process, needs=("request",),
    ),
    Patch(
        Recorder, "replay_recording", "a recorded upload replays however much later (its URL's time is not checked)",
        routes.replays_uploads_later,
    ),
    *_server_patches(),
)

RELIANCES: tuple[Reliance, ...] = (
    Reliance(
        CognitoIdpBackend, "_get_code_delivery_details",
        "ForgotPassword answers a disabled imported user as moto answers an unknown one, when the client hides users",
        needs=("recovery_settings", "user", "username"),
    ),
    Reliance(
        Recorder, "_record_request",
        "moto's recorder records the upload and the controls, as every request moto answers", needs=("request", "body"),
    ),
    Reliance(
        CognitoIdpBackend, "_validate_password",
        "ConfirmForgotPassword checks an imported user's new password as moto's other password operations do",
        needs=("user_pool_id", "password"),
    ),
)

READINGS: tuple[Reading, ...] = (
    Reading(
        "moto.cognitoidp.utils.PAGINATION_MODEL['list_users']", lambda: cognitoidp_utils.PAGINATION_MODEL["list_users"],
        needs=("input_token", "limit_key"), why="ListUsers in O(page) pages as moto's own paginator does",
    ),
)

REGISTRATIONS: tuple[Registration, ...] = (
    Registration(
        lambda: state_manager._default_transitions, "moto.moto_api.state_manager._default_transitions",
        settings.STATE_MODEL, lambda: {"progression": "immediate"},
        "the job's default progression; through the dict, so deactivate can take it back",
    ),
    Registration(
        lambda: model_data.get("cognitoidp"), "moto.core.model_instances.model_data['cognitoidp']",
        UserImportJob.__name__, lambda: UserImportJob,
        "moto's dashboard (/moto-api/data.json) lists jobs with cognito-idp's models",
    ),
)

# The switch's state outlives ``importlib.reload`` of this module (which runs it again in the
# same namespace): a reload that forgot what activation changed left moto patched for good.
_MISSING = globals().get("_MISSING", object())
# Each replacement (``Patch.replacement``) and what it replaced, by identity (see ``layers``).
_REPLACED: WeakKeyDictionary[Callable[..., Any], Any] = globals().get("_REPLACED") or WeakKeyDictionary()
_switch: threading.Lock = globals().get("_switch") or threading.Lock()
# What activation changed, undone in reverse: (owner, attribute, what its own __dict__ held,
# what activation set) for a patch, (registry, key, what it held, what activation set) for a
# registration.
_undo: list[tuple[Any, str, Any, Any]] = globals().get("_undo", [])
#: The last word of ``activate()`` or ``deactivate()``: how many were said, and whether the
#: last was to activate. What a hold (``holds``: ``activated()`` blocks, the pytest fixtures)
#: leaves the plugin as when a word was said while it held (``switch_on`` and ``switch_off``
#: say none).
last_word: tuple[int, bool] = globals().get("last_word", (0, False))


def is_active() -> bool:
    """Whether the plugin's patches are applied."""
    return bool(_undo)


def problems() -> list[str]:
    """What keeps the plugin from activating on the installed moto (empty when nothing)."""
    entries: tuple[Patch | Reliance | Reading | Registration, ...] = (*PATCHES, *RELIANCES, *READINGS, *REGISTRATIONS)
    return [problem for entry in entries if (problem := entry.problem()) is not None]


def activate() -> None:
    """Apply every patch and registration (``switch_on``), and say so (``last_word``)."""
    switch_on(say=True)


def deactivate() -> None:
    """Put every original object back (``switch_off``), and say so (``last_word``)."""
    switch_off(say=True)


def _said(activated: bool) -> None:
    """Under ``_switch``, with the switch it names: a word never disagrees with the state."""
    global last_word
    last_word = (last_word[0] + 1, activated)


def switch_on(say: bool = False) -> None:
    """Apply every patch and registration. Safe to call twice.

    Raises IncompatibleMotoError, adding nothing (and saying nothing), when the installed moto
    lacks a target or a parameter a wrapper reads (replacements left behind by an earlier
    activation are put back first, ``put_back_leftovers``); whatever else fails midway is undone
    before it is raised.
    """
    with _switch:
        if not _undo:
            _switch_on()
        if say:
            _said(True)


def _switch_on() -> None:
    """``switch_on`` of an inactive plugin, under ``_switch``."""
    _put_back_leftovers()
    found = problems()
    if found:
        raise incompatible("; ".join(found))
    try:
        _apply()
    except BaseException:
        _undo_all()
        raise
    # Users changed while the plugin was off were not counted: no index built before is current.
    UserChanges.changed(None)


def put_back_leftovers() -> None:
    """While the plugin is off, put back what each replacement of ours that outlived a
    deactivation (``Patch.replacement``) was put in place of: moto's own objects again. The
    pytest plugin calls this after each test's teardown, where a ``monkeypatch`` undone after
    the plugin's fixture brings one back."""
    with _switch:
        if not _undo:
            _put_back_leftovers()


def _put_back_leftovers() -> None:
    for patch in PATCHES:
        own = vars(patch.owner).get(patch.attribute)
        if inspect.isfunction(own) and own in _REPLACED:
            _put_back(patch.owner, patch.attribute, _REPLACED[own])


def _put_back(owner: Any, attribute: str, before: Any) -> None:
    if before is not _MISSING:
        setattr(owner, attribute, before)
    elif attribute in vars(owner):
        delattr(owner, attribute)


def _apply() -> None:
    _warn_of_moto_s_own_actions()
    for patch in PATCHES:
        own = vars(patch.owner).get(patch.attribute, _MISSING)
        replacement = patch.replacement(own)
        _undo.append((patch.owner, patch.attribute, own, replacement))
        setattr(patch.owner, patch.attribute, replacement)
    for registration in REGISTRATIONS:
        registry = registration.registry()
        if registry is None:  # problems() found it a moment ago
            raise IncompatibleMotoError(f"{registration.name} does not exist")
        value = registration.value()
        _undo.append((registry, registration.key, registry.get(registration.key, _MISSING), value))
        registry[registration.key] = value
    _rebind_running_mock()
    PLUGIN_ON.set()


#: The moto actions a warning named already: a process is warned once, not at each activation
#: (the pytest fixtures activate for every test: one warning each, errors under
#: ``filterwarnings = error``).
_WARNED: set[tuple[str, ...]] = set()


def _warn_of_moto_s_own_actions() -> None:
    """One warning when the installed moto has some of the six actions itself. The six share
    one job store (a job moto's Create made is unknown to the plugin's Start), so keeping moto's
    where it has them would split the API: the plugin's replace them all while it is active,
    and deactivation puts moto's back."""
    own = tuple(patch.attribute for patch in PATCHES if patch.wrapper is None and patch.attribute in vars(patch.owner))
    if own and own not in _WARNED:
        _WARNED.add(own)
        warnings.warn(
            f"moto {version('moto')} implements {', '.join(own)}: moto_cognito_import's import-job API "
            "replaces moto's while it is active (deactivate() puts moto's back)",
            MotoCognitoImportWarning,
            stacklevel=_first_frame_outside_the_package(),
        )


def _first_frame_outside_the_package() -> int:
    """``warnings.warn``'s stacklevel, called from the caller of this function, that names the
    code that activated the plugin: ``import moto_cognito_import``, ``activate()`` or a
    ``with activated():`` line. A fixed level pointed into contextlib, or at ``sys:1``. Frames
    of importlib's bootstrap are not counted, as ``warnings`` does not count them."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, level = inspect.currentframe(), 0
    frame = frame.f_back if frame is not None else None  # the frame that warns: level 1
    while frame is not None:
        filename = frame.f_code.co_filename
        if not ("importlib" in filename and "_bootstrap" in filename):
            level += 1
            if not filename.startswith(package + os.sep) and filename != contextlib.__file__:
                return level
        frame = frame.f_back
    return level


def _rebind_running_mock() -> None:
    """Point a running ``mock_aws`` at the wrapped ``process_request``. moto before 5.2.5
    registers ``botocore_stubber.process_request`` as the callback of every URL it mocks,
    bound when the mock starts: a mock started before activation (a user's own ``mock_aws``
    fixture before ours) kept calling moto's own method, and uploads reached moto's S3 (404
    NoSuchBucket). Later moto looks the method up on each request. Undone with the rest."""
    from moto.core.models import botocore_stubber, responses_mock

    current = BotocoreStubber.process_request
    for response in responses_mock.registered():
        callback = vars(response).get("callback")
        if (
            inspect.ismethod(callback)
            and callback.__self__ is botocore_stubber
            and callback.__name__ == "process_request"
            and callback.__func__ is not current
        ):
            rebound = botocore_stubber.process_request
            _undo.append((response, "callback", callback, rebound))
            response.callback = rebound  # type: ignore[attr-defined]  # a CallbackResponse


def switch_off(say: bool = False) -> None:
    """Put every original object back, in reverse order. Safe to call when inactive.

    What someone else has put in place of a replacement since (a test's mock, or moto's own
    object when a mock started before activation stops) stays: putting back what activation
    found would bring back a mock that has ended. Jobs and uploads already made stay in their
    backends until moto resets them.
    """
    # An import in flight stops at its next row (lock.PLUGIN_ON); one between rows waits while
    # moto's objects go back, if that takes no wait here.
    with _switch, LOCK.held_if_free():
        _undo_all()
        if say:
            _said(False)


def _undo_all() -> None:
    PLUGIN_ON.clear()
    while _undo:
        target, name, before, ours = _undo.pop()
        # Only what is still ours: else someone else's since (or never set: activation failed first).
        if not isinstance(target, dict):
            if vars(target).get(name) is ours:
                _put_back(target, name, before)
        elif target.get(name) is ours:
            if before is _MISSING:
                del target[name]
            else:
                target[name] = before
