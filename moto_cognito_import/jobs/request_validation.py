"""Reading and validating the six operations' request bodies, as AWS JSON 1.1 services do.

Two steps, as on AWS's servers (AWS JSON 1.1, "Coral"): first the body is deserialized into
the operation's input shape; what cannot be (not JSON, not an object, a member of the wrong
kind) is a protocol-level ``SerializationException`` with Coral's wording (captures from
Cognito: amplify-js#5165 "Start of structure or map found where not expected.", #4738; the
other texts from raw probes of Athena and EventBridge Scheduler, same stack; see
``_SERIALIZATION``). Unknown members and nulls are ignored, as those probes show. Then the
members are validated against the model's constraints: patterns, lengths and ranges that
botocore does not check on the client, reported as InvalidParameterException in AWS's
validation wording. Constraints are botocore's cognito-idp model (2016-04-18); patterns must
match the whole value, with ASCII ``\\w``/``\\s`` as in Java's default regex dialect.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, DecimalException
from typing import Any

from ..exceptions import InvalidParameterException, SerializationException
from ..identifiers import JOB_ID_PATTERN, USER_POOL_ID_PATTERN
from ..password_hashes import ALGORITHMS

#: An Integer shape is a Java ``int`` on Coral. A number outside it stays a decimal, only to
#: fail its range check: as an ``int``, ``1e999999999`` would not fit in memory.
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


def _refuse_constant(name: str) -> Any:
    """``json.loads`` hook for NaN and Infinity, which are not JSON (RFC 8259) and which
    Coral's parser refuses as a non-standard token."""
    raise ValueError(name)


class _Fraction(Decimal):
    """A JSON number written with a fraction or an exponent: Coral's ``DECIMAL_VALUE`` token,
    which it names apart from an integer's ``NUMBER_VALUE`` (DynamoDB's answers, same stack,
    recorded in architect/dynalite: ``34.56`` "DECIMAL_VALUE cannot be converted to String")."""


#: A number no decimal holds: its adjusted exponent is beyond ±10^18 (Java's BigDecimal,
#: Coral's, holds fewer). No member takes it (``_Member.deserialize``); only its mark.
_UNREADABLE = _Fraction("Infinity")


def _integer(literal: str) -> int | Decimal:
    """``json.loads`` hook for an integer: an ``int`` while it is short (small ones are shared;
    a Decimal for each of a megabyte of ``1,`` cost 57 MB), a Decimal beyond, as Python's
    ``int`` refuses a literal of over 4,300 digits."""
    return int(literal) if len(literal) <= 18 else Decimal(literal)


def _fraction(literal: str) -> _Fraction:
    """``json.loads`` hook for a number with a fraction or an exponent: ``_UNREADABLE`` for
    one no decimal holds, which must not refuse a body where a member nobody reads has it."""
    try:
        return _Fraction(literal)
    except DecimalException:
        return _UNREADABLE


