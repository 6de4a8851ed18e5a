"""Console script ``moto-cognito-import``: ``check`` tells, before a real migration, what an
import job would do with a CSV file in a given user pool.

Real Cognito reports failed rows only after the job ran, in CloudWatch. The checker judges
every row with the import's own code (``PoolProfile.from_description`` + ``judge_file`` +
``importing.run.job_result``), so its per-row lines are the job's log lines, word for word.

The same checks from Python::

    from moto_cognito_import.tools.checker import check_file, load_pool_description

    report = check_file("users.csv", load_pool_description("pool.json"))
    assert report.clean, [row.message() for row in report.rows if row.status != "SUCCEEDED"]

``read_pool`` reads the profile and the existing users from a user pool instead (any boto3
``cognito-idp`` client); ``Report`` and ``RowResult`` are what ``check_file`` returns.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import dataclasses
import io
import json
import logging
import os
import re
import selectors
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, NamedTuple, NoReturn, TextIO, TypeAlias, cast
from urllib.parse import urlsplit

from .. import __version__
from ..importing.csv_validation import CsvFileError, judge_file
from ..importing.job_log import log_message
from ..importing.pool_profile import PoolDescriptionError, PoolProfile, cannot_start
from ..importing.run import ExistingUsers, job_result
from ..password_hashes import ALGORITHMS
from ..settings import MAX_FILE_BYTES, SPOOL_BYTES
from ..statuses import JobStatus, RowStatus
from .console import drop, say

__all__ = [
    "InputError",
    "PoolProfile",
    "Report",
    "RowResult",
    "check_file",
    "load_pool_description",
    "read_pool",
]

logger = logging.getLogger(__name__)

#: A file name: ``str``, ``bytes`` or ``os.PathLike`` (``pathlib.Path``).
PathType: TypeAlias = str | bytes | os.PathLike[str] | os.PathLike[bytes]

PROG = "moto-cognito-import"
EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2
OFFLINE_NOTE = (
    "Existing users can't be known offline: only users repeated within the file are seen, so a row "
    "whose user, email, phone number or alias the pool already holds (SKIPPED or FAILED in the job) "
    "reads as imported. Give --user-pool-id (and --endpoint-url for a moto server) to read the pool's users."
)
_COPY_CHUNK = 1024 * 1024  # a piped CSV is copied this much at a time
_MAX_POOL_SIZE = 16 * 1024 * 1024  # bytes (characters from a text stream); an answer is a few kilobytes
_PROGRESS_EVERY = 1000  # rows between progress-bar updates: per-row updates would cost ~10%
_PROGRESS_DELAY = 0.5  # seconds before the bar appears: small files finish without one
_TAG = re.compile(r"<[^>]*>")  # of an HTML error page a server sent instead of JSON


class RowResult(NamedTuple):
    """One data row's outcome, as the job's log line would give it (the user record dropped)."""

    line_number: int
    status: RowStatus
    reason: str

    def message(self) -> str:
        """The line the job would log for this row, e.g. ``[FAILED] Line Number 4 - ...``."""
        return log_message(self.status, self.line_number, self.reason)


@dataclass(frozen=True)
class Report:
    """What an import job would do with a file: every row, the counters and how it would end.

    ``file_error`` is True when the file or header fails the whole job before any row
    (``rows`` is then empty and ``completion_message`` says why). ``status`` Created: the job
    would not start at all (StartUserImportJob's PreconditionNotMetException, which
    ``completion_message`` words), and the file was not read.
    """

    rows: list[RowResult]
    imported_users: int
    skipped_users: int
    failed_users: int
    status: JobStatus
    completion_message: str
    file_error: bool
    existing_users_checked: bool

    @property
    def clean(self) -> bool:
        """True when the job would succeed with no failed row (the command's exit code 0)."""
        return self.status == JobStatus.SUCCEEDED and self.failed_users == 0

    def to_json(self) -> dict[str, Any]:
        """``{"rows": [...], "summary": {...}}``: the ``--format json`` document."""
        summary = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "rows"}
        rows = [{"line_number": n, "status": s, "reason": r} for n, s, r in self.rows]
        return {"rows": rows, "summary": summary}


