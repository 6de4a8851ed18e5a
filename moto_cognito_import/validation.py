"""Server-side validation of the six operations' request members, in AWS's wording.

botocore only checks required members, string minimum lengths and integer minimums on the
client; patterns, maximum lengths and ``MaxResults > 60`` reach the server, and raw HTTP
clients can send anything at all. Constraints are copied from botocore's cognito-idp model
(2016-04-18); patterns must match the whole value, with ASCII ``\\w``/``\\s`` as in Java's
default regex dialect that AWS services use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .exceptions import InvalidParameterException

PASSWORD_HASHING_ALGORITHMS = ("BCRYPT", "SCRYPT", "ARGON2ID", "PBKDF2_SHA256")


@dataclass(frozen=True)
class _Member:
    """One request member's constraints, as botocore's service model states them."""

    kind: str  # "string" | "integer"
    pattern: str | None = None
    min: int | None = None
    max: int | None = None
    enum: tuple[str, ...] | None = None

    def problems(self, value: Any) -> list[str]:
        """Return the constraint texts ``value`` breaks (empty when it is valid)."""
        if self.kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                return ["Member must be an integer"]
            found = []
            if self.min is not None and value < self.min:
                found.append(f"Member must have value greater than or equal to {self.min}")
            if self.max is not None and value > self.max:
                found.append(f"Member must have value less than or equal to {self.max}")
            return found
        if not isinstance(value, str):
            return ["Member must be a string"]
        found = []
        if self.enum is not None and value not in self.enum:
            found.append(f"Member must satisfy enum value set: [{', '.join(self.enum)}]")
        if self.min is not None and len(value) < self.min:
            found.append(f"Member must have length greater than or equal to {self.min}")
        if self.max is not None and len(value) > self.max:
            found.append(f"Member must have length less than or equal to {self.max}")
        if self.pattern is not None and not re.fullmatch(self.pattern, value, re.ASCII):
            found.append(f"Member must satisfy regular expression pattern: {self.pattern}")
        return found


#: The model's patterns for the ids (also in the upload URL's path, upload._KEY).
USER_POOL_ID_PATTERN = r"[\w-]+_[0-9a-zA-Z]+"
JOB_ID_PATTERN = r"import-[0-9a-zA-Z-]+"
_USER_POOL_ID = _Member("string", USER_POOL_ID_PATTERN, 1, 55)
_JOB_ID = _Member("string", JOB_ID_PATTERN, 1, 55)
_MEMBERS = {
    "UserPoolId": _USER_POOL_ID,
    "JobId": _JOB_ID,
    "JobName": _Member("string", r"[\w\s+=,.@-]+", 1, 128),
    "CloudWatchLogsRoleArn": _Member(
        "string",
        r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+"
        r"(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?",
        20,
        2048,
    ),
    "PaginationToken": _Member("string", r"[\S]+", 1),
    "MaxResults": _Member("integer", min=1, max=60),
    # botocore 1.44+ only; accepted whenever a client sends it.
    "PasswordHashingAlgorithm": _Member("string", enum=PASSWORD_HASHING_ALGORITHMS),
}

# (required, optional) members per operation, in botocore's member order.
_OPERATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "CreateUserImportJob": (
        ("JobName", "UserPoolId", "CloudWatchLogsRoleArn"),
        ("PasswordHashingAlgorithm",),
    ),
    "DescribeUserImportJob": (("UserPoolId", "JobId"), ()),
    "ListUserImportJobs": (("UserPoolId", "MaxResults"), ("PaginationToken",)),
    "StartUserImportJob": (("UserPoolId", "JobId"), ()),
    "StopUserImportJob": (("UserPoolId", "JobId"), ()),
    "GetCSVHeader": (("UserPoolId",), ()),
}


def _lower_camel(member: str) -> str:
    return member[0].lower() + member[1:]


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def parse_request(operation: str, body: bytes | str) -> dict[str, Any]:
    """Decode and validate one request body; return its members.

    Raises InvalidParameterException, listing every broken constraint the way AWS does
    (``N validation error(s) detected: ...; ...``), for a body that is not UTF-8 JSON or not
    a JSON object, unknown members, missing required members, wrong types, patterns, lengths
    and ranges. ``body`` is bytes for the six actions (see ``_install``), so that a body in
    another encoding is a client error, not moto's UnicodeDecodeError.
    """
    required, optional = _OPERATIONS[operation]
    try:
        # Strictly UTF-8 (json.loads would guess UTF-16/32 from bytes); nesting deeper than
        # Python's recursion limit raises RecursionError, which is a client error too.
        text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
        params = json.loads(text or "{}")
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise InvalidParameterException("The request body is not valid JSON.")
    if not isinstance(params, dict):
        raise InvalidParameterException("The request body must be a JSON object.")
    unknown = [name for name in params if name not in required + optional]
    if unknown:
        raise InvalidParameterException(
            f'Unknown parameter in input: "{unknown[0]}", must be one of: '
            + ", ".join(required + optional)
        )
    errors = []
    for name in required + optional:
        value = params.get(name)
        if value is None:
            if name in required:
                errors.append(
                    f"Value null at '{_lower_camel(name)}' failed to satisfy constraint: "
                    "Member must not be null"
                )
            continue
        for problem in _MEMBERS[name].problems(value):
            errors.append(
                f"Value '{_shown(value)}' at '{_lower_camel(name)}' failed to satisfy "
                f"constraint: {problem}"
            )
    if errors:
        noun = "error" if len(errors) == 1 else "errors"
        raise InvalidParameterException(
            f"{len(errors)} validation {noun} detected: " + "; ".join(errors)
        )
    return {name: params[name] for name in required + optional if name in params}
