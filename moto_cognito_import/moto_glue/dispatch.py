"""Wrappers of moto's cognito-idp request dispatch (``CognitoIdpResponse``): one lock for
every action, and raw request bytes for the six import actions."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.core.utils import camelcase_to_underscores

from ..jobs.responses import ACTIONS
from ..lock import LOCK
from ..upload.signing import header


def _action(headers: Any) -> str:
    target = header(headers or {}, "x-amz-target") or ""
    return camelcase_to_underscores(target.rsplit(".", 1)[-1])


def raw_body_for_import_actions(setup_class: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``setup_class(self, request, full_url, headers, use_raw_body)``.

    moto decodes every request body as UTF-8 before dispatching, so a body that is not UTF-8
    escapes as an HTTP 500; and it parses a form-encoded body (``curl --data`` sends JSON as
    one) into form fields, leaving no body. The import actions read the bytes themselves
    (``jobs.request_validation``: SerializationException), so they get the bytes as sent.
    """

    @functools.wraps(setup_class)
    def setup(self: Any, request: Any, full_url: Any = None, headers: Any = None, use_raw_body: Any = None) -> None:
        if _action(headers if headers is not None else getattr(request, "headers", None)) in ACTIONS:
            use_raw_body = True
            if hasattr(request, "get_data"):
                request.get_data()  # werkzeug caches the raw bytes; form parsing reads the cache
        if use_raw_body is None:  # moto 5.2.5 reads its class default; 5.2.1 has no None
            setup_class(self, request, full_url, headers)
        else:
            setup_class(self, request, full_url, headers, use_raw_body)

    return setup


def serialised(call_action: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``call_action(self)``: every cognito-idp action, moto's own and ours, under the
    plugin's lock.

    moto's server is threaded and its cognito-idp has no lock of its own. Without this,
    AdminCreateUser or SignUp could add a user between an import's "does it exist?" check and
    its insert (one user silently replacing the other), and moto's loops over a pool's users
    could see the dict change size while an import adds users.
    """

    @functools.wraps(call_action)
    def call(self: Any) -> Any:
        with LOCK:
            return call_action(self)

    return call