class InputError(Exception):
    """Raised for input the checker cannot use (file, pool, server); exit code 2."""


def _name(source: object) -> str:
    """How messages name a file: its path, or a file object's ``name`` when it has a text one."""
    if isinstance(source, (str, bytes, os.PathLike)):
        return os.fsdecode(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<file object>"


def _unreadable_csv(source: object, error: OSError | ValueError) -> InputError:
    """The InputError for a CSV file that cannot be opened or read, naming it and why."""
    if isinstance(error, io.UnsupportedOperation):  # its text is the method's name: "read"
        return InputError(f"cannot read the CSV file {_name(source)}: it is not open for reading")
    return InputError(f"cannot read the CSV file {_name(source)}: {getattr(error, 'strerror', None) or error}")


@contextmanager
def _open_csv(path: PathType) -> Iterator[BinaryIO]:
    """Open a CSV file for ``check_file``; InputError names the file when it can't be read."""
    try:
        stream = open(path, "rb")  # noqa: SIM115  (closed below; only opening is guarded here)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise _unreadable_csv(path, error) from None
    with stream:
        yield stream


def _sized(stream: IO[bytes]) -> bool:
    """Whether seeking to the end of ``stream`` tells its size, as the import's checks need: a
    regular file or an in-memory one; not a pipe, nor a device such as ``/dev/zero``, which
    seeks and then never ends."""
    seekable = getattr(stream, "seekable", None)  # a file object may have read() alone
    if not callable(seekable) or not seekable():
        return False
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError):  # no descriptor: io.BytesIO and the like
        return True


@contextmanager
def _seekable(stream: IO[bytes]) -> Iterator[BinaryIO]:
    """``stream`` itself when its size is known (the import reads a file more than once), else
    a spooled copy of the rest of it (a pipe, ``sys.stdin.buffer``, a device), which stops one
    byte past the import's maximum: the judge then reports the file too large, and an
    endless stream ends."""
    if _sized(stream):
        yield cast(BinaryIO, stream)
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as copy:
        remaining = MAX_FILE_BYTES + 1
        while remaining > 0 and (chunk := _read_some(stream, min(_COPY_CHUNK, remaining))):
            copy.write(chunk)
            remaining -= len(chunk)
        copy.seek(0)
        yield cast(BinaryIO, copy)


