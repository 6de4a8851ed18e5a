"""Parsing and verification of password hashes imported into Cognito user pools."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import re
import threading
from collections.abc import Callable
from typing import NamedTuple

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "ALGORITHMS",
    "PasswordHash",
    "PasswordHashError",
    "accepted_at_once",
    "hash_checker",
    "parse_password_hash",
    "stored_hash",
    "verify_password",
]

#: The PasswordHashingAlgorithm values (botocore 1.44's enum), in the model's order: request
#: validation, the import, the checker's command line and the tests all read this one tuple.
ALGORITHMS: tuple[str, ...] = ("BCRYPT", "SCRYPT", "ARGON2ID", "PBKDF2_SHA256")

# Maximum parameters accepted by Cognito (AWS guide "Importing users with password hashes").
BCRYPT_MIN_COST = 4  # bcrypt itself refuses anything cheaper
BCRYPT_MAX_COST = 12
SCRYPT_MAX_N = 65536
SCRYPT_MAX_R = 8
SCRYPT_MAX_P = 1
ARGON2ID_MAX_M = 19456
ARGON2ID_MAX_T = 2
ARGON2ID_MAX_P = 1
PBKDF2_SHA256_MAX_ITERATIONS = 600000
# [OURS] AWS documents no salt or digest length (its examples use 16-byte salts and 32-byte
# digests). The digest length drives verification cost too: PBKDF2 derives 32 bytes per run
# of its iterations, so a 512-byte digest made a sign-in 16 times slower. Twice the examples'.
MAX_SALT_BYTES = 64
MAX_DIGEST_BYTES = 64

# Argon2 reference-implementation limits, checked at parse time so a hash that the
# library would later refuse is rejected on import rather than failing every sign-in.
_ARGON2_VERSIONS = (16, 19)  # 0x10 and 0x13, the only Argon2 versions that exist
_ARGON2_MIN_SALT_CHARS = 11  # 8 bytes
_ARGON2_MIN_HASH_CHARS = 6  # 4 bytes

# A parameter with more digits than this is reported without echoing its value, so
# a pathological value cannot blow up int() or the log line.
_MAX_ECHOED_DIGITS = 9

# Regexes are compiled once and used with fullmatch(): "$" would also match before a
# trailing newline, and "\d" would match non-ASCII digits, so neither is used.
_BCRYPT_RE = re.compile(r"\$2[abxy]\$([0-9]{2})\$[./A-Za-z0-9]{53}")
_SCRYPT_RE = re.compile(
    r"([0-9]+)\$([0-9]+)\$([0-9]+)\$((?:[0-9a-fA-F]{2})+)\$((?:[0-9a-fA-F]{2})+)"
)
# Numbers without leading zeros: libargon2 refuses ``v=019`` or ``t=02`` when it verifies, so
# such a hash would import and then never sign in.
_ARGON2ID_RE = re.compile(
    r"\$argon2id\$v=(0|[1-9][0-9]*)\$m=(0|[1-9][0-9]*),t=(0|[1-9][0-9]*),p=(0|[1-9][0-9]*)"
    r"\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)"
)
_PBKDF2_SHA256_RE = re.compile(r"\$pbkdf2-sha256\$([0-9]+)\$([A-Za-z0-9+/.]+)\$([A-Za-z0-9+/.]+)")

# A BCRYPT hash within Cognito's cost bounds (4-12), in one match: the common case of an
# import skips the group/int work of _parse_bcrypt. Kept in step with the limits above by
# tests/test_password_hashes.py.
_VALID_AT_ONCE: dict[str, Callable[[str], object]] = {
    "BCRYPT": re.compile(
        r"\$2[abxy]\$(?:0[4-9]|1[0-2])\$[./A-Za-z0-9]{21}[.Oeu][./A-Za-z0-9]{30}[.CGKOSWaeimquy26]"
    ).fullmatch,
}

# bcrypt's base64 (``./A-Z a-z 0-9``) writes the 16-byte salt in 22 characters and the 23-byte
# digest in 31, so the last character of each has unused low bits (4 and 2) that a real
# hash leaves zero. pyca/bcrypt refuses any other salt when it verifies, and no derivation
# ever ends in any other digest: such a hash would import and then never sign in.
_BCRYPT_SALT_LAST = frozenset(".Oeu")
_BCRYPT_DIGEST_LAST = frozenset(".CGKOSWaeimquy26")


# Unpadded base64 final characters whose unused low bits are zero: libargon2 rejects
# any other final character, so parse_password_hash does too.
_B64_LAST_CHAR_LEN_MOD_2 = frozenset("AQgw")
_B64_LAST_CHAR_LEN_MOD_3 = frozenset("AEIMQUYcgkosw048")

# Memory OpenSSL needs for scrypt is 128*r*(N+2+p) bytes (about 64 MiB at the maximum
# parameters), above hashlib's 32 MiB default; leave a little headroom.
_SCRYPT_MAXMEM = 128 * SCRYPT_MAX_R * (SCRYPT_MAX_N + 2 + SCRYPT_MAX_P) + (1 << 20)

# bcrypt reads at most 72 bytes of a password; a longer one never matches here, whatever
# the installed bcrypt's version does with it.
_BCRYPT_MAX_PASSWORD_BYTES = 72

# Only used for verify(); its own cost parameters are irrelevant there because
# verification reads them from the hash.
_ARGON2_HASHER = PasswordHasher()


class _ScryptParams(NamedTuple):
    n: int
    r: int
    p: int
    salt_hex: str
    hash_hex: str


class _Pbkdf2Params(NamedTuple):
    iterations: int
    salt_b64: str
    hash_b64: str


# BCRYPT and ARGON2ID hand the whole encoded string to their library, so they need no
# parsed pieces (None).
_Parsed = _ScryptParams | _Pbkdf2Params | None


class PasswordHashError(ValueError):
    """Raised when an imported password hash is unsupported, malformed or too expensive.

    The message is a short sentence that is safe to log and to show in an import
    job's error report: it never contains the hash or any part of its salt or digest,
    only the algorithm name and, for limits, the offending cost parameter.
    """


class PasswordHash(NamedTuple):
    """A password hash that passed :func:`parse_password_hash`.

    The original string is kept verbatim (rather than decoded parameters) because it
    is what the hashing libraries verify against and what a user's record stores.
    """

    algorithm: str
    encoded: str


def _param(label: str, digits: str, sep: str = "=") -> str:
    """Render ``label=value`` for a message, dropping absurdly long values."""
    digits = digits.lstrip("0") or "0"
    if len(digits) > _MAX_ECHOED_DIGITS:
        return label
    return f"{label}{sep}{int(digits)}"


def _check_max(algorithm: str, label: str, digits: str, maximum: int, sep: str = "=") -> int:
    """Return the integer value of ``digits`` or raise if it is over ``maximum``."""
    significant = digits.lstrip("0") or "0"
    if len(significant) > _MAX_ECHOED_DIGITS or int(significant) > maximum:
        raise PasswordHashError(
            f"The {algorithm} {_param(label, digits, sep)} is over the maximum of {maximum}."
        )
    return int(significant)


def _check_min(algorithm: str, label: str, value: int, minimum: int, sep: str = "=") -> None:
    if value < minimum:
        raise PasswordHashError(
            f"The {algorithm} {label}{sep}{value} is under the minimum of {minimum}."
        )


def _b64_bytes(text: str) -> int:
    """How many bytes unpadded base64 ``text`` decodes to."""
    return len(text) * 3 // 4


def _check_lengths(algorithm: str, salt_bytes: int, digest_bytes: int) -> None:
    for part, size, maximum in (("salt", salt_bytes, MAX_SALT_BYTES), ("hash", digest_bytes, MAX_DIGEST_BYTES)):
        if size > maximum:
            raise PasswordHashError(f"The {algorithm} {part} is longer than the maximum of {maximum} bytes.")


def _invalid(algorithm: str) -> PasswordHashError:
    return PasswordHashError(f"The password hash is not a valid {algorithm} hash.")


def _reject_unmatched(algorithm: str, value: str) -> PasswordHashError:
    """Explain why ``value`` does not match ``algorithm``: another format, or malformed.

    Only reached on the failure path, so trying the other three regexes costs nothing
    for well-formed imports.
    """
    other = _format_of(value, other_than=algorithm)
    if other is not None:
        return PasswordHashError(f"The password hash is in the {other} format, not {algorithm}.")
    return _invalid(algorithm)


def _format_of(value: str, other_than: str | None = None) -> str | None:
    """The algorithm whose format ``value`` has (the four formats are disjoint), if any."""
    return next(
        (name for name, (pattern, _) in _ALGORITHMS.items() if name != other_than and pattern.fullmatch(value)), None
    )


def _b64_length_ok(text: str, *, strict_padding_bits: bool) -> bool:
    """Whether unpadded base64 ``text`` has a decodable length (and canonical tail bits)."""
    rem = len(text) % 4
    if rem == 1:
        return False
    if not strict_padding_bits or rem == 0:
        return True
    last = text[-1]
    return last in (_B64_LAST_CHAR_LEN_MOD_2 if rem == 2 else _B64_LAST_CHAR_LEN_MOD_3)


def _parse_bcrypt(value: str) -> _Parsed:
    m = _BCRYPT_RE.fullmatch(value)
    if m is None:
        raise _reject_unmatched("BCRYPT", value)
    cost = int(m.group(1))
    if cost > BCRYPT_MAX_COST:
        raise PasswordHashError(
            f"The BCRYPT cost {cost} is over the maximum of {BCRYPT_MAX_COST}."
        )
    if cost < BCRYPT_MIN_COST:
        raise PasswordHashError(
            f"The BCRYPT cost {cost} is under the minimum of {BCRYPT_MIN_COST}."
        )
    if value[28] not in _BCRYPT_SALT_LAST or value[-1] not in _BCRYPT_DIGEST_LAST:
        raise _invalid("BCRYPT")
    return None


def _parse_scrypt(value: str) -> _Parsed:
    m = _SCRYPT_RE.fullmatch(value)
    if m is None:
        raise _reject_unmatched("SCRYPT", value)
    n_digits, r_digits, p_digits, salt_hex, hash_hex = m.groups()
    n = _check_max("SCRYPT", "parameter N", n_digits, SCRYPT_MAX_N)
    r = _check_max("SCRYPT", "parameter r", r_digits, SCRYPT_MAX_R)
    p = _check_max("SCRYPT", "parameter p", p_digits, SCRYPT_MAX_P)
    if n < 2 or n & (n - 1):
        raise PasswordHashError(
            f"The SCRYPT parameter N={n} is not a power of two greater than 1."
        )
    _check_min("SCRYPT", "parameter r", r, 1)
    _check_min("SCRYPT", "parameter p", p, 1)
    # RFC 7914 requires N < 2^(128*r/8); OpenSSL enforces it, so N=65536 needs r >= 2.
    if n >= 1 << (16 * r):
        raise PasswordHashError(
            f"The SCRYPT parameter N={n} must be less than 2^(16*r) for r={r}."
        )
    _check_lengths("SCRYPT", len(salt_hex) // 2, len(hash_hex) // 2)
    return _ScryptParams(n, r, p, salt_hex, hash_hex)


def _parse_argon2id(value: str) -> _Parsed:
    m = _ARGON2ID_RE.fullmatch(value)
    if m is None:
        raise _reject_unmatched("ARGON2ID", value)
    v_digits, m_digits, t_digits, p_digits, salt, digest = m.groups()
    if len(v_digits) > _MAX_ECHOED_DIGITS or int(v_digits) not in _ARGON2_VERSIONS:
        raise PasswordHashError(
            f"The ARGON2ID version {_param('v', v_digits)} is not supported (use 16 or 19)."
        )
    mem = _check_max("ARGON2ID", "parameter m", m_digits, ARGON2ID_MAX_M)
    t = _check_max("ARGON2ID", "parameter t", t_digits, ARGON2ID_MAX_T)
    p = _check_max("ARGON2ID", "parameter p", p_digits, ARGON2ID_MAX_P)
    _check_min("ARGON2ID", "parameter t", t, 1)
    _check_min("ARGON2ID", "parameter p", p, 1)
    _check_min("ARGON2ID", "parameter m", mem, 8 * p)
    if (
        len(salt) < _ARGON2_MIN_SALT_CHARS
        or len(digest) < _ARGON2_MIN_HASH_CHARS
        or not _b64_length_ok(salt, strict_padding_bits=True)
        or not _b64_length_ok(digest, strict_padding_bits=True)
    ):
        raise _invalid("ARGON2ID")
    _check_lengths("ARGON2ID", _b64_bytes(salt), _b64_bytes(digest))
    return None


def _parse_pbkdf2_sha256(value: str) -> _Parsed:
    m = _PBKDF2_SHA256_RE.fullmatch(value)
    if m is None:
        raise _reject_unmatched("PBKDF2_SHA256", value)
    iter_digits, salt, digest = m.groups()
    iterations = _check_max(
        "PBKDF2_SHA256", "iteration count", iter_digits, PBKDF2_SHA256_MAX_ITERATIONS, " "
    )
    _check_min("PBKDF2_SHA256", "iteration count", iterations, 1, " ")
    if not (
        _b64_length_ok(salt, strict_padding_bits=False)
        and _b64_length_ok(digest, strict_padding_bits=False)
    ):
        raise _invalid("PBKDF2_SHA256")
    _check_lengths("PBKDF2_SHA256", _b64_bytes(salt), _b64_bytes(digest))
    return _Pbkdf2Params(iterations, salt, digest)


class _Algorithm(NamedTuple):
    format: re.Pattern[str]  # the hash string's shape
    parse: Callable[[str], _Parsed]  # the checks, and what verification needs


_ALGORITHMS: dict[str, _Algorithm] = {
    "BCRYPT": _Algorithm(_BCRYPT_RE, _parse_bcrypt),
    "SCRYPT": _Algorithm(_SCRYPT_RE, _parse_scrypt),
    "ARGON2ID": _Algorithm(_ARGON2ID_RE, _parse_argon2id),
    "PBKDF2_SHA256": _Algorithm(_PBKDF2_SHA256_RE, _parse_pbkdf2_sha256),
}
assert tuple(_ALGORITHMS) == ALGORITHMS


def _parser(algorithm: object) -> Callable[[str], _Parsed] | None:
    entry = _ALGORITHMS.get(algorithm) if isinstance(algorithm, str) else None
    return entry.parse if entry is not None else None



def _parse(algorithm: str, value: str) -> _Parsed:
    """Validate and return the pieces verification needs (shared by parse and verify)."""
    parser = _parser(algorithm)
    if parser is None:
        # The algorithm is not echoed: swapped CSV columns could put a hash here.
        raise PasswordHashError(
            "The password hash algorithm is not one of " + ", ".join(ALGORITHMS) + "."
        )
    if not isinstance(value, str):
        raise PasswordHashError("The password hash is not a string.")
    return parser(value)


def hash_checker(algorithm: str) -> Callable[[str], str]:
    """:func:`parse_password_hash` for one algorithm, looked up once, returning the hash itself.

    An import job checks every row's hash with the job's single algorithm and keeps only the
    string (see :func:`stored_hash`): resolving the algorithm per row, and a tuple per row,
    were a measurable part of a hashed import's cost. Raises :class:`PasswordHashError` for an
    unknown algorithm.
    """
    check = _parser(algorithm)
    if check is None:
        _parse(algorithm, "")  # raises the unknown-algorithm error

    def checked(value: str) -> str:
        check(value)  # type: ignore[misc]
        return value

    return checked


def accepted_at_once(algorithm: str | None) -> Callable[[str], object] | None:
    """A one-regex test (a truthy result) that accepts only hashes :func:`hash_checker`
    accepts, for the common well-formed case; None when the algorithm has none. The import
    calls it inline and only calls the checker when it fails: two Python calls less per row."""
    return _VALID_AT_ONCE.get(algorithm) if isinstance(algorithm, str) else None


def stored_hash(encoded: str) -> PasswordHash:
    """The PasswordHash of a string :func:`hash_checker` accepted: the four formats are
    disjoint (``$2?$``, digits, ``$argon2id$``, ``$pbkdf2-sha256$``), so the string alone
    says its algorithm and an import stores nothing else per user."""
    algorithm = _format_of(encoded)
    if algorithm is None:
        raise PasswordHashError("The password hash is not in any supported format.")
    return PasswordHash(algorithm, encoded)


def parse_password_hash(algorithm: str, value: str) -> PasswordHash:
    """Check that ``value`` is a well-formed ``algorithm`` hash within Cognito's limits.

    This only inspects the format and the cost parameters and never derives a key,
    because an import job may call it for hundreds of thousands of rows; the expensive
    check is :func:`verify_password`, run when the user signs in. ``value`` is compared
    case-sensitively and must already be stripped of surrounding whitespace.

    Raises :class:`PasswordHashError` (with a log-safe message) when the algorithm is
    unknown, the value is malformed or in another algorithm's format, or a cost
    parameter is over Cognito's maximum.
    """
    _parse(algorithm, value)
    return PasswordHash(algorithm=algorithm, encoded=value)


def _adapted_b64decode(text: str) -> bytes:
    """Decode passlib's "adapted base64" ('.' for '+', no padding); '+' is also accepted."""
    text = text.replace(".", "+")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


