"""Normalising responses and comparing them with the committed snapshot files.

A snapshot file (``snapshots/<test name>.json``) holds, for one test, every response the test
chose to observe, normalised so that runs against different targets and at different times
give the same document:

- IDs the target made up (JobId, UserPoolId, ClientId, ``sub``) become numbered placeholders
  in order of first appearance (``<job-id>``, ``<job-id-2>``, ...), wherever they appear:
  in fields, in ARNs, in messages, in the upload URL's path; only an ID of the form AWS gives
  it (``_ID_FORMS``) is replaced, so a malformed one shows up in the diff;
- the account ID, the region, the run's resource-name prefix and the upload bucket of the
  target's region (as the fake names it: another name stays, to show in the diff) become
  ``<account-id>``, ``<region>``, ``mci-conformance-<run>`` and
  ``aws-cognito-idp-user-import-<airport>`` (``targets.target_normaliser``);
- dates become ``<timestamp>`` (``<timestamp out of order>`` where one comes before a date it
  follows, ``_DATE_ORDERS``, or before 2000: a wrong date shows up in the diff), JWTs ``<jwt>``, request IDs ``<request-id>``, pagination tokens
  ``<pagination-token>``; ``ResponseMetadata`` keeps only the status code and request ID;
- the pre-signed URL becomes ``{"bucket", "key", "query", "origin"}`` (virtual-host style on
  AWS and under mock_aws, path style on a server: the same object either way), with the
  signature, date, access key and session token replaced only if they have the expected form,
  and the scheme and host ``<expected>`` only if they are the target's (``Normaliser.upload_origin``:
  S3's regional virtual host, or the server's own), so a malformed one shows up in the diff;
- lists whose order carries no meaning (user attributes, ListUsers' users) are sorted;
- what botocore's parsing hides of the wire (``wire_problems``: a date that is no JSON number,
  an error body with more than ``__type`` and ``message``, a member of an answer that the
  operation's output shape does not have) is added as ``WireProblems``; a target that sends
  AWS's JSON 1.1 adds nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from xml.etree import ElementTree

import requests
from botocore.exceptions import ClientError

SNAPSHOT_DIR = Path(__file__).parent / "snapshots"
RECORDABLE = ("server", "aws")  # mock_aws replays: it shares the process with the test

_JWT = re.compile(r"\beyJ[\w-]*(?:\.[\w-]*){2,}")  # JWS (3 parts) and JWE (5 parts)
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_ISO_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
#: Signing values inside free text, and what replaces them.
_SIGNING_TEXT = (
    (re.compile(r"(X-Amz-Signature=)[0-9a-f]{64}"), r"\1<signature>"),
    (re.compile(r"(X-Amz-Date=)\d{8}T\d{6}Z"), r"\1<amz-date>"),
    (re.compile(r"(X-Amz-Credential=)[^&\s\"']+"), r"\1<credential>"),
    (re.compile(r"(X-Amz-Security-Token=)[^&\s\"']+"), r"\1<security-token>"),
    (re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"), "<access-key-id>"),
)
_VIRTUAL_HOST = re.compile(r"(?P<bucket>[a-z0-9.-]+)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com")
#: Keys whose values are IDs the target made up: (placeholder kind).
_ID_KEYS = {"JobId": "job-id", "UserPoolId": "pool-id", "ClientId": "client-id"}
#: The form of each kind of ID, from botocore's model (UserImportJobIdType, UserPoolIdType,
#: ClientIdType; a pool's ID is moto's own, longer than AWS's 9 characters after the region)
#: and AWS's (a user's ``sub`` is a UUID).
_ID_FORMS = {
    "job-id": re.compile(r"import-[0-9a-zA-Z-]{10}"),
    "pool-id": re.compile(r"[\w-]+_[0-9a-zA-Z]+"),
    "client-id": re.compile(r"[\w+]{1,128}"),
    "sub": _UUID,
}
#: Dates that follow one another within one object (a job, a user, a pool).
_DATE_ORDERS = (
    ("CreationDate", "StartDate", "CompletionDate"),
    ("UserCreateDate", "UserLastModifiedDate"),
    ("CreationDate", "LastModifiedDate"),
)
_EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
#: Keys whose values are opaque and change from run to run.
_OPAQUE_KEYS = {
    "PaginationToken": "<pagination-token>",
    "NextToken": "<next-token>",
    "RequestId": "<request-id>",
    "Session": "<session>",
}


class Normaliser:
    """Turns responses into stable documents; one per test, so placeholders stay consistent."""

    def __init__(self) -> None:
        self._placeholders: dict[str, str] = {}
        self._counts: Counter[str] = Counter()
        self._pattern: re.Pattern[str] | None = None
        #: The ``scheme://host[:port]`` a PreSignedUrl into a bucket must have on the target
        #: (None: not compared, for tests of the normaliser alone).
        self.upload_origin: Callable[[str], str] | None = None

    # -- what gets replaced ------------------------------------------------------------------

    def fixed(self, value: str, placeholder: str) -> None:
        """Always write ``value`` as ``placeholder`` (account ID, region, run prefix)."""
        if value:
            self._placeholders[value] = placeholder
            self._pattern = None

    def register(self, kind: str, value: Any) -> None:
        """Give an ID the target made up a numbered placeholder: ``<kind>``, ``<kind-2>``, ...
        (one not of its kind's form stays as it is, to show in the diff)."""
        if not isinstance(value, str) or not value or value in self._placeholders:
            return
        if not _ID_FORMS[kind].fullmatch(value):
            return
        self._counts[kind] += 1
        number = self._counts[kind]
        self._placeholders[value] = f"<{kind}>" if number == 1 else f"<{kind}-{number}>"
        self._pattern = None

    def _collect(self, value: Any, key: str | None = None) -> None:
        if isinstance(value, dict):
            if value.get("Name") == "sub" and "Value" in value:
                self.register("sub", value["Value"])
            if key == "UserPool" and "Id" in value:
                self.register("pool-id", value["Id"])
            for child_key, child in value.items():
                if child_key in _ID_KEYS:
                    self.register(_ID_KEYS[child_key], child)
                self._collect(child, child_key)
        elif isinstance(value, list):
            for child in value:
                self._collect(child, key)

    # -- normalising -------------------------------------------------------------------------

    def __call__(self, value: Any) -> Any:
        value = _ordered(value, None)  # first, so placeholders are numbered in the sorted order
        self._collect(value)
        return self._normalise(value, None)

    def text(self, value: str) -> str:
        if self._placeholders:
            if self._pattern is None:
                alternatives = sorted(self._placeholders, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(v) for v in alternatives))
            value = self._pattern.sub(lambda match: self._placeholders[match.group()], value)
        value = _JWT.sub("<jwt>", value)
        value = _ISO_TIME.sub("<timestamp>", value)
        for pattern, placeholder in _SIGNING_TEXT:  # a pre-signed URL quoted in a message
            value = pattern.sub(placeholder, value)
        return _UUID.sub("<uuid>", value)

    def _normalise(self, value: Any, key: str | None) -> Any:
        if isinstance(value, dict):
            return self._mapping(value)
        if isinstance(value, list):
            return [self._normalise(item, key) for item in value]
        if isinstance(value, datetime.datetime | datetime.date):
            return "<timestamp>"
        if isinstance(value, bytes):
            return self.text(value.decode("utf-8", "replace"))
        if isinstance(value, str):
            if key in _OPAQUE_KEYS:
                return _OPAQUE_KEYS[key]
            if key == "PreSignedUrl":
                return self.presigned_url(value)
            return self.text(value)
        return value

    def _mapping(self, value: dict[str, Any]) -> dict[str, Any]:
        result = {}
        for key, child in value.items():
            if key == "ResponseMetadata":
                child = {k: child[k] for k in ("HTTPStatusCode", "RequestId") if k in child}
            result[key] = self._normalise(child, key)
        for key in _dates_out_of_order(value):
            result[key] = "<timestamp out of order>"
        return result

    def presigned_url(self, url: str) -> Any:
        """``{"bucket", "key", "query"}`` whatever the URL style; the form of each value checked."""
        parts = urlsplit(url)
        path = unquote(parts.path).lstrip("/")
        host = _VIRTUAL_HOST.fullmatch(parts.hostname or "")
        if host:  # AWS and mock_aws: https://<bucket>.s3.<region>.amazonaws.com/<key>
            bucket, key = host["bucket"], path
        else:  # a moto server: http://<server>/<bucket>/<key>
            bucket, _, key = path.partition("/")
        query = {name: self._query_value(name, value) for name, value in parse_qsl(parts.query, True)}
        url_parts = {"bucket": self.text(bucket), "key": self.text(key), "query": query}
        if self.upload_origin is not None:
            origin = f"{parts.scheme}://{parts.netloc}"
            url_parts["origin"] = "<expected>" if origin == self.upload_origin(bucket) else self.text(origin)
        return url_parts

    def _query_value(self, name: str, value: str) -> str:
        if name == "X-Amz-Signature" and re.fullmatch(r"[0-9a-f]{64}", value):
            return "<signature>"
        if name == "X-Amz-Date" and re.fullmatch(r"\d{8}T\d{6}Z", value):
            return "<amz-date>"
        if name == "X-Amz-Security-Token" and value:
            return "<security-token>"
        if name == "X-Amz-Credential":
            access_key, _, scope = value.partition("/")
            date, _, rest = scope.partition("/")
            if re.fullmatch(r"[A-Z0-9]{16,128}", access_key) and re.fullmatch(r"\d{8}", date):
                return self.text(f"<access-key-id>/<yyyymmdd>/{rest}")
        return self.text(value)


