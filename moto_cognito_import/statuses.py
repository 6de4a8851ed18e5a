"""The two vocabularies of an import: a job's Status and a row's outcome in the job's log."""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    """UserImportJobType.Status (botocore's UserImportJobStatusType)."""

    CREATED = "Created"
    PENDING = "Pending"
    IN_PROGRESS = "InProgress"
    STOPPING = "Stopping"
    STOPPED = "Stopped"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    EXPIRED = "Expired"

    @property
    def active(self) -> bool:
        """Started and not yet ended: the job blocks other Starts and changes to its pool."""
        return self in (JobStatus.PENDING, JobStatus.IN_PROGRESS)


class RowStatus(StrEnum):
    """How one data row ended, as the job's CloudWatch log line starts: ``[SUCCEEDED] ...``."""

    SUCCEEDED = "SUCCEEDED"
    SKIPPED = "SKIPPED"
    FAILED = "FAILED"
