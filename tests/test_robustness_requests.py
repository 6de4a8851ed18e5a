"""Hostile requests to the six operations, sent as raw HTTP the way any client could.

Whatever the body (random JSON, wrong types, huge or odd unicode strings, nulls, nesting,
missing or unknown members, JSON that is not an object, bytes that are not JSON or not UTF-8,
nothing at all), the answer is an HTTP 400 whose JSON body botocore parses into one of the
operation's modelled errors or AWS JSON 1.1's protocol-level SerializationException, never a
500 or an HTML page, and the fake's state is unchanged.
Each test runs under ``mock_aws`` (requests to the real AWS endpoint) and, where the transport
can matter, against the server subprocess too, via the ``aws`` fixture.

Hypothesis: ``max_examples`` 25 per operation, strategy and mode,
``derandomize=True`` (the same examples on every run, so CI never flakes), no example
database, no deadline.
"""

from __future__ import annotations

import gzip
import http.client
import json
import math
import re
import socket
import string
import tracemalloc
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import botocore.session
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import create_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REGION, decorator_only, server_only
from moto_cognito_import.password_hashes import ALGORITHMS

DECORATOR_ENDPOINT = f"https://cognito-idp.{REGION}.amazonaws.com/"
CSV = "cognito:username,email,email_verified\nalice,alice@example.com,true\n"
#: The fuzzing explores the package's own request validation, with the same examples on every run:
#: tox's "lowest" leaves it out (tox.ini) and runs the named bad bodies, which meet moto as it does.
FUZZING = pytest.mark.newest_only
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Each operation's members (botocore 1.44's model; PasswordHashingAlgorithm is accepted
# whatever botocore is installed) and the members it requires.
MEMBERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "CreateUserImportJob": (("JobName", "UserPoolId", "CloudWatchLogsRoleArn"), ("PasswordHashingAlgorithm",)),
    "DescribeUserImportJob": (("UserPoolId", "JobId"), ()),
    "ListUserImportJobs": (("UserPoolId", "MaxResults"), ("PaginationToken",)),
    "StartUserImportJob": (("UserPoolId", "JobId"), ()),
    "StopUserImportJob": (("UserPoolId", "JobId"), ()),
    "GetCSVHeader": (("UserPoolId",), ()),
}
OPERATIONS = list(MEMBERS)
ALL_MEMBERS = sorted({m for required, optional in MEMBERS.values() for m in required + optional})
# Maximum lengths from the model, and characters outside each member's pattern.
MAX_LENGTH = {"UserPoolId": 55, "JobId": 55, "JobName": 128, "CloudWatchLogsRoleArn": 2048}
OUTSIDE_PATTERN = {
    "UserPoolId": "!#$%*;<>?^`{|}~ é漢\x00/",
    "JobId": "!#$%*;<>?^`{|}~ é漢\x00/_",
    "JobName": "!#$%*;<>?^`{|}~é漢\x00/",
    "CloudWatchLogsRoleArn": "!#$%*;<>?^`{|}~ é漢\x00",
    "PaginationToken": " \t\n",
}

SERVICE_MODEL = botocore.session.get_session().get_service_model("cognito-idp")


@dataclass
class World:
    """A prepared pool (one user, one job with an uploaded file) and a raw HTTP client."""

    url: str
    idp: Any
    pool_id: str
    job_id: str
    role_arn: str

    def post(self, operation: str, body: bytes) -> requests.Response:
        return requests.post(
            self.url,
            data=body,
            headers={
                "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
                "Content-Type": "application/x-amz-json-1.1",
            },
            timeout=30,
        )

    def jobs(self) -> str:
        """The prepared pool's jobs: what a wrongly accepted Create, Start or Stop changes."""
        jobs = self.idp.list_user_import_jobs(UserPoolId=self.pool_id, MaxResults=60)["UserImportJobs"]
        return json.dumps(jobs, default=str, sort_keys=True)

    def snapshot(self) -> str:
        """Everything a rejected request could have changed, as one comparable string."""
        state = {
            "pools": self.idp.list_user_pools(MaxResults=60)["UserPools"],
            "jobs": self.jobs(),
            "users": self.idp.list_users(UserPoolId=self.pool_id)["Users"],
        }
        return json.dumps(state, default=str, sort_keys=True)

    def valid_body(self, operation: str) -> dict[str, Any]:
        """A request that would succeed (or fail only on the job's state)."""
        return {
            "CreateUserImportJob": {"JobName": "robust", "UserPoolId": self.pool_id, "CloudWatchLogsRoleArn": self.role_arn},
            "ListUserImportJobs": {"UserPoolId": self.pool_id, "MaxResults": 10},
            "GetCSVHeader": {"UserPoolId": self.pool_id},
        }.get(operation, {"UserPoolId": self.pool_id, "JobId": self.job_id})


@pytest.fixture
def world(aws) -> World:
    idp = aws.idp  # one client for the whole test: creating boto3 clients is the slow part
    pool_id = idp.create_user_pool(PoolName="robust", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="existing")
    role_arn = aws.logs_role()
    job = idp.create_user_import_job(JobName="prepared", UserPoolId=pool_id, CloudWatchLogsRoleArn=role_arn)
    job_id = job["UserImportJob"]["JobId"]
    assert aws.upload(job["UserImportJob"]["PreSignedUrl"], CSV).status_code == 200
    return World(aws.endpoint or DECORATOR_ENDPOINT, idp, pool_id, job_id, role_arn)


def modelled_error(operation: str, response: requests.Response) -> tuple[str, str]:
    """Assert ``response`` is a JSON error botocore parses into one of the operation's
    modelled errors, or SerializationException (the protocol's own, which every AWS JSON 1.1
    operation may answer); return its (Code, Message)."""
    # Every modelled error of these operations is a 400, except InternalErrorException (500).
    assert response.status_code == 400, (response.status_code, response.text[:500])
    assert response.headers["Content-Type"].startswith("application/x-amz-json-1.1"), response.text[:500]
    document = response.json()
    assert isinstance(document, dict) and "__type" in document, response.text[:500]
    operation_model = SERVICE_MODEL.operation_model(operation)
    parsed = create_parser("json").parse(
        {"status_code": response.status_code, "headers": response.headers, "body": response.content},
        operation_model.output_shape,
    )
    error = parsed["Error"]
    assert error["Code"] in {shape.name for shape in operation_model.error_shapes} | {"SerializationException"}, error
    assert error["Message"] or error["Code"] == "SerializationException", error
    assert set(document) <= {"__type", "message"}, document  # issue 13: one lower-case message
    return error["Code"], error["Message"]


