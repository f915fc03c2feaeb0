"""Cold start: the command line imports what a command needs when that command runs, so a
person does not wait for libraries the command never uses (not timed: ``bench/cli_bench.py``
measures). Each check runs in a fresh interpreter, where nothing was imported before."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

HEAVY = ["openpyxl", "networkx", "pyvis", "starlette", "pyshacl", "rdflib.plugins.sparql"]


def _loaded_after(code: str, modules: list[str]) -> list[str]:
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {modules!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_cli_leaves_the_heavy_libraries_alone() -> None:
    assert _loaded_after("import servicekg.cli", HEAVY) == []


def test_version_imports_neither_the_store_engine_nor_rdflib() -> None:
    code = (
        "from servicekg.cli import app\ntry:\n    app(['--version'])\nexcept SystemExit:\n    pass"
    )
    assert _loaded_after(code, [*HEAVY, "rdflib", "pyoxigraph", "rich"]) == []


def test_every_command_is_found_where_the_table_says() -> None:
    from servicekg.cli.app import COMMANDS, app

    for module in set(COMMANDS.values()):
        importlib.import_module(f"servicekg.cli.{module}")
    assert sorted(app.commands) == sorted(COMMANDS)


def test_query_and_rules_list_import_none_of_the_heavy_libraries() -> None:
    for command in (["query", "ASK {}"], ["rules", "list"]):
        code = f"from servicekg.cli import app\ntry:\n app({command!r})\nexcept SystemExit:\n pass"
        assert _loaded_after(code, HEAVY) == [], command