#: Upload response headers worth comparing (lower case). Not Content-Type: under mock_aws the
#: `responses` library adds ``text/plain`` to every answer that has none.
UPLOAD_HEADERS = (
    "etag",
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-server-side-encryption-bucket-key-enabled",
)


def _dates_out_of_order(value: dict[str, Any]) -> set[str]:
    """The date keys of ``value`` before 2000, or before a date they follow (``_DATE_ORDERS``)."""
    dates = {k: v for k, v in value.items() if isinstance(v, datetime.datetime)}
    wrong = {k for k, v in dates.items() if _aware(v) < _EARLIEST}
    for order in _DATE_ORDERS:
        present = [key for key in order if key in dates]
        for earlier, later in itertools.pairwise(present):
            if _aware(dates[later]) < _aware(dates[earlier]):
                wrong.add(later)
    return wrong


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


#: The members of a JSON 1.1 error body (AWS's answers, and moto's own cognito-idp errors).
_ERROR_MEMBERS = {"__type", "message"}
#: The date members of the API's shapes, JSON numbers (epoch seconds) on the wire.
_DATE_KEYS = {date for order in _DATE_ORDERS for date in order}


@dataclasses.dataclass(frozen=True)
class Wire:
    """A JSON answer as it came, and its operation's output shape (botocore's), if any."""

    body: bytes | None
    shape: Any = None