# --- strategies -----------------------------------------------------------------------------

huge_strings = st.builds(lambda char, count: char * count, st.characters(), st.integers(5_000, 60_000))
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()  # NaN and ±Infinity included: Python's json writes and reads them
    | st.text()
    | huge_strings
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
member_names = st.sampled_from(ALL_MEMBERS) | st.text(max_size=12)
json_objects = st.dictionaries(member_names, json_values, max_size=6)


def encoded(value: Any) -> st.SearchStrategy[bytes]:
    return st.booleans().map(lambda ascii_only: json.dumps(value, ensure_ascii=ascii_only).encode("utf-8"))


arbitrary_bodies = st.one_of(
    json_objects.flatmap(encoded),
    json_values.filter(lambda v: not isinstance(v, dict)).flatmap(encoded),  # JSON, not an object
    st.binary(max_size=300),  # mostly not JSON, often not UTF-8
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth),  # nesting
    st.just(b""),
)


def wrong_type(member: str) -> st.SearchStrategy[Any]:
    """Any JSON value of the wrong kind for ``member`` (never null: null means absent; never a
    number for MaxResults: Coral truncates a fraction to an integer)."""
    if member == "MaxResults":
        return json_values.filter(lambda v: v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))))
    return json_values.filter(lambda v: v is not None and not isinstance(v, str))


@st.composite
def broken_bodies(draw: st.DrawFn, world: World, operation: str) -> tuple[dict[str, Any], str]:
    """A valid request for the prepared pool/job with one to three violations, and the error
    it must get: SerializationException when a member has the wrong kind (Coral deserializes
    before it validates), else InvalidParameterException. Unknown members ride along: they are
    ignored."""
    required, optional = MEMBERS[operation]
    body = world.valid_body(operation)
    kinds = ["unknown", "wrong_type"] + (["missing", "null"] if required else [])
    strings = [m for m in required + optional if m in OUTSIDE_PATTERN]
    if any(m in MAX_LENGTH for m in strings):
        kinds.append("too_long")
    if strings:
        kinds.append("pattern")
    if "MaxResults" in required:
        kinds.append("range")
    if "PasswordHashingAlgorithm" in optional:
        kinds.append("enum")
    drawn = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3).filter(lambda k: set(k) != {"unknown"}))
    for kind in drawn:
        if kind == "unknown":
            name = draw(st.text(max_size=20).filter(lambda n: n not in required + optional))
            body[name] = draw(json_values)
        elif kind == "wrong_type":
            member = draw(st.sampled_from(required + optional))
            body[member] = draw(wrong_type(member))
        elif kind == "missing":
            body.pop(draw(st.sampled_from(required)), None)
        elif kind == "null":
            body[draw(st.sampled_from(required))] = None
        elif kind == "too_long":
            member = draw(st.sampled_from([m for m in strings if m in MAX_LENGTH]))
            base = body.get(member) if isinstance(body.get(member), str) else world.valid_body(operation)[member]
            body[member] = base + "a" * draw(st.integers(MAX_LENGTH[member] + 1 - len(base), 5_000))
        elif kind == "pattern":
            member = draw(st.sampled_from(strings))
            base = body.get(member) if isinstance(body.get(member), str) else "x"
            at = draw(st.integers(0, len(base)))
            body[member] = base[:at] + draw(st.sampled_from(OUTSIDE_PATTERN[member])) + base[at:]
        elif kind == "range":
            body["MaxResults"] = draw(st.integers(max_value=0) | st.integers(min_value=61))
        else:  # enum
            body["PasswordHashingAlgorithm"] = draw(
                st.text(string.ascii_uppercase + "_", max_size=20).filter(
                    lambda a: a not in ALGORITHMS
                )
            )
    wrong_kind = any(
        body.get(m) is not None and (isinstance(body[m], bool) or not isinstance(body[m], int if m == "MaxResults" else str))
        for m in required + optional
    )
    return body, "SerializationException" if wrong_kind or not_json(body) else "InvalidParameterException"


