"""Cognito's CSV dialect: file checks, header checks and per-row validation (pure functions).

The import job and the offline checker (``moto-cognito-import check``) both call
``judge_file``, so they can never disagree about a row. Rules are from the Cognito developer
guide, "Formatting the CSV file"; choices AWS leaves open are marked [OURS].
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import io
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..diagnostics import withheld
from ..password_hashes import PasswordHashError, accepted_at_once, hash_checker
from ..settings import MAX_DATA_ROWS, MAX_FILE_BYTES, MAX_ROW_CHARS
from ..statuses import RowStatus
from .pool_profile import MAX_VALUE_CHARS, AttributeSpec, PoolProfile, alias_taken

USERNAME, MFA, PASSWORD_HASH = "cognito:username", "cognito:mfa_enabled", "password_hash"

# Log texts. The first two are AWS's own (developer guide, "Viewing the import results").
IMPORTED = "The import succeeded."
ALREADY_EXISTS = "The user already exists."
NO_AUTO_VERIFIED = (
    "The User Record does not set any of the auto verified attributes to true. "
    "(Example: email_verified to true)."
)
INTERNAL_ERROR = "The user couldn't be imported due to an internal error."
TOO_LARGE = "The CSV file is larger than the maximum of 100 MB."
#: CompletionMessageType's maximum length in the service model; our messages stay within it.
MAX_COMPLETION_MESSAGE = 128
MAX_USERNAME_CHARS = 128  # UsernameType's maximum length in the service model

# [OURS] An address as mail systems take it, any script: dot-separated parts, none empty,
# without quotes, brackets, control characters or the other characters RFC 5322 allows only
# inside quotes, and domain labels that neither start nor end with a hyphen ("q@example..com",
# '"q@example.com"', "q@-example.com" and "a\x01@x.com" were imported). AWS documents no
# email grammar.
_EMAIL_PART = r'[^@\s\x00-\x1f\x7f-\x9f"(),:;<>\[\]\\.]+'
_EMAIL_LABEL = rf"(?!-){_EMAIL_PART}(?<!-)"
_EMAIL = re.compile(rf"{_EMAIL_PART}(\.{_EMAIL_PART})*@{_EMAIL_LABEL}(\.{_EMAIL_LABEL})+")
_PHONE = re.compile(r"\+[1-9][0-9]{1,14}")  # E.164
_INTEGER = re.compile(r"-?[0-9]+")
_BIRTHDATE = re.compile(r"(0[1-9]|1[0-2])/(0[1-9]|[12][0-9]|3[01])/[0-9]{4}")
_ESCAPED_COMMA = re.compile(r"(?<!\\),")
# White space as Unicode defines it (the White_Space property): what the guide's "Any leading
# or trailing white space in an attribute value will be trimmed" trims, and what a line of
# nothing else is. Python's str.isspace also counts the information separators U+001C-U+001F,
# control characters that fail a username: "bob\x1f" was stored as "bob".
_WHITE_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_ANY_WHITE_SPACE = re.compile(f"[{_WHITE_SPACE}]")
# UsernameType's (and CustomAttributeNameType's) pattern in the service model,
# [\p{L}\p{M}\p{S}\p{N}\p{P}]+: Unicode letters, marks, symbols, numbers and punctuation (no
# controls, format or private-use characters, no separators).
_USERNAME_CATEGORIES = frozenset("LMSNP")
# [OURS] What an unknown header column may be named by in a CompletionMessage (which is also
# logged): an attribute-like name, not an address, a phone number or a password hash, which
# a header run together with a user's row would otherwise carry into the log.
_COLUMN_NAME = re.compile(r"((dev:)?custom:[^\s@+]{1,20}|([^\W\d]\w*:)?[^\W\d]\w{0,39})?")

logger = logging.getLogger(__name__)


class CsvFileError(ValueError):
    """Raised when the whole file cannot be imported; the message is the job's CompletionMessage."""


class RowError(ValueError):
    """Raised when one row is invalid; the message is its log reason (never user data)."""