def check_file(
    source: PathType | IO[bytes],
    profile: PoolProfile,
    algorithm: str | None = None,
    exists: Callable[[str], bool] | None = None,
    progress: Callable[[int], object] | None = None,
) -> Report:
    """Judge a CSV file the way StartUserImportJob would, row by row, without importing it.

    ``source`` is the CSV file's path (``str``, ``bytes`` or ``os.PathLike``) or a binary file
    object (``open(path, "rb")``, ``io.BytesIO``, ``sys.stdin.buffer``), which is left open.
    The import reads a file more than once: a seekable file object is read from its start, one
    that cannot seek (a pipe) is first copied from where it stands. A path that cannot be read
    raises InputError; a text-mode file object raises TypeError.

    ``profile`` is the user pool's configuration: ``load_pool_description`` (the output of
    ``aws cognito-idp describe-user-pool``) or ``read_pool`` (a live pool). ``algorithm`` is
    the job's PasswordHashingAlgorithm (``BCRYPT``, ...; for a ``password_hash`` column);
    another name raises ValueError, as CreateUserImportJob refuses it.

    ``exists(key)`` says whether the pool already has that user (``read_pool`` gives it);
    None means the pool's users are unknown, so only users repeated within the file are
    SKIPPED. ``progress(n)`` is told every few rows how many more rows were judged.

    Returns a Report; a file or header the job would reject as a whole is a Report with
    ``file_error`` set, not an exception.
    """
    if algorithm is not None and not isinstance(algorithm, str):  # check_file(csv, *read_pool(...))
        raise TypeError(
            "check_file's algorithm is a PasswordHashingAlgorithm name such as 'BCRYPT'; "
            "pass read_pool's exists by keyword: check_file(csv, profile, exists=exists)"
        )
    if algorithm is not None and algorithm not in ALGORITHMS:  # CreateUserImportJob refuses it
        raise ValueError(f"algorithm {algorithm!r} is not a PasswordHashingAlgorithm: one of {', '.join(ALGORITHMS)}")
    _require_source("check_file", "a CSV path or a binary file object", source)
    if not isinstance(cast(object, profile), PoolProfile):  # the saved JSON itself, say
        raise TypeError(
            "check_file's profile is a PoolProfile (load_pool_description(path) or read_pool's "
            f"first item), not {type(profile).__name__}"
        )
    # A wrapper of a text file (tempfile's) is no TextIOBase, but has its encoding; binary files
    # have none (a zip member's mode is "r" all the same).
    if isinstance(cast(object, source), io.TextIOBase) or isinstance(getattr(source, "encoding", None), str):
        raise TypeError(f"check_file needs a binary file object (open(path, 'rb')), not text: {_name(source)}")
    if getattr(source, "closed", False) is True:  # its reads would be ValueError
        raise InputError(f"cannot read the CSV file {_name(source)}: the file object is closed")
    try:
        with contextlib.ExitStack() as files:
            if isinstance(source, (str, bytes, os.PathLike)):
                opened: IO[bytes] = files.enter_context(_open_csv(source))
            else:
                opened = source
            if not profile.auto_verified:  # no row could be imported: Start refuses the pool
                return Report([], 0, 0, 0, JobStatus.CREATED, cannot_start("The user pool"), False, exists is not None)
            return _judge(files.enter_context(_seekable(opened)), profile, algorithm, exists, progress)
    except OSError as error:  # a read that fails after the open (/proc/self/mem, a disk error)
        raise _unreadable_csv(source, error) from None


def _judge(
    stream: BinaryIO,
    profile: PoolProfile,
    algorithm: str | None,
    exists: Callable[[str], bool] | None,
    progress: Callable[[int], object] | None,
) -> Report:
    rows: list[RowResult] = []
    counts = dict.fromkeys(RowStatus, 0)
    in_pool = exists or _nobody
    imported_keys: set[str] = set()  # the users the rows so far would have made

    def taken(key: str) -> bool:
        return key in imported_keys or in_pool(key)

    try:
        for outcome in judge_file(stream, profile, algorithm, taken):
            if outcome.record is not None:
                imported_keys.update(outcome.record.keys)
                imported_keys.update(outcome.record.aliases)
            rows.append(RowResult(outcome.line_number, outcome.status, outcome.reason))
            counts[outcome.status] += 1
            if progress is not None and len(rows) % _PROGRESS_EVERY == 0:
                progress(_PROGRESS_EVERY)
    except CsvFileError as error:
        return Report([], 0, 0, 0, JobStatus.FAILED, str(error), True, exists is not None)
    if progress is not None:
        progress(len(rows) % _PROGRESS_EVERY)
    imported, skipped, failed = counts[RowStatus.SUCCEEDED], counts[RowStatus.SKIPPED], counts[RowStatus.FAILED]
    status, message = job_result(imported, skipped, failed)
    return Report(rows, imported, skipped, failed, status, message, False, exists is not None)


def _nobody(key: str) -> bool:
    return False


def _read_text(source: PathType | IO[str] | IO[bytes], stdin: IO[str] | None) -> str | bytes:
    """The content of a pool description, read to one unit past ``_MAX_POOL_SIZE`` at most
    (``--pool /dev/zero`` read until memory ran out): bytes from a path or a binary stream,
    characters from a text stream."""
    if not isinstance(source, (str, bytes, os.PathLike)):
        return _read_at_most(source, _MAX_POOL_SIZE + 1)
    if os.fsdecode(source) == "-":
        stream = stdin if stdin is not None else sys.stdin
        if stream is None or stream.closed:  # started with standard input closed (``<&-``)
            raise InputError("cannot read the pool description -: standard input is closed")
        # Its bytes, which must be UTF-8 as a file's: the text layer decodes in the locale's
        # encoding (cp1252 in a Windows pipe, ASCII under PYTHONIOENCODING=ascii).
        return _read_at_most(getattr(stream, "buffer", stream), _MAX_POOL_SIZE + 1)
    with open(source, "rb") as file:
        return _read_at_most(file, _MAX_POOL_SIZE + 1)


