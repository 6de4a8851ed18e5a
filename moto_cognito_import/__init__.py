"""Amazon Cognito user import jobs for moto: ``import moto_cognito_import`` and use ``mock_aws``."""

from ._install import MotoCognitoImportWarning, install
from .exceptions import (
    CognitoImportError,
    InvalidParameterException,
    LimitExceededException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    PreconditionNotMetException,
    ResourceNotFoundException,
    UserImportInProgressException,
)
from .settings import CHECK_ROLE_ENV, STATE_MODEL

__version__ = "0.1.0"

__all__ = [
    "CHECK_ROLE_ENV",
    "STATE_MODEL",
    "CognitoImportError",
    "InvalidParameterException",
    "LimitExceededException",
    "MotoCognitoImportWarning",
    "NotAuthorizedException",
    "PasswordResetRequiredException",
    "PreconditionNotMetException",
    "ResourceNotFoundException",
    "UserImportInProgressException",
    "install",
]

install()
