"""The plugin's own URLs, answered before moto's dispatch sees them, in both of moto's modes:
upload URLs (``upload.http``) and the ``/moto-api/cognito-import/...`` controls (``control``).

- Decorator mode: every request moto intercepts (boto3's, and ``requests``' through the
  ``responses`` library) reaches ``BotocoreStubber.process_request`` with a botocore
  ``AWSPreparedRequest``; ``in_process`` wraps it.
- Server mode: every request reaches ``DomainDispatcherApplication.__call__`` (a WSGI
  application) first; ``in_server`` wraps it. moto's dispatcher reads form-encoded bodies under
  its own lock and its Flask app adds CORS headers; an upload must do neither (issue 12).

Any other request goes on to moto unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from moto import backend_index
from moto.core.common_types import TYPE_RESPONSE
from moto.core.config import passthrough_service, passthrough_url, service_whitelisted
from moto.core.utils import get_equivalent_url_in_aws_domain

from ..jobs.models import import_backend
from ..lock import LOCK, computed_once
from ..upload import http
from ..upload.signing import BUCKET_PREFIX, replaying
from ..upload.storage import Readable, Received
from . import control, dispatch

_MOTO_API_HOST = "motoapi.amazonaws.com"  # moto's own host for /moto-api under mock_aws


def _store(
    target: http.Target, region: str, received: Received | None, check: Callable[[str | None], None]
) -> bool:
    """Hand a complete upload to its job (or, ``received`` None, only check the conditions),
    under the plugin's lock (only this step takes it)."""
    if not target.names_a_job:  # signed for it after all: S3 would deny it
        return False
    with LOCK:
        try:
            backend = import_backend(target.account, region)
        except KeyError:  # a region moto does not know
            return False
        return backend.receive_upload(target.pool_id, target.job_id, received, check)


def answer_prepared(request: Any) -> TYPE_RESPONSE | None:
    """Our answer to a request moto's in-process mock intercepted, or None for moto's own."""
    parts = urlsplit(request.url)
    answer: Callable[[http.UploadRequest], TYPE_RESPONSE]
    if parts.hostname == _MOTO_API_HOST and control.handles(parts.path):
        answer = functools.partial(_control, path=parts.path)
    elif (target := http.locate(request.url)) is not None:
        answer = functools.partial(http.answer, target=target, store=_store)
    else:
        return None
    if _configured_away(request.url):
        return None
    prepared = http.from_prepared(request)
    return http.prepared_response(answer(prepared) if _mock_records() else _recorded(prepared, answer), request.method)


@computed_once
def _mock_records() -> bool:
    """Whether moto's in-process mock itself records every request it intercepts through the
    ``responses`` library (moto 5.2.1's ``CallbackResponse.get_response``: an upload or a
    control sent with ``requests``); later releases record only what a service answers."""
    from moto.core.custom_responses_mock import CallbackResponse

    return "_record_request" in CallbackResponse.get_response.__code__.co_names


#: A recorded body's framing, which a replay of the bytes recorded must not send.
_FRAMING = frozenset({"transfer-encoding", "content-length"})


class _Copied:
    """A request body that keeps a copy of what was read of it."""

    def __init__(self, body: Readable):
        self._body = body
        self.copy = bytearray()

    def read(self, size: int = -1, /) -> bytes:
        data = self._body.read(size)
        self.copy += data
        return data


