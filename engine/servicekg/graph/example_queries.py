"""The example SPARQL queries shipped with the knowledge graph (``ontology/queries/*.rq``).

Each file asks one consultant's question, stated in its first comment line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from servicekg.errors import UnknownTermError
from servicekg.resources import queries_dir

__all__ = ["ExampleQuery", "example_queries", "example_query"]


@dataclass(frozen=True)
class ExampleQuery:
    """A named query: its file stem, the question it answers and the SPARQL text."""

    name: str
    question: str
    sparql: str
    path: Path


def example_queries() -> list[ExampleQuery]:
    """Every example query, in file order."""
    found = []
    for path in sorted(queries_dir().glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        question = first.lstrip("#").strip() if first.startswith("#") else path.stem
        found.append(ExampleQuery(path.stem, question, text, path))
    return found


def example_query(name: str) -> ExampleQuery:
    """The example query whose file stem is ``name`` (with or without its number prefix)."""
    queries = example_queries()
    for query in queries:
        if name in (query.name, query.name.split("-", 1)[-1]):
            return query
    raise UnknownTermError("example query", name, [q.name for q in queries])
