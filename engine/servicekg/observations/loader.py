"""Loading a consultant's observation files: every file checked, everything or nothing loaded.

>>> from servicekg.graph.catalogue import MetricCatalogue
>>> # kb: KnowledgeBase.with_ontology(), one shared by the doctests (conftest.py)
>>> catalogue = MetricCatalogue.from_kb(kb)
>>> load_observations([], catalogue, sector_codes(kb)).observations
[]
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from servicekg.errors import ObservationError, Problem
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations.csv_reader import read_csv
from servicekg.observations.documents import read_json, read_yaml
from servicekg.observations.rdf_reader import read_rdf
from servicekg.observations.records import ObservationSet
from servicekg.observations.row_validator import Validator
from servicekg.observations.table import RawTable
from servicekg.observations.xlsx_reader import read_xlsx

__all__ = [
    "OBSERVATION_FORMATS",
    "collection_paused",
    "load_observations",
    "read_tables",
    "sector_codes",
]

OBSERVATION_FORMATS: dict[str, str] = {
    ".csv": "CSV (',' or ';' separated, UTF-8)",
    ".xlsx": "Excel workbook",
    ".json": "JSON",
    ".yaml": "YAML",
    ".yml": "YAML",
    ".ttl": "Turtle (SOSA)",
    ".jsonld": "JSON-LD (SOSA)",
}
"""The file extensions observations are read from, and what each means."""

Reader = Callable[[Path, str], list[RawTable]]


def load_observations(
    paths: Sequence[Path], catalogue: MetricCatalogue, sectors: Collection[str]
) -> ObservationSet:
    """Read, check and combine observation files (any mix of the :data:`OBSERVATION_FORMATS`).

    ``sectors`` are the sector codes a business description may name (``other`` is always
    accepted too); :func:`sector_codes` reads them from a knowledge base. Every file is checked
    before anything is returned: :class:`~servicekg.errors.ObservationError` lists the problems
    of every file, and nothing is loaded. Exact duplicates (same business, metric, time and
    value) are kept once.
    """
    validator = Validator(catalogue, sectors)
    problems: list[Problem] = []
    with collection_paused():
        for label, tables, unread in read_tables(paths, catalogue):
            problems.extend(unread)
            problems.extend(validator.check_file(label, tables))
        if problems:
            raise ObservationError(problems)
        return validator.result()


def read_tables(
    paths: Sequence[Path], catalogue: MetricCatalogue
) -> Iterator[tuple[str, list[RawTable], list[Problem]]]:
    """Each file's label, its tables (rows read lazily where the format allows), and the
    problems that kept it from being read (not a file, an unknown kind, unreadable)."""
    readers: dict[str, Reader] = {
        ".csv": read_csv,
        ".xlsx": read_xlsx,
        ".json": read_json,
        ".yaml": read_yaml,
        ".yml": read_yaml,
        ".ttl": partial(read_rdf, catalogue=catalogue),
        ".jsonld": partial(read_rdf, catalogue=catalogue),
    }
    for given in paths:
        path, label = Path(given), str(given)
        reader = readers.get(path.suffix.lower())
        if not path.is_file():
            yield label, [], [Problem(label, None, None, _not_a_file(path))]
            continue
        if reader is None:
            yield (
                label,
                [],
                [
                    Problem(
                        label,
                        None,
                        None,
                        f"unknown kind of file {path.suffix or '(no extension)'!r}",
                        tuple(OBSERVATION_FORMATS),
                    )
                ],
            )
            continue
        try:
            tables = reader(path, label)
        except ObservationError as error:
            yield label, [], list(error.problems)
            continue
        yield label, tables, []


def sector_codes(kb: KnowledgeBase) -> list[str]:
    """The sector codes of the knowledge base's ontology (``?sector skg:sectorCode ?code``)."""
    rows = kb.select("SELECT DISTINCT ?code WHERE { ?sector skg:sectorCode ?code } ORDER BY ?code")
    return [row["code"] for row in rows]


def _not_a_file(path: Path) -> str:
    if path.is_dir():
        return "is a folder, not a file"
    return "no such file" if not path.exists() else "is not a regular file"


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small objects are made.

    They hold no cycles; without the pause the collector walks them again and again and
    loading (or assessing, whose results stay) takes a third as long again. It is switched
    back on afterwards if it was on (and then collects what cycles were left meanwhile).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
