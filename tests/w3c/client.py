"""A plain HTTP client for the conformance tests: exact requests, nothing added or hidden.

The protocol tests need requests a friendly client refuses to send (a GET with an update, a
body in Latin-1, two ``query`` parameters), so this speaks ``http.client`` directly.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

__all__ = ["Endpoint", "Response", "request"]

_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Response:
    """One HTTP response: status, headers (lower-cased names) and body bytes."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        """The Content-Type without its parameters, lower-cased (``""`` when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> object:
        """The body read as JSON."""
        return json.loads(self.body)


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Send one request to ``url`` (absolute, http) and read the whole response."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=_TIMEOUT_S)
    try:
        connection.request(method, target, body=body, headers=dict(headers or {}))
        raw = connection.getresponse()
        data = raw.read()
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
    finally:
        connection.close()


@dataclass(frozen=True)
class Endpoint:
    """Where a live SPARQL server answers: query, update and graph store URLs."""

    query_url: str
    update_url: str
    store_url: str

    def query(
        self,
        text: str,
        accept: str,
        params: Sequence[tuple[str, str]] = (),
    ) -> Response:
        """POST ``text`` as ``application/sparql-query`` with the given Accept header."""
        return request(
            "POST",
            _with_params(self.query_url, params),
            body=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept},
        )

    def update(self, text: str, params: Sequence[tuple[str, str]] = ()) -> Response:
        """POST ``text`` as ``application/sparql-update``."""
        return request(
            "POST",
            _with_params(self.update_url, params),
            body=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def graph_url(self, graph: str | None) -> str:
        """The Graph Store URL of a named graph, or of the default graph when ``graph`` is None."""
        if graph is None:
            return self.store_url + "?default"
        return self.store_url + "?graph=" + quote(graph, safe="")

    def put_graph(self, graph: str | None, ntriples: bytes) -> Response:
        """Replace one graph with the given N-Triples."""
        return request(
            "PUT",
            self.graph_url(graph),
            body=ntriples,
            headers={"Content-Type": "application/n-triples"},
        )

    def clear(self) -> None:
        """Empty the whole dataset (every graph), or fail loudly."""
        response = self.update("DROP SILENT ALL")
        if response.status >= 300:
            raise RuntimeError(f"could not clear the store: {response.status} {response.body!r}")


def _with_params(url: str, params: Sequence[tuple[str, str]]) -> str:
    if not params:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(list(params))
