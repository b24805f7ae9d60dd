"""Use cases: the only API that the command line and the terminal UI call."""
