"""The Textual terminal UI; it calls services only."""
