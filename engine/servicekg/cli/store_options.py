"""Where a command's knowledge base lives: the options every command shares, declared once.

``--store DIR`` (an on-disk store), ``--endpoint URL`` (a remote SPARQL 1.1 endpoint, with
``--update-endpoint`` and ``--store-endpoint`` where its update and Graph Store URLs differ from
what its ``--engine`` profile says, the bearer token in ``SERVICEKG_TOKEN``, a user and password
in ``SERVICEKG_ENDPOINT_USER`` and ``SERVICEKG_ENDPOINT_PASSWORD``), or neither: a fresh
in-memory knowledge base. Commands
add them with ``@store_options`` and open the knowledge base with :func:`open_store`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.stores.profiles import ENGINES, PASSWORD_ENV, USER_ENV, credentials_from_env
from servicekg.stores.remote import UNION_MODES

__all__ = ["STORE_OPTIONS", "TOKEN_ENV", "StoreChoice", "open_store", "store_options"]

TOKEN_ENV = "SERVICEKG_TOKEN"  # noqa: S105 - the name of a variable, not a token
"""The environment variable holding the bearer token sent to a remote endpoint."""

_F = TypeVar("_F", bound=Callable[..., Any])


@dataclass(frozen=True)
class StoreChoice:
    """The store options as given on the command line."""

    store: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    store_endpoint: str | None = None
    engine: str = "generic"
    union: str | None = None

    @property
    def named(self) -> bool:
        """Whether the user named a store (on disk or remote) rather than the default."""
        return self.store is not None or self.endpoint is not None

    def describe(self) -> str:
        """The store as the user named it, for messages."""
        return str(self.store) if self.store is not None else self.endpoint or "memory"


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
        "--engine",
        {
            "type": click.Choice(list(ENGINES)),
            "default": "generic",
            "show_default": True,
            "help": "The endpoint's engine: its profile says where updates and the Graph Store "
            "are, how to authenticate (user and password from "
            f"${USER_ENV} / ${PASSWORD_ENV}) and how to ask for the union of the graphs.",
        },
    ),
    (
        "--union",
        {
            "type": click.Choice(UNION_MODES),
            "default": None,
            "help": "Override how the endpoint answers over the union of its graphs: list them "
            "in the request (dataset), Oxigraph's union-default-graph parameter, or natively "
            "(default: as the engine's profile says).",
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
                engine=kwargs.pop("engine"),
                union=kwargs.pop("union"),
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


def open_store(
    choice: StoreChoice, *, ontology: bool = True, must_exist: bool = True
) -> KnowledgeBase:
    """The knowledge base the options name.

    Neither option: a new in-memory knowledge base, with the ontology when ``ontology``.
    ``--store DIR``: that store (an error when the folder does not exist and ``must_exist``);
    the ontology is loaded into it when ``ontology`` and it has none yet.
    ``--endpoint URL``: the remote endpoint, as it is.
    """
    if choice.store is not None and choice.endpoint is not None:
        raise InputError("give either --store DIR or --endpoint URL, not both")
    if choice.endpoint is None and (choice.update_endpoint or choice.store_endpoint):
        raise InputError("--update-endpoint and --store-endpoint need --endpoint URL")
    if choice.endpoint is not None:
        credentials = credentials_from_env(TOKEN_ENV)
        return KnowledgeBase.remote(
            choice.endpoint,
            choice.update_endpoint,
            choice.store_endpoint,
            engine=choice.engine,
            token=credentials.token,
            user=credentials.user,
            password=credentials.password,
            union=choice.union,
        )
    if choice.store is None:
        return KnowledgeBase.with_ontology() if ontology else KnowledgeBase()
    if must_exist and not choice.store.is_dir():
        raise InputError(
            f"--store {choice.store}: no such folder; make a store with "
            f"`servicekg load --store {choice.store}`"
        )
    kb = KnowledgeBase.open(choice.store)
    if ontology and not kb.has_graph(GRAPH.ontology):
        kb.load_ontology()
    return kb
