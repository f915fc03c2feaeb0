"""The wheel carries the views' data (viz/), and an installed copy draws a view from it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from servicekg.resources import viz_dir

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_reads_the_view_data_in_place() -> None:
    assert viz_dir() == ROOT / "viz"


@pytest.mark.slow
def test_an_installed_wheel_draws_a_view_from_its_own_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("servicekg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in sorted(viz_dir().rglob("*")):
        if path.is_file():
            assert f"servicekg/_data/viz/{path.relative_to(viz_dir()).as_posix()}" in names
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), wheel],
        check=True,
        capture_output=True,
    )
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from servicekg.resources import viz_dir; print(viz_dir());"
        "from servicekg import KnowledgeBase; from servicekg.views import render_view;"
        "html = render_view(KnowledgeBase.with_ontology(), 'customer-chain', lang='nl');"
        "print('De klantketen' in html, 'vis.Network' in html)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.split()
    assert out == [str(target / "servicekg" / "_data" / "viz"), "True", "True"]
