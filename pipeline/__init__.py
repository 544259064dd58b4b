"""c1: open election data from C1 tally forms."""

__version__ = "0.1.0"
