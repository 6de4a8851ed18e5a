"""Running a started job: the uploaded CSV becomes users of moto's pool, row by row.

Nothing the import does not expect escapes (issue 12): a row that fails in an unexpected way
is FAILED with Cognito's internal-error text, a job that cannot go on ends Failed with
``JOB_INTERNAL_ERROR``, and the counters always say what happened to every row.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Collection, Generator, Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from moto.cognitoidp.models import CognitoIdpUserPool, UserStatus

from ..diagnostics import withheld
from ..lock import LOCK, PLUGIN_ON
from ..statuses import JobStatus, RowStatus
from .bulk_users import UserChanges, bulk_allocation, new_user
from .csv_validation import (
    INTERNAL_ERROR,
    TOO_LARGE,
    CsvFileError,
    RowOutcome,
    UserRecord,
    judge_file,
    refusal,
    too_many_failures,
)
from .imported_users import mark, note_email, note_pool
from .job_log import JobLog, log_group_name
from .logs_role import role_problem
from .pool_profile import PoolDescriptionError, PoolProfile

if TYPE_CHECKING:
    from ..jobs.models import UserImportJob

logger = logging.getLogger(__name__)

COMPLETED_MESSAGE = "Import Job Completed Successfully."
TOO_MANY_FAILURES_MESSAGE = "Too many users have failed or been skipped during the import."
POOL_DELETED_MESSAGE = "The user pool has been deleted."
#: [OURS] A job that could not go on for a reason of the fake's own (never user data).
JOB_INTERNAL_ERROR = "The import job failed because of an internal error."
#: [OURS] A job whose run the plugin's deactivation ended (``lock.PLUGIN_ON``).
DEACTIVATED_MESSAGE = "The import job stopped: moto_cognito_import was deactivated while it ran."
#: How many rows an import runs before it lets waiting requests in (a few milliseconds of rows).
ROWS_BETWEEN_PAUSES = 1000


class PoolUser(Protocol):
    """What ``ExistingUsers`` reads of a user: moto's CognitoIdpUser, or one ListUsers entry."""

    @property
    def attribute_lookup(self) -> Mapping[str, Any]: ...


UserT = TypeVar("UserT", bound=PoolUser)


class ExistingUsers(Generic[UserT]):
    """``exists(key)`` for a pool's users (username -> user), in O(1) per row.

    Keys are ``PoolProfile.user_key`` of the username, or of each email/phone in pools that
    use those as usernames. Case-insensitive and email/phone-as-username pools need an index;
    moto's own ``_get_user`` scans every user, which would make an import quadratic. The index
    follows users changed behind the import's back (a job held InProgress, or paused for
    waiting requests, lets other calls run between rows), seen in O(1) as in
    ``moto_glue.big_pools``: the pool's size and last user, and the attributes changed or users
    created (``UserChanges``). Users only added at the end (AdminCreateUser, SignUp) are
    indexed on their own; any other change (an email changed to a row's, a user deleted)
    rebuilds the index.
    """

    def __init__(self, profile: PoolProfile, users: dict[str, UserT], pool_id: str = ""):
        self.profile = profile
        self.users = users
        self.pool_id = pool_id  # whose changes count (``UserChanges``); "" for users read once
        self.direct = profile.case_sensitive and not profile.username_attributes and not profile.alias_attributes
        self._index: set[str] = set()
        self._indexed: tuple[int, tuple[int, int], UserT | None] = (-1, (-1, -1), None)  # the _state it reflects

    def __call__(self, key: str) -> bool:
        if self.direct:
            return key in self.users
        state = self._state()
        if state != self._indexed:
            if not self._caught_up(state):
                self._index = self._build()
            self._indexed = state
        return key in self._index

    def added(self, keys: tuple[str, ...]) -> None:
        """Record a user the import itself just put in the pool (and the change it counted)."""
        if not self.direct and len(self.users) == self._indexed[0] + 1:
            self._index.update(keys)
            self._indexed = self._state()

    def _state(self) -> tuple[int, tuple[int, int], UserT | None]:
        return len(self.users), UserChanges.version(self.pool_id), next(reversed(self.users.values()), None)

    def _caught_up(self, state: tuple[int, tuple[int, int], UserT | None]) -> bool:
        """Index the users added at the end since the index was made, if that is all that
        happened (the changes counted since are theirs): a rebuild at every pause made an
        import beside a client creating users quadratic (an email-alias pool, 200,000 rows:
        18 s alone, 126 s)."""
        indexed_size, indexed_changes, indexed_last = self._indexed
        added = state[0] - indexed_size
        changed = UserChanges.changed_since(self.pool_id, indexed_changes)
        if indexed_last is None or added <= 0 or changed is None:
            return False
        newest = list(islice(reversed(self.users.items()), added + 1))
        if newest[-1][1] is not indexed_last:  # a user deleted, or one replaced
            return False
        added_users = {id(user) for _, user in newest[:-1]}
        if any(id(user) not in added_users for user in changed):  # another user changed
            return False
        self._index.update(self._keys_of(newest[:-1]))
        return True

    def _build(self) -> set[str]:
        return self._keys_of(self.users.items())

    def _keys_of(self, users: Collection[tuple[str, UserT]]) -> set[str]:
        """The keys of ``users`` (username, user), in comprehensions: a whole pool's build is
        on an import's path. A name or value that is no string (moto stores a raw request's
        JSON number or boolean, which AWS refuses) equals no row's and has no key; nor has a
        name with NUL (moto's AdminCreateUser stores one, UsernameType refuses it, a row with
        one fails), which could equal an alias key (``PoolProfile.alias_keys``)."""
        user_key = self.profile.user_key
        if not self.profile.username_attributes:
            names = {user_key(name) for name, _ in users if isinstance(name, str) and "\0" not in name}
            if self.profile.alias_attributes:
                names.update(*(self.profile.alias_keys(user.attribute_lookup) for _, user in users))
            return names
        return {
            user_key(value)
            for _, user in users
            for kind in self.profile.username_attributes
            if isinstance(value := user.attribute_lookup.get(kind), str) and value
        }


