"""The W3C SPARQL 1.1 conformance harness: vendored suite, manifest reader, client, comparison."""
