"""Read the W3C test manifests (``manifest.ttl``, local files only) into test cases.

Each folder of ``sparql11/`` is published under
``http://www.w3.org/2009/sparql/docs/tests/data-sparql11/<folder>/``; the manifests are read
with that base so test IRIs, data IRIs and graph names are the suite's own, and every IRI is
mapped back to its file here. Nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

__all__ = [
    "SUITE",
    "Case",
    "ProtocolCase",
    "known_failures",
    "protocol_cases",
    "query_cases",
]

SUITE = Path(__file__).parent / "sparql11"
PUBLIC_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
QUERY_FOLDERS = (
    "aggregates",
    "bind",
    "construct",
    "exists",
    "functions",
    "grouping",
    "negation",
    "project-expression",
    "property-path",
    "subquery",
)

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWG = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")


@dataclass(frozen=True)
class Case:
    """One query-evaluation or negative-syntax test of a manifest."""

    iri: str
    name: str
    kind: str  # "evaluation" or "negative-syntax"
    query: Path
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    result: Path | None = None
    comment: str = ""

    @property
    def id(self) -> str:
        """A short pytest id: ``folder/local-name``."""
        return self.iri.removeprefix(PUBLIC_BASE).replace("manifest#", "")

    def public_iri(self, path: Path) -> str:
        """The suite's IRI for one of its files (what graph names and base IRIs must be)."""
        return PUBLIC_BASE + path.relative_to(SUITE).as_posix()


@dataclass(frozen=True)
class ProtocolCase:
    """One test of ``protocol/manifest.ttl``: its IRI, name and local name."""

    iri: str
    name: str
    local_name: str = field(default="")


def _read(folder: str) -> tuple[Graph, list[URIRef]]:
    path = SUITE / folder / "manifest.ttl"
    graph = Graph().parse(path, format="turtle", publicID=PUBLIC_BASE + folder + "/manifest.ttl")
    manifest = URIRef(PUBLIC_BASE + folder + "/manifest.ttl")
    entries = graph.value(manifest, MF.entries)
    if entries is None:
        raise ValueError(f"{path}: no mf:entries list on <{manifest}>")
    return graph, [URIRef(str(item)) for item in Collection(graph, entries)]


def _local(iri: object) -> Path:
    text = str(iri)
    if not text.startswith(PUBLIC_BASE):
        raise ValueError(f"{text}: not a file of the vendored suite")
    return SUITE / text.removeprefix(PUBLIC_BASE)


def _approved(graph: Graph, test: URIRef) -> bool:
    return graph.value(test, DAWG.approval) == DAWG.Approved


def query_cases() -> list[Case]:
    """Every approved query-evaluation and negative-syntax test of the query folders."""
    cases: list[Case] = []
    for folder in QUERY_FOLDERS:
        graph, entries = _read(folder)
        for test in entries:
            if not _approved(graph, test):
                continue
            kind = graph.value(test, RDF.type)
            name = str(graph.value(test, MF.name) or test)
            comment = str(graph.value(test, RDFS.comment) or "")
            if kind == MF.NegativeSyntaxTest11:
                query = graph.value(test, MF.action)
                cases.append(Case(str(test), name, "negative-syntax", _local(query)))
            elif kind == MF.QueryEvaluationTest:
                action = graph.value(test, MF.action)
                cases.append(
                    Case(
                        iri=str(test),
                        name=name,
                        kind="evaluation",
                        query=_local(graph.value(action, QT.query)),
                        data=tuple(sorted(_local(d) for d in graph.objects(action, QT.data))),
                        graph_data=tuple(
                            sorted(_local(d) for d in graph.objects(action, QT.graphData))
                        ),
                        result=_local(graph.value(test, MF.result)),
                        comment=comment,
                    )
                )
            else:
                raise ValueError(f"{test}: test type {kind} is not one the runner knows")
    return cases


def protocol_cases() -> list[ProtocolCase]:
    """The tests of ``protocol/manifest.ttl``, in manifest order (all of them are run)."""
    graph, entries = _read("protocol")
    return [
        ProtocolCase(str(test), str(graph.value(test, MF.name)), str(test).rsplit("#", 1)[1])
        for test in entries
    ]


def known_failures() -> dict[str, str]:
    """``known_failures.yaml``: test IRI -> why it does not pass (engine issue where known)."""
    path = Path(__file__).parent / "known_failures.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of test IRI -> reason")
    return {str(k): " ".join(str(v).split()) for k, v in data.items()}
