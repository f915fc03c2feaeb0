"""The HTTP side of a remote store: one request at a time with the endpoint's credentials,
its time limit, and its refusals turned into servicekg's errors.

Credentials travel as the engine's profile says (:mod:`servicekg.stores.profiles`): a bearer
token in ``Authorization``, or a user and password by basic or digest authentication. An
endpoint that is down or does not answer in time is named in the error.
"""

from __future__ import annotations

import contextlib
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from servicekg.errors import StoreError, parser_error
from servicekg.stores.profiles import Credentials, EngineProfile

__all__ = ["HttpClient", "NotFound", "TimedOut", "beside"]

_PRIME_ABOVE = 64 * 1024


class NotFound(Exception):
    """A Graph Store ``GET`` of a graph the engine does not hold."""


class TimedOut(Exception):
    """No answer within the request's time limit."""


@dataclass(eq=True)
class HttpClient:
    """Sends requests to one endpoint on ``profile``'s engine with ``credentials``. Two clients
    are equal when they send the same credentials the same way."""

    profile: EngineProfile
    credentials: Credentials
    url: str
    """Any of the endpoint's URLs: the user and password are for its host."""
    _opener: urllib.request.OpenerDirector = field(init=False, compare=False, repr=False)
    _digest: _Digest | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._opener, self._digest = _opener(self.profile, self.credentials, self.url)

    def send(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: dict[str, str],
        timeout_s: float,
        line_offset: int = 0,
    ) -> tuple[bytes, str]:
        """One HTTP request with the credentials; the body and its media type. :class:`NotFound`
        for a ``GET`` answered 404, :class:`TimedOut` without an answer in ``timeout_s``."""
        if data and len(data) > _PRIME_ABOVE and method != "GET":
            self._prime(url, timeout_s)
        headers = {"User-Agent": "servicekg", **headers}
        if self.credentials.token and self.profile.auth == "bearer":
            headers["Authorization"] = f"Bearer {self.credentials.token}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with self._opener.open(request, timeout=timeout_s) as response:
                return response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            with error:
                if error.code == 404 and method == "GET":
                    raise NotFound from None
                raise _http_error(url, error, line_offset, self.profile) from None
        except OSError as error:
            if isinstance(error, TimeoutError) or isinstance(
                getattr(error, "reason", None), TimeoutError
            ):
                raise TimedOut from None
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint: {error}") from None

    def _prime(self, url: str, timeout_s: float) -> None:
        """Have a digest-authenticating opener learn the endpoint's challenge with a request
        without a body, before the first large one."""
        if self._digest is not None and not self._digest.primed:
            with contextlib.suppress(NotFound, StoreError):
                self.send("GET", url, None, {"Accept": "*/*"}, timeout_s)


def beside(query_url: str, path: str | None) -> str | None:
    """The URL ``path`` names next to the query URL: appended when it starts with ``/``
    (GraphDB's ``/statements``), else in place of the query URL's last segment.

    >>> beside("http://h:8890/sparql", "sparql-auth")
    'http://h:8890/sparql-auth'
    >>> beside("http://h/repositories/kb", "/statements")
    'http://h/repositories/kb/statements'
    """
    if path is None:
        return None
    if path.startswith("/"):
        return query_url.rstrip("/") + path
    return query_url.rsplit("/", 1)[0] + "/" + path


def _opener(
    engine: EngineProfile, credentials: Credentials, url: str
) -> tuple[urllib.request.OpenerDirector, _Digest | None]:
    """An opener that sends the user and password as the profile says (basic from the first
    request; digest once the endpoint has challenged, then on every request, so that a large
    body is not sent twice); a plain one without them."""
    if credentials.user is None:
        return urllib.request.build_opener(), None
    passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
    split = urllib.parse.urlsplit(url)
    passwords.add_password(
        None,
        f"{split.scheme}://{split.netloc}/",
        credentials.user,
        credentials.password or "",
        is_authenticated=engine.auth == "basic",
    )
    if engine.auth == "digest":
        digest = _Digest(passwords)
        return urllib.request.build_opener(digest), digest
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords)), None


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that remembers the endpoint's last challenge and answers it on
    every later request (urllib's own handler waits for a 401 each time: Virtuoso closes the
    connection on that 401 while a large body is still being sent)."""

    challenge: dict[str, str] | None = None

    def http_request(self, request: urllib.request.Request) -> urllib.request.Request:
        if self.challenge is not None and not request.has_header("Authorization"):
            answer = self.get_authorization(request, self.challenge)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
        return request

    https_request = http_request

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str) -> Any:
        _, challenge = auth.split(" ", 1)
        parsed = [item for item in urllib.request.parse_http_list(challenge) if item]
        self.challenge = urllib.request.parse_keqv_list(parsed)
        return super().retry_http_digest_auth(req, auth)

    def http_error_401(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        try:
            return super().http_error_401(req, fp, code, msg, headers)
        finally:
            fp.close()  # the challenge's answer; urllib leaves its socket open

    @property
    def primed(self) -> bool:
        return self.challenge is not None


def _http_error(
    url: str,
    error: urllib.error.HTTPError,
    line_offset: int = 0,
    engine: EngineProfile | None = None,
) -> Exception:
    detail = error.read().decode("utf-8", "replace").strip()[:2000]
    if error.code in (401, 403):
        how = "a user and password" if engine and engine.auth != "bearer" else "a token"
        return StoreError(f"{url}: not allowed (HTTP {error.code}); give {how}: {detail}")
    if error.code == 400:
        pattern = engine.error_line if engine else None
        found = re.search(pattern, detail) if pattern else None
        first = detail.splitlines()[0] if detail else ""
        if found and "syntax error" not in first:  # refused for another reason (its limits)
            return StoreError(f"{url}: HTTP 400: {first}")
        if found:  # the engine's own message, at the line the user wrote
            return parser_error(first, line=max(1, int(found[1]) - line_offset))
        return parser_error(detail, line_offset)
    return StoreError(f"{url}: HTTP {error.code}: {detail}")
