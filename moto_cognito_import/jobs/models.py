"""Import jobs and the backend that holds them: the six operations' rules of state (which job
may start, stop, take a file; quotas; expiry). Their requests' members are checked in
``jobs.request_validation``, the import itself runs in ``importing.run``.

The job engine is explicit, as in moto's newer services (``dsql``: ``get_cluster`` calls
``cluster.advance()``): a job moves on only when a user reads it (``UserImportBackend``'s
Describe and List call ``UserImportJob.advance``); every other call only applies expiry
(``expire_if_due``). Nothing is computed in a property, so moto's dashboard
(``/moto-api/data.json``, which reads every public attribute) never moves a job.
"""

from __future__ import annotations

import base64
import datetime
import logging
import math
from collections.abc import Callable, Iterator
from typing import Any

from botocore.paginate import TokenDecoder
from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUserPool, cognitoidp_backends
from moto.core.base_backend import BackendDict, BaseBackend, backend_lock
from moto.core.common_models import BaseModel
from moto.core.exceptions import InvalidToken
from moto.core.model_instances import model_data
from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState
from moto.utilities.paginator import paginate

from .. import clock, settings
from ..diagnostics import withheld
from ..exceptions import (
    InternalErrorException,
    InvalidParameterException,
    LimitExceededException,
    PreconditionNotMetException,
    ResourceNotFoundException,
    UserImportInProgressException,
)
from ..identifiers import new_job_id
from ..importing.pool_profile import PoolDescriptionError, PoolProfile, cannot_start, configured
from ..importing.run import JOB_INTERNAL_ERROR, POOL_DELETED_MESSAGE, ImportRun
from ..lock import LOCK
from ..statuses import JobStatus
from ..upload.signing import forget_signed, forget_signed_keys, presign
from ..upload.storage import Received, Upload

logger = logging.getLogger(__name__)

_FINISHED = "Finished"  # the state manager's last step; the import decides Succeeded/Failed
_PROGRESSIONS = ("immediate", "manual", "time")  # what moto's ManagedState.status follows

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
    """Pending -> InProgress -> Finished, driven by moto's state manager (settings.STATE_MODEL)."""

    def __init__(self) -> None:
        super().__init__(
            settings.STATE_MODEL,
            transitions=[(JobStatus.PENDING, JobStatus.IN_PROGRESS), (JobStatus.IN_PROGRESS, _FINISHED)],
        )

    def advance(self) -> None:
        """One read. moto's state manager stores any progression it is given, and a model whose
        progression it does not know never moves: a started job would stay Pending, holding
        its region's one active job, until someone stopped it. So would a manual one of NaN
        reads (moto's reader takes ``NaN``; every count compares false with it). ValueError
        fails it instead."""
        transition = state_manager.get_transition(self.model_name)  # whatever was set: a str, a list
        progression = transition.get("progression") if isinstance(transition, dict) else None
        if progression not in _PROGRESSIONS:
            raise ValueError(f"unknown progression {progression!r}")
        if progression == "manual" and isinstance(times := transition.get("times"), float) and math.isnan(times):
            raise ValueError("a manual progression of NaN reads")
        super().advance()