@dataclass(frozen=True)
class UserRecord:
    """A valid row, ready to become a user."""

    username: str | None  # None: the pool uses email/phone as username, moto sets the sub
    keys: tuple[str, ...]  # the identities no other user may share ("already exists")
    aliases: tuple[str, ...]  # PoolProfile.alias_keys: sign-in aliases no other user may hold
    crossings: tuple[str, ...]  # PoolProfile.name_crossings: its name as another's alias, or the reverse
    attributes: dict[str, str]  # name -> value, in column order (a dict: 10% faster imports)
    password_hash: str | None  # checked by hash_checker; password_hashes.stored_hash reads it
    confirmed: bool
    sms_mfa: bool = False  # cognito:mfa_enabled true, with a phone number for the codes


@dataclass(frozen=True)
class RowOutcome:
    """How one data row ends: SUCCEEDED (with its record), SKIPPED or FAILED, and why."""

    line_number: int
    status: RowStatus
    reason: str
    record: UserRecord | None = None


def split_values(line: str) -> list[str]:
    """Split a row on commas not preceded by a backslash; ``\\,`` becomes ``,``; trim values."""
    if "\\" not in line:
        if line.split(None, 1) == [line]:  # no whitespace at all: nothing to trim (2x faster)
            return line.split(",")
        return [value.strip(_WHITE_SPACE) for value in line.split(",")]
    return [value.replace("\\,", ",").strip(_WHITE_SPACE) for value in _ESCAPED_COMMA.split(line)]


def read_lines(stream: BinaryIO, pause: Callable[[], None] | None = None) -> Iterator[tuple[int, str]]:
    """Check the whole file, then yield ``(line_number, text)`` for every non-blank line.

    ``pause()`` runs after each chunk read, in both passes: an import lets other requests in
    there, as between rows (a file of blank lines has no rows: 100 MB of them held the
    server-wide lock for 2 s a pass).

    The file is read twice, so nothing is imported from a file that turns out to be
    unreadable further down: over 100 MB, a byte-order mark, not UTF-8, or over 500,000 data
    rows each raise CsvFileError before the first line is yielded. The first line that is
    not blank is the header [OURS]; blank lines are not rows but still count for line numbers
    [OURS]. CRLF, LF and CR
    all end a line.
    """
    stream.seek(0, io.SEEK_END)
    if stream.tell() > MAX_FILE_BYTES:
        raise CsvFileError(TOO_LARGE)
    stream.seek(0)
    if stream.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
        raise CsvFileError("The CSV file starts with a byte order mark; use UTF-8 without BOM.")
    stream.seek(0)
    rows = -1  # the header is no row
    try:
        for _ in _numbered_lines(stream, pause):
            rows += 1
            if rows > MAX_DATA_ROWS:  # no need to read on: 50 million rows took 15 s to count
                raise CsvFileError("The CSV file has more than the maximum of 500,000 users.")
    except UnicodeDecodeError:
        raise CsvFileError("The CSV file is not valid UTF-8.") from None
    if rows < 0:
        raise CsvFileError("The CSV file is empty; it needs a header row.")
    stream.seek(0)
    yield from _numbered_lines(stream, pause)


# More characters than a row may hold: a line is kept only this far, which still fails the
# row check (lines are yielded without their line end).
_READ_CHARS = MAX_ROW_CHARS + 2
_CHUNK_CHARS = 128 * 1024
_INK = re.compile(f"[^{_WHITE_SPACE}]")


