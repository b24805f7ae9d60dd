"""File formats: one adapter per format; only here are polib, webvtt-py and friends imported."""
