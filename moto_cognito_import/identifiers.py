"""Pool and job IDs: the service model's patterns for them, and how a job ID is made."""

from __future__ import annotations

from collections.abc import Container

from moto.moto_api._internal import mock_random as random

#: UserPoolIdType's and UserImportJobIdType's patterns in botocore's cognito-idp model; also
#: the shape of the upload URL's path (upload.http).
USER_POOL_ID_PATTERN = r"[\w-]+_[0-9a-zA-Z]+"
JOB_ID_PATTERN = r"import-[0-9a-zA-Z-]+"


def new_job_id(taken: Container[str]) -> str:
    """``import-`` and 10 letters and digits, as real job IDs (``import-qQ0DCt2fRh``); moto's
    seedable random (``POST /moto-api/seed``) chooses them, never one of ``taken`` (the pool's
    jobs'): the random repeats itself after a re-seed, and AWS never gives two jobs one ID."""
    while (job_id := "import-" + random.get_random_string(length=10)) in taken:
        pass
    return job_id