#: Memory-hard key derivations running at once, in any thread. At Cognito's maximum costs one
#: takes up to 64 MiB (scrypt N=65536, r=8) or 19 MiB (argon2id m=19456) for up to a second, and
#: sign-ins verify without the server's lock: 24 at once took 1.5 GiB. Two cap that at 128 MiB.
_DERIVATIONS = threading.BoundedSemaphore(2)
#: The algorithms that draw on that budget. bcrypt and PBKDF2 need a few KiB: behind the same
#: two slots, a cheap bcrypt sign-in in one pool waited 3.6 s behind other clients' wrong
#: passwords against maximum-cost PBKDF2 hashes in another; they run side by side instead
#: (both libraries release the GIL), sharing the processors as any requests do.
_MEMORY_HARD = frozenset({"SCRYPT", "ARGON2ID"})


def verify_password(password_hash: PasswordHash, password: str) -> bool:
    """Return whether ``password`` matches ``password_hash``, doing the real key derivation.

    The hash is re-validated first, so a hand-built :class:`PasswordHash` cannot make
    this run a derivation over Cognito's cost limits (that raises
    :class:`PasswordHashError`). Anything else that prevents a match, such as a
    password over bcrypt's 72-byte limit, one not encodable as UTF-8, or a hash the
    library refuses, returns False instead of raising, as a failed sign-in would.
    """
    parsed = _parse(password_hash.algorithm, password_hash.encoded)
    try:
        secret = password.encode("utf-8")
    except (UnicodeEncodeError, AttributeError):
        return False
    with _DERIVATIONS if password_hash.algorithm in _MEMORY_HARD else contextlib.nullcontext():
        return _matches(password_hash.algorithm, password_hash.encoded, parsed, secret)


