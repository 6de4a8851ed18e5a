"""``/moto-api/cognito-import/...``: controls for server-mode users, where freezegun and the
server's environment are out of reach. ``POST /moto-api/reset`` restores both.

- ``GET  /moto-api/cognito-import/clock`` -> ``{"now": ..., "offset_seconds": ...}``
- ``POST /moto-api/cognito-import/clock`` with ``{"advance_seconds": N}`` moves the plugin's
  clock (job expiry, upload-URL expiry, job timestamps) N seconds forward; a negative N moves
  it back.
- ``GET  /moto-api/cognito-import/settings`` -> every setting's current value
- ``POST /moto-api/cognito-import/settings`` with e.g. ``{"check_role": false}`` or
  ``{"sign_in_rules": "all"}`` overrides the environment (``settings.SETTINGS``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from moto.core.common_types import TYPE_RESPONSE

from .. import clock, settings
from ..lock import LOCK

PREFIX = "/moto-api/cognito-import/"
MAX_BODY = 64 * 1024  # a control request's JSON is a few bytes
_JSON = {"Content-Type": "application/json"}


def _answer(status: int, document: dict[str, Any]) -> TYPE_RESPONSE:
    return status, dict(_JSON), json.dumps(document)


def _error(message: str) -> TYPE_RESPONSE:
    return _answer(400, {"error": message})


def _request_object(body: bytes) -> dict[str, Any] | None:
    try:
        document = json.loads(body or b"{}")
    except (ValueError, RecursionError):  # UnicodeDecodeError included; JSON nested too deep
        return None
    return document if isinstance(document, dict) else None


def _clock(method: str, body: bytes) -> TYPE_RESPONSE:
    if method == "POST":
        document = _request_object(body)
        if document is None or set(document) != {"advance_seconds"}:  # as settings refuse unknown names
            return _error('Send a JSON object like {"advance_seconds": 3600}.')
        seconds = document["advance_seconds"]
        # An int of any size is a number (10**400 is "out of range" below; math.isfinite
        # raised OverflowError on it, an HTTP 500); a float may be nan or infinite.
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, (int, float))
            or (isinstance(seconds, float) and not math.isfinite(seconds))
        ):
            return _error("advance_seconds must be a number of seconds.")
        try:
            clock.advance(seconds)
        except OverflowError:
            return _error("advance_seconds moves the clock out of range.")
    return _answer(200, {"now": clock.now().isoformat() + "Z", "offset_seconds": clock.offset().total_seconds()})


def _settings(method: str, body: bytes) -> TYPE_RESPONSE:
    if method == "POST":
        document = _request_object(body)
        if document is None:
            return _error('Send a JSON object like {"check_role": false}.')
        try:
            settings.override(document)
        except ValueError as error:
            return _error(str(error))
    return _answer(200, settings.current())


_ENDPOINTS: dict[str, Callable[[str, bytes], TYPE_RESPONSE]] = {"clock": _clock, "settings": _settings}


def handles(path: str) -> bool:
    """Whether a request path is one of these endpoints."""
    return path.startswith(PREFIX)


def respond(method: str, path: str, body: bytes | None) -> TYPE_RESPONSE:
    """Answer a request to ``/moto-api/cognito-import/<name>`` (GET reads, POST changes; HEAD
    is answered as GET, the transport leaving the body out); ``body`` is None when the
    request's body could not be read."""
    endpoint = _ENDPOINTS.get(path[len(PREFIX):].strip("/"))
    if endpoint is None:
        return _answer(404, {"error": f"Unknown endpoint; use {', '.join(PREFIX + name for name in _ENDPOINTS)}."})
    if method not in ("GET", "HEAD", "POST"):  # RFC 9110, 9.1: a server supports GET and HEAD
        status, headers, text = _answer(405, {"error": "Use GET or POST."})
        return status, {**headers, "Allow": "GET, HEAD, POST"}, text  # RFC 9110, 15.5.6
    if method != "POST":
        method, body = "GET", b""  # GET and HEAD read; whatever they carry is ignored
    if body is None:
        return _error("The request body could not be read.")
    if len(body) > MAX_BODY:
        return _error(f"The request body is over {MAX_BODY // 1024} KiB; send a small JSON object.")
    with LOCK:
        return endpoint(method, body)
