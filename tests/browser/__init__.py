"""Tests of the graph views in headless Chromium."""