def not_json(value: Any) -> bool:
    """Whether ``value`` holds NaN or ±Infinity anywhere: Python's json writes them, but they
    are not JSON, and Coral cannot read the body at all."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(not_json(v) for v in value.values())
    if isinstance(value, list):
        return any(not_json(v) for v in value)
    return False


# --- tests ----------------------------------------------------------------------------------


@FUZZING
def test_any_body_gets_a_modelled_400_json_error_and_changes_nothing(aws, world):
    """One test per mode, a hypothesis run per operation: creating the pool is the slow part."""
    before, jobs = world.snapshot(), world.jobs()
    for operation in OPERATIONS:

        @FUZZ
        @given(body=arbitrary_bodies)
        def check(body: bytes) -> None:
            modelled_error(operation, world.post(operation, body))
            assert world.jobs() == jobs, operation  # cheap, after every request

        check()
        assert world.snapshot() == before, operation  # pools, jobs and users


@FUZZING
@decorator_only  # the body is JSON either way; test_any_body_gets_... sends any bytes to both modes
def test_a_valid_request_with_any_broken_member_is_refused_with_the_right_error(aws, world):
    """The base request targets the real pool and an uploaded job, so if validation let any
    broken member through, Create/Start/Stop would change the snapshot."""
    before, jobs = world.snapshot(), world.jobs()
    for operation in OPERATIONS:

        @FUZZ
        @given(broken=broken_bodies(world, operation), ascii_only=st.booleans())
        def check(broken: tuple[dict[str, Any], str], ascii_only: bool) -> None:
            body, expected = broken
            response = world.post(operation, json.dumps(body, ensure_ascii=ascii_only).encode("utf-8"))
            code, message = modelled_error(operation, response)
            assert code == expected, (operation, body, message)
            assert world.jobs() == jobs, operation

        check()
        assert world.snapshot() == before, operation


def validation_message(*errors: str) -> str:
    noun = "error" if len(errors) == 1 else "errors"
    return f"{len(errors)} validation {noun} detected: " + "; ".join(errors)


POOL = f"{REGION}_aaaaaaaaa"
SERIALIZATION = "SerializationException"
INVALID = "InvalidParameterException"


# (case, operation, body, (code, exact message)). Coral's SerializationException texts are
# from captures of Cognito (amplify-js#5165, #4738) and raw probes of Athena and EventBridge
# Scheduler (same stack); bodies that are not JSON get no message at all.
#: What Cognito answers a list call without MaxResults (or with null): a Java int's 0.
MAX_RESULTS_ZERO = validation_message(
    "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
)

KNOWN_BAD = [
    (
        "string-max-results",
        "ListUserImportJobs",
        f'{{"UserPoolId": "{POOL}", "MaxResults": "10"}}'.encode(),
        (SERIALIZATION, "STRING_VALUE can not be converted to an Integer"),
    ),
    (
        "boolean-max-results",
        "ListUserImportJobs",
        f'{{"UserPoolId": "{POOL}", "MaxResults": true}}'.encode(),
        (SERIALIZATION, "TRUE_VALUE can not be converted to an Integer"),
    ),
    (
        "number-job-name",
        "CreateUserImportJob",
        b'{"JobName": 15, "UserPoolId": "us-east-1_aaaaaaaaa", "CloudWatchLogsRoleArn": "arn:aws:iam::1:role/r"}',
        (SERIALIZATION, "NUMBER_VALUE can not be converted to a String"),
    ),
    *(
        (
            f"decimal-job-id-{name}",  # Coral's DECIMAL_VALUE token (architect/dynalite's DynamoDB probes)
            "DescribeUserImportJob",
            f'{{"UserPoolId": "{POOL}", "JobId": {number}}}'.encode(),
            (SERIALIZATION, "DECIMAL_VALUE can not be converted to a String"),
        )
        for name, number in [("fraction", "1.5"), ("exponent", "1e3"), ("zero-exponent", "1E0")]
    ),
    (
        "false-job-id",
        "DescribeUserImportJob",
        f'{{"UserPoolId": "{POOL}", "JobId": false}}'.encode(),
        (SERIALIZATION, "FALSE_VALUE can not be converted to a String"),
    ),
    (
        "structure-for-a-string",  # amplify-js#5165's body shape
        "GetCSVHeader",
        b'{"UserPoolId": {"id": "us-east-1_aaaaaaaaa"}}',
        (SERIALIZATION, "Start of structure or map found where not expected."),
    ),
    (
        "list-for-a-string",
        "GetCSVHeader",
        b'{"UserPoolId": ["us-east-1_aaaaaaaaa"]}',
        (SERIALIZATION, "Start of list found where not expected"),
    ),
    (
        "wrong-kind-wins-over-validation",
        "ListUserImportJobs",
        b'{"UserPoolId": "bad pool", "MaxResults": "10"}',
        (SERIALIZATION, "STRING_VALUE can not be converted to an Integer"),
    ),
    (
        "missing-member",
        "DescribeUserImportJob",
        f'{{"UserPoolId": "{POOL}"}}'.encode(),
        (INVALID, validation_message("Value null at 'jobId' failed to satisfy constraint: Member must not be null")),
    ),
    (
        "null-member",
        "StartUserImportJob",
        f'{{"UserPoolId": "{POOL}", "JobId": null}}'.encode(),
        (INVALID, validation_message("Value null at 'jobId' failed to satisfy constraint: Member must not be null")),
    ),
    (
        "fraction-truncated-then-validated",
        "ListUserImportJobs",
        f'{{"UserPoolId": "{POOL}", "MaxResults": 60.9, "Extra": 1}}'.encode(),
        ("ResourceNotFoundException", f"User pool {POOL} does not exist."),  # 60 is valid; Extra ignored
    ),
    (
        "missing-max-results-is-a-java-int-0",  # aws-sdk-js-v3#2335, aws-cli#3866, aws-cli#5843
        "ListUserImportJobs",
        f'{{"UserPoolId": "{POOL}"}}'.encode(),
        (INVALID, MAX_RESULTS_ZERO),
    ),
    (
        "null-max-results-too",
        "ListUserImportJobs",
        f'{{"UserPoolId": "{POOL}", "MaxResults": null}}'.encode(),
        (INVALID, MAX_RESULTS_ZERO),
    ),
    *(
        (
            # Read, then out of range: Athena (same stack) answers MaxResults 99999999999 with
            # its range error (aoyagikouhei/athena-local tests/request.rs, measured on AWS)
            f"max-results-{name}",
            "ListUserImportJobs",
            f'{{"UserPoolId": "{POOL}", "MaxResults": {number}}}'.encode(),
            (
                INVALID,
                validation_message(
                    f"Value '{shown}' at 'maxResults' failed to satisfy constraint: Member must have value {bound}"
                ),
            ),
        )
        for name, number, shown, bound in [
            ("beyond-a-java-int", "2147483648", "2147483648", "less than or equal to 60"),
            ("as-athena-was-probed", "99999999999", "99999999999", "less than or equal to 60"),
            ("below-a-java-int", "-99999999999", "-99999999999", "greater than or equal to 1"),
            ("past-python-s-4300-digits", "9" * 5000, "9" * 5000, "less than or equal to 60"),
            ("a-huge-exponent", "1e999999999", "1E+999999999", "less than or equal to 60"),
            ("a-fraction-beyond", "2147483648.5", "2147483648", "less than or equal to 60"),
        ]
    ),
    *(
        (
            f"max-results-no-decimal-holds-{name}",  # nor Java's BigDecimal
            "ListUserImportJobs",
            f'{{"UserPoolId": "{POOL}", "MaxResults": {number}}}'.encode(),
            (SERIALIZATION, "NUMBER_VALUE can not be converted to an Integer"),
        )
        for name, number in [
            ("large", "1e9999999999999999999"), ("small", "-1.5e-9999999999999999999"),
            ("an-18-digit-exponent-adjusted-past-it", "12345e999999999999999999"),
            ("zero-with-such-an-exponent", "-0e99999999999999999999"),
        ]
    ),
    (
        "an-unknown-member-with-an-exponent-no-decimal-holds-is-ignored",  # was an HTTP 500
        "ListUserImportJobs",
        f'{{"UserPoolId": "{POOL}", "MaxResults": 5, "Extra": 1e9999999999999999999}}'.encode(),
        ("ResourceNotFoundException", f"User pool {POOL} does not exist."),
    ),
    (
        "an-unknown-member-of-5000-digits-is-ignored-too",
        "ListUserImportJobs",
        f'{{"UserPoolId": "{POOL}", "MaxResults": 5, "Extra": -{"9" * 5000}}}'.encode(),
        ("ResourceNotFoundException", f"User pool {POOL} does not exist."),
    ),
    (
        "a-repeated-member-s-wrong-kind-counts-though-the-last-is-right",  # Coral reads a stream
        "DescribeUserImportJob",
        f'{{"UserPoolId": {{}}, "UserPoolId": "{POOL}", "JobId": "import-AAAAAAAAAA"}}'.encode(),
        (SERIALIZATION, "Start of structure or map found where not expected."),
    ),
    (
        "a-repeated-member-s-last-value-stands",
        "ListUserImportJobs",
        f'{{"UserPoolId": "{POOL}", "MaxResults": 5, "MaxResults": null}}'.encode(),
        (INVALID, MAX_RESULTS_ZERO),
    ),
    ("nan-is-not-json", "ListUserImportJobs", f'{{"UserPoolId": "{POOL}", "MaxResults": NaN}}'.encode(), (SERIALIZATION, "")),
    ("infinity-even-where-ignored", "GetCSVHeader", f'{{"UserPoolId": "{POOL}", "X": -Infinity}}'.encode(), (SERIALIZATION, "")),
    ("truncated-json", "CreateUserImportJob", b"{", (SERIALIZATION, "")),
    # not JSON either: Athena (same stack) answers "" bare (aoyagikouhei/athena-local tests/request.rs)
    ("empty-body", "StopUserImportJob", b"", (SERIALIZATION, "")),
    ("utf16-body", "CreateUserImportJob", b"\xff\xfe{\x00}\x00", (SERIALIZATION, "")),
    ("invalid-utf8", "GetCSVHeader", b"\xc3\x28", (SERIALIZATION, "")),
    ("deeper-than-python-recurses", "GetCSVHeader", b"[" * 100_000 + b"]" * 100_000, (SERIALIZATION, "")),
    ("json-array", "ListUserImportJobs", b"[]", (SERIALIZATION, "Start of list found where not expected")),
    ("json-null", "ListUserImportJobs", b"null", (SERIALIZATION, "")),
    ("json-string", "DescribeUserImportJob", b'"import-AAAAAAAAAA"', (SERIALIZATION, "")),
    (
        "lone-surrogate-echoed-escaped",
        "GetCSVHeader",
        b'{"UserPoolId": "\\ud800_x"}',
        (
            INVALID,
            validation_message(
                "Value '\ud800_x' at 'userPoolId' failed to satisfy constraint: "
                r"Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+"
            ),
        ),
    ),
]


def test_known_bad_bodies_get_aws_s_error_and_words(aws, world):
    """One test per mode for all cases: each case needs no state of its own."""
    before = world.snapshot()
    for case, operation, body, expected in KNOWN_BAD:
        answer = modelled_error(operation, world.post(operation, body))
        assert answer == expected, case
    assert world.snapshot() == before


# What an SDK's Authorization header says about the service: moto's server routes a target
# without the service's prefix by it.
SIGNED = f"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/{REGION}/cognito-idp/aws4_request, SignedHeaders=host, Signature=0"


def test_a_target_that_does_not_name_the_operation_exactly_runs_nothing(aws, world):
    """JSON 1.1 targets are case-sensitive and carry the service's prefix: Coral answers any
    other spelling HTTP 400 UnknownOperationException (aws/aws-sdk-net#1536). moto found the
    method from the snake-case name, ran it (a job was created or started) and then answered
    an HTTP 500 page; other spellings were its NotImplementedError, an HTTP 500 too."""
    before = world.snapshot()
    for target in (
        "AWSCognitoIdentityProviderService.createUserImportJob",
        "AWSCognitoIdentityProviderService.startUserImportJob",
        "AWSCognitoIdentityProviderService.startuserimportjob",
        "AWSCognitoIdentityProviderService.CREATE_USER_IMPORT_JOB",
        "AWSCognitoIdentityProviderService.StartUserImportJob;",
        "AWSCognitoIdentityProviderService:StartUserImportJob",
        "Foo.StartUserImportJob",
        "StartUserImportJob",
        "AWSCognitoIdentityProviderService.StartUserImportJobX",  # was moto's HTML 500; XStart... was 400
        "AWSCognitoIdentityProviderService.StartUserImportJobs",
        # No white space around a value but SP and HTAB (RFC 9110 5.5): str.strip took these off
        "AWSCognitoIdentityProviderService.StartUserImportJob\x0b",
        "AWSCognitoIdentityProviderService.StartUserImportJob\x1f",
    ):
        canonical = "CreateUserImportJob" if "create" in target.lower() else "StartUserImportJob"
        response = requests.post(
            world.url,
            data=json.dumps(world.valid_body(canonical)).encode(),
            headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1", "Authorization": SIGNED},
            timeout=30,
        )
        assert (response.status_code, response.json()) == (400, {"__type": "UnknownOperationException"}), target
        assert response.headers["Content-Type"].startswith("application/x-amz-json-1.1")
        # Every AWS answer carries a request id; JSON 1.1 errors name their type in a header too.
        assert response.headers["X-Amzn-ErrorType"] == "UnknownOperationException"
        assert re.fullmatch(r"[A-Za-z0-9]{52}", response.headers["x-amzn-RequestId"])
    for action, target in (  # moto's query form, misspelt, with no target or a malformed one; an empty one
        ("createUserImportJob", None),
        ("create_user_import_job", "Foo.DescribeUserPool"),
        ("CreateUserImportJob", "DescribeUserPool"),
        ("", "AWSCognitoIdentityProviderService.createUserImportJob"),
    ):
        response = requests.post(
            f"{world.url}?Action={action}",
            data=json.dumps(world.valid_body("CreateUserImportJob")).encode(),
            headers={"Authorization": SIGNED, **({"X-Amz-Target": target} if target else {})},
            timeout=30,
        )
        assert (response.status_code, response.json()) == (400, {"__type": "UnknownOperationException"}), action
    assert world.snapshot() == before


def test_an_exact_target_names_the_operation_whatever_action_the_request_carries(aws, world):
    """JSON 1.1 dispatches by X-Amz-Target alone (white space around a header's value is no
    part of it, RFC 9110 5.5). moto dispatches by an ``Action`` first, from the query string,
    a form body or, with neither, the headers: ``?Action=Foo`` was an HTTP 500 (its
    NotImplementedError), ``?Action=DescribeUserPool`` ran DescribeUserPool."""
    before = world.snapshot()
    body = json.dumps({"UserPoolId": world.pool_id}).encode()
    for query, headers in (
        ("?Action=Foo", {}),
        ("?Action=DescribeUserPool", {}),
        ("?Action=CreateUserImportJob", {}),
        ("", {"Action": "Foo"}),
        ("", {"X-Amz-Target": "AWSCognitoIdentityProviderService.GetCSVHeader \t"}),
    ):
        response = requests.post(
            world.url + query,
            data=body,
            headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.GetCSVHeader", "Authorization": SIGNED, **headers},
            timeout=30,
        )
        assert response.status_code == 200, (query, headers, response.text)
        assert response.json()["UserPoolId"] == world.pool_id and "CSVHeader" in response.json(), (query, headers)
    for query, headers, body in (  # and one of moto's own: an Action naming one of the six ran it
        ("?Action=GetCSVHeader", {}, json.dumps({"UserPoolId": world.pool_id})),
        ("", {"Action": "GetCSVHeader"}, json.dumps({"UserPoolId": world.pool_id})),
        ("", {}, json.dumps({"UserPoolId": world.pool_id, "Filter": "x&Action=GetCSVHeader&y=1"})),  # moto parses JSON as a query
    ):
        response = requests.post(
            world.url + query,
            data=body,
            headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.DescribeUserPool", "Authorization": SIGNED,
                     "Content-Type": "application/x-amz-json-1.1", **headers},
            timeout=30,
        )
        assert response.status_code == 200 and response.json()["UserPool"]["Id"] == world.pool_id, (query, headers, body)
    form = requests.post(  # the body is no JSON, whatever it says
        world.url,
        data=f"Action=DescribeUserPool&UserPoolId={world.pool_id}",
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.GetCSVHeader", "Authorization": SIGNED,
                 "Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert (form.status_code, form.json()) == (400, {"__type": "SerializationException"})
    assert world.snapshot() == before


@server_only
def test_a_query_action_alone_is_cognito_s_only_when_signed_for_cognito_idp(aws, world):
    """Without an X-Amz-Target, a request is cognito-idp's only by its credential scope: one
    signed for S3 whose ``?Action=`` merely spells one of the six was refused as cognito-idp's
    (InvalidSignatureException) where moto's S3 answers it."""
    for_s3 = SIGNED.replace("/cognito-idp/", "/s3/")
    response = requests.post(f"{world.url}?Action=ListUserImportJobsX", headers={"Authorization": for_s3}, timeout=30)
    assert response.status_code == 200 and "<ListAllMyBucketsResult" in response.text
    response = requests.post(f"{world.url}?Action=ListUserImportJobsX", headers={"Authorization": SIGNED}, timeout=30)
    assert (response.status_code, response.json()) == (400, {"__type": "UnknownOperationException"})


@pytest.mark.parametrize(
    "authorization, error",
    [
        ("garbage", "IncompleteSignatureException"),
        ("AWS testing:abc", "IncompleteSignatureException"),
        (SIGNED.replace("/cognito-idp/", "/s3/"), "InvalidSignatureException"),
        (SIGNED.replace(f"/{REGION}/", "/xx-fake-1/"), "InvalidSignatureException"),
    ],
)
def test_aws_s_signature_checks_answer_before_a_misspelt_operation_or_a_bad_body(aws, world, authorization, error):
    """One order in both modes, as AWS's front end checks a signature before Coral looks the
    operation up or reads the body: moto's server routed a misspelt target with a header it
    could not read to its S3 (a 200 listing buckets) or answered an HTML 500, and read the
    body first (SerializationException), while ``mock_aws`` answered UnknownOperationException."""
    before = world.snapshot()
    for target, body, encoding in (
        ("AWSCognitoIdentityProviderService.DESCRIBE_USER_IMPORT_JOB", b"{}", None),
        ("AWSCognitoIdentityProviderService.DescribeUserImportJobX", b"{}", None),
        ("Foo.DescribeUserImportJob", b"{}", None),
        ("AWSCognitoIdentityProviderService.describeUserImportJob", b"not gzip", "gzip"),
        ("AWSCognitoIdentityProviderService.DescribeUserImportJob", b"not gzip", "gzip"),
        ("AWSCognitoIdentityProviderService.DescribeUserImportJob", b"[", None),
    ):
        response = requests.post(
            world.url,
            data=body,
            headers={"X-Amz-Target": target, "Authorization": authorization, **({"Content-Encoding": encoding} if encoding else {})},
            timeout=30,
        )
        assert (response.status_code, response.json()["__type"]) == (400, error), (target, response.text)
    for target in ("AWSCognitoIdentityProviderService.DescribeUserImportJobX", "Foo.DescribeUserImportJob"):
        response = requests.post(world.url, data=b"{}", headers={"X-Amz-Target": target}, timeout=30)  # unsigned
        assert (response.status_code, response.json()) == (400, {"__type": "UnknownOperationException"}), target
    assert world.snapshot() == before


@server_only
def test_errors_answered_before_moto_s_app_carry_its_cors_headers_as_moto_s_own_errors_do(aws, world):
    """In moto's server the plugin answers some errors of the six before moto's Flask app
    (a misspelt target, a signature error, a body that cannot be read): they lacked the
    ``Access-Control-Allow-Origin`` that app adds to every other answer, so a browser client
    (amplify-js#5165 reads Cognito's SerializationException in a browser) saw a network error."""
    for origin in (None, "http://localhost:3000"):
        extra = {"Origin": origin} if origin else {}

        def cors(target: str, body: bytes, **headers: str) -> tuple[Any, ...]:
            response = requests.post(
                world.url, data=body, timeout=30,
                headers={"X-Amz-Target": f"AWSCognitoIdentityProviderService.{target}", "Authorization": SIGNED,
                         "Content-Type": "application/x-amz-json-1.1", **extra, **headers},
            )
            assert response.status_code == 400, response.text
            return tuple(response.headers.get(name) for name in ("Access-Control-Allow-Origin", "Vary", "Server"))

        moto_s_own = cors("DescribeUserPool", json.dumps({"UserPoolId": f"{REGION}_nothere"}).encode())
        assert moto_s_own[0] == (origin or "*")
        for target, body, headers in (
            ("getCSVHeader", b"{}", {}),
            ("GetCSVHeader", b"not gzip", {"Content-Encoding": "gzip"}),
            ("GetCSVHeader", b"{}", {"Authorization": "garbage"}),
            ("GetCSVHeader", b"{}", {"Authorization": SIGNED.replace("/cognito-idp/", "/s3/")}),
            ("GetCSVHeader", b"not json", {}),  # answered by moto's dispatch: the same
        ):
            assert cors(target, body, **headers) == moto_s_own, (origin, target, headers)


def test_a_gzip_body_is_read_as_moto_reads_its_own(aws, world):
    """SDKs may compress request bodies; moto decompresses them for its own operations, and
    the six answered SerializationException (the compressed bytes were kept for them)."""
    raw = json.dumps({"UserPoolId": world.pool_id}).encode()
    response = requests.post(
        world.url,
        data=gzip.compress(raw[:10]) + gzip.compress(raw[10:]),  # two gzip members, as RFC 1952 allows
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.GetCSVHeader",
            "Content-Type": "application/x-amz-json-1.1",
            "Content-Encoding": "gzip",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["CSVHeader"][-1] == "password_hash"
    # 17 MB that gzip makes 17 KB of: never inflated past 16 MB (moto 5.2.1's server inflated
    # every body itself, without a bound); a body that is no gzip; [OURS] more than 64
    # members (a million empty ones held moto's lock for minutes) or more than 16 MB of gzip;
    # plain JSON sent as gzip (mock_aws answered it, the server did not).
    headers = {"X-Amz-Target": "AWSCognitoIdentityProviderService.GetCSVHeader", "Content-Encoding": "gzip"}
    for body in (
        gzip.compress(b'{"UserPoolId": "' + b"a" * 17 * 1024 * 1024 + b'"}'), b"\x1f\x8bnot gzip",
        gzip.compress(b"") * 64 + gzip.compress(raw), gzip.compress(raw) + b"\0" * 16 * 1024 * 1024,
        raw,
    ):
        response = requests.post(world.url, data=body, headers=headers, timeout=30)
        assert modelled_error("GetCSVHeader", response) == (SERIALIZATION, "")


@pytest.mark.parametrize("content_type", [None, "application/json", "application/x-www-form-urlencoded", "text/plain"])
def test_any_content_type_is_read_as_json_and_answered_in_json_1_1(aws, world, content_type):
    """No capture shows Cognito refusing another Content-Type, and moto's serializer answered
    ``application/json`` with an HTTP 500 page: read the body as JSON 1.1, answer in JSON 1.1
    (``curl --data`` sends form-encoded)."""
    headers = {"X-Amz-Target": "AWSCognitoIdentityProviderService.GetCSVHeader"}
    if content_type:
        headers["Content-Type"] = content_type
    body = json.dumps({"UserPoolId": world.pool_id}).encode()
    response = requests.post(world.url, data=body, headers=headers, timeout=30)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].startswith("application/x-amz-json-1.1")
    assert response.json()["CSVHeader"][-1] == "password_hash"
    missing = requests.post(world.url, data=b"{}", headers=headers, timeout=30)
    assert modelled_error("GetCSVHeader", missing)[0] == INVALID


@pytest.mark.parametrize("region", ["xx-fake-1", "us-east-99"])
def test_a_request_signed_for_a_region_with_no_service_is_invalid_signature_not_a_500(aws, region):
    """AWS's signature check answers a credential scoped to no region the service is in with
    InvalidSignatureException "Credential should be scoped to a valid region, not '...'. "
    (aws/aws-sdk-java#1097, aws/aws-sdk-ruby#508), before the operation or its body is read;
    moto's KeyError made it an HTML 500."""
    idp = aws.client(region=region)
    calls = [
        lambda: idp.get_csv_header(UserPoolId=f"{region}_abc"),
        lambda: idp.list_user_import_jobs(UserPoolId=f"{region}_abc", MaxResults=1),
        lambda: idp.create_user_import_job(
            JobName="j", UserPoolId=f"{region}_abc", CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/r"
        ),
    ]
    for call in calls:
        with pytest.raises(ClientError) as exc:
            call()
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert exc.value.response["Error"] == {
            "Code": "InvalidSignatureException",
            "Message": f"Credential should be scoped to a valid region, not '{region}'. ",
        }


@decorator_only  # a server's host names no region
def test_a_request_signed_for_another_region_than_its_endpoints_is_invalid_signature(aws):
    """AWS refuses a credential scoped to a region that is not its endpoint's
    (aws/aws-sdk-java#1097); moto served the endpoint's region whatever the scope said."""
    endpoint = f"https://cognito-idp.{REGION}.amazonaws.com"
    pool_id = aws.pool()["Id"]
    idp = aws.client(region="eu-west-1", endpoint_url=endpoint)
    for call in (lambda: idp.get_csv_header(UserPoolId=pool_id), lambda: idp.list_user_import_jobs(
            UserPoolId=pool_id, MaxResults=1)):
        with pytest.raises(ClientError) as exc:
            call()
        assert exc.value.response["Error"] == {
            "Code": "InvalidSignatureException",
            "Message": "Credential should be scoped to a valid region, not 'eu-west-1'. ",
        }
    assert aws.client(endpoint_url=endpoint).get_csv_header(UserPoolId=pool_id)["UserPoolId"] == pool_id


@server_only
def test_a_server_serves_the_six_in_the_region_moto_serves_its_own_operations_in(aws):
    """A server's own address names no region: moto's server serves the one a ``region/<name>``
    User-Agent marker names (moto's TEST_SERVER_MODE adds one to every client, and a Config
    shared by two clients carries both), else the scope's. The six refused such a request
    with InvalidSignatureException, while moto's own operations served it."""
    idp = aws.client(config=Config(user_agent_extra="region/eu-west-1"))  # signed for REGION
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    assert pool_id.startswith("eu-west-1_")
    assert idp.get_csv_header(UserPoolId=pool_id)["UserPoolId"] == pool_id
    assert idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=1)["UserImportJobs"] == []