def _numbered_lines(stream: BinaryIO, pause: Callable[[], None] | None) -> Iterator[tuple[int, str]]:
    """``(line_number, text)`` of each non-blank line, read in chunks: no line is ever held
    whole (a 99 MB header took 2.5 GB when it was), and a line longer than a row may be is
    yielded cut after ``_READ_CHARS`` characters, which the row check fails. Runs of blank
    lines are skipped at the speed of a regex search (99 million of them took 39 s)."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline=None)  # every line end is "\n"
    number = 0  # lines before the one being read
    kept, blank = "", True  # the start of the line being read, and whether it is blank so far
    try:
        while chunk := text.read(_CHUNK_CHARS):
            if pause is not None:
                pause()
            first = chunk.find("\n")
            kept, blank = _extend(kept, blank, chunk if first < 0 else chunk[:first])
            if first < 0:
                continue
            number += 1
            if not blank:
                yield number, kept
            last = chunk.rfind("\n")
            if last > first:  # whole lines between the first and the last line end
                yield from _whole_lines(chunk[first + 1 : last], number)
                number += chunk.count("\n", first + 1, last) + 1
            kept, blank = _extend("", True, chunk[last + 1 :])
        if kept:  # a last line without a line end
            number += 1
            if not blank:
                yield number, kept
    finally:
        if not text.closed:
            text.detach()  # leave the caller's stream open


def _extend(kept: str, blank: bool, more: str) -> tuple[str, bool]:
    """A line read on by ``more``: its first ``_READ_CHARS`` characters, and whether it is
    still blank."""
    return kept + more[: max(0, _READ_CHARS - len(kept))], blank and not more.strip(_WHITE_SPACE)


def _whole_lines(body: str, number: int) -> Iterator[tuple[int, str]]:
    """The non-blank lines of ``body`` (lines ``number + 1`` on, without their line ends)."""
    if body.count("\n") * 8 <= len(body):  # mostly text: a split is fastest
        for line_number, line in enumerate(body.split("\n"), number + 1):
            if line.strip(_WHITE_SPACE):
                yield line_number, line[:_READ_CHARS]
        return
    position = counted = 0  # mostly line ends: search for the next ink instead
    while ink := _INK.search(body, position):
        start = body.rfind("\n", 0, ink.start()) + 1
        end = body.find("\n", ink.start())
        end = len(body) if end < 0 else end
        counted += body.count("\n", position, start)
        yield number + 1 + counted, body[start:end][:_READ_CHARS]
        position = end


def check_header(line: str, profile: PoolProfile, algorithm: str | None) -> list[str]:
    """Return the header's columns, or raise CsvFileError naming every bad column.

    [OURS] The header may be any subset of GetCSVHeader's columns that contains
    ``cognito:username``, in any order (AWS's own samples use both full and partial headers).
    """
    if len(line) > MAX_ROW_CHARS:  # longer than any header of known columns
        raise CsvFileError("The CSV header is longer than the maximum of 16,000 characters.")
    columns = split_values(line)
    if USERNAME not in columns:
        # Checked first, and naming nothing: without it the first line is most likely a user's
        # row (a file without its header), whose values must not reach the job's message or log.
        raise CsvFileError("The CSV header has no cognito:username column.")
    known = set(profile.csv_header())
    counts = Counter(columns)
    unknown = [c for c in counts if c not in known]
    repeated = [c for c, n in counts.items() if n > 1 and c in known]
    if unknown or repeated:
        header = set(columns[: _glued_at(columns, profile, known)])  # the rest: a user's values
        # A control or format character (ESC, a right-to-left override) is in no attribute's
        # name: such a column is counted, so the message never carries it to a terminal.
        named = [c for c in unknown if _COLUMN_NAME.fullmatch(c) and _name_characters_allowed(c) and c in header]
        raise CsvFileError(header_problem(named, repeated, unnamed=len(unknown) - len(named)))
    if algorithm and PASSWORD_HASH not in columns:
        raise CsvFileError(
            f"The job uses {algorithm} password hashes but the CSV header has no password_hash column."
        )
    return columns


def _glued_at(columns: list[str], profile: PoolProfile, known: set[str]) -> int:
    """Where a header run together with the first row (its line end lost) turns into that
    user's values; ``len(columns)`` when it does not look run together.

    A row has a value for each of the header's k columns, so the two make 2k - 1 columns (k - 1
    more for each further row), the k-th being the header's last column and the row's first
    value together. [OURS] Two shapes, weighed apart:

    - A known column with more after it (``email_verifiedjsmith``), after at least one known
      column, and not a misspelling of a longer known column (``email_verifed``): run together
      unless one of the k - 1 columns after it reads as a column name (``_names_a_column``),
      as a header's next columns do (``...,name,nicknames,email,phone_number``) and a user's
      values hardly ever do. The values themselves are not weighed: a row with a bad value is
      as likely to have lost its line end, and must not be named either.
    - The known column itself, followed by an unknown one (the row's first value empty:
      ``name``, first in GetCSVHeader's order), after at least two known columns: run together
      only if, besides, the k - 1 columns after it read as the row's values under the header's
      columns (``_a_row_s_values``). A header with a misspelt and an extra column
      (``...,email_verified,emial,favourite_colour``) has this shape too: named when a
      column's check refuses what is under it (``emial`` is no email).
    """
    count = len(columns)

    def header_ends_at(index: int, last: str, run_on: bool) -> bool:
        if index < (1 if run_on else 2) or count < 2 * index + 1 or (count - index - 1) % index:
            return False
        tail = columns[index + 1:2 * index + 1]
        absent = known.difference(columns[:index], [last])
        if any(_names_a_column(value, known, absent) for value in tail[:_TAIL_NAMES_LOOKED_AT]):
            return False  # a header's next columns
        return run_on or _a_row_s_values([*columns[1:index], last], tail, profile)

    first_unknown = next((index for index, column in enumerate(columns) if column not in known), count)
    if first_unknown < count and header_ends_at(first_unknown - 1, columns[first_unknown - 1], run_on=False):
        return first_unknown - 1
    for index in range(first_unknown, count):
        column = columns[index]
        if column in known:
            continue
        run_on = max((name for name in known if column.startswith(name)), key=len, default="")
        if (
            run_on
            and not any(len(name) > len(run_on) and column.startswith(name[: len(run_on) + 1]) for name in known)
            and header_ends_at(index, run_on, run_on=True)
        ):
            return index
    return count


#: How many columns after a run-on one are looked at for a column name: enough for any real
#: header, and a bound on the work a hostile one of 16,000 characters can cause.
_TAIL_NAMES_LOOKED_AT = 64


def _names_a_column(value: str, known: set[str], absent: set[str]) -> bool:
    """Whether a header's column reads as a column name: a known one, or one so like a known
    column the header lacks (``absent``; difflib's ratio at least 0.8: ``emailverified``,
    ``given_names``) that it is its misspelling. A misspelling stands for a column the header
    lacks: a user's value like one it has (``emily`` after an ``email`` column, ``gene`` after
    ``gender``) is a value, and must not be named in the job's message or log."""
    return value in known or bool(difflib.get_close_matches(value, absent, n=1, cutoff=0.8))


