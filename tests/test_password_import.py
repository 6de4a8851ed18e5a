"""Password-hash import (developer guide, "Importing users with password hashes"), end to end.

A job created with PasswordHashingAlgorithm imports users CONFIRMED with their old password
hashes; they sign in with the original password through USER_PASSWORD_AUTH or
ADMIN_USER_PASSWORD_AUTH, after which the password is a native (moto) one. Hashes here are made
with the same libraries a real source system uses (bcrypt, hashlib, argon2-cffi), at small cost
for speed; every cost limit is unit-tested in test_password_hashes.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError
from test_operations import error_of
from test_password_hashes import PASSWORD, WRONG_PASSWORD, make_argon2id, make_bcrypt, make_pbkdf2, make_scrypt
from test_sign_in import (
    INVALID_SESSION,
    NEW_PASSWORD,
    PASSWORD_FLOWS,
    answer_password_verifier,
    app_client,
    reset_password,
    sign_in,
    sign_in_error,
    status_of,
)

from conftest import ACCOUNT, FIXTURES, REGION, both_modes, decorator_only
from moto_cognito_import.password_hashes import ALGORITHMS

# The hash checks are the backend's, which both modes share: each test runs under mock_aws, and
# those marked both_modes show the server applies them too (tests/conftest.py).
pytestmark = decorator_only

INCORRECT = ("NotAuthorizedException", "Incorrect username or password.")
ENUM_ERROR = (
    "1 validation error detected: Value '{}' at 'passwordHashingAlgorithm' failed to satisfy "
    "constraint: Member must satisfy enum value set: [BCRYPT, SCRYPT, ARGON2ID, PBKDF2_SHA256]"
)
HEADER = "cognito:username,email,email_verified,password_hash"

# botocore's model gained the member in 2026 (1.37.0, the tox "lowest" env, lacks it; 1.44 has
# it). Without it boto3 refuses to send it: the tests of that are skipped, and ``aws.job`` adds the
# member to boto3's request itself.
_CREATE = botocore.session.get_session().get_service_model("cognito-idp").operation_model("CreateUserImportJob")
needs_boto_member = pytest.mark.skipif(
    "PasswordHashingAlgorithm" not in _CREATE.input_shape.members,
    reason="this botocore's model has no PasswordHashingAlgorithm member",
)

# Small-cost hashes of PASSWORD, one per algorithm, as the libraries write them.
SMALL = {
    "BCRYPT": lambda: make_bcrypt(4),
    "SCRYPT": lambda: make_scrypt(16, 1, 1),
    "ARGON2ID": lambda: make_argon2id(64, 1, 1),
    "PBKDF2_SHA256": lambda: make_pbkdf2(1000),
}
# One parameter just over Cognito's maximum, written into a small real hash, and the log reason.
OVER_MAXIMUM = {
    "BCRYPT": (lambda h: "$2b$13$" + h[len("$2b$04$"):], "The BCRYPT cost 13 is over the maximum of 12."),
    "SCRYPT": (lambda h: "131072" + h[len("16"):], "The SCRYPT parameter N=131072 is over the maximum of 65536."),
    "ARGON2ID": (
        lambda h: h.replace("m=64,", "m=19457,"),
        "The ARGON2ID parameter m=19457 is over the maximum of 19456.",
    ),
    "PBKDF2_SHA256": (
        lambda h: h.replace("$1000$", "$600001$"),
        "The PBKDF2_SHA256 iteration count 600001 is over the maximum of 600000.",
    ),
}


def csv_value(value: str) -> str:
    """Cognito's CSV has no quoting: a comma inside a value (argon2's ``m=..,t=..,p=..``) is ``\\,``."""
    return value.replace(",", "\\,")


def hash_csv(rows: list[tuple[str, str]]) -> str:
    lines = [HEADER, *(f"{name},{name}@example.com,true,{csv_value(value)}" for name, value in rows)]
    return "\n".join(lines) + "\n"


def counts(job: dict[str, Any]) -> tuple[int, int, int]:
    return job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]


def import_with_hashes(aws: Any, algorithm: str, rows: list[tuple[str, str]]) -> tuple[str, str]:
    """Import ``rows`` (username, hash) into a fresh pool, every row must import; return the
    pool id and an app client id."""
    pool_id = aws.pool()["Id"]
    job = aws.run(pool_id, hash_csv(rows), algorithm)
    assert counts(job) == (len(rows), 0, 0), job
    return pool_id, app_client(aws.idp, pool_id)


def users_of(idp: Any, pool_id: str) -> set[str]:
    return {user["Username"] for user in idp.list_users(UserPoolId=pool_id)["Users"]}


@pytest.fixture(scope="module")
def small_hashes() -> dict[str, str]:
    """A small-cost hash of PASSWORD for every algorithm, built once for the module."""
    return {algorithm: build() for algorithm, build in SMALL.items()}


# --- the API member ------------------------------------------------------------------


@both_modes
@needs_boto_member
def test_create_accepts_each_algorithm_and_every_job_response_echoes_it(aws):
    idp = aws.idp
    pool_id = aws.pool()["Id"]
    created = [aws.job(pool_id, PasswordHashingAlgorithm=algorithm) for algorithm in ALGORITHMS]
    assert tuple(job["PasswordHashingAlgorithm"] for job in created) == ALGORITHMS
    aws.upload(created[0]["PreSignedUrl"], HEADER + "\n")
    started = idp.start_user_import_job(UserPoolId=pool_id, JobId=created[0]["JobId"])["UserImportJob"]
    described = idp.describe_user_import_job(UserPoolId=pool_id, JobId=created[0]["JobId"])["UserImportJob"]
    assert started["PasswordHashingAlgorithm"] == described["PasswordHashingAlgorithm"] == "BCRYPT"
    listed = idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)["UserImportJobs"]
    assert tuple(job["PasswordHashingAlgorithm"] for job in listed) == ALGORITHMS[::-1]  # newest first


@both_modes
def test_a_job_without_an_algorithm_has_no_such_member(aws):
    pool_id = aws.pool()["Id"]
    job = aws.job(pool_id)
    assert "PasswordHashingAlgorithm" not in job
    response = aws.raw("DescribeUserImportJob", {"UserPoolId": pool_id, "JobId": job["JobId"]})
    assert "PasswordHashingAlgorithm" not in response.text


@both_modes
def test_raw_json_clients_get_the_algorithm_echoed_on_any_botocore(aws):
    """An SDK with a newer model than the server's botocore still sees the member echoed."""
    pool_id = aws.pool()["Id"]
    create = {
        "JobName": "raw",
        "UserPoolId": pool_id,
        "CloudWatchLogsRoleArn": aws.existing_role(),
        "PasswordHashingAlgorithm": "SCRYPT",
    }
    created = aws.raw("CreateUserImportJob", create)
    assert created.status_code == 200
    assert '"PasswordHashingAlgorithm"' in created.text
    job_id = created.json()["UserImportJob"]["JobId"]
    described = aws.raw("DescribeUserImportJob", {"UserPoolId": pool_id, "JobId": job_id})
    listed = aws.raw("ListUserImportJobs", {"UserPoolId": pool_id, "MaxResults": 5})
    assert described.json()["UserImportJob"]["PasswordHashingAlgorithm"] == "SCRYPT"
    assert [job["PasswordHashingAlgorithm"] for job in listed.json()["UserImportJobs"]] == ["SCRYPT"]