def _read_some(stream: IO[Any], size: int) -> Any:
    """``stream.read(size)``: empty at the end only. A non-blocking binary stream (a pipe opened
    so) returns None until something has arrived, which was taken for the end: a file judged on
    what had arrived, or none of it. (A non-blocking text stream answers ``''`` then, which
    nothing tells from the end: give its ``buffer``.)"""
    while (part := stream.read(size)) is None:  # typeshed omits the None
        with selectors.DefaultSelector() as selector:  # poll or epoll: any descriptor number
            try:
                selector.register(stream, selectors.EVENT_READ)
            except (ValueError, OSError) as error:  # io.UnsupportedOperation is both
                raise InputError(f"cannot wait for a non-blocking stream without a file descriptor: {error}") from None
            selector.select()
    return part


def _read_at_most(stream: IO[str] | IO[bytes], limit: int) -> str | bytes:
    """Up to ``limit`` characters or bytes of ``stream``, to its end if that comes first. One
    ``read(n)`` is not enough: an unbuffered stream (a pipe's ``FileIO``, a socket) returns what
    has arrived, and a description sent in pieces would be cut short; a non-blocking one
    returns None until something has."""
    parts: list[Any] = []
    size = 0
    while size < limit and (part := _read_some(stream, limit - size)):
        parts.append(part)
        size += len(part)
    if parts and isinstance(parts[0], (bytes, bytearray)):
        return b"".join(parts)
    return "".join(parts)


def _require_source(function: str, what: str, source: object) -> None:
    """A clear TypeError for a source that is neither a path nor a file object (``None``, a
    number), which failed later with AttributeError."""
    if not isinstance(source, (str, bytes, os.PathLike)) and not hasattr(source, "read"):
        raise TypeError(f"{function} needs {what}, not {type(source).__name__}")


def _decoded(content: str | bytes) -> str:
    """A pool description's text: UTF-8, after the byte order mark a Windows editor or
    PowerShell's ``Out-File -Encoding utf8`` writes, or UTF-16 (what Windows PowerShell's
    ``>`` writes) or UTF-32 after its own. Raises UnicodeDecodeError for anything else."""
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    for marks, encoding in _MARKED:
        if content.startswith(marks):
            return content.decode(encoding)
    return content.decode("utf-8-sig")


# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
_MARKED = (
    ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
    ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"),
)


