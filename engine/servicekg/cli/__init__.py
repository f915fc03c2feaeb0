"""The ``servicekg`` command line: a thin layer over the core, one module per command group."""

from servicekg.cli import assess_commands as _assess_commands  # registers its commands
from servicekg.cli import audit_command as _audit_command
from servicekg.cli import graph_commands as _graph_commands
from servicekg.cli import serve_command as _serve_command
from servicekg.cli import sparql_commands as _sparql_commands
from servicekg.cli import template_command as _template_command
from servicekg.cli import viz_commands as _viz_commands
from servicekg.cli.app import app, main

__all__ = ["app", "main"]
del (
    _assess_commands,
    _audit_command,
    _graph_commands,
    _serve_command,
    _sparql_commands,
    _template_command,
    _viz_commands,
)
