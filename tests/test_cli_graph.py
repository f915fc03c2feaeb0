"""The graph commands, run in-process: what a consultant types and what comes back."""


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


def test_summary_in_dutch(run_cli) -> None:
    result = run_cli("summary", "--lang", "nl")
    assert result.exit_code == 0
    assert "Vriendelijkheid" in result.stdout
