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
from servicekg.views.layout import layout
from servicekg.views.spec import VIEWS, VizSpec, load_spec

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
    physics = view_spec.layout == "spring" and not big
    columns = {
        node: column
        for node, kind in graph.nodes(data="kind")
        if (column := view_spec.column_of(kind)) is not None
    }
    positions = layout(graph, view_spec.layout, columns)
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
        network.add_node(str(node), label=data["labels"][lang], shape=kind.shape, **options)
    for number, (source, target, data) in enumerate(graph.edges(data=True)):
        style = spec.edges.get(data["style"], spec.edges["other"])
        options = {
            "id": f"e{number}",
            "title": data["labels"][lang],
            "color": {"color": style["colour"], "highlight": style["colour"]},
            "width": data["width"],
            "skg": {"labels": data["labels"]},
        }
        if data.get("sign"):
            options["label"] = data["sign"]
            options["font"] = {"color": style["colour"], "size": 16, "strokeWidth": 3}
        if data.get("dashes"):
            options["dashes"] = True
        network.add_edge(str(source), str(target), **options)
    network.set_options(json.dumps(_options(physics, big, view_spec.layout == "layered")))
    nodes, edges, _heading, _height, _width, options_json = network.get_network_data()
    page_title = title or view_spec.title
    page: dict[str, Any] = {
        "view": view,
        "business": business,
        "lang": lang,
        "languages": spec.languages,
        "title": page_title,
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
