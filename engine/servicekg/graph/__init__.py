"""Readers of the knowledge graph's ontology: concepts and passages, the metric catalogue,
the causal relations, SHACL validation, the summary counts and the example queries."""
