"""``servicekg viz``: one view per run, written as a page; bad requests exit 2 and say why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["principles", "--lang", "nl"], "De principes en hun verbanden"),
        (["value-chain"], "The value chain"),
        (["customer-chain", "--lang", "lv"], "Klientu ķēde"),
        (["portfolio", "--data", str(DATA / "viz")], "Portfolio of businesses"),
        (
            ["assessment", "--business", "burgeri-riga"],
            "Assessment of one business: Burgernīca „Ātrie Burgeri” – Brīvības iela",  # noqa: RUF001
        ),
    ],
)
def test_viz_writes_a_page(
    run_cli: Callable[..., Result], tmp_path: Path, args: list[str], title: str
) -> None:
    out = tmp_path / "views" / "page.html"
    result = run_cli("viz", *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert f"<title>{title} · servicekg</title>" in html
    assert f"wrote {out}" in result.stderr.replace("\n", "")


def test_viz_draws_a_construct_query(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    query = tmp_path / "chain.rq"
    query.write_text("CONSTRUCT { ?a skg:serves ?b } WHERE { ?a skg:serves ?b }")
    out = tmp_path / "query.html"
    result = run_cli("viz", "query", "--query", str(query), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/servicekg/ns#ExternalCustomer" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assessment"], "needs --business ID"),
        (["assessment", "--business", "burgeri-rica"], "did you mean 'burgeri-riga'"),
        (["query"], "needs --query FILE.rq"),
        (["principles", "--business", "burgeri-riga"], "--business is for the assessment view"),
        (["principles", "--query", "q.rq"], "--query is for the query view"),
        (["query", "--query", "missing.rq"], "missing.rq: cannot read the query"),
        (["query", "--query", "select.rq"], "CONSTRUCT or DESCRIBE"),
        (["query", "--query", "broken.rq"], "broken.rq: SPARQL syntax error (line 1"),
    ],
)
def test_viz_refuses_what_it_cannot_draw(
    run_cli: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("q.rq").write_text("CONSTRUCT WHERE { ?s ?p ?o }")
    Path("select.rq").write_text("SELECT * WHERE { ?s ?p ?o }")
    Path("broken.rq").write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ")
    result = run_cli("viz", *args, "--out", "page.html")
    assert result.exit_code == 2
    assert message in result.stderr.replace("\n", " ")
    assert not Path("page.html").exists()


def test_viz_names_the_views(run_cli: Callable[..., Result]) -> None:
    result = run_cli("viz", "values", "--out", "x.html")
    assert result.exit_code == 2
    assert "'principles', 'value-chain', 'customer-chain', 'assessment', 'portfolio'" in (
        result.stderr
    )
