"""The CloudWatch Logs role check made when a job starts running (spec section 7)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from moto.iam.models import iam_backends

from .settings import CHECK_ROLE_ENV

SERVICE_PRINCIPAL = "cognito-idp.amazonaws.com"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _trusts_cognito(document: str) -> bool:
    try:
        policy = json.loads(document)
    except ValueError:
        policy = json.loads(unquote(document))
    for statement in _as_list(policy.get("Statement", [])):
        if statement.get("Effect") != "Allow":
            continue
        actions = _as_list(statement.get("Action", []))
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        principal = statement.get("Principal", {})
        services = _as_list(principal.get("Service", [])) if isinstance(principal, dict) else []
        if principal == "*" or SERVICE_PRINCIPAL in services:
            return True
    return False


def role_problem(account_id: str, role_arn: str) -> str | None:
    """Return why Cognito could not assume ``role_arn`` in moto's IAM, or None if it can.

    [OURS] AWS only reports this as a failed job ("The Amazon CloudWatch Logs role cannot be
    assumed ... or has been deleted"); the messages are one sentence each.
    """
    parts = role_arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return f"The CloudWatch Logs role {role_arn} is not an IAM role ARN."
    if parts[4] != account_id:
        return f"The CloudWatch Logs role {role_arn} is not in account {account_id}."
    role = next((r for r in iam_backends[account_id]["global"].get_roles() if r.arn == role_arn), None)
    if role is None:
        return (
            f"The CloudWatch Logs role {role_arn} does not exist "
            f"(set {CHECK_ROLE_ENV}=false to skip this check)."
        )
    if not _trusts_cognito(role.assume_role_policy_document):
        return (
            f"The CloudWatch Logs role {role_arn} cannot be assumed: its trust policy "
            f"does not allow {SERVICE_PRINCIPAL}."
        )
    return None
