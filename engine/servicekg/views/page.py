"""A view's graph as one self-contained HTML page: pyvis builds the vis-network data, our own
template (``viz/templates/view.html``) puts it in a page with vis-network's script and style
inlined, so the page loads nothing from the network.

pyvis's own templates link Bootstrap and tom-select from a CDN even with
``cdn_resources="in_line"``; we use its :class:`~pyvis.network.Network` for the nodes, edges
and options and render them into our template. vis-network's files come from the installed
pyvis package (``pyvis/templates/lib/vis-9.1.2``), which carries their licence header.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import quote

import jinja2
import networkx as nx
from pyvis.network import Network

from servicekg.errors import InputError
from servicekg.graph.concepts import check_language
from servicekg.views.layout import (
    banded_layout,
    label_box,
    layout,
    place_members,
    ring_anchors,
    spread_labels,
)
from servicekg.views.spec import VIEWS, Texts, ViewSpec, VizSpec, load_spec

__all__ = ["Linker", "file_links", "render_page"]

Linker = Callable[[str, str | None], str]
"""Makes the URL of a view (and the business it shows): ``linker("assessment", "burgeri-riga")``."""

_VIS = ("templates", "lib", "vis-9.1.2")


def file_links(view: str, business: str | None = None) -> str:
    """Links between pages written side by side: ``principles.html``,
    ``assessment-burgeri-riga.html``.

    >>> file_links("assessment", "burgeri-riga")
    'assessment-burgeri-riga.html'
    """
    if business is None:
        return f"{view}.html"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in business)
    return f"{view}-{safe}.html"


def render_page(
    graph: nx.MultiDiGraph,
    view: str,
    *,
    lang: str = "en",
    title: dict[str, str] | None = None,
    business: str | None = None,
    linker: Linker = file_links,
    spec: VizSpec | None = None,
) -> str:
    """The HTML page drawing ``graph`` (a view graph of :mod:`servicekg.views.view_graph`)."""
    check_language(lang)
    spec = spec or load_spec()
    view_spec = spec.view(view)
    big = graph.number_of_nodes() > spec.physics_limit
    # laid out here, labels included: physics would move the labels back onto each other
    physics = False
    positions, bands, groups = _positions(graph, view_spec, spec)
    if view_spec.layout == "spring" and not big:
        # the widest of its languages: the page switches language without a new layout
        sizes = {
            n: max(label_box(text) for text in graph.nodes[n]["labels"].values()) for n in positions
        }
        positions = spread_labels(positions, sizes)
    network = Network(directed=True, height="100%", width="100%")
    kinds_used: set[str] = set()
    marks_used: set[str] = set()
    for node, data in graph.nodes(data=True):
        kind = spec.kinds[data["kind"]]
        kinds_used.add(kind.name)
        marks_used.update(data["marks"])
        x, y = positions[node]
        options: dict[str, Any] = {
            "title": data["labels"][lang],
            "x": round(x, 1),
            "y": round(y, 1),
            "color": {"background": kind.colour, "border": _darker(kind.colour)},
            "borderWidth": 1,
            "skg": {
                "kind": kind.name,
                "labels": data["labels"],
                "details": data["details"],
                "marks": data["marks"],
            },
        }
        for mark_name in data["marks"]:
            mark = spec.marks[mark_name]
            options["color"]["border"] = mark.border
            options["borderWidth"] = mark.width
            if mark.dashes:
                options["shapeProperties"] = {"borderDashes": [4, 3]}
        if data.get("size") is not None:
            options["size"] = data["size"]
        if node in groups["members"]:
            options["skg"]["group"] = groups["members"][node]
        network.add_node(str(node), label=data["labels"][lang], shape=kind.shape, **options)
    stressed = any(e for _, _, e in graph.edges(data="emphasis"))
    for number, (source, target, data) in enumerate(graph.edges(data=True)):
        style = spec.edges.get(data["style"], spec.edges["other"])
        options = {
            "id": f"e{number}",
            "title": data["labels"][lang],
            "color": {"color": style["colour"], "highlight": style["colour"]},
            "width": data["width"],
            "skg": {"labels": data["labels"], "emphasis": bool(data.get("emphasis"))},
        }
        if stressed and not data.get("emphasis"):
            options["color"]["opacity"] = 0.45
        if data.get("sign"):
            options["label"] = data["sign"]
            options["font"] = {"color": style["colour"], "size": 16, "strokeWidth": 3}
        if data.get("dashes"):
            options["dashes"] = True
        if source != target and graph.has_edge(target, source):
            # a link both ways: two curves, not one line drawn twice
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.4}
        network.add_edge(str(source), str(target), **options)
    network.set_options(
        json.dumps(_options(physics, big, view_spec.layout in ("layered", "banded")))
    )
    nodes, edges, _heading, _height, _width, options_json = network.get_network_data()
    page_title = title or view_spec.title
    page: dict[str, Any] = {
        "view": view,
        "business": business,
        "lang": lang,
        "languages": spec.languages,
        "title": page_title,
        "guide": view_spec.guide,
        "bands": bands,
        "groups": groups["groups"],
        "ui": spec.ui,
        "kinds": {
            k: {"colour": spec.kinds[k].colour, "label": spec.kinds[k].label}
            for k in spec.kinds
            if k in kinds_used
        },
        "marks": {
            m: {"border": spec.marks[m].border, "label": spec.marks[m].label}
            for m in spec.marks
            if m in marks_used
        },
        "views": [
            {"view": v, "label": spec.views[v].title, "href": linker(v, None)}
            for v in VIEWS
            if v not in ("assessment", "query")
        ],
        "physics": physics,
    }
    _resolve_links(nodes, linker)
    return _template().render(
        lang=lang,
        title=page_title[lang],
        nodes=nodes,
        edges=edges,
        options=json.loads(options_json),
        page=page,
        vis_js=_asset(_vis_file("vis-network.min.js"), "script"),
        vis_css=_asset(_vis_file("vis-network.css"), "style"),
        view_js=_asset(spec.folder / "static" / "view.js", "script"),
        view_css=_asset(spec.folder / "static" / "view.css", "style"),
    )


def _positions(
    graph: nx.MultiDiGraph, view_spec: ViewSpec, spec: VizSpec
) -> tuple[dict[str, tuple[float, float]], list[dict[str, Any]], dict[str, Any]]:
    """Where each node stands, the bands' headings (banded views) and the groups the page
    draws closed: ``{"members": {node: group}, "groups": {group: {labels, x, y, kind}}}``.

    Grouped members are laid out as one node per group (so the view reads at first draw
    with the groups closed); each group's members stand in a short column beside it."""
    members: dict[str, str] = {}
    group_labels: dict[str, Texts] = dict(graph.graph.get("groups", {}))
    if view_spec.group_by_kind:
        counts = Counter(kind for _, kind in graph.nodes(data="kind"))
        for node, kind in graph.nodes(data="kind"):
            members[node] = f"kind:{kind}"
        for kind, count in counts.items():
            label = spec.kinds[kind].label
            group_labels[f"kind:{kind}"] = {lang: f"{label[lang]} ({count})" for lang in label}
    else:
        members = {n: g for n, g in graph.nodes(data="group") if g}
    kinds: dict[str, str] = {}
    for node, group in members.items():
        kinds.setdefault(group, graph.nodes[node]["kind"])
    shown = graph
    if members and not view_spec.group_by_kind:
        shown = nx.MultiDiGraph(graph)
        shown.remove_nodes_from(members)
        for node, group in members.items():
            shown.add_node(group, kind=kinds[group])
            for source, _ in graph.in_edges(node):
                if source in shown:
                    shown.add_edge(source, group)
            for _, target in graph.out_edges(node):
                if target in shown:
                    shown.add_edge(group, target)
    bands: list[dict[str, Any]] = []
    if view_spec.layout == "banded":
        last = len(view_spec.bands) - 1
        band_of = {
            n: b if (b := view_spec.band_of(str(n), kind)) is not None else last
            for n, kind in shown.nodes(data="kind")
        }
        positions, centres = banded_layout(shown, band_of, view_spec.subcolumns)
        bands = [
            {"label": band.label, "x": round(x, 1)}
            for band, x in zip(view_spec.bands, centres, strict=True)
        ]
    else:
        columns = {
            node: column
            for node, kind in shown.nodes(data="kind")
            if (column := view_spec.column_of(kind)) is not None
        }
        positions = layout(shown, view_spec.layout, columns)
    groups: dict[str, dict[str, Any]] = {}
    by_group: dict[str, list[str]] = defaultdict(list)
    for node, group in members.items():
        by_group[group].append(node)
    if view_spec.group_by_kind:
        ring = ring_anchors(positions, {g.split(":", 1)[1]: n for g, n in by_group.items()})
        for group in by_group:
            x, y = ring[group.split(":", 1)[1]]
            groups[group] = {"labels": group_labels[group], "x": x, "y": y}
    else:
        for nodes in by_group.values():
            nodes.sort(key=lambda n: str(graph.nodes[n]["labels"]["en"]))
        anchors = {group: positions.pop(group) for group in by_group}
        positions.update(place_members(anchors, by_group))
        for group, (x, y) in anchors.items():
            groups[group] = {"labels": group_labels[group], "x": x, "y": y}
    for group, data in groups.items():
        kind = spec.kinds[kinds[group]]
        data.update(
            x=round(data["x"], 1),
            y=round(data["y"], 1),
            colour=kind.colour,
            shape=kind.shape,
            count=len(by_group[group]),
        )
    return positions, bands, {"members": members, "groups": groups}


