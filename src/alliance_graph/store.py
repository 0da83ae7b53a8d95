"""The embedded store (pyoxigraph), as :mod:`alliance_graph.load` builds it.

Kept as the name earlier code and the docs use; everything here is the one loader's.
"""

from .derive import materialise
from .load import from_rdflib, load_into, open_store, to_ntriples, to_rdflib

__all__ = ["from_rdflib", "load_into", "materialise", "open_store", "to_ntriples", "to_rdflib"]
