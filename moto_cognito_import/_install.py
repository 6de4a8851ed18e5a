"""The only module that touches moto: attach the import-job API to moto's cognito-idp fake."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import moto.moto_api._internal.urls as moto_api_urls
from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPool
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.exceptions import ServiceException
from moto.core.utils import camelcase_to_underscores
from moto.moto_api import state_manager
from moto.s3.models import S3Backend
from moto.s3.responses import S3Response

from . import auth, control, fast_paths, settings, usernames
from .backend_hooks import hook
from .models import LOCK, import_backends
from .responses import ACTIONS, ImportJobResponses
from .upload import BUCKET_PREFIX, handle_upload_request
from .validation import JOB_ID_PATTERN, USER_POOL_ID_PATTERN

_MARK = "__moto_cognito_import__"
# Both URL forms of an upload: virtual-hosted (decorator mode) and path-style (server mode).
_ROUTE_KEY = (
    rf"/(?P<cognito_import_account>[0-9]+)/(?P<cognito_import_pool>{USER_POOL_ID_PATTERN})"
    rf"/(?P<cognito_import_job>{JOB_ID_PATTERN})$"
)
UPLOAD_PATHS = (
    "{0}" + _ROUTE_KEY,
    "{0}/" + BUCKET_PREFIX + r"(?P<cognito_import_airport>[a-z0-9-]+)" + _ROUTE_KEY,
)


class MotoCognitoImportWarning(UserWarning):
    """Base class for all warnings emitted by moto_cognito_import."""


def _store(account: str, region: str, pool_id: str, job_id: str, body: Any) -> bool:
    """Hand an upload to the job's backend; False when the job doesn't take files any more."""
    with LOCK:
        try:
            backend = import_backends[account][region]
            if not backend.describe_user_import_job(pool_id, job_id).accepts_upload():
                return False
        except (KeyError, ServiceException):  # unknown region, pool or job
            return False
        backend.receive_upload(pool_id, job_id, body)
        return True


def upload_dispatch(request: Any, full_url: str, headers: Any) -> Any:
    """S3 route for Cognito's upload bucket; any other bucket goes on to moto's S3."""
    response = handle_upload_request(request, full_url, headers, _store)
    if response is None:
        return S3Response.key_dispatch(request, full_url, headers)
    return response


def _add_upload_routes(url_paths: dict[str, Any]) -> None:
    """Put the upload routes first: moto's own S3 routes would otherwise swallow these URLs."""
    if UPLOAD_PATHS[0] not in url_paths:
        existing = dict(url_paths)
        url_paths.clear()
        url_paths.update({path: upload_dispatch for path in UPLOAD_PATHS})
        url_paths.update(existing)


def _with_upload_routes(url_module: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """moto's S3 reloads ``moto.s3.urls`` on every access, so add the routes after each load."""

    def _url_module(self: Any) -> Any:
        module = url_module(self)
        _add_upload_routes(module.url_paths)
        return module

    return _url_module


def _raw_body_for_import_actions(setup_class: Callable[..., Any]) -> Callable[..., Any]:
    """moto decodes every request body as UTF-8 before dispatching, so a body that is not
    UTF-8 escapes as an HTTP 500 with a traceback. The import actions decode and reject bodies
    themselves (``validation.parse_request``: InvalidParameterException), so keep their bytes."""

    @functools.wraps(setup_class)
    def setup(self: Any, request: Any, full_url: str, headers: Any, use_raw_body: bool = False) -> None:
        target = next((v for k, v in dict(headers).items() if k.lower() == "x-amz-target"), "")
        if isinstance(target, bytes):
            target = target.decode("latin-1")
        if camelcase_to_underscores(str(target).rsplit(".", 1)[-1]) in ACTIONS:
            use_raw_body = True
        setup_class(self, request, full_url, headers, use_raw_body)

    return setup


def _serialised(call_action: Callable[..., Any]) -> Callable[..., Any]:
    """Run every cognito-idp action, moto's own and ours, under the plugin's lock.

    moto's server is threaded and its cognito-idp has no lock of its own. Without this,
    AdminCreateUser or SignUp could add a user between an import's "does it exist?" check and
    its insert (one user silently replacing the other), and moto's loops over a pool's users
    could see the dict change size while an import adds users.
    """

    @functools.wraps(call_action)
    def serialised(self: Any) -> Any:
        with LOCK:
            return call_action(self)

    return serialised


def _guard_pool_change(backend: CognitoIdpBackend, call: dict[str, Any]) -> None:
    """UpdateUserPool/DeleteUserPool/AddCustomAttributes: UserImportInProgressException while
    one of the pool's jobs is Pending or InProgress."""
    import_backends[backend.account_id][backend.region_name].guard_pool_change(call["user_pool_id"])


_guarded = hook(before=_guard_pool_change, locked=True)


_RESPONSE_PATCHES: dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
    "setup_class": _raw_body_for_import_actions,
    "call_action": _serialised,
}
_BACKEND_PATCHES: dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
    "update_user_pool": _guarded,
    "delete_user_pool": _guarded,
    "add_custom_attributes": _guarded,
    "initiate_auth": auth.wrap_initiate_auth,
    "admin_initiate_auth": auth.wrap_admin_initiate_auth,
    "confirm_forgot_password": auth.wrap_confirm_forgot_password,
    "admin_set_user_password": auth.wrap_admin_set_user_password,
    "list_users": fast_paths.paged_list_users,
    "admin_create_user": usernames.case_insensitive_resend,
}
# Lookups: O(1) in big email/phone-as-username pools (fast_paths), any case in
# case-insensitive pools (usernames).
_POOL_PATCHES: dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
    "_get_user": lambda original: usernames.case_insensitive_get_user(fast_paths.indexed_get_user(original)),
}
_USER_PATCHES: dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
    name: fast_paths.counts_changes for name in ("__init__", "update_attributes", "delete_attributes")
}


def install() -> None:
    """Attach the import-job actions, upload route and sign-in rules to moto. Safe to call twice."""
    for name, member in vars(ImportJobResponses).items():
        if name.startswith("__"):
            continue
        current = CognitoIdpResponse.__dict__.get(name)
        if current is not None and not getattr(current, _MARK, False):
            if name in ACTIONS:
                warnings.warn(f"moto already implements {name}; keeping moto's", MotoCognitoImportWarning)
            continue  # never replace what moto has (its actions or helpers of the same name)
        target = member.fget if isinstance(member, property) else member
        setattr(target, _MARK, True)
        setattr(CognitoIdpResponse, name, member)
    for cls, patches in (
        (CognitoIdpResponse, _RESPONSE_PATCHES),
        (CognitoIdpBackend, _BACKEND_PATCHES),
        (CognitoIdpUserPool, _POOL_PATCHES),
        (CognitoIdpUser, _USER_PATCHES),
    ):
        for name, wrapper in patches.items():
            original = getattr(cls, name)
            if not getattr(original, _MARK, False):
                patched = wrapper(original)
                setattr(patched, _MARK, True)
                setattr(cls, name, patched)
    url_module = S3Backend.__dict__["_url_module"]
    if not getattr(url_module.fget, _MARK, False):
        getter = _with_upload_routes(url_module.fget)
        setattr(getter, _MARK, True)
        S3Backend._url_module = property(getter)  # type: ignore[method-assign,assignment]
    moto_api_urls.url_paths.setdefault(control.CLOCK_PATH, control.clock_response)
    state_manager.register_default_transition(settings.STATE_MODEL, {"progression": "immediate"})
