"""Tests for moto_cognito_import.password_hashes: formats, limits and real verification."""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import threading
from collections.abc import Callable

import argon2
import bcrypt
import pytest

from moto_cognito_import import password_hashes
from moto_cognito_import.password_hashes import (
    ALGORITHMS,
    PasswordHash,
    PasswordHashError,
    accepted_at_once,
    hash_checker,
    parse_password_hash,
    stored_hash,
    verify_password,
)

PASSWORD = "Corr3ct-horse-battery-stäple"
WRONG_PASSWORD = "Corr3ct-horse-battery-staple"

# The example hashes from the AWS guide "Importing users with password hashes".
AWS_EXAMPLES = {
    "BCRYPT": "$2b$10$CtA.Rcu/szzn9U00wpUjOuN3vrgJRZycv4aOzcP3GzqzO8UDPEFq6",
    "SCRYPT": (
        "65536$8$1$304dbaef7c5e828dc19c98f0600d18fe"
        "$4f69c498c12cd102d057356facf8d77e8d42407090491ea32c5b038f5a18c099"
    ),
    "ARGON2ID": (
        "$argon2id$v=19$m=19456,t=2,p=1$ko/G5o1ms+ML08P95sQ8DA"
        "$AkVbvWSOqz7Hs3qthhWKxicOWnGLN+MBmpwc3emi5VA"
    ),
    "PBKDF2_SHA256": (
        "$pbkdf2-sha256$600000$1XZlmwLQ2hhM3JYuCPiArQ"
        "$Pfheg9Zi/v5lXU4yyLA0WFUYEd/rlaVbzrM9oMD6IrA"
    ),
}

SCRYPT_SALT = bytes.fromhex("304dbaef7c5e828dc19c98f0600d18fe")
PBKDF2_SALT = b"\xfb\xef\xbe-salt-\x00\x01\x02"


# --- hash builders (real libraries) -----------------------------------------------


def make_bcrypt(cost: int, password: str = PASSWORD) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=cost)).decode()


def make_scrypt(n: int, r: int, p: int, password: str = PASSWORD) -> str:
    digest = hashlib.scrypt(
        password.encode(), salt=SCRYPT_SALT, n=n, r=r, p=p, dklen=32, maxmem=128 << 20
    )
    return f"{n}${r}${p}${SCRYPT_SALT.hex()}${digest.hex()}"


def make_argon2id(m: int, t: int, p: int, password: str = PASSWORD) -> str:
    hasher = argon2.PasswordHasher(
        time_cost=t, memory_cost=m, parallelism=p, type=argon2.Type.ID
    )
    return hasher.hash(password)


def adapted_b64(raw: bytes) -> str:
    """passlib's adapted base64: standard alphabet with '.' for '+', no padding."""
    return base64.b64encode(raw).decode().rstrip("=").replace("+", ".")


def make_pbkdf2(iterations: int, password: str = PASSWORD, salt: bytes = PBKDF2_SALT) -> str:
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"$pbkdf2-sha256${iterations}${adapted_b64(salt)}${adapted_b64(digest)}"


# Each builder runs at most once per module: the maximum-parameter hashes are the slow ones.
# Over-maximum hashes are made by editing the parameters of a small real hash, never by
# hashing at the larger cost.
_BUILDERS = {
    "bcrypt-max": ("BCRYPT", lambda: make_bcrypt(12)),
    "bcrypt-small": ("BCRYPT", lambda: make_bcrypt(4)),
    "scrypt-max": ("SCRYPT", lambda: make_scrypt(65536, 8, 1)),
    "scrypt-small": ("SCRYPT", lambda: make_scrypt(16, 1, 1)),
    "argon2id-max": ("ARGON2ID", lambda: make_argon2id(19456, 2, 1)),
    "argon2id-small": ("ARGON2ID", lambda: make_argon2id(64, 1, 1)),
    "pbkdf2-max": ("PBKDF2_SHA256", lambda: make_pbkdf2(600000)),
    "pbkdf2-small": ("PBKDF2_SHA256", lambda: make_pbkdf2(1000)),
}


@pytest.fixture(scope="module")
def generated() -> Callable[[str], tuple[str, str]]:
    """Return ``get(key) -> (algorithm, encoded)``, building each hash lazily and once."""
    cache: dict[str, tuple[str, str]] = {}

    def get(key: str) -> tuple[str, str]:
        if key not in cache:
            algorithm, build = _BUILDERS[key]
            cache[key] = (algorithm, build())
        return cache[key]

    return get


