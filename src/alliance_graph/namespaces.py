"""The project's namespaces and the W3C ones, in one place and without rdflib."""

AG = "https://w3id.org/alliance-graph/ontology#"
RES = "https://w3id.org/alliance-graph/resource/"
SRC = "https://w3id.org/alliance-graph/source/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Prefixes bound in every graph the project writes.
PROJECT_PREFIXES = {
    "ag": AG,
    "res": RES,
    "src": SRC,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
}

# The project's prefixes plus the W3C ones, for reading prefixed names users type.
PREFIXES = {
    **PROJECT_PREFIXES,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
}

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PROJECT_PREFIXES["skos"]
RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
SKOS_ALT_LABEL = SKOS + "altLabel"
SKOS_DEFINITION = SKOS + "definition"