def job_result(imported: int, skipped: int, failed: int) -> tuple[JobStatus, str]:
    """How a job whose rows all ran ends: (status, CompletionMessage). The import and the
    offline checker both call this, so they can't disagree about it."""
    if too_many_failures(imported, skipped, failed):
        return JobStatus.FAILED, TOO_MANY_FAILURES_MESSAGE
    return JobStatus.SUCCEEDED, COMPLETED_MESSAGE


class ImportRun:
    """One execution of a job: ``begin`` checks, ``step`` imports one row, ``finish`` the rest."""

    def __init__(self, job: UserImportJob, live_pools: Callable[[], Mapping[str, CognitoIdpUserPool]]):
        self.job = job
        # moto's pools of the job's region now, to notice a deleted one: looked up at each row,
        # since a reset of the region's backend (``BaseBackend.reset``) replaces the dict.
        self.live_pools = live_pools
        self.log: JobLog | None = None
        self.outcomes: Generator[RowOutcome, None, None] = _prepend(None, iter(()))
        self.failure: str | None = None
        self._pool_noted = False  # imported_users.note_pool, once the first user is in

    def begin(self) -> str | None:
        """Check what fails a job outright; return its CompletionMessage, or None to go on."""
        try:
            return self._begin()
        except PoolDescriptionError as error:  # a pool moto stored with a member of the wrong type
            logger.warning(
                "Import job %s: user pool %s cannot be read: %s", self.job.job_id, self.job.user_pool_id, error
            )
            return JOB_INTERNAL_ERROR
        except Exception as error:
            logger.error("Import job %s could not start its run", self.job.job_id, exc_info=withheld(error))
            return JOB_INTERNAL_ERROR

    def _begin(self) -> str | None:
        job = self.job
        if self.live_pools().get(job.user_pool_id) is not job.pool:
            return POOL_DELETED_MESSAGE
        log_group, log_stream = log_group_name(job.pool.id, job.pool.name), f"{job.job_id}/{job.job_name}"
        if job.checks_role:
            problem = role_problem(
                job.account_id, job.cloud_watch_logs_role_arn, job.region_name, log_group, log_stream
            )
            if problem:
                return problem
        if job.upload.too_large:
            return TOO_LARGE  # nothing of it was kept (upload.storage.Received.read)
        self.profile = PoolProfile.of_moto_pool(job.pool)
        self.existing = ExistingUsers(self.profile, job.pool.users, job.pool.id)  # indexed on first use
        self._tokens = _TokenIndex(job.pool, self.profile.user_key)
        # Where emails are usernames found in any case (sign_in.usernames), note any with capitals.
        self._note_emails = "email" in self.profile.username_attributes and not self.profile.case_sensitive
        self.log = JobLog(job.account_id, job.region_name, log_group, log_stream)
        outcomes = judge_file(
            job.upload.open(), self.profile, job.password_hashing_algorithm, self.existing, self._pause
        )
        try:
            first = next(outcomes, None)  # file and header checks happen before any row
        except CsvFileError as error:
            return str(error)
        except _RunEnded:
            return self.failure
        self.outcomes = _prepend(first, outcomes)
        return None

    def step(self) -> None:
        """Import the next row (a job held InProgress) and show its log event at once."""
        self._import_next()
        if self.log is not None:
            self.log.flush()

    def finish(self) -> tuple[JobStatus, str]:
        """Import every remaining row; return the final (status, CompletionMessage).

        Every ``ROWS_BETWEEN_PAUSES`` rows other clients' requests waiting for the server's
        lock go first (a Stop or a reset among them ends the run at its next row), with the
        log written as far as the counters they may read."""
        with bulk_allocation():
            rows = 0
            while self._import_next():
                rows += 1
                if rows % ROWS_BETWEEN_PAUSES == 0:
                    self._let_waiters_in()
        job = self.job
        if self.failure is not None:
            return JobStatus.FAILED, self.failure
        return job_result(job.imported_users, job.skipped_users, job.failed_users)

    def _let_waiters_in(self) -> bool:
        """Let other clients' requests waiting for the server's lock go first, with the log
        written as far as the counters they may read; whether any were waiting."""
        if not LOCK.has_waiters():
            return False
        if self.log is not None:
            self.log.flush()
        LOCK.let_waiters_in()
        return True

    def _pause(self) -> None:
        """Between chunks of the file (``read_lines``): let waiting requests in, as between
        rows; raise ``_RunEnded`` if one of them ended the run (a Stop, a deleted pool, moto's
        reset), so the file is read no further."""
        if self._let_waiters_in() and self._ended():
            raise _RunEnded

    def _ended(self) -> bool:
        """Whether the run cannot go on: it was closed (``failure``), its pool is gone
        (abandoned by moto's reset, or deleted), or the plugin was switched off (``PLUGIN_ON``),
        which becomes its failure."""
        if self.failure is None and (
            self.job.abandoned or self.live_pools().get(self.job.user_pool_id) is not self.job.pool
        ):
            self.failure = POOL_DELETED_MESSAGE
        if self.failure is None and not PLUGIN_ON.is_set():
            self.failure = DEACTIVATED_MESSAGE
        return self.failure is not None

    def close(self) -> None:
        """Stop reading the file and write the queued log events; called however the job ends
        (``UserImportJob.discard``). A Stop, a deleted pool or moto's reset let in while
        ``finish`` paused closes the run too: it ends at its next row, as for a deleted pool
        (the job keeps the status the Stop gave it). Let in while the file was being read
        (``_pause``), it leaves the reading to end in its own thread (a generator cannot be
        closed while it runs)."""
        if self.failure is None:
            self.failure = POOL_DELETED_MESSAGE
        if inspect.getgeneratorstate(self.outcomes) != inspect.GEN_RUNNING:
            self.outcomes.close()
        if self.log is not None:
            self.log.flush()

    def _import_next(self) -> bool:
        """Import one row; False once every row is done, or the job cannot go on."""
        if self._ended():
            return False
        try:
            outcome = next(self.outcomes, None)
        except _RunEnded:  # a request let in while the file was read ended the run
            return False
        except Exception as error:  # the file itself failed (judge_file guards each row)
            logger.error("Import job %s could not read its file", self.job.job_id, exc_info=withheld(error))
            self.failure = JOB_INTERNAL_ERROR
            return False
        if outcome is None:
            return False
        self._apply(outcome)
        return True

    def _apply(self, outcome: RowOutcome) -> None:
        job = self.job
        status, reason = outcome.status, outcome.reason
        if status is RowStatus.SUCCEEDED:
            try:
                refused = self._create_user(outcome.record)  # type: ignore[arg-type]
                if refused is not None:
                    status, reason = refused
            except Exception as error:
                logger.error(
                    "Line %s of import job %s could not be imported", outcome.line_number, job.job_id,
                    exc_info=withheld(error),
                )
                status, reason = RowStatus.FAILED, INTERNAL_ERROR
        if status is RowStatus.SUCCEEDED:
            job.imported_users += 1
        elif status is RowStatus.SKIPPED:
            job.skipped_users += 1
        else:
            job.failed_users += 1
        if self.log is not None:
            self.log.row(status, outcome.line_number, reason)

    def _create_user(self, record: UserRecord) -> tuple[RowStatus, str] | None:
        """Add one user atomically: fully built, its password hash included, before it
        enters the pool, so a row is a whole user or nothing.

        Returns the row's outcome instead when such a user, or another user with one of its
        aliases (``refusal``), appeared since the row was judged (a job held InProgress lets
        other calls run between rows): as ``outcomes`` would have judged it then. Bookkeeping
        that fails once the user is in takes it out again (the row fails, ``_apply``).
        """
        refused = refusal(record, self.existing)
        if refused is not None:
            return refused
        pool = self.job.pool
        status = UserStatus.CONFIRMED if record.confirmed else UserStatus.RESET_REQUIRED
        user = new_user(pool.id, record.username, status, record.attributes)
        if record.sms_mfa:  # on and preferred, as AdminSetUserMFAPreference sets it in moto
            user.sms_mfa_enabled, user.preferred_mfa_setting = True, "SMS_MFA"
        mark(user, record.password_hash)
        pool.users[user.username] = user
        try:
            self.existing.added((*record.keys, *record.aliases))
            self._tokens.revoke(pool, record, self.existing)  # once the index has the user: no rebuild
            if self._note_emails:  # last: a row that fails before leaves no note behind
                note_email(pool, record.attributes.get("email"))
            if not self._pool_noted:  # once per run: a pool with users of its own counts too
                note_pool(pool)
                self._pool_noted = True
        except BaseException:  # the row fails (``_apply``): the user it was counted without goes
            del pool.users[user.username]
            raise
        return None


