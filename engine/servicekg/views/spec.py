"""The view specs of ``viz/views.yaml``: how each kind of node looks, which concept class is
which kind, which queries build which view, the layout, and the page's words in three languages.

>>> spec = load_spec()
>>> spec.kinds["need"].shape
'dot'
>>> spec.kind_of_class("https://w3id.org/servicekg/ns#BasicNeed")
'need'
>>> spec.query("concepts").startswith("# Every concept")
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from servicekg.errors import InputError, UnknownTermError
from servicekg.namespace import LANGUAGES, local_name
from servicekg.resources import viz_dir

__all__ = ["VIEWS", "Band", "Kind", "Mark", "Texts", "ViewSpec", "VizSpec", "load_spec"]

Texts = dict[str, str]
"""A text in each language: ``{"en": ..., "nl": ..., "lv": ...}``."""

VIEWS = ("principles", "value-chain", "customer-chain", "assessment", "portfolio", "query")
"""The views, in the order the pages list them."""


@dataclass(frozen=True)
class Kind:
    """How one kind of node is drawn and what the legend calls it."""

    name: str
    colour: str
    shape: str
    label: Texts


@dataclass(frozen=True)
class Mark:
    """A mark drawn over a node's kind (the root cause, a metric nobody observed)."""

    name: str
    border: str
    width: int
    dashes: bool
    label: Texts


@dataclass(frozen=True)
class Band:
    """One column of a banded view: its heading, and the concepts (local names) and kinds of
    node it holds (a concept named here wins over its kind)."""

    label: Texts
    kinds: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ViewSpec:
    """One view: its title, one-line reading guide, the queries that build it and its
    layout."""

    name: str
    title: Texts
    queries: tuple[str, ...]
    layout: str
    guide: Texts | None = None
    relation: str | None = None
    columns: tuple[tuple[str, ...], ...] = ()
    bands: tuple[Band, ...] = ()
    group_by_kind: bool = False
    emphasise: tuple[str, ...] = ()
    """Concepts (local names) the strongest paths into which are drawn thick."""
    emphasise_paths: int = 0
    subcolumns: int = 2
    """How many steps of its own links a band of a banded view spreads over, at most."""

    def band_of(self, iri: str, kind: str) -> int | None:
        """The band (0 = leftmost) of a node of a banded view.

        >>> spec = load_spec().view("value-chain")
        >>> spec.band_of("https://w3id.org/servicekg/ns#Loyalty", "outcome")
        2
        >>> spec.band_of("https://w3id.org/servicekg/ns#Growth", "outcome")
        3
        """
        name = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        for index, band in enumerate(self.bands):
            if name in band.concepts:
                return index
        for index, band in enumerate(self.bands):
            if kind in band.kinds:
                return index
        return None

    def column_of(self, kind: str) -> tuple[int, int] | None:
        """The column (0 = leftmost) a node of ``kind`` stands in, for layered views, and the
        group of that kind within the column (0 = top)."""
        for index, kinds in enumerate(self.columns):
            if kind in kinds:
                return index, kinds.index(kind)
        return None


@dataclass(frozen=True)
class VizSpec:
    """Everything ``viz/views.yaml`` says, read once."""

    folder: Path
    physics_limit: int
    kinds: dict[str, Kind]
    marks: dict[str, Mark]
    classes: dict[str, str]
    edges: dict[str, dict[str, str]]
    views: dict[str, ViewSpec]
    ui: dict[str, Texts]
    languages: dict[str, str]
    _queries: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def view(self, name: str) -> ViewSpec:
        """The spec of view ``name`` (:class:`UnknownTermError` naming the views otherwise)."""
        if name not in self.views:
            raise UnknownTermError("view", name, list(self.views))
        return self.views[name]

    def kind_of_class(self, class_iri: str) -> str | None:
        """The kind of node a concept of class ``class_iri`` is drawn as (None: not a concept)."""
        return self.classes.get(local_name(class_iri))

    def query(self, name: str) -> str:
        """The text of ``viz/queries/NAME.rq``."""
        if name not in self._queries:
            path = self.folder / "queries" / f"{name}.rq"
            if not path.is_file():
                raise InputError(f"{path}: no such view query")
            self._queries[name] = path.read_text(encoding="utf-8")
        return self._queries[name]


@cache
def load_spec(path: Path | None = None) -> VizSpec:
    """Read ``viz/views.yaml`` (or ``path``), checking that every text exists in every language."""
    path = path or viz_dir() / "views.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InputError(f"{path}: cannot read the view specs: {error}") from None
    where = str(path)
    kinds = {
        name: Kind(name, k["colour"], k["shape"], _texts(k["label"], f"{where}: kinds.{name}"))
        for name, k in raw["kinds"].items()
    }
    marks = {
        name: Mark(
            name,
            m["border"],
            int(m["width"]),
            bool(m.get("dashes", False)),
            _texts(m["label"], f"{where}: marks.{name}"),
        )
        for name, m in raw["marks"].items()
    }
    for cls, kind in raw["classes"].items():
        if kind not in kinds:
            raise InputError(
                f"{where}: classes.{cls}: unknown kind {kind!r} (known: {list(kinds)})"
            )
    views = {
        name: ViewSpec(
            name=name,
            title=_texts(v["title"], f"{where}: views.{name}.title"),
            queries=tuple(v.get("queries", ())),
            layout=v["layout"],
            guide=_texts(v["guide"], f"{where}: views.{name}.guide") if "guide" in v else None,
            relation=v.get("relation"),
            columns=tuple(tuple(c) for c in v.get("columns", ())),
            bands=tuple(
                Band(
                    _texts(b["label"], f"{where}: views.{name}.bands[{i}].label"),
                    tuple(b.get("kinds", ())),
                    tuple(b.get("concepts", ())),
                )
                for i, b in enumerate(v.get("bands", ()))
            ),
            group_by_kind=bool(v.get("group_by_kind", False)),
            emphasise=tuple(v.get("emphasise", {}).get("targets", ())),
            emphasise_paths=int(v.get("emphasise", {}).get("paths", 0)),
            subcolumns=int(v.get("subcolumns", 2)),
        )
        for name, v in raw["views"].items()
    }
    if tuple(views) != VIEWS:
        raise InputError(f"{where}: views must be {', '.join(VIEWS)} in that order")
    return VizSpec(
        folder=path.parent,
        physics_limit=int(raw["physics_limit"]),
        kinds=kinds,
        marks=marks,
        classes=dict(raw["classes"]),
        edges=raw["edges"],
        views=views,
        ui={key: _texts(t, f"{where}: ui.{key}") for key, t in raw["ui"].items()},
        languages=dict(raw["languages"]),
    )


def _texts(value: Any, where: str) -> Texts:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES):
        given = ", ".join(map(str, value)) if isinstance(value, dict) else repr(value)
        raise InputError(f"{where}: give a text in each of {', '.join(LANGUAGES)} (got {given})")
    return {lang: str(value[lang]) for lang in LANGUAGES}
