"""The knowledge base: one RDF store holding the ontology (and later rules, observations and
assessments) in named graphs, answering SPARQL.

The CLI and the HTTP server are thin layers over this object; it knows nothing of either.
The store is embedded pyoxigraph, in memory by default or on disk when given a folder.
Queries see the union of all named graphs as their default graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from servicekg.errors import InputError, ServiceKGError
from servicekg.graph_replace import replace_graphs
from servicekg.namespace import GRAPH, PREFIXES
from servicekg.rdf_io import read_quads, to_rdflib_graph
from servicekg.resources import ontology_files

__all__ = ["KnowledgeBase", "QuerySyntaxError", "bind_variables", "python_value"]

_DERIVE_SHORTCUTS = """
INSERT { GRAPH <%(derived)s> { ?from ?shortcut ?to } }
WHERE {
  GRAPH <%(ontology)s> {
    ?relation skg:fromConcept ?from ; skg:toConcept ?to ; a ?kind .
    OPTIONAL { ?relation skg:polarity ?polarity }
  }
  VALUES (?kind ?polarity ?shortcut) {
    (skg:CausalLink skg:Increases skg:increases)
    (skg:CausalLink skg:Decreases skg:decreases)
    (skg:ChainLink UNDEF skg:serves)
    (skg:SectorNeed UNDEF skg:needsInSector)
  }
}
;
INSERT { GRAPH <%(derived)s> { ?from skg:influences ?to } }
WHERE { GRAPH <%(ontology)s> {
  ?relation a skg:CausalLink ; skg:fromConcept ?from ; skg:toConcept ?to .
} }
"""


_PARSER_LOCATION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


class QuerySyntaxError(ServiceKGError):
    """A SPARQL query or update that does not parse; says where, as the parser does."""

    def __init__(self, detail: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"SPARQL syntax error{where}: {detail}")
        self.detail = detail
        self.line = line
        self.column = column

    @classmethod
    def from_parser(cls, error: SyntaxError, line_offset: int = 0) -> QuerySyntaxError:
        """Translate pyoxigraph's error (``error at LINE:COLUMN: detail``), lines renumbered
        by ``line_offset`` where we prepended prefix declarations."""
        text = str(error.msg or error)
        found = _PARSER_LOCATION.match(text)
        if found:
            line, column, detail = int(found[1]), int(found[2]), found[3]
            return cls(detail, line - line_offset, column)
        return cls(text, error.lineno, error.offset)


class KnowledgeBase:
    """An RDF store of the servicekg graphs, queried with SPARQL 1.1.

    >>> kb = KnowledgeBase.with_ontology()
    >>> bool(kb.query("ASK { skg:Friendliness a skg:BasicNeed }"))
    True
    """

    def __init__(self, store: ox.Store | None = None) -> None:
        self._store = store if store is not None else ox.Store()

    @classmethod
    def open(cls, directory: Path | str | None = None) -> KnowledgeBase:
        """An empty or existing knowledge base: in memory, or on disk in ``directory``."""
        if directory is None:
            return cls()
        try:
            return cls(ox.Store(str(directory)))
        except OSError as error:
            raise InputError(f"{directory}: cannot open the store: {error}") from None

    @classmethod
    def with_ontology(cls, files: Sequence[Path] | None = None) -> KnowledgeBase:
        """A new in-memory knowledge base with the ontology loaded."""
        kb = cls()
        kb.load_ontology(files)
        return kb

    @property
    def store(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        return self._store

    def load_files(self, paths: Iterable[Path], graph: ox.NamedNode) -> int:
        """Load RDF files into ``graph`` as one transaction: every file parses, or none is loaded.

        Returns the number of triples read. Raises :class:`~servicekg.errors.ParseError`
        naming the file and line of the first syntax error.
        """
        quads: list[ox.Quad] = []
        for path in paths:
            quads.extend(read_quads(Path(path), graph))
        self._store.extend(quads)
        return len(quads)

    def load_ontology(self, files: Sequence[Path] | None = None) -> int:
        """Replace the ontology graph with ``files`` (default: the bundled ``ontology/*.ttl``)
        and derive the shortcut properties. Returns the number of triples read."""
        paths = list(files) if files is not None else ontology_files()
        if not paths:
            raise InputError("no ontology files to load (expected ontology/*.ttl)")
        ontology = ox.NamedNode(str(GRAPH.ontology))
        derived = ox.NamedNode(str(GRAPH.derived))
        quads: list[ox.Quad] = []
        for path in paths:
            quads.extend(read_quads(Path(path), ontology))
        # derived in a store of their own, then written in ONE transaction: a process killed
        # midway leaves the old graphs or the new, never neither
        staged = KnowledgeBase()
        staged.store.extend(quads)
        staged.update(_DERIVE_SHORTCUTS % {"derived": GRAPH.derived, "ontology": GRAPH.ontology})
        replace_graphs(self._store, [ontology, derived], staged.store)
        return len(quads)

    def query(self, sparql: str, **substitutions: ox.NamedNode | ox.Literal) -> Any:
        """Run a SPARQL query over the union of all graphs.

        The prefixes of :data:`~servicekg.namespace.PREFIXES` are predeclared. Keyword arguments
        bind variables before evaluation (``kb.query(q, concept=NamedNode(...))``).
        Returns pyoxigraph's result: solutions, a boolean or triples.
        """
        try:
            return self._store.query(
                bind_variables(sparql, substitutions),
                prefixes=PREFIXES,
                use_default_graph_as_union=True,
            )
        except SyntaxError as error:
            raise QuerySyntaxError.from_parser(error) from None

    def select(
        self, sparql: str, **substitutions: ox.NamedNode | ox.Literal
    ) -> list[dict[str, Any]]:
        """Run a SELECT query; each row maps variable names to Python values.

        IRIs become strings, literals their Python value (numbers, booleans, strings);
        unbound variables are absent from the row.
        """
        solutions = self.query(sparql, **substitutions)
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = python_value(term)
            rows.append(row)
        return rows

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (the prefixes of :data:`PREFIXES` are predeclared)."""
        declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
        try:
            self._store.update(declared + sparql)
        except SyntaxError as error:
            raise QuerySyntaxError.from_parser(error, line_offset=len(PREFIXES)) from None

    def graph_sizes(self) -> dict[str, int]:
        """The number of triples in each named graph."""
        return {
            graph.value: sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph))
            for graph in self._store.named_graphs()
        }

    def to_rdflib(self, graph: str | rdflib.URIRef = GRAPH.ontology) -> rdflib.Graph:
        """A copy of one named graph as an rdflib graph."""
        quads = self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph)))
        result = to_rdflib_graph(quads)
        for prefix, iri in PREFIXES.items():
            result.bind(prefix, iri, replace=True)
        return result

    def __len__(self) -> int:
        return len(self._store)


def bind_variables(sparql: str, values: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Replace each ``?name`` (or ``$name``) of ``sparql`` by the term ``values[name]``.

    Terms are written in N-Triples syntax, so IRIs and literals are escaped; a ``?name`` inside
    a string literal of the query would be replaced too, so bound names must not occur there.

    >>> bind_variables("SELECT ?l WHERE { ?c ?p ?l }", {"c": ox.NamedNode("http://x/a")})
    'SELECT ?l WHERE { <http://x/a> ?p ?l }'
    """
    for name, term in values.items():
        if not isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
            raise TypeError(f"bind {name!r} to a pyoxigraph term, not {type(term).__name__}")
        sparql = re.sub(rf"[?$]{re.escape(name)}\b", _constant(str(term)), sparql)
    return sparql


def _constant(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement for :func:`re.sub` that inserts ``text`` as it is (no escapes)."""
    return lambda _match: text


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value (IRI: str; literal: its native value)."""
    if isinstance(term, ox.Literal):
        return rdflib.Literal(
            term.value,
            lang=term.language,
            datatype=None if term.language else rdflib.URIRef(term.datatype.value),
        ).toPython()
    return term.value
