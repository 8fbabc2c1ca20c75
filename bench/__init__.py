"""Kinerja benchmarks: `make bench` (`python -m bench`) measures and writes docs/benchmarks.md.

Benchmarks are not tests: nothing here asserts a time. Each benchmark module produces one markdown
section; the runner in `bench.__main__` records the machine and the date next to the figures,
because a number without the machine it was measured on cannot be compared with anything.
"""