class _Object(dict[str, Any]):
    """A JSON object that remembers the values of a member given more than once: Coral reads a
    body as a stream, so each occurrence is deserialized (a wrong kind is refused wherever it
    stands) and the last one stays, as ``json.loads`` keeps it. Only an object with a repeated
    member is one (``_object``)."""

    earlier: dict[str, list[Any]]

    def __init__(self, pairs: list[tuple[str, Any]]):
        super().__init__(pairs)
        every: dict[str, list[Any]] = {}
        for name, value in pairs:
            every.setdefault(name, []).append(value)
        self.earlier = {name: values[:-1] for name, values in every.items() if len(values) > 1}


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as ``json.loads`` builds it: a plain dict unless a member is repeated.
    An ``_Object`` for each of a megabyte of ``{}`` in an unknown member cost 160 MB and
    1.4 s."""
    plain = dict(pairs)
    return plain if len(plain) == len(pairs) else _Object(pairs)


@dataclass(frozen=True)
class _Member:
    """One request member's constraints, as botocore's service model states them."""

    kind: str  # "string" | "integer"
    pattern: str | None = None
    min: int | None = None
    max: int | None = None
    enum: tuple[str, ...] | None = None

    def deserialize(self, value: Any) -> Any:
        """The member's value as its shape's type; raises SerializationException for a JSON
        value of another kind. Coral truncates a fraction given for an integer."""
        target = "an Integer" if self.kind == "integer" else "a String"
        if isinstance(value, dict):
            raise SerializationException("Start of structure or map found where not expected.")
        if isinstance(value, list):
            raise SerializationException("Start of list found where not expected")
        if isinstance(value, bool):
            raise SerializationException(f"{str(value).upper()}_VALUE can not be converted to {target}")
        if self.kind == "string":
            if not isinstance(value, str):
                token = "DECIMAL_VALUE" if isinstance(value, _Fraction) else "NUMBER_VALUE"
                raise SerializationException(f"{token} can not be converted to {target}")
            return value
        if isinstance(value, str):
            raise SerializationException(f"STRING_VALUE can not be converted to {target}")
        if value is _UNREADABLE:
            raise SerializationException(f"NUMBER_VALUE can not be converted to {target}")
        # A number beyond a Java int is read and then fails its range check, as Coral does
        # (Athena, same stack, answers MaxResults 99999999999 with "Member must have value
        # less than or equal to 50": aoyagikouhei/athena-local tests/request.rs).
        number = value if isinstance(value, int) else value.to_integral_value(rounding=ROUND_DOWN)
        return int(number) if _INT_MIN <= number <= _INT_MAX else number

    def problems(self, value: Any) -> list[str]:
        """Return the constraint texts ``value`` (deserialized) breaks; empty when valid."""
        found = []
        if self.kind == "integer":
            if self.min is not None and value < self.min:
                found.append(f"Member must have value greater than or equal to {self.min}")
            if self.max is not None and value > self.max:
                found.append(f"Member must have value less than or equal to {self.max}")
            return found
        if self.enum is not None and value not in self.enum:
            found.append(f"Member must satisfy enum value set: [{', '.join(self.enum)}]")
        if self.min is not None and len(value) < self.min:
            found.append(f"Member must have length greater than or equal to {self.min}")
        if self.max is not None and len(value) > self.max:
            found.append(f"Member must have length less than or equal to {self.max}")
        if self.pattern is not None and not re.fullmatch(self.pattern, value, re.ASCII):
            found.append(f"Member must satisfy regular expression pattern: {self.pattern}")
        return found


_MEMBERS = {
    "UserPoolId": _Member("string", USER_POOL_ID_PATTERN, 1, 55),
    "JobId": _Member("string", JOB_ID_PATTERN, 1, 55),
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
    "PasswordHashingAlgorithm": _Member("string", enum=ALGORITHMS),
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
#: The six operations' names, as their X-Amz-Target spells them.
OPERATIONS = tuple(_OPERATIONS)


def _lower_camel(member: str) -> str:
    return member[0].lower() + member[1:]


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _document(body: bytes | str) -> dict[str, Any]:
    """The body as a JSON object. Raises SerializationException for anything else: Coral
    gives no message for a body that is not JSON or a scalar, and names a list."""
    try:
        # Strictly UTF-8 (json.loads would guess UTF-16/32 from bytes); nesting deeper than
        # Python's recursion limit raises RecursionError. An empty body is not JSON either:
        # Athena (same stack) answers it with a bare SerializationException
        # (aoyagikouhei/athena-local tests/request.rs); every SDK sends ``{}`` for no members.
        # Numbers are read whatever their size (``_integer``, ``_fraction``): Python's ``int``
        # refuses a literal of over 4,300 digits, which would refuse a whole body, even for a
        # member nobody reads.
        text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
        document = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_integer,
            parse_float=_fraction,
            object_pairs_hook=_object,
        )
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise SerializationException(None) from None
    if isinstance(document, list):
        raise SerializationException("Start of list found where not expected")
    if not isinstance(document, dict):
        raise SerializationException(None)
    return document


def parse_request(operation: str, body: bytes | str) -> dict[str, Any]:
    """Deserialize and validate one request body; return its members (deserialized).

    Raises SerializationException for a body that is not a JSON object or a member of the
    wrong kind (before any constraint is checked, as Coral does), and
    InvalidParameterException listing every broken constraint the way AWS does
    (``N validation error(s) detected: ...; ...``): missing required members, patterns,
    lengths and ranges. ``body`` is bytes for the six actions (``moto_glue.dispatch``), so
    that a body in another encoding is a client error, not moto's UnicodeDecodeError.
    """
    required, optional = _OPERATIONS[operation]
    document = _document(body)
    earlier = document.earlier if isinstance(document, _Object) else {}
    for name in required + optional:
        for value in earlier.get(name, ()):
            if value is not None:
                _MEMBERS[name].deserialize(value)
    params = {
        name: _MEMBERS[name].deserialize(document[name])
        for name in required + optional
        if document.get(name) is not None
    }
    errors = []
    for name in required + optional:
        member = _MEMBERS[name]
        # An Integer member left out (or null) is a Java int on Coral: 0, then validated as 0.
        # Cognito answers "Value '0' at 'maxResults' ... greater than or equal to 1" for a list
        # call without MaxResults (aws-sdk-js-v3#2335, aws-cli#3866, aws-cli#5843).
        value = params.get(name, 0 if member.kind == "integer" else None)
        if value is None:
            if name in required:
                errors.append(
                    f"Value null at '{_lower_camel(name)}' failed to satisfy constraint: "
                    "Member must not be null"
                )
            continue
        for problem in member.problems(value):
            errors.append(
                f"Value '{_shown(value)}' at '{_lower_camel(name)}' failed to satisfy "
                f"constraint: {problem}"
            )
    if errors:
        noun = "error" if len(errors) == 1 else "errors"
        raise InvalidParameterException(
            f"{len(errors)} validation {noun} detected: " + "; ".join(errors)
        )
    return params
