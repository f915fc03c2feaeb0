"""Observations a chunk of businesses at a time, for runs too large to hold in memory.

Two passes over the files. The first checks everything exactly as
:func:`~servicekg.observations.loader.load_observations` does (every problem of every file,
and nothing is handed out if there is one) but keeps only the business descriptions: the
observations of a business are forgotten once its rows are over. The second reads the files
again and hands out :class:`ObservationSet` chunks of whole businesses.

This needs the observations of each business to be contiguous (a file sorted or grouped by
business, as exports usually are; one business in one file). When they are not, the first
pass notices it and keeps every observation, and the chunks come from memory: the answer is
the same, only the memory is not bounded.

Businesses come in the order their observations are read, then those only described.

>>> # kb: KnowledgeBase.with_ontology(), one shared by the doctests (conftest.py)
>>> from servicekg.graph.catalogue import MetricCatalogue
>>> from servicekg.observations.loader import sector_codes
>>> plan = check_observations([], MetricCatalogue.from_kb(kb), sector_codes(kb))
>>> list(plan.chunks(200))
[]
>>> plan.close()
"""

from __future__ import annotations

import datetime
import pickle
import sqlite3
import tempfile
from collections.abc import Collection, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from servicekg.errors import ObservationError, Problem
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.observations.loader import collection_paused, load_observations, read_tables
from servicekg.observations.records import Business, ObservationSet
from servicekg.observations.row_validator import Validator, business_text
from servicekg.observations.table import RawTable, Row

__all__ = ["CheckedFiles", "Descriptions", "check_observations"]


@dataclass
class CheckedFiles:
    """Observation files that passed every check, ready to be read again chunk by chunk."""

    paths: list[Path]
    catalogue: MetricCatalogue
    sectors: list[str]
    now: datetime.datetime
    businesses: Mapping[str, Business]
    grouped: bool
    described_only: list[str]
    """The businesses described but never observed, in the order described."""
    kept: ObservationSet | None = None
    """Every observation, when they were not grouped by business (see the module's notes)."""

    def close(self) -> None:
        """Let go of the descriptions' temporary file (if they were kept in one)."""
        if isinstance(self.businesses, Descriptions):
            self.businesses.close()

    def chunks(self, size: int) -> Iterator[ObservationSet]:
        """The businesses and their observations, ``size`` businesses at a time (the pipeline
        decides how many: :data:`servicekg.assessment.workers.CHUNK`)."""
        if self.kept is not None:
            yield from _split(self.kept, size)
            return
        for label, tables, _unread in read_tables(self.paths, self.catalogue):
            for table in tables:
                if table.kind != "observations":
                    continue
                for rows in _business_rows(table, size):
                    validator = Validator(self.catalogue, self.sectors, self.now)
                    with collection_paused():
                        validator.check_file(label, [_with_rows(table, rows)])
                    found = validator.result().observations
                    order = dict.fromkeys(o.business for o in found)
                    described = {b: self.businesses[b] for b in order if b in self.businesses}
                    yield ObservationSet(described, found)
        for start in range(0, len(self.described_only), size):
            part = self.described_only[start : start + size]
            yield ObservationSet({b: self.businesses[b] for b in part}, [])


def check_observations(
    paths: Sequence[Path], catalogue: MetricCatalogue, sectors: Collection[str]
) -> CheckedFiles:
    """The first pass: check every file (raising :class:`ObservationError` with every problem
    of every file, as :func:`~servicekg.observations.loader.load_observations` does) keeping
    only the business descriptions, while the observations are grouped by business."""
    now = datetime.datetime.now(datetime.UTC)
    descriptions = Descriptions()
    try:
        return _check(paths, catalogue, sectors, now, descriptions)
    except BaseException:
        descriptions.close()
        raise


def _check(
    paths: Sequence[Path],
    catalogue: MetricCatalogue,
    sectors: Collection[str],
    now: datetime.datetime,
    descriptions: Descriptions,
) -> CheckedFiles:
    validator = Validator(catalogue, sectors, now, businesses=descriptions)
    problems: list[Problem] = []
    state = _Grouping(validator)
    with collection_paused():
        for label, tables, unread in read_tables(paths, catalogue):
            problems.extend(unread)
            problems.extend(validator.check_file(label, (state.watch(t) for t in tables)))
        if problems:
            raise ObservationError(problems)
    kept = None
    if not state.grouped:  # forgotten observations are needed after all: read them all
        kept = load_observations(paths, catalogue, sectors)
    state.finished.add(state.current)
    described_only = [b for b in descriptions if b not in state.finished]
    return CheckedFiles(
        list(paths),
        catalogue,
        sorted(sectors),
        now,
        descriptions,
        state.grouped,
        described_only,
        kept,
    )


