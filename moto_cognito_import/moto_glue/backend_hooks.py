"""Rules that run before or after one of moto's ``CognitoIdpBackend`` methods.

The sign-in rules (``sign_in``) and the pool-change guard wrap moto's backend the same way:
they find moto's arguments by name (``inspect.signature``), so they keep working however moto
calls its own backend, as long as the parameter names stay (``patches`` checks them when it
activates).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend

from ..lock import LOCK

Method = Callable[..., Any]
Arguments = dict[str, Any]  # a backend call's arguments by name, "self" included
Rule = Callable[[CognitoIdpBackend, Arguments], None]
Answer = Callable[[CognitoIdpBackend, Arguments, Any], Any]


def hook(
    before: Rule | None = None,
    after: Rule | None = None,
    *,
    answer: Answer | None = None,
    failed: Rule | None = None,
    locked: bool = False,
) -> Callable[[Method], Method]:
    """Return a wrapper for a ``CognitoIdpBackend`` method: ``before(backend, call)`` runs ahead
    of moto's code (and may raise, or change an argument in ``call``), ``after`` once moto's
    code succeeded, ``answer(backend, call, result)`` returns what the call answers instead
    of moto's ``result`` (or raises), and ``failed`` runs when moto's code, ``after`` or
    ``answer`` raised, before the error goes on (to undo what moto changed before it refused);
    ``call`` names moto's arguments, however moto passed them. ``before`` may leave a note for
    the others in ``call`` under a name that is none of moto's parameters (``BoundArguments``
    passes moto only its parameters).

    ``locked`` runs the rules and moto's code as one step under the plugin's lock, for a check
    whose answer must still hold when moto acts, or a change that must land together with
    moto's (HTTP calls hold the lock already, ``dispatch.serialised``; direct backend calls
    don't). The sign-in rules take the lock themselves around their reads and writes only.
    """

    def wrap(original: Method) -> Method:
        signature = inspect.signature(original)

        @functools.wraps(original)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            call = bound.arguments
            with LOCK if locked else contextlib.nullcontext():
                if before is not None:
                    before(call["self"], call)
                try:
                    result = original(*bound.args, **bound.kwargs)
                    if after is not None:
                        after(call["self"], call)
                    if answer is not None:
                        result = answer(call["self"], call, result)
                except BaseException:
                    if failed is not None:
                        failed(call["self"], call)
                    raise
            return result

        return wrapped

    return wrap
