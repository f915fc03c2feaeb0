"""The server's settings, declared once as data.

:data:`SETTINGS` drives the ``servicekg serve`` options, the README's table of settings and a
test that every setting is documented (the way datasette declares ``Setting(name, default,
help)``). :class:`ServerSettings` holds one value of each.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, fields
from typing import Any

from servicekg.errors import InputError
from servicekg.stores.remote import UNION_MODES

__all__ = [
    "LOOPBACK_HOSTS",
    "SETTINGS",
    "TOKEN_ENV",
    "ServerSettings",
    "Setting",
    "settings_table",
]

TOKEN_ENV = "SERVICEKG_TOKEN"  # noqa: S105 (the name of a variable, not a secret)
"""The environment variable read for the bearer token when ``--token`` is not given."""

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True)
class Setting:
    """One setting: its name (the ``--option`` with ``-`` for ``_``), default, type and help.

    ``kind`` is ``"flag"`` for an on/off switch, else the Python type of the value
    (``str``, ``int``, ``float``); ``env`` names an environment variable read when the
    option is not given.
    """

    name: str
    default: Any
    kind: Any
    help: str
    env: str | None = None

    @property
    def option(self) -> str:
        """The command-line option, e.g. ``--query-timeout``."""
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting("host", "127.0.0.1", str, "Address to listen on (loopback only by default)."),
    Setting("port", 8000, int, "Port to listen on."),
    Setting(
        "store",
        None,
        str,
        "Serve the on-disk store in this folder (kept across restarts) instead of a fresh "
        "in-memory one holding the ontology, the rules and the assessed examples.",
    ),
    Setting(
        "endpoint",
        None,
        str,
        "Serve a remote SPARQL 1.1 endpoint (its query URL) instead of an embedded store.",
    ),
    Setting(
        "update_endpoint",
        None,
        str,
        "With --endpoint: the remote endpoint's update URL, when it is not the query URL.",
    ),
    Setting(
        "store_endpoint",
        None,
        str,
        "With --endpoint: the remote endpoint's Graph Store Protocol URL, if it has one.",
    ),
    Setting(
        "union",
        "dataset",
        str,
        "With --endpoint: how the endpoint answers over the union of its graphs: list them in "
        "the request (dataset), Oxigraph's union-default-graph parameter (oxigraph), or "
        "natively (native).",
    ),
    Setting(
        "allow_update",
        False,
        "flag",
        "Accept SPARQL updates and Graph Store writes (read-only otherwise).",
    ),
    Setting(
        "token",
        None,
        str,
        "Bearer token that updates must carry (Authorization: Bearer TOKEN). Without one, "
        "only a server on a loopback address accepts updates, with a warning.",
        env=TOKEN_ENV,
    ),
    Setting(
        "query_timeout",
        30.0,
        float,
        "Seconds a query may run before it is stopped (answered 503).",
    ),
    Setting(
        "result_limit",
        100 * 1024 * 1024,
        int,
        "Largest result of one query, in bytes as sent (a larger one is stopped; 413).",
    ),
    Setting("max_body", 10 * 1024 * 1024, int, "Largest request body in bytes (413 above)."),
    Setting(
        "allow_remote",
        False,
        "flag",
        "Let queries and updates reach the network with SERVICE and LOAD (refused otherwise; "
        "FROM and FROM NAMED only ever select graphs of the store).",
    ),
    Setting(
        "union_default_graph",
        True,
        "flag",
        "Queries see the union of all named graphs as their default graph (--no-union-"
        "default-graph: the store's own default graph, as the SPARQL standard has it).",
    ),
)


def _default(name: str) -> Any:
    """The declared default of the setting ``name`` (so that defaults are written once).

    >>> _default("port")
    8000
    """
    for setting in SETTINGS:
        if setting.name == name:
            return setting.default
    raise KeyError(name)


@dataclass(frozen=True)
class ServerSettings:
    """One value for each of :data:`SETTINGS` (defaults as declared there).

    >>> ServerSettings().port
    8000
    >>> ServerSettings(host="0.0.0.0").loopback
    False
    """

    host: str = _default("host")
    port: int = _default("port")
    store: str | None = _default("store")
    endpoint: str | None = _default("endpoint")
    update_endpoint: str | None = _default("update_endpoint")
    store_endpoint: str | None = _default("store_endpoint")
    union: str = _default("union")
    allow_update: bool = _default("allow_update")
    token: str | None = _default("token")
    query_timeout: float = _default("query_timeout")
    result_limit: int = _default("result_limit")
    max_body: int = _default("max_body")
    allow_remote: bool = _default("allow_remote")
    union_default_graph: bool = _default("union_default_graph")

    @classmethod
    def from_options(cls, values: dict[str, Any]) -> ServerSettings:
        """Settings from option values (``None`` means the default); checked."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InputError(f"unknown server settings {unknown}; known: {sorted(known)}")
        settings = cls(**{k: v for k, v in values.items() if v is not None})
        settings.check()
        return settings

    @property
    def loopback(self) -> bool:
        """True when the server listens on a loopback address only."""
        if self.host in LOOPBACK_HOSTS:
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def check(self) -> None:
        """Refuse settings that cannot work or would be unsafe, saying what would do."""
        if self.store and self.endpoint:
            raise InputError("give either --store DIR or --endpoint URL, not both")
        if (self.update_endpoint or self.store_endpoint) and not self.endpoint:
            raise InputError("--update-endpoint and --store-endpoint go with --endpoint URL")
        if self.union not in UNION_MODES:
            raise InputError(f"--union {self.union}: give one of {', '.join(UNION_MODES)}")
        if not 0 <= self.port < 65536:
            raise InputError(f"--port {self.port}: give 1-65535 (0 picks a free port)")
        for name, value in (
            ("--query-timeout", self.query_timeout),
            ("--result-limit", self.result_limit),
            ("--max-body", self.max_body),
        ):
            if value <= 0:
                raise InputError(f"{name} {value}: give a number above 0")
        if self.token is not None and not self.token.strip():
            raise InputError("--token is empty: give a token, or none at all")
        if self.allow_update and self.token is None and not self.loopback:
            raise InputError(
                f"--allow-update on {self.host} needs --token (or {TOKEN_ENV}): "
                "without a token, only a server on 127.0.0.1 accepts updates"
            )


def settings_table() -> str:
    """The settings as the README's Markdown table (a test keeps the README in step).

    >>> settings_table().splitlines()[0]
    '| option | default | what |'
    """
    lines = ["| option | default | what |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        if setting.kind == "flag":
            default = "on" if setting.default else "off"
        else:
            default = "none" if setting.default is None else f"`{setting.default}`"
        env = f" Environment: `{setting.env}`." if setting.env else ""
        lines.append(f"| `{setting.option}` | {default} | {setting.help}{env} |")
    return "\n".join(lines) + "\n"
