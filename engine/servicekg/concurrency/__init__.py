"""Concurrency plumbing: a producer run in a background thread, and the gate that keeps a
fork from happening while a store is open."""
