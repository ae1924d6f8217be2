"""Benchmarks of the emulator: throughput, in-process start and reset, seeding, scaling, limiter
accuracy and memory. Run them all with ``make bench`` (``python -m bench``); never part of tests.
"""
