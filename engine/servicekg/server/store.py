"""The knowledge base a server serves, as its settings name it.

With neither ``--store`` nor ``--endpoint``: a fresh in-memory store holding the ontology, the
rules and the example businesses with their assessments, so that a new server has something
to show. ``--store DIR``: the on-disk store in DIR as it is (a new folder starts empty).
``--endpoint URL``: a remote SPARQL 1.1 endpoint (its query URL) on ``--engine``, as it is,
with the credentials of ``SERVICEKG_ENDPOINT_USER`` / ``_PASSWORD`` / ``_TOKEN``.
"""

from __future__ import annotations

from servicekg.assessment.session import run_assessment
from servicekg.knowledge_base import KnowledgeBase
from servicekg.resources import data_root
from servicekg.server.settings import ServerSettings
from servicekg.stores.profiles import ENDPOINT_TOKEN_ENV, credentials_from_env
from servicekg.stores.remote import RemoteStore

__all__ = ["open_knowledge_base", "sample_knowledge_base"]


def sample_knowledge_base() -> KnowledgeBase:
    """A new in-memory knowledge base: ontology, rules, the examples and their assessments."""
    return run_assessment([data_root() / "examples"]).kb


def open_knowledge_base(settings: ServerSettings) -> KnowledgeBase:
    """The knowledge base ``settings`` name."""
    if settings.endpoint:
        credentials = credentials_from_env(ENDPOINT_TOKEN_ENV)
        kb = KnowledgeBase.remote(
            settings.endpoint,
            settings.update_endpoint,
            settings.store_endpoint,
            engine=settings.engine,
            token=credentials.token,
            user=credentials.user,
            password=credentials.password,
        )
        if isinstance(kb.store, RemoteStore):
            kb.store.update_timeout_s = settings.update_timeout
        kb.allow_remote = settings.allow_remote
        return kb
    if settings.store:
        return KnowledgeBase.open(settings.store)
    return sample_knowledge_base()
