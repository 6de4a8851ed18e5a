"""The CloudWatch Logs role check made when a job starts running (README: "Role check at Start")."""

from __future__ import annotations

import fnmatch
import json
import logging
from collections.abc import Callable
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


#: What the import does in CloudWatch Logs, which AWS's permissions policy for the role allows:
#: (action, whether its resource is the log stream rather than the log group).
LOGS_ACTIONS = (
    ("logs:CreateLogGroup", False),
    ("logs:CreateLogStream", True),
    ("logs:DescribeLogStreams", False),
    ("logs:PutLogEvents", True),
)


def logs_role_permissions(region: str, account_id: str) -> dict[str, Any]:
    """The permissions policy AWS documents for the CloudWatch Logs role, in the region's
    partition (``arn:aws-cn:logs:cn-north-1:...``)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [action for action, _ in LOGS_ACTIONS],
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
NO_ACCESS = "The CloudWatch Logs role does not have the correct access policy: it does not allow {} on the job's log."


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(document: Any, what: str) -> list[dict[str, Any]]:
    """A policy document's statements; none when it is not JSON. moto keeps a document as
    given: JSON text, URL-encoded JSON, or (a CloudFormation role's inline policies) a dict."""
    policy = document
    if isinstance(document, str):
        try:
            policy = json.loads(document)
        except ValueError:
            try:
                policy = json.loads(unquote(document))
            except ValueError:
                logger.warning("A %s of the CloudWatch Logs role is not JSON: it allows nothing", what)
                return []
    statements = policy.get("Statement", []) if isinstance(policy, dict) else []
    return [s for s in _as_list(statements) if isinstance(s, dict)]


def _allowed(matching: list[dict[str, Any]]) -> bool:
    """IAM's evaluation logic over the statements that match a request: an Allow matches and
    no Deny does (an explicit Deny wins). A Deny with a Condition is not evaluated (the
    request context it reads is AWS's): it is taken not to apply, as a condition on an Allow
    is taken to hold."""
    if any(s.get("Effect") == "Deny" and not s.get("Condition") for s in matching):
        return False
    return any(s.get("Effect") == "Allow" for s in matching)


def _trusts_cognito(document: str) -> bool:
    """True when a trust policy lets Cognito's service principal call sts:AssumeRole."""
    return _allowed([s for s in _statements(document, "trust policy") if _lets_cognito_assume(s)])


def _lets_cognito_assume(statement: dict[str, Any]) -> bool:
    """Whether a statement is about Cognito calling sts:AssumeRole. IAM's policy reference:
    action names are case-insensitive and take ``*`` and ``?`` wildcards, ``NotAction`` matches
    every other action, and ``"Principal": {"AWS": "*"}`` is the same as ``"Principal": "*"``."""
    if not _about(statement, "sts:AssumeRole"):
        return False
    principal = statement.get("Principal", {})
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    return "*" in _as_list(principal.get("AWS", [])) or SERVICE_PRINCIPAL in _as_list(principal.get("Service", []))


def _about(statement: dict[str, Any], action: str) -> bool:
    """Whether a statement's ``Action`` (or ``NotAction``) covers ``action``: IAM's action
    names are case-insensitive."""
    return _covers(statement, "Action", action.lower(), str.lower)


def _on(statement: dict[str, Any], resource: str) -> bool:
    """Whether a statement's ``Resource`` (or ``NotResource``) covers ``resource``,
    case-sensitively (a policy variable, ``${aws:...}``, is read as written: not evaluated)."""
    return _covers(statement, "Resource", resource, str)


def _covers(statement: dict[str, Any], element: str, value: str, fold: Callable[[str], str]) -> bool:
    """Whether a statement's ``element`` (or its ``Not`` form, which covers every value its
    patterns do not) covers ``value``; patterns take IAM's ``*`` and ``?`` wildcards and are
    folded as the value was."""
    negated = "Not" + element in statement
    patterns = _as_list(statement["Not" + element] if negated else statement.get(element, []))
    return negated != any(fnmatch.fnmatchcase(value, fold(str(p)).replace("[", "[[]")) for p in patterns)


def _permissions(role: Any) -> list[dict[str, Any]]:
    """The statements of a role's inline policies and the default versions of its managed
    ones (moto's ``Role.policies`` and ``Role.managed_policies``)."""
    documents = [("inline policy", document) for document in role.policies.values()]
    for policy in role.managed_policies.values():
        # By its ID: moto's SetDefaultPolicyVersion of the default version unflags it.
        default = policy.default_version_id
        documents += [("managed policy", v.document) for v in policy.versions if v.version_id == default]
    return [statement for what, document in documents for statement in _statements(document, what)]


def _missing_access(role: Any, region: str, log_group: str, log_stream: str) -> str | None:
    """The first action of ``LOGS_ACTIONS`` the role's policies do not allow on the job's log
    stream, or None. IAM evaluates a log group's actions against the group's ARN with an
    empty stream, ``...:log-group:<group>:log-stream:`` (as AWS's AccessDenied messages for
    logs:CreateLogGroup and logs:DescribeLogStreams name the resource), which ``<group>:*``
    covers and the bare group ARN does not."""
    group = f"arn:{get_partition(region)}:logs:{region}:{role.account_id}:log-group:{log_group}:log-stream:"
    statements = _permissions(role)
    for action, on_stream in LOGS_ACTIONS:
        resource = group + log_stream if on_stream else group
        if not _allowed([s for s in statements if _about(s, action) and _on(s, resource)]):
            return action
    return None


def role_problem(account_id: str, role_arn: str, region: str, log_group: str, log_stream: str) -> str | None:
    """Return why Cognito could not log a job through ``role_arn`` in moto's IAM, or None.

    The guide ("Viewing the results"): the job fails when the role "cannot be assumed, doesn't
    have the correct access policy, or has been deleted". [OURS] The role must be in the job's
    account (IAM's PassRole only passes roles of one's own account) and exist in moto's IAM,
    its trust policy must let ``cognito-idp.amazonaws.com`` assume it, and its policies must
    allow the four actions of AWS's documented permissions policy on the job's log group
    and stream (a permissions boundary, an SCP or a Condition is not evaluated).
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
    missing = _missing_access(role, region, log_group, log_stream)
    if missing is None:
        return None
    # The message has no room for it within CompletionMessage's 128 characters: say it here.
    logger.warning("Skip the CloudWatch Logs role check: %s=false or the check_role setting", CHECK_ROLE_ENV)
    return NO_ACCESS.format(missing)