def _a_row_s_values(names: list[str], values: list[str], profile: PoolProfile) -> bool:
    """Whether ``values`` can be a user's values of the columns ``names``: each one passes its
    attribute's check. Names that read as no column (``_names_a_column``) can too where every
    column takes any text (``name``, a custom DateTime): then nothing tells a header from a
    user's row, and a user's values must never be named, so they are taken for one
    (``en,jsmith`` under ``locale,cognito:username``)."""
    for name, value in zip(names, values, strict=True):
        spec = profile.attributes.get(name)
        if spec is None or not value:
            continue
        try:
            _value_checker(spec)(value)
        except RowError:
            return False
    return True


def header_problem(unknown: list[str], repeated: list[str], unnamed: int = 0) -> str:
    """One sentence naming the bad columns, short enough for a CompletionMessage (128).

    Names are listed in full when they fit; otherwise fewer and shorter ones, "and N more".
    ``unnamed`` more unknown columns are counted, never named: they look like a user's values.
    """
    attempts = [(limit, width) for width in (None, 24, 12) for limit in (4, 2, 1)]
    for limit, width in attempts:
        parts = [
            _name_columns(kind, names, limit, width, unnamed if kind == "unknown" else 0)
            for kind, names in (("unknown", unknown), ("repeated", repeated))
            if names or (kind == "unknown" and unnamed)
        ]
        message = f"The CSV header has {' and '.join(parts)}."
        if len(message) <= MAX_COMPLETION_MESSAGE:
            break
    return message


def _name_columns(kind: str, names: list[str], limit: int, width: int | None, unnamed: int) -> str:
    def show(name: str) -> str:
        if not name:
            return '""'
        return name if width is None or len(name) <= width else name[: width - 3] + "..."

    if not names:
        if unnamed == 1:
            return f"an {kind} column that looks like a user's value"
        return f"{unnamed} {kind} columns that look like a user's values"
    listed = ", ".join(show(name) for name in names[:limit])
    hidden = max(0, len(names) - limit) + unnamed
    more = f" and {hidden} more" if hidden else ""
    if len(names) == 1 and not unnamed:
        return f"{'an' if kind == 'unknown' else 'a'} {kind} column ({listed})"
    return f"{kind} columns ({listed}{more})"


