"""S3's error answers, as the upload URL gives them: an XML body and S3's request ids.

One class carries every S3 error code, unlike the cognito-idp errors (one class per code on
moto's exception base, so boto3 raises ``client.exceptions.<Name>``): these are answers of
an HTTP endpoint that no SDK's client parses into classes and that never pass through moto's
error handling.
"""

from __future__ import annotations

import base64
import re
from typing import Any
from xml.sax.saxutils import escape

from moto.core.common_types import TYPE_RESPONSE
from moto.moto_api._internal import mock_random as random

#: What XML 1.0 cannot hold, even escaped: control characters and lone surrogates. A request's
#: own values are echoed (``X-Amz-Signature=%01``): each is written as U+FFFD, so that the
#: answer stays XML any client parses. [OURS: what S3 writes there is not known.]
_XML_UNWRITABLE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class S3Error(Exception):
    """An S3 error answer: HTTP status, XML body with Code, Message and S3's extra elements."""

    def __init__(self, status: int, code: str, message: str, **details: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with every argument (``Exception`` would pass on the message alone)."""
        return _unpickle_s3_error, (self.status, self.code, self.message, self.details)

    def response(self) -> TYPE_RESPONSE:
        request_id, host_id = request_ids()
        elements = {"Code": self.code, "Message": self.message, **self.details}
        elements.update(RequestId=request_id, HostId=host_id)
        body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' + "".join(
            f"<{name}>{escape(_XML_UNWRITABLE.sub(chr(0xFFFD), value))}</{name}>" for name, value in elements.items()
        ) + "</Error>"
        headers = {"Content-Type": "application/xml", "x-amz-request-id": request_id, "x-amz-id-2": host_id}
        return self.status, headers, body  # none to a HEAD: http.wsgi_response and prepared_response leave it out


def request_ids() -> tuple[str, str]:
    """S3's ``x-amz-request-id`` (16 upper-case hex digits) and ``x-amz-id-2`` / HostId: base64
    of 56 bytes, as in S3's answers quoted in minio/minio#2638 and aws-sdk-php#1333 (moto's
    S3 sends the same form)."""
    return random.get_random_hex(16).upper(), base64.b64encode(random.randbytes(56)).decode()


def _unpickle_s3_error(status: int, code: str, message: str, details: dict[str, str]) -> S3Error:
    return S3Error(status, code, message, **details)
