"""Reproducible performance measurements, printed as one table of ratios.

Each benchmark module exposes `run() -> list[Figure]`; every figure is compared with a limit
or a peer measured in the same run on the same machine, so a busy machine moves both sides.
"""
