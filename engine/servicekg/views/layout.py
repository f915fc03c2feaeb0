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
    "banded_layout",
    "grouped_layout",
    "label_box",
    "layered_layout",
    "layout",
    "place_members",
    "radial_layout",
    "ring_anchors",
    "spread_labels",
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
    if kind == "grouped":
        return grouped_layout(graph)
    raise ValueError(f"unknown layout {kind!r} (known: layered, spring, grouped, banded)")


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


BAND_GAP = 270.0
"""Between the bands of a banded layout: wide enough for a label of 200 px and the edges."""
SUBCOLUMN_GAP = 180.0
_SUBCOLUMNS = 2
BAND_ROW_GAP = 80.0
_BAND_ROWS = 13


def banded_layout(
    graph: nx.MultiDiGraph, bands: Mapping[str, int], subcolumns: int = _SUBCOLUMNS
) -> tuple[dict[str, tuple[float, float]], list[float]]:
    """Columns given by ``bands`` (band 0 leftmost, every node in one); a band whose own
    links run several steps deep gets a sub-column per step (at most ``subcolumns``),
    and one taller than :data:`_BAND_ROWS` wraps. Rows ordered by the barycentre of their
    neighbours in other columns, swept left to right, back and again, so that links cross
    less. Returns the positions and the x of
    each band's centre (where the page writes the band's heading).

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    >>> positions, centres = banded_layout(g, {"a": 0, "b": 1, "c": 1})
    >>> positions["a"][0] < positions["b"][0] < positions["c"][0], len(centres)
    (True, 2)
    """
    count = max(bands.values(), default=-1) + 1
    columns: list[list[str]] = []
    centres: list[float] = []
    for band in range(count):
        members = sorted((n for n in graph if bands.get(n) == band), key=str)
        local = _columns(graph.subgraph(members), {}) if members else {}
        local = {n: min(step, subcolumns - 1) for n, step in local.items()}
        steps = sorted(set(local.values()))
        first = len(columns)
        for step in steps:
            column = [n for n in members if local[n] == step]
            for start in range(0, len(column), _BAND_ROWS):
                columns.append(column[start : start + _BAND_ROWS])
        if not members:
            columns.append([])
        centres.append(first + (len(columns) - 1 - first) / 2)
    rows: dict[str, float] = {}
    for column in columns:
        for index, node in enumerate(column):
            rows[node] = float(index)
    order = list(range(len(columns)))
    for sweep in (order[1:], order[-2::-1], order[1:]):
        for c in sweep:
            column = columns[c]
            inside = set(column)
            centre = {}
            for node in column:
                near = [rows[n] for n in nx.all_neighbors(graph, node) if n not in inside]
                centre[node] = sum(near) / len(near) if near else rows[node]
            column.sort(key=lambda n: (centre[n], str(n)))
            for index, node in enumerate(column):
                rows[node] = float(index)
    # a band's sub-columns stand close, the bands apart
    xs: list[float] = []
    left = 0.0
    band_of_column: list[int] = []
    for column in columns:
        band_of_column.append(bands.get(column[0], count) if column else -1)
    for index in range(len(columns)):
        if index:
            same = band_of_column[index] == band_of_column[index - 1]
            left += SUBCOLUMN_GAP if same else BAND_GAP
        xs.append(left)
    positions = {}
    for index, column in enumerate(columns):
        for row, node in enumerate(column):
            positions[node] = (xs[index], (row - (len(column) - 1) / 2) * BAND_ROW_GAP)
    band_x = []
    for band, centre_index in enumerate(centres):
        indexes = [i for i, b in enumerate(band_of_column) if b == band]
        band_x.append((xs[indexes[0]] + xs[indexes[-1]]) / 2 if indexes else xs[int(centre_index)])
    return positions, band_x


GROUP_ORDER = ("need", "factor", "role", "outcome", "cost", "principle", "source", "sector")
"""The order of the groups round the ring of a grouped layout, the first at the top."""