SCOPE = f"AKIAEXAMPLE/20260101/{REGION}"
#: The last sentence of AWS's answer to a header without a credential, in a request without a date.
NO_DATE = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."


@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        (
            "AWS4-HMAC-SHA256",  # was moto's HTML 500 (IndexError) in server mode
            ("IncompleteSignatureException", "Authorization header requires 'Credential' parameter. Authorization "
             "header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
             f"{NO_DATE} Authorization=AWS4-HMAC-SHA256"),
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={SCOPE}/s3/aws4_request, Credential={SCOPE}/cognito-idp/aws4_request",
            ("InvalidSignatureException", "Credential should be scoped to correct service: 'cognito-idp'. "),
        ),  # moto routes by the first: the last one passed, and moto's S3 answered
        (
            "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101//cognito-idp/aws4_request",  # was moto's HTML 500
            ("InvalidSignatureException", "Credential should be scoped to a valid region, not ''. "),
        ),
        (
            "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",  # a user pool token where a signature belongs
            ("IncompleteSignatureException", "Authorization header requires 'Credential' parameter. Authorization "
             "header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
             f"{NO_DATE} Authorization=eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
        ),
        (
            "AWS AKIAEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",  # SigV2: was moto's S3, ListAllMyBucketsResult
            ("IncompleteSignatureException", "Authorization header requires 'Credential' parameter. Authorization "
             "header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
             f"{NO_DATE} Authorization=AWS AKIAEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="),
        ),
        (
            f"AWS4-HMAC-SHA256 Credential= {SCOPE}/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
            ("IncompleteSignatureException", f"'{SCOPE}/cognito-idp/aws4_request' not a valid key=value pair "
             f"(missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential= {SCOPE}/cognito-idp/"
             "aws4_request, SignedHeaders=host, Signature=0'."),
        ),
        (
            "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=0",  # was moto's S3: HTML 500
            ("IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements, e.g. "
             "keyid/date/region/service/term, got 'a/b'"),
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={SCOPE}/s3/aws4_request, SignedHeaders=host, Signature=0",  # was S3's 200
            ("InvalidSignatureException", "Credential should be scoped to correct service: 'cognito-idp'. "),
        ),
        *(
            (
                # Under mock_aws moto serves the endpoint's region whatever the scope says (a 200)
                f"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/{region}/cognito-idp/aws4_request, "
                "SignedHeaders=host, Signature=0",
                ("InvalidSignatureException", f"Credential should be scoped to a valid region, not '{region}'. "),
            )
            for region in ("xx-fake-1", REGION.upper())
        ),
    ],
    ids=[
        "algorithm-alone", "another-service-first", "no-region", "a-token", "sigv2", "part-without-equals",
        "short-credential", "another-service", "a-region-with-no-service", "an-upper-case-region",
    ],
)
def test_an_authorization_header_without_a_cognito_idp_scope_is_refused_before_the_operation(
    aws, world, authorization, expected
):
    """AWS reads the Authorization header before the operation (jobs/request_signature.py for
    the captures). moto's server routes by its credential scope: it answered an HTML 500 or
    sent DescribeUserImportJob to moto's S3. Under mock_aws moto ignored the header."""
    before = world.snapshot()
    for operation in ("CreateUserImportJob", "DescribeUserImportJob"):
        response = requests.post(
            world.url,
            data=json.dumps(world.valid_body(operation)).encode(),
            headers={
                "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
                "Content-Type": "application/x-amz-json-1.1",
                "Authorization": authorization,
            },
            timeout=30,
        )
        assert response.status_code == 400, response.text[:200]
        assert response.headers["Content-Type"].startswith("application/x-amz-json-1.1")
        body = response.json()
        assert (body["__type"], body["message"]) == expected
    assert world.snapshot() == before