def _value_checker(spec: AttributeSpec) -> Callable[[str], str]:
    """Return a function that validates and normalises one attribute's non-empty value."""
    name = spec.name

    def fail(why: str) -> RowError:
        return RowError(f"The value of {name} {why}.")

    if spec.data_type == "Boolean":
        def check_boolean(value: str) -> str:
            lowered = value.lower()
            if lowered not in ("true", "false"):
                raise fail("is not true or false")
            return lowered
        return check_boolean

    if spec.data_type == "Number":
        def check_number(value: str) -> str:
            if len(value) > MAX_VALUE_CHARS:  # and int() of it stays within Python's digit limit
                raise fail(f"is longer than the maximum length of {MAX_VALUE_CHARS}")
            if not _INTEGER.fullmatch(value):
                raise fail("is not a number" if name != "updated_at" else "is not epoch seconds")
            number = int(value)
            if name == "updated_at" and number < 0:
                raise fail("is not epoch seconds")
            if spec.min_value is not None and number < spec.min_value:
                raise fail(f"is less than the minimum of {spec.min_value}")
            if spec.max_value is not None and number > spec.max_value:
                raise fail(f"is more than the maximum of {spec.max_value}")
            return value
        return check_number

    def check_string(value: str) -> str:
        if name == "email" and not _EMAIL.fullmatch(value):
            raise fail("is not a valid email address")
        if name == "phone_number" and not _PHONE.fullmatch(value):
            raise fail("is not an E.164 phone number such as +12065550100")
        if name == "birthdate":
            match = _BIRTHDATE.fullmatch(value)
            try:
                if not match:
                    raise ValueError(value)
                datetime.date(int(value[6:]), int(value[:2]), int(value[3:5]))
            except ValueError:
                raise fail("is not a date in mm/dd/yyyy format") from None
        if spec.max_length is not None and len(value) > spec.max_length:
            raise fail(f"is longer than the maximum length of {spec.max_length}")
        if spec.min_length is not None and len(value) < spec.min_length:
            raise fail(f"is shorter than the minimum length of {spec.min_length}")
        return value

    return check_string


