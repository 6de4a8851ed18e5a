"""``/moto-api/cognito-import/...``: controls for server-mode users, where freezegun can't reach.

- ``GET  /moto-api/cognito-import/clock`` -> ``{"now": ..., "offset_seconds": ...}``
- ``POST /moto-api/cognito-import/clock`` with ``{"advance_seconds": N}`` moves the plugin's
  clock (job expiry, upload-URL expiry, job timestamps) N seconds forward; a negative N moves
  it back. ``POST /moto-api/reset`` restores it.
"""

from __future__ import annotations

import json
import math
from typing import Any

from moto.core.common_types import TYPE_RESPONSE

from . import clock
from .models import LOCK

CLOCK_PATH = "{0}/moto-api/cognito-import/clock$"
_JSON = {"Content-Type": "application/json"}


def _error(message: str) -> TYPE_RESPONSE:
    return 400, _JSON, json.dumps({"error": message})


def _request_body(request: Any) -> bytes:
    body = getattr(request, "body", None)
    if body is None and hasattr(request, "get_data"):
        body = request.get_data()
    if isinstance(body, str):
        body = body.encode("utf-8")
    return body or b""


def clock_response(request: Any, full_url: str, headers: Any) -> TYPE_RESPONSE:
    """Read (GET) or advance (POST) the plugin's clock."""
    method = request.method.upper()
    with LOCK:
        if method == "POST":
            try:
                seconds = json.loads(_request_body(request) or b"{}")["advance_seconds"]
            except (ValueError, KeyError, TypeError):
                return _error('Send a JSON object like {"advance_seconds": 3600}.')
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
                return _error("advance_seconds must be a number of seconds.")
            try:
                clock.advance(seconds)
            except OverflowError:
                return _error("advance_seconds moves the clock out of range.")
        elif method != "GET":
            return 405, _JSON, json.dumps({"error": "Use GET or POST."})
        return 200, _JSON, json.dumps(
            {"now": clock.now().isoformat() + "Z", "offset_seconds": clock.offset().total_seconds()}
        )
