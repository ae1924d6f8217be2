"""Benchmarks of the emulator (``make bench``; figures in bench/RESULTS.md), never part of
the test suite. ``__main__`` runs the sections: ``inprocess`` (P2), ``throughput`` (P1, P4 over
HTTP), ``scale`` (P3, P4 in the store), ``limiter`` (P5); ``workload`` is what they send,
``servers`` what serves and loads it, ``report`` the figures and the table. ``python -m
bench.profile VENDOR [--miss]`` shows where one request's time goes.
"""
