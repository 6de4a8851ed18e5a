"""``moto-cognito-import check``: the offline pre-flight check of a user import CSV.

Most cases call ``main([...])`` in-process; one runs the installed console script. The
agreement test runs a real import job and the command line on the ``cli_*`` fixture CSVs, in
both modes, and requires the same line-by-line outcome, counters and final status (every
other fixture's agreement: test_import.py).
"""

from __future__ import annotations

import codecs
import contextlib
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from moto import mock_aws

from conftest import FIXTURES, decorator_only
from moto_cognito_import.importing.csv_validation import NO_AUTO_VERIFIED, CsvFileError, judge_file
from moto_cognito_import.importing.pool_profile import PoolProfile
from moto_cognito_import.tools import checker as cli
from moto_cognito_import.tools.checker import OFFLINE_NOTE, check_file, load_pool_description, main, read_pool
from moto_cognito_import.tools.server import free_port

OFFLINE = OFFLINE_NOTE + "\n"
#: A console script's own process (its streams, its exit code) is the same on every lower bound:
#: tox's "lowest" leaves these out (tox.ini).
OWN_PROCESS = pytest.mark.newest_only
# The shape `aws cognito-idp describe-user-pool` prints for a real pool (abridged): custom
# attributes carry their prefix, constraints are strings, dates are ISO strings.
AWS_CLI_POOL = {
    "UserPool": {
        "Id": "eu-west-2_AbCdEf123",
        "Name": "customers",
        "Policies": {"PasswordPolicy": {"MinimumLength": 8}},
        "LastModifiedDate": "2025-03-01T10:00:00.000000+00:00",
        "CreationDate": "2025-03-01T10:00:00.000000+00:00",
        "SchemaAttributes": [
            {"Name": "sub", "AttributeDataType": "String", "DeveloperOnlyAttribute": False, "Mutable": False,
             "Required": True, "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"}},
            {"Name": "email", "AttributeDataType": "String", "DeveloperOnlyAttribute": False, "Mutable": True,
             "Required": True, "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"}},
            {"Name": "custom:tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": False,
             "Mutable": True, "Required": False, "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "5"}},
        ],
        "AutoVerifiedAttributes": ["email"],
        "MfaConfiguration": "OFF",
        "EstimatedNumberOfUsers": 0,
        "UsernameConfiguration": {"CaseSensitive": False},
        "Arn": "arn:aws:cognito-idp:eu-west-2:123456789012:userpool/eu-west-2_AbCdEf123",
    }
}
CSV = (
    "cognito:username,email,email_verified,custom:tier\n"
    "ann,ann@example.com,true,gold\n"
    "Ann,ann2@example.com,true,gold\n"  # the pool is case-insensitive: the same user again
    "bo,bo@example.com,false,gold\n"
)
CSV_LINES = [
    "[SUCCEEDED] Line Number 2 - The import succeeded.",
    "[SKIPPED] Line Number 3 - The user already exists.",
    f"[FAILED] Line Number 4 - {NO_AUTO_VERIFIED}",
]


def agreement_cases() -> list[pytest.param]:
    """The ``cli_*`` fixture CSVs, through the command line against the server (``--endpoint-url``,
    as users run it) and under ``mock_aws``. (Every fixture's agreement with its job, through the
    checker's Python API, runs in test_import.py: the same code, without repeating the import.)"""
    return [
        pytest.param(mode, path, id=f"{mode}-{path.stem}")
        for path in sorted(FIXTURES.glob("cli_*.csv"))
        if path.with_suffix(".json").exists()
        for mode in ("server", "decorator")
    ]


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


@pytest.fixture
def pool_json(tmp_path) -> str:
    return write(tmp_path, "pool.json", json.dumps(AWS_CLI_POOL))


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_is_the_job_log_line_by_line_then_a_summary(capsys, tmp_path, pool_json):
    code, out, err = run(capsys, write(tmp_path, "users.csv", CSV), "--pool", pool_json)
    assert out == "\n".join(CSV_LINES) + "\n" + (
        "Would import 1, skip 1 and fail 1 of 3 rows.\n"
        "The job would end Failed: Too many users have failed or been skipped during the import.\n"
        + OFFLINE
    )
    assert (code, err) == (1, "")


@decorator_only  # the checker is offline: the job's mode changes nothing here
def test_offline_a_row_whose_alias_the_pool_holds_reads_as_imported_and_the_note_says_so(capsys, aws, tmp_path):
    """The job FAILS a row whose email another user holds as a sign-in alias ("An account with
    the given email already exists."); offline the checker cannot see that user: the note said
    only SKIPPED counts were affected, and the row, the counts and exit code 0 read as clean."""
    pool = aws.pool(AliasAttributes=["email"])
    aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="old", MessageAction="SUPPRESS", UserAttributes=[
        {"Name": "email", "Value": "a@x.com"}, {"Name": "email_verified", "Value": "true"}])
    csv = write(tmp_path, "users.csv", "cognito:username,email,email_verified\nnew,a@x.com,true\n")
    described = aws.idp.describe_user_pool(UserPoolId=pool["Id"])
    code, out, _ = run(capsys, csv, "--pool", write(tmp_path, "pool.json", json.dumps(described, default=str)))
    assert (code, out.splitlines()[0]) == (0, "[SUCCEEDED] Line Number 2 - The import succeeded.")
    assert "alias the pool already holds (SKIPPED or FAILED in the job) reads as imported" in out
    assert aws.run(pool["Id"], Path(csv).read_text())["FailedUsers"] == 1


def test_json_output_is_one_document_with_rows_and_summary(capsys, tmp_path, pool_json):
    code, out, _ = run(capsys, write(tmp_path, "users.csv", CSV), "--pool", pool_json, "--format", "json")
    document = json.loads(out)
    assert document["rows"] == [
        {"line_number": 2, "status": "SUCCEEDED", "reason": "The import succeeded."},
        {"line_number": 3, "status": "SKIPPED", "reason": "The user already exists."},
        {"line_number": 4, "status": "FAILED", "reason": NO_AUTO_VERIFIED},
    ]
    assert document["summary"] == {
        "imported_users": 1, "skipped_users": 1, "failed_users": 1, "status": "Failed",
        "completion_message": "Too many users have failed or been skipped during the import.",
        "file_error": False, "existing_users_checked": False,
    }
    assert code == 1


