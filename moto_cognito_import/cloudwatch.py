"""Per-row results written to moto's CloudWatch Logs backend, as Cognito writes them."""

from __future__ import annotations

import time

from moto.logs.exceptions import ResourceAlreadyExistsException
from moto.logs.models import logs_backends

_BATCH = 10_000  # PutLogEvents' maximum number of events per call


def log_message(status: str, line_number: int, reason: str) -> str:
    """One row's log text, ``[STATUS] Line Number N - reason``; the offline checker prints the same."""
    return f"[{status}] Line Number {line_number} - {reason}"


def log_group_name(user_pool_id: str, user_pool_name: str) -> str:
    """``/aws/cognito/userpools/<poolId>/<poolName>`` (developer guide, "Viewing the results")."""
    return f"/aws/cognito/userpools/{user_pool_id}/{user_pool_name}"


class JobLog:
    """The log stream ``<jobId>/<jobName>`` of one job: one event per data row, no user data."""

    def __init__(self, account_id: str, region: str, group: str, stream: str):
        self.backend = logs_backends[account_id][region]
        self.group = group
        self.stream = stream
        self.pending: list[dict[str, object]] = []
        try:
            self.backend.create_log_group(group, tags={})
        except ResourceAlreadyExistsException:
            pass  # an earlier job of the same pool created it
        self.backend.create_log_stream(group, stream)

    def row(self, status: str, line_number: int, reason: str) -> None:
        """Queue ``[STATUS] Line Number N - reason``; flushed in PutLogEvents-sized batches."""
        # time.time() is moto's unix_time_millis() / 1000 (both follow freezegun) at a
        # twentieth of the cost, which mattered: once per row, it was 20% of a big import.
        self.pending.append({"timestamp": int(time.time() * 1000), "message": log_message(status, line_number, reason)})
        if len(self.pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.backend.put_log_events(self.group, self.stream, self.pending)
            self.pending = []
