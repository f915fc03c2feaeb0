"""RDF documents sent as ``multipart/form-data`` to the Graph Store (several files into one
graph, as the Graph Store Protocol allows), read with the standard library's MIME parser.

Each file part is one RDF document; its format comes from the part's Content-Type, or from
its file name's extension when the part has none. Nested ``multipart/mixed`` (the RFC 2388 way
of sending several files in one field) is read too.

>>> body = (b'--b\\r\\nContent-Disposition: form-data; name="f"; filename="a.nt"\\r\\n\\r\\n'
...         b'<urn:a> <urn:b> <urn:c> .\\r\\n--b--\\r\\n')
>>> [(media, data) for data, media in rdf_parts(body, "multipart/form-data; boundary=b")]
[('application/n-triples', b'<urn:a> <urn:b> <urn:c> .')]
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message

from servicekg.errors import ApiError, InputError
from servicekg.sparql.formats import rdf_format_of

__all__ = ["rdf_parts"]


def rdf_parts(body: bytes, content_type: str) -> list[tuple[bytes, str]]:
    """Every file of a multipart body as (its bytes, its RDF media type)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.message_from_bytes(head + body, policy=email.policy.HTTP)
    if not message.is_multipart():
        raise ApiError("bad_request", f"{content_type!r}: no parts (is the boundary right?)")
    parts: list[tuple[bytes, str]] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append((_payload(part), _media_type(part)))
    if not parts:
        raise ApiError("bad_request", "the multipart body holds no file")
    return parts


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return b""
    return data[:-2] if data.endswith(b"\r\n") else data


def _media_type(part: Message) -> str:
    if part.get("content-type"):
        return part.get_content_type()
    name = part.get_filename() or ""
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    try:
        return rdf_format_of(extension).media_type
    except InputError:
        raise ApiError(
            "unsupported_media_type",
            f"the part {name or '(unnamed)'!r} has no Content-Type and no known RDF extension",
        ) from None
