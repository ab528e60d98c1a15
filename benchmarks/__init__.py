"""Speed comparisons of ember against torch and hand-written NumPy: ``python -m benchmarks``."""