def grouped_layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Each kind of node in a grid three wide, ordered by name, centred on the origin: the page
    shows one kind open at a time in the middle, the others closed round it (see
    :func:`ring_anchors`), so the blocks may share the middle.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"kind": "need"}), ("b", {"kind": "need"})])
    >>> grouped_layout(g)
    {'a': (-115.0, 0.0), 'b': (115.0, 0.0)}
    """
    blocks: dict[str, list[str]] = defaultdict(list)
    for node, kind in graph.nodes(data="kind"):
        blocks[str(kind)].append(node)
    positions: dict[str, tuple[float, float]] = {}
    for members in blocks.values():
        members.sort(key=str)
        rows = math.ceil(len(members) / _GRID_WIDTH)
        for index, node in enumerate(members):
            r, c = divmod(index, _GRID_WIDTH)
            across = min(_GRID_WIDTH, len(members) - r * _GRID_WIDTH)
            positions[node] = (
                (c - (across - 1) / 2) * _GRID_X,
                (r - (rows - 1) / 2) * _GRID_Y,
            )
    return positions


_GRID_WIDTH = 3
_GRID_X = 230.0
_GRID_Y = 100.0


def ring_anchors(
    positions: Mapping[str, tuple[float, float]], groups: Mapping[str, list[str]]
) -> dict[str, tuple[float, float]]:
    """Where each closed group stands: on an ellipse round the middle, clear of the largest
    open block, in :data:`GROUP_ORDER` clockwise from the top.

    >>> anchors = ring_anchors({"a": (0.0, 0.0), "b": (0.0, 0.0)}, {"need": ["a"], "cost": ["b"]})
    >>> anchors["need"][1] < 0 < anchors["cost"][1]
    True
    """
    half_w = max((abs(x) for x, _ in positions.values()), default=0.0) + _GRID_X / 2 + 140
    half_h = max((abs(y) for _, y in positions.values()), default=0.0) + _GRID_Y + 40
    order = sorted(groups, key=lambda g: (GROUP_ORDER.index(g) if g in GROUP_ORDER else 99, g))
    anchors = {}
    for index, group in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * index / len(order)
        anchors[group] = (round(half_w * math.cos(angle), 1), round(half_h * math.sin(angle), 1))
    return anchors


_MEMBER_GAP = 74.0


def place_members(
    anchors: Mapping[str, tuple[float, float]], members: Mapping[str, list[str]]
) -> dict[str, tuple[float, float]]:
    """Where the members of each group stand when the page opens the group: a short column
    just left of the group node (``anchors``), which stays where it is.

    >>> place_members({"g": (0.0, 0.0)}, {"g": ["a", "b"]})
    {'a': (-220.0, -37.0), 'b': (-220.0, 37.0)}
    """
    positions = {}
    for group, nodes in members.items():
        gx, gy = anchors[group]
        for index, node in enumerate(nodes):
            positions[node] = (gx - COLUMN_GAP, gy + (index - (len(nodes) - 1) / 2) * _MEMBER_GAP)
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


_CHAR_WIDTH = 8.6
_LINE_HEIGHT = 19.0
_LABEL_WIDTH = 200.0


def label_box(label: str) -> tuple[float, float]:
    """The width and height of a node with ``label`` drawn under it at 16 px, labels wrapped
    at 200 px, estimated from the characters (the browser tests measure the real ones).

    >>> label_box("Loyalty")
    (60.2, 51.0)
    """
    width = len(label) * _CHAR_WIDTH
    lines = max(1, math.ceil(width / _LABEL_WIDTH))
    return round(min(max(width, 32.0), _LABEL_WIDTH), 1), 32.0 + lines * _LINE_HEIGHT


def spread_labels(
    positions: dict[str, tuple[float, float]],
    sizes: Mapping[str, tuple[float, float]],
    *,
    padding: float = 8.0,
    rounds: int = 400,
) -> dict[str, tuple[float, float]]:
    """Move nodes apart until no two boxes (a node and its label, ``sizes``: width, height,
    the node at the top) overlap, each pair pushed along the axis it overlaps least on.

    >>> spread = spread_labels({"a": (0.0, 0.0), "b": (10.0, 0.0)}, {"a": (60, 40), "b": (60, 40)})
    >>> abs(spread["a"][0] - spread["b"][0]) >= 60
    True
    """
    moved = {n: [x, y] for n, (x, y) in positions.items()}
    if len(moved) > 1:  # first give the labels room: twice their area, spread evenly
        xs, ys = [p[0] for p in moved.values()], [p[1] for p in moved.values()]
        area = max(max(xs) - min(xs), 1.0) * max(max(ys) - min(ys), 1.0)
        needed = 2.0 * sum((w + padding) * (h + padding) for w, h in sizes.values())
        factor = max(1.0, math.sqrt(needed / area))
        moved = {n: [x * factor, y * factor] for n, (x, y) in moved.items()}
    nodes = sorted(moved, key=str)
    widest = max((w for w, _ in sizes.values()), default=0.0)
    for _ in range(rounds):
        clash = False
        order = sorted(nodes, key=lambda n: moved[n][0])
        for i, a in enumerate(order):
            wa, ha = sizes[a]
            for b in order[i + 1 :]:
                wb, hb = sizes[b]
                dx = moved[b][0] - moved[a][0]
                if dx >= (wa + widest) / 2 + padding:
                    break
                over_x = (wa + wb) / 2 + padding - abs(dx)
                top_a, top_b = moved[a][1] - 16, moved[b][1] - 16
                over_y = min(top_a + ha, top_b + hb) - max(top_a, top_b) + padding
                if over_x <= 0 or over_y <= 0:
                    continue
                clash = True
                if over_x < over_y:
                    step = over_x / 2 * (1 if dx >= 0 else -1)
                    moved[a][0] -= step
                    moved[b][0] += step
                else:
                    step = over_y / 2 * (1 if top_b >= top_a else -1)
                    moved[a][1] -= step
                    moved[b][1] += step
        if not clash:
            break
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in moved.items()}


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
