"""The SHACL vocabulary and the prefixes reports name nodes, rules and paths by."""

from __future__ import annotations

import re

SH = "http://www.w3.org/ns/shacl#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SHAPES_NS = "https://w3id.org/alliance-graph/shapes#"

# Prefixes for names in reports (results name nodes, rules and paths by these).
REPORT_PREFIXES = {
    "agsh": SHAPES_NS,
    "ag": "https://w3id.org/alliance-graph/ontology#",
    "res": "https://w3id.org/alliance-graph/resource/",
    "src": "https://w3id.org/alliance-graph/source/",
    "sh": SH,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}

_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-:]*")


class ShaclTerms:
    """``SHACL.minCount`` is the pyoxigraph IRI of sh:minCount."""

    def __getattr__(self, name):
        import pyoxigraph as ox

        term = ox.NamedNode(SH + name)
        setattr(self, name, term)
        return term


SHACL = ShaclTerms()


def curie(iri: str) -> str:
    """``iri`` as a prefixed name of :data:`REPORT_PREFIXES`, else ``<iri>``."""
    for prefix, namespace in REPORT_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if _LOCAL.fullmatch(local) and not local.endswith("."):
                return f"{prefix}:{local}"
    return f"<{iri}>"
