"""The click application, its shared options and how errors become exit codes.

Exit codes (documented in the README): 0 success or conforms, 1 does not conform,
2 error (bad input, a file that does not parse, an unknown name, a usage error).
"""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from servicekg.errors import ServiceKGError
from servicekg.namespace import LANGUAGES

__all__ = ["app", "console", "err_console", "lang_option", "main"]

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


class _ErrorsToExitCodes(click.Group):
    """Turns every :class:`ServiceKGError` into its message on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ServiceKGError as error:
            err_console.print(f"[bold red]error:[/] {escape(str(error))}")
            ctx.exit(error.exit_code)


@click.group(cls=_ErrorsToExitCodes, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="servicekg")
def app() -> None:
    """Customer-service principles as a knowledge graph, with rules and SPARQL.

    Exit codes: 0 success (conforms), 1 does not conform, 2 error.
    """


lang_option = click.option(
    "--lang",
    "-l",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of labels and texts.",
)


def main() -> None:
    """Entry point of the ``servicekg`` console command."""
    app()
