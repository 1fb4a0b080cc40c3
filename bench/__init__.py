"""Benchmarks: each measures a cost through the real server, over real sockets."""
