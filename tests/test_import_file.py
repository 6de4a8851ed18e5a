"""The file as a whole and Cognito's CSV dialect: limits, header rules, escaping, trimming.

The guide's "Formatting the CSV file": no quoting, ``\\,`` is a literal comma, values are
trimmed, booleans in any case, UTF-8 without BOM, at most 500,000 users and 16,000 characters
a row. The per-file outcomes of the fixtures are checked in test_import.py; here, what they
leave behind and the limits that need generated files.
"""

from __future__ import annotations

import io
import re
import tracemalloc

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_import import attributes_of, fixture_csv, users_by_name

from moto_cognito_import.importing.csv_validation import (
    MAX_COMPLETION_MESSAGE,
    CsvFileError,
    check_header,
    header_problem,
    read_lines,
    split_values,
)
from moto_cognito_import.importing.pool_profile import PoolProfile
from moto_cognito_import.settings import MAX_ROW_CHARS

MAX_ROWS_MESSAGE = "The CSV file has more than the maximum of 500,000 users."


def test_more_than_500000_users_fail_the_job_before_any_row(aws):
    pool = aws.pool()
    csv = "cognito:username\n" + "u\n" * 500_001  # AWS's limit excludes the header
    job = aws.run(pool["Id"], csv)
    assert (job["Status"], job["CompletionMessage"]) == ("Failed", MAX_ROWS_MESSAGE)
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (0, 0, 0)
    assert aws.idp.list_users(UserPoolId=pool["Id"])["Users"] == []


def test_500000_users_are_within_the_limit_and_blank_lines_are_not_users():
    body = b"cognito:username\n" + b"u\n" * 500_000 + b"\n \n"
    lines = read_lines(io.BytesIO(body))
    assert next(lines) == (1, "cognito:username")  # the whole file was checked before this
    with pytest.raises(CsvFileError, match="500,000"):
        next(read_lines(io.BytesIO(body + b"u\n")))


class _Tracked(io.BytesIO):
    """A file that remembers how far it was read."""

    furthest = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return data

    read1 = read


def test_counting_rows_stops_at_the_first_row_over_the_limit():
    """50 million one-character rows took 15 s to count, under the server's lock, before the
    job failed: the count stops once it is over 500,000."""
    body = b"cognito:username\n" + b"u\n" * 2_000_000
    stream = _Tracked(body)
    with pytest.raises(CsvFileError, match="500,000"):
        next(read_lines(stream))
    assert stream.furthest < len(body) // 3


def test_a_line_longer_than_a_row_may_be_is_never_held_whole():
    """A 99 MB header took 2.5 GB of memory (split before any length check), a 99 MB row
    215 MB. A line is read a row's length at a time: the header fails the file, a row fails
    itself, and a long line of spaces is still a blank line."""
    huge = b"ab," * 3_000_000  # 9 MB, one line
    stream = io.BytesIO(b"cognito:username\n" + huge + b"\n" + b" " * 9_000_000 + b"\nu\n")
    tracemalloc.start()
    try:
        lines = list(read_lines(stream))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000
    assert [(number, len(line)) for number, line in lines] == [(1, 16), (2, MAX_ROW_CHARS + 2), (4, 1)]
    with pytest.raises(CsvFileError, match="The CSV header is longer than the maximum of 16,000 characters"):
        check_header(lines[1][1], PoolProfile.from_description({"Id": "us-east-1_x"}), None)