class Descriptions(MutableMapping[str, Business]):
    """Business descriptions by id, kept in a temporary SQLite file rather than in memory
    (a hundred thousand take 40 MB as objects); in the order first given."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="servicekg-descriptions-")
        self._db = sqlite3.connect(Path(self._folder.name) / "descriptions.sqlite")
        self._db.execute("CREATE TABLE d (id TEXT PRIMARY KEY, value BLOB)")

    def __getitem__(self, business: str) -> Business:
        row = self._db.execute("SELECT value FROM d WHERE id = ?", (business,)).fetchone()
        if row is None:
            raise KeyError(business)
        found: Business = pickle.loads(row[0])  # noqa: S301  # our own file, written just now
        return found

    def __setitem__(self, business: str, described: Business) -> None:
        value = pickle.dumps(described, protocol=pickle.HIGHEST_PROTOCOL)
        updated = self._db.execute("UPDATE d SET value = ? WHERE id = ?", (value, business))
        if updated.rowcount == 0:
            self._db.execute("INSERT INTO d (id, value) VALUES (?, ?)", (business, value))

    def __delitem__(self, business: str) -> None:
        if self._db.execute("DELETE FROM d WHERE id = ?", (business,)).rowcount == 0:
            raise KeyError(business)

    def __contains__(self, business: object) -> bool:
        found = self._db.execute("SELECT 1 FROM d WHERE id = ?", (business,)).fetchone()
        return found is not None

    def __iter__(self) -> Iterator[str]:
        rows = self._db.execute("SELECT id FROM d ORDER BY rowid").fetchall()
        return iter([business for (business,) in rows])

    def __len__(self) -> int:
        count: int = self._db.execute("SELECT COUNT(*) FROM d").fetchone()[0]
        return count

    def close(self) -> None:
        """Close and remove the file."""
        self._db.close()
        self._folder.cleanup()


class _Grouping:
    """Watches the rows going into the validator: forgets each business's observations when
    its rows are over, as long as no business comes back."""

    def __init__(self, validator: Validator) -> None:
        self.validator = validator
        self.grouped = True
        self.finished: set[str] = set()
        self.current = ""

    def watch(self, table: RawTable) -> RawTable:
        if table.kind != "observations" or "business" not in table.columns:
            return table
        if self.current:  # a business going on in another table is not grouped
            self.finished.add(self.current)
            self.current = ""
        return _with_rows(table, self._rows(table.rows, table.columns.index("business")))

    def _rows(self, rows: Iterable[Row], column: int) -> Iterator[Row]:
        last: object = None
        validator = self.validator
        for row in rows:
            cells = row[1]
            raw = cells[column] if column < len(cells) else None
            if raw != last:
                last = raw
                business = validator.business_id(raw) if raw is not None else ""
                if business and business != self.current:
                    if business in self.finished:
                        self.grouped = False
                    if self.current:
                        self.finished.add(self.current)
                    self.current = business
                    if self.grouped:
                        validator.forget_observations()
            yield row


def _business_rows(table: RawTable, size: int) -> Iterator[list[Row]]:
    """The table's rows, in lists of the rows of ``size`` businesses."""
    column = table.columns.index("business")
    chunk: list[Row] = []
    count, current, last = 0, "", None
    for row in table.rows:
        cells = row[1]
        raw = cells[column] if column < len(cells) else None
        if raw != last:
            last = raw
            business = business_text(raw)
            if business and business != current:
                current = business
                if count == size:
                    yield chunk
                    chunk, count = [], 0
                count += 1
        chunk.append(row)
    if chunk:
        yield chunk


def _with_rows(table: RawTable, rows: Iterable[Row]) -> RawTable:
    return RawTable(
        kind=table.kind,
        path=table.path,
        columns=table.columns,
        rows=rows,
        header_row=table.header_row,
        decimal_comma=table.decimal_comma,
        fields=table.fields,
    )


def _split(observations: ObservationSet, size: int) -> Iterator[ObservationSet]:
    grouped = observations.by_business()
    order = list(grouped)
    for start in range(0, len(order), size):
        part = order[start : start + size]
        yield ObservationSet(
            {b: observations.businesses[b] for b in part if b in observations.businesses},
            [o for b in part for o in grouped[b]],
        )