def test_a_header_without_a_credential_in_a_dated_request_is_told_only_what_it_lacks(aws, world):
    """AWS names the date only when the request has neither X-Amz-Date nor Date."""
    response = requests.post(
        world.url,
        data=json.dumps(world.valid_body("GetCSVHeader")).encode(),
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.GetCSVHeader",
            "X-Amz-Date": "20260101T000000Z",
            "Authorization": "AWS4-HMAC-SHA256 Signature=0",
        },
        timeout=30,
    )
    assert (response.status_code, response.json()["message"]) == (
        400,
        "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' "
        "parameter. Authorization=AWS4-HMAC-SHA256 Signature=0",
    )


@pytest.mark.parametrize(
    "authorization",
    [
        f"AWS4-HMAC-SHA256 Credential={SCOPE}/cognito-idp/aws4_request",  # moto reads no signature, no date
        f"AWS4-HMAC-SHA256 SignedHeaders=host, Credential={SCOPE}/cognito-idp/aws4_request, Signature=0",
        f"AWS4-HMAC-SHA256\tCredential={SCOPE}/cognito-idp/aws4_request,SignedHeaders=host,Signature=0",
    ],
    ids=["a-scope-alone", "credential-not-first", "tab-and-no-spaces"],
)
def test_a_header_with_a_cognito_idp_scope_is_taken_however_it_is_laid_out(aws, world, authorization):
    """A hand-made client names the service with a scope alone. moto's server reads the first
    parameter as the credential: ``SignedHeaders=..., Credential=...`` was an HTML 500."""
    response = requests.post(
        world.url,
        data=json.dumps(world.valid_body("GetCSVHeader")).encode(),
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.GetCSVHeader", "Authorization": authorization},
        timeout=30,
    )
    assert response.status_code == 200, response.text[:200]


