"""Running SPARQL against a knowledge base, above it: time and result size limits
(:mod:`.executor`) and the worker process a query runs in (:mod:`.worker`). The syntax helpers
it uses sit below the knowledge base, in :mod:`servicekg.sparql`."""
