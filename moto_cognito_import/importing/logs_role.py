"""The CloudWatch Logs role check made when a job starts running (README: "Role check at Start")."""

from __future__ import annotations

import fnmatch
import json
import logging
from typing import Any
from urllib.parse import unquote

from moto.iam.exceptions import NotFoundException
from moto.iam.models import iam_backends
from moto.utilities.utils import get_partition

from ..settings import CHECK_ROLE_ENV

logger = logging.getLogger(__name__)

SERVICE_PRINCIPAL = "cognito-idp.amazonaws.com"

#: The trust policy AWS documents for the import job's CloudWatch Logs role.
LOGS_ROLE_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": SERVICE_PRINCIPAL}, "Action": "sts:AssumeRole"}],
}


def logs_role_permissions(region: str, account_id: str) -> dict[str, Any]:
    """The permissions policy AWS documents for the CloudWatch Logs role, in the region's
    partition (``arn:aws-cn:logs:cn-north-1:...``)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents",
                ],
                "Resource": [f"arn:{get_partition(region)}:logs:{region}:{account_id}:log-group:/aws/cognito/*"],
            }
        ],
    }

# [OURS] AWS only describes this failure ("The Amazon CloudWatch Logs role cannot be assumed,
# doesn't have the correct access policy, or has been deleted"). One sentence each, within
# CompletionMessage's 128 characters, so they name the problem but not the (long) ARN.
NOT_A_ROLE = "The CloudWatch Logs role ARN is not the ARN of an IAM role."
OTHER_ACCOUNT = "The CloudWatch Logs role must be in the user pool's account."
# Server-mode users cannot change the server's environment: the HTTP setting is named too.
NO_SUCH_ROLE = (
    f"The CloudWatch Logs role does not exist (skip the check: {CHECK_ROLE_ENV}=false or the check_role setting)."
)
NOT_TRUSTED = f"The CloudWatch Logs role cannot be assumed: its trust policy does not allow {SERVICE_PRINCIPAL}."


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _trusts_cognito(document: str) -> bool:
    """True when a trust policy lets Cognito's service principal call sts:AssumeRole: an Allow
    statement matches and no Deny does (IAM's evaluation logic: an explicit Deny wins)."""
    try:
        policy = json.loads(document)
    except ValueError:
        try:
            policy = json.loads(unquote(document))  # moto may keep the URL-encoded form
        except ValueError:
            logger.warning("Trust policy is not JSON; Cognito could not assume the role")
            return False
    statements = policy.get("Statement", []) if isinstance(policy, dict) else []
    matching = [s for s in _as_list(statements) if isinstance(s, dict) and _lets_cognito_assume(s)]
    # A Deny with a Condition is not evaluated (the request context it reads is AWS's): it is
    # taken not to apply, as a condition on an Allow is taken to hold.
    if any(s.get("Effect") == "Deny" and not s.get("Condition") for s in matching):
        return False
    return any(s.get("Effect") == "Allow" for s in matching)


def _lets_cognito_assume(statement: dict[str, Any]) -> bool:
    """Whether a statement is about Cognito calling sts:AssumeRole. IAM's policy reference:
    action names are case-insensitive and take ``*`` and ``?`` wildcards, ``NotAction`` matches
    every other action, and ``"Principal": {"AWS": "*"}`` is the same as ``"Principal": "*"``."""
    if "NotAction" in statement:
        if any(_action_matches(a) for a in _as_list(statement["NotAction"])):
            return False
    elif not any(_action_matches(a) for a in _as_list(statement.get("Action", []))):
        return False
    principal = statement.get("Principal", {})
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    return "*" in _as_list(principal.get("AWS", [])) or SERVICE_PRINCIPAL in _as_list(principal.get("Service", []))


def _action_matches(pattern: Any) -> bool:
    return isinstance(pattern, str) and fnmatch.fnmatchcase("sts:assumerole", pattern.lower().replace("[", "[[]"))


def role_problem(account_id: str, role_arn: str) -> str | None:
    """Return why Cognito could not assume ``role_arn`` in moto's IAM, or None if it can.

    [OURS] The role must be in the job's account (IAM's PassRole only passes roles of one's
    own account) and exist in moto's IAM, and its trust policy must let
    ``cognito-idp.amazonaws.com`` assume it. Its permissions are not checked.
    """
    parts = role_arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return NOT_A_ROLE
    if parts[4] != account_id:
        return OTHER_ACCOUNT
    try:
        role = iam_backends[account_id][parts[1]].get_role_by_arn(role_arn)
    except (KeyError, NotFoundException):  # KeyError: not a partition moto knows
        return NO_SUCH_ROLE
    if not _trusts_cognito(role.assume_role_policy_document):
        return NOT_TRUSTED
    return None
