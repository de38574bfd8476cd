"""Benchmarks: run each as ``python -m workers.bench.<name>``; none is a test."""
