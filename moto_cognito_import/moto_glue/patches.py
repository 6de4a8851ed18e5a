"""Every change the plugin makes to moto, in one table, and the switch that makes and undoes it.

moto has no plugin interface (getmoto/moto#7126), so the plugin adds and wraps attributes of
moto's classes. ``PATCHES`` lists each one: whose attribute, which, the wrapper, the
parameters the wrapper reads, and why. ``activate`` first checks every target still exists
with those parameters (a renamed parameter in a moto release would otherwise surface later
as an HTTP 500) and refuses, naming the moto version and every missing piece, if one does
not; then it applies them all and registers the job's default progression with moto's state
manager. ``deactivate`` puts every original object back, in reverse order.
"""

from __future__ import annotations

import inspect
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from importlib.util import find_spec
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPool
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.botocore_stubber import BotocoreStubber
from moto.moto_api import state_manager

from .. import settings
from ..importing.bulk_users import counts_changes
from ..jobs.models import import_backends
from ..jobs.responses import ACTIONS, ImportJobResponses
from ..sign_in import rules, usernames
from . import big_pools, dispatch, routes
from .backend_hooks import Arguments, hook

Wrapper = Callable[[Callable[..., Any]], Callable[..., Any]]


class MotoCognitoImportWarning(UserWarning):
    """Base class for all warnings emitted by moto_cognito_import."""


class IncompatibleMotoError(RuntimeError):
    """Raised by ``activate`` when the installed moto lacks something a patch relies on."""


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
        return f"{self.owner.__module__}.{self.owner.__qualname__}.{self.attribute}"

    @property
    def private(self) -> bool:
        """A private attribute of moto's (a leading underscore): no stability at all."""
        return self.attribute.startswith("_") and not self.attribute.startswith("__")

    def problem(self) -> str | None:
        """What keeps this patch from applying to the installed moto, or None."""
        if self.wrapper is None:
            return None
        current = getattr(self.owner, self.attribute, None)
        if not callable(current):
            return f"{self.target} does not exist"
        try:
            parameters = inspect.signature(current).parameters
        except (TypeError, ValueError):
            return f"{self.target} has no readable signature"
        missing = [name for name in self.needs if name not in parameters]
        return f"{self.target} has no parameter {', '.join(missing)}" if missing else None

    def replacement(self) -> Any:
        if self.wrapper is None:
            return self.added
        return self.wrapper(getattr(self.owner, self.attribute))


def _guard_pool_change(backend: CognitoIdpBackend, call: Arguments) -> None:
    """UpdateUserPool/DeleteUserPool/AddCustomAttributes: UserImportInProgressException while
    one of the pool's jobs is Pending or InProgress."""
    import_backends[backend.account_id][backend.region_name].guard_pool_change(call["user_pool_id"])


def _forget_deleted_pool(backend: CognitoIdpBackend, call: Arguments) -> None:
    """DeleteUserPool: the pool's jobs go, and their files with them."""
    import_backends[backend.account_id][backend.region_name].forget_pool(call["user_pool_id"])


def _server_patches() -> tuple[Patch, ...]:
    """The patch of moto's server, when it can be imported: it needs the ``[server]`` extra
    (flask, flask_cors), which ``mock_aws`` users and the checker do without."""
    if any(find_spec(name) is None for name in ("flask", "flask_cors")):
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
        CognitoIdpBackend, "confirm_forgot_password", "an imported RESET_REQUIRED user becomes CONFIRMED",
        hook(after=rules.after_confirm_forgot_password, locked=True), needs=("client_id", "username"),
    ),
    Patch(
        CognitoIdpBackend, "admin_create_user", "RESEND finds an imported user in a case-insensitive pool",
        hook(before=usernames.before_resend, after=usernames.after_resend, locked=True),
        needs=("user_pool_id", "username", "message_action"),
    ),
    Patch(
        CognitoIdpBackend, "list_users", "ListUsers in O(page) in big imported pools",
        big_pools.paged_list_users, needs=("user_pool_id", "filt"),
    ),
    Patch(
        CognitoIdpUserPool, "_get_user",
        "lookups in O(1) in big imported pools; imported users in any case in case-insensitive pools",
        lambda original: usernames.case_insensitive_get_user(big_pools.indexed_get_user(original)),
        needs=("username",),
    ),
    *(
        Patch(CognitoIdpUser, name, "tells the big-pool indexes that attributes changed", counts_changes)
        for name in ("update_attributes", "delete_attributes")
    ),
    Patch(
        BotocoreStubber, "process_request", "upload URLs and /moto-api/cognito-import/ under mock_aws",
        routes.in_process, needs=("request",),
    ),
    *_server_patches(),
)

_MISSING = object()
_switch = threading.Lock()
_undo: list[tuple[type, str, Any]] = []  # (owner, attribute, what its own __dict__ held)
_registered_transition: list[Any] = []  # the state manager's default for our model, before


def is_active() -> bool:
    """Whether the plugin's patches are applied."""
    return bool(_undo)


def problems() -> list[str]:
    """What keeps the plugin from activating on the installed moto (empty when nothing)."""
    return [problem for patch in PATCHES if (problem := patch.problem()) is not None]


def activate() -> None:
    """Apply every patch (and register the job progression). Safe to call twice.

    Raises IncompatibleMotoError, changing nothing, when the installed moto lacks a target
    or a parameter a wrapper reads.
    """
    with _switch:
        if _undo:
            return
        found = problems()
        if found:
            raise IncompatibleMotoError(
                f"moto_cognito_import cannot activate on moto {version('moto')}: " + "; ".join(found) + "."
            )
        for patch in PATCHES:
            own = vars(patch.owner).get(patch.attribute, _MISSING)
            if patch.wrapper is None and own is not _MISSING:
                warnings.warn(
                    f"moto already implements {patch.attribute}; keeping moto's", MotoCognitoImportWarning, stacklevel=3
                )
                continue  # never replace an action moto has
            replacement = patch.replacement()
            setattr(patch.owner, patch.attribute, replacement)
            _undo.append((patch.owner, patch.attribute, own))
        _registered_transition.append(state_manager._default_transitions.get(settings.STATE_MODEL, _MISSING))
        state_manager.register_default_transition(settings.STATE_MODEL, {"progression": "immediate"})


def deactivate() -> None:
    """Put every original object back, in reverse order. Safe to call when inactive.

    Jobs and uploads already made stay in their backends until moto resets them.
    """
    with _switch:
        while _undo:
            owner, attribute, own = _undo.pop()
            if own is _MISSING:
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, own)
        while _registered_transition:
            before = _registered_transition.pop()
            if before is _MISSING:
                state_manager._default_transitions.pop(settings.STATE_MODEL, None)
            else:
                state_manager._default_transitions[settings.STATE_MODEL] = before
