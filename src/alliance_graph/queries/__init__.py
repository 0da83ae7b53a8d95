"""The saved SPARQL queries: a catalogue of documented ``.rq`` files, and running them.

- :mod:`.catalogue`: the ``.rq`` files and their ``#+`` headers (:class:`SavedQuery`);
- :mod:`.params`: typed parameters bound as RDF terms in one ``VALUES`` row;
- :mod:`.safety`: what a query would do, decided from the parsed query;
- :mod:`.run`: running in process or on an endpoint, with limits;
- :mod:`.results`: the one result model (:class:`Result`).

Parameters are never spliced into the query: :meth:`SavedQuery.bind` writes one
``VALUES`` row, built from the N-Triples form of each term, at the start of the outermost
``WHERE`` group. The bound text is the same in process (pyoxigraph or rdflib) and on a
remote endpoint, so the answers are the same too.
"""

from ..namespaces import PREFIXES
from .catalogue import (
    SavedQuery,
    catalogue,
    get,
    is_shipped,
    parse_saved_query,
    queries_dir,
    read_rq,
)
from .params import PARAM_TYPES, Parameter, sparql_term, values_block
from .results import GRAPH_FORMATS, RESULT_FORMATS, Result, compact, json_term, to_python
from .run import DEFAULT_TIMEOUT, ENGINES, cached_store, names_for, run, run_rdflib, sparql
from .safety import check, check_no_network, check_read_only
from .text import query_form, tokenize, where_offset

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENGINES",
    "GRAPH_FORMATS",
    "PARAM_TYPES",
    "PREFIXES",
    "RESULT_FORMATS",
    "Parameter",
    "Result",
    "SavedQuery",
    "cached_store",
    "catalogue",
    "check",
    "check_no_network",
    "check_read_only",
    "compact",
    "get",
    "is_shipped",
    "json_term",
    "names_for",
    "parse_saved_query",
    "queries_dir",
    "query_form",
    "read_rq",
    "run",
    "run_rdflib",
    "sparql",
    "sparql_term",
    "to_python",
    "tokenize",
    "values_block",
    "where_offset",
]
