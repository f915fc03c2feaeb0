"""Where a command's knowledge base lives: the options every command shares, declared once.

``--store DIR`` (an on-disk store), ``--endpoint URL`` (a remote SPARQL 1.1 endpoint, with
``--update-endpoint`` and ``--store-endpoint`` where its update and Graph Store URLs differ, and
the bearer token in ``SERVICEKG_TOKEN``), or neither: a fresh in-memory knowledge base. Commands
add them with ``@store_options`` and open the knowledge base with
:func:`servicekg.store_choice.open_store`, the factory the server uses too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from servicekg.store_choice import StoreChoice, open_store
from servicekg.stores.remote import UNION_MODES

__all__ = ["STORE_OPTIONS", "TOKEN_ENV", "StoreChoice", "open_store", "store_options"]

TOKEN_ENV = "SERVICEKG_TOKEN"  # noqa: S105 - the name of a variable, not a token
"""The environment variable holding the bearer token sent to a remote endpoint."""

_F = TypeVar("_F", bound=Callable[..., Any])


STORE_OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "--store",
        {
            "type": click.Path(path_type=Path, file_okay=False),
            "help": "Use the on-disk store in this folder (kept across runs).",
        },
    ),
    (
        "--endpoint",
        {
            "metavar": "URL",
            "help": "Use a remote SPARQL 1.1 endpoint: its query URL "
            f"(bearer token from ${TOKEN_ENV}).",
        },
    ),
    (
        "--update-endpoint",
        {"metavar": "URL", "help": "The endpoint's update URL, when not the query URL."},
    ),
    (
        "--store-endpoint",
        {"metavar": "URL", "help": "The endpoint's Graph Store Protocol URL, if it has one."},
    ),
    (
        "--union",
        {
            "type": click.Choice(UNION_MODES),
            "default": "dataset",
            "show_default": True,
            "help": "How the endpoint answers over the union of its graphs: list them in the "
            "request (dataset), Oxigraph's union-default-graph parameter, or natively.",
        },
    ),
)
"""The options, as data: (flag, click keyword arguments); ``serve`` and the docs use them too."""


def store_options(command: _F) -> _F:
    """Add the store options to a click command; it receives them as one ``store_choice``."""
    for flag, settings in reversed(STORE_OPTIONS):
        command = click.option(flag, **settings)(command)

    def gather(callback: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(**kwargs: Any) -> Any:
            kwargs["store_choice"] = StoreChoice(
                store=kwargs.pop("store"),
                endpoint=kwargs.pop("endpoint"),
                update_endpoint=kwargs.pop("update_endpoint"),
                store_endpoint=kwargs.pop("store_endpoint"),
                union=kwargs.pop("union"),
                token=os.environ.get(TOKEN_ENV) or None,
            )
            return callback(**kwargs)

        wrapper.__name__ = callback.__name__
        wrapper.__doc__ = callback.__doc__
        return wrapper

    return _wrap_callback(command, gather)


def _wrap_callback(command: _F, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> _F:
    """Options are added before ``@app.command()`` turns the function into a command, so the
    function itself is wrapped; click keeps the options it collected on it."""
    params = getattr(command, "__click_params__", [])
    wrapped = wrap(command)
    wrapped.__click_params__ = params  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]
