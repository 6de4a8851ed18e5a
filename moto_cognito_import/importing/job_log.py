"""Per-row results written to moto's CloudWatch Logs backend, as Cognito writes them.

Logging never costs a user or a count (issue 12): a log group the user deleted meanwhile, a
stream that already exists, or any other trouble with moto's Logs backend is reported once
through Python's ``logging`` and the import goes on; the events that could not be written
are dropped, as CloudWatch would drop them.
"""

from __future__ import annotations

import contextlib
import logging
import time

from moto.logs.exceptions import ResourceAlreadyExistsException
from moto.logs.models import LogsBackend, logs_backends

from ..statuses import RowStatus

logger = logging.getLogger(__name__)

_BATCH = 10_000  # PutLogEvents' maximum number of events per call


def log_message(status: RowStatus, line_number: int, reason: str) -> str:
    """One row's log text, ``[STATUS] Line Number N - reason``; the offline checker prints the same."""
    return f"[{status}] Line Number {line_number} - {reason}"


def log_group_name(user_pool_id: str, user_pool_name: str) -> str:
    """``/aws/cognito/userpools/<poolId>/<poolName>`` (developer guide, "Viewing the results")."""
    return f"/aws/cognito/userpools/{user_pool_id}/{user_pool_name}"


class JobLog:
    """The log stream ``<jobId>/<jobName>`` of one job: one event per data row, no user data."""

    def __init__(self, account_id: str, region: str, group: str, stream: str):
        self.group = group
        self.stream = stream
        self.pending: list[dict[str, object]] = []
        self.backend: LogsBackend | None = None
        try:
            backend = logs_backends[account_id][region]
            self._create(backend)
        except Exception as error:  # noqa: BLE001  (reported: see _trouble)
            _trouble("Cannot create the log stream of import job %s (%r); its rows are not logged", stream, error)
        else:
            self.backend = backend

    def _create(self, backend: LogsBackend) -> None:
        # An earlier job of the pool made the group; a user may have made the stream.
        with contextlib.suppress(ResourceAlreadyExistsException):
            backend.create_log_group(self.group, tags={})
        with contextlib.suppress(ResourceAlreadyExistsException):
            backend.create_log_stream(self.group, self.stream)

    def row(self, status: RowStatus, line_number: int, reason: str) -> None:
        """Queue ``[STATUS] Line Number N - reason``; flushed in PutLogEvents-sized batches."""
        if self.backend is None:
            return
        # time.time() is moto's unix_time_millis() / 1000 (both follow freezegun) at a
        # twentieth of the cost, which mattered: once per row, it was 20% of a big import.
        self.pending.append({"timestamp": int(time.time() * 1000), "message": log_message(status, line_number, reason)})
        if len(self.pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the queued events. On failure (the group deleted meanwhile, say), log it once
        and write nothing more for this job."""
        if self.backend is None or not self.pending:
            return
        events, self.pending = self.pending, []
        try:
            self.backend.put_log_events(self.group, self.stream, events)
        except Exception as error:  # noqa: BLE001  (reported: see _trouble)
            _trouble(
                "Cannot write the log of import job %s (%r); its remaining rows are not logged", self.stream, error
            )
            self.backend = None


def _trouble(message: str, stream: str, error: Exception) -> None:
    """Report trouble with moto's Logs once, naming the error (no traceback: it is no bug of
    the import), and go on without the log. Seen: a deleted group (moto's JSON error), a
    region moto's Logs lacks (KeyError), a subscription filter whose Firehose bucket is gone
    (S3's error), moto's clock arithmetic overflowing in year 9999. On AWS a broken
    subscription never touches the writer: here it must never cost a user or a count."""
    logger.warning(message, stream, error)
