"""The knowledge base a server serves, as its settings name it.

With neither ``--store`` nor ``--endpoint``: a fresh in-memory store holding the ontology, the
rules and the example businesses with their assessments, so that a new server has something
to show. ``--store DIR``: the on-disk store in DIR as it is (a new folder starts empty).
``--endpoint URL``: a remote SPARQL 1.1 endpoint (its query URL), as it is, with the token
and ``--union`` mode. Stores are opened by :func:`servicekg.store_choice.open_store`, as the
command line opens them.
"""

from __future__ import annotations

from pathlib import Path

from servicekg.assessment.pipeline import run_assessment
from servicekg.knowledge_base import KnowledgeBase
from servicekg.resources import data_root
from servicekg.server.settings import ServerSettings
from servicekg.store_choice import StoreChoice, open_store

__all__ = ["open_knowledge_base", "sample_knowledge_base", "store_choice"]


def sample_knowledge_base() -> KnowledgeBase:
    """A new in-memory knowledge base: ontology, rules, the examples and their assessments."""
    return run_assessment([data_root() / "examples"]).kb


def store_choice(settings: ServerSettings) -> StoreChoice:
    """The store ``settings`` name, as the command line's store options name one."""
    return StoreChoice(
        store=Path(settings.store) if settings.store else None,
        endpoint=settings.endpoint,
        update_endpoint=settings.update_endpoint,
        store_endpoint=settings.store_endpoint,
        union=settings.union,
        token=settings.token,
    )


def open_knowledge_base(settings: ServerSettings) -> KnowledgeBase:
    """The knowledge base ``settings`` name."""
    choice = store_choice(settings)
    if not choice.named:
        return sample_knowledge_base()
    kb = open_store(choice, ontology=False, must_exist=False)
    if choice.endpoint is not None:
        kb.allow_remote = settings.allow_remote
    return kb
