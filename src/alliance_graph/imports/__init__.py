"""Readers of ownership data people already hold, into the project's vocabulary:
a CSV of stakes (:mod:`.csv`); BODS lives in :mod:`alliance_graph.bods`."""