@both_modes
def test_an_unknown_algorithm_is_rejected_in_aws_enum_wording_over_raw_http(aws):
    pool_id = aws.pool()["Id"]
    for algorithm in ["MD5", "bcrypt", ""]:  # the enum is case-sensitive
        body = {
            "JobName": "raw",
            "UserPoolId": pool_id,
            "CloudWatchLogsRoleArn": aws.existing_role(),
            "PasswordHashingAlgorithm": algorithm,
        }
        response = aws.raw("CreateUserImportJob", body)
        assert response.status_code == 400
        error = response.json()
        assert (error["__type"], error["message"]) == ("InvalidParameterException", ENUM_ERROR.format(algorithm))


@both_modes
@needs_boto_member
def test_an_unknown_algorithm_is_rejected_through_boto3(aws):
    pool_id = aws.pool()["Id"]
    with pytest.raises(ClientError) as exc:
        aws.job(pool_id, PasswordHashingAlgorithm="MD5")  # botocore does not check enums itself
    assert error_of(exc) == ("InvalidParameterException", ENUM_ERROR.format("MD5"))


# --- the password_hash column ----------------------------------------------------------


def test_a_job_with_an_algorithm_fails_without_a_password_hash_column(aws):
    pool_id = aws.pool()["Id"]
    job = aws.run(pool_id, "cognito:username,email,email_verified\njohn,john@example.com,true\n", "BCRYPT")
    assert job["Status"] == "Failed"
    assert "password_hash" in job["CompletionMessage"]
    assert counts(job) == (0, 0, 0)
    assert users_of(aws.idp, pool_id) == set()