def _recorded(request: http.UploadRequest, answer: Callable[[http.UploadRequest], TYPE_RESPONSE]) -> TYPE_RESPONSE:
    """``answer(request)``, recorded by moto's recorder (``/moto-api/recorder/...``) as moto
    records the requests it answers: a replay uploaded no file (its Start found none) and set
    no clock. Only while it records is the body kept whole (as moto's recorder keeps every
    body), without its framing (``_FRAMING``): moto's replay sends the bytes with their
    length. [OURS] A refused request (4xx) is not recorded: it changed nothing, and its bytes
    sent again as a well-formed PUT (a body cut short, one without a Content-Length) were
    taken, in place of the file. The request is given as moto's recorder reads one: ``url``
    (moto 5.2.1), ``raw_url`` and ``raw_path`` (later)."""
    from moto.moto_api import recorder

    if not getattr(recorder, "_user_enabled", False):  # moto's switch (``start_recording``)
        return answer(request)
    body = _Copied(request.body)
    response = answer(dataclasses.replace(request, body=body))
    if response[0] < 400:
        parts = urlsplit(request.url)
        recorder._record_request(
            SimpleNamespace(  # type: ignore[arg-type]
                method=request.method, url=request.url, raw_url=request.url,
                raw_path=parts.path + (f"?{parts.query}" if parts.query else ""),
                headers={name: value for name, value in request.headers.items() if name.lower() not in _FRAMING},
            ),
            bytes(body.copy),
        )
    return response


def replays_uploads_later(replay_recording: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``Recorder.replay_recording``: a recorded upload is taken however much later the
    recording is replayed (``upload.signing.replaying``)."""

    @functools.wraps(replay_recording)
    def replay(*args: Any, **kwargs: Any) -> Any:
        with replaying():
            return replay_recording(*args, **kwargs)

    return replay


def _configured_away(url: str) -> bool:
    """Whether ``mock_aws(config=...)`` has moto pass ``url`` to the network or refuse it: a
    passthrough URL pattern, or the service whose URL it is (S3's for an upload URL, moto's
    API's for the controls) passed through or left out of the service whitelist. moto decides
    such a request before any service answers it (a boto3 call to the upload bucket reached
    AWS, or raised ServiceNotWhitelisted), so it decides ours too, over the URL as moto reads
    it (another partition's domain as AWS's, no query)."""
    parsed, _ = get_equivalent_url_in_aws_domain(url)
    url = f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
    if passthrough_url(url):
        return True
    service = next((name for name, pattern in backend_index.backend_url_patterns if pattern.match(url)), None)
    return service is not None and (passthrough_service(service) or not service_whitelisted(service))


def _control(request: http.UploadRequest, path: str) -> TYPE_RESPONSE:
    """Answer a control request, its body read whatever its framing (a length, chunks)."""
    # Methods are case-sensitive (RFC 9110, 9.1), as at the upload URL. One byte past the limit
    # tells a body over it from one at it.
    return control.respond(request.method, path, http.small_body(request, control.MAX_BODY + 1))


def in_process(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``BotocoreStubber.process_request(self, request)``."""

    @functools.wraps(original)
    def process_request(self: Any, request: Any) -> Any:
        response = answer_prepared(request)
        return original(self, request) if response is None else response

    return process_request


def _maybe_ours(environ: dict[str, Any]) -> bool:
    """A cheap first look: a path or host that might be one of our URLs."""
    path = environ.get("PATH_INFO", "")
    return (
        control.handles(path)
        or path.lower().startswith("/" + BUCKET_PREFIX)
        or environ.get("HTTP_HOST", "").lower().startswith(BUCKET_PREFIX)
    )


def answer_wsgi(environ: dict[str, Any]) -> TYPE_RESPONSE | None:
    """Our answer to a request moto's server received, or None for moto's own."""
    if not _maybe_ours(environ):
        return None
    path = environ.get("PATH_INFO", "")
    request = http.from_wsgi(environ)
    answer: Callable[[http.UploadRequest], TYPE_RESPONSE]
    if control.handles(path):
        answer = functools.partial(_control, path=path)
    else:
        target = http.locate(request.url)
        if target is None:
            return None  # moto's, with moto's connection as it was
        answer = functools.partial(http.answer, target=target, store=_store)
    with http.idle_limit(environ):
        return _recorded(request, answer)


def in_server(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``DomainDispatcherApplication.__call__(self, environ, start_response)``."""

    @functools.wraps(original)
    def __call__(self: Any, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        response = answer_wsgi(environ)
        if response is None:
            response = dispatch.import_body(environ)
        if response is None:
            return original(self, environ, start_response)
        return http.drained(http.wsgi_response(response, start_response, environ.get("REQUEST_METHOD", "")), environ)

    return __call__