def _reference_lines(data: bytes, cut: int) -> list[tuple[int, str]]:
    """What the reader must give, the obvious way: every line (CRLF, CR or LF ends one),
    numbered from 1, the non-blank ones, each cut after ``cut`` characters. Blank: Unicode
    white space alone, which ``str.isspace`` is but for the separators U+001C-U+001F."""
    lines = re.split(r"\r\n|\r|\n", data.decode("utf-8"))
    if lines[-1] == "":
        lines.pop()  # a line end at the very end starts no line
    ink = [(number, line) for number, line in enumerate(lines, 1) if any(not c.isspace() or c in "\x1c\x1d\x1e\x1f" for c in line)]
    return [(number, line[:cut]) for number, line in ink]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    parts=st.lists(st.sampled_from(["a", "b,c", " ", "\t", "\x0b", "\x1f", "é", "\u2028", "\n", "\r", "\r\n", "x" * 40]), max_size=60),
    chunk=st.sampled_from([1, 2, 3, 7, 64]),
)
def test_lines_are_read_in_chunks_exactly_as_split_whole(parts, chunk):
    """The reader works in chunks (runs of blank lines at a regex's speed: 99 million took
    39 s line by line); whatever the chunk boundaries split, it gives what splitting the
    whole text gives."""
    from moto_cognito_import.importing import csv_validation

    data = "".join(parts).encode()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(csv_validation, "_CHUNK_CHARS", chunk)
        patched.setattr(csv_validation, "_READ_CHARS", 30)
        assert list(csv_validation._numbered_lines(io.BytesIO(data), None)) == _reference_lines(data, 30)


def test_100_mb_means_100000000_bytes():
    """AWS's own import solution caps uploads at maxUploadByteSize = 100000000 ("max 100mb")."""
    row = b"u" * 999 + b"\n"
    body = b"cognito:username\n" + row * 99_000
    body += b"v" * (100_000_000 - len(body) - 1) + b"\n"
    assert len(body) == 100_000_000
    assert next(read_lines(io.BytesIO(body))) == (1, "cognito:username")
    with pytest.raises(CsvFileError, match="larger than the maximum of 100 MB"):
        next(read_lines(io.BytesIO(body + b"w")))


def test_escaped_commas_and_trimmed_values_are_stored_as_meant(aws):
    pool = aws.pool()
    job = aws.run(pool["Id"], fixture_csv("dialect_escapes_and_trimming"))
    assert job["ImportedUsers"] == 1
    assert attributes_of(users_by_name(aws, pool["Id"])["ann"]) == {
        "name": "Doe, Ann",
        "address": "1 Main St, Apt 2,  Springfield",  # inner spaces stay
        "email": "ann@example.com",
        "email_verified": "true",
    }


def test_booleans_in_any_case_are_stored_lower_case(aws):
    pool = aws.pool(
        Schema=[{"Name": "vip", "AttributeDataType": "Boolean", "Mutable": True}], AutoVerifiedAttributes=["email"]
    )
    csv = (
        "cognito:username,email,email_verified,phone_number_verified,custom:vip\n"
        "a,a@example.com,TRUE,False,tRuE\n"
        "b,b@example.com,True,FALSE,FALSE\n"
    )
    aws.run(pool["Id"], csv)
    stored = {name: attributes_of(user) for name, user in users_by_name(aws, pool["Id"]).items()}
    assert {name: (a["email_verified"], a["phone_number_verified"], a["custom:vip"]) for name, a in stored.items()} == {
        "a": ("true", "false", "true"),
        "b": ("true", "false", "false"),
    }


def test_birthdate_and_updated_at_are_stored_as_written(aws):
    pool = aws.pool()
    aws.run(pool["Id"], fixture_csv("dialect_birthdate_and_updated_at"))
    stored = attributes_of(users_by_name(aws, pool["Id"])["ok"])
    assert (stored["birthdate"], stored["updated_at"]) == ("02/29/2000", "1471453471")


def test_any_line_ending_ends_a_row_and_none_reaches_a_value(aws):
    pool = aws.pool()
    for newline, name in (("\n", "lf"), ("\r\n", "crlf"), ("\r", "cr")):
        rows = ["cognito:username,email,email_verified,name", f"{name},{name}@example.com,true,{name.upper()}"]
        rows.append(f"{name}2,{name}2@example.com,true,{name.upper()}2")
        assert aws.run(pool["Id"], newline.join(rows) + newline)["ImportedUsers"] == 2, name
    stored = {name: attributes_of(user) for name, user in users_by_name(aws, pool["Id"]).items()}
    assert {name: (a["name"], a["email_verified"]) for name, a in stored.items()} == {
        "lf": ("LF", "true"), "lf2": ("LF2", "true"),
        "crlf": ("CRLF", "true"), "crlf2": ("CRLF2", "true"),
        "cr": ("CR", "true"), "cr2": ("CR2", "true"),
    }


