"""SPARQL over a knowledge base, for the command line and the HTTP server alike: result
formats (:mod:`.formats`), keeping queries off the network (:mod:`.safety`), time and result
size limits (:mod:`.runner`) and the errors of each (:mod:`.errors`)."""