def test_a_broken_start_leaves_the_job_startable(aws, world):
    """A rejected Start must not half-start the job: the same job starts normally afterwards."""
    body = dict(world.valid_body("StartUserImportJob"), JobId=[world.job_id])
    assert modelled_error("StartUserImportJob", world.post("StartUserImportJob", json.dumps(body).encode()))[0] == (
        SERIALIZATION
    )
    started = world.idp.start_user_import_job(UserPoolId=world.pool_id, JobId=world.job_id)["UserImportJob"]
    assert started["Status"] == "Pending"
    done = world.idp.describe_user_import_job(UserPoolId=world.pool_id, JobId=world.job_id)["UserImportJob"]
    assert (done["Status"], done["ImportedUsers"]) == ("Succeeded", 1)


@server_only
@pytest.mark.parametrize("path", ["/", "//", "/%2F"])  # werkzeug merges slashes, and decodes %2F
def test_a_chunked_body_of_the_six_is_read_whole_or_refused(aws, world, path):
    """werkzeug's chunk reader, read as moto reads bodies, copied past its buffer when the
    client went away mid-chunk (a 100-byte request grew the server by a gigabyte a second),
    and a malformed chunk was an HTML 500: the six read chunked bodies through a guard, on
    every path moto routes to cognito-idp."""
    parts = urlsplit(world.url)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/x-amz-json-1.1\r\n"
        "X-Amz-Target: AWSCognitoIdentityProviderService.GetCSVHeader\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    body = json.dumps({"UserPoolId": world.pool_id}).encode()

    def send(chunks: bytes) -> tuple[int, bytes]:
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
            connection.sendall(head + chunks)
            connection.shutdown(socket.SHUT_WR)
            response = http.client.HTTPResponse(connection)
            response.begin()
            return response.status, response.read()

    status, answer = send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
    assert (status, json.loads(answer)["CSVHeader"][-1]) == (200, "password_hash")
    for broken in (b"zz\r\n{}\r\n0\r\n\r\n", b"100000\r\n" + body, b"ffffffffffffffffff\r\n{}"):
        status, answer = send(broken)
        assert (status, json.loads(answer)) == (400, {"__type": "SerializationException"}), broken


