"""The pure domain: units, translations, states, languages, terms and checks (no I/O)."""