@pytest.mark.parametrize(
    "rows, code, summary",
    [
        # Skipped rows alone don't make the check fail: the job succeeds with no failed row.
        (["a,a@example.com,true", "b,b@example.com,true", "A,x@example.com,true"], 0,
         "Would import 2, skip 1 and fail 0 of 3 rows.\nThe job would end Succeeded: Import Job Completed Successfully.\n"),
        # The job still succeeds, but a failed row is a problem: exit code 1.
        (["a,a@example.com,true", "b,b@example.com,true", "c,c@example.com,false"], 1,
         "Would import 2, skip 0 and fail 1 of 3 rows.\nThe job would end Succeeded: Import Job Completed Successfully.\n"),
        # One row is "row" ("of 1 rows" before).
        (["a,a@example.com,true"], 0,
         "Would import 1, skip 0 and fail 0 of 1 row.\nThe job would end Succeeded: Import Job Completed Successfully.\n"),
    ],
)
def test_exit_code_is_0_only_when_the_job_succeeds_with_no_failed_row(capsys, tmp_path, pool_json, rows, code, summary):
    csv = "cognito:username,email,email_verified\n" + "\n".join(rows) + "\n"
    result, out, _ = run(capsys, write(tmp_path, "users.csv", csv), "--pool", pool_json)
    assert result == code
    assert out.endswith(summary + OFFLINE)


def file_error(content: bytes, algorithm: str | None = None) -> str:
    """The CompletionMessage the import's own file and header checks give ``content``."""
    profile = PoolProfile.from_description(AWS_CLI_POOL)
    with pytest.raises(CsvFileError) as error:
        list(judge_file(io.BytesIO(content), profile, algorithm, lambda key: False))
    return str(error.value)


@pytest.mark.parametrize(
    "content",
    [
        b"cognito:username,email,shoe_size\nann,ann@example.com,42\n",
        b"cognito:username,name\nann,Ren\xe9\n",  # Latin-1, not UTF-8
        b"\xef\xbb\xbfcognito:username,email\n",  # a byte-order mark
        b"",
    ],
    ids=["bad header", "not utf-8", "bom", "empty"],
)
def test_a_file_the_job_would_reject_is_exit_1_with_its_completion_message(capsys, tmp_path, pool_json, content):
    message = file_error(content)
    code, out, err = run(capsys, write(tmp_path, "users.csv", content), "--pool", pool_json)
    assert out == f"The job would end Failed before any row: {message}\n"
    assert (code, err) == (1, "")
    main(["check", str(tmp_path / "users.csv"), "--pool", pool_json, "--format", "json"])
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert (summary["status"], summary["completion_message"], summary["file_error"]) == ("Failed", message, True)


def test_the_password_hashing_algorithm_is_the_jobs(capsys, tmp_path, pool_json):
    content = b"cognito:username,email,email_verified\nann,ann@example.com,true\n"
    code, out, _ = run(capsys, write(tmp_path, "users.csv", content), "--pool", pool_json, "--password-hashing-algorithm", "SCRYPT")
    assert out == f"The job would end Failed before any row: {file_error(content, 'SCRYPT')}\n"
    assert "password_hash" in out
    assert code == 1


@pytest.mark.parametrize("algorithm", ["bcrypt", "MD5", ""])
def test_check_file_refuses_an_algorithm_the_api_refuses(tmp_path, pool_json, algorithm):
    """The Python API took any name and answered a file-level Failed verdict ("The job uses
    MD5 password hashes ..."); CreateUserImportJob refuses such a job, so the call is wrong."""
    profile = cli.load_pool_description(pool_json)
    with pytest.raises(ValueError, match="is not a PasswordHashingAlgorithm"):
        cli.check_file(write(tmp_path, "users.csv", CSV), profile, algorithm)


@pytest.mark.parametrize("form", ["response", "pool object", "stdin"])
def test_the_pool_json_may_be_the_response_the_pool_or_stdin(capsys, monkeypatch, tmp_path, form):
    document = AWS_CLI_POOL if form != "pool object" else AWS_CLI_POOL["UserPool"]
    path = write(tmp_path, "pool.json", json.dumps(document))
    if form == "stdin":
        monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(document)))
        path = "-"
    csv = CSV + "cy,cy@example.com,true,platinum\n"  # custom:tier allows 5 characters
    code, out, _ = run(capsys, write(tmp_path, "users.csv", csv), "--pool", path)
    assert out.splitlines()[:3] == CSV_LINES
    assert out.splitlines()[3].startswith("[FAILED] Line Number 5 - The value of custom:tier ")
    assert code == 1


