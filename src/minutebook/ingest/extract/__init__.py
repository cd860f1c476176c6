"""Extractors, one module per fact type. Each takes mapped text and returns facts and findings."""
