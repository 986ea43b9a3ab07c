"""Developer tooling: benchmarks, the Lighthouse audit and synthetic data (not installed in production)."""
