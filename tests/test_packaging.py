"""The wheel carries the knowledge graph and the rules, and an installed copy finds them."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from servicekg.resources import data_root, ontology_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel, once for this module."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = folder.glob("servicekg-*.whl")
    return built


def test_a_checkout_reads_the_ontology_in_place() -> None:
    assert data_root() == ROOT
    assert {p.name for p in ontology_files()} >= {"schema.ttl", "concepts.ttl", "metrics.ttl"}


@pytest.mark.slow
def test_the_wheel_carries_ontology_shapes_queries_and_rules(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in ontology_files():
        assert f"servicekg/_data/ontology/{path.name}" in names
    assert "servicekg/_data/ontology/shapes/ontology-shapes.ttl" in names
    assert any(n.startswith("servicekg/_data/ontology/queries/") for n in names)
    assert any(n.startswith("servicekg/_data/rules/") for n in names)
    assert any(n.startswith("servicekg/_data/examples/") for n in names)
    assert "servicekg/cli/__init__.py" in names


@pytest.mark.slow
def test_an_installed_wheel_validates_from_its_own_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), wheel],
        check=True,
        capture_output=True,
    )
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from servicekg.resources import data_root; print(data_root());"
        "from servicekg.validation import validate_ontology; print(validate_ontology().conforms)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.split()
    assert out == [str(target / "servicekg" / "_data"), "True"]
