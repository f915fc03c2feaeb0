"""The server's settings: declared once, they make the ``serve`` options and the README's
table; unsafe or impossible combinations are refused before anything starts."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from servicekg.cli.serve_command import serve
from servicekg.errors import InputError
from servicekg.server import SETTINGS, ServerSettings, open_knowledge_base
from servicekg.server.error_responses import error_codes_table
from servicekg.server.settings import settings_table
from servicekg.store_choice import StoreChoice, open_store

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
    ],
)
def test_unsafe_or_impossible_settings_exit_2(
    run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.delenv("SERVICEKG_TOKEN", raising=False)
    result = run_cli("serve", *args)
    assert result.exit_code == 2
    assert message in result.stderr


_REMOTE = {
    "endpoint": "http://127.0.0.1:9/query",
    "update_endpoint": "http://127.0.0.1:9/update",
    "store_endpoint": "http://127.0.0.1:9/store",
    "union": "oxigraph",
    "token": "s3cret",
}
_ATTRIBUTE = {
    "endpoint": "query_url",
    "update_endpoint": "update_url",
    "store_endpoint": "store_url",
    "union": "union",
    "token": "_token",
}


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(StoreChoice)])
def test_the_server_honours_every_store_setting_the_cli_honours(name: str, tmp_path) -> None:
    """Each store setting the command line takes (StoreChoice) is a server setting too, and
    the server opens the very store the command line opens with it (one factory)."""
    assert name in {s.name for s in SETTINGS}
    if name == "store":
        given: dict[str, Any] = {"store": str(tmp_path / "kb")}
    else:
        given = {"endpoint": _REMOTE["endpoint"], name: _REMOTE[name]}
    cli = open_store(
        StoreChoice(**{k: Path(v) if k == "store" else v for k, v in given.items()}),
        ontology=False,
        must_exist=False,
    )
    cli_opened = (cli.kind, cli.describe(), vars(cli.store) if name != "store" else None)
    cli.close()  # an on-disk store is opened by one at a time
    server = open_knowledge_base(ServerSettings(**given))
    try:
        # the store as the command line makes it, value for value
        assert (server.kind, server.describe(), cli_opened[2] and vars(server.store)) == cli_opened
        if name != "store":
            assert vars(server.store)[_ATTRIBUTE[name]] == _REMOTE[name]
    finally:
        server.close()


def test_an_unknown_union_mode_is_refused_naming_the_accepted_ones() -> None:
    with pytest.raises(InputError, match="dataset, oxigraph, native"):
        ServerSettings.from_options({"endpoint": _REMOTE["endpoint"], "union": "both"})
