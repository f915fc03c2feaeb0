"""The view specs (viz/views.yaml) are complete: every text in three languages, every query a
view names exists and parses, every query file is used, and mistakes are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.views.spec import VIEWS, load_spec


def test_every_query_a_view_names_exists_and_parses(kb: KnowledgeBase) -> None:
    spec = load_spec()
    named = {q for view in VIEWS for q in spec.view(view).queries}
    files = {p.stem for p in (spec.folder / "queries").glob("*.rq")}
    assert named == files
    for name in sorted(files):
        kb.query(spec.query(name))  # raises QuerySyntaxError naming the line if it does not parse


def test_every_kind_a_class_maps_to_is_drawn() -> None:
    spec = load_spec()
    assert set(spec.classes.values()) <= set(spec.kinds)
    for view in VIEWS:
        for column in spec.view(view).columns:
            assert set(column) <= set(spec.kinds), (view, column)


def _write(tmp_path: Path, old: str, new: str) -> Path:
    text = (load_spec().folder / "views.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "views.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("lv: Vērtību ķēde}", "}", "views.value-chain.title: give a text in each of en, nl, lv"),
        ("  ServiceFactor: factor", "  ServiceFactor: facter", "unknown kind 'facter'"),
        ("  query:\n", "  queries:\n", "views must be principles, value-chain"),
        ("physics_limit: 250", "physics_limit: [", "cannot read the view specs"),
    ],
)
def test_a_broken_spec_is_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = _write(tmp_path, old, new)
    with pytest.raises(InputError, match=r"views\.yaml") as error:
        load_spec(path)
    assert message in str(error.value)