class WireLog:
    """The body of the last JSON response any client got (botocore's ``before-parse`` event),
    which botocore's parsed answer no longer shows: a date sent as a string parses into the
    same ``datetime`` as an epoch number, and members the model lacks vanish (an error's
    extra ``Message``, a field AWS or a server sends that the installed botocore does not know)."""

    def __init__(self) -> None:
        self._wire: Wire | None = None

    def record(self, operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        if operation_model.metadata.get("protocol") == "json":
            self._wire = Wire(response_dict.get("body"), getattr(operation_model, "output_shape", None))

    def take(self) -> Wire | None:
        wire, self._wire = self._wire, None
        return wire


WIRE = WireLog()


def wire_problems(body: bytes | None, shape: Any = None) -> list[str]:
    """How a JSON 1.1 body differs from AWS's form where botocore's parsing hides it; ``shape``:
    the operation's output shape, whose members a successful answer keeps to."""
    if not body:
        return []
    try:
        document = json.loads(body)
    except ValueError:
        return ["the body is not JSON"]
    if not isinstance(document, dict):
        return ["the body is not a JSON object"]
    problems = []
    if "__type" in document:
        problems += [f"error member {name}" for name in sorted(set(document) - _ERROR_MEMBERS)]
        if "#" in str(document["__type"]):
            problems.append("__type names a namespace")
    elif shape is not None:
        problems += [f"{path} is not in the model" for path in _unmodelled(document, shape, "")]
    problems += [f"{path} is no JSON number" for path in _dates_not_numbers(document, "")]
    return problems


def _dates_not_numbers(value: Any, path: str) -> list[str]:
    if isinstance(value, dict):
        return [
            found
            for key, child in value.items()
            for found in (
                [f"{path}{key}"]
                if key in _DATE_KEYS and (isinstance(child, bool) or not isinstance(child, int | float))
                else _dates_not_numbers(child, f"{path}{key}.")
            )
        ]
    if isinstance(value, list):
        return [found for item in value for found in _dates_not_numbers(item, path)]
    return []


def _unmodelled(value: Any, shape: Any, path: str) -> list[str]:
    """The paths of ``value``'s members that ``shape`` (botocore's) does not have."""
    if isinstance(value, dict) and shape.type_name == "structure":
        return [
            found
            for key, child in value.items()
            for found in (
                _unmodelled(child, shape.members[key], f"{path}{key}.") if key in shape.members else [f"{path}{key}"]
            )
        ]
    if isinstance(value, dict) and shape.type_name == "map":
        return [found for key, child in value.items() for found in _unmodelled(child, shape.value, f"{path}{key}.")]
    if isinstance(value, list) and shape.type_name == "list":
        return [found for item in value for found in _unmodelled(item, shape.member, path)]
    return []


def http_response(response: requests.Response) -> dict[str, Any]:
    """An upload's answer: status, the S3 headers that matter, the XML error's Code and Message."""
    headers = {name: response.headers[name] for name in UPLOAD_HEADERS if name in response.headers}
    if re.fullmatch(r'"[0-9a-f]{32}"', headers.get("etag", "")):
        headers["etag"] = "<etag>"
    view: dict[str, Any] = {"status": response.status_code, "headers": headers}
    if response.content.lstrip().startswith(b"<"):
        try:
            root = ElementTree.fromstring(response.content)
        except ElementTree.ParseError:
            view["body"] = "<not XML>"
        else:
            view["error"] = {child.tag: child.text for child in root if child.tag in ("Code", "Message")}
    elif response.content:
        view["body"] = "<not empty>"
    return view


#: Lists whose order carries no meaning, and the member each is sorted by.
_UNORDERED = {"UserAttributes": "Name", "Attributes": "Name", "Users": "Username"}


def _ordered(value: Any, key: str | None) -> Any:
    """A copy of ``value`` with the unordered lists sorted."""
    if isinstance(value, dict):
        return {k: _ordered(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(item, key) for item in value]
        member = _UNORDERED.get(key or "")
        if member and all(isinstance(item, dict) and isinstance(item.get(member), str) for item in items):
            items.sort(key=lambda item: item[member])
        return items
    return value


def dump(document: Any) -> str:
    """The snapshot files' form: sorted keys, two-space indent, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Snapshot:
    """The observations of one test run against one target, and its snapshot file."""

    def __init__(self, name: str, target_kind: str, recorded_as: str, normaliser: Normaliser, update: bool):
        self.name = name
        self.path = SNAPSHOT_DIR / f"{name}.json"
        self.target_kind = target_kind
        self.recorded_as = recorded_as
        self.normalise = normaliser
        self.update = update
        self.observations: dict[str, Any] = {}

    def add(self, label: str, value: Any, mask: tuple[str, ...] = (), wire: Wire | None = None) -> Any:
        """Record ``value`` normalised under ``NN label`` (numbered: the files read in call order).

        ``mask`` names keys whose values legitimately differ between runs (e.g. the counters of
        a job stopped mid-way on AWS): their values become ``<masked>``, their presence stays.
        ``wire``: the JSON answer ``value`` was parsed from (``wire_problems``).
        """
        normalised = self.normalise(value)
        if mask:
            normalised = _masked(normalised, mask)
        if wire is not None and (problems := wire_problems(wire.body, wire.shape)):
            normalised = {**normalised, "WireProblems": problems}
        self.observations[f"{len(self.observations) + 1:02d} {label}"] = normalised
        return value

    def last(self, label: str, value: Any, mask: tuple[str, ...] = ()) -> Any:
        """``add`` for the answer (or a view of it) of the last JSON call any client made,
        checked against that call's body: a response recorded with ``add`` alone was never
        checked on the wire."""
        return self.add(label, value, mask, wire=WIRE.take())

    def call(self, label: str, method: Callable[..., Any], **kwargs: Any) -> dict[str, Any]:
        """Call a boto3 method; record and return its response, or its error response."""
        WIRE.take()
        try:
            response = method(**kwargs)
        except ClientError as error:
            response = error.response
        return self.add(label, response, wire=WIRE.take())  # type: ignore[no-any-return]

    def error(self, label: str, method: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
        """Call a boto3 method that must fail; record the error response; return (Code, Message)."""
        WIRE.take()
        try:
            response = method(**kwargs)
        except ClientError as error:
            self.add(label, error.response, wire=WIRE.take())
            return error.response["Error"]["Code"], error.response["Error"].get("Message", "")
        self.add(label, response, wire=WIRE.take())
        raise AssertionError(f"{label}: expected an error, got {response}")

    def document(self) -> dict[str, Any]:
        return {"recorded_against": self.recorded_as, "test": self.name, "observations": self.observations}

    def _recorded(self) -> dict[str, Any] | str | None:
        """The snapshot file's document; None without a file; why not, for a file that is no
        snapshot (a merge conflict's markers, a hand edit gone wrong)."""
        if not self.path.exists():
            return None
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            return f"snapshots/{self.path.name} is not a snapshot ({error})"
        return document if isinstance(document, dict) else f"snapshots/{self.path.name} is not a JSON object"

    def recorded_against(self) -> str | None:
        """The target the snapshot file was recorded against; None without a file, or with one
        that is no snapshot (which recording then replaces), unless any of it says AWS (one
        side of a merge conflict, say): only the aws target may replace AWS's answers."""
        recorded = self._recorded()
        if isinstance(recorded, dict):
            return recorded.get("recorded_against")
        if recorded is not None and re.search(r'"recorded_against"\s*:\s*"aws"', self.path.read_text(encoding="utf-8")):
            return "aws"
        return None

    def diff(self) -> str | None:
        """None when the observations match the file; else a unified diff per observation that
        differs, headed by its label (or why no diff can be made)."""
        recorded = self._recorded()
        if recorded is None:
            return f"no snapshot file {self.path.name}: record it with --snapshot-update"
        if isinstance(recorded, str):
            return f"{recorded}: repair it, or record it again with --snapshot-update"
        expected = recorded.get("observations")
        expected = expected if isinstance(expected, dict) else {}
        if dump(expected) == dump(self.observations):
            return None
        source = f"snapshots/{self.path.name}, recorded against {recorded.get('recorded_against')}"
        hunks = []
        for label in dict.fromkeys([*expected, *self.observations]):  # the file's order, then new ones
            before = dump(expected[label]) if label in expected else ""
            after = dump(self.observations[label]) if label in self.observations else ""
            if before != after:
                hunks += difflib.unified_diff(
                    before.splitlines(keepends=True),
                    after.splitlines(keepends=True),
                    fromfile=f"{label} ({source})" if before else f"{label} (not in {source})",
                    tofile=f"{label} ({self.target_kind}, this run)" if after else f"{label} (not in this run)",
                )
        return "".join(hunks)

    def write(self) -> None:
        SNAPSHOT_DIR.mkdir(exist_ok=True)
        self.path.write_text(dump(self.document()), encoding="utf-8")


def _masked(value: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return {k: ("<masked>" if k in keys else _masked(v, keys)) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(item, keys) for item in value]
    return value