@server_only
def test_a_body_of_the_six_is_read_outside_every_lock_and_bounded(aws, world):
    """moto's dispatcher read a form-encoded body (``curl --data``) under its own lock: one
    client sending slowly held up every other client. And a body sent with a Content-Length
    had no bound: 300 MiB were parsed under the plugin's lock for 14 s. The six read their
    body first, outside every lock, at most 16 MB (a larger one is refused unread)."""
    parts = urlsplit(world.url)

    def connect(length: int, sent: bytes) -> socket.socket:
        connection = socket.create_connection((parts.hostname, parts.port), timeout=30)
        connection.sendall(
            f"POST / HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"X-Amz-Target: AWSCognitoIdentityProviderService.GetCSVHeader\r\nContent-Length: {length}\r\n\r\n".encode()
            + sent
        )
        return connection

    def answer(connection: socket.socket) -> tuple[int, Any]:
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, json.loads(response.read())

    quick = aws.client(config=Config(read_timeout=10))  # and one attempt, as every test client
    with connect(1000, b'{"UserPoolId": "') as slow:  # then nothing more for now
        assert quick.list_user_pools(MaxResults=1)["UserPools"]  # moto's own, not held up
        assert quick.get_csv_header(UserPoolId=world.pool_id)["CSVHeader"]  # nor the six
        slow.shutdown(socket.SHUT_WR)  # cut short
        assert answer(slow) == (400, {"__type": "SerializationException"})
    with connect(16 * 1024 * 1024 + 1, b"{") as huge:  # the rest is never sent: refused unread
        assert answer(huge) == (400, {"__type": "SerializationException"})
    body = json.dumps({"UserPoolId": world.pool_id}).encode()
    with connect(len(body), body) as whole:
        status, header = answer(whole)
        assert (status, header["CSVHeader"][-1]) == (200, "password_hash")


