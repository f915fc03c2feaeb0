"""Node positions computed in Python with networkx, so the browser only draws.

Two layouts: ``layered`` puts nodes in columns left to right (fixed by kind in the view spec,
or its depth in the graph's condensation, so cycles share a column) and orders each column by
where its neighbours stand; ``spring`` is networkx's force-directed placement. Coordinates are
vis-network pixels.

>>> import networkx as nx
>>> positions = layered_layout(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
>>> [positions[n][0] for n in "abc"]
[0.0, 220.0, 440.0]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

import networkx as nx

__all__ = [
    "COLUMN_GAP",
    "ROW_GAP",
    "WRAP_GAP",
    "layered_layout",
    "layout",
    "radial_layout",
    "spring_layout",
]

COLUMN_GAP = 220.0
ROW_GAP = 90.0
WRAP_GAP = 250.0
_MIN_ROWS = 12
_RING_SPACING = 60.0
_SPRING_ITERATIONS = 60


def layout(
    graph: nx.MultiDiGraph,
    kind: str,
    columns: Mapping[str, tuple[int, int]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Positions of every node of ``graph`` by the layout called ``kind`` (``columns`` fixes
    the column of nodes in a layered layout, and their group within it, top first)."""
    if kind == "layered":
        return layered_layout(graph, columns)
    if kind == "spring":
        return spring_layout(graph)
    raise ValueError(f"unknown layout {kind!r} (known: layered, spring)")


def layered_layout(
    graph: nx.MultiDiGraph, columns: Mapping[str, tuple[int, int]] | None = None
) -> dict[str, tuple[float, float]]:
    """Columns left to right; within a column, nodes grouped as given, then ordered by their
    neighbours' rows. A
    column taller than about 1.5 x the square root of the node count wraps into several side
    by side, so that large views stay roughly as wide as they are tall."""
    fixed = columns or {}
    placed = _columns(graph, {n: c for n, (c, _) in fixed.items()})
    by_column: dict[int, list[str]] = defaultdict(list)
    for node in graph:
        by_column[placed[node]].append(node)
    rows: dict[str, float] = {}
    for column in sorted(by_column):
        members = by_column[column]

        def weight(node: str) -> float:
            near = [rows[n] for n in nx.all_neighbors(graph, node) if n in rows]
            return sum(near) / len(near) if near else math.inf

        members.sort(key=lambda n: (fixed[n][1] if n in fixed else 0, weight(n), str(n)))
        for index, node in enumerate(members):
            rows[node] = float(index)
    limit = max(_MIN_ROWS, math.ceil(1.5 * math.sqrt(graph.number_of_nodes())))
    positions = {}
    left = 0.0
    for column in sorted(by_column):
        members = by_column[column]
        height = min(len(members), limit)
        for index, node in enumerate(members):
            wrap, row = divmod(index, limit)
            positions[node] = (left + wrap * WRAP_GAP, (row - (height - 1) / 2) * ROW_GAP)
        left += COLUMN_GAP + (math.ceil(len(members) / limit) - 1) * WRAP_GAP
    return positions


def spring_layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Force-directed placement, seeded (the same graph is drawn the same way).

    Each connected component is placed on its own (Kamada-Kawai from 30 to 100 nodes,
    networkx's spring layout for others up to 500, beyond that :func:`radial_layout`, which
    stays fast at thousands of nodes) and the components are packed in rows, largest first.
    """
    simple = nx.Graph(graph.to_undirected(as_view=True))
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    positions: dict[str, tuple[float, float]] = {}
    row_width = max(COLUMN_GAP * 4, 90.0 * math.sqrt(simple.number_of_nodes()) * 2.5)
    x = y = row_height = 0.0
    for component in components:
        placed = _place(simple.subgraph(component))
        xs = [p[0] for p in placed.values()]
        ys = [p[1] for p in placed.values()]
        width = max(xs) - min(xs) + COLUMN_GAP / 2
        height = max(ys) - min(ys) + ROW_GAP * 2
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in placed.items():
            positions[node] = (x + px - min(xs), y + py - min(ys))
        x += width
        row_height = max(row_height, height)
    return positions


def _place(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    count = graph.number_of_nodes()
    if count == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if count == 2:
        return dict(zip(graph, [(0.0, 0.0), (COLUMN_GAP / 2, 0.0)], strict=True))
    if count > 500:
        return radial_layout(graph)
    if 30 <= count <= 100:
        placed = nx.kamada_kawai_layout(graph)
    else:
        placed = nx.spring_layout(graph, iterations=_SPRING_ITERATIONS, seed=7)
    scale = 90.0 * math.sqrt(count)
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in placed.items()}


def radial_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """A connected graph as rings around its best-connected node: a breadth-first tree whose
    subtrees get angles in proportion to their leaves, each ring wide enough for its nodes.
    Linear in the size of the graph; no two nodes share a place.

    >>> positions = radial_layout(nx.balanced_tree(2, 3))
    >>> len(set(positions.values())) == len(positions) == 15
    True
    """
    root = max(graph, key=lambda n: (graph.degree(n), str(n)))
    tree = nx.bfs_tree(graph, root, sort_neighbors=lambda ns: sorted(ns, key=str))
    order = list(nx.dfs_preorder_nodes(tree, root))
    leaves: dict[str, int] = {}
    for node in reversed(order):
        leaves[node] = sum(leaves[c] for c in tree.successors(node)) or 1
    depth = {root: 0}
    for node in order[1:]:
        depth[node] = depth[next(iter(tree.predecessors(node)))] + 1
    per_ring: dict[int, int] = defaultdict(int)
    for d in depth.values():
        per_ring[d] += 1
    radius = {0: 0.0}
    for d in range(1, max(per_ring) + 1):
        radius[d] = max(radius[d - 1] + COLUMN_GAP, per_ring[d] * _RING_SPACING / (2 * math.pi))
    angle = {root: (0.0, 2 * math.pi)}
    positions = {root: (0.0, 0.0)}
    for node in order:
        start, width = angle[node]
        for child in tree.successors(node):
            share = width * leaves[child] / leaves[node]
            angle[child] = (start, share)
            middle = start + share / 2
            r = radius[depth[child]]
            positions[child] = (r * math.cos(middle), r * math.sin(middle))
            start += share
    return positions


def _columns(graph: nx.MultiDiGraph, fixed: Mapping[str, int]) -> dict[str, int]:
    """A column per node: as fixed, else its longest distance from a root once the edges that
    close a cycle are set aside (so a cycle such as loyalty -> growth -> profit -> value ->
    loyalty reads left to right instead of stacking in one column)."""
    given = {n: fixed[n] for n in graph if n in fixed}
    if len(given) == graph.number_of_nodes():
        return given
    acyclic = nx.DiGraph()
    acyclic.add_nodes_from(graph)
    roots = sorted((n for n in graph if graph.in_degree(n) == 0), key=str)
    rest = sorted(graph, key=lambda n: (-graph.out_degree(n), str(n)))
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in [*roots, *rest]:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(sorted(set(graph.successors(start)), key=str)))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif child not in state:
                acyclic.add_edge(node, child)
                state[child] = 1
                stack.append((child, iter(sorted(set(graph.successors(child)), key=str))))
            elif state[child] == 2:
                acyclic.add_edge(node, child)
    depth: dict[str, int] = {}
    for node in nx.topological_sort(acyclic):
        depth[node] = max((depth[p] + 1 for p in acyclic.predecessors(node)), default=0)
    return {n: given.get(n, depth[n]) for n in graph}