class UserImportJob(BaseModel):
    """One user import job (UserImportJobType): plain data, and the engine that runs it."""

    def __init__(
        self,
        backend: UserImportBackend,
        pool: CognitoIdpUserPool,
        job_id: str,
        job_name: str,
        role_arn: str,
        algorithm: str | None,
        url_base: str | None,
    ):
        self.account_id = backend.account_id
        self.region_name = backend.region_name
        self.pool = pool
        self.job_id = job_id
        self.job_name = job_name
        self.user_pool_id = pool.id
        self.cloud_watch_logs_role_arn = role_arn
        self.password_hashing_algorithm = algorithm
        self.creation_date = clock.now()
        self.start_date: datetime.datetime | None = None
        self.completion_date: datetime.datetime | None = None
        self.completion_message: str | None = None
        self.status = JobStatus.CREATED
        self.imported_users = self.skipped_users = self.failed_users = 0
        self.upload = Upload()
        self.pre_signed_url = presign(
            self.account_id, self.region_name, pool.id, self.job_id, self.creation_date, url_base
        )
        self._backend = backend
        self._progress: JobProgress | None = None
        self._run: ImportRun | None = None
        # The role-check setting as it was at Start (README: "read at each Start"): a setting
        # changed while the job waits to run does not change what Start accepted.
        self.checks_role = True
        self.abandoned = False  # deleted (moto's reset) while its import may be running
        self.advancing = False  # a thread is in advance(): reading the file, maybe

    @property
    def expires_at(self) -> datetime.datetime:
        return clock.later(self.creation_date, settings.JOB_EXPIRY_SECONDS)

    def expire_if_due(self) -> None:
        """[OURS] A job not started within 24 hours of its creation is Expired."""
        if self.status is JobStatus.CREATED and clock.now() >= self.expires_at:
            self._finish(JobStatus.EXPIRED, EXPIRED_MESSAGE, when=self.expires_at)

    def advance(self) -> None:
        """One read's worth of progress (Describe, List): moto's state manager says how far
        a started job gets. Entering InProgress begins the import; while held InProgress
        each read imports one row; the last step imports the rest and ends the job."""
        self.expire_if_due()
        # A run in another thread lets requests in between rows (``ImportRun.finish``): this
        # read shows the job as that run leaves it.
        if not self.status.active or self._progress is None or self.advancing:
            return
        self.advancing = True
        try:
            self._advance(self._progress)
        finally:
            self.advancing = False

    def _advance(self, progress: JobProgress) -> None:
        try:
            progress.advance()
            step = progress.status
        except (KeyError, TypeError, ValueError, OverflowError) as error:
            # moto's state manager takes any transition; one it cannot follow (a "manual" one
            # without "times", a "time" one past the year 9999) fails the job, not every
            # Describe and List of its pool.
            logger.warning("Import job %s: moto's state manager cannot follow %s's transition (%r)",
                           self.job_id, settings.STATE_MODEL, error)
            self._finish(JobStatus.FAILED, JOB_INTERNAL_ERROR)
            return
        try:
            entering = self.status is JobStatus.PENDING and step != JobStatus.PENDING
            if entering and (not self._begin() or step == JobStatus.IN_PROGRESS):
                return  # ended at once, or entered now: rows are imported on later reads
            if self._run is None:
                return
            if step == JobStatus.IN_PROGRESS:
                self._run.step()
            else:
                ended = self._run.finish()
                if self.status is JobStatus.IN_PROGRESS:  # not stopped or gone while it ran
                    self._finish(*ended)
        except Exception as error:  # the run guards every row: this is a bug of ours, not the user's
            logger.error("Import job %s stopped unexpectedly", self.job_id, exc_info=withheld(error))
            if self.status.active:  # not a Stop let in while the import ran
                self._finish(JobStatus.FAILED, JOB_INTERNAL_ERROR)

    def _begin(self) -> bool:
        """InProgress: check what fails the job outright. False when it ended there."""
        self.status = JobStatus.IN_PROGRESS
        self.start_date = clock.now()  # real jobs update StartDate when processing begins
        self._run = ImportRun(self, lambda: self._backend.idp.user_pools)
        failure = self._run.begin()
        if self.status is not JobStatus.IN_PROGRESS:  # stopped by a request let in meanwhile
            return False
        if failure:
            self._finish(JobStatus.FAILED, failure)
            return False
        return True

    def accepts_upload(self) -> bool:
        """Only a Created job's URL takes files (AWS deletes the file once a job ends)."""
        self.expire_if_due()
        return self.status is JobStatus.CREATED

    def start(self) -> None:
        self.status = JobStatus.PENDING
        self.start_date = clock.now()
        self.checks_role = settings.role_check_enabled()
        self._progress = JobProgress()
        logger.info("Import job %s of user pool %s started", self.job_id, self.user_pool_id)

    def stop(self) -> None:
        """Stop a running import: rows already imported stay, counters say exactly what was done."""
        self._finish(JobStatus.STOPPED, STOPPED_MESSAGE)

    def discard(self) -> None:
        """Let go of the job's file and run (it ended, or it is gone)."""
        if self._run is not None:
            self._run.close()
            self._run = None
        self.upload.discard()

    def abandon(self) -> None:
        """The job is gone while another thread may be importing its file: that import stops
        at its next row and lets go of the file itself (``importing.run``)."""
        self.abandoned = True

    def _finish(self, status: JobStatus, message: str, when: datetime.datetime | None = None) -> None:
        self.discard()
        self.status = status
        self.completion_message = message
        self.completion_date = when or clock.now()
        self._progress = None
        log = logger.warning if status is JobStatus.FAILED else logger.info
        log(
            "Import job %s of user pool %s ended %s (imported %d, skipped %d, failed %d): %s",
            self.job_id, self.user_pool_id, status, self.imported_users, self.skipped_users,
            self.failed_users, message,
        )

    def to_json(self) -> dict[str, Any]:
        """UserImportJobType, as the job stands."""
        return {
            "JobName": self.job_name,
            "JobId": self.job_id,
            "UserPoolId": self.user_pool_id,
            "PreSignedUrl": self.pre_signed_url,
            "CreationDate": self.creation_date,
            "StartDate": self.start_date,
            "CompletionDate": self.completion_date,
            "Status": str(self.status),
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
    row. Start, Stop, uploads and the pool guard see a job without moving it on.
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
            self.forget_pool(user_pool_id)
            raise ResourceNotFoundException(f"User pool {user_pool_id} does not exist.")
        known = self._pools.get(user_pool_id)
        if known is None or known[0] is not pool:  # a re-created pool starts with no jobs
            self.forget_pool(user_pool_id)
            known = self._pools[user_pool_id] = (pool, {})
        return known

    def job(self, user_pool_id: str, job_id: str) -> UserImportJob:
        """The job as it stands (expiry applied), without moving it on."""
        job = self._pool(user_pool_id)[1].get(job_id)
        if job is None:
            raise ResourceNotFoundException(f"Import job {job_id} does not exist.")
        job.expire_if_due()
        return job

    def forget_pool(self, user_pool_id: str, in_use: bool = False) -> None:
        """The pool was deleted: its jobs go, and their files with them (issue 12). When
        ``in_use`` (another thread holds the lock), the file of a job being advanced may be
        being read: it is left to that import, which stops at its next row."""
        known = self._pools.pop(user_pool_id, None)
        for job in known[1].values() if known else ():
            if in_use and job.advancing:
                job.abandon()  # its import ends it (and logs so)
            elif job.status.active:  # held by moto's state manager: it ends as an import would
                job._finish(JobStatus.FAILED, POOL_DELETED_MESSAGE)
            else:
                job.discard()
        if known:
            forget_signed_keys(self.account_id, user_pool_id, known[1])

    def jobs(self) -> Iterator[UserImportJob]:
        """Every job of every live pool in this account and region. The jobs of a pool that
        is gone unheard of (a reset of moto's cognito-idp backend alone) go here."""
        for pool_id, (pool, jobs) in list(self._pools.items()):  # a reset may empty it meanwhile
            if self.idp.user_pools.get(pool_id) is pool:
                yield from list(jobs.values())
            else:
                self.forget_pool(pool_id, in_use=True)  # an import may be reading one's file

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
            self, pool, new_job_id(jobs), job_name, cloud_watch_logs_role_arn, password_hashing_algorithm, url_base
        )
        jobs[job.job_id] = job
        return job

    def describe_user_import_job(self, user_pool_id: str, job_id: str) -> UserImportJob:
        """A read of the job: it moves on (``UserImportJob.advance``)."""
        job = self.job(user_pool_id, job_id)
        job.advance()
        return job

    def list_user_import_jobs(
        self, user_pool_id: str, max_results: int, pagination_token: str | None = None
    ) -> tuple[list[UserImportJob], str | None]:
        """Newest first, at most min(MaxResults, 50) jobs a page; each listed job moves on.

        Raises InvalidParameterException for a token that is not one of ours for this pool;
        ResourceNotFoundException for a missing pool first, whatever token comes with it, as the
        other operations name a missing pool before anything about the request's job.
        """
        self._pool(user_pool_id)
        if pagination_token is not None and not _readable_token(pagination_token):
            raise InvalidParameterException("The pagination token is not valid for this request.")
        try:
            jobs, token = self._page(
                user_pool_id=user_pool_id,
                max_results=min(max_results, settings.LIST_PAGE_MAX),
                pagination_token=pagination_token,
            )
        except InvalidToken:
            raise InvalidParameterException("The pagination token is not valid for this request.") from None
        for job in jobs:
            job.advance()
        return jobs, token

    @paginate(pagination_model=PAGINATION_MODEL)
    def _page(self, user_pool_id: str) -> list[UserImportJob]:
        return list(reversed(self._pool(user_pool_id)[1].values()))

    def start_user_import_job(self, user_pool_id: str, job_id: str) -> UserImportJob:
        """Raises PreconditionNotMetException unless the job is Created, has an upload, its pool
        auto-verifies an attribute and no other job in this account and region is active."""
        job = self.job(user_pool_id, job_id)
        if job.status is not JobStatus.CREATED:
            raise PreconditionNotMetException(
                f"Import job {job_id} cannot be started because its status is {job.status}."
            )
        if not job.upload.received:  # AWS's words in a real answer (aws-amplify/amplify-js#6416)
            raise PreconditionNotMetException(f"No csv file was uploaded for {job_id}")
        if not configured(job.pool.extended_config, "AutoVerifiedAttributes"):
            raise PreconditionNotMetException(cannot_start(f"User pool {user_pool_id}"))
        running = next((j for j in self.jobs() if j is not job and j.status.active), None)
        if running is not None:
            raise PreconditionNotMetException(
                f"Import job {running.job_id} is already running in this account and region; "
                "only one import job can be active at a time."
            )
        job.start()
        return job

    def stop_user_import_job(self, user_pool_id: str, job_id: str) -> UserImportJob:
        """Raises PreconditionNotMetException unless the job is Pending or InProgress."""
        job = self.job(user_pool_id, job_id)
        if not job.status.active:
            raise PreconditionNotMetException(
                f"Import job {job_id} cannot be stopped because its status is {job.status}."
            )
        job.stop()
        return job

    def get_csv_header(self, user_pool_id: str) -> list[str]:
        """The pool's columns. A pool moto stored with a member of the wrong type (a raw
        CreateUserPool can send one; Cognito would have refused it) is Cognito failing on its
        own state: InternalErrorException, logged, not an HTML 500."""
        pool, _ = self._pool(user_pool_id)
        try:
            return PoolProfile.of_moto_pool(pool).csv_header()
        except PoolDescriptionError as error:
            logger.warning("GetCSVHeader: user pool %s cannot be read: %s", user_pool_id, error)
            raise InternalErrorException("Internal server error.") from error

    def receive_upload(
        self, user_pool_id: str, job_id: str, received: Received | None, check: Callable[[str | None], None]
    ) -> bool:
        """Keep a file PUT to a job's URL, replacing any earlier one, once ``check`` of the
        ETag of the file there (None: none yet) has not raised (S3's conditional writes);
        False (nothing kept) when the job takes no file any more, or is gone. ``received``
        None only checks, before the body is read. Jobs expired unread let go of their files
        first, for a file accepted only: a refused one changes nothing."""
        try:
            job = self.job(user_pool_id, job_id)
        except ResourceNotFoundException:
            return False
        if not job.accepts_upload():
            return False
        check(job.upload.etag)
        if received is not None:
            _expire_unread_jobs()
            job.upload.store(received)
        return True

    def guard_pool_change(self, user_pool_id: str) -> None:
        """Raises UserImportInProgressException while one of the pool's jobs is running: the
        live pool's, not one gone unheard of (a reset of moto's cognito-idp backend alone),
        whose ID a new pool may have (MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY=HASH)."""
        known = self._pools.get(user_pool_id)
        if (
            known
            and known[0] is self.idp.user_pools.get(user_pool_id)
            and any(job.status.active for job in known[1].values())
        ):
            raise UserImportInProgressException(
                f"A user import job is in progress for user pool {user_pool_id}."
            )

    def reset(self) -> None:
        """moto's reset (a new ``mock_aws``, ``POST /moto-api/reset``) also deletes stored
        files, except one an import in another thread is reading: that import ends (the pool
        is gone) and lets go of it, and its Describe gets a clean answer (issue 12). moto
        resets under its own backend lock, which an import may be waiting for: no waiting
        here for the plugin's lock."""
        with LOCK.held_if_free() as free:
            for pool_id in list(self._pools):
                self.forget_pool(pool_id, in_use=not free)
            super().reset()
        forget_signed()
        # moto's reset forgets the models it tracks for its dashboard only while the plugin
        # is active (the job model is registered then): the jobs, and their pools, must go
        # whenever moto resets. (moto's metaclass sets the attribute.)
        UserImportJob.instances_tracked.clear()  # type: ignore[attr-defined]


