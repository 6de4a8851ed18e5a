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

from moto.core.responses import BaseResponse

from ..exceptions import NOT_A_REGION, IncompleteSignatureException, InvalidSignatureException
from ..upload.signing import authorization, header

#: The signing name of cognito-idp, the service a credential must be scoped to.
SERVICE = "cognito-idp"
_ALGORITHM = "AWS4-HMAC-SHA256"
_PARAMETERS = ("Credential", "Signature", "SignedHeaders")  # in the order AWS names them


def check(headers: Any) -> str | None:
    """Raise AWS's error for a request whose ``Authorization`` header names no credential
    scope of cognito-idp; for one that does, return the header as moto's server reads it
    (``Credential`` first: moto reads the first parameter, and answered an HTML 500 for
    ``SignedHeaders=..., Credential=...``; of two credentials, the first, as moto takes the
    access key from); None for none. ``headers``: any mapping of the request's headers."""
    value = authorization(headers)
    if not value:
        return None
    algorithm, *rest = re.split(r"\s", value, maxsplit=1)
    # Parts are separated by commas and white space: "Credential= <scope>" is two parts, the
    # second without "=" (the cloud9-sync#10 capture).
    parts = [part for part in re.split(r"[\s,]+", rest[0] if rest else "") if part] if algorithm == _ALGORITHM else []
    parameters: dict[str, str] = {}
    for part in parts:
        if "=" not in part:
            raise IncompleteSignatureException(
                f"'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: '{value}'."
            )
        parameters.setdefault(*part.split("=", 1))
    credential = parameters.get("Credential")
    if not credential:
        missing = [
            f"Authorization header requires '{name}' parameter." for name in _PARAMETERS if not parameters.get(name)
        ]
        if header(headers, "x-amz-date") is None and header(headers, "date") is None:
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        raise IncompleteSignatureException(" ".join([*missing, f"Authorization={value}"]))
    scope = credential.split("/")
    if len(scope) != 5:
        raise IncompleteSignatureException(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
            f"got '{credential}'"
        )
    if scope[3] != SERVICE:
        raise InvalidSignatureException(f"Credential should be scoped to correct service: '{SERVICE}'. ")
    if not scope[2]:  # moto's server failed on it (an HTML 500)
        raise InvalidSignatureException(NOT_A_REGION.format(scope[2]))
    ordered = {"Credential": credential, **parameters}  # the key keeps its first place
    return f"{_ALGORITHM} " + ", ".join(f"{name}={setting}" for name, setting in ordered.items())


def check_region(authorization: str | None, url: str) -> None:
    """Raise AWS's error when ``authorization`` (``check``'s answer) is scoped to a region other
    than the one the host of ``url`` names: AWS refuses a scope that is not its endpoint's
    (aws/aws-sdk-java#1097), while moto (under ``mock_aws``, and behind such a host) serves the
    host's region whatever the scope says. A host that names no region (a server's own
    address) has none to disagree with: moto's server serves the region a ``region/<name>``
    marker in the User-Agent names (moto's TEST_SERVER_MODE adds one to every client), else
    the scope's, and the six are served in the region moto's own operations are."""
    endpoint = BaseResponse.region_regex.search(url)
    if authorization is not None and endpoint is not None and (scoped := scope_region(authorization)) != endpoint[1]:
        raise InvalidSignatureException(NOT_A_REGION.format(scoped))


def scope_region(authorization: str) -> str:
    """The region of ``authorization``'s credential scope (``check``'s answer:
    ``<algorithm> Credential=key/date/region/service/term, ...``)."""
    return authorization.split("/")[2]
