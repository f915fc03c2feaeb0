"""The graph commands, run in-process: what a consultant types and what comes back."""

from pathlib import Path


def test_show_prints_the_quote_and_its_rendering(run_cli) -> None:
    result = run_cli("show", "ProblemResolution", "--lang", "lv")
    assert result.exit_code == 0
    assert "izšķirtspēja" in result.stdout
    assert "KANA" in result.stdout


def test_show_an_unknown_concept_exits_2_and_names_it(run_cli) -> None:
    result = run_cli("show", "Friendlyness")
    assert result.exit_code == 2
    assert "unknown concept 'Friendlyness'" in result.stderr


def test_an_unknown_language_is_a_usage_error(run_cli) -> None:
    result = run_cli("show", "Friendliness", "--lang", "de")
    assert result.exit_code == 2
    assert "'de' is not one of" in result.stderr


def test_paths_lists_chains_with_their_sign(run_cli) -> None:
    result = run_cli("paths", "EmployeeTreatment", "Profit", "--most", "3")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert len(lines) == 3
    assert all("raises" in line for line in lines)


def test_query_prints_a_table_and_json(run_cli) -> None:
    sparql = "SELECT ?n WHERE { skg:SixBasicNeeds skos:member ?n }"
    assert "Fairness" in run_cli("query", sparql).stdout
    assert (
        '"n": "https://w3id.org/servicekg/ns#Fairness"'
        in run_cli("query", sparql, "--format", "json").stdout
    )
    assert run_cli("query", "ASK { skg:JustSayYes a skg:Misconception }").stdout.strip() == "true"


def test_query_from_a_file_and_its_syntax_error(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n ?x ?y \n}")
    result = run_cli("query", "-f", str(bad))
    assert result.exit_code == 2
    assert "line 3" in result.stderr


def test_summary_in_dutch(run_cli) -> None:
    result = run_cli("summary", "--lang", "nl")
    assert result.exit_code == 0
    assert "Vriendelijkheid" in result.stdout
