"""``servicekg serve``: the HTTP server (SPARQL endpoint, Graph Store, query page, JSON API).

Its options are made from :data:`servicekg.server.settings.SETTINGS`, the one list of the
server's settings, so the command, the README and the tests cannot drift apart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import click

from servicekg.cli.app import app, err_console
from servicekg.server.settings import SETTINGS, ServerSettings, Setting

__all__ = ["serve"]


def _option(setting: Setting) -> Callable[[Any], Any]:
    if setting.kind == "flag":
        negative = "--no-" + setting.option[2:]
        declaration = f"{setting.option}/{negative}" if setting.default else setting.option
        return click.option(
            declaration,
            setting.name,
            is_flag=True,
            default=setting.default,
            show_default=bool(setting.default),
            help=setting.help,
        )
    return click.option(
        setting.option,
        setting.name,
        type=setting.kind,
        default=setting.default,
        show_default=setting.default is not None,
        envvar=setting.env,
        show_envvar=setting.env is not None,
        help=setting.help,
    )


def _with_settings(command: Callable[..., Any]) -> Callable[..., Any]:
    for setting in reversed(SETTINGS):
        command = _option(setting)(command)
    return command


@app.command()
@_with_settings
def serve(**options: Any) -> None:
    """Serve the knowledge graph over HTTP: SPARQL 1.1 Protocol at /sparql, Graph Store at
    /store, a query page at /, JSON for consultants at /api/ (described at /api/openapi.json).

    Read-only unless --allow-update. Stops on Ctrl-C.
    """
    import uvicorn

    from servicekg.server import create_app, open_knowledge_base

    settings = ServerSettings.from_options(options)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(name)s: %(message)s")
    where = settings.store or settings.endpoint or "in memory (ontology, rules, examples)"
    err_console.print(f"loading the knowledge base: {where}")
    kb = open_knowledge_base(settings)
    if settings.allow_update and settings.token is None:
        err_console.print(
            "[yellow]warning:[/] updates are allowed with no token (loopback only); "
            "set --token or SERVICEKG_TOKEN to require one"
        )
    err_console.print(
        f"serving on http://{settings.host}:{settings.port}/ "
        f"({'read-write' if settings.allow_update else 'read-only'})"
    )
    uvicorn.run(
        create_app(kb, settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=False,  # a line per request cost ~15% of the CPU of a lookup
        timeout_graceful_shutdown=5,
    )
