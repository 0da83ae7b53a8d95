"""Checks of the ontology itself (``alliance-graph validate --ontology``).

- ``ontology:labelled`` and ``ontology:defined``: every term of the ontology's namespace
  (class, property, individual) has an English ``rdfs:label`` and a ``skos:definition``;
- ``ontology:declared``: every term of the namespace that the ontology, the data or the
  shapes use is declared (typed) in the ontology;
- ``ontology:used`` (a warning): every declared term is used by the data (with what the
  loader derives) or the shapes, or says why not in a ``skos:editorialNote``;
- ``ontology:property-kind``: every property the ontology or the data uses as a predicate
  is declared as exactly one of object, datatype or annotation property (the RDF, RDFS and
  OWL built-ins aside), object properties take nodes and datatype properties literals;
- ``ontology:owl2-dl``: the ontology is in the OWL 2 DL profile, as py-horned-owl's
  profile checker reads it (illegal punning, undeclared entities, non-DL axioms ...);
- ``ontology:consistent``: the ontology and the data together are free of contradictions
  an OWL 2 RL reasoner finds (owlrl's closure: an individual in two disjoint classes, such
  as an organisation typed as a person or a stake typed as an event, directly or through
  subclasses, domains and ranges). The closure runs on what reasoning reads: every triple
  whose object is a node, and the literal-valued triples of properties with a domain.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import resources

AG = "https://w3id.org/alliance-graph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/alliance-graph/ontology"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

KINDS = {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty"}
# Predicates OWL 2 gives a meaning of their own: never declared by an ontology.
BUILT_IN = {
    RDF + "type",
    RDF + "first",
    RDF + "rest",
    RDFS + "label",
    RDFS + "comment",
    RDFS + "seeAlso",
    RDFS + "isDefinedBy",
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
    RDFS + "domain",
    RDFS + "range",
    OWL + "versionInfo",
    OWL + "inverseOf",
    OWL + "equivalentClass",
    OWL + "equivalentProperty",
    OWL + "disjointWith",
    OWL + "members",
    OWL + "imports",
    OWL + "deprecated",
}

RULES = {
    "ontology:labelled": (
        "Violation",
        "every term has a label",
        "Every class, property and "
        "individual of the ontology's namespace has an English rdfs:label.",
    ),
    "ontology:defined": (
        "Violation",
        "every term has a definition",
        "Every class, property and individual of the ontology's namespace has a skos:definition.",
    ),
    "ontology:declared": (
        "Violation",
        "every term used is declared",
        "Every term of the "
        "ontology's namespace used by the ontology, the data or the shapes "
        "is declared (typed) in the ontology.",
    ),
    "ontology:used": (
        "Warning",
        "every declared term is used or explained",
        "Every term the "
        "ontology declares is used by the data or the shapes, or a "
        "skos:editorialNote says why it is kept.",
    ),
    "ontology:property-kind": (
        "Violation",
        "properties of one kind",
        "Every property used as "
        "a predicate is declared as exactly one of owl:ObjectProperty, "
        "owl:DatatypeProperty and owl:AnnotationProperty, and object "
        "properties take nodes, datatype properties literals.",
    ),
    "ontology:owl2-dl": (
        "Violation",
        "within OWL 2 DL",
        "The ontology conforms to the OWL 2 DL profile (py-horned-owl's profile checker).",
    ),
    "ontology:consistent": (
        "Violation",
        "no contradiction an OWL 2 RL reasoner finds",
        "The OWL 2 RL closure (owlrl) of the ontology and the data finds no contradiction: "
        "no individual in two disjoint classes, directly or by subclass, domain or range.",
    ),
}


def check_ontology(data_files, shapes_files, ontology_files=None):
    """Results and rules of the ontology checks, for :func:`alliance_graph.validate.validate`."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from ..graph import parse_into
    from ..store import open_store
    from .results import Rule, ValidationResult
    from .vocabulary import curie as _curie

    ontology_files = list(ontology_files or resources.ontology_files())
    onto = Graph()
    for path in ontology_files:
        parse_into(onto, path)
    data = open_store(data_files, ontology=False, derive=True)
    shapes = Graph()
    for path in shapes_files:
        parse_into(shapes, path)
    locate = _TextIndex(ontology_files + [Path(p) for p in data_files] + list(shapes_files))

    results = []

    def add(rule, term, message, value=None):
        where = locate.where(term)
        results.append(
            ValidationResult(
                focus=_curie(term),
                focus_label=_label(onto, term),
                rule=rule,
                severity=RULES[rule][0],
                message=message,
                value=value,
                file=where[0] if where else None,
                line=where[1] if where else None,
            )
        )

    types: dict[str, set[str]] = {}
    for s, o in onto.subject_objects(_u(RDF + "type")):
        types.setdefault(str(s), set()).add(str(o))
    terms = sorted(t for t in types if t.startswith(AG))

    for term in terms:
        labels = [o for o in onto.objects(_u(term), _u(RDFS + "label")) if o.language == "en"]
        if not labels:
            add("ontology:labelled", term, "has no English rdfs:label")
        if onto.value(_u(term), _u(SKOS + "definition")) is None:
            add("ontology:defined", term, "has no skos:definition")

    # Terms used: by the ontology's axioms, the data (with derived triples), the shapes.
    def iris_of(graph_terms):
        return {t for t in graph_terms if t.startswith(AG) and len(t) > len(AG)}

    in_ontology = iris_of(str(x) for t in onto for x in t if isinstance(x, URIRef))
    in_data = {
        q_term.value
        for q in data
        for q_term in (q.subject, q.predicate, q.object)
        if isinstance(q_term, ox.NamedNode)
    }
    in_shapes = {str(x) for t in shapes for x in t if isinstance(x, URIRef)}
    shape_texts = " ".join(str(o) for o in shapes.objects() if "ag:" in str(o))
    in_shapes |= {AG + m for m in re.findall(r"\bag:([A-Za-z_][\w-]*)", shape_texts)}
    for term in sorted(iris_of(in_ontology | in_data | in_shapes) - set(types)):
        add("ontology:declared", term, "is used but the ontology does not declare it")

    for term in terms:
        if term in in_data or term in in_shapes:
            continue
        if onto.value(_u(term), _u(SKOS + "editorialNote")) is not None:
            continue
        add(
            "ontology:used",
            term,
            "is declared but neither the data nor the shapes use it; use it, remove it, "
            "or say why it stays in a skos:editorialNote",
        )

    # Property kinds: the ontology and the data as one OWL document.
    predicates = {str(p) for p in onto.predicates()} | {q.predicate.value for q in data}
    for p in sorted(predicates - BUILT_IN):
        kinds = types.get(p, set()) & KINDS
        if len(kinds) != 1:
            found = ", ".join(sorted(_curie(k) for k in kinds)) or "none"
            add(
                "ontology:property-kind",
                p,
                f"is used as a property but declared as {found}: declare exactly one of "
                "owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty",
            )
    object_props = {p for p, k in types.items() if OWL + "ObjectProperty" in k}
    data_props = {p for p, k in types.items() if OWL + "DatatypeProperty" in k}
    wrong: dict[str, str] = {}
    for q in data:
        p = q.predicate.value
        if p in object_props and isinstance(q.object, ox.Literal):
            wrong.setdefault(p, f"an object property, has the literal {q.object} as a value")
        elif p in data_props and not isinstance(q.object, ox.Literal):
            wrong.setdefault(p, f"a datatype property, has the node {q.object} as a value")
    for p, why in sorted(wrong.items()):
        add("ontology:property-kind", p, f"is {why}")

    for iri, message in _owl2_dl_violations(onto):
        add("ontology:owl2-dl", iri, message)

    facts = Graph()
    for path in data_files:
        parse_into(facts, path)
    for iri, message in owl_rl_contradictions(onto, facts):
        add("ontology:consistent", iri, message)

    rules = [
        Rule(rule_id, sev, title, text, "ontology") for rule_id, (sev, title, text) in RULES.items()
    ]
    return results, rules


