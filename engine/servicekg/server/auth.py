"""Who may write: read-only unless ``--allow-update``; then a bearer token, if one is set.

* started without ``--allow-update``: every write is refused (403 ``read_only``);
* with a token (``--token`` or ``SERVICEKG_TOKEN``): a write without ``Authorization: Bearer
  ...`` gets 401 ``unauthorized``, with a different token 403 ``forbidden``;
* with no token, on a loopback address only (the settings refuse the rest): writes are
  accepted, each with a logged warning.

A refused write changes nothing: this check comes before the body is even read.
"""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request

from servicekg.errors import ApiError
from servicekg.server.settings import TOKEN_ENV, ServerSettings

__all__ = ["require_write"]

log = logging.getLogger("servicekg.server")

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="servicekg"'}


def require_write(request: Request, settings: ServerSettings) -> None:
    """Raise :class:`ApiError` unless ``request`` may change the store."""
    if not settings.allow_update:
        raise ApiError(
            "read_only",
            "this server is read-only; start it with --allow-update to accept updates",
        )
    if settings.token is None:
        log.warning(
            "accepting %s %s with no token (loopback server; set --token or %s)",
            request.method,
            request.url.path,
            TOKEN_ENV,
        )
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(
            "unauthorized",
            "updates need a bearer token: send 'Authorization: Bearer <token>'",
            headers=_CHALLENGE,
        )
    if not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
        raise ApiError(
            "forbidden",
            "the bearer token is wrong",
            headers={"WWW-Authenticate": 'Bearer realm="servicekg", error="invalid_token"'},
        )
