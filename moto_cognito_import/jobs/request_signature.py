"""The credential scope of a request's SigV4 ``Authorization`` header, read before anything else.

moto verifies no signature, and neither does the plugin: any key, date and signature pass, as
under moto. But moto's server routes a request by the header's credential scope: a header it
cannot parse was an HTML 500 (``AWS4-HMAC-SHA256`` alone, ``garbage``), and one scoped to
another service, or in SigV2 form, went to moto's S3 (``ListAllMyBucketsResult`` for
DescribeUserImportJob). AWS reads the header before the operation or its body and answers
HTTP 400 in its own words, captured from Coral services:

- ``IncompleteSignatureException`` for a header without a credential, listing what it lacks
  (API Gateway's captures in aws-amplify/amplify-flutter#1539, nordcloud/cognitocurl#15:
  "Authorization header requires 'Credential' parameter. ... Authorization=<header>"), a
  part without ``=`` (iann0036/cloud9-sync#10: "'<part>' not a valid key=value pair (missing
  equal-sign) in Authorization header: '<header>'."), or a credential that is not five parts
  (Resource Groups Tagging API, prometheus-community/yet-another-cloudwatch-exporter#169);
- ``InvalidSignatureException`` "Credential should be scoped to correct service:
  'cognito-idp'. " (SageMaker, disneystreaming/smithy4s#1568; EMR, aws/aws-sdk-ruby#431).

Only what routing needs is required [OURS]: a header with a credential scope passes without
``Signature``, ``SignedHeaders`` or ``X-Amz-Date``, which moto never reads (hand-made clients
send such headers to moto's server to name the service). A request without an
``Authorization`` header, or with an empty one, goes on unsigned, as moto takes it.
"""

from __future__ import annotations

import re
from typing import Any

from ..exceptions import IncompleteSignatureException, InvalidSignatureException
from ..upload.signing import header

#: The signing name of cognito-idp, the service a credential must be scoped to.
SERVICE = "cognito-idp"
_ALGORITHM = "AWS4-HMAC-SHA256"
_PARAMETERS = ("Credential", "Signature", "SignedHeaders")  # in the order AWS names them


def check(headers: Any) -> None:
    """Raise AWS's error for a request whose ``Authorization`` header names no credential
    scope of cognito-idp; return for one that does, or for none. ``headers``: any mapping of
    the request's headers."""
    value = (header(headers, "authorization") or "").strip()
    if not value:
        return
    algorithm, _, rest = value.partition(" ")
    # Parts are separated by commas and white space: "Credential= <scope>" is two parts, the
    # second without "=" (the cloud9-sync#10 capture).
    parts = [part for part in re.split(r"[\s,]+", rest) if part] if algorithm == _ALGORITHM else []
    for part in parts:
        if "=" not in part:
            raise IncompleteSignatureException(
                f"'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: '{value}'."
            )
    parameters = dict(part.split("=", 1) for part in parts)
    credential = parameters.get("Credential")
    if not credential:
        missing = [
            f"Authorization header requires '{name}' parameter." for name in _PARAMETERS if not parameters.get(name)
        ]
        raise IncompleteSignatureException(" ".join([*missing, f"Authorization={value}"]))
    scope = credential.split("/")
    if len(scope) != 5:
        raise IncompleteSignatureException(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
            f"got '{credential}'"
        )
    if scope[3] != SERVICE:
        raise InvalidSignatureException(f"Credential should be scoped to correct service: '{SERVICE}'. ")