def assert_log_safe(message: str, value: str) -> None:
    """No error message may contain the hash, or any salt/digest-sized piece of it."""
    if value:
        assert value not in message
    for piece in value.replace(",", "$").split("$"):
        # Salt- and digest-sized pieces; the algorithm name itself may be quoted.
        if len(piece) >= 8 and piece not in ALGORITHMS:
            assert piece not in message, f"message leaks {piece!r}: {message!r}"


def rejection(algorithm: str, value: str) -> str:
    with pytest.raises(PasswordHashError) as excinfo:
        parse_password_hash(algorithm, value)
    message = str(excinfo.value)
    assert_log_safe(message, value)
    return message


# --- generated hashes round-trip --------------------------------------------------


@pytest.mark.parametrize("key", list(_BUILDERS), ids=list(_BUILDERS))
def test_generated_hash_parses_and_verifies(generated, key: str) -> None:
    algorithm, encoded = generated(key)
    parsed = parse_password_hash(algorithm, encoded)
    assert parsed == PasswordHash(algorithm=algorithm, encoded=encoded)
    assert verify_password(parsed, PASSWORD) is True
    assert verify_password(parsed, WRONG_PASSWORD) is False


# --- over Cognito's maxima --------------------------------------------------------


def _bcrypt_cost_13(generated) -> str:
    encoded = generated("bcrypt-small")[1]
    assert encoded.startswith("$2b$04$")
    return "$2b$13$" + encoded[len("$2b$04$"):]


def _argon2_with(generated, params: str) -> str:
    encoded = generated("argon2id-small")[1]
    return encoded.replace("m=64,t=1,p=1", params)


OVER_MAXIMUM = [
    ("bcrypt-cost-13", "BCRYPT", _bcrypt_cost_13, "The BCRYPT cost 13 is over the maximum of 12."),
    (
        "scrypt-N-131072",
        "SCRYPT",
        lambda g: "131072$8$1$" + g("scrypt-small")[1].split("$", 3)[3],
        "The SCRYPT parameter N=131072 is over the maximum of 65536.",
    ),
    (
        "scrypt-r-9",
        "SCRYPT",
        lambda g: "16$9$1$" + g("scrypt-small")[1].split("$", 3)[3],
        "The SCRYPT parameter r=9 is over the maximum of 8.",
    ),
    (
        "scrypt-p-2",
        "SCRYPT",
        lambda g: "16$1$2$" + g("scrypt-small")[1].split("$", 3)[3],
        "The SCRYPT parameter p=2 is over the maximum of 1.",
    ),
    (
        "argon2id-m-19457",
        "ARGON2ID",
        lambda g: _argon2_with(g, "m=19457,t=2,p=1"),
        "The ARGON2ID parameter m=19457 is over the maximum of 19456.",
    ),
    (
        "argon2id-t-3",
        "ARGON2ID",
        lambda g: _argon2_with(g, "m=19456,t=3,p=1"),
        "The ARGON2ID parameter t=3 is over the maximum of 2.",
    ),
    (
        "argon2id-p-2",
        "ARGON2ID",
        lambda g: _argon2_with(g, "m=19456,t=2,p=2"),
        "The ARGON2ID parameter p=2 is over the maximum of 1.",
    ),
    (
        "pbkdf2-600001",
        "PBKDF2_SHA256",
        lambda g: g("pbkdf2-small")[1].replace("$1000$", "$600001$"),
        "The PBKDF2_SHA256 iteration count 600001 is over the maximum of 600000.",
    ),
    (
        "scrypt-N-huge-not-echoed",
        "SCRYPT",
        lambda g: "9" * 5000 + "$8$1$" + g("scrypt-small")[1].split("$", 3)[3],
        "The SCRYPT parameter N is over the maximum of 65536.",
    ),
]


@pytest.mark.parametrize(
    "algorithm, build, expected",
    [case[1:] for case in OVER_MAXIMUM],
    ids=[case[0] for case in OVER_MAXIMUM],
)
def test_over_maximum_is_rejected_naming_the_parameter(
    generated, algorithm: str, build, expected: str
) -> None:
    assert rejection(algorithm, build(generated)) == expected


