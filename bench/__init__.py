"""Benchmarks, run by hand: `python bench/run.py`. Not part of the test suite."""