def load_pool_description(source: PathType | IO[str] | IO[bytes], stdin: IO[str] | None = None) -> PoolProfile:
    """Read a user pool's configuration from the JSON ``aws cognito-idp describe-user-pool``
    prints (the whole response, or its ``UserPool``).

    ``source`` is the JSON file's path (``str``, ``bytes`` or ``os.PathLike``), ``"-"`` for
    ``stdin`` (default ``sys.stdin``), or a text or binary file object, read from where it
    stands and left open. Bytes must be UTF-8, or UTF-16 or UTF-32 after a byte order mark
    (a UTF-8 one is skipped: Windows PowerShell writes one).

    Returns the PoolProfile ``check_file`` takes. Raises InputError for an unreadable file,
    text that is not UTF-8, invalid JSON or JSON that is not a pool description.
    """
    _require_source("load_pool_description", "a path, '-' or a file object", source)
    path = os.fsdecode(source) if isinstance(source, (str, bytes, os.PathLike)) else _name(source)
    try:
        content = _read_text(source, stdin)
        if len(content) > _MAX_POOL_SIZE:  # before decoding: the limit may cut a character
            size = f"{_MAX_POOL_SIZE // 1024**2} MB"
            raise InputError(f"the pool description {path} is over {size}: not a describe-user-pool answer")
        text = _decoded(content)
    except OSError as error:
        raise InputError(f"cannot read the pool description {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:  # bytes, or a text stream's own decoding
        encoding = error.encoding.upper().split("-")[:2]  # "utf-16-le": the one its mark named
        raise InputError(f"the pool description {path} is not {'-'.join(encoding)} text") from None
    except ValueError as error:  # a file object its owner closed ("I/O operation on closed file")
        raise InputError(f"cannot read the pool description {path}: {error}") from None
    try:
        return PoolProfile.from_description(json.loads(text))
    except PoolDescriptionError as error:
        raise InputError(f"{path}: {error}") from None
    except ValueError as error:
        raise InputError(f"the pool description {path} is not valid JSON ({error})") from None
    except RecursionError:
        raise InputError(f"the pool description {path} is nested too deeply to be a pool description") from None


@dataclass(frozen=True)
class _ListedUser:
    """One ListUsers entry, shaped like moto's user for ``ExistingUsers``."""

    attribute_lookup: Mapping[str, str]


def read_pool(client: Any, user_pool_id: str) -> tuple[PoolProfile, Callable[[str], bool]]:
    """DescribeUserPool and every page of ListUsers: the pool's profile and ``exists(key)``.

    ``client`` is a boto3 ``cognito-idp`` client (moto server, ``mock_aws`` or real AWS).
    The MFA setting is GetUserPoolMfaConfig's, as the import reads it
    (``PoolProfile.of_moto_pool``): moto's DescribeUserPool keeps the one the pool was created
    with. On AWS the two agree; without the permission to read it, the description's is used.
    """
    from botocore.exceptions import ClientError

    pool = _answer("DescribeUserPool", lambda: client.describe_user_pool(UserPoolId=user_pool_id)["UserPool"])
    try:
        mfa = _answer(
            "GetUserPoolMfaConfig", lambda: client.get_user_pool_mfa_config(UserPoolId=user_pool_id)["MfaConfiguration"]
        )
    except ClientError as error:
        logger.warning("GetUserPoolMfaConfig failed (%s): the description's MFA setting is used", error)
    else:
        pool = {**pool, "MfaConfiguration": mfa}
    profile = PoolProfile.from_description(pool)
    kwargs: dict[str, Any] = {"UserPoolId": user_pool_id}
    if profile.username_attributes:  # only email/phone-as-username pools need attributes
        kwargs["AttributesToGet"] = list(profile.username_attributes)
    users: dict[str, _ListedUser] = {}

    def list_users() -> None:
        for page in client.get_paginator("list_users").paginate(**kwargs):
            for user in page["Users"]:
                lookup = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                users[user["Username"]] = _ListedUser(lookup)

    _answer("ListUsers", list_users)
    return profile, ExistingUsers(profile, users)


def _answer(operation: str, read: Callable[[], Any]) -> Any:
    """What ``read`` takes from an endpoint's answers to ``operation``; InputError when they are
    none of that operation's (an HTML page, ``{}``, members of the wrong kind), which botocore
    hands on or fails to parse: they were a traceback, and exit code 1, a "would fail"."""
    from botocore.parsers import ResponseParserError

    try:
        return read()
    except (KeyError, TypeError, AttributeError, ResponseParserError) as error:
        raise InputError(f"the endpoint's answer to {operation} is not one ({type(error).__name__}: {error})") from None


def _client(endpoint_url: str | None, region: str) -> Any:
    """[OURS] A client that gives up on a silent endpoint in about half a minute: botocore's
    defaults (60 s a read, 3 attempts) held the command for 3 minutes."""
    import boto3.session
    import botocore.session
    from botocore.config import Config

    core = botocore.session.Session()
    # 3 attempts unless the user's environment or config file says (a Config would override it).
    own = core.get_config_variable("max_attempts") is not None
    retries: dict[str, Any] = {} if own else {"retries": {"total_max_attempts": 3}}
    config = Config(connect_timeout=5, read_timeout=10, **retries)
    return boto3.session.Session(botocore_session=core).client(
        "cognito-idp", region_name=region, endpoint_url=endpoint_url, config=config
    )


def _pool_from_service(args: argparse.Namespace) -> tuple[PoolProfile, Callable[[str], bool]]:
    """[OURS] Without --region the region is the pool ID's prefix, where the pool lives."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    region = args.region or args.user_pool_id.split("_")[0]
    if not args.region and (not region or "_" not in args.user_pool_id):
        # botocore named an endpoint of its own making ("cognito-idp..amazonaws.com"), or was
        # sent to a region named after the whole ID
        raise InputError(
            f"cannot read user pool {args.user_pool_id}: its ID has no region before '_': give --region"
        )
    if args.endpoint_url is not None:
        try:
            urlsplit(args.endpoint_url).port  # noqa: B018 - a port out of range failed at the first request
        except ValueError as error:
            raise InputError(f"--endpoint-url {args.endpoint_url}: {error}") from None
    try:
        client = _client(args.endpoint_url, region)
    except BotoCoreError as error:  # a region botocore refuses (InvalidRegionError, a ValueError too)
        raise InputError(f"cannot read user pool {args.user_pool_id}: {error}") from None
    except ValueError as error:  # "Invalid endpoint: notaurl"; or the configuration's (AWS_MAX_ATTEMPTS=abc)
        endpoint = args.endpoint_url is not None and "endpoint" in str(error)
        where = f"--endpoint-url {args.endpoint_url}" if endpoint else f"cannot read user pool {args.user_pool_id}"
        raise InputError(f"{where}: {error}") from None
    try:
        return read_pool(client, args.user_pool_id)
    except ClientError as error:
        err = error.response.get("Error", {})
        # A server's HTML error page (a proxy, a 500) said as its text, on one line.
        message = " ".join(_TAG.sub(" ", str(err.get("Message") or "")).split()) or (
            f"HTTP {error.response.get('ResponseMetadata', {}).get('HTTPStatusCode')} with no message"
        )
        raise InputError(f"cannot read user pool {args.user_pool_id}: {err.get('Code')}: {message}") from None
    except NoCredentialsError:
        raise InputError(
            "no AWS credentials found (a moto server accepts any, e.g. AWS_ACCESS_KEY_ID=testing "
            "AWS_SECRET_ACCESS_KEY=testing)"
        ) from None
    except BotoCoreError as error:
        raise InputError(f"cannot read user pool {args.user_pool_id}: {error}") from None


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors: the message and exit code 2, no usage block."""

    def error(self, message: str) -> NoReturn:
        raise InputError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Tools for Amazon Cognito user import jobs.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser(
        "check",
        help="say what an import job would do with a CSV file, row by row, without running it",
        description=(
            "Judge every row of a user import CSV against a user pool's configuration with "
            "the import's own rules. Exit code 0: the job would succeed with no failed row; "
            "1: it would fail or some rows would; 2: bad input."
        ),
    )
    check.add_argument("csv", help="the CSV file to import")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--pool",
        metavar="FILE",
        help="JSON printed by `aws cognito-idp describe-user-pool --user-pool-id ID` ('-' for stdin)",
    )
    source.add_argument(
        "--user-pool-id",
        help="read the pool and its existing users with boto3 (real AWS, or --endpoint-url)",
    )
    check.add_argument("--endpoint-url", help="a moto server, e.g. http://localhost:5000")
    check.add_argument("--region", help="the pool's region (default: the prefix of --user-pool-id)")
    check.add_argument(
        "--password-hashing-algorithm",
        choices=ALGORITHMS,
        help="the job's PasswordHashingAlgorithm (for a password_hash column)",
    )
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    return parser


