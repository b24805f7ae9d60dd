"""Quality checks: the framework (base) and the explicit registry of checks (registry)."""
