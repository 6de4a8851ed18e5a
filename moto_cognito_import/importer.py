"""Running a started job: the uploaded CSV becomes users of moto's pool, row by row."""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING

from moto.cognitoidp.models import CognitoIdpUser, UserStatus

from . import settings
from .cloudwatch import JobLog, log_group_name
from .csv_validation import (
    FAILED,
    INTERNAL_ERROR,
    SKIPPED,
    SUCCEEDED,
    CsvFileError,
    RowOutcome,
    UserRecord,
    judge_file,
    too_many_failures,
)
from .pool_profile import PoolProfile
from .roles import role_problem

if TYPE_CHECKING:
    from .models import UserImportJob

logger = logging.getLogger(__name__)

COMPLETED_MESSAGE = "Import Job Completed Successfully."
TOO_MANY_FAILURES_MESSAGE = "Too many users have failed or been skipped during the import."
POOL_DELETED_MESSAGE = "The user pool has been deleted."


def existing_keys(profile: PoolProfile, users: dict[str, CognitoIdpUser]) -> Callable[[str], bool]:
    """Return ``exists(key)`` for the pool's current users, in O(1) per row.

    Case-insensitive pools and email/phone-as-username pools need an index built once per
    job; moto's own ``_get_user`` scans every user, which would make an import quadratic.
    """
    if profile.username_attributes:
        index = set()
        for user in users.values():
            for kind in profile.username_attributes:
                value = user.attribute_lookup.get(kind)
                if value:
                    index.add(value.lower() if kind == "email" else value)
        return index.__contains__
    if not profile.case_sensitive:
        lowered = {name.lower() for name in users}
        return lowered.__contains__
    return users.__contains__


class ImportRun:
    """One execution of a job: ``begin`` checks, ``step`` imports one row, ``finish`` the rest."""

    def __init__(self, job: UserImportJob):
        self.job = job
        self.log: JobLog | None = None
        self.outcomes: Generator[RowOutcome, None, None] = _prepend(None, iter(()))

    def begin(self) -> str | None:
        """Check what fails a job outright; return its CompletionMessage, or None to go on."""
        job = self.job
        backend = job.backend
        if backend.idp.user_pools.get(job.user_pool_id) is not job.pool:
            return POOL_DELETED_MESSAGE
        if settings.role_check_enabled():
            problem = role_problem(backend.account_id, job.cloud_watch_logs_role_arn)
            if problem:
                return problem
        if job.upload.too_large:
            return "The CSV file is larger than the maximum of 100 MB."
        self.log = JobLog(
            backend.account_id,
            backend.region_name,
            log_group_name(job.pool.id, job.pool.name),
            f"{job.job_id}/{job.job_name}",
        )
        profile = PoolProfile.from_description(job.pool.to_json(extended=True))
        outcomes = judge_file(
            job.upload.open(),
            profile,
            job.password_hashing_algorithm,
            existing_keys(profile, job.pool.users),
        )
        try:
            first = next(outcomes, None)  # file and header checks happen before any row
        except CsvFileError as error:
            return str(error)
        self.outcomes = _prepend(first, outcomes)
        return None

    def step(self) -> bool:
        """Import the next row; False once every row is done."""
        outcome = next(self.outcomes, None)
        if outcome is None:
            return False
        self._apply(outcome)
        return True

    def finish(self) -> tuple[str, str]:
        """Import every remaining row; return the final (status, CompletionMessage)."""
        while self.step():
            pass
        job = self.job
        if too_many_failures(job.imported_users, job.skipped_users, job.failed_users):
            return "Failed", TOO_MANY_FAILURES_MESSAGE
        return "Succeeded", COMPLETED_MESSAGE

    def close(self) -> None:
        """Stop reading the file and write the queued log events; called however the job ends."""
        self.outcomes.close()
        if self.log is None:
            return
        try:
            self.log.flush()
        except Exception:  # the log group may have been deleted by the user meanwhile
            logger.exception("Could not write the import log of %s", self.job.job_id)

    def _apply(self, outcome: RowOutcome) -> None:
        job = self.job
        status, reason = outcome.status, outcome.reason
        if status == SUCCEEDED:
            try:
                if not self._create_user(outcome.record):  # type: ignore[arg-type]
                    status, reason = SKIPPED, "The user already exists."
            except Exception:
                logger.exception("Line %s of %s could not be imported", outcome.line_number, job.job_id)
                status, reason = FAILED, INTERNAL_ERROR
        if status == SUCCEEDED:
            job.imported_users += 1
        elif status == SKIPPED:
            job.skipped_users += 1
        else:
            job.failed_users += 1
        if self.log is not None:
            self.log.row(status, outcome.line_number, reason)

    def _create_user(self, record: UserRecord) -> bool:
        """Add one user atomically: it is fully built before it enters the pool.

        Returns False when a user of that name appeared since the row was judged (a job held
        InProgress lets other calls run between rows).
        """
        users = self.job.pool.users
        if record.username is not None and record.username in users:
            return False
        status = UserStatus.CONFIRMED if record.confirmed else UserStatus.RESET_REQUIRED
        user = CognitoIdpUser(self.job.user_pool_id, record.username, None, status, list(record.attributes))
        if record.password_hash is not None:
            self.job.backend.password_hashes[user.id] = record.password_hash
        users[user.username] = user
        return True


def _prepend(first: RowOutcome | None, rest: Iterator[RowOutcome]) -> Generator[RowOutcome, None, None]:
    if first is not None:
        yield first
        yield from rest