class _TokenIndex:
    """moto's live tokens of a pool by the name they were issued to (``user_key``'d): moto keeps
    them by name, not by user (the plugin files an imported user's under their stored name;
    moto's own, under the USERNAME a sign-in sent: a username, an email as username). A user
    the import adds under a name that holds some is not their user (a deleted one was): a
    deleted user's refresh token signed the new RESET_REQUIRED user in. Indexed once a run,
    and then only the tokens issued since (a held import lets sign-ins in between rows): a
    sign-out per user (moto's ``sign_out`` reads every token) made large imports quadratic."""

    def __init__(self, pool: CognitoIdpUserPool, user_key: Callable[[str], str]):
        self._user_key = user_key
        self._by_name: dict[str, list[tuple[bool, str]]] = {}
        self._indexed: set[str] = set()
        self._newest: dict[bool, str | None] = {True: None, False: None}
        self._catch_up(pool)

    def _catch_up(self, pool: CognitoIdpUserPool) -> None:
        """Index the tokens issued since the last look: moto adds them at the end of its dicts
        (a sign-out elsewhere may have taken the last one seen: then every one is looked at,
        once)."""
        for refresh, tokens in ((True, pool.refresh_tokens), (False, pool.access_tokens)):
            newest = next(reversed(tokens), None)
            if newest == self._newest[refresh]:
                continue
            for token in reversed(tokens):  # newest first, back to the last one seen
                if token == self._newest[refresh]:
                    break
                if token in self._indexed:
                    continue
                self._indexed.add(token)
                entry = tokens[token]
                name = entry[1] if entry else None
                if isinstance(name, str):
                    self._by_name.setdefault(self._user_key(name), []).append((refresh, token))
            self._newest[refresh] = newest

    def revoke(self, pool: CognitoIdpUserPool, record: UserRecord, live: Callable[[str], bool]) -> None:
        """End the tokens issued to any name ``record``'s user signs in as: its ``keys`` (no live
        user has one, or the row would not be imported) and its aliases that no live user has
        as a username (``live``: a deleted user's name taken as an alias signed in with the
        deleted user's refresh token), as moto's ``sign_out`` ends a user's: a refresh token is
        kept as revoked, an access token goes."""
        self._catch_up(pool)
        # An alias key is "\0<kind>\0<user_key of the value>" (PoolProfile.alias_keys).
        aliases = (alias.split("\0", 2)[2] for alias in record.aliases)
        for name in (*record.keys, *(name for name in aliases if not live(name))):
            for refresh, token in self._by_name.pop(name, ()):
                if refresh:
                    pool.refresh_tokens[token] = None
                else:
                    pool.access_tokens.pop(token, None)
        self._newest[False] = next(reversed(pool.access_tokens), None)  # all seen, some gone


class _RunEnded(Exception):
    """A request let in while the file was being read ended the run (``ImportRun._pause``)."""


def _prepend(first: RowOutcome | None, rest: Iterator[RowOutcome]) -> Generator[RowOutcome, None, None]:
    if first is not None:
        yield first
        yield from rest