class RowValidator:
    """Validates data rows against one header, pool and hashing algorithm."""

    def __init__(self, columns: list[str], profile: PoolProfile, algorithm: str | None):
        self.columns = columns
        self.width = len(columns)
        self.profile = profile
        self.check_hash = hash_checker(algorithm) if algorithm else None
        self.hash_at_once = accepted_at_once(algorithm)
        self.username_index = columns.index(USERNAME)
        self.mfa_index = columns.index(MFA) if MFA in columns else None
        self.hash_index = columns.index(PASSWORD_HASH) if PASSWORD_HASH in columns else None
        self.checks = [
            (i, name, _value_checker(profile.attributes[name]))
            for i, name in enumerate(columns)
            if name in profile.attributes
        ]
        # An email or phone number filled in from cognito:username is checked as its column's
        # value would be: the pool's length limits too (an email under MinLength imported).
        self.fill_checks = {
            kind: _value_checker(profile.attributes[kind])
            for kind in profile.username_attributes
            if kind in profile.attributes
        }
        self.required = [
            name for name, spec in profile.attributes.items() if spec.required
        ]
        self.verified_needed = [a + "_verified" for a in profile.auto_verified]

    def validate(self, line: str) -> UserRecord:
        """Return the user a row describes, or raise RowError with the reason it fails."""
        if len(line) > MAX_ROW_CHARS:
            raise RowError("The row is longer than the maximum of 16,000 characters.")
        values = split_values(line)
        if len(values) != self.width:
            raise RowError(
                f"The row has {len(values)} values but the header has {self.width} columns."
            )
        username = values[self.username_index]
        if not username:
            raise RowError("The cognito:username value is missing.")
        if _ANY_WHITE_SPACE.search(username):
            raise RowError("The cognito:username value contains spaces or tabs.")
        # The name as stored counts too: a case-insensitive pool stores it lower-case, and
        # lower-casing lengthens some ("\u0130" becomes two characters), past UsernameType's limit.
        if max(len(username), len(self.profile.user_key(username))) > MAX_USERNAME_CHARS:
            raise RowError("The cognito:username value is longer than the maximum of 128 characters.")
        if not _name_characters_allowed(username):
            raise RowError(
                "The cognito:username value has a character that is not a letter, mark, symbol, "
                "number or punctuation."
            )
        self._check_alias_format(username)
        attrs: dict[str, str] = {}
        for index, name, check in self.checks:
            value = values[index]
            if value:
                attrs[name] = check(value)
        # [OURS] Case-insensitive pools store the username lower-case: the guide ("User pool
        # case sensitivity") says their text output flattens it to lower case.
        stored_username: str | None = self.profile.user_key(username)
        keys: tuple[str, ...] = (stored_username,)  # type: ignore[assignment]
        if self.profile.username_attributes:
            keys = self._username_attributes(username, attrs)
            stored_username = None
        self._check_rules(attrs, values)
        password_hash: str | None = values[self.hash_index] if self.hash_index is not None else None
        if password_hash:
            if self.hash_at_once is None or not self.hash_at_once(password_hash):
                password_hash = self._password_hash(password_hash)  # the checks and their messages
        else:
            password_hash = None  # an empty value: the user resets the password (RESET_REQUIRED)
        confirmed = password_hash is not None or any(
            attrs.get(a) for a in self.profile.passwordless_attributes
        )
        return UserRecord(
            username=stored_username,
            keys=keys,
            aliases=self.profile.alias_keys(attrs),
            crossings=self.profile.name_crossings(keys, attrs),
            attributes=attrs,
            password_hash=password_hash,
            confirmed=confirmed,
            sms_mfa=self._sms_mfa(values, attrs),
        )

    def _sms_mfa(self, values: list[str], attrs: dict[str, str]) -> bool:
        """Whether the user gets MFA by SMS: ``cognito:mfa_enabled`` true (the guide: "If you've
        set MFA to be optional, this field can be either true or false", the user's own MFA),
        or blank in a pool that requires MFA (where blank stands for true, ``_check_rules``),
        by text message to the row's phone number, the one factor an import can carry (a TOTP
        secret cannot be imported). [OURS] Without a phone number no code can go anywhere: the
        user gets no MFA, as moto has no other factor to give them."""
        value = self._mfa_enabled(values)
        return (value == "true" or (not value and self.profile.mfa == "ON")) and bool(attrs.get("phone_number"))

    def _mfa_enabled(self, values: list[str]) -> str:
        """The row's ``cognito:mfa_enabled``, lower-cased; "" when blank or not a column."""
        return values[self.mfa_index].lower() if self.mfa_index is not None else ""

    def _check_alias_format(self, username: str) -> None:
        """A pool with an email (phone number) alias takes no username in that format: it would
        be ambiguous at sign-in. The email wording is Cognito's AdminCreateUser and SignUp
        error (amplify-js#8800, a user-migration trigger's on Stack Overflow 71560661); the
        phone number's is ours, built the same way."""
        aliases = self.profile.alias_attributes
        if "email" in aliases and _EMAIL.fullmatch(username):
            raise RowError("Username cannot be of email format, since user pool is configured for email alias.")
        if "phone_number" in aliases and _PHONE.fullmatch(username):
            raise RowError(
                "Username cannot be of phone number format, since user pool is configured for phone number alias."
            )

    def _check_rules(self, attrs: dict[str, str], values: list[str]) -> None:
        for kind in ("email", "phone_number"):
            if attrs.get(kind + "_verified") == "true" and not attrs.get(kind):
                raise RowError(f"The {kind} attribute is required when {kind}_verified is true.")
        for name in self.required:
            if not attrs.get(name):
                raise RowError(f"The required attribute {name} is missing.")
        if not any(attrs.get(v) == "true" for v in self.verified_needed):
            raise RowError(NO_AUTO_VERIFIED)
        if mfa := self._mfa_enabled(values):
            if mfa not in ("true", "false"):
                raise RowError("The value of cognito:mfa_enabled is not true or false.")
            # 2025 guide: MFA off -> false or blank; required -> true or blank.
            if self.profile.mfa == "OFF" and mfa == "true":
                raise RowError("The cognito:mfa_enabled value must be false because MFA is off in the user pool.")
            if self.profile.mfa == "ON" and mfa == "false":
                raise RowError("The cognito:mfa_enabled value must be true because MFA is required in the user pool.")

    def _username_attributes(self, username: str, attrs: dict[str, str]) -> tuple[str, ...]:
        """[OURS] In an email/phone-as-username pool, cognito:username must be the user's email
        or phone number (whichever the pool allows); the attribute is filled in from it when
        its column is empty, and the user gets a generated username (the sub), as moto's
        AdminCreateUser does for such pools.

        Returns the user's identities: every username attribute it has (an email and a phone
        number both sign in, so no other user may have either), cognito:username's first.
        """
        user_key = self.profile.user_key
        for kind in self.profile.username_attributes:
            # Only email and phone_number can be (UsernameAttributeType); moto stores any name.
            pattern = {"email": _EMAIL, "phone_number": _PHONE}.get(kind)
            if pattern is not None and kind in self.fill_checks and pattern.fullmatch(username):
                key = user_key(username)
                if kind not in attrs:
                    attrs[kind] = self.fill_checks[kind](username)
                if user_key(attrs[kind]) != key:
                    raise RowError(f"The cognito:username value does not match the {kind} attribute.")
                others = (user_key(attrs[other]) for other in self.profile.username_attributes
                          if other != kind and attrs.get(other))
                return (key, *others)
        allowed = " or ".join(self.profile.username_attributes)
        raise RowError(f"The cognito:username value must be the user's {allowed} in this user pool.")

    def _password_hash(self, value: str) -> str:
        if self.check_hash is None:
            raise RowError("The row has a password_hash but the import job has no PasswordHashingAlgorithm.")
        try:
            return self.check_hash(value)
        except PasswordHashError as error:
            raise RowError(str(error)) from None