def test_verify_rechecks_limits_of_a_hand_built_hash(generated) -> None:
    # A PasswordHash that never went through parse must not buy a costlier derivation.
    with pytest.raises(PasswordHashError, match="cost 13"):
        verify_password(PasswordHash("BCRYPT", _bcrypt_cost_13(generated)), PASSWORD)


# --- AWS examples and cross-format detection --------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=ALGORITHMS)
def test_aws_example_parses_under_its_own_algorithm(algorithm: str) -> None:
    parsed = parse_password_hash(algorithm, AWS_EXAMPLES[algorithm])
    assert parsed.algorithm == algorithm
    assert parsed.encoded == AWS_EXAMPLES[algorithm]


CROSS = [(fmt, alg) for fmt in ALGORITHMS for alg in ALGORITHMS if fmt != alg]


@pytest.mark.parametrize(
    "fmt, algorithm", CROSS, ids=[f"{fmt}-as-{alg}" for fmt, alg in CROSS]
)
def test_aws_example_is_rejected_under_another_algorithm(fmt: str, algorithm: str) -> None:
    message = rejection(algorithm, AWS_EXAMPLES[fmt])
    assert message == f"The password hash is in the {fmt} format, not {algorithm}."


# --- malformed values -------------------------------------------------------------

_BC = AWS_EXAMPLES["BCRYPT"]
_SC = AWS_EXAMPLES["SCRYPT"]
_AR = AWS_EXAMPLES["ARGON2ID"]
_PB = AWS_EXAMPLES["PBKDF2_SHA256"]

