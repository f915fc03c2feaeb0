"""Shared fixtures: the knowledge base with the bundled ontology, and the CLI run in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from servicekg.cli import app
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations import ObservationSet, load_observations, sector_codes
from servicekg.resources import ontology_files

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The bundled ontology, loaded once; tests must not change it."""
    return KnowledgeBase.with_ontology()


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Run ``servicekg ARGS...`` in-process; returns click's result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def load(kb: KnowledgeBase) -> Callable[..., ObservationSet]:
    """``load(*paths)``: load observation files against the bundled catalogue and sectors."""
    catalogue = MetricCatalogue.from_kb(kb)
    codes = sector_codes(kb)

    def run(*paths: Path) -> ObservationSet:
        return load_observations(list(paths), catalogue, codes)

    return run


@pytest.fixture
def ontology_copy(tmp_path: Path) -> Path:
    """A writable copy of the ontology files, for breaking on purpose."""
    folder = tmp_path / "ontology"
    folder.mkdir()
    for path in ontology_files():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture(scope="session")
def sample_kb() -> KnowledgeBase:
    """What a fresh ``servicekg serve`` serves: ontology, rules, the assessed examples.

    Shared by the server tests; tests must not change it (use their own store to write).
    """
    from servicekg.server import sample_knowledge_base

    return sample_knowledge_base()
