"""S3's conditional writes at the upload URL: ``If-None-Match: *`` and ``If-Match: <ETag>``.

The URL signs only ``host`` and the encryption header, so a client may add these headers,
and S3 evaluates them on PutObject (S3 User Guide, "How to prevent object overwrites with
conditional writes"): a client that guards its upload with ``If-None-Match: *`` must not
silently replace the file an earlier PUT left, which Start would then import instead.

- ``If-None-Match: *`` with a file already there: 412 PreconditionFailed; any other value:
  501 NotImplemented (S3 honours only ``*`` on writes; aws/aws-sdk-ruby#3144 quotes the answer).
- ``If-Match`` naming another ETag: 412 PreconditionFailed; with no file yet: 404 NoSuchKey
  (as moto's own S3 answers it). ETags compare with or without their quotes, as moto's S3.
- A condition that held when the request came but not when its file is kept (another PUT
  finished first): 409 ConditionalRequestConflict, S3's answer to a conflicting operation
  during the upload (PutObject, API reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .s3_errors import S3Error
from .signing import header

_PRECONDITION = "At least one of the pre-conditions you specified did not hold"


@dataclass(frozen=True)
class Conditions:
    """The conditions a PUT carries, for the object ``key`` (``<account>/<pool>/<job>``)."""

    key: str
    if_match: frozenset[str] | None = None  # ETags without quotes; "*" for any file
    if_none_match: bool = False

    @classmethod
    def of(cls, headers: Any, key: str) -> Conditions:
        """Read the request's conditions; S3's 501 for an ``If-None-Match`` other than ``*``."""
        none_match = header(headers, "if-none-match")
        if none_match is not None and none_match.strip() != "*":
            raise S3Error(
                501, "NotImplemented", "A header you provided implies functionality that is not implemented",
                Header="If-None-Match",
            )
        match = header(headers, "if-match")
        etags = None if match is None else frozenset(_bare(etag) for etag in match.split(","))
        return cls(key, etags, none_match is not None)

    @property
    def any(self) -> bool:
        return self.if_match is not None or self.if_none_match

    def check(self, etag: str | None) -> None:
        """Raise S3's error unless the conditions hold for the file whose ETag is ``etag``
        (None: no file yet), as S3 checks them when the request comes."""
        if self.if_match is not None:
            if etag is None:
                raise S3Error(404, "NoSuchKey", "The specified key does not exist.", Key=self.key)
            if "*" not in self.if_match and _bare(etag) not in self.if_match:
                raise S3Error(412, "PreconditionFailed", _PRECONDITION, Condition="If-Match")
        if self.if_none_match and etag is not None:
            raise S3Error(412, "PreconditionFailed", _PRECONDITION, Condition="If-None-Match")

    def recheck(self, etag: str | None) -> None:
        """Check again as the file is kept: a change since the request came is S3's 409."""
        try:
            self.check(etag)
        except S3Error:
            raise S3Error(
                409, "ConditionalRequestConflict",
                "The conditional request cannot succeed due to a conflicting operation against this resource.",
            ) from None


def _bare(etag: str) -> str:
    return etag.strip().strip('"')
