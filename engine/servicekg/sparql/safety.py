"""Keeping queries off the network: what pyoxigraph would fetch, and refusing it.

Measured with pyoxigraph 0.5 and a listener on 127.0.0.1 (tests/test_sparql_safety.py):

* ``FROM <iri>`` and ``FROM NAMED <iri>`` only select graphs of the store; nothing is fetched.
* ``SERVICE <iri>`` (also ``SERVICE SILENT``) opens an HTTP connection to the IRI.
* ``LOAD <iri>`` in an update opens an HTTP connection to the IRI.
* rdflib's own engine fetches ``FROM <iri>`` over the network unless
  ``rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS`` is False, which this module sets on import, and
  :func:`forbid_rdflib_fetching` wherever servicekg makes an rdflib graph (rdflib's engine is
  not imported before then: it is most of a cold start's cost).

pyoxigraph offers no switch to forbid ``SERVICE`` or ``LOAD``, so :func:`check_query` and
:func:`check_update` (in :mod:`servicekg.sparql.query_text`, re-exported here) find the
keywords in the text (outside strings, IRIs and comments, as the SPARQL grammar tokenises) and
refuse them unless remote access is allowed.
"""

from __future__ import annotations

from servicekg.sparql.query_text import (
    check_query,
    check_update,
    has_dataset_clause,
    keywords,
    query_form,
)

__all__ = [
    "check_query",
    "check_update",
    "forbid_rdflib_fetching",
    "has_dataset_clause",
    "keywords",
    "query_form",
]


def forbid_rdflib_fetching() -> None:
    """Turn off rdflib's fetching of ``FROM <iri>`` graphs over the network."""
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


forbid_rdflib_fetching()
