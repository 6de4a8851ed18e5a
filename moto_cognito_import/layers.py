"""The plugin's own wrappers around moto's functions, known by identity.

Code that looks through wrappers to moto's function (``bulk_users`` reading the constructor
it mirrors) looks through these and stops at anybody else's. By identity, not by a marker
attribute: ``functools.wraps`` copies a function's attributes to anybody's wrapper of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakSet

F = TypeVar("F", bound=Callable[..., Any])

# Kept through ``importlib.reload`` of this module, like ``patches``' state.
_LAYERS: WeakSet[Callable[..., Any]] = globals().get("_LAYERS") or WeakSet()


def mark(function: F) -> F:
    """Record ``function`` as one of the plugin's wrappers; return it."""
    _LAYERS.add(function)
    return function


def ours(function: Callable[..., Any]) -> bool:
    """Whether ``function`` is one of the plugin's wrappers."""
    return function in _LAYERS
