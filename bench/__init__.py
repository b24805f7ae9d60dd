"""The benchmark: our speed next to the tools people use instead (python -m bench)."""
