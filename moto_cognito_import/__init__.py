"""Amazon Cognito user import jobs for moto.

``import moto_cognito_import`` activates the plugin (then use ``mock_aws``, fixtures or
moto's server as usual); ``deactivate()`` undoes every change to moto, ``activate()`` makes
them again, and ``with activated(): ...`` does both around a block.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .exceptions import (
    CognitoImportError,
    IncompleteSignatureException,
    InternalErrorException,
    InvalidParameterException,
    InvalidSignatureException,
    LimitExceededException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    PreconditionNotMetException,
    ResourceNotFoundException,
    SerializationException,
    UnknownOperationException,
    UnsupportedUserStateException,
    UserImportInProgressException,
)
from .moto_glue import patches
from .moto_glue.patches import IncompatibleMotoError, MotoCognitoImportWarning, activate, deactivate, is_active
from .settings import CHECK_ROLE_ENV, SIGN_IN_RULES_ENV, STATE_MODEL

__version__ = "0.2.0"

# A library's records go where the application sends them; without this, Python's last-resort
# handler printed a failed job's WARNING on stderr of any script that configures no logging.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "CHECK_ROLE_ENV",
    "SIGN_IN_RULES_ENV",
    "STATE_MODEL",
    "CognitoImportError",
    "IncompatibleMotoError",
    "IncompleteSignatureException",
    "InternalErrorException",
    "InvalidParameterException",
    "InvalidSignatureException",
    "LimitExceededException",
    "MotoCognitoImportWarning",
    "NotAuthorizedException",
    "PasswordResetRequiredException",
    "PreconditionNotMetException",
    "ResourceNotFoundException",
    "SerializationException",
    "UnknownOperationException",
    "UnsupportedUserStateException",
    "UserImportInProgressException",
    "__version__",
    "activate",
    "activated",
    "deactivate",
    "is_active",
]


# How many ``activated()`` blocks are running, and whether the plugin was active before the
# first of them began. A count, not each block's own memory: blocks in two threads need not
# end in the order they began, and the first to end turned the plugin off under the other.
_blocks = 0
_active_before_blocks = False
_blocks_lock = threading.Lock()


@contextmanager
def activated() -> Iterator[None]:
    """Active while any ``activated()`` block runs (nested, or in several threads); after the
    last one, as it was before the first (deactivated only if the blocks activated it). The
    blocks say no word to the pytest plugin's fixtures (``patches.last_word``)."""
    global _blocks, _active_before_blocks
    with _blocks_lock:
        if _blocks == 0:
            _active_before_blocks = is_active()
        patches.switch_on()
        _blocks += 1
    try:
        yield
    finally:
        with _blocks_lock:
            _blocks -= 1
            if _blocks == 0 and not _active_before_blocks:
                patches.switch_off()


activate()
