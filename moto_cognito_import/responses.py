"""HTTP layer of the six operations: validate the request, call the backend, serialise.

``ImportJobResponses`` is a mixin whose methods ``install()`` copies onto moto's
``CognitoIdpResponse``; moto dispatches ``X-Amz-Target`` to them by name. Every action runs
under the plugin's lock already (``_install._serialised`` wraps moto's ``call_action``,
serialisation included), so these methods take none.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionContext, ActionResult, BaseResponse

from .models import UserImportBackend, import_backends
from .validation import parse_request


def _url_base(uri: str) -> str | None:
    """None for AWS hosts (decorator/proxy mode); else the server's ``scheme://host:port``."""
    parts = urlsplit(uri)
    if (parts.hostname or "").endswith(("amazonaws.com", "amazonaws.com.cn")):
        return None
    return f"{parts.scheme}://{parts.netloc}"


_ALGORITHM = "PasswordHashingAlgorithm"


class JobResult(ActionResult):
    """A job response that echoes PasswordHashingAlgorithm whatever botocore is installed.

    moto serialises from the installed botocore model and drops members it lacks; botocore
    before 1.44 has no PasswordHashingAlgorithm, yet clients built on a newer model (other
    SDKs, raw HTTP) send it and read it back (spec section 2).
    """

    def execute_result(self, context: ActionContext) -> TYPE_RESPONSE:
        status, headers, body = super().execute_result(context)
        job_shape = context.service_model.shape_for("UserImportJobType")
        if status != 200 or _ALGORITHM in job_shape.members:  # type: ignore[attr-defined]
            return status, headers, body
        result: dict[str, Any] = self.result  # type: ignore[assignment]
        document = json.loads(body)
        single = "UserImportJob" in result
        sent = [document["UserImportJob"]] if single else document.get("UserImportJobs", [])
        jobs = [result["UserImportJob"]] if single else result["UserImportJobs"]
        for out, job in zip(sent, jobs):
            if job.get(_ALGORITHM):
                out[_ALGORITHM] = job[_ALGORITHM]
        return status, headers, json.dumps(document)


class ImportJobResponses(BaseResponse):
    """The six user-import actions of cognito-idp."""

    @property
    def import_backend(self) -> UserImportBackend:
        return import_backends[self.current_account][self.region]

    def _params(self, operation: str) -> dict[str, Any]:
        return parse_request(operation, self.body)

    def create_user_import_job(self) -> ActionResult:
        params = self._params("CreateUserImportJob")
        job = self.import_backend.create_user_import_job(
            job_name=params["JobName"],
            user_pool_id=params["UserPoolId"],
            cloud_watch_logs_role_arn=params["CloudWatchLogsRoleArn"],
            password_hashing_algorithm=params.get("PasswordHashingAlgorithm"),
            url_base=_url_base(self.uri),
        )
        return JobResult({"UserImportJob": job.to_json()})

    def _job_action(self, operation: str, action: str, refresh: bool = True) -> ActionResult:
        """Describe/Start/Stop: ``{UserPoolId, JobId}`` in, ``{UserImportJob}`` out."""
        params = self._params(operation)
        job = getattr(self.import_backend, action)(params["UserPoolId"], params["JobId"])
        return JobResult({"UserImportJob": job.to_json(refresh=refresh)})

    def describe_user_import_job(self) -> ActionResult:
        return self._job_action("DescribeUserImportJob", "describe_user_import_job")

    def list_user_import_jobs(self) -> ActionResult:
        params = self._params("ListUserImportJobs")
        jobs, token = self.import_backend.list_user_import_jobs(
            user_pool_id=params["UserPoolId"],
            max_results=params["MaxResults"],
            pagination_token=params.get("PaginationToken"),
        )
        return JobResult({"UserImportJobs": [job.to_json() for job in jobs], "PaginationToken": token})

    def start_user_import_job(self) -> ActionResult:
        # Start answers Pending even when the state manager would finish the job on a read.
        return self._job_action("StartUserImportJob", "start_user_import_job", refresh=False)

    def stop_user_import_job(self) -> ActionResult:
        return self._job_action("StopUserImportJob", "stop_user_import_job")

    def get_csv_header(self) -> ActionResult:
        params = self._params("GetCSVHeader")
        header = self.import_backend.get_csv_header(params["UserPoolId"])
        return ActionResult({"UserPoolId": params["UserPoolId"], "CSVHeader": header})


ACTIONS = (
    "create_user_import_job",
    "describe_user_import_job",
    "list_user_import_jobs",
    "start_user_import_job",
    "stop_user_import_job",
    "get_csv_header",
)