MALFORMED = [
    *[(f"empty-{alg}", alg, "", "not a valid") for alg in ALGORITHMS],
    ("bcrypt-truncated", "BCRYPT", _BC[:-1], "not a valid"),
    ("bcrypt-too-long", "BCRYPT", _BC + "a", "not a valid"),
    ("bcrypt-wrong-alphabet", "BCRYPT", _BC[:-1] + "+", "not a valid"),
    # The last salt and digest characters' unused bits set: pyca/bcrypt refuses the salt when
    # it verifies, and no derivation ends in that digest; either would never sign in.
    ("bcrypt-non-canonical-salt", "BCRYPT", _BC[:28] + ("P" if _BC[28] != "P" else "Q") + _BC[29:], "not a valid"),
    ("bcrypt-non-canonical-digest", "BCRYPT", _BC[:-1] + "7", "not a valid"),
    ("bcrypt-2c-prefix", "BCRYPT", "$2c$" + _BC[4:], "not a valid"),
    ("bcrypt-uppercase-prefix", "BCRYPT", "$2B$" + _BC[4:], "not a valid"),
    ("bcrypt-one-digit-cost", "BCRYPT", "$2b$9$" + _BC[7:], "not a valid"),
    ("bcrypt-cost-03", "BCRYPT", "$2b$03$" + _BC[7:], "cost 3 is under the minimum of 4"),
    ("bcrypt-trailing-newline", "BCRYPT", _BC + "\n", "not a valid"),
    ("bcrypt-leading-space", "BCRYPT", " " + _BC, "not a valid"),
    ("scrypt-non-hex-salt", "SCRYPT", _SC.replace("304dbaef", "304dbxef"), "not a valid"),
    ("scrypt-odd-hex-salt", "SCRYPT", _SC.replace("304dbaef", "304dbae"), "not a valid"),
    ("scrypt-empty-salt", "SCRYPT", "16$1$1$$" + _SC.rsplit("$", 1)[1], "not a valid"),
    ("scrypt-truncated", "SCRYPT", _SC.rsplit("$", 1)[0], "not a valid"),
    ("scrypt-N-not-power-of-two", "SCRYPT", "65535" + _SC[5:], "N=65535 is not a power of two"),
    ("scrypt-N-1", "SCRYPT", "1" + _SC[5:], "N=1 is not a power of two"),
    ("scrypt-r-0", "SCRYPT", "16$0$1$" + _SC.split("$", 3)[3], "r=0 is under the minimum of 1"),
    ("scrypt-p-0", "SCRYPT", "16$1$0$" + _SC.split("$", 3)[3], "p=0 is under the minimum of 1"),
    (
        "scrypt-N-65536-r-1-rfc7914",
        "SCRYPT",
        "65536$1$1$" + _SC.split("$", 3)[3],
        "N=65536 must be less than 2^(16*r) for r=1",
    ),
    (
        "scrypt-arabic-indic-digits",
        "SCRYPT",
        "\u0661\u0666$1$1$" + _SC.split("$", 3)[3],
        "not a valid",
    ),
    ("argon2id-truncated", "ARGON2ID", _AR.rsplit("$", 1)[0], "not a valid"),
    ("argon2id-wrong-alphabet", "ARGON2ID", _AR.replace("ko/G5", "ko.G5"), "not a valid"),
    ("argon2id-padded", "ARGON2ID", _AR + "=", "not a valid"),
    ("argon2id-non-canonical-tail", "ARGON2ID", _AR[:-1] + "B", "not a valid"),
    (
        "argon2id-short-salt",
        "ARGON2ID",
        _AR.replace("ko/G5o1ms+ML08P95sQ8DA", "ko/G5o1ms"),
        "not a valid",
    ),
    ("argon2i-variant", "ARGON2ID", _AR.replace("argon2id", "argon2i"), "not a valid"),
    ("argon2id-uppercase", "ARGON2ID", _AR.replace("argon2id", "ARGON2ID"), "not a valid"),
    ("argon2id-no-version", "ARGON2ID", _AR.replace("v=19$", ""), "not a valid"),
    (
        "argon2id-params-reordered",
        "ARGON2ID",
        _AR.replace("m=19456,t=2", "t=2,m=19456"),
        "not a valid",
    ),
    (
        "argon2id-version-20",
        "ARGON2ID",
        _AR.replace("v=19", "v=20"),
        "version v=20 is not supported",
    ),
    ("argon2id-t-0", "ARGON2ID", _AR.replace("t=2", "t=0"), "t=0 is under the minimum of 1"),
    # libargon2 refuses leading zeros when it verifies: imported, such a user never signed in.
    ("argon2id-version-leading-zero", "ARGON2ID", _AR.replace("v=19", "v=019"), "not a valid"),
    ("argon2id-memory-leading-zero", "ARGON2ID", _AR.replace("m=19456", "m=019456"), "not a valid"),
    ("argon2id-time-leading-zero", "ARGON2ID", _AR.replace("t=2", "t=02"), "not a valid"),
    ("argon2id-m-7", "ARGON2ID", _AR.replace("m=19456", "m=7"), "m=7 is under the minimum of 8"),
    (
        "pbkdf2-zero-iterations",
        "PBKDF2_SHA256",
        _PB.replace("$600000$", "$0$"),
        "count 0 is under the minimum of 1",
    ),
    ("pbkdf2-bad-b64-length", "PBKDF2_SHA256", _PB + "AA", "not a valid"),
    ("pbkdf2-wrong-alphabet", "PBKDF2_SHA256", _PB.replace("1XZl", "1X-l"), "not a valid"),
    ("pbkdf2-padded", "PBKDF2_SHA256", _PB + "=", "not a valid"),
    ("pbkdf2-sha1", "PBKDF2_SHA256", _PB.replace("sha256", "sha1"), "not a valid"),
    (
        "pbkdf2-leading-zeros-over-max",
        "PBKDF2_SHA256",
        _PB.replace("$600000$", "$0000000000600001$"),
        "count 600001 is over",
    ),
    ("pbkdf2-truncated", "PBKDF2_SHA256", _PB.rsplit("$", 1)[0], "not a valid"),
]


