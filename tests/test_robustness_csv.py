"""Fuzzed CSV files: whatever is uploaded, the job ends Succeeded or Failed, its counters add
up to the file's data rows, every row gets exactly one log event, and the pool holds exactly
the users of the valid rows, nothing else.

A *data row* is a non-blank line after the header (the first non-blank line), as
``csv_validation.read_lines`` defines it; CRLF, LF and CR all end a line and line numbers
count blank lines too. Two kinds of fuzzing:

- generated files whose every row is valid or invalid *by construction* (an independent
  oracle knows each row's outcome and each user's attributes), with random unicode, ``\\,``
  escapes (also at the ends of values), padding, blank lines and mixed line ends;
- arbitrary bytes, unicode and quoting, checked against the invariants only.

Hypothesis runs in decorator mode (volume), in tox's newest; the named edge cases run in both
modes, and in lowest too.
Settings: ``max_examples`` 40 (oracle files) and 100 (arbitrary files), ``derandomize=True``, no
example database, no deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import decorator_only
from moto_cognito_import.importing.csv_validation import too_many_failures

#: The fuzzing explores the package's own CSV reading, with the same examples on every run: tox's
#: "lowest" leaves it out (tox.ini) and runs the named edge cases, which meet moto as it does.
FUZZING = pytest.mark.newest_only

LINE_END = re.compile(r"\r\n|\r|\n")
LOG_LINE = re.compile(r"\[(SUCCEEDED|SKIPPED|FAILED)\] Line Number (\d+) - (.+)", re.DOTALL)
HEADER = "cognito:username,email,email_verified"
COMPLETION_MESSAGE_MAX = 128  # CompletionMessageType's max length in botocore's model
FUZZ = {"deadline": None, "derandomize": True, "database": None, "suppress_health_check": [HealthCheck.too_slow]}



# --- running a file and reading back everything it did -----------------------------------


@dataclass
class Outcome:
    job: dict[str, Any]
    events: list[tuple[str, int, str]]  # (status, line number, reason), in log order
    users: dict[str, dict[str, str]]  # username -> attributes
    statuses: dict[str, str] = field(default_factory=dict)  # username -> UserStatus

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.job["ImportedUsers"], self.job["SkippedUsers"], self.job["FailedUsers"]


class Importer:
    """Runs files through real jobs on one pool, emptied after each file.

    Creating a pool is the slow part of moto's cognito-idp (it imports an RSA key), so the
    fuzz loops reuse one; clients and the logs role are made once too.
    """

    def __init__(self, aws: Any):
        self.aws = aws
        self.idp = aws.idp
        self.logs = aws.client("logs")
        self.role = aws.logs_role()
        self.pool = self.idp.create_user_pool(
            PoolName="fuzz", AutoVerifiedAttributes=["email"], UsernameConfiguration={"CaseSensitive": True}
        )["UserPool"]

    def run(self, data: bytes) -> Outcome:
        pool_id = self.pool["Id"]
        job = self.idp.create_user_import_job(JobName="fuzz", UserPoolId=pool_id, CloudWatchLogsRoleArn=self.role)[
            "UserImportJob"
        ]
        assert self.aws.upload(job["PreSignedUrl"], data).status_code == 200
        self.idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        job = self.idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
        assert job["Status"] in ("Succeeded", "Failed"), job
        assert 0 < len(job["CompletionMessage"]) <= COMPLETION_MESSAGE_MAX, job["CompletionMessage"]
        users: dict[str, dict[str, str]] = {}
        statuses = {}
        for page in self.idp.get_paginator("list_users").paginate(UserPoolId=pool_id):
            for user in page["Users"]:
                assert user["Username"] not in users, f"user {user['Username']!r} listed twice"
                users[user["Username"]] = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                statuses[user["Username"]] = user["UserStatus"]
        for username in users:  # the next file starts with an empty pool
            self.idp.admin_delete_user(UserPoolId=pool_id, Username=username)
        return Outcome(job, self._events(job), users, statuses)

    def _events(self, job: dict[str, Any]) -> list[tuple[str, int, str]]:
        try:
            events = self.logs.get_log_events(
                logGroupName=f"/aws/cognito/userpools/{self.pool['Id']}/{self.pool['Name']}",
                logStreamName=f"{job['JobId']}/{job['JobName']}",
                startFromHead=True,
            )["events"]
        except self.logs.exceptions.ResourceNotFoundException:
            return []  # a job that failed before reading the file may write no log at all
        parsed = []
        for event in events:
            match = LOG_LINE.fullmatch(event["message"])
            assert match, event["message"]
            parsed.append((match[1], int(match[2]), match[3]))
        return parsed


@pytest.fixture
def importer(aws) -> Importer:
    return Importer(aws)


def data_row_numbers(text: str) -> list[int]:
    """Line numbers of the data rows: non-blank lines after the first non-blank one."""
    numbered = [n for n, line in enumerate(LINE_END.split(text), 1) if line.strip()]
    return numbered[1:]


def assert_consistent(outcome: Outcome, data: bytes) -> None:
    """The invariants every file must satisfy, whatever it holds."""
    imported, skipped, failed = outcome.counts
    statuses = [status for status, _, _ in outcome.events]
    assert len(outcome.users) == imported, (outcome.job, sorted(outcome.users))
    assert (statuses.count("SUCCEEDED"), statuses.count("SKIPPED"), statuses.count("FAILED")) == outcome.counts
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or text.startswith("\ufeff") or (outcome.events == [] and outcome.job["Status"] == "Failed"):
        # Failed as a whole (not UTF-8, BOM, empty, bad header): no row was touched.
        assert outcome.job["Status"] == "Failed" and outcome.counts == (0, 0, 0) and outcome.users == {}
        return
    rows = data_row_numbers(text)
    assert imported + skipped + failed == len(rows), (outcome.job, rows)
    assert [line for _, line, _ in outcome.events] == rows
    expected_status = "Failed" if too_many_failures(imported, skipped, failed) else "Succeeded"
    assert outcome.job["Status"] == expected_status, outcome.job
    for username in outcome.users:
        assert username in text or username.replace(",", "\\,") in text, username


# --- the oracle: rows that are valid or invalid by construction --------------------------

# Characters a username may hold (no whitespace, no backslash, nothing that ends a line) and
# those a name may hold (spaces too). Commas are written ``\,``.
USERNAME_CHARS = st.characters(categories=["L", "N", "P", "S"], exclude_characters="\\")
NAME_CHARS = st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters="\\")
PADDING = st.text(" \t", max_size=2)
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])
INVALID_KINDS = [
    "no_username", "space_in_username", "extra_value", "missing_value", "not_verified",
    "bad_email", "bad_boolean", "verified_without_email", "too_long",
]
COLUMNS = ["cognito:username", "email", "email_verified", "name"]


def escape(value: str) -> str:
    return value.replace(",", "\\,")


@dataclass
class Row:
    kind: str  # "valid", "duplicate" or one of INVALID_KINDS
    values: dict[str, str]  # logical (unescaped) value per column
    extra: int = 0  # values added (+) or dropped (-) to break the width

    @property
    def expected(self) -> str:
        return {"valid": "SUCCEEDED", "duplicate": "SKIPPED"}.get(self.kind, "FAILED")


@st.composite
def oracle_files(draw: st.DrawFn) -> tuple[bytes, list[Row]]:
    columns = draw(st.permutations(COLUMNS))
    rows: list[Row] = []
    valid_names: list[str] = []
    for index in range(draw(st.integers(0, 12))):
        prefix = draw(st.text(USERNAME_CHARS, max_size=8))
        values = {
            "cognito:username": f"{prefix}u{index}",
            "email": f"user{index}@example.com",
            "email_verified": draw(st.sampled_from(["true", "True", "TRUE"])),
            "name": draw(st.text(NAME_CHARS, max_size=20)) + draw(st.sampled_from(["", ","])),  # "\," at the end
        }
        kind = draw(st.sampled_from(["valid", "valid", "duplicate" if valid_names else "valid", *INVALID_KINDS]))
        row = Row(kind, values)
        if kind == "duplicate":
            values["cognito:username"] = draw(st.sampled_from(valid_names))
        elif kind == "no_username":
            values["cognito:username"] = draw(st.sampled_from(["", " ", "\t"]))
        elif kind == "space_in_username":
            values["cognito:username"] = f"{prefix}u {index}"
        elif kind in ("extra_value", "missing_value"):
            row.extra = 1 if kind == "extra_value" else -1
        elif kind == "not_verified":
            values["email_verified"] = "false"
        elif kind == "bad_email":
            values["email"] = draw(st.sampled_from(["user", "user@", "@example.com", "a b@example.com"]))
        elif kind == "bad_boolean":
            values["email_verified"] = draw(st.sampled_from(["yes", "1", "truee"]))
        elif kind == "verified_without_email":
            values["email"] = ""
        elif kind == "too_long":
            values["name"] = "n" * 16_001
        if kind == "valid":
            valid_names.append(values["cognito:username"])
        rows.append(row)
    text = ",".join(draw(PADDING) + column + draw(PADDING) for column in columns) + draw(LINE_ENDS)
    for row in rows:
        for _ in range(draw(st.integers(0, 1))):  # blank lines are not rows but count as lines
            text += draw(PADDING) + draw(LINE_ENDS)
        cells = [draw(PADDING) + escape(row.values[c]) + draw(PADDING) for c in columns]
        if row.extra > 0:
            cells.append("extra")
        elif row.extra < 0:
            cells.pop()
        text += ",".join(cells) + draw(LINE_ENDS)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no line end after the last row
    return text.encode("utf-8"), rows


@FUZZING
@decorator_only
def test_generated_files_import_exactly_their_valid_rows(aws, importer):
    @settings(max_examples=40, **FUZZ)
    @given(oracle_files())
    def check(file: tuple[bytes, list[Row]]) -> None:
        data, rows = file
        outcome = importer.run(data)
        assert_consistent(outcome, data)
        assert [status for status, _, _ in outcome.events] == [row.expected for row in rows]
        for status, _, reason in outcome.events:
            if status == "SUCCEEDED":
                assert reason == "The import succeeded."
            elif status == "SKIPPED":
                assert reason == "The user already exists."
        valid = {r.values["cognito:username"]: r.values for r in rows if r.kind == "valid"}
        assert set(outcome.users) == set(valid)
        for username, values in valid.items():
            expected = {"email": values["email"], "email_verified": "true"}
            if values["name"].strip():
                expected["name"] = values["name"].strip()
            attributes = {k: v for k, v in outcome.users[username].items() if k != "sub"}
            assert attributes == expected, username
            assert outcome.statuses[username] == "RESET_REQUIRED"

    check()


# --- arbitrary content: invariants only -----------------------------------------------------

QUOTED_FIELDS = st.sampled_from(
    ['"quoted"', '"with, comma"', '"a""b"', "'single'", '"', '\\"', "\\,", "\\", "\x00", "true", "TRUE",
     "user@example.com", "", " ", "é", "😀", "\u2028", "\x85", "\x0b"]
) | st.text(max_size=6)


@st.composite
def quoted_rows(draw: st.DrawFn) -> str:
    return ",".join(draw(st.lists(QUOTED_FIELDS, min_size=1, max_size=5)))


# A plausible row (random username), a quoted one or any text: files that import some users.
mixed_lines = st.one_of(
    st.text(USERNAME_CHARS, min_size=1, max_size=10).map(lambda name: f"{escape(name)},x@example.com,true"),
    quoted_rows(),
    st.text(max_size=30),
)
arbitrary_files = st.one_of(
    st.lists(st.tuples(mixed_lines, LINE_ENDS), max_size=10).map(
        lambda lines: (HEADER + "\n" + "".join(line + end for line, end in lines)).encode("utf-8")
    ),
    st.binary(max_size=400),
    st.binary(max_size=400).map(lambda b: HEADER.encode() + b"\n" + b),
    st.text(max_size=400).map(lambda t: t.encode("utf-8")),
    st.text(max_size=400).map(lambda t: (HEADER + "\n" + t).encode("utf-8")),
    st.lists(st.tuples(quoted_rows(), LINE_ENDS), max_size=10).map(
        lambda rows: (HEADER + "\r\n" + "".join(row + end for row, end in rows)).encode("utf-8")
    ),
    st.lists(st.sampled_from([*COLUMNS, "custom:nope", "", "email"]), min_size=1, max_size=6).map(
        lambda cols: (",".join(cols) + "\nu1,u1@example.com,true\n").encode("utf-8")  # odd headers
    ),
)


@FUZZING
@decorator_only
def test_arbitrary_files_end_consistently(aws, importer):
    @settings(max_examples=100, **FUZZ)
    @given(arbitrary_files)
    def check(data: bytes) -> None:
        assert_consistent(importer.run(data), data)

    check()


# --- named edge cases, in both modes --------------------------------------------------------

FILLERS = ["name", "given_name", "family_name", "middle_name", "nickname", "address", "locale", "zoneinfo"]


def row_of_length(username: str, length: int) -> str:
    """A valid row of exactly ``length`` characters: filler attributes of at most 2,048 each."""
    head = f"{username},{username}@example.com,true"
    room = length - len(head) - len(FILLERS)  # one comma before each filler
    sizes = [room // len(FILLERS) + (1 if i < room % len(FILLERS) else 0) for i in range(len(FILLERS))]
    assert max(sizes) <= 2048
    row = head + "".join("," + "x" * size for size in sizes)
    assert len(row) == length
    return row


LONG_HEADER = HEADER + "," + ",".join(FILLERS)

JOB_FAILS, ANY = "the job fails before any row", "any outcome that is consistent"
EDGE_CASES: dict[str, tuple[bytes, Any]] = {
    # name: (file, the data rows' statuses in order, JOB_FAILS or ANY)
    "empty-file": (b"", JOB_FAILS),
    "blank-lines-only": (b"\n \r\n\t\r", JOB_FAILS),
    "header-only": (HEADER.encode(), []),
    "header-only-with-blank-lines": ((HEADER + "\r\n\r\n  \n").encode(), []),
    "repeated-header-column": ((HEADER + ",email\nu1,u1@example.com,true,u1@example.com\n").encode(), JOB_FAILS),
    "unknown-header-column": ((HEADER + ",favourite\nu1,u1@example.com,true,x\n").encode(), JOB_FAILS),
    "byte-order-mark": (b"\xef\xbb\xbf" + (HEADER + "\nu1,u1@example.com,true\n").encode(), JOB_FAILS),
    "not-utf8": ((HEADER + "\nu1,u1@example.com,true\n").encode() + b"\xff\xfe\n", JOB_FAILS),
    "nul-in-header": ((HEADER + "\x00\nu1,u1@example.com,true\n").encode(), JOB_FAILS),
    "rows-of-16000-and-16001-chars": (
        (LONG_HEADER + "\n" + row_of_length("fits", 16_000) + "\n" + row_of_length("over", 16_001) + "\n").encode(),
        ["SUCCEEDED", "FAILED"],
    ),
    "cr-line-ends": ((HEADER + "\ru1,u1@example.com,true\ru2,u2@example.com,true").encode(), ["SUCCEEDED"] * 2),
    "mixed-line-ends": (
        (HEADER + "\r\nu1,u1@example.com,true\n\ru2,u2@example.com,true\r\r\nu3,u3@example.com,true\n").encode(),
        ["SUCCEEDED"] * 3,
    ),
    "escaped-commas-at-value-ends": (
        (HEADER + ",name\n\\,u1\\,,u1@example.com,true,Smith\\,\nu2,u2@example.com,true,\\,\n").encode(),
        ["SUCCEEDED"] * 2,
    ),
    # AWS's username pattern has no control characters; this fake may take them: any outcome.
    "nul-in-values": ((HEADER + ",name\nu\x001,u1@example.com,true,a\x00b\nu2,u2@example.com,true,\n").encode(), ANY),
}


def test_edge_case_files(aws, importer):
    """All cases in one test per mode, on one pool (see Importer)."""
    for case, (data, expected) in EDGE_CASES.items():
        outcome = importer.run(data)
        assert_consistent(outcome, data)
        if expected == JOB_FAILS:
            assert outcome.job["Status"] == "Failed" and outcome.events == [], case
        elif expected != ANY:
            assert [status for status, _, _ in outcome.events] == expected, case
        if case == "escaped-commas-at-value-ends":
            assert outcome.users[",u1,"]["name"] == "Smith,"
            assert outcome.users["u2"]["name"] == ","
        if case == "rows-of-16000-and-16001-chars":
            assert set(outcome.users) == {"fits"} and [line for _, line, _ in outcome.events] == [2, 3]
