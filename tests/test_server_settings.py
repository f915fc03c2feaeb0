"""The server's settings: declared once, they make the ``serve`` options and the README's
table; unsafe or impossible combinations are refused before anything starts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import Result

from servicekg.cli.serve_command import serve
from servicekg.server import SETTINGS, ServerSettings
from servicekg.server.errors import error_codes_table
from servicekg.server.settings import settings_table

README = Path(__file__).parents[1] / "README.md"


def test_the_readme_documents_every_setting_and_error_code() -> None:
    readme = README.read_text(encoding="utf-8")
    assert settings_table() in readme
    assert error_codes_table() in readme


def test_every_setting_is_an_option_of_serve(run_cli: Callable[..., Result]) -> None:
    result = run_cli("serve", "--help")
    assert result.exit_code == 0
    for setting in SETTINGS:
        assert setting.option in result.output, setting.name
    assert "SERVICEKG_TOKEN" in result.output


def test_the_settings_object_has_exactly_the_declared_settings() -> None:
    declared = {s.name: s.default for s in SETTINGS}
    assert {f.name: f.default for f in fields(ServerSettings)} == declared


def test_options_become_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICEKG_TOKEN", "from-env")
    context = serve.make_context(
        "serve", ["--port", "9001", "--allow-update", "--no-union-default-graph"]
    )
    settings = ServerSettings.from_options(context.params)
    assert settings.port == 9001
    assert settings.allow_update is True
    assert settings.union_default_graph is False
    assert settings.token == "from-env"  # noqa: S105 (a test token)
    assert settings.allow_remote is False
    given = serve.make_context("serve", ["--token", "given"])
    assert given.params["token"] == "given"  # noqa: S105 (a test token)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0", "--allow-update"], "needs --token"),  # noqa: S104
        (["--store", "a", "--endpoint", "http://127.0.0.1:9/q"], "not both"),
        (["--query-timeout", "0"], "--query-timeout 0"),
        (["--max-body", "-1"], "--max-body -1"),
        (["--port", "70000"], "--port 70000"),
        (["--token", " ", "--allow-update"], "--token is empty"),
        (["--update-timeout", "0"], "--update-timeout 0"),
        (["--engine", "blazegraph"], "give one of oxigraph, virtuoso, fuseki, graphdb, generic"),
    ],
)
def test_unsafe_or_impossible_settings_exit_2(
    run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.delenv("SERVICEKG_TOKEN", raising=False)
    result = run_cli("serve", *args)
    assert result.exit_code == 2
    assert message in result.stderr
