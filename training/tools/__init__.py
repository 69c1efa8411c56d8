"""Shared helpers for the training scripts (config, data, maps, affinity, metrics)."""