def test_a_moto_pools_describe_output_works_too(capsys, tmp_path):
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = idp.create_user_pool(
            PoolName="p", AutoVerifiedAttributes=["phone_number"],
            Schema=[{"Name": "plan", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MaxValue": "3"}}],
        )["UserPool"]["Id"]
        description = idp.describe_user_pool(UserPoolId=pool_id)
    pool = write(tmp_path, "pool.json", json.dumps(description, default=str))
    csv = "cognito:username,phone_number,phone_number_verified,custom:plan\nann,+12065550100,true,3\nbo,+12065550101,true,4\n"
    code, out, _ = run(capsys, write(tmp_path, "users.csv", csv), "--pool", pool)
    assert out.splitlines()[0] == "[SUCCEEDED] Line Number 2 - The import succeeded."
    assert out.splitlines()[1].startswith("[FAILED] Line Number 3 - The value of custom:plan ")
    assert code == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.csv", "--pool", "{pool}"], "cannot read the CSV file missing.csv: No such file or directory"),
        (["{dir}", "--pool", "{pool}"], "cannot read the CSV file {dir}: Is a directory"),
        # Opens, then every read fails: was a traceback and exit 1 (a "would fail" verdict).
        (["/proc/self/mem", "--pool", "{pool}"], "cannot read the CSV file /proc/self/mem: Invalid argument"),
        (["{csv}", "--pool", "missing.json"], "cannot read the pool description missing.json: No such file or directory"),
        (["{csv}", "--pool", "{csv}"], "the pool description {csv} is not valid JSON (Expecting value: line 1 column 1 (char 0))"),
        (["{csv}", "--pool", "{latin1}"], "the pool description {latin1} is not UTF-8 text"),
        (["{csv}", "--pool", "{other}"], "{other}: The JSON is not a user pool description: it has no UserPool.Id."),
        (["{csv}", "--pool", "{deep}"], "the pool description {deep} is nested too deeply to be a pool description"),
        (["{csv}", "--pool", "/dev/zero"], "the pool description /dev/zero is over 16 MB: not a describe-user-pool answer"),
        (["{csv}", "--pool", "{pool}", "--password-hashing-algorithm", "MD5"],
         "argument --password-hashing-algorithm: invalid choice: 'MD5' "
         "(choose from 'BCRYPT', 'SCRYPT', 'ARGON2ID', 'PBKDF2_SHA256')"),
        (["{csv}"], "one of the arguments --pool --user-pool-id is required"),
        (["{csv}", "--pool", "{pool}", "--endpoint-url", "http://localhost:5000"], "--endpoint-url needs --user-pool-id"),
        # botocore refuses it before any request with a ValueError: was a traceback and exit 1.
        (["{csv}", "--user-pool-id", "us-east-1_x", "--endpoint-url", "notaurl"],
         "--endpoint-url notaurl: Invalid endpoint: notaurl"),
        *(
            (["{csv}", "--user-pool-id", pool_id],
             f"cannot read user pool {pool_id}: its ID has no region before '_': give --region")
            # "" and "_x" were "--endpoint-url None: Invalid endpoint: ..." without one; "abc" was
            # sent to a region "abc" (a connection error)
            for pool_id in ("", "_x", "abc")
        ),
        (["{csv}", "--user-pool-id", "bad region!_x"],
         "cannot read user pool bad region!_x: Provided region_name 'bad region!' doesn't match a supported format."),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(capsys, monkeypatch, tmp_path, pool_json, args, message):
    names = {
        "pool": pool_json,
        "dir": str(tmp_path),
        "csv": write(tmp_path, "users.csv", CSV),
        "latin1": write(tmp_path, "latin1.json", '{"Name": "Ren\xe9"}'.encode("latin-1")),
        "other": write(tmp_path, "other.json", '{"Users": []}'),
        "deep": write(tmp_path, "deep.json", "[" * 100_000),
    }
    monkeypatch.chdir(tmp_path)  # "missing.*" are relative names that don't exist
    code, out, err = run(capsys, *(a.format(**names) for a in args))
    assert (code, out) == (2, "")
    assert err == f"moto-cognito-import: error: {message.format(**names)}\n"


@pytest.mark.parametrize(
    "member, value, message",
    [
        ("UsernameAttributes", 5, "UsernameAttributes is not a list of strings"),
        ("AutoVerifiedAttributes", [5], "AutoVerifiedAttributes is not a list of strings"),
        ("Policies", {"SignInPolicy": [1]}, "Policies.SignInPolicy is not an object"),
        ("Policies", {"SignInPolicy": {"AllowedFirstAuthFactors": [{}]}},
         "Policies.SignInPolicy.AllowedFirstAuthFactors is not a list of strings"),
        ("UsernameConfiguration", [1], "UsernameConfiguration is not an object"),
        ("UsernameConfiguration", 0, "UsernameConfiguration is not an object"),
        ("Policies", [], "Policies is not an object"),
        ("AliasAttributes", "", "AliasAttributes is not a list of strings"),
        ("MfaConfiguration", ["ON"], "MfaConfiguration is not a string"),
        ("SchemaAttributes", [{"Name": "custom:n", "AttributeDataType": "Number",
                               "NumberAttributeConstraints": {"MinValue": float("inf")}}],
         "SchemaAttributes is malformed"),
        # Read as true, as case-sensitive, and as a type: wrong verdicts and exit 0 or 1.
        ("UsernameConfiguration", {"CaseSensitive": "false"}, "UsernameConfiguration.CaseSensitive is not a boolean"),
        ("SchemaAttributes", [{"Name": "custom:n", "AttributeDataType": "String", "Required": "false"}],
         "SchemaAttributes is malformed"),
        ("SchemaAttributes", [{"Name": "custom:n", "AttributeDataType": 5}], "SchemaAttributes is malformed"),
        ("SchemaAttributes", [{"Name": "custom:n", "AttributeDataType": ["x"]}], "SchemaAttributes is malformed"),
        # Said in the description's terms: were "it has no UserPool.Id" and Python's AttributeError.
        ("Id", 5, "Id is not a string."),
        ("SchemaAttributes", [{"Name": 5}], "SchemaAttributes is malformed (entry 0 has no Name string)."),
        ("SchemaAttributes", [{"Name": "custom:n", "StringAttributeConstraints": {"MaxLength": "many"}}],
         "SchemaAttributes is malformed (custom:n's MaxLength is not an integer)."),
    ],
)
def test_a_pool_description_with_a_member_of_the_wrong_type_is_bad_input(capsys, tmp_path, member, value, message):
    """Hand-written or edited JSON: a traceback and exit 1 ("rows would fail"), which CI
    scripts misread. It is exit 2, one line naming the member."""
    pool = write(tmp_path, "pool.json", json.dumps({"UserPool": {"Id": "us-east-1_x", member: value}}))
    code, out, err = run(capsys, write(tmp_path, "users.csv", CSV), "--pool", pool)
    assert (code, out) == (2, "")
    assert err.startswith(f"moto-cognito-import: error: {pool}: The pool description's {message}"), err
    assert err.count("\n") == 1


def test_a_csv_whose_reads_fail_is_bad_input_with_a_progress_bar_too(capsys, monkeypatch, pool_json):
    """On a terminal the rows are counted first (for the progress bar), outside check_file:
    the read error escaped as a traceback and exit 1 there."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys, "/proc/self/mem", "--pool", pool_json)
    assert (code, out) == (2, "")
    assert err.endswith("error: cannot read the CSV file /proc/self/mem: Input/output error\n") or err.endswith(
        "error: cannot read the CSV file /proc/self/mem: Invalid argument\n"
    ), err


def test_null_members_of_a_pool_description_are_absent(tmp_path):
    """JSON null is an absent member to AWS; a raw CreateUserPool's nulls, as moto stores them,
    were refused after the type checks came in (GetCSVHeader's InternalErrorException)."""
    pool = {
        "UserPool": {
            "Id": "us-east-1_x", "UsernameConfiguration": {"CaseSensitive": None},
            "SchemaAttributes": [{"Name": "custom:tier", "AttributeDataType": "String", "Required": None}],
        }
    }
    profile = cli.load_pool_description(write(tmp_path, "pool.json", json.dumps(pool)))
    assert profile.case_sensitive and not profile.attributes["custom:tier"].required


def test_a_stream_that_never_ends_or_is_too_large_is_cut_at_the_maximum(tmp_path, pool_json, monkeypatch):
    """``check /dev/zero`` never ended (it seeks, and says its size is 0), and a pipe was
    copied whole before the 100 MB check. Either is read to one byte past the maximum."""
    monkeypatch.setattr(cli, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr("moto_cognito_import.importing.csv_validation.MAX_FILE_BYTES", 1000)
    profile = load_pool_description(pool_json)
    report = check_file("/dev/zero", profile)
    assert (report.file_error, report.completion_message) == (True, "The CSV file is larger than the maximum of 100 MB.")
    endless = subprocess.Popen(["yes", "ann,ann@example.com,true"], stdout=subprocess.PIPE)
    try:
        assert check_file(endless.stdout, profile).file_error  # type: ignore[arg-type]
    finally:
        endless.kill()
        endless.wait()
        endless.stdout.close()  # type: ignore[union-attr]


@OWN_PROCESS
def test_names_the_terminal_cannot_show_are_escaped_not_a_traceback(tmp_path, pool_json):
    """A header column outside the terminal's encoding (``PYTHONIOENCODING=cp1252``, Windows
    redirects) ended in UnicodeEncodeError."""
    csv = write(tmp_path, "users.csv", "cognito:username,email,email_verified,\u7a7a\nann,a@x.com,true,x\n")
    result = subprocess.run(
        [sys.executable, "-m", "moto_cognito_import", "check", csv, "--pool", pool_json],
        capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}, check=False,
    )
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"\\u7a7a" in result.stdout


@OWN_PROCESS
def test_a_report_that_cannot_be_written_is_exit_2_not_a_traceback(tmp_path, pool_json):
    """stdout on a full disk (/dev/full) or closed: a traceback and exit 1 ("rows would fail");
    stderr closed: exit 1 and no word. Now exit 2 with one line, and a clean file is 0."""
    csv = write(tmp_path, "users.csv", "cognito:username,email,email_verified\nann,ann@example.com,true\n")  # clean
    command = [sys.executable, "-m", "moto_cognito_import", "check", csv, "--pool", pool_json]
    with open("/dev/full", "w") as full:
        result = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, check=False)
    assert (result.returncode, result.stderr) == (2, b"moto-cognito-import: error: cannot write the report: No space left on device\n")
    closed = subprocess.run(command, capture_output=True, check=False, preexec_fn=lambda: os.close(1))
    assert (closed.returncode, closed.stderr) == (2, b"moto-cognito-import: error: cannot write the report: standard output is closed\n")
    assert subprocess.run(command, stdout=subprocess.PIPE, check=False, preexec_fn=lambda: os.close(2)).returncode == 0


@OWN_PROCESS
def test_bad_input_with_nowhere_to_say_it_is_still_exit_2(tmp_path, pool_json):
    """``--pool -`` with standard input closed was an AttributeError (exit 1); bad input with
    stderr on a full disk was exit 1 from the failed write. The exit code still says it."""
    csv = write(tmp_path, "users.csv", "cognito:username,email,email_verified\nann,ann@example.com,true\n")
    command = [sys.executable, "-m", "moto_cognito_import", "check", csv, "--pool"]
    no_stdin = subprocess.run([*command, "-"], capture_output=True, check=False, preexec_fn=lambda: os.close(0))
    assert (no_stdin.returncode, no_stdin.stderr) == (
        2, b"moto-cognito-import: error: cannot read the pool description -: standard input is closed\n"
    )
    with open("/dev/full", "w") as full:
        result = subprocess.run([*command, "/nonexistent"], stdout=subprocess.PIPE, stderr=full, check=False)
    assert (result.returncode, result.stdout) == (2, b"")


def test_a_pool_description_is_read_whole_from_an_unbuffered_stream(pool_json):
    """One ``read(n)`` of an unbuffered stream (a pipe's or a socket's, ``buffering=0``)
    returns what has arrived: a description that came in pieces was cut after the first
    ("not valid JSON")."""

    class Trickle(io.RawIOBase):
        """A raw stream that hands out at most 10 bytes a read, as a pipe does when they come slowly."""

        def __init__(self, data: bytes):
            self.data = data

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            piece, self.data = self.data[:10], self.data[10:]
            buffer[: len(piece)] = piece
            return len(piece)

    assert load_pool_description(Trickle(Path(pool_json).read_bytes())) == load_pool_description(pool_json)


@OWN_PROCESS
def test_a_pool_description_on_stdin_is_utf_8_whatever_the_locale(tmp_path):
    """``--pool -`` decoded stdin in the locale's encoding: under a Latin-1 or ASCII locale a
    valid UTF-8 description with ``custom:café`` gave a wrong verdict or "not UTF-8"."""
    pool = json.loads(json.dumps(AWS_CLI_POOL))
    pool["UserPool"]["SchemaAttributes"][2]["Name"] = "custom:caf\u00e9"
    pool_path = write(tmp_path, "pool.json", json.dumps(pool, ensure_ascii=False))
    csv = write(tmp_path, "users.csv", "cognito:username,email,email_verified,custom:caf\u00e9\nann,a@x.com,true,x\n")
    for encoding in ("latin-1", "ascii"):
        with open(pool_path, "rb") as stdin:
            result = subprocess.run(
                [sys.executable, "-m", "moto_cognito_import", "check", csv, "--pool", "-"], stdin=stdin,
                capture_output=True, env={**os.environ, "PYTHONIOENCODING": encoding}, check=False,
            )
        assert (result.returncode, result.stderr) == (0, b""), (encoding, result.stdout)


@contextlib.contextmanager
def _sent_late(document: bytes) -> Iterator[io.FileIO]:
    """A non-blocking pipe whose writer writes ``document`` after the first read found nothing."""
    reader, writer = os.pipe()
    os.set_blocking(reader, False)
    sender = threading.Timer(0.2, lambda: (os.write(writer, document), os.close(writer)))
    sender.start()
    try:
        with io.FileIO(reader, "r") as stream:
            yield stream
    finally:
        sender.join()


def test_a_non_blocking_or_bytearray_stream_is_read_whole(pool_json):
    """A non-blocking pipe returns None until the writer has written: the description was
    taken as empty ("not valid JSON"), and a CSV judged on none of its rows (Succeeded, 0
    rows). A reader handing out bytearrays was a TypeError."""
    document = Path(pool_json).read_bytes()
    with _sent_late(document) as stream:
        assert load_pool_description(stream) == load_pool_description(pool_json)
    profile = load_pool_description(pool_json)
    csv = b"cognito:username,email,email_verified\nann,a@example.com,true\nbob,b@example.com,maybe\n"
    with _sent_late(csv) as stream:
        assert check_file(stream, profile) == check_file(io.BytesIO(csv), profile)

    class Bytearrays(io.RawIOBase):
        def __init__(self) -> None:
            self.left = document

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytearray:
            size = len(self.left) if size < 0 else size
            piece, self.left = self.left[:size], self.left[size:]
            return bytearray(piece)

    assert load_pool_description(Bytearrays()) == load_pool_description(pool_json)

    class NothingYet(io.RawIOBase):  # non-blocking, and no descriptor to wait on
        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> None:
            return None

    with pytest.raises(cli.InputError, match="cannot wait for a non-blocking stream without a file descriptor"):
        load_pool_description(NothingYet())


def test_main_in_a_caller_s_process_with_closed_streams_says_so(tmp_path, pool_json, monkeypatch, capsys):
    """``main()`` called by a program that closed stdin or stdout raised ValueError ("I/O
    operation on closed file") instead of answering 2 with one line."""
    csv = write(tmp_path, "users.csv", "cognito:username,email,email_verified\nann,ann@example.com,true\n")
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdin", closed)
    assert main(["check", csv, "--pool", "-"]) == 2
    assert capsys.readouterr().err == (
        "moto-cognito-import: error: cannot read the pool description -: standard input is closed\n"
    )
    monkeypatch.setattr(sys, "stdout", closed)
    assert main(["check", csv, "--pool", pool_json]) == 2
    assert capsys.readouterr().err.endswith("cannot write the report: standard output is closed\n")


def test_the_pool_description_limit_counts_bytes_of_a_file(tmp_path, monkeypatch):
    """Over the limit is "over 16 MB", not "not UTF-8" for a multi-byte character cut at the
    limit; under it, a file of multi-byte characters is read whole."""
    monkeypatch.setattr(cli, "_MAX_POOL_SIZE", 10)
    over = write(tmp_path, "over.json", '"' + "\u00e9" * 10 + '"')
    with pytest.raises(cli.InputError, match="is over 0 MB"):
        load_pool_description(over)
    with pytest.raises(cli.InputError, match="is over 0 MB"):
        load_pool_description(io.BytesIO(Path(over).read_bytes()))
    with pytest.raises(cli.InputError, match="not a user pool description"):
        load_pool_description(write(tmp_path, "under.json", '"\u00e9\u00e9\u00e9"'))


def test_no_subcommand_is_exit_2(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err == "moto-cognito-import: error: the following arguments are required: command\n"


def test_help_exits_0(capsys):
    assert main(["check", "--help"]) == 0
    assert "--password-hashing-algorithm" in capsys.readouterr().out


def test_check_file_reports_progress_for_every_row(tmp_path):
    profile = PoolProfile.from_description(AWS_CLI_POOL)
    rows = "".join(f"u{i},u{i}@example.com,true\n" for i in range(2500))
    steps: list[int] = []
    report = check_file(io.BytesIO(f"cognito:username,email,email_verified\n{rows}".encode()), profile, progress=steps.append)
    assert sum(steps) == report.imported_users == 2500
    assert not report.existing_users_checked


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_goes_to_stderr_only_when_it_is_a_terminal(capsys, monkeypatch, tmp_path, pool_json):
    csv = write(tmp_path, "users.csv", "cognito:username,email,email_verified\n" + "a,a@example.com,true\n" * 3)
    monkeypatch.setattr(cli, "_PROGRESS_DELAY", 0)  # small files never show it otherwise
    main(["check", csv, "--pool", pool_json])
    assert capsys.readouterr().err == ""  # captured stderr is not a terminal
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    main(["check", csv, "--pool", pool_json])
    assert "3/3" in terminal.getvalue() and "rows" in terminal.getvalue()
    assert "[SUCCEEDED]" in capsys.readouterr().out


@OWN_PROCESS
def test_the_console_script_and_python_m_run_the_checker(tmp_path, pool_json):
    csv = write(tmp_path, "users.csv", CSV)
    bin_dir = Path(sys.executable).parent
    script = shutil.which("moto-cognito-import", path=str(bin_dir))
    assert script, "the console script is not installed (pip install -e .)"
    for command in ([script], [sys.executable, "-m", "moto_cognito_import"]):
        result = subprocess.run(
            [*command, "check", csv, "--pool", pool_json], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 1, result.stderr
        assert result.stdout.startswith("[SUCCEEDED] Line Number 2 - The import succeeded.\n")
        assert result.stderr == ""
    # Output cut short by a closed pipe (`| head -1`) ends quietly, without a traceback.
    big = write(tmp_path, "big.csv", "cognito:username,email,email_verified\n" + "a,a@example.com,true\n" * 20000)
    piped = subprocess.run(
        f'"{script}" check "{big}" --pool "{pool_json}" | head -1', shell=True, capture_output=True, text=True, timeout=60
    )
    assert piped.stdout == "[SUCCEEDED] Line Number 2 - The import succeeded.\n"
    assert piped.stderr == ""


def test_existing_users_are_read_from_a_server(capsys, server_url, tmp_path):
    """--endpoint-url: the pool and its users come from the server, so SKIPPED is complete."""
    idp = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=server_url)
    try:
        pool_id = idp.create_user_pool(
            PoolName="p", AutoVerifiedAttributes=["email"], UsernameAttributes=["email"],
            UsernameConfiguration={"CaseSensitive": False},
        )["UserPool"]["Id"]
        idp.admin_create_user(UserPoolId=pool_id, Username="old@example.com", MessageAction="SUPPRESS")
        csv = write(tmp_path, "users.csv", "cognito:username,email_verified\nOld@example.com,true\nnew@example.com,true\n")
        code, out, _ = run(capsys, csv, "--endpoint-url", server_url, "--user-pool-id", pool_id)
    finally:
        requests.post(f"{server_url}/moto-api/reset", timeout=30).raise_for_status()
    assert out == (
        "[SKIPPED] Line Number 2 - The user already exists.\n"
        "[SUCCEEDED] Line Number 3 - The import succeeded.\n"
        "Would import 1, skip 1 and fail 0 of 2 rows.\n"
        "The job would end Succeeded: Import Job Completed Successfully.\n"
    )  # no offline note: existing users were read
    assert code == 0


def test_server_errors_are_bad_input(capsys, monkeypatch, server_url, tmp_path):
    csv = write(tmp_path, "users.csv", CSV)
    code, out, err = run(capsys, csv, "--endpoint-url", server_url, "--user-pool-id", "us-east-1_nothere")
    assert (code, out) == (2, "")
    assert err == (
        "moto-cognito-import: error: cannot read user pool us-east-1_nothere: "
        "ResourceNotFoundException: User pool us-east-1_nothere does not exist.\n"
    )
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    closed = f"http://127.0.0.1:{free_port()}"
    code, out, err = run(capsys, csv, "--endpoint-url", closed, "--user-pool-id", "us-east-1_x")
    assert (code, out) == (2, "")
    assert err == f'moto-cognito-import: error: cannot read user pool us-east-1_x: Could not connect to the endpoint URL: "{closed}/"\n'
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # it caches the credentials it found
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, out, err = run(capsys, csv, "--endpoint-url", server_url, "--user-pool-id", "us-east-1_x")
    assert code == 2 and err.startswith("moto-cognito-import: error: no AWS credentials found")


def _check_against(capsys: Any, tmp_path: Path, answers: dict[str, tuple[int, bytes]]) -> tuple[int, str, str]:
    """The checker's run with --user-pool-id against an endpoint that answers each operation
    (by X-Amz-Target) with ``answers[operation]``: (status, body)."""

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            status, body = answers[self.headers["X-Amz-Target"].rpartition(".")[2]]
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}"
            return run(capsys, write(tmp_path, "users.csv", CSV), "--endpoint-url", url, "--user-pool-id", "us-east-1_x")
        finally:
            server.shutdown()


def test_a_server_s_html_error_page_is_one_line_of_its_text(capsys, monkeypatch, tmp_path):
    """A proxy or a failing server answers HTML, not JSON: its lines and tags were written
    to stderr as they came, where one line is promised. An error without a message said
    ``404: ``."""
    page = b"<!doctype html>\n<html>\n<title>500 Internal Server Error</title>\n<h1>Broken</h1>\n</html>\n"
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    code, out, err = _check_against(capsys, tmp_path, {"DescribeUserPool": (500, page)})
    assert (code, out) == (2, "")
    assert err == "moto-cognito-import: error: cannot read user pool us-east-1_x: 500: 500 Internal Server Error Broken\n"
    code, out, err = _check_against(capsys, tmp_path, {"DescribeUserPool": (404, b"")})
    assert (code, err) == (2, "moto-cognito-import: error: cannot read user pool us-east-1_x: 404: HTTP 404 with no message\n")


_POOL_ANSWER = json.dumps({"UserPool": {"Id": "us-east-1_x", "AutoVerifiedAttributes": ["email"]}}).encode()


@pytest.mark.parametrize(
    "answers, operation",
    [
        ({"DescribeUserPool": (200, b"<html>hello</html>")}, "DescribeUserPool"),
        ({"DescribeUserPool": (200, b"")}, "DescribeUserPool"),
        ({"DescribeUserPool": (200, b'{"UserPool": 5}')}, "DescribeUserPool"),
        ({"DescribeUserPool": (200, b'{"UserPool": {"Id": "us-east-1_x", "SchemaAttributes": 7}}')}, "DescribeUserPool"),
        *(
            ({"DescribeUserPool": (200, _POOL_ANSWER), "GetUserPoolMfaConfig": (200, b'{"MfaConfiguration": "OFF"}'),
              "ListUsers": (200, users)}, "ListUsers")
            for users in (b"<html></html>", b'{"Users": "x"}', b'{"Users": [{"Attributes": []}]}',
                          b'{"Users": [{"Username": "a", "Attributes": [{"Name": "email"}]}]}')
        ),
    ],
)
def test_an_endpoint_s_answers_that_are_not_cognito_s_are_bad_input(capsys, monkeypatch, tmp_path, answers, operation):
    """A web server given as --endpoint-url (an HTML page with 200), or answers of the wrong
    shape: a traceback and exit code 1, which says "rows would fail"."""
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    code, out, err = _check_against(capsys, tmp_path, answers)
    assert (code, out) == (2, "")
    assert err.startswith(f"moto-cognito-import: error: the endpoint's answer to {operation} is not one (")
    assert err.count("\n") == 1


def test_an_endpoint_url_with_a_bad_port_is_named(capsys, monkeypatch, tmp_path):
    """A port out of range failed at the first request: a traceback and exit code 1. A
    setting of the user's that botocore refuses is not the endpoint's fault."""
    csv = write(tmp_path, "users.csv", CSV)
    for url, reason in (("http://127.0.0.1:99999", "Port out of range 0-65535"),
                        ("http://127.0.0.1:abc", "Port could not be cast to integer value as 'abc'"),
                        ("http://[::1", "Invalid IPv6 URL")):
        code, out, err = run(capsys, csv, "--endpoint-url", url, "--user-pool-id", "us-east-1_x")
        assert (code, out, err) == (2, "", f"moto-cognito-import: error: --endpoint-url {url}: {reason}\n")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "abc")
    code, out, err = run(capsys, csv, "--endpoint-url", "http://127.0.0.1:9", "--user-pool-id", "us-east-1_x")
    assert code == 2 and err.startswith("moto-cognito-import: error: cannot read user pool us-east-1_x: "), err
    monkeypatch.delenv("AWS_MAX_ATTEMPTS")
    code, out, err = run(capsys, csv, "--endpoint-url", "http://127.0.0.1:9", "--user-pool-id", "")
    assert err == "moto-cognito-import: error: cannot read user pool : its ID has no region before '_': give --region\n"


def test_a_silent_endpoint_is_given_up_on_in_about_half_a_minute(monkeypatch, tmp_path):
    """botocore's defaults (60 s a read, 3 attempts) held the command for 3 minutes on an
    endpoint that took the connection and never answered."""
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    config = cli._client("http://127.0.0.1:9", "us-east-1").meta.config
    assert (config.connect_timeout, config.read_timeout, config.retries["total_max_attempts"]) == (5, 10, 3)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # the user's own setting stays theirs
    assert cli._client("http://127.0.0.1:9", "us-east-1").meta.config.retries["total_max_attempts"] == 1
    monkeypatch.delenv("AWS_MAX_ATTEMPTS")
    config_file = tmp_path / "config"
    config_file.write_text("[default]\nmax_attempts = 7\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    assert cli._client("http://127.0.0.1:9", "us-east-1").meta.config.retries["total_max_attempts"] == 7


def test_ctrl_c_ends_the_command_quietly_with_130(capsys, monkeypatch):
    def interrupted(argv: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_main", interrupted)
    assert main(["check", "x.csv"]) == 130


def test_every_page_of_users_is_read_and_the_region_is_the_pool_ids(capsys, tmp_path):
    """ListUsers pages hold 60 users; the pool lives in us-west-2 while the default is us-east-1."""
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name="us-west-2")
        pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        for i in range(65):
            idp.admin_create_user(UserPoolId=pool_id, Username=f"user{i:02d}", MessageAction="SUPPRESS")
        csv = "cognito:username,email,email_verified\nuser64,u@example.com,true\nuser65,v@example.com,true\n"
        _, out, _ = run(capsys, write(tmp_path, "users.csv", csv), "--user-pool-id", pool_id)
    assert out.splitlines()[:2] == [
        "[SKIPPED] Line Number 2 - The user already exists.",
        "[SUCCEEDED] Line Number 3 - The import succeeded.",
    ]


@pytest.mark.parametrize("aws, csv_path", agreement_cases(), indirect=["aws"])
def test_the_checker_and_the_import_job_agree(aws, capsys, csv_path):
    """One code path: every fixture's rows, counters and final status are the job's own."""
    case = json.loads(csv_path.with_suffix(".json").read_text())
    pool = aws.idp.create_user_pool(**case["pool"])["UserPool"]
    for username in case.get("existing_users") or []:
        aws.idp.admin_create_user(UserPoolId=pool["Id"], Username=username, MessageAction="SUPPRESS")
    algorithm = case.get("algorithm")
    # The checker first: it reads the pool's users, which the job then adds to.
    args = [str(csv_path), "--user-pool-id", pool["Id"], "--format", "json"]
    args += ["--endpoint-url", aws.endpoint] if aws.endpoint else []  # decorator mode: mock_aws
    args += ["--password-hashing-algorithm", algorithm] if algorithm else []
    code, out, _ = run(capsys, *args)
    report = json.loads(out)
    summary = report["summary"]

    job = aws.run(pool["Id"], csv_path.read_bytes(), algorithm)
    assert job["Status"] in ("Succeeded", "Failed"), job

    logged = aws.log_messages(pool, job)
    assert [f"[{r['status']}] Line Number {r['line_number']} - {r['reason']}" for r in report["rows"]] == logged
    assert len(logged) == job["ImportedUsers"] + job["SkippedUsers"] + job["FailedUsers"]
    assert (summary["status"], summary["completion_message"]) == (job["Status"], job["CompletionMessage"])
    assert (summary["imported_users"], summary["skipped_users"], summary["failed_users"]) == (
        job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"],
    )
    assert summary["existing_users_checked"] is True
    assert code == (0 if job["Status"] == "Succeeded" and job["FailedUsers"] == 0 else 1)


def test_a_pool_no_job_can_start_in_is_said_so_as_start_user_import_job_says_it(aws, capsys, tmp_path):
    """StartUserImportJob refuses a pool without AutoVerifiedAttributes (PreconditionNotMet):
    the checker said a header-only file "would end Succeeded" (exit 0) and judged each row of
    another, for a job that never starts and logs nothing."""
    pool = aws.idp.create_user_pool(PoolName="unverified")["UserPool"]
    csv = write(tmp_path, "users.csv", b"cognito:username,email,email_verified\nann,ann@example.com,true\n")
    header_only = write(tmp_path, "header.csv", b"cognito:username,email\n")
    job = aws.job(pool["Id"], b"cognito:username,email\n")
    with pytest.raises(aws.idp.exceptions.PreconditionNotMetException) as refused:
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    assert refused.value.response["Error"]["Message"].endswith(" has no auto-verified attributes, so the import job cannot start.")
    args = ["--user-pool-id", pool["Id"]] + (["--endpoint-url", aws.endpoint] if aws.endpoint else [])
    for path in (csv, header_only):
        code, out, _ = run(capsys, path, *args)
        assert (code, out) == (1, "The job would not start (StartUserImportJob: PreconditionNotMetException): "
                                  "The user pool has no auto-verified attributes, so the import job cannot start.\n")
        code, out, _ = run(capsys, path, *args, "--format", "json")
        assert (code, json.loads(out)["rows"], json.loads(out)["summary"]["status"]) == (1, [], "Created")
    unread = io.BufferedReader(io.BytesIO(b"cognito:username\n" * 1000))  # a pipe's, say: not copied
    unread.seekable = lambda: False  # type: ignore[method-assign]
    assert check_file(unread, read_pool(aws.idp, pool["Id"])[0]).status == "Created"
    assert unread.read(17) == b"cognito:username\n"


def test_read_pool_reads_the_mfa_setting_the_import_checks_rows_against():
    """moto's DescribeUserPool keeps the MFA setting a pool was created with after
    SetUserPoolMfaConfig; the import checks rows against the current one, and the checker
    reading the pool did not: the two judged ``cognito:mfa_enabled`` differently."""
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        sms = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"}
        pool_id = idp.create_user_pool(PoolName="p", MfaConfiguration="ON", SmsConfiguration=sms)["UserPool"]["Id"]
        idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF")
        assert read_pool(idp, pool_id)[0].mfa == "OFF"


def test_read_pool_is_the_in_process_api(tmp_path):
    """For scripts: read_pool (any boto3 client) + check_file, without the command line."""
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        idp.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
        profile, exists = read_pool(idp, pool_id)
    csv = b"cognito:username,email,email_verified\nann,ann@example.com,true\nAnn,ann@example.com,true\n"
    report = check_file(io.BytesIO(csv), profile, None, exists)
    assert [(r.line_number, r.status) for r in report.rows] == [(2, "SKIPPED"), (3, "SUCCEEDED")]  # case-sensitive pool
    assert report.existing_users_checked


def test_the_python_api_says_what_it_takes(pool_json):
    """``check_file(csv, *read_pool(...))`` put ``exists`` in the algorithm's place and reported
    "The job uses <ExistingUsers object> password hashes"; a number for a pool description
    was an AttributeError."""
    profile = load_pool_description(pool_json)
    with pytest.raises(TypeError, match="pass read_pool's exists by keyword"):
        check_file(io.BytesIO(b"cognito:username\nann\n"), profile, lambda key: False)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="needs a path, '-' or a file object, not int"):
        load_pool_description(42)  # type: ignore[arg-type]
    for nothing in (None, 0):  # an AttributeError ('NoneType' object has no attribute 'seekable')
        with pytest.raises(TypeError, match=f"check_file needs a CSV path or a binary file object, not {type(nothing).__name__}"):
            check_file(nothing, profile)  # type: ignore[arg-type]
    # The saved JSON itself in the profile's place: an AttributeError ('dict' ... 'csv_header').
    with pytest.raises(TypeError, match=r"check_file's profile is a PoolProfile .*, not dict"):
        check_file(io.BytesIO(b"cognito:username\nann\n"), json.loads(Path(pool_json).read_text()))  # type: ignore[arg-type]
    # Text-mode files that are no io.TextIOBase: tempfile's wrappers (an AttributeError 'read1').
    text_only = r"check_file needs a binary file object \(open\(path, 'rb'\)\), not text"
    with tempfile.SpooledTemporaryFile(mode="w+") as spooled, tempfile.NamedTemporaryFile("w+") as named:
        for text in (spooled, named):
            with pytest.raises(TypeError, match=text_only):
                check_file(text, profile)  # type: ignore[arg-type]
    # ... while a binary zip member (whose mode is "r") is a file to check.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as writing:
        writing.writestr("users.csv", "cognito:username,email,email_verified\nann,ann@example.com,true\n")
    with zipfile.ZipFile(archive) as reading, reading.open("users.csv") as member:
        assert check_file(member, profile).imported_users == 1


def test_file_objects_check_file_cannot_read_are_input_errors(tmp_path, pool_json):
    """A file object with read() alone was an AttributeError ('seekable'); a closed one a raw
    ValueError; a write-only one said only "read"."""
    profile = load_pool_description(pool_json)
    csv = b"cognito:username,email,email_verified\nann,ann@example.com,true\n"

    class ReadOnly:
        def __init__(self) -> None:
            self._data = io.BytesIO(csv)

        def read(self, size: int = -1) -> bytes:
            return self._data.read(size)

    assert check_file(ReadOnly(), profile).imported_users == 1  # type: ignore[arg-type]
    closed = io.BytesIO(csv)
    closed.close()
    with pytest.raises(cli.InputError, match="cannot read the CSV file <file object>: the file object is closed"):
        check_file(closed, profile)
    with open(tmp_path / "wo.csv", "wb") as write_only, pytest.raises(cli.InputError, match=r"wo.csv: it is not open for reading"):
        check_file(write_only, profile)


def test_a_pool_description_saved_by_windows_powershell_is_read(tmp_path, capsys):
    """PowerShell's ``>`` writes UTF-16 with a byte order mark, and ``Out-File -Encoding utf8``
    UTF-8 with one: both were exit 2 ("not valid JSON (Unexpected UTF-8 BOM ...)", "not UTF-8
    text"), for the describe-user-pool answer the README tells users to save."""
    text = json.dumps(AWS_CLI_POOL)
    expected = load_pool_description(io.StringIO(text))
    saved = {
        "utf-8-bom": codecs.BOM_UTF8 + text.encode(),
        "utf-16-le": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf-32-le": codecs.BOM_UTF32_LE + text.encode("utf-32-le"),  # its mark begins with UTF-16-LE's
    }
    for name, content in saved.items():
        assert load_pool_description(write(tmp_path, f"{name}.json", content)) == expected, name
        assert load_pool_description(io.BytesIO(content)) == expected, name
    assert load_pool_description(io.StringIO("\ufeff" + text)) == expected
    with pytest.raises(cli.InputError, match="is not UTF-16 text"):  # not "not UTF-8": its mark said UTF-16
        load_pool_description(io.BytesIO(saved["utf-16-le"][:-1]))
    code, _, err = run(capsys, write(tmp_path, "users.csv", CSV), "--pool", write(tmp_path, "p.json", saved["utf-16-le"]))
    assert code in (0, 1) and err == ""
