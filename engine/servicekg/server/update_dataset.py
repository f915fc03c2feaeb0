"""The protocol's ``using-graph-uri`` and ``using-named-graph-uri`` for updates, written into
the update as ``USING`` and ``USING NAMED`` clauses (the store's update call takes no dataset).

The clauses go before the ``WHERE`` of each ``DELETE``/``INSERT ... WHERE`` operation, found
outside strings, IRIs and comments at brace depth 0. An update that has its own ``USING`` or
``WITH`` is refused with the parameters, as the protocol says.

>>> with_using("INSERT { ?s a <urn:x> } WHERE { ?s ?p ?o }", ["urn:g"], [])
'INSERT { ?s a <urn:x> } USING <urn:g> WHERE { ?s ?p ?o }'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from servicekg.errors import ApiError

__all__ = ["with_using"]

_TOKEN = re.compile(
    r'(?P<opaque>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n\r]*)"
    r"|(?P<brace>[{}])"
    r"|(?<![\w?$:])(?P<word>[A-Za-z]+)(?![\w:])",
    re.DOTALL,
)


def with_using(update: str, graphs: Sequence[str], named: Sequence[str]) -> str:
    """``update`` with ``USING <g>`` for each of ``graphs`` and ``USING NAMED <g>`` for each
    of ``named`` before every operation's ``WHERE``."""
    if not graphs and not named:
        return update
    clause = " ".join(
        [*(f"USING <{_iri(g)}>" for g in graphs), *(f"USING NAMED <{_iri(g)}>" for g in named)]
    )
    depth = 0
    previous = ""
    cuts: list[int] = []
    for token in _TOKEN.finditer(update):
        if token["brace"]:
            depth += 1 if token["brace"] == "{" else -1
            previous = token["brace"]
            continue
        word = (token["word"] or "").upper()
        if not word:
            continue
        if word in ("USING", "WITH"):
            raise ApiError(
                "bad_request",
                f"the update has its own {word}: give either it or using-graph-uri / "
                "using-named-graph-uri, not both",
            )
        if word == "WHERE" and depth == 0 and previous != "DELETE":
            cuts.append(token.start())
        previous = word
    for cut in reversed(cuts):
        update = f"{update[:cut]}{clause} {update[cut:]}"
    return update


def _iri(text: str) -> str:
    if re.search(r"[<>\"{}|^`\\\s]", text):
        raise ApiError("bad_request", f"{text!r} is not an IRI")
    return text
