"""Shared fixtures: the knowledge base with the bundled ontology, and the CLI run in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from servicekg.cli import app
from servicekg.knowledge_base import KnowledgeBase
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


@pytest.fixture
def ontology_copy(tmp_path: Path) -> Path:
    """A writable copy of the ontology files, for breaking on purpose."""
    folder = tmp_path / "ontology"
    folder.mkdir()
    for path in ontology_files():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder
