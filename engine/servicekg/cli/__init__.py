"""The ``servicekg`` command line: a thin layer over the core, one module per command group."""

from servicekg.cli import graph_commands as _graph_commands  # registers its commands
from servicekg.cli.app import app, main

__all__ = ["app", "main"]
del _graph_commands