def test_a_body_over_16_mb_is_refused_in_both_modes(aws, world):
    """[OURS] No valid request of the six comes near 16 MB; a chunked or gzip body over it was
    refused already, one sent plainly was parsed whatever its size."""
    body = b'{"UserPoolId": "%s", "Padding": "%s"}' % (world.pool_id.encode(), b"x" * (16 * 1024 * 1024))
    response = world.post("GetCSVHeader", body)
    assert (response.status_code, response.json()) == (400, {"__type": "SerializationException"})
    assert world.post("GetCSVHeader", body[: 1024 * 1024] + b'"}').status_code == 200


@decorator_only  # the fake runs in this process
def test_a_body_of_the_six_is_parsed_before_the_plugin_s_lock_and_cheaply(aws, world, monkeypatch):
    """A megabyte of ``{}`` in a member nobody reads (1 KB gzipped) was parsed into 160 MB of
    objects in 1.6 s, under the lock every cognito-idp call takes: a DescribeUserPool sent
    meanwhile waited as long. The body is parsed before that lock is taken (not by letting it
    go: a caller holding it, or an import handing it over between rows, keeps it), into what
    ``json.loads`` makes of it."""
    from moto_cognito_import.jobs import request_validation, responses
    from moto_cognito_import.lock import LOCK

    held = []

    def parse(operation: str, body: bytes | str) -> dict[str, Any]:
        held.append(LOCK.held())
        return request_validation.parse_request(operation, body)

    monkeypatch.setattr(responses, "parse_request", parse)
    assert world.post("GetCSVHeader", json.dumps({"UserPoolId": world.pool_id}).encode()).status_code == 200
    with LOCK:
        assert world.post("GetCSVHeader", json.dumps({"UserPoolId": world.pool_id}).encode()).status_code == 200
    assert held == [False, True]
    for padding in (b"{}," * 333_332 + b"{}", b"1," * 500_000 + b"1"):
        body = b'{"UserPoolId": "%s", "Foo": [%s]}' % (world.pool_id.encode(), padding)
        tracemalloc.start()
        try:
            request_validation.parse_request("GetCSVHeader", body)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 40 * 1024 * 1024, padding[:3]