def _owl2_dl_violations(onto) -> list[tuple[str, str]]:
    """py-horned-owl's OWL 2 DL profile violations: (the IRI at fault, or the ontology's,
    and a message)."""
    import pyhornedowl
    from pyhornedowl.profile import check_profile

    xml = onto.serialize(format="xml")
    ontology = pyhornedowl.open_ontology_from_string(xml, "rdf")
    report = check_profile(ontology, "DL")
    out = set()
    for v in report.violations:
        message = getattr(v, "message", "") or type(v).__name__
        iri = getattr(v, "iri", None)
        kinds = getattr(v, "kinds", None)
        if kinds:
            message += f": {', '.join(str(k) for k in kinds)}"
        out.add((str(iri) if iri is not None else ONTOLOGY_IRI, f"not in OWL 2 DL: {message}"))
    return sorted(out)


# Where owlrl writes what its closure finds inconsistent.
_OWLRL_ERROR = "http://www.daml.org/2002/03/agents/agent-ont#error"


def owl_rl_contradictions(ontology, data) -> list[tuple[str, str]]:
    """The contradictions owlrl's OWL 2 RL closure finds in ``ontology`` with ``data`` (two
    rdflib graphs, left unchanged): (the IRI of the individual at fault, or the ontology's,
    and a message)."""
    import owlrl
    from rdflib import Graph, Literal, URIRef

    rdfs_domain = URIRef(RDFS + "domain")
    with_domain = set(ontology.subjects(rdfs_domain, None))
    closure = Graph()
    for graph in (ontology, data):
        for s, p, o in graph:
            if isinstance(o, Literal) and p not in with_domain:
                continue  # labels, notes, figures: nothing for the reasoner to read
            if str(p).startswith(SKOS):
                continue  # annotations
            closure.add((s, p, o))
    # owlrl swaps rdflib's lexical-to-value conversions for its own while it runs and
    # does not put back all of them (ill-formed gYear and gYearMonth values then read as
    # well-formed for the rest of the process): keep rdflib's table and restore it whole.
    import rdflib.term

    conversions = dict(rdflib.term._toPythonMapping)
    try:
        owlrl.DeductiveClosure(
            owlrl.OWLRL_Semantics,
            rdfs_closure=False,
            axiomatic_triples=False,
            datatype_axioms=False,
        ).expand(closure)
    finally:
        rdflib.term._toPythonMapping.clear()
        rdflib.term._toPythonMapping.update(conversions)
    out = set()
    for message in closure.objects(None, URIRef(_OWLRL_ERROR)):
        text = " ".join(str(message).split())
        # owlrl names the individual last ("... have a common individual <iri>").
        iris = re.findall(r"https?://\S+", text)
        focus = next((i for i in reversed(iris) if not i.startswith(AG)), ONTOLOGY_IRI)
        out.add((focus, f"OWL 2 RL closure (owlrl): {_shorten(text)}"))
    return sorted(out)