def _matches(algorithm: str, encoded: str, parsed: object, secret: bytes) -> bool:
    """The key derivation and comparison of ``verify_password``."""
    if algorithm == "BCRYPT":
        # pyca/bcrypt accepts $2a$, $2b$, $2x$ and $2y$ as-is, so no prefix rewriting.
        # It computes $2x$ like $2b$ (no emulation of crypt_blowfish's 8-bit-character
        # bug), so a genuine $2x$ hash of a non-ASCII password will not match.
        if len(secret) > _BCRYPT_MAX_PASSWORD_BYTES:  # bcrypt 4 truncated silently; 5 refuses
            return False
        try:
            return bcrypt.checkpw(secret, encoded.encode("ascii"))
        except ValueError:  # password over 72 bytes, or a salt the library refuses
            return False

    if isinstance(parsed, _ScryptParams):
        expected = bytes.fromhex(parsed.hash_hex)
        try:
            derived = hashlib.scrypt(
                secret,
                salt=bytes.fromhex(parsed.salt_hex),
                n=parsed.n,
                r=parsed.r,
                p=parsed.p,
                dklen=len(expected),
                maxmem=_SCRYPT_MAXMEM,
            )
        except ValueError:
            return False
        return hmac.compare_digest(derived, expected)

    if algorithm == "ARGON2ID":
        try:
            return _ARGON2_HASHER.verify(encoded, secret)
        except (VerificationError, InvalidHashError):  # VerifyMismatchError included
            return False

    if isinstance(parsed, _Pbkdf2Params):
        try:
            salt = _adapted_b64decode(parsed.salt_b64)
            expected = _adapted_b64decode(parsed.hash_b64)
        except (binascii.Error, ValueError):
            return False
        derived = hashlib.pbkdf2_hmac(
            "sha256", secret, salt, parsed.iterations, dklen=len(expected)
        )
        return hmac.compare_digest(derived, expected)

    raise AssertionError(f"unhandled algorithm {algorithm}")  # _parse rejects the rest
