"""Where an assessment run's results go: the two sinks of :mod:`servicekg.assessment.pipeline`.

* :class:`MemorySink`: the report held in memory; the rules, observations and assessments
  replace the last run's graphs in one swap at the end (a reader, or a store whose process is
  killed mid-write, sees the whole of one run or the other). Without ``write`` nothing is
  written at all (a what-if).
* :class:`StoreSink`: a streamed run, for more businesses than memory holds. Each chunk's
  observations and PROV-O assessments are bulk-loaded into an on-disk store and its JSON is
  written to the report as it comes; nothing grows with the number of businesses. pyoxigraph's
  bulk loader is fast and light but not transactional: if the run stops part-way the store
  holds part of it (run it again).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TextIO

import pyoxigraph as ox

from servicekg.assessment.results import SCHEMA, AssessmentReport, BusinessAssessment, business_dict
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.rules import RuleBook, add_rules_to_kb, rules_to_rdf

__all__ = ["MemorySink", "ReportWriter", "Sink", "StoreSink", "StreamedRun"]

Consume = Callable[[Iterator[bytes]], object]
"""Takes the N-Quads texts of a run, chunk by chunk (on a thread of its own)."""


class Sink(Protocol):
    """Where results go. The pipeline calls :meth:`begin` once the rules are ready, consumes
    the N-Quads texts with what :meth:`writing` gives, hands each chunk's assessments to
    :meth:`take` and calls :meth:`close` at the end."""

    rdf: bool
    """Whether the sink wants each chunk's N-Quads (built where the chunk is assessed)."""
    freeze: bool
    """Whether the results stay in memory (the collector is then told to leave them alone)."""

    def begin(self, kb: KnowledgeBase, book: RuleBook, generated_at: str) -> Iterator[bytes]:
        """Start; what is written before the first chunk."""
        ...

    def writing(self, kb: KnowledgeBase) -> AbstractContextManager[Consume]:
        """The writer of the texts, open for the run."""
        ...

    def take(self, results: list[BusinessAssessment]) -> None:
        """One chunk's assessments, in order."""
        ...

    def close(self) -> None:
        """The run is over."""
        ...


_RUN_GRAPHS = [GRAPH.rules, GRAPH.observations, GRAPH.assessments]


class MemorySink:
    """The report in memory; with ``write``, the run's graphs replace the last run's at the
    end, in one swap."""

    freeze = True

    def __init__(self, report: AssessmentReport, *, write: bool = True) -> None:
        self.report = report
        self.rdf = write

    def begin(self, kb: KnowledgeBase, book: RuleBook, generated_at: str) -> Iterator[bytes]:
        self.report.generated_at = generated_at
        return self._rules(book)

    def _rules(self, book: RuleBook) -> Iterator[bytes]:
        if self.rdf:
            yield ox.serialize(rules_to_rdf(book), format=ox.RdfFormat.N_QUADS) or b""

    @contextmanager
    def writing(self, kb: KnowledgeBase) -> Iterator[Consume]:
        if self.rdf:
            yield lambda texts: kb.replace_graphs_nquads(_RUN_GRAPHS, texts)
        else:
            yield lambda texts: sum(1 for _ in texts)

    def take(self, results: list[BusinessAssessment]) -> None:
        self.report.businesses.extend(results)
        gc.freeze()  # the results stay to the end: the collector need not walk them again

    def close(self) -> None:
        pass


@dataclass
class StreamedRun:
    """What a streamed run did: the store it wrote, how many businesses, which failed."""

    kb: KnowledgeBase
    businesses: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(business, error) of each business whose assessment stopped with an error."""


class StoreSink:
    """Each chunk bulk-loaded into an on-disk store, its JSON written to ``out`` as it comes."""

    rdf = True
    freeze = False

    def __init__(self, run: StreamedRun, out: TextIO | None, lang: str) -> None:
        self.run = run
        self._out = out
        self._lang = lang
        self._writer: ReportWriter | None = None

    def begin(self, kb: KnowledgeBase, book: RuleBook, generated_at: str) -> Iterator[bytes]:
        add_rules_to_kb(kb, book)
        if self._out is not None:
            self._writer = ReportWriter(self._out, self._lang, generated_at)
        return iter(())

    @contextmanager
    def writing(self, kb: KnowledgeBase) -> Iterator[Consume]:
        with kb.bulk_loading([GRAPH.observations, GRAPH.assessments]) as load:
            yield lambda texts: sum(load(text) for text in texts)

    def take(self, results: list[BusinessAssessment]) -> None:
        for business in results:
            self.run.businesses += 1
            if business.error:
                self.run.failed.append((business.business, business.error))
            if self._writer is not None:
                self._writer.add(business)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


class ReportWriter:
    """Writes the JSON report a business at a time, exactly as ``json.dumps(report.as_dict(),
    indent=2, ensure_ascii=False)`` writes it whole."""

    def __init__(self, out: TextIO, language: str, generated_at: str) -> None:
        self._out = out
        self._count = 0
        head = json.dumps(
            {"schema": SCHEMA, "language": language, "generated_at": generated_at},
            indent=2,
            ensure_ascii=False,
        )
        out.write(head[: -len("\n}")] + ',\n  "businesses": [')

    def add(self, business: BusinessAssessment) -> None:
        """Append one business's assessment."""
        text = json.dumps(business_dict(business), indent=2, ensure_ascii=False)
        self._out.write(("\n" if self._count == 0 else ",\n") + _indent(text, "    "))
        self._count += 1

    def close(self) -> None:
        """Close the list and the object."""
        self._out.write("\n  ]\n}" if self._count else "]\n}")


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))
