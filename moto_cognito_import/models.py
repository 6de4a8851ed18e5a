"""Import jobs and the backend that holds them: every rule of the six operations lives here."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from typing import Any

from botocore.paginate import TokenDecoder
from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUserPool, cognitoidp_backends
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.common_models import BaseModel
from moto.moto_api._internal import mock_random as random
from moto.core.exceptions import InvalidToken
from moto.moto_api._internal.managed_state_model import ManagedState
from moto.utilities.paginator import paginate

from . import clock, settings
from .exceptions import (
    InvalidParameterException,
    LimitExceededException,
    PreconditionNotMetException,
    ResourceNotFoundException,
    UserImportInProgressException,
)
from .importer import ImportRun
from .pool_profile import PoolProfile
from .upload import Received, Upload, presign

#: One lock for all plugin state: moto's server is threaded, and an import mutates moto's pool.
LOCK = threading.RLock()

CREATED, PENDING, IN_PROGRESS = "Created", "Pending", "InProgress"
SUCCEEDED, FAILED, STOPPED, EXPIRED = "Succeeded", "Failed", "Stopped", "Expired"
ACTIVE = (PENDING, IN_PROGRESS)
_FINISHED = "Finished"  # the state manager's last step; the import decides Succeeded/Failed

# Completion messages seen in real AWS responses (API reference examples, AWS CLI examples).
STOPPED_MESSAGE = "The Import Job was stopped by the developer."
EXPIRED_MESSAGE = "The user import job has expired."

PAGINATION_MODEL = {
    "_page": {
        "input_token": "pagination_token",
        "limit_key": "max_results",
        "limit_default": settings.LIST_PAGE_MAX,
        "unique_attribute": "job_id",
    }
}


class JobProgress(ManagedState):
    """Pending -> InProgress -> Finished, driven by moto's state manager (see settings.STATE_MODEL)."""

    def __init__(self) -> None:
        super().__init__(
            settings.STATE_MODEL, transitions=[(PENDING, IN_PROGRESS), (IN_PROGRESS, _FINISHED)]
        )


class UserImportJob(BaseModel):
    """One user import job (UserImportJobType). Its status is recomputed when read: expiry on
    every check, the state manager's progression only on the user's reads (``status``)."""

    def __init__(
        self,
        backend: UserImportBackend,
        pool: CognitoIdpUserPool,
        job_name: str,
        role_arn: str,
        algorithm: str | None,
        url_base: str | None,
    ):
        self.backend = backend
        self.pool = pool
        self.job_id = "import-" + random.get_random_string(length=10)
        self.job_name = job_name
        self.user_pool_id = pool.id
        self.cloud_watch_logs_role_arn = role_arn
        self.password_hashing_algorithm = algorithm
        self.creation_date = clock.now()
        self.start_date: datetime.datetime | None = None
        self.completion_date: datetime.datetime | None = None
        self.completion_message: str | None = None
        self.imported_users = self.skipped_users = self.failed_users = 0
        self.upload = Upload()
        self.pre_signed_url = presign(
            backend.account_id, backend.region_name, pool.id, self.job_id, self.creation_date, url_base
        )
        self._status = CREATED
        self._progress: JobProgress | None = None
        self._run: ImportRun | None = None

    @property
    def status(self) -> str:
        """The job's status as a read of it (Describe, List) sees it: expiry, then one step of
        the state manager's progression."""
        if self.settled_status in ACTIVE and self._progress is not None:
            self._progress.advance()
            self._follow(self._progress.status)
        return self._status

    @property
    def settled_status(self) -> str:
        """The status with expiry applied but no progression step: what Start, Stop, the
        upload URL and the pool-change guard check. Only the user's reads move a job on
        [OURS], so Stop (or DeleteUserPool) acts on the job as last described: an AWS user's
        Start-then-Stop stops it, and a job held InProgress stays so for the call that tests it."""
        if self._status == CREATED and clock.now() >= self.expires_at:
            self._finish(EXPIRED, EXPIRED_MESSAGE, when=self.expires_at)
        return self._status

    @property
    def expires_at(self) -> datetime.datetime:
        return self.creation_date + datetime.timedelta(seconds=settings.JOB_EXPIRY_SECONDS)

    def accepts_upload(self) -> bool:
        """Only a Created job's URL takes files (AWS deletes the file once a job ends)."""
        return self.settled_status == CREATED

    def start(self) -> None:
        self._status = PENDING
        self.start_date = clock.now()
        self._progress = JobProgress()

    def stop(self) -> None:
        """Stop a running import: rows already imported stay, counters say exactly what was done."""
        self._finish(STOPPED, STOPPED_MESSAGE)

    def _follow(self, step: str) -> None:
        if self._status == PENDING and step in (IN_PROGRESS, _FINISHED):
            self._status = IN_PROGRESS
            self.start_date = clock.now()  # real jobs update StartDate when processing begins
            self._run = ImportRun(self)
            failure = self._run.begin()
            if failure:
                self._finish(FAILED, failure)
                return
            if step == IN_PROGRESS:
                return  # entered now; rows are imported on later reads
        if self._status != IN_PROGRESS or self._run is None:
            return
        if step == IN_PROGRESS:
            self._run.step()  # held in progress: one more row per read
        else:
            status, message = self._run.finish()
            self._finish(status, message)

    def _finish(self, status: str, message: str, when: datetime.datetime | None = None) -> None:
        if self._run is not None:
            self._run.close()
        self._status = status
        self.completion_message = message
        self.completion_date = when or clock.now()
        self._progress = None
        self.upload.discard()

    def to_json(self, refresh: bool = True) -> dict[str, Any]:
        """UserImportJobType. ``refresh=False`` reports the status as just set (Start's answer
        is always Pending, even when the state manager would finish the job on this read)."""
        status = self.status if refresh else self._status
        return {
            "JobName": self.job_name,
            "JobId": self.job_id,
            "UserPoolId": self.user_pool_id,
            "PreSignedUrl": self.pre_signed_url,
            "CreationDate": self.creation_date,
            "StartDate": self.start_date,
            "CompletionDate": self.completion_date,
            "Status": status,
            "CloudWatchLogsRoleArn": self.cloud_watch_logs_role_arn,
            "ImportedUsers": self.imported_users,
            "SkippedUsers": self.skipped_users,
            "FailedUsers": self.failed_users,
            "CompletionMessage": self.completion_message,
            "PasswordHashingAlgorithm": self.password_hashing_algorithm,
        }


