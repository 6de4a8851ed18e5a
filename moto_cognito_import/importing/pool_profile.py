"""What the CSV rules need to know about a user pool, built from DescribeUserPool's JSON.

Both the import job (from moto's pool, ``PoolProfile.of_moto_pool``) and the offline
checker (from ``aws cognito-idp describe-user-pool`` output) build a ``PoolProfile`` the same
way, so the two can never judge a row differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Standard attributes in GetCSVHeader order (Cognito API reference, GetCSVHeader): every real
# pool has all of them, whatever Schema it was created with; ``sub`` is never a CSV column.
STANDARD_ATTRIBUTES: dict[str, str] = {
    "name": "String",
    "given_name": "String",
    "family_name": "String",
    "middle_name": "String",
    "nickname": "String",
    "preferred_username": "String",
    "profile": "String",
    "picture": "String",
    "website": "String",
    "email": "String",
    "email_verified": "Boolean",
    "gender": "String",
    "birthdate": "String",
    "zoneinfo": "String",
    "locale": "String",
    "phone_number": "String",
    "phone_number_verified": "Boolean",
    "address": "String",
    "updated_at": "Number",
}
#: AttributeType.Value's maximum length in the service model: every attribute's value.
MAX_VALUE_CHARS = 2048
_NOT_COLUMNS = ("sub", "identities")  # in the schema, never in the CSV
PASSWORDLESS_FACTORS = {"EMAIL_OTP": "email", "SMS_OTP": "phone_number"}


class PoolDescriptionError(ValueError):
    """Raised when a JSON document is not a DescribeUserPool ``UserPool`` description."""


@dataclass(frozen=True)
class AttributeSpec:
    """One schema attribute: its CSV column name, type, requiredness and constraints."""

    name: str
    data_type: str = "String"
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None


_DATA_TYPES = ("String", "Number", "DateTime", "Boolean")


def _int_or_none(value: Any, what: str) -> int | None:
    """A constraint's integer (DescribeUserPool writes them as strings), read as moto reads
    it when it stores a pool (``int()``); ValueError naming ``what`` for anything ``int()``
    refuses, not Python's own words."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # a list, "many", infinity
        raise ValueError(f"{what} is not an integer") from None


def _spec_from_schema(entry: dict[str, Any]) -> AttributeSpec:
    name = entry["Name"]
    if name not in STANDARD_ATTRIBUTES and not name.startswith(("custom:", "dev:custom:")):
        # DescribeUserPool lists custom attributes with their prefix; CreateUserPool's input
        # (and some hand-written JSON) gives the bare name.
        prefix = "dev:custom:" if entry.get("DeveloperOnlyAttribute") else "custom:"
        name = prefix + name
    data_type = entry.get("AttributeDataType") or STANDARD_ATTRIBUTES.get(name, "String")
    if data_type not in _DATA_TYPES:  # the model's AttributeDataType enum
        raise ValueError(f"{name}'s AttributeDataType {data_type!r} is not one of {', '.join(_DATA_TYPES)}")
    if entry.get("Required") is not None and not isinstance(entry["Required"], bool):  # "false" read as required
        raise TypeError(f"{name}'s Required is not a boolean")
    strings, numbers = (entry.get(f"{kind}AttributeConstraints") or {} for kind in ("String", "Number"))
    if not isinstance(strings, Mapping) or not isinstance(numbers, Mapping):
        raise TypeError(f"{name}'s constraints are not an object")
    max_length = _int_or_none(strings.get("MaxLength"), f"{name}'s MaxLength")
    if max_length is None and data_type in ("String", "DateTime"):  # any value: AttributeValueType's max
        max_length = MAX_VALUE_CHARS
    return AttributeSpec(
        name=name,
        data_type=data_type,
        required=bool(entry.get("Required", False)),
        min_length=_int_or_none(strings.get("MinLength"), f"{name}'s MinLength"),
        max_length=max_length,
        min_value=_int_or_none(numbers.get("MinValue"), f"{name}'s MinValue"),
        max_value=_int_or_none(numbers.get("MaxValue"), f"{name}'s MaxValue"),
    )


def _object(document: Mapping[str, Any], key: str, path: str = "") -> Mapping[str, Any]:
    """``document[key]``, a JSON object ({} when absent); PoolDescriptionError when it is not one."""
    value = document.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise PoolDescriptionError(f"The pool description's {path}{key} is not an object.")
    return value


def _strings(document: Mapping[str, Any], key: str, path: str = "") -> tuple[str, ...]:
    """``document[key]``, a list of strings (() when absent); PoolDescriptionError when it is not one."""
    value = document.get(key)
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise PoolDescriptionError(f"The pool description's {path}{key} is not a list of strings.")
    return tuple(value)


def _string(document: Mapping[str, Any], key: str, default: str) -> str:
    """``document[key]``, a string (``default`` when absent or empty); PoolDescriptionError when
    it is not one."""
    value = document.get(key)
    if value is not None and not isinstance(value, str):
        raise PoolDescriptionError(f"The pool description's {key} is not a string.")
    return value or default