def _shorten(text: str) -> str:
    """owlrl's message with the project's IRIs written as CURIEs."""
    for prefix, namespace in (
        ("ag:", AG),
        ("res:", "https://w3id.org/alliance-graph/resource/"),
        ("src:", "https://w3id.org/alliance-graph/source/"),
    ):
        text = text.replace(namespace, prefix)
    return text


def _u(iri: str):
    from rdflib import URIRef

    return URIRef(iri)


def _label(graph, term: str) -> str | None:
    from rdflib import URIRef

    for o in graph.objects(URIRef(term), URIRef(RDFS + "label")):
        return str(o)
    return None


class _TextIndex:
    """The first line of the files where a term is written (as <IRI> or a prefixed name)."""

    def __init__(self, files):
        self.files = [Path(f) for f in files]
        self._texts: dict[Path, tuple[str, dict[str, str]]] = {}

    def where(self, iri: str) -> tuple[str, int] | None:
        for path in self.files:
            text, prefixes = self._read(path)
            spellings = [re.escape(f"<{iri}>")]
            for prefix, namespace in prefixes.items():
                if iri.startswith(namespace) and len(iri) > len(namespace):
                    spellings.append(
                        r"(?<![\w:])"
                        + re.escape(f"{prefix}:{iri[len(namespace) :]}")
                        + r"(?![\w-])"
                    )
            match = re.search("|".join(spellings), text)
            if match:
                return str(path), text.count("\n", 0, match.start()) + 1
        return None

    def _read(self, path: Path):
        if path not in self._texts:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            prefixes = dict(
                re.findall(r"^\s*@?prefix\s+([A-Za-z][\w.-]*):\s*<([^>]*)>", text, re.M | re.I)
            )
            # Skip the prefix lines themselves: a term is found where it is used.
            body = re.sub(r"^\s*@?prefix\s.*$", "", text, flags=re.M | re.I)
            self._texts[path] = (body, prefixes)
        return self._texts[path]
