"""Benchmarks of Tremplin against the local stack; results in bench/results.json."""