def configured(config: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """A list setting of moto's ``pool.extended_config`` (AliasAttributes, UsernameAttributes,
    AutoVerifiedAttributes): its strings; () when it is absent or no list of strings. moto
    stores what a raw request sent (AWS refuses anything else: SerializationException), and the
    plugin reads these settings where moto alone does not: what it cannot read counts as
    absent, a list with a number in it too (the import's own reader, ``_strings``, fails on it,
    so StartUserImportJob must not start a job on it)."""
    value = config.get(key)
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        return ()
    return tuple(value)


def usernames_case_sensitive(config: Mapping[str, Any]) -> bool:
    """``UsernameConfiguration.CaseSensitive`` of a pool description, or of moto's
    ``pool.extended_config`` (the same keys); true unless it is ``false``: when absent or null
    (the API default), or when moto stored something else there (a raw request can send
    anything)."""
    setting = config.get("UsernameConfiguration")
    return not isinstance(setting, Mapping) or setting.get("CaseSensitive") is not False


def sign_in_aliases(attributes: Mapping[str, Any], kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """The sign-in aliases, of the pool's AliasAttributes ``kinds``, a user with these
    attributes holds, as (kind, value) (developer guide, "Customizing sign-in attributes"): an
    email or phone number once it is verified (an unverified one signs no one in), a
    preferred_username always (``PoolProfile.verified``). The import's uniqueness check and
    the sign-in lookup (``moto_glue.big_pools``) both read this one rule."""
    return [
        (kind, value)
        for kind in kinds
        if isinstance(value := attributes.get(kind), str)
        and value
        and (kind == "preferred_username" or PoolProfile.verified(attributes, kind))
    ]


_NAME_ALIAS = "preferred_username"  # the one alias that is a name like a username


def _alias_key(kind: str, key: str) -> str:
    return f"\0{kind}\0{key}"


def alias_taken(kind: str) -> str:
    """Cognito's words for a sign-in alias of ``kind`` another user holds ("An account with
    the given email already exists.", as AdminCreateUser refuses one in an email-alias pool,
    boto3#3213): a row's failure, and an attribute update's AliasExistsException."""
    return f"An account with the given {kind} already exists."


def cannot_start(pool: str) -> str:
    """StartUserImportJob's PreconditionNotMetException for ``pool`` ("User pool <id>") that
    verifies no attribute automatically: no row could set one verified (the developer guide's
    import needs ``email_verified`` or ``phone_number_verified`` true), so no job starts."""
    return f"{pool} has no auto-verified attributes, so the import job cannot start."


@dataclass(frozen=True)
class PoolProfile:
    """The parts of a pool's configuration that decide how a CSV row is imported."""

    attributes: dict[str, AttributeSpec]
    custom_attributes: tuple[str, ...] = ()
    auto_verified: tuple[str, ...] = ()
    mfa: str = "OFF"
    username_attributes: tuple[str, ...] = ()
    alias_attributes: tuple[str, ...] = ()
    case_sensitive: bool = True
    passwordless_attributes: tuple[str, ...] = field(default=())

    @classmethod
    def of_moto_pool(cls, pool: Any) -> PoolProfile:
        """Build a profile from moto's user pool, with the MFA setting moto's sign-in follows:
        moto's description (``to_json(extended=True)``) keeps the MfaConfiguration the pool
        was created with after SetUserPoolMfaConfig changed it (moto's DescribeUserPool says
        so too), so an import checked ``cognito:mfa_enabled`` against a setting gone. (moto's
        UpdateUserPool changes that description's setting alone, which its sign-in ignores:
        so does the import.)"""
        return cls.from_description({**pool.to_json(extended=True), "MfaConfiguration": pool.mfa_config})

    @classmethod
    def from_description(cls, pool: Any) -> PoolProfile:
        """Build a profile from DescribeUserPool's ``UserPool`` object (or the whole response).

        Raises PoolDescriptionError when the document lacks the members a pool always has, or
        one it has is not of its type in the service model (moto stores what a raw request
        sent; hand-written JSON may hold anything).
        """
        if isinstance(pool, dict) and isinstance(pool.get("UserPool"), dict):
            pool = pool["UserPool"]
        if not isinstance(pool, dict) or pool.get("Id") is None:
            raise PoolDescriptionError(
                "The JSON is not a user pool description: it has no UserPool.Id."
            )
        if not isinstance(pool["Id"], str):
            raise PoolDescriptionError("The pool description's Id is not a string.")
        schema = pool.get("SchemaAttributes", pool.get("Schema", []))
        if not isinstance(schema, list):
            raise PoolDescriptionError("The pool description's SchemaAttributes is not a list.")
        # A pool created with an explicit Schema lists only those attributes (moto, and some
        # hand-written JSON): the standard ones still exist, with Cognito's default constraints.
        attributes = {
            name: _spec_from_schema({"Name": name, "AttributeDataType": data_type})
            for name, data_type in STANDARD_ATTRIBUTES.items()
        }
        custom: list[str] = []
        for index, entry in enumerate(schema):
            if not isinstance(entry, dict) or not isinstance(entry.get("Name"), str):
                raise PoolDescriptionError(
                    f"The pool description's SchemaAttributes is malformed (entry {index} has no Name string)."
                )
            if entry["Name"] in _NOT_COLUMNS:
                continue
            try:
                spec = _spec_from_schema(entry)
            except (TypeError, ValueError) as error:  # _spec_from_schema's own words
                raise PoolDescriptionError(
                    f"The pool description's SchemaAttributes is malformed ({error})."
                ) from error
            attributes[spec.name] = spec
            if spec.name not in STANDARD_ATTRIBUTES:
                custom.append(spec.name)
        sign_in = _object(_object(pool, "Policies"), "SignInPolicy", "Policies.")
        factors = _strings(sign_in, "AllowedFirstAuthFactors", "Policies.SignInPolicy.")
        case_sensitive = _object(pool, "UsernameConfiguration").get("CaseSensitive")
        if case_sensitive is not None and not isinstance(case_sensitive, bool):
            raise PoolDescriptionError("The pool description's UsernameConfiguration.CaseSensitive is not a boolean.")
        return cls(
            attributes=attributes,
            custom_attributes=tuple(custom),
            auto_verified=_strings(pool, "AutoVerifiedAttributes"),
            mfa=_string(pool, "MfaConfiguration", "OFF"),
            username_attributes=_strings(pool, "UsernameAttributes"),
            alias_attributes=_strings(pool, "AliasAttributes"),
            case_sensitive=usernames_case_sensitive(pool),
            passwordless_attributes=tuple(PASSWORDLESS_FACTORS[f] for f in factors if f in PASSWORDLESS_FACTORS),
        )

    def user_key(self, value: str) -> str:
        """The identity a username (or email/phone used as username) is unique by.

        [OURS, from the guide's "User pool case sensitivity"] A case-insensitive pool treats
        ``John`` and ``JOHN`` (and ``a@x.com`` / ``A@x.com``) as one user; a case-sensitive
        pool, the API's default, as two.
        """
        return value if self.case_sensitive else value.lower()

    def alias_keys(self, attributes: Mapping[str, Any]) -> tuple[str, ...]:
        """The sign-in aliases a user with these attributes holds (``sign_in_aliases``), which
        no other user may hold, each keyed so that it equals no username (a username cannot
        contain NUL)."""
        return tuple(
            _alias_key(kind, self.user_key(value)) for kind, value in sign_in_aliases(attributes, self.alias_attributes)
        )

    def name_crossings(self, keys: tuple[str, ...], attributes: Mapping[str, Any]) -> tuple[str, ...]:
        """The keys that, held by another user, make one sign-in name of this user's username
        and that user's preferred_username, or the reverse, in a pool with that alias.

        [OURS] Such a name would name two users, and sign-in, which finds a username first,
        would silently take it from the alias's holder. AWS's evidence is thin: its
        AdminCreateUser refused even a user's own username as its preferred_username
        (aws/aws-sdk-net#761), which stays allowed here (one name, one user). A value with NUL
        is no username (UsernameType), and could equal an alias key: it crosses nothing.
        """
        if _NAME_ALIAS not in self.alias_attributes:
            return ()
        crossings = [_alias_key(_NAME_ALIAS, key) for key in keys]
        value = attributes.get(_NAME_ALIAS)
        if isinstance(value, str) and value and "\0" not in value and self.user_key(value) not in keys:
            crossings.append(self.user_key(value))
        return tuple(crossings)

    @staticmethod
    def verified(attributes: Mapping[str, Any], kind: str) -> bool:
        """Whether a user's ``email`` or ``phone_number`` is verified (``<kind>_verified`` true,
        in any case: moto stores the flag as given, an import lower-case). A flag that is no
        string (moto stores a raw request's JSON ``true``, which AWS refuses) verifies nothing."""
        flag = attributes.get(f"{kind}_verified")
        return isinstance(flag, str) and flag.lower() == "true"

    @staticmethod
    def alias_kind(key: str) -> str:
        """The attribute an ``alias_keys`` key is of: ``email``, ``phone_number`` or
        ``preferred_username``."""
        return key.split("\0")[1]

    def csv_header(self) -> list[str]:
        """GetCSVHeader's columns: standard attributes, custom ones, then the cognito columns.

        ``password_hash`` is always last [OURS]: the current API reference ends the list with
        it, and files without it keep importing.
        """
        return [
            *STANDARD_ATTRIBUTES,
            *self.custom_attributes,
            "cognito:mfa_enabled",
            "cognito:username",
            "password_hash",
        ]