@pytest.mark.parametrize(
    "algorithm, value, expected",
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_malformed_value_is_rejected(algorithm: str, value: str, expected: str) -> None:
    assert expected in rejection(algorithm, value)


@pytest.mark.parametrize(
    "algorithm",
    ["bcrypt", "MD5", "", AWS_EXAMPLES["BCRYPT"]],
    ids=["lowercase", "md5", "empty", "hash-in-algorithm"],
)
def test_unknown_algorithm_is_rejected_without_echoing_it(algorithm: str) -> None:
    message = rejection(algorithm, AWS_EXAMPLES["BCRYPT"])
    assert message == (
        "The password hash algorithm is not one of BCRYPT, SCRYPT, ARGON2ID, PBKDF2_SHA256."
    )
    if algorithm:
        assert algorithm not in message


# --- verification edge cases ------------------------------------------------------


@pytest.mark.parametrize("prefix", ["$2a$", "$2b$", "$2x$", "$2y$"], ids=["2a", "2b", "2x", "2y"])
def test_bcrypt_accepts_every_prefix_variant(generated, prefix: str) -> None:
    encoded = prefix + generated("bcrypt-small")[1][4:]
    parsed = parse_password_hash("BCRYPT", encoded)
    assert verify_password(parsed, PASSWORD) is True
    assert verify_password(parsed, WRONG_PASSWORD) is False


def test_bcrypt_password_over_72_bytes_is_a_mismatch_not_a_crash(generated) -> None:
    parsed = parse_password_hash("BCRYPT", generated("bcrypt-small")[1])
    assert verify_password(parsed, PASSWORD + "x" * 72) is False


def test_a_72_byte_prefix_never_signs_in_a_longer_password() -> None:
    """bcrypt 4 (the lowest supported) reads only the first 72 bytes and would say yes."""
    seventy_two = "a" * 72
    parsed = parse_password_hash("BCRYPT", bcrypt.hashpw(seventy_two.encode(), bcrypt.gensalt(4)).decode())
    assert verify_password(parsed, seventy_two) is True
    assert verify_password(parsed, seventy_two + "a") is False


def test_unencodable_password_is_a_mismatch(generated) -> None:
    parsed = parse_password_hash("PBKDF2_SHA256", generated("pbkdf2-small")[1])
    assert verify_password(parsed, "lone \ud800 surrogate") is False


def test_pbkdf2_accepts_standard_and_adapted_base64(generated) -> None:
    # The salt contains 0xfb 0xef 0xbe, which encodes to '+' ('.' when adapted).
    adapted = generated("pbkdf2-small")[1]
    assert "." in adapted
    standard = adapted.replace(".", "+")
    for encoded in (adapted, standard):
        assert verify_password(parse_password_hash("PBKDF2_SHA256", encoded), PASSWORD) is True


def test_pbkdf2_with_slash_in_digest_verifies() -> None:
    # Like the AWS example, whose digest contains '/': find a salt whose digest does too.
    for i in range(64):
        encoded = make_pbkdf2(1, salt=b"salt-%d" % i)
        if "/" in encoded.rsplit("$", 1)[1]:
            break
    else:  # pragma: no cover - 64 tries all without '/' is vanishingly unlikely
        pytest.fail("no digest with '/' found")
    assert verify_password(parse_password_hash("PBKDF2_SHA256", encoded), PASSWORD) is True


def test_uppercase_scrypt_hex_verifies() -> None:
    encoded = make_scrypt(16, 1, 1).upper()
    assert verify_password(parse_password_hash("SCRYPT", encoded), PASSWORD) is True


def test_password_hash_is_frozen() -> None:
    parsed = parse_password_hash("BCRYPT", AWS_EXAMPLES["BCRYPT"])
    with pytest.raises(AttributeError):
        parsed.encoded = "x"  # type: ignore[misc]


@pytest.mark.parametrize("prefix", ["2a", "2b", "2x", "2y", "2c"])
def test_the_one_regex_bcrypt_check_agrees_with_the_detailed_checks(prefix: str) -> None:
    """accepted_at_once("BCRYPT") must accept exactly what parse_password_hash does."""
    at_once = accepted_at_once("BCRYPT")
    assert at_once is not None
    body = AWS_EXAMPLES["BCRYPT"][7:]
    for cost in range(100):
        value = f"${prefix}${cost:02d}${body}"
        try:
            parse_password_hash("BCRYPT", value)
        except PasswordHashError:
            assert not at_once(value), value
        else:
            assert at_once(value), value
    assert all(accepted_at_once(other) is None for other in ALGORITHMS if other != "BCRYPT")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_hash_checker_is_parse_password_hash_for_one_algorithm(algorithm: str) -> None:
    check = hash_checker(algorithm)
    assert check(AWS_EXAMPLES[algorithm]) == parse_password_hash(algorithm, AWS_EXAMPLES[algorithm]).encoded
    other = "SCRYPT" if algorithm != "SCRYPT" else "BCRYPT"
    with pytest.raises(PasswordHashError, match=f"is in the {other} format, not {algorithm}"):
        check(AWS_EXAMPLES[other])
    with pytest.raises(PasswordHashError, match="algorithm is not one of"):
        hash_checker("MD5")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_stored_hash_string_says_its_algorithm(algorithm: str) -> None:
    """The import keeps only the string: each algorithm's format must be recognised alone."""
    assert stored_hash(AWS_EXAMPLES[algorithm]) == PasswordHash(algorithm, AWS_EXAMPLES[algorithm])
    with pytest.raises(PasswordHashError, match="not in any supported format"):
        stored_hash("plain text")


def test_password_hash_error_is_a_value_error() -> None:
    assert issubclass(PasswordHashError, ValueError)


def test_algorithms_constant() -> None:
    assert ALGORITHMS == ("BCRYPT", "SCRYPT", "ARGON2ID", "PBKDF2_SHA256")


@pytest.mark.parametrize("algorithm", ["PBKDF2_SHA256", "SCRYPT", "ARGON2ID"])
@pytest.mark.parametrize("part", ["salt", "hash"])
def test_salts_and_digests_over_64_bytes_are_refused(algorithm, part):
    """[OURS] AWS documents no length; a PBKDF2 digest of 512 bytes made a sign-in 16 times
    slower (PBKDF2 reruns its iterations for every 32 bytes), so every part that drives the
    cost of verifying is bounded, at twice the documented examples' lengths."""
    long, fine = b"x" * 65, b"x" * 64

    def build(salt: bytes, digest: bytes) -> str:
        if algorithm == "SCRYPT":
            return f"16384$8$1${salt.hex()}${digest.hex()}"
        encoded = [base64.b64encode(v).decode().rstrip("=") for v in (salt, digest)]
        if algorithm == "ARGON2ID":
            return f"$argon2id$v=19$m=19456,t=2,p=1${encoded[0]}${encoded[1]}"
        return f"$pbkdf2-sha256$1000${encoded[0]}${encoded[1]}"

    parse_password_hash(algorithm, build(fine, fine))
    with pytest.raises(PasswordHashError) as exc:
        parse_password_hash(algorithm, build(long, fine) if part == "salt" else build(fine, long))
    assert str(exc.value) == f"The {algorithm} {part} is longer than the maximum of 64 bytes."


def test_at_most_two_key_derivations_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sign-ins verify without the server's lock; at Cognito's maximum scrypt costs each
    derivation takes 64 MiB, so 24 concurrent sign-ins took 1.5 GiB. Two run at once; the
    others wait their turn (and still get their answer)."""
    inside, most, release, two_inside = [0], [0], threading.Event(), threading.Event()
    counter = threading.Lock()
    original = password_hashes._matches

    def spy(*args: object) -> bool:
        with counter:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            if inside[0] == 2:
                two_inside.set()
        assert release.wait(timeout=30)
        try:
            return original(*args)  # type: ignore[arg-type]
        finally:
            with counter:
                inside[0] -= 1

    monkeypatch.setattr(password_hashes, "_matches", spy)
    stored = parse_password_hash("SCRYPT", make_scrypt(16, 1, 1))
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        answers = [pool.submit(verify_password, stored, PASSWORD) for _ in range(6)]
        assert two_inside.wait(timeout=30)
        assert not password_hashes._DERIVATIONS.acquire(blocking=False)  # the others wait
        release.set()
        assert [answer.result(timeout=30) for answer in answers] == [True] * 6
    assert most[0] == 2


@pytest.mark.parametrize(
    ("algorithm", "encoded"),
    [("BCRYPT", lambda: make_bcrypt(4)), ("PBKDF2_SHA256", lambda: make_pbkdf2(1000))],
    ids=["bcrypt", "pbkdf2"],
)
def test_hashes_that_need_little_memory_do_not_wait_for_the_memory_hard_ones(algorithm, encoded):
    """The two slots bound scrypt's and argon2id's memory; bcrypt and PBKDF2 need a few KiB.
    Behind the same slots, a cheap bcrypt sign-in waited 3.6 s while other clients sent wrong
    passwords to maximum-cost PBKDF2 hashes in another pool."""
    stored = parse_password_hash(algorithm, encoded())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        for _ in range(2):  # both slots taken, as by two scrypt sign-ins at Cognito's maximum costs
            assert password_hashes._DERIVATIONS.acquire(timeout=5)
        try:
            answer = pool.submit(verify_password, stored, PASSWORD)
            done, _ = concurrent.futures.wait([answer], timeout=10)
        finally:  # before the pool's end waits for its thread
            for _ in range(2):
                password_hashes._DERIVATIONS.release()
    assert done, "waited for a slot of the memory-hard derivations"
    assert answer.result() is True