_values = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\\\r\n"), max_size=8).map(str.strip),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(_values)
def test_escaping_every_comma_round_trips_any_values(values):
    line = ",".join(value.replace(",", "\\,") for value in values)
    assert split_values(line) == values


_column = st.text(alphabet="abcdefghijklmnopqrstuvwxyz:_", max_size=300)


@settings(max_examples=60, deadline=None)
@given(st.lists(_column, max_size=40, unique=True), st.lists(_column.filter(bool), max_size=40, unique=True))
@example([f"unknown_column_{n}" for n in range(9)], [f"repeated_column_{n}" for n in range(9)])
def test_a_header_problem_is_one_short_sentence_naming_the_first_bad_column(unknown, repeated):
    if not unknown and not repeated:
        return
    message = header_problem(unknown, repeated)
    assert len(message) <= MAX_COMPLETION_MESSAGE
    assert message.startswith("The CSV header has ") and message.endswith(").") and ". " not in message.replace("...", "")
    first = (unknown or repeated)[0]
    assert (first or '""')[:9] in message


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("cognito:username,zelda@secret.example", "an unknown column that looks like a user's value"),
        ("cognito:username,emial,+15550100,Zelda Zed", "unknown columns (emial and 2 more)"),
        ("cognito:username,$2b$10$abcdefghijklmnopqrstuv,email,email", "an unknown column that looks like a user's value and a repeated column (email)"),
        ("cognito:username,custom:nope,Email,dev:custom:x", "unknown columns (custom:nope, Email, dev:custom:x)"),
        # The header's last column and the first row's username run together, then its values.
        ("cognito:username,email,email_verifiedjsmith,jsmith@example.com,true", "3 unknown columns that look like a user's values"),
        ("cognito:username,name,emailz1,Zelda Zed,zelda@x.example", "3 unknown columns that look like a user's values"),
        # ... after one known column; with a bad value (a phone without +1); with names alone.
        ("cognito:username,email_verifiedjsmith,true", "2 unknown columns that look like a user's values"),
        ("cognito:username,name,phone_number,phone_number_verifiedjsmith,John,5550100,true", "4 unknown columns that look like a user's values"),
        ("cognito:username,name,given_name,family_namejsmith,John,Johnny,Smith", "4 unknown columns that look like a user's values"),
        # ... with a value like a column the header has (emily, email): a value, not a misspelling.
        ("email,cognito:username,email_verifiedemily@example.com,emily,true", "3 unknown columns that look like a user's values"),
        # ... with every value bad (yes is no boolean, a phone number without +1).
        ("cognito:username,email_verified,phone_numberjsmith,yes,5551234567", "3 unknown columns that look like a user's values"),
        # The row's first value empty: the header's last column itself, then the row's values.
        ("name,email,email_verified,cognito:username,jsmith@example.com,true,jsmith", "3 unknown columns that look like a user's values"),
        # ... untyped values, which column names could be as well: never named (they named a user).
        ("cognito:mfa_enabled,locale,cognito:username,en,jsmith", "2 unknown columns that look like a user's values"),
        # Misspellings, and known names with more after them where no row's values could follow.
        ("cognito:username,email_verifed,emial,phone_numbers", "unknown columns (email_verifed, emial, phone_numbers)"),
        ("cognito:username,emails,emailverified,custom:tiers", "unknown columns (emails, emailverified, custom:tiers)"),
        # The shape of a run-together header, but the "values" are no user's (emial is no email).
        ("cognito:username,email_verifiedd,emial", "unknown columns (email_verifiedd, emial)"),
        ("cognito:username,email,email_verified,emial,favourite_colour", "unknown columns (emial, favourite_colour)"),
        # A known name with more after it, followed by column names: a header's next columns.
        ("cognito:username,name,nicknames,email,phone_number", "an unknown column (nicknames)"),
        ("cognito:username,email,name,website_url,phone_number,given_name,family_name", "an unknown column (website_url)"),
        ("cognito:username,nicknames,given_name,emial,family_name,email", "unknown columns (nicknames, emial)"),
        # A control or format character is in no attribute's name (CustomAttributeNameType): an
        # escape sequence reached the checker's terminal (and the job's message).
        ("cognito:username,email,custom:\x1b]0;pwned\x07\x1b[2J", "an unknown column that looks like a user's value"),
        ("cognito:username,email,custom:a\x00b,custom:tier\u202e", "2 unknown columns that look like a user's values"),
        # GetCSVHeader's whole header run into a row whose first value (name) is empty.
        (
            "name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,"
            "email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,"
            "cognito:mfa_enabled,cognito:username,John,Smith,,,,,,,jsmith@example.com,true,,,,,,,,,false,jsmith",
            "7 unknown columns that look like a user's values",
        ),
    ],
)
def test_unknown_columns_are_named_only_when_they_look_like_names(header, message):
    """The message is the job's CompletionMessage and is logged: a header run together with a
    user's row (a lost line end) must not carry the user's address, phone, name or hash there."""
    with pytest.raises(CsvFileError) as raised:
        check_header(header, PoolProfile.from_description({"Id": "us-east-1_x"}), None)
    assert str(raised.value) == f"The CSV header has {message}."


