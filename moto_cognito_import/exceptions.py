"""Errors raised by the import-job fake: one class per AWS error code, named as the code.

They subclass moto's ``ServiceException`` so moto serialises them from botocore's model and
boto3 raises ``client.exceptions.<Name>``.
"""

from moto.core.exceptions import ServiceException


class CognitoImportError(ServiceException):
    """Base class for every API error raised by moto_cognito_import."""

    def __init_subclass__(cls) -> None:
        # moto finds an error's botocore model from the first two components of its class's
        # module ("moto.<service>..."); a name starting "moto_" is misread as service
        # "exceptions". These errors are cognito-idp's, so say so.
        super().__init_subclass__()
        cls.__module__ = "moto.cognitoidp.exceptions"


class InvalidParameterException(CognitoImportError):
    """Raised when a request member breaks a model constraint (pattern, length, range, type)."""

    code = "InvalidParameterException"


class ResourceNotFoundException(CognitoImportError):
    """Raised when the user pool or the import job does not exist."""

    code = "ResourceNotFoundException"


class PreconditionNotMetException(CognitoImportError):
    """Raised when a job cannot be started or stopped in its current state."""

    code = "PreconditionNotMetException"


class LimitExceededException(CognitoImportError):
    """Raised when a pool already holds the maximum number of import jobs."""

    code = "LimitExceededException"


class UserImportInProgressException(CognitoImportError):
    """Raised when a pool is modified while one of its import jobs is running."""

    code = "UserImportInProgressException"


class PasswordResetRequiredException(CognitoImportError):
    """Raised when an imported RESET_REQUIRED user tries to sign in."""

    code = "PasswordResetRequiredException"


class NotAuthorizedException(CognitoImportError):
    """Raised when a password does not match an imported password hash."""

    code = "NotAuthorizedException"
