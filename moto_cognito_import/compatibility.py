"""How the package says the installed moto is not one it can work with.

The patch table checks, at activation, every moto attribute it replaces or calls; but the
package also imports moto's names at module level (its backends, exception base, state
model), and a moto release that moved one of them failed ``import moto_cognito_import`` with
Python's bare ImportError, which names neither moto's version nor this package. This module
imports nothing of moto, so the package's ``__init__`` can use it around those imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version


class IncompatibleMotoError(RuntimeError):
    """Raised when the installed moto lacks something the package relies on: at activation
    (a patched attribute, a parameter a wrapper reads) or at import (a name of moto's)."""


def incompatible(problems: str) -> IncompatibleMotoError:
    """The error for ``problems`` (what is missing), naming the installed moto's version."""
    return IncompatibleMotoError(f"moto_cognito_import cannot activate on moto {version('moto')}: {problems}.")


@contextmanager
def moto_imports() -> Iterator[None]:
    """Around imports of the package's modules: an ImportError of a moto module or name is
    IncompatibleMotoError. Any other (moto missing altogether, a third-party module moto
    needs) is left as Python raised it: the installer's business, not a moto release's."""
    try:
        yield
    except ImportError as error:
        name = error.name or ""
        if not name.startswith("moto."):
            raise
        raise incompatible(str(error).rstrip(".")) from error