def _options(physics: bool, big: bool, layered: bool) -> dict[str, Any]:
    smooth: Any = {"enabled": True, "type": "continuous"}
    if layered:
        smooth = {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal"}
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 180, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 200, "fit": True},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False if big else smooth,
        },
        "nodes": {
            "font": {"size": 16, "face": "system-ui, sans-serif"},
            "size": 16,
            "widthConstraint": {"maximum": 200},
        },
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
        },
    }


def _resolve_links(nodes: list[dict[str, Any]], linker: Linker) -> None:
    """Turn each details link ``{view, business, node}`` into an ``href``."""
    for node in nodes:
        for item in node["skg"]["details"]["links"]:
            href = linker(item["view"], item.get("business"))
            if item.get("node"):
                href += "#node=" + _quote(item["node"])
            item["href"] = href


def _quote(text: str) -> str:
    return quote(text, safe="")


@cache
def _template() -> jinja2.Template:
    folder = load_spec().folder / "templates"
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("view.html")


def _vis_file(name: str) -> Any:
    return files("pyvis").joinpath(*_VIS, name)


@cache
def _asset(path: Any, tag: str) -> str:
    """A script or style to inline; refuses one that would end its own element early."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read this page asset: {error}") from None
    if f"</{tag}" in text.lower():
        raise InputError(f"{path}: contains '</{tag}' and cannot be inlined")
    return text


def _darker(colour: str) -> str:
    """The colour at 70 % brightness, for borders.

    >>> _darker("#ffffff")
    '#b2b2b2'
    """
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) * 7 // 10 for i in (0, 2, 4)]
    return "#" + "".join(f"{c:02x}" for c in channels)
