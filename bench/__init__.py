"""Benchmarks of the applications service: run them as scripts, never as timed tests."""