def _expire_unread_jobs() -> None:
    """Jobs anywhere in this process that expired unread let go of their files: the memory
    kept files share (``upload.storage.MEMORY_HELD``) is the process's."""
    for accounts in list(import_backends.values()):
        for backend in list(accounts.values()):
            for job in backend.jobs():
                job.expire_if_due()


def _readable_token(token: str) -> bool:
    """Whether ``token`` has the shape of moto's paginator tokens. The paginator checks a
    token's checksum but trusts the rest: an edited token (say, without ``uniqueAttributes``)
    crashed it with a KeyError, an HTTP 500. Whatever botocore's decoder fails on is no token
    of ours either, so every failure here means "not valid". Only the token's canonical
    base64 is ours: the decoder ignores what follows the padding, so ``<token>==`` read as the
    same page."""
    try:
        parsed = TokenDecoder().decode(token)
        canonical = base64.b64encode(base64.b64decode(token)).decode() == token
    except Exception:  # noqa: BLE001  (base64, JSON or botocore's own markers: all mean "not ours")
        return False
    return canonical and isinstance(parsed, dict) and isinstance(parsed.get("uniqueAttributes"), str)


import_backends = BackendDict(UserImportBackend, "cognito-idp")


def import_backend(account_id: str, region: str) -> UserImportBackend:
    """The import backend of ``account_id`` in ``region``, under moto's backend lock: two
    threads reaching a region moto makes a backend for on demand (MOTO_ALLOW_NONEXISTENT_REGION)
    each made one (moto 5.2.5 does not look again once it has the lock), and a job created in
    the first was lost. KeyError for a region moto has no backend for."""
    with backend_lock:
        return import_backends[account_id][region]

# moto's model metaclass filed UserImportJob for its dashboard under "jobs" (the second part
# of this module's path, which it takes for a service name) when the class was defined:
# activation files it under cognito-idp instead, and deactivation takes it away
# (moto_glue.patches.REGISTRATIONS).
if model_data.get("jobs", {}).get(UserImportJob.__name__) is UserImportJob:
    del model_data["jobs"][UserImportJob.__name__]
    if not model_data["jobs"]:
        del model_data["jobs"]