def test_each_row_is_imported_or_failed_by_its_hash_and_the_log_never_shows_it(aws, small_hashes):
    idp = aws.idp
    pool = aws.pool()
    for algorithm in ALGORITHMS:
        good = small_hashes[algorithm]
        too_costly, too_costly_reason = OVER_MAXIMUM[algorithm]
        name = algorithm.lower()
        rows = [
            (f"{name}_good", good),
            (f"{name}_no_hash", ""),
            (f"{name}_malformed", good[:-1] + "!"),
            (f"{name}_too_costly", too_costly(good)),
        ]
        job = aws.run(pool["Id"], hash_csv(rows), algorithm)
        assert counts(job) == (2, 0, 2), algorithm
        assert status_of(idp, pool["Id"], f"{name}_good") == "CONFIRMED"
        assert status_of(idp, pool["Id"], f"{name}_no_hash") == "RESET_REQUIRED"
        messages = aws.log_messages(pool, job)
        assert messages == [
            "[SUCCEEDED] Line Number 2 - The import succeeded.",
            "[SUCCEEDED] Line Number 3 - The import succeeded.",
            f"[FAILED] Line Number 4 - The password hash is not a valid {algorithm} hash.",
            f"[FAILED] Line Number 5 - {too_costly_reason}",
        ]
        for _, value in rows:  # no hash, salt or digest in the log
            for piece in value.replace(",", "$").split("$"):
                assert len(piece) < 8 or not any(piece in message for message in messages)


def test_a_bcrypt_hash_that_could_never_sign_in_fails_its_row(aws, small_hashes):
    """The salt's and the digest's last characters carry unused bits a real hash leaves zero:
    pyca/bcrypt refuses such a salt at sign-in and no password ends in such a digest, so the
    user was imported (Succeeded) and could never sign in."""
    good = small_hashes["BCRYPT"]
    salt_last = {".": "/", "O": "P", "e": "f", "u": "v"}[good[28]]
    digest_last = "7" if good[-1] != "7" else "8"
    rows = [("good", good), ("salt", good[:28] + salt_last + good[29:]), ("digest", good[:-1] + digest_last)]
    pool = aws.pool()
    job = aws.run(pool["Id"], hash_csv(rows), "BCRYPT")
    assert counts(job) == (1, 0, 2)
    assert aws.log_messages(pool, job)[1:] == [
        "[FAILED] Line Number 3 - The password hash is not a valid BCRYPT hash.",
        "[FAILED] Line Number 4 - The password hash is not a valid BCRYPT hash.",
    ]


def test_an_argon2_hash_needs_its_commas_escaped(aws, small_hashes):
    """Cognito's CSV has no quoting, so argon2's ``m=..,t=..,p=..`` must be written ``m=..\\,t=..``."""
    pool = aws.pool()
    unescaped = f"{HEADER}\nann,ann@example.com,true,{small_hashes['ARGON2ID']}\n"
    job = aws.run(pool["Id"], unescaped, "ARGON2ID")
    assert counts(job) == (0, 0, 1)
    assert aws.log_messages(pool, job)[0].startswith("[FAILED] Line Number 2 - The row has 6 values")


def test_a_password_hash_in_a_job_without_an_algorithm_fails_its_row(aws, small_hashes):
    """[OURS] AWS documents no such case; ignoring the hash would silently import a user who
    cannot sign in with the password the file gives, so the row fails instead."""
    pool = aws.pool()
    job = aws.run(pool["Id"], hash_csv([("ann", small_hashes["BCRYPT"]), ("bob", "")]))
    assert counts(job) == (1, 0, 1)
    assert status_of(aws.idp, pool["Id"], "bob") == "RESET_REQUIRED"
    assert aws.log_messages(pool, job)[0] == (
        "[FAILED] Line Number 2 - The row has a password_hash but the import job has no PasswordHashingAlgorithm."
    )


