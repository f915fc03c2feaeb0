"""Where the knowledge graph and the rules are on disk, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "data_root",
    "ontology_dir",
    "ontology_files",
    "queries_dir",
    "rules_dir",
    "shapes_dir",
    "viz_dir",
]

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_root() -> Path:
    """The folder holding ``ontology/`` and ``rules/``.

    An installed wheel carries them in ``servicekg/_data``; a checkout (also an editable
    install) reads them in place, two levels above this package (``engine/servicekg``).
    """
    bundled = _PACKAGE_DIR / "_data"
    if (bundled / "ontology").is_dir():
        return bundled
    return _PACKAGE_DIR.parents[1]


def ontology_dir() -> Path:
    """The folder of the knowledge graph's Turtle files."""
    return data_root() / "ontology"


def shapes_dir() -> Path:
    """The folder of the SHACL shapes (for the ontology itself and for observations)."""
    return ontology_dir() / "shapes"


def rules_dir() -> Path:
    """The folder of the rule files."""
    return data_root() / "rules"


def queries_dir() -> Path:
    """The folder of example SPARQL queries (one question each, stated in its first comment)."""
    return ontology_dir() / "queries"


def ontology_files() -> list[Path]:
    """The knowledge graph's Turtle files, in a stable order (shapes are not part of it)."""
    return sorted(ontology_dir().glob("*.ttl"))


def viz_dir() -> Path:
    """The folder of the graph views' data: page template, scripts, styles, view specs."""
    return data_root() / "viz"