def test_get_csv_header_s_header_run_into_a_row_of_values_like_its_column_names_names_none():
    """A lost line end after GetCSVHeader's whole header: the user's values that read like
    columns the header has (``gene`` like gender, ``emily`` like email) named the user's
    values in the CompletionMessage and the WARNING log record."""
    profile = PoolProfile.from_description({"Id": "us-east-1_x"})
    user = {"name": "Emily Rose", "given_name": "Emily", "nickname": "gene", "email": "emily@example.com",
            "email_verified": "true", "cognito:mfa_enabled": "false", "cognito:username": "emily"}
    header = profile.csv_header()
    with pytest.raises(CsvFileError) as raised:
        check_header(",".join(header) + ",".join(user.get(column, "") for column in header), profile, None)
    assert str(raised.value) == "The CSV header has 8 unknown columns that look like a user's values."


@pytest.mark.parametrize("typo", ["given_names", "family_names", "nicknames", "preferred_usernames", "email_verifiedd"])
def test_a_misspelt_column_of_get_csv_header_s_own_header_is_named(typo):
    """A column with a letter too, anywhere in GetCSVHeader's header: the columns after it are
    column names, so it is a header's misspelling, never a header run into a user's row."""
    profile = PoolProfile.from_description({"Id": "us-east-1_x"})
    header = [typo if column == typo[:-1] else column for column in profile.csv_header()]
    with pytest.raises(CsvFileError) as raised:
        check_header(",".join(header), profile, None)
    assert str(raised.value) == f"The CSV header has an unknown column ({typo})."


def test_columns_a_row_s_values_could_be_are_named_only_where_something_tells_them_apart():
    """A custom DateTime takes any string (as moto does), and so does ``name``: under them a
    user's values must not reach the message unless they read as a header's (``nickame``, a
    misspelling of a column the header lacks) or a column's check refuses them (an email)."""
    profile = PoolProfile.from_description(
        {"Id": "us-east-1_x", "SchemaAttributes": [{"Name": "custom:seen", "AttributeDataType": "DateTime"}]}
    )
    for header, message in [
        ("cognito:username,custom:seen,name,nickame,favourite_colour", "unknown columns (nickame, favourite_colour)"),
        ("cognito:username,custom:seen,name,jsmith,favourite_colour", "2 unknown columns that look like a user's values"),
        ("cognito:username,custom:seen,email,nickame,favourite_colour", "unknown columns (nickame, favourite_colour)"),
    ]:
        with pytest.raises(CsvFileError) as raised:
            check_header(header, profile, None)
        assert str(raised.value) == f"The CSV header has {message}."
