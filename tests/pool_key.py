"""moto's user-pool signing key parsed once per process: in the test process (conftest) and in
the server subprocess the tests start (``server_process.py``).

moto parses the same private JWK (its ``jwks-private.json``) for every user pool it creates:
0.13 s of RSA prime recovery each time, a third of this suite's CPU. Every pool still gets that
key, the same object each time; nothing else changes.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest


@contextlib.contextmanager
def parsed_once() -> Iterator[None]:
    """``RSAKey.import_key`` remembers what it parsed from a dict, inside; moto's as before after."""
    from joserfc.jwk import RSAKey

    own, parse = vars(RSAKey)["import_key"], RSAKey.import_key
    parsed: dict[str, RSAKey] = {}

    def import_key(cls: type[RSAKey], value: Any, *args: Any, **kwargs: Any) -> RSAKey:
        if not isinstance(value, dict) or args or kwargs:
            return parse(value, *args, **kwargs)
        text = json.dumps(value, sort_keys=True)
        if text not in parsed:
            parsed[text] = parse(value)
        return parsed[text]

    RSAKey.import_key = classmethod(import_key)  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        RSAKey.import_key = own  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def moto_s_pool_key_parsed_once() -> Iterator[None]:
    """``parsed_once`` for a test session (this suite's conftest and moto's suite, run.py,
    import it); undone after the session."""
    with parsed_once():
        yield