class UserImportBackend(BaseBackend):
    """Cognito user import jobs for one account and region, on top of moto's cognito-idp.

    Where AWS is silent, this fake decides (each listed in the README's "Fidelity notes"):
    jobs expire 24 h after creation; wrong-state Start/Stop, a second active job and a pool
    without auto-verified attributes raise PreconditionNotMetException; the 1,001st job in a
    pool raises LimitExceededException; a list page holds at most 50 jobs; after Start the job
    follows moto's state manager model ``cognito-idp::userimportjob`` (default: finished by
    the next Describe or List); while it is held InProgress, each such read imports one more
    row. Start, Stop and the pool guard check a job without moving it on (``settled_status``).
    """

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        # pool id -> (the moto pool object the jobs belong to, its jobs oldest first)
        self._pools: dict[str, tuple[CognitoIdpUserPool, dict[str, UserImportJob]]] = {}

    @property
    def idp(self) -> CognitoIdpBackend:
        return cognitoidp_backends[self.account_id][self.region_name]

    def _pool(self, user_pool_id: str) -> tuple[CognitoIdpUserPool, dict[str, UserImportJob]]:
        pool = self.idp.user_pools.get(user_pool_id)
        if pool is None:
            self._pools.pop(user_pool_id, None)
            raise ResourceNotFoundException(f"User pool {user_pool_id} does not exist.")
        known = self._pools.get(user_pool_id)
        if known is None or known[0] is not pool:  # a re-created pool starts with no jobs
            known = self._pools[user_pool_id] = (pool, {})
        return known

    def _job(self, user_pool_id: str, job_id: str) -> UserImportJob:
        job = self._pool(user_pool_id)[1].get(job_id)
        if job is None:
            raise ResourceNotFoundException(f"Import job {job_id} does not exist.")
        return job

    def jobs(self) -> Iterator[UserImportJob]:
        """Every job of every live pool in this account and region."""
        for pool_id in list(self._pools):
            if self.idp.user_pools.get(pool_id) is self._pools[pool_id][0]:
                yield from self._pools[pool_id][1].values()

    def pool_has_active_job(self, user_pool_id: str) -> bool:
        known = self._pools.get(user_pool_id)
        return bool(known) and any(job.settled_status in ACTIVE for job in known[1].values())  # type: ignore[index]

    def create_user_import_job(
        self,
        job_name: str,
        user_pool_id: str,
        cloud_watch_logs_role_arn: str,
        password_hashing_algorithm: str | None = None,
        url_base: str | None = None,
    ) -> UserImportJob:
        """Raises ResourceNotFoundException or LimitExceededException (1,000 jobs per pool)."""
        pool, jobs = self._pool(user_pool_id)
        if len(jobs) >= settings.MAX_JOBS_PER_POOL:
            raise LimitExceededException(
                f"The user pool {user_pool_id} already has the maximum of "
                f"{settings.MAX_JOBS_PER_POOL} user import jobs."
            )
        job = UserImportJob(
            self, pool, job_name, cloud_watch_logs_role_arn, password_hashing_algorithm, url_base
        )
        jobs[job.job_id] = job
        return job

    def describe_user_import_job(self, user_pool_id: str, job_id: str) -> UserImportJob:
        return self._job(user_pool_id, job_id)

    def list_user_import_jobs(
        self, user_pool_id: str, max_results: int, pagination_token: str | None = None
    ) -> tuple[list[UserImportJob], str | None]:
        """Newest first, at most min(MaxResults, 50) jobs a page.

        Raises InvalidParameterException for a token that is not one of ours for this pool.
        """
        if pagination_token is not None and not _readable_token(pagination_token):
            raise InvalidParameterException("The pagination token is not valid for this request.")
        try:
            return self._page(  # type: ignore[no-any-return]
                user_pool_id=user_pool_id,
                max_results=min(max_results, settings.LIST_PAGE_MAX),
                pagination_token=pagination_token,
            )
        except InvalidToken:
            raise InvalidParameterException("The pagination token is not valid for this request.")

    @paginate(pagination_model=PAGINATION_MODEL)
    def _page(self, user_pool_id: str) -> list[UserImportJob]:
        return list(reversed(self._pool(user_pool_id)[1].values()))

    def start_user_import_job(self, user_pool_id: str, job_id: str) -> UserImportJob:
        """Raises PreconditionNotMetException unless the job is Created, has an upload, its pool
        auto-verifies an attribute and no other job in this account and region is active."""
        job = self._job(user_pool_id, job_id)
        status = job.settled_status
        if status != CREATED:
            raise PreconditionNotMetException(
                f"Import job {job_id} cannot be started because its status is {status}."
            )
        if not job.upload.received:
            raise PreconditionNotMetException(f"No csv file was uploaded for {job_id}")
        if not job.pool.extended_config.get("AutoVerifiedAttributes"):
            raise PreconditionNotMetException(
                f"User pool {user_pool_id} has no auto-verified attributes, "
                "so the import job cannot start."
            )
        running = next((j for j in self.jobs() if j is not job and j.settled_status in ACTIVE), None)
        if running is not None:
            raise PreconditionNotMetException(
                f"Import job {running.job_id} is already running in this account and region; "
                "only one import job can be active at a time."
            )
        job.start()
        return job

    def stop_user_import_job(self, user_pool_id: str, job_id: str) -> UserImportJob:
        """Raises PreconditionNotMetException unless the job is Pending or InProgress."""
        job = self._job(user_pool_id, job_id)
        status = job.settled_status
        if status not in ACTIVE:
            raise PreconditionNotMetException(
                f"Import job {job_id} cannot be stopped because its status is {status}."
            )
        job.stop()
        return job

    def get_csv_header(self, user_pool_id: str) -> list[str]:
        pool, _ = self._pool(user_pool_id)
        return PoolProfile.from_description(pool.to_json(extended=True)).csv_header()

    def receive_upload(self, user_pool_id: str, job_id: str, body: Received) -> None:
        """Store a file PUT to a job's URL, replacing any earlier one."""
        self._job(user_pool_id, job_id).upload.store(body)

    def reset(self) -> None:
        """moto's reset (a new ``mock_aws``, ``POST /moto-api/reset``) also deletes stored files."""
        for _, jobs in self._pools.values():
            for job in jobs.values():
                job.upload.discard()
        super().reset()

    def guard_pool_change(self, user_pool_id: str) -> None:
        """Raises UserImportInProgressException while one of the pool's jobs is running."""
        if self.pool_has_active_job(user_pool_id):
            raise UserImportInProgressException(
                f"A user import job is in progress for user pool {user_pool_id}."
            )


def _readable_token(token: str) -> bool:
    """Whether ``token`` has the shape of moto's paginator tokens. The paginator checks a
    token's checksum but trusts the rest: an edited token (say, without ``uniqueAttributes``)
    crashed it with a KeyError, an HTTP 500. Whatever botocore's decoder fails on is no token
    of ours either, so every failure here means "not valid"."""
    try:
        parsed = TokenDecoder().decode(token)
    except Exception:  # noqa: BLE001  (base64, JSON or botocore's own markers: all mean "not ours")
        return False
    return isinstance(parsed, dict) and isinstance(parsed.get("uniqueAttributes"), str)


import_backends = BackendDict(UserImportBackend, "cognito-idp")