def _count_lines(stream: BinaryIO) -> int:
    """Approximate number of data rows (newlines), for the progress bar's total only."""
    total = 0
    while chunk := stream.read(1 << 20):
        total += chunk.count(b"\n")
    stream.seek(0)
    return max(total - 1, 0)


def _check(args: argparse.Namespace, stream: BinaryIO) -> Report:
    if args.pool is not None:
        profile, exists = load_pool_description(args.pool), None
    else:
        profile, exists = _pool_from_service(args)
    if sys.stderr is None or not sys.stderr.isatty():  # None: started with stderr closed
        return check_file(stream, profile, args.password_hashing_algorithm, exists)
    from tqdm import tqdm

    with tqdm(total=_count_lines(stream), unit=" rows", delay=_PROGRESS_DELAY, file=sys.stderr) as bar:
        return check_file(stream, profile, args.password_hashing_algorithm, exists, bar.update)


def _write_text(report: Report, out: TextIO) -> None:
    if report.rows:
        out.write("\n".join(row.message() for row in report.rows))
        out.write("\n")
    if report.file_error:
        out.write(f"The job would end {report.status} before any row: {report.completion_message}\n")
        return
    if report.status is JobStatus.CREATED:
        refusal = "StartUserImportJob: PreconditionNotMetException"
        out.write(f"The job would not start ({refusal}): {report.completion_message}\n")
        return
    total = report.imported_users + report.skipped_users + report.failed_users
    out.write(
        f"Would import {report.imported_users}, skip {report.skipped_users} and fail "
        f"{report.failed_users} of {total} row{'' if total == 1 else 's'}.\n"
        f"The job would end {report.status}: {report.completion_message}\n"
    )
    if not report.existing_users_checked:
        out.write(OFFLINE_NOTE + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 clean, 1 problems found, 2 bad input,
    130 interrupted: Ctrl-C ends it quietly, as other command-line tools do)."""
    try:
        with _escaping(sys.stdout), _escaping(sys.stderr):
            return _main(argv)
    except KeyboardInterrupt:
        return 130


@contextmanager
def _escaping(out: TextIO) -> Iterator[None]:
    """A column, file or pool name ``out``'s encoding lacks (cp1252, ASCII) is written escaped,
    not a UnicodeEncodeError traceback; afterwards ``out`` is as it was (``main`` may run in
    a caller's process)."""
    if not isinstance(out, io.TextIOWrapper) or out.closed:
        yield
        return
    errors = out.errors
    out.reconfigure(errors="backslashreplace")
    try:
        yield
    finally:
        try:
            out.reconfigure(errors=errors)  # flushes first: what is left may not go (/dev/full)
        except OSError:
            # Already reported: the report's own flush failed the same way (exit 2). What is
            # left goes nowhere; a stream without a descriptor keeps it and the error setting.
            drop(out)
            with contextlib.suppress(OSError):
                out.reconfigure(errors=errors)


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.endpoint_url and args.user_pool_id is None:
            raise InputError("--endpoint-url needs --user-pool-id")
        with _open_csv(args.csv) as opened, _seekable(opened) as stream:
            report = _check(args, stream)
    except (InputError, PoolDescriptionError) as error:
        return _bad_input(str(error))
    except OSError as error:  # the CSV's reads before check_file's (a pipe's copy, counting rows)
        return _bad_input(str(_unreadable_csv(args.csv, error)))
    except SystemExit as stop:  # --help, --version
        return int(stop.code or 0)
    if sys.stdout is None or sys.stdout.closed:  # started with stdout closed, or a caller closed it
        return _bad_input("cannot write the report: standard output is closed")
    try:
        if args.format == "json":
            sys.stdout.write(json.dumps(report.to_json()) + "\n")  # one write: dump() writes per token
        else:
            _write_text(report, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head`: stop quietly, like other command-line tools
        drop(sys.stdout)
    except OSError as error:  # /dev/full, a closed descriptor
        drop(sys.stdout)
        return _bad_input(f"cannot write the report: {error.strerror or error}")
    return EXIT_OK if report.clean else EXIT_PROBLEMS


def _bad_input(message: str) -> int:
    """Say what was wrong in one line on stderr (when it can take it); the exit code for it."""
    say(sys.stderr, f"{PROG}: error: {' '.join(message.splitlines())}\n")
    return EXIT_BAD_INPUT
