"""SPARQL syntax helpers, below the knowledge base: result formats (:mod:`.formats`), keeping
queries off the network (:mod:`.safety`) and terms (:mod:`.terms`). Their errors are in
:mod:`servicekg.errors`; running queries with limits is :mod:`servicekg.querying`."""
