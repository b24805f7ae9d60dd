"""workbench: a terminal workbench for translating course content."""

__version__ = "0.1.0"