def _name_characters_allowed(name: str) -> bool:
    """Whether every character is in UsernameType's pattern, which CustomAttributeNameType
    shares (printable ASCII always is; whitespace is refused before)."""
    if name.isascii():
        return name.isprintable()
    return all(unicodedata.category(char)[0] in _USERNAME_CATEGORIES for char in name)


def judge_file(
    stream: BinaryIO,
    profile: PoolProfile,
    algorithm: str | None,
    exists: Callable[[str], bool],
    pause: Callable[[], None] | None = None,
) -> Iterator[RowOutcome]:
    """Yield the outcome of every data row, in file order (``pause``: ``read_lines``).

    Raises CsvFileError (before any outcome) when the file or its header cannot be imported.
    ``exists(key)`` says whether a user with that identity (or alias) is in the pool, users of
    earlier rows included: a key repeated later in the same file is SKIPPED like an existing
    user [OURS], and a row whose alias another user holds fails, as AdminCreateUser refuses it
    (so does one whose name crosses another's preferred_username, ``refusal``). Outcomes are
    judged one at a time, each after the previous one was acted on: the import asks its pool,
    where it has just put the row's user or not (a row refused at the last moment leaves its
    name free for a later row), the checker remembers the rows.
    """
    lines = read_lines(stream, pause)
    try:
        _, header = next(lines)
    except StopIteration:
        raise CsvFileError("The CSV file is empty; it needs a header row.") from None
    validator = RowValidator(check_header(header, profile, algorithm), profile, algorithm)
    for number, line in lines:
        try:
            record = validator.validate(line)
            refused = refusal(record, exists)
        except RowError as error:
            yield RowOutcome(number, RowStatus.FAILED, str(error))
            continue
        except Exception as error:  # a bug or a limit of our own: this row fails, the others go on
            logger.error("Line %s could not be judged", number, exc_info=withheld(error))
            yield RowOutcome(number, RowStatus.FAILED, INTERNAL_ERROR)
            continue
        if refused is not None:
            yield RowOutcome(number, *refused)
            continue
        yield RowOutcome(number, RowStatus.SUCCEEDED, IMPORTED, record)


def refusal(record: UserRecord, taken: Callable[[str], bool]) -> tuple[RowStatus, str] | None:
    """Why a valid row cannot become a user, given which identities are ``taken``, or None.
    Its user exists: SKIPPED. Another user holds one of its aliases (``PoolProfile.alias_keys``),
    or has its name as a preferred_username or the reverse (``PoolProfile.name_crossings``):
    FAILED, in the words AdminCreateUser refuses such a user with (``alias_taken``)."""
    if any(taken(key) for key in record.keys):
        return RowStatus.SKIPPED, ALREADY_EXISTS
    held = next((key for key in record.aliases if taken(key)), None)
    if held is not None:
        return RowStatus.FAILED, alias_taken(PoolProfile.alias_kind(held))
    if any(taken(key) for key in record.crossings):
        return RowStatus.FAILED, alias_taken("preferred_username")
    return None


def too_many_failures(imported: int, skipped: int, failed: int) -> bool:
    """[OURS] A job Fails when failed + skipped rows are more than half of all rows.

    AWS shows a Failed job with 14 imported / 32 failed, so "none imported" is not the rule.
    """
    total = imported + skipped + failed
    return total > 0 and (skipped + failed) * 2 > total
