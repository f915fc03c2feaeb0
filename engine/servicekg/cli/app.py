"""The click application, its shared options and how errors become exit codes.

Exit codes (documented in the README): 0 success or conforms, 1 does not conform,
2 error (bad input, a file that does not parse, an unknown name, a usage error).

Cold start: a command's module (and what it needs: the store, the rules, the server, the
views) is imported only when that command runs (:data:`COMMANDS`); ``servicekg --version``
imports none, and rich's consoles are made on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import click

from servicekg import __version__
from servicekg.errors import ServiceKGError

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

__all__ = ["COMMANDS", "app", "console", "err_console", "lang_option", "main"]

COMMANDS = {
    "assess": "assess_commands",
    "explain": "assess_commands",
    "demo": "assess_commands",
    "rules": "rules_commands",
    "validate": "graph_commands",
    "summary": "graph_commands",
    "concepts": "graph_commands",
    "show": "graph_commands",
    "paths": "graph_commands",
    "serve": "serve_command",
    "query": "sparql_commands",
    "update": "sparql_commands",
    "load": "sparql_commands",
    "viz": "viz_commands",
    "audit-sources": "audit_command",
    "template": "template_command",
    "progress": "engagement_commands",
    "chain": "engagement_commands",
    "what-if": "engagement_commands",
    "follow-up": "engagement_commands",
}
"""Each command and the module of :mod:`servicekg.cli` that defines it (imported when the
command runs, or when all are listed)."""


class _LazyConsole:
    """A rich ``Console`` made on first use (importing rich costs a cold start ~40 ms)."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True)
        return getattr(self._console, name)


console: Console = _LazyConsole(stderr=False)  # type: ignore[assignment]
err_console: Console = _LazyConsole(stderr=True)  # type: ignore[assignment]


class _Commands(click.Group):
    """Imports a command's module when the command is asked for, and turns every
    :class:`ServiceKGError` into its message on stderr and its exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in sorted(set(COMMANDS.values())):
            importlib.import_module(f"servicekg.cli.{module}")
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"servicekg.cli.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ServiceKGError as error:
            from rich.markup import escape

            err_console.print(f"[bold red]error:[/] {escape(str(error))}")
            ctx.exit(error.exit_code)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, package_name="servicekg")
def app() -> None:
    """Customer-service principles as a knowledge graph, with rules and SPARQL.

    Exit codes: 0 success (conforms), 1 does not conform, 2 error.
    """


def lang_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--lang`` option (en, nl, lv) of a command."""
    from servicekg.namespace import LANGUAGES

    return click.option(
        "--lang",
        "-l",
        type=click.Choice(LANGUAGES),
        default="en",
        show_default=True,
        help="Language of labels and texts.",
    )(command)


def main() -> None:
    """Entry point of the ``servicekg`` console command."""
    app()
