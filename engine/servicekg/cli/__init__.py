"""The ``servicekg`` command line: a thin layer over the core, one module per command group,
each imported when one of its commands runs (:data:`servicekg.cli.app.COMMANDS`)."""

from servicekg.cli.app import app, main

__all__ = ["app", "main"]