def test_aws_example_hashes_import_under_their_own_algorithm_only(aws):
    """The guide's four example hashes, one row each (the argon2 one written with ``\\,``)."""
    idp = aws.idp
    csv = (FIXTURES / "aws_example_password_hashes.csv").read_text()
    pool = aws.pool()
    for number, algorithm in enumerate(ALGORITHMS, start=1):
        job = aws.run(pool["Id"], csv, algorithm)
        own = f"{algorithm.lower()}_user"
        assert counts(job) == (1, 0, 3), algorithm
        assert status_of(idp, pool["Id"], own) == "CONFIRMED"
        assert len(users_of(idp, pool["Id"])) == number
        assert aws.log_messages(pool, job) == [
            f"[SUCCEEDED] Line Number {line} - The import succeeded." if other == algorithm
            else f"[FAILED] Line Number {line} - The password hash is in the {other} format, not {algorithm}."
            for line, other in enumerate(ALGORITHMS, start=2)
        ]


def test_the_guides_sample_csv_imports_with_bcrypt(aws):
    """The guide's "Sample CSV with password hashes": two users sharing one bcrypt hash."""
    csv = (
        "cognito:username,email,email_verified,phone_number,phone_number_verified,password_hash\n"
        "alejandro_rosalez,alejandro_rosalez@example.com,TRUE,+12345550100,TRUE,"
        "$2b$10$CtA.Rcu/szzn9U00wpUjOuN3vrgJRZycv4aOzcP3GzqzO8UDPEFq6\n"
        "mary_major,mary_major@example.com,TRUE,+12345550199,TRUE,"
        "$2b$10$CtA.Rcu/szzn9U00wpUjOuN3vrgJRZycv4aOzcP3GzqzO8UDPEFq6\n"
    )
    pool_id = aws.pool(AutoVerifiedAttributes=["email", "phone_number"])["Id"]
    job = aws.run(pool_id, csv, "BCRYPT")
    assert (job["Status"], counts(job)) == ("Succeeded", (2, 0, 0))
    assert {status_of(aws.idp, pool_id, name) for name in ("alejandro_rosalez", "mary_major")} == {"CONFIRMED"}


# --- signing in with an imported hash --------------------------------------------------


@both_modes
def test_imported_users_sign_in_with_their_original_password(aws, small_hashes):
    idp = aws.idp
    pool_id = aws.pool()["Id"]
    for algorithm in ALGORITHMS:
        rows = [(f"{algorithm.lower()}_{flow.lower()}", small_hashes[algorithm]) for flow in PASSWORD_FLOWS]
        assert counts(aws.run(pool_id, hash_csv(rows), algorithm)) == (2, 0, 0)
    client_id = app_client(idp, pool_id)
    for algorithm in ALGORITHMS:
        for flow in PASSWORD_FLOWS:
            user = f"{algorithm.lower()}_{flow.lower()}"
            assert status_of(idp, pool_id, user) == "CONFIRMED"
            assert sign_in_error(idp, pool_id, client_id, flow, user, WRONG_PASSWORD) == INCORRECT, user
            assert "AccessToken" in sign_in(idp, pool_id, client_id, flow, user, PASSWORD)["AuthenticationResult"]
            # From now on moto's own password check answers.
            assert "AccessToken" in sign_in(idp, pool_id, client_id, flow, user, PASSWORD)["AuthenticationResult"]
            assert sign_in_error(idp, pool_id, client_id, flow, user, WRONG_PASSWORD) == INCORRECT, user


