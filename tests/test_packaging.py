"""The wheel carries the knowledge graph, the rules, the examples and the views' data, and an
installed copy finds and uses them."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from servicekg.resources import data_root, ontology_files, viz_dir

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


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a folder of its own (``--target``), once for this module."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), wheel],
        check=True,
        capture_output=True,
    )
    return target


def _run_installed(installed: Path, script: str, cwd: Path) -> list[str]:
    """Run ``script`` with the installed copy first on the path (not the checkout)."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]);" + script, installed],
        check=True,
        capture_output=True,
        text=True,
        cwd=cwd,
    ).stdout.split()


def test_a_checkout_reads_its_data_in_place() -> None:
    assert data_root() == ROOT
    assert {p.name for p in ontology_files()} >= {"schema.ttl", "concepts.ttl", "metrics.ttl"}
    assert viz_dir() == ROOT / "viz"


@pytest.mark.slow
def test_the_wheel_carries_ontology_shapes_queries_rules_examples_and_views(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in ontology_files():
        assert f"servicekg/_data/ontology/{path.name}" in names
    assert "servicekg/_data/ontology/shapes/ontology-shapes.ttl" in names
    assert any(n.startswith("servicekg/_data/ontology/queries/") for n in names)
    assert any(n.startswith("servicekg/_data/rules/") for n in names)
    assert any(n.startswith("servicekg/_data/examples/") for n in names)
    for path in sorted(viz_dir().rglob("*")):
        if path.is_file():
            assert f"servicekg/_data/viz/{path.relative_to(viz_dir()).as_posix()}" in names
    assert "servicekg/cli/__init__.py" in names


@pytest.mark.slow
def test_an_installed_wheel_validates_from_its_own_data(installed: Path, tmp_path: Path) -> None:
    script = (
        "from servicekg.resources import data_root; print(data_root());"
        "from servicekg.graph.shacl import validate_ontology; print(validate_ontology().conforms)"
    )
    out = _run_installed(installed, script, tmp_path)
    assert out == [str(installed / "servicekg" / "_data"), "True"]


@pytest.mark.slow
def test_an_installed_wheel_draws_a_view_from_its_own_data(installed: Path, tmp_path: Path) -> None:
    script = (
        "from servicekg.resources import viz_dir; print(viz_dir());"
        "from servicekg import KnowledgeBase; from servicekg.views import render_view;"
        "html = render_view(KnowledgeBase.with_ontology(), 'customer-chain', lang='nl');"
        "print('De klantketen' in html, 'vis.Network' in html)"
    )
    out = _run_installed(installed, script, tmp_path)
    assert out == [str(installed / "servicekg" / "_data" / "viz"), "True", "True"]
