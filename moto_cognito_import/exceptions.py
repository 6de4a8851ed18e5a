"""Errors the import-job fake answers with: one class per AWS error code, named as the code.

They are moto's ``JsonRESTError``, as moto's own cognito-idp errors are: moto's dispatcher
answers them with their status and a ``{"__type": ..., "message": ...}`` body, which is what
Cognito sends, and boto3 raises ``client.exceptions.<Name>``. (moto's newer
``ServiceException`` is serialised from botocore's model, found by the class's module name,
and adds a duplicate ``Message``.) Each class lives in this module and pickles, so errors
cross pytest-xdist and multiprocessing boundaries.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from moto.cognitoidp import exceptions as moto_exceptions
from moto.core.exceptions import JsonRESTError

#: The Content-Type of every AWS JSON 1.1 answer, errors included.
AMZ_JSON = "application/x-amz-json-1.1"


class CognitoImportError(JsonRESTError):
    """Base class for every API error raised by moto_cognito_import; the class name is the
    AWS error code."""

    status: ClassVar[int] = 400

    def __init__(self, message: str):
        # JsonRESTError's, by name: a class that is also moto's (AliasExistsException) has
        # moto's argument-less __init__ next in line.
        JsonRESTError.__init__(self, type(self).__name__, message)
        self.code = self.status
        self.content_type = AMZ_JSON

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.message,)

    def __str__(self) -> str:
        return f"{self.error_type}: {self.message}"


class ProtocolError(CognitoImportError):
    """An error of AWS JSON 1.1 itself ("Coral"), not of the service's model: any operation
    may answer one.

    Coral often sends no message (li-xl/nuscenes-download#9
    ``{"__type":"SerializationException"}``). When it does, captures show it under a capital
    ``Message`` (amplify-js#4738 ``"Message":"Expected map or null"``), but the project's
    reference and issue 13 ask for one error body shape, lower-case ``message`` as moto's own
    cognito-idp errors send, and every SDK reads either spelling (botocore, the JS SDK).
    """

    def __init__(self, message: str | None = None):
        super().__init__(message or "")
        body: dict[str, str] = {"__type": self.error_type}
        if message:
            body["message"] = message
        self.description = json.dumps(body)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.message or None,)


class SerializationException(ProtocolError):
    """Raised when a request body cannot be read as the operation's input (not JSON, not an
    object, or a member of the wrong kind)."""


class UnknownOperationException(ProtocolError):
    """Raised when ``X-Amz-Target`` does not name an operation exactly: JSON 1.1 targets are
    case-sensitive (``AWSCognitoIdentityProviderService.DescribeUserImportJob``), and Coral
    answers any other with HTTP 400 ``UnknownOperationException`` (aws/aws-sdk-net#1536
    shows the body a real JSON 1.1 service sends) and runs nothing. moto maps a mis-cased
    name to the method anyway."""


class InvalidSignatureException(CognitoImportError):
    """Raised when the request is signed for a region the service is not in (``NOT_A_REGION``)
    or for another service (``jobs.request_signature``): AWS's signature check answers
    before any operation runs. Like the protocol's errors,
    any operation may answer it; moto's own operations fail there with an HTML 500."""


class IncompleteSignatureException(CognitoImportError):
    """Raised when a request's ``Authorization`` header is not a complete SigV4 header: AWS
    reads its shape before any operation runs (``jobs.request_signature``)."""


#: InvalidSignatureException's message for a credential scoped to a region the service is not
#: in (aws/aws-sdk-java#1097, aws/aws-sdk-ruby#508; the trailing space is AWS's).
NOT_A_REGION = "Credential should be scoped to a valid region, not '{}'. "


class InvalidParameterException(CognitoImportError):
    """Raised when a request member breaks a model constraint (pattern, length, range)."""


class ResourceNotFoundException(CognitoImportError):
    """Raised when the user pool or the import job does not exist."""


class PreconditionNotMetException(CognitoImportError):
    """Raised when a job cannot be started or stopped in its current state."""


class LimitExceededException(CognitoImportError):
    """Raised when a pool already holds the maximum number of import jobs."""


class UserImportInProgressException(CognitoImportError):
    """Raised when a pool is modified while one of its import jobs is running."""


class AliasExistsException(CognitoImportError, moto_exceptions.AliasExistsException):
    """Raised when an attribute update would give a user a sign-in alias another user holds
    and cannot give up (``sign_in.usernames``). moto's own class, which code that catches moto's
    errors catches this by, says only "email"."""


class UnsupportedUserStateException(CognitoImportError):
    """Raised when AdminCreateUser's RESEND names an imported user who is not
    FORCE_CHANGE_PASSWORD: there is no invitation to send again."""


class InternalErrorException(CognitoImportError):
    """Raised when Cognito fails on its own state, not the request's (HTTP 500, "Internal
    server error." as aws-amplify/aws-sdk-android#2022 shows it)."""

    status = 500


class PasswordResetRequiredException(CognitoImportError):
    """Raised when an imported RESET_REQUIRED user tries to sign in."""


class NotAuthorizedException(CognitoImportError):
    """Raised when a password does not match an imported password hash."""
