"""SHACL's SPARQL-based constraints (``sh:sparql`` with ``sh:select``), run once over all focus
nodes with pyoxigraph instead of once per focus node by pySHACL.

pySHACL parses a SPARQL-based constraint again for every focus node it checks (with rdflib's
pyparsing grammar: about 15 ms a parse), which was three quarters of ``servicekg validate``.
Here each constraint's query runs once with ``$this`` free, and its solutions are kept for the
shape's focus nodes only: the same results as binding ``$this`` to each focus node in turn
(SHACL 1.0, section 5.3, for queries that mention ``$this`` in their pattern, as ours do).

What this module takes over: ``sh:select`` constraints of node shapes (targets by
``sh:targetClass`` with subclasses, ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf`` and implicit class targets), without ``sh:prefixes`` or pre-bound
``$shapesGraph``/``$currentShape``. Any other SPARQL constraint stays with pySHACL
(:func:`split` leaves it in the shapes it returns).

Each solution is one result, as pySHACL reports it: the focus node; ``sh:value`` the binding of
``?value`` or else the focus node; ``sh:resultPath`` the binding of ``?path``; the message the
constraint's ``sh:message`` (or else the shape's) with ``{?var}`` and ``{$var}`` filled in; the
shape's ``sh:severity`` (``sh:Violation`` unless it says otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH

__all__ = ["SparqlConstraint", "SparqlResult", "run", "split"]


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint of a node shape, with the shape's targets."""

    shape: str
    select: str
    messages: tuple[str, ...]
    severity: str
    target_classes: tuple[str, ...] = ()
    target_nodes: tuple[rdflib.term.Node, ...] = ()
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class SparqlResult:
    """One validation result of a SPARQL-based constraint (terms as plain strings)."""

    focus: str
    path: str | None
    message: str | None
    value: str | None
    severity: str
    shape: str


_THIS = re.compile(r"\$this\b")
_NOT_HANDLED = re.compile(r"\$(shapesGraph|currentShape)\b")


def split(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlConstraint]]:
    """The shapes without the SPARQL-based constraints this module runs, and those constraints.

    ``shapes`` itself is not changed; when there is nothing to take over it is returned as is.
    """
    found: list[SparqlConstraint] = []
    taken: list[tuple[rdflib.term.Node, rdflib.term.Node]] = []
    for shape, node in shapes.subject_objects(SH.sparql):
        constraint = _constraint(shapes, shape, node)
        if constraint is not None:
            found.append(constraint)
            taken.append((shape, node))
    if not taken:
        return shapes, []
    rest = rdflib.Graph()
    for prefix, namespace in shapes.namespaces():
        rest.bind(prefix, namespace, replace=True)
    dropped = {node for _shape, node in taken}
    for triple in shapes:
        subject, predicate, obj = triple
        if subject in dropped or (predicate == SH.sparql and obj in dropped):
            continue
        rest.add(triple)
    return rest, found


def _constraint(
    shapes: rdflib.Graph, shape: rdflib.term.Node, node: rdflib.term.Node
) -> SparqlConstraint | None:
    """The constraint at ``node``, or None when pySHACL should keep it."""
    if not isinstance(shape, rdflib.URIRef) and not isinstance(shape, rdflib.BNode):
        return None
    if (shape, SH.path, None) in shapes or (node, SH.prefixes, None) in shapes:
        return None
    if (shape, SH.deactivated, rdflib.Literal(True)) in shapes:
        return None
    selects = list(shapes.objects(node, SH.select))
    if len(selects) != 1 or (node, SH.ask, None) in shapes:
        return None
    select = str(selects[0])
    if not _THIS.search(select) or _NOT_HANDLED.search(select):
        return None
    if (node, SH.deactivated, rdflib.Literal(True)) in shapes:
        return None
    messages = tuple(str(m) for m in shapes.objects(node, SH.message)) or tuple(
        str(m) for m in shapes.objects(shape, SH.message)
    )
    severity = shapes.value(shape, SH.severity) or SH.Violation
    classes = [str(c) for c in shapes.objects(shape, SH.targetClass)]
    if (shape, RDF.type, RDFS.Class) in shapes:
        classes.append(str(shape))
    return SparqlConstraint(
        shape=str(shape),
        select=_THIS.sub("?this", select),
        messages=messages,
        severity=str(severity),
        target_classes=tuple(classes),
        target_nodes=tuple(shapes.objects(shape, SH.targetNode)),
        subjects_of=tuple(str(p) for p in shapes.objects(shape, SH.targetSubjectsOf)),
        objects_of=tuple(str(p) for p in shapes.objects(shape, SH.targetObjectsOf)),
    )


def run(store: ox.Store, constraints: Iterable[SparqlConstraint]) -> list[SparqlResult]:
    """Run each constraint once over ``store``'s default graph; its results for focus nodes."""
    results: list[SparqlResult] = []
    for constraint in constraints:
        focus = _focus_nodes(store, constraint)
        if not focus:
            continue
        seen: set[tuple[str, ...]] = set()
        solutions = store.query(constraint.select)
        assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - sh:select is a SELECT
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            bound = {n: solution[n] for n in names if solution[n] is not None}
            this = bound.get("this")
            if this is None or _key(this) not in focus:
                continue
            key = tuple(f"{n}={_text(t)}" for n, t in sorted(bound.items()))
            if key in seen:
                continue
            seen.add(key)
            value = bound.get("value", this)
            path = bound.get("path")
            for message in constraint.messages or (None,):
                results.append(
                    SparqlResult(
                        focus=_text(this),
                        path=None if path is None else _text(path),
                        message=None if message is None else _fill(message, bound),
                        value=_text(value),
                        severity=constraint.severity,
                        shape=constraint.shape,
                    )
                )
    return results


def _focus_nodes(store: ox.Store, constraint: SparqlConstraint) -> set[str]:
    found = {_key(_to_ox(n)) for n in constraint.target_nodes}
    for query in _target_queries(constraint):
        found.update(_key(s["n"]) for s in store.query(query))  # type: ignore[union-attr]
    return found


def _target_queries(constraint: SparqlConstraint) -> Iterator[str]:
    rdf_type, sub_class = f"<{RDF.type}>", f"<{RDFS.subClassOf}>"
    for cls in constraint.target_classes:
        yield f"SELECT DISTINCT ?n WHERE {{ ?n {rdf_type}/{sub_class}* <{cls}> }}"
    for predicate in constraint.subjects_of:
        yield f"SELECT DISTINCT ?n WHERE {{ ?n <{predicate}> ?o }}"
    for predicate in constraint.objects_of:
        yield f"SELECT DISTINCT ?n WHERE {{ ?s <{predicate}> ?n }}"


def _to_ox(node: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    literal = rdflib.Literal(node)
    if literal.language:
        return ox.Literal(str(literal), language=literal.language)
    if literal.datatype:
        return ox.Literal(str(literal), datatype=ox.NamedNode(str(literal.datatype)))
    return ox.Literal(str(literal))


def _key(term: object) -> str:
    return str(term)


def _text(term: object) -> str:
    """A term as pySHACL's report gives it to :mod:`servicekg.validation`: IRIs and literals by
    their value, blank nodes by their id."""
    value = getattr(term, "value", None)
    return str(term) if value is None else str(value)


_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def _fill(message: str, bound: dict[str, object]) -> str:
    """``{?var}`` and ``{$var}`` in a message replaced by the bound values."""
    return _PLACEHOLDER.sub(
        lambda m: _text(bound[m[1]]) if m[1] in bound else m[0],
        message,
    )
