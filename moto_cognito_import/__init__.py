"""Amazon Cognito user import jobs for moto.

``import moto_cognito_import`` activates the plugin (then use ``mock_aws``, fixtures or
moto's server as usual); ``deactivate()`` undoes every change to moto, ``activate()`` makes
them again, and ``with activated(): ...`` does both around a block.
"""

from __future__ import annotations

import logging

from .compatibility import IncompatibleMotoError, moto_imports

# moto's names the modules import at their top: one a moto release moved is named, with moto's
# version, in IncompatibleMotoError (the patch table checks the rest at activation).
with moto_imports():
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
    from .moto_glue.holds import activated
    from .moto_glue.patches import MotoCognitoImportWarning, activate, deactivate, is_active
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


activate()
