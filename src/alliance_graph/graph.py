"""The graph as rdflib holds it, as :mod:`alliance_graph.load` builds it.

Kept as the name earlier code and the docs use; everything here is the one loader's.
"""

from __future__ import annotations

from .load import load_graph as load
from .load import parse_into
from .namespaces import PROJECT_PREFIXES

PREFIXES = PROJECT_PREFIXES

__all__ = ["PREFIXES", "load", "parse_into"]