def test_a_hash_at_cognitos_maximum_cost_signs_in(aws):
    pool_id, client_id = import_with_hashes(aws, "PBKDF2_SHA256", [("ann", make_pbkdf2(600000))])
    assert "AuthenticationResult" in sign_in(aws.idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", PASSWORD)


def test_srp_works_only_after_the_first_sign_in_and_then_the_password_is_native(aws, small_hashes):
    idp = aws.idp
    pool_id, client_id = import_with_hashes(aws, "SCRYPT", [("ann", small_hashes["SCRYPT"])])
    # "Until a user completes their first sign-in ... you can't use SRP authentication".
    assert sign_in_error(idp, pool_id, client_id, "USER_SRP_AUTH", "ann", PASSWORD) == INCORRECT
    tokens = sign_in(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", PASSWORD)["AuthenticationResult"]
    assert sign_in(idp, pool_id, client_id, "USER_SRP_AUTH", "ann", PASSWORD)["ChallengeName"] == "PASSWORD_VERIFIER"
    idp.change_password(AccessToken=tokens["AccessToken"], PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD)
    # Had the imported hash survived, the old password would still sign in through it.
    assert sign_in_error(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", PASSWORD) == INCORRECT
    assert "AuthenticationResult" in sign_in(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", NEW_PASSWORD)
    idp.admin_set_user_password(UserPoolId=pool_id, Username="ann", Password="Th1rd-password!", Permanent=True)
    assert "AuthenticationResult" in sign_in(idp, pool_id, client_id, "ADMIN_USER_PASSWORD_AUTH", "ann", "Th1rd-password!")


def test_a_request_moto_refuses_does_not_spend_the_imported_hash(aws, small_hashes):
    """The original password is checked against the hash only for a request moto would serve:
    a made-up app client or a flow the API does not take neither signs in nor turns the hash
    into moto's password (after which SRP would work before any sign-in)."""
    idp = aws.idp
    pool_id, client_id = import_with_hashes(aws, "BCRYPT", [("ann", small_hashes["BCRYPT"])])
    parameters = {"USERNAME": "ann", "PASSWORD": PASSWORD}
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.initiate_auth(ClientId=client_id, AuthFlow="ADMIN_NO_SRP_AUTH", AuthParameters=parameters)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.admin_initiate_auth(
            UserPoolId=pool_id, ClientId="madeup", AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=parameters
        )
    assert sign_in_error(idp, pool_id, client_id, "USER_SRP_AUTH", "ann", PASSWORD) == INCORRECT  # still the hash
    assert "AuthenticationResult" in sign_in(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", PASSWORD)


def test_a_password_reset_before_the_first_sign_in_replaces_the_hash(aws, small_hashes):
    idp = aws.idp
    pool_id, client_id = import_with_hashes(aws, "ARGON2ID", [("ann", small_hashes["ARGON2ID"])])
    reset_password(idp, client_id, "ann", NEW_PASSWORD)
    assert status_of(idp, pool_id, "ann") == "CONFIRMED"
    assert sign_in_error(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", PASSWORD) == INCORRECT
    assert "AuthenticationResult" in sign_in(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", NEW_PASSWORD)
    assert sign_in(idp, pool_id, client_id, "USER_SRP_AUTH", "ann", NEW_PASSWORD)["ChallengeName"] == "PASSWORD_VERIFIER"


def test_admin_set_user_password_before_the_first_sign_in_replaces_the_hash(aws, small_hashes):
    idp = aws.idp
    pool_id, client_id = import_with_hashes(aws, "BCRYPT", [("ann", small_hashes["BCRYPT"])])
    idp.admin_set_user_password(UserPoolId=pool_id, Username="ann", Password=NEW_PASSWORD, Permanent=True)
    assert sign_in_error(idp, pool_id, client_id, "ADMIN_USER_PASSWORD_AUTH", "ann", PASSWORD) == INCORRECT
    assert "AuthenticationResult" in sign_in(idp, pool_id, client_id, "ADMIN_USER_PASSWORD_AUTH", "ann", NEW_PASSWORD)


# --- passwordless pools ------------------------------------------------------------------


@pytest.mark.parametrize(
    "factor, with_factor, without_factor",
    [
        ("EMAIL_OTP", "ann,ann@example.com,true,,", "bob,,,+12065550100,true"),
        ("SMS_OTP", "ann,,,+12065550100,true", "bob,bob@example.com,true,,"),
    ],
    ids=["EMAIL_OTP", "SMS_OTP"],
)
def test_a_passwordless_pool_imports_users_with_the_factor_attribute_confirmed(aws, factor, with_factor, without_factor):
    """Guide, "Requiring imported users to reset their passwords": users imported "with the
    ability to sign in with a passwordless factor" are CONFIRMED instead of RESET_REQUIRED.
    moto keeps CreateUserPool's Policies.SignInPolicy as given, so the pool reads it back."""
    idp = aws.idp
    pool = aws.pool(
        AutoVerifiedAttributes=["email", "phone_number"],
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", factor]}},
    )
    assert idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["Policies"]["SignInPolicy"] == {
        "AllowedFirstAuthFactors": ["PASSWORD", factor]
    }
    csv = f"cognito:username,email,email_verified,phone_number,phone_number_verified\n{with_factor}\n{without_factor}\n"
    assert counts(aws.run(pool["Id"], csv)) == (2, 0, 0)
    assert status_of(idp, pool["Id"], "ann") == "CONFIRMED"
    assert status_of(idp, pool["Id"], "bob") == "RESET_REQUIRED"
    # ann has no password at all: a password sign-in fails like a wrong password, even one
    # that leaves PASSWORD out (moto alone would sign her in).
    client_id = app_client(idp, pool["Id"])
    assert sign_in_error(idp, pool["Id"], client_id, "USER_PASSWORD_AUTH", "ann", PASSWORD) == INCORRECT
    # No SRP verifier either: moto's SRP, which never checks a password, gave her tokens.
    assert sign_in_error(idp, pool["Id"], client_id, "USER_SRP_AUTH", "ann", PASSWORD) == INCORRECT
    with pytest.raises(ClientError) as exc:
        idp.admin_initiate_auth(
            UserPoolId=pool["Id"], ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ann"}
        )
    assert error_of(exc) == INCORRECT


def test_a_client_with_a_secret_needs_the_secret_hash_before_a_hash_is_checked(aws, small_hashes):
    """Cognito checks the app client's SECRET_HASH before it looks at the user (AWS Knowledge
    Center, "cognito-unable-to-verify-secret-hash"); moto checks it only for SRP, so the
    imported hash was spent, and a RESET_REQUIRED user's state told, without it."""
    idp = aws.idp
    pool_id = aws.pool(UsernameConfiguration={"CaseSensitive": False})["Id"]
    assert counts(aws.run(pool_id, hash_csv([("ann", small_hashes["BCRYPT"])]), "BCRYPT")) == (1, 0, 0)
    assert counts(aws.run(pool_id, "cognito:username,email,email_verified\nbob,bob@example.com,true\n")) == (1, 0, 0)
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="secret", GenerateSecret=True, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    client_id = client["ClientId"]

    def secret_hash(username: str) -> str:
        digest = hmac.new(client["ClientSecret"].encode(), (username + client_id).encode(), hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    def attempt(username: str, **extra: str) -> Any:
        parameters = {"USERNAME": username, "PASSWORD": PASSWORD, **extra}
        return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=parameters)

    for username in ("ann", "bob"):
        with pytest.raises(ClientError) as exc:
            attempt(username)
        assert error_of(exc) == (
            "NotAuthorizedException", f"Client {client_id} is configured for secret but secret was not received"
        ), username
        with pytest.raises(ClientError) as exc:
            attempt(username, SECRET_HASH=secret_hash("someone else"))
        assert error_of(exc) == ("NotAuthorizedException", f"Unable to verify secret hash for client {client_id}"), username
    # The hash is over the name the client sends, not the stored one ("ann").
    with pytest.raises(ClientError) as exc:
        attempt("ANN", SECRET_HASH=secret_hash("ann"))
    assert error_of(exc) == ("NotAuthorizedException", f"Unable to verify secret hash for client {client_id}")
    assert "AuthenticationResult" in attempt("ANN", SECRET_HASH=secret_hash("ANN"))
    with pytest.raises(idp.exceptions.PasswordResetRequiredException):
        attempt("bob", SECRET_HASH=secret_hash("bob"))


def test_the_secret_hash_of_a_name_beyond_latin_1_is_over_its_utf_8(aws, small_hashes):
    """The developer guide's "Computing secret hash values": Base64(HMAC-SHA256(client secret,
    username + client ID)), which its examples encode as UTF-8. The plugin's check used moto's
    ``check_secret_hash``, which encodes Latin-1: an imported user named 山田 (a valid
    UsernameType) made every password sign-in and reset through a client with a secret an
    UnicodeEncodeError (HTTP 500), and José's UTF-8 hash was refused."""
    idp = aws.idp
    pool_id = aws.pool()["Id"]
    names = ("山田", "José")
    assert counts(aws.run(pool_id, hash_csv([(name, small_hashes["BCRYPT"]) for name in names]), "BCRYPT")) == (2, 0, 0)
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="secret", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]
    client_id = client["ClientId"]

    def secret_hash(username: str) -> str:
        digest = hmac.new(client["ClientSecret"].encode(), (username + client_id).encode(), hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    yamada, jose = ({"USERNAME": name, "PASSWORD": PASSWORD, "SECRET_HASH": secret_hash(name)} for name in names)
    assert "AuthenticationResult" in idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=yamada
    )
    assert "AuthenticationResult" in idp.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=jose
    )
    latin_1 = base64.b64encode(hmac.new(
        client["ClientSecret"].encode(), ("José" + client_id).encode("latin-1"), hashlib.sha256
    ).digest()).decode()
    with pytest.raises(ClientError) as exc:
        idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={**jose, "SECRET_HASH": latin_1})
    assert error_of(exc) == ("NotAuthorizedException", f"Unable to verify secret hash for client {client_id}")
    idp.admin_reset_user_password(UserPoolId=pool_id, Username="山田")
    idp.forgot_password(ClientId=client_id, Username="山田", SecretHash=secret_hash("山田"))
    # A raw request's lone surrogate is no UTF-8: a wrong hash, not an HTTP 500.
    refused = aws.raw("InitiateAuth", {"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                                       "AuthParameters": {**jose, "SECRET_HASH": "\udc80"}})
    assert (refused.status_code, refused.json()["__type"]) == (400, "NotAuthorizedException")


@decorator_only  # resets the user from inside the hash check, as another client's call would
def test_a_user_reset_while_the_hash_is_checked_is_not_signed_in(aws, small_hashes, monkeypatch):
    """The hash is checked without the plugin's lock; an AdminResetUserPassword answered in
    the meantime made the user RESET_REQUIRED, and the sign-in still got tokens."""
    from moto.cognitoidp.models import cognitoidp_backends

    from moto_cognito_import.sign_in import rules

    idp = aws.idp
    pool_id, client_id = import_with_hashes(aws, "BCRYPT", [("ann", small_hashes["BCRYPT"])])
    check = rules.verify_password

    def reset_meanwhile(stored: Any, password: str) -> bool:
        cognitoidp_backends[ACCOUNT][REGION].admin_reset_user_password(pool_id, "ann")
        return check(stored, password)

    monkeypatch.setattr(rules, "verify_password", reset_meanwhile)
    assert sign_in_error(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", PASSWORD) == (
        "PasswordResetRequiredException", "Password reset required for the user"
    )
    assert status_of(idp, pool_id, "ann") == "RESET_REQUIRED"


@decorator_only  # moves the alias from inside the hash check, as another client's call would
def test_an_alias_that_moves_while_the_hash_is_checked_signs_in_its_new_holder_s_way(aws, small_hashes, monkeypatch):
    """The hash is checked without the plugin's lock; an alias that moved to bob meanwhile
    (bob's email verified) was answered NotAuthorizedException and ann's hash spent, as moto
    then signed in by the name it found anew: bob. Now the sign-in is bob's, as if after the move."""
    from moto.cognitoidp.models import cognitoidp_backends

    from moto_cognito_import.sign_in import rules

    idp = aws.idp
    pool_id = aws.pool(AliasAttributes=["email"])["Id"]
    rows = hash_csv([("ann", small_hashes["BCRYPT"])]).replace("ann@example.com", "shared@example.com")
    assert counts(aws.run(pool_id, rows, "BCRYPT")) == (1, 0, 0)
    assert counts(aws.run(pool_id, "cognito:username,email,email_verified\nbob,bob@example.com,true\n")) == (1, 0, 0)
    client_id = app_client(idp, pool_id)
    check = rules.verify_password

    def move_meanwhile(stored: Any, password: str) -> bool:
        cognitoidp_backends[ACCOUNT][REGION].admin_update_user_attributes(pool_id, "bob", [
            {"Name": "email", "Value": "shared@example.com"}, {"Name": "email_verified", "Value": "true"},
        ])
        return check(stored, password)

    monkeypatch.setattr(rules, "verify_password", move_meanwhile)
    assert sign_in_error(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "shared@example.com", PASSWORD) == (
        "PasswordResetRequiredException", "Password reset required for the user"
    )
    monkeypatch.setattr(rules, "verify_password", check)
    assert "AuthenticationResult" in sign_in(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", PASSWORD)


@decorator_only  # moves the alias from inside every hash check
def test_a_name_that_moves_at_every_hash_check_is_refused_not_followed_for_ever(aws, small_hashes, monkeypatch):
    """Each move sent the sign-in after the name's new holder: one at every check (other
    clients' updates) ended in RecursionError, an HTTP 500 on the server."""
    from moto.cognitoidp.models import cognitoidp_backends

    from moto_cognito_import.sign_in import rules

    pool_id = aws.pool(AliasAttributes=["email"])["Id"]
    rows = hash_csv([("ann", small_hashes["BCRYPT"]), ("bob", small_hashes["BCRYPT"])])
    assert counts(aws.run(pool_id, rows.replace("ann@example.com", "shared@example.com"), "BCRYPT")) == (2, 0, 0)
    client_id = app_client(aws.idp, pool_id)
    check, holders = rules.verify_password, iter(["bob", "ann"] * 10)

    def move_at_every_check(stored: Any, password: str) -> bool:
        cognitoidp_backends[ACCOUNT][REGION].admin_update_user_attributes(pool_id, next(holders), [
            {"Name": "email", "Value": "shared@example.com"}, {"Name": "email_verified", "Value": "true"},
        ])
        return check(stored, password)

    monkeypatch.setattr(rules, "verify_password", move_at_every_check)
    assert sign_in_error(aws.idp, pool_id, client_id, "USER_PASSWORD_AUTH", "shared@example.com", PASSWORD) == INCORRECT


def test_another_user_s_session_cannot_answer_for_a_user_holding_an_imported_hash(aws, small_hashes):
    """moto took a challenge's answer in any user's name: an SRP session of one user signed in
    a user whose imported hash no SRP can prove, and a NEW_PASSWORD_REQUIRED session replaced
    that user's hash. Both are Cognito's NotAuthorizedException for another user's session."""
    idp = aws.idp
    pool_id, client_id = import_with_hashes(aws, "BCRYPT", [("ann", small_hashes["BCRYPT"])])
    idp.admin_create_user(UserPoolId=pool_id, Username="m", TemporaryPassword="Tmp-Passw0rd!", MessageAction="SUPPRESS")
    challenge = sign_in(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "m", "Tmp-Passw0rd!")
    with pytest.raises(ClientError) as exc:
        idp.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "ann", "NEW_PASSWORD": NEW_PASSWORD},
        )
    assert error_of(exc) == INVALID_SESSION
    srp = sign_in(idp, pool_id, client_id, "USER_SRP_AUTH", "m", "")
    with pytest.raises(ClientError) as exc:
        answer_password_verifier(idp, client_id, srp["Session"], "ann")
    assert error_of(exc) == INVALID_SESSION
    assert "AccessToken" in sign_in(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "ann", PASSWORD)["AuthenticationResult"]


def test_a_user_imported_with_mfa_enabled_signs_in_through_an_sms_mfa_challenge(aws, small_hashes):
    """``cognito:mfa_enabled`` is the user's own MFA (developer guide, "Creating the user import
    .csv file": "If you've set MFA to be optional, this field can be either true or false"): by
    SMS, to the row's phone number, the one factor an import can carry. It was checked against
    the pool's MFA setting and then dropped: the user signed in without a second factor."""
    idp = aws.idp
    pool_id = aws.pool(MfaConfiguration="OPTIONAL", SmsConfiguration={"SnsCallerArn": f"arn:aws:iam::{ACCOUNT}:role/sms"})["Id"]
    header = "cognito:username,email,email_verified,phone_number,cognito:mfa_enabled,password_hash"
    hashed = csv_value(small_hashes["BCRYPT"])
    rows = [f"on,on@example.com,true,+15555550100,true,{hashed}", f"off,off@example.com,true,+15555550101,false,{hashed}",
            f"nophone,nophone@example.com,true,,true,{hashed}", f"blank,blank@example.com,true,+15555550102,,{hashed}"]
    assert counts(aws.run(pool_id, "\n".join([header, *rows]) + "\n", "BCRYPT")) == (4, 0, 0)
    client_id = app_client(idp, pool_id)
    for username, mfa in (("on", "SMS_MFA"), ("off", ""), ("nophone", ""), ("blank", "")):
        user = idp.admin_get_user(UserPoolId=pool_id, Username=username)  # moto's answers for no MFA: [], ""
        assert (user["UserMFASettingList"], user["PreferredMfaSetting"]) == ([mfa] if mfa else [], mfa), username
    challenge = sign_in(idp, pool_id, client_id, "USER_PASSWORD_AUTH", "on", PASSWORD)
    assert challenge["ChallengeName"] == "SMS_MFA" and "AuthenticationResult" not in challenge
    answered = idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="SMS_MFA", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "on", "SMS_MFA_CODE": "123456"},
    )
    assert "AccessToken" in answered["AuthenticationResult"]
    for username in ("off", "nophone", "blank"):
        assert "AuthenticationResult" in sign_in(idp, pool_id, client_id, "USER_PASSWORD_AUTH", username, PASSWORD)
    # Where MFA is required, a blank value (or no column) stands for true.
    required = aws.pool(MfaConfiguration="ON", SmsConfiguration={"SnsCallerArn": f"arn:aws:iam::{ACCOUNT}:role/sms"})["Id"]
    csv = f"cognito:username,email,email_verified,phone_number,password_hash\nreq,req@example.com,true,+15555550103,{hashed}\n"
    assert counts(aws.run(required, csv, "BCRYPT")) == (1, 0, 0)
    assert idp.admin_get_user(UserPoolId=required, Username="req")["UserMFASettingList"] == ["SMS_MFA"]
